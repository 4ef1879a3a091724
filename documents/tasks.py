"""Celery tasks of the documents: thin, id-only, safe to run twice (see services.document_render).

`acks_late` with `reject_on_worker_lost`: a worker killed in the middle of a render does not ack
its message; Redis hands it to another worker after the visibility timeout
(CELERY_VISIBILITY_TIMEOUT_SECONDS), and the periodic `requeue_stuck_documents` re-enqueues
renders abandoned for longer than DOCUMENT_RENDER_STALE_SECONDS, whichever comes first. Retries
are bounded and for transient errors only (the document store or the database unavailable); a
document whose render kills its worker every time fails after `services.MAX_ATTEMPTS`."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from celery.signals import worker_init, worker_process_init
from django.db import OperationalError

from . import renderer
from .services import (
    TransientRenderError,
    document_fail_after_retries,
    document_render,
    documents_stuck,
)

MAX_RETRIES = 5


@worker_init.connect  # the worker's own process (the solo pool renders in it)
@worker_process_init.connect  # each child of the prefork pool
def warm_the_renderer(**_: Any) -> None:
    renderer.warm_up()


class RenderTask(Task):
    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        if isinstance(exc, TransientRenderError | OperationalError) and args:
            document_fail_after_retries(document_id=int(args[0]))


@shared_task(
    base=RenderTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(TransientRenderError, OperationalError),
    max_retries=MAX_RETRIES,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    time_limit=120,
    soft_time_limit=100,
)
def render_document(document_id: int) -> str:
    return document_render(document_id=document_id)


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50)
def requeue_stuck_documents() -> int:
    """Periodic (celery beat): enqueue again every document whose render was abandoned or whose
    message was lost. Harmless when the render is in fact alive: the task's claim refuses it."""
    stuck = documents_stuck()
    for document_id in stuck:
        render_document.delay(document_id)
    return len(stuck)


# --- A person's copy of their file (documents.exports) ------------------------------------------


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    max_retries=MAX_RETRIES,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    time_limit=300,
    soft_time_limit=280,
)
def build_personal_data_export(export_id: int) -> str:
    """The export's id only: the person's data is read by the worker, never sent in a message."""
    from .exports import personal_data_export_build

    return personal_data_export_build(export_id=export_id)


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def expire_personal_data_exports() -> int:
    """Periodic (celery beat): delete the copies past their day, and send again the builds of
    copies still queued long after they were asked for (a lost message, a dead worker)."""
    from .exports import personal_data_exports_expire, personal_data_exports_stuck

    for export_id in personal_data_exports_stuck():
        build_personal_data_export.delay(export_id)
    return personal_data_exports_expire()
