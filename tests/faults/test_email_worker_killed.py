"""A Celery worker killed (SIGKILL) in the middle of sending an e-mail, over Redis, on PostgreSQL
(committed data only): the mail server had not accepted the e-mail yet (it takes its time:
tests/faults/mail.py), so nothing was delivered; the e-mail is then delivered exactly once, by a
new worker — the unacknowledged message comes back after Redis's visibility timeout — or through
beat's sweep of abandoned sends. The e-mails land as files the test reads (Django's file backend
in a temporary directory)."""

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
from legalaid.models import Role
from legalaid.services.designations import designation_propose
from mailer.models import EmailStatus, OutgoingEmail
from mailer.services import email_send, message_id
from mailer.tasks import requeue_stuck_emails
from tests.cast import make_case, make_lawyer, make_office, make_user
from tests.faults.mail import delivered

ROOT = Path(__file__).resolve().parents[2]
StartWorker = Callable[..., subprocess.Popen[bytes]]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    return tmp_path / "mail"


@pytest.fixture
def start_worker(redis_url: str, mail_dir: Path) -> Iterator[StartWorker]:
    """Celery workers (solo pool) on the test database, sending e-mails as files into `mail_dir`
    through a mail server that waits LANZAROTE_TEST_MAIL_DELAY_SECONDS before accepting."""
    workers: list[subprocess.Popen[bytes]] = []

    def start(**env: str) -> subprocess.Popen[bytes]:
        name = f"mail-{uuid.uuid4().hex[:8]}@localhost"
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-n", name,
             "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.local",
                "DATABASE_URL": _database_url(),
                "REDIS_URL": redis_url,
                "EMAIL_BACKEND": "tests.faults.mail.SlowFileBackend",
                "EMAIL_FILE_PATH": str(mail_dir),
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
    app.conf.task_always_eager = False  # the test process sends to Redis, as the web does
    app.control.purge()
    try:
        yield start
    finally:
        app.conf.task_always_eager = eager
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)


def _wait_for(email_id: int, status: str, *, seconds: float) -> OutgoingEmail:
    deadline = time.monotonic() + seconds
    while True:
        email = OutgoingEmail.objects.get(pk=email_id)
        if email.status == status:
            return email
        assert email.status != EmailStatus.FAILED, email.error
        assert time.monotonic() < deadline, f"still {email.status} after {seconds} s"
        time.sleep(0.05)


def _killed_mid_send(start_worker: StartWorker, mail_dir: Path) -> OutgoingEmail:
    """A proposal (committed: its e-mail's task goes to Redis after commit), its e-mail's worker
    killed while the mail server has it and has not accepted it."""
    office = make_office("Mail", "antwerpen")
    staff = make_user("staff", Role.OFFICE, office)
    lawyer = make_lawyer(staff, office, "Anna")
    case = make_case(staff, office)
    first = start_worker(LANZAROTE_TEST_MAIL_DELAY_SECONDS="60")
    designation = designation_propose(
        actor=staff, case=case, lawyer=lawyer, reason="Chosen by the office"
    )
    email = OutgoingEmail.objects.get(key=f"designation.proposed:{designation.pk}")

    _wait_for(email.pk, EmailStatus.SENDING, seconds=60)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)

    email.refresh_from_db()
    assert (email.status, email.attempts, email.sent_at) == (EmailStatus.SENDING, 1, None)
    assert delivered(mail_dir) == []
    return email


def _delivered_once(email: OutgoingEmail, mail_dir: Path) -> None:
    email = _wait_for(email.pk, EmailStatus.SENT, seconds=60)
    assert email.attempts == 2
    (message,) = delivered(mail_dir)
    assert (message["To"], message["Message-ID"]) == ("anna@example.be", message_id(email))
    assert message["Subject"] == email.subject
    # Any later message for it (a duplicate, a sweep) sends nothing more.
    assert email_send(email_id=email.pk) == EmailStatus.SENT
    assert len(delivered(mail_dir)) == 1


def test_a_worker_killed_mid_send_delivers_nothing_and_the_message_brings_it_back_once(
    postgres: None, start_worker: StartWorker, mail_dir: Path
) -> None:
    email = _killed_mid_send(start_worker, mail_dir)

    # Redis hands the unacknowledged message to the new worker once its visibility timeout has
    # passed (checked when the worker starts); the send counts as abandoned after 1 s.
    time.sleep(1.5)
    start_worker(CELERY_VISIBILITY_TIMEOUT_SECONDS="1", EMAIL_SEND_STALE_SECONDS="1")

    _delivered_once(email, mail_dir)


def test_a_worker_killed_mid_send_is_rescued_once_by_the_periodic_task(
    postgres: None, start_worker: StartWorker, mail_dir: Path, settings: Settings
) -> None:
    email = _killed_mid_send(start_worker, mail_dir)
    start_worker(EMAIL_SEND_STALE_SECONDS="1")  # the visibility timeout stays one hour
    settings.EMAIL_SEND_STALE_SECONDS = 1
    time.sleep(1.5)

    assert requeue_stuck_emails.apply().get() == 1  # beat's task, sending to the broker

    _delivered_once(email, mail_dir)
