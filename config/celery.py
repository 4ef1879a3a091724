"""The Celery application. Without REDIS_URL tasks run inline (see settings.base)."""

import gc
import os
from typing import Any

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_init, worker_process_init

from config import logging as logging_context

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("lanzarote")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect  # the worker's own process (the solo pool renders in it)
@worker_process_init.connect  # each child of the prefork pool
def freeze_startup_objects(**_: Any) -> None:
    """What a worker loaded at start-up lives as long as it does: keep it out of the garbage
    collector's full passes (see config/wsgi.py)."""
    gc.freeze()


@task_prerun.connect
def task_id_logged(task_id: str | None = None, **_: Any) -> None:
    """Every line a task logs carries its id (config/logging.py)."""
    logging_context.task_context_set(task_id)


@task_postrun.connect
def task_id_forgotten(**_: Any) -> None:
    logging_context.task_context_clear()
