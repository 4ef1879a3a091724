"""Documents rendered by real Celery workers over Redis, on PostgreSQL (committed data only):
the normal path, and a worker killed (SIGKILL) in the middle of a render. The message was not
acknowledged (acks_late), so it comes back — after Redis's visibility timeout, or through the
periodic rescue of abandoned renders — and a new worker finishes the document: one file, no
partial file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection
from pytest_django.fixtures import Settings

from config.celery import app
from documents.models import Document, DocumentKind, DocumentStatus
from documents.services import document_request
from documents.tasks import requeue_stuck_documents
from tests.cast import Cast
from tests.documents.pdf import read_pdf, stored_pdf
from tests.documents.world import build_doc_world

ROOT = Path(__file__).resolve().parents[2]
StartWorker = Callable[..., subprocess.Popen[bytes]]


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def start_worker(redis_url: str, media_root: Path) -> Iterator[StartWorker]:
    """Starts Celery workers (solo pool) on the test database and media root; the test process
    sends to the broker as production does. Every worker still alive is stopped at the end."""
    workers: list[subprocess.Popen[bytes]] = []

    def start(**env: str) -> subprocess.Popen[bytes]:
        name = f"docs-{uuid.uuid4().hex[:8]}@localhost"
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-n", name,
             "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.local",
                "DATABASE_URL": _database_url(),
                "REDIS_URL": redis_url,
                "MEDIA_ROOT": str(media_root),
                **env,
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        workers.append(worker)
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=1.0):
            assert worker.poll() is None, "the worker stopped at start"
            assert time.monotonic() < deadline, "the worker did not start"
        return worker

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.control.purge()  # nothing left over from an earlier run on this Redis database
    try:
        yield start
    finally:
        app.conf.task_always_eager = eager
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)


def _wait_for(document_id: int, status: str, *, seconds: float) -> Document:
    deadline = time.monotonic() + seconds
    while True:
        document = Document.objects.get(pk=document_id)
        if document.status == status:
            return document
        assert document.status != DocumentStatus.FAILED, document.error
        assert time.monotonic() < deadline, f"still {document.status} after {seconds} s"
        time.sleep(0.05)


def _files(media_root: Path) -> list[str]:
    return sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())


pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_real_worker_renders_a_requested_document(
    postgres: None, cast: Cast, start_worker: StartWorker, media_root: Path
) -> None:
    world = build_doc_world(cast, damage_rows=3)
    start_worker()

    document, created = document_request(
        actor=cast.lawyer_a, case=cast.case_a, kind=DocumentKind.CLAIM_STATEMENT
    )  # committed: the task is sent after commit, with the id only

    document = _wait_for(document.pk, DocumentStatus.READY, seconds=60)
    assert created
    assert document.attempts == 1
    assert read_pdf(stored_pdf(document)).pages == document.page_count
    assert _files(media_root) == [document.file.name]
    assert world.sample.claim.pk == document.claim_id


def _killed_mid_render(cast: Cast, start_worker: StartWorker, media_root: Path) -> Document:
    """A long claim statement, its worker killed with SIGKILL while rendering it."""
    build_doc_world(cast, damage_rows=160)
    first = start_worker()
    document, _ = document_request(
        actor=cast.lawyer_a, case=cast.case_a, kind=DocumentKind.CLAIM_STATEMENT
    )
    _wait_for(document.pk, DocumentStatus.RENDERING, seconds=60)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    document.refresh_from_db()
    assert (document.status, document.attempts) == (DocumentStatus.RENDERING, 1)
    assert _files(media_root) == []  # rendered in memory: nothing written yet
    return document


def _finished_once(document: Document, media_root: Path) -> None:
    document = _wait_for(document.pk, DocumentStatus.READY, seconds=120)
    assert document.attempts == 2
    assert _files(media_root) == [document.file.name]  # one file, no `.partial`
    pdf = read_pdf(stored_pdf(document))
    assert document.page_count is not None
    assert pdf.pages == document.page_count > 3
    assert document.snapshot["case"]["reference"] in pdf.text


def test_a_worker_killed_mid_render_leaves_no_file_and_the_message_comes_back_to_a_new_worker(
    postgres: None, cast: Cast, start_worker: StartWorker, media_root: Path
) -> None:
    document = _killed_mid_render(cast, start_worker, media_root)

    # Redis hands the unacknowledged message to the new worker once its visibility timeout has
    # passed (checked when the worker starts); the render counts as abandoned after 1 s.
    time.sleep(1.5)
    start_worker(CELERY_VISIBILITY_TIMEOUT_SECONDS="1", DOCUMENT_RENDER_STALE_SECONDS="1")

    _finished_once(document, media_root)


def test_a_worker_killed_mid_render_is_rescued_by_the_periodic_task(
    postgres: None,
    cast: Cast,
    start_worker: StartWorker,
    media_root: Path,
    settings: Settings,
) -> None:
    document = _killed_mid_render(cast, start_worker, media_root)
    start_worker(DOCUMENT_RENDER_STALE_SECONDS="1")  # the visibility timeout stays one hour
    settings.DOCUMENT_RENDER_STALE_SECONDS = 1
    time.sleep(1.5)

    assert requeue_stuck_documents.apply().get() == 1  # beat's task, sending to the broker

    _finished_once(document, media_root)
