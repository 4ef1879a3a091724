"""The periodic expiry task, run by a real Celery worker over Redis against PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from config.celery import app
from legalaid.models import Designation, DesignationMethod, DesignationStatus, Role
from legalaid.services.designations import designation_auto, designation_expire_overdue
from legalaid.tasks import expire_overdue_designations
from tests.cast import make_case, make_lawyer, make_office, make_user

ROOT = Path(__file__).resolve().parents[2]


def _overdue_case() -> tuple[Designation, int]:
    """A case whose automatic proposal is past its deadline; a second lawyer is free."""
    office = make_office("Tasks", "antwerpen")
    staff = make_user("staff", Role.OFFICE, office)
    first = make_lawyer(staff, office, "First")
    second = make_lawyer(staff, office, "Second")
    case = make_case(staff, office)
    designation = designation_auto(actor=None, case=case)
    assert isinstance(designation, Designation)
    assert designation.lawyer_id == first.pk
    Designation.objects.filter(pk=designation.pk).update(
        respond_by=timezone.now() - dt.timedelta(minutes=1)
    )
    return designation, second.pk


def test_the_expiry_task_expires_overdue_proposals_and_proposes_the_next_lawyer(db: None) -> None:
    designation, second = _overdue_case()

    assert expire_overdue_designations.apply().get() == 1

    designation.refresh_from_db()
    assert designation.status == DesignationStatus.EXPIRED
    successor = Designation.objects.get(case=designation.case, status=DesignationStatus.PROPOSED)
    assert (successor.lawyer_id, successor.method) == (second, DesignationMethod.AUTOMATIC)
    assert designation_expire_overdue() == 0  # a second run finds nothing more to do


@pytest.fixture
def real_worker(redis_url: str) -> Iterator[str]:
    """A Celery worker process over Redis, on the test database (committed data only)."""
    settings = connection.settings_dict
    database_url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
        f"{settings['PORT']}/{settings['NAME']}"
    )
    name = f"tasks-{uuid.uuid4().hex[:8]}@localhost"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-n",
            name,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # this test sends to the broker, as production does
    try:
        deadline = time.monotonic() + 30
        while not app.control.ping(destination=[name], timeout=1.0):
            assert time.monotonic() < deadline, "the worker did not start"
        yield name
    finally:
        app.conf.task_always_eager = eager
        worker.terminate()
        worker.wait(timeout=30)


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_runs_the_expiry_task_from_the_queue(
    postgres: None, real_worker: str
) -> None:
    designation, second = _overdue_case()

    result = expire_overdue_designations.apply_async(ignore_result=True)
    assert result.id

    deadline = time.monotonic() + 30
    while Designation.objects.get(pk=designation.pk).status == DesignationStatus.PROPOSED:
        assert time.monotonic() < deadline, "the worker did not expire the proposal"
        time.sleep(0.2)
    successor = Designation.objects.get(case=designation.case, status=DesignationStatus.PROPOSED)
    assert successor.lawyer_id == second
