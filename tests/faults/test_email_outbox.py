"""The e-mail outbox under faults, in one process (the worker killed mid-send, over Redis, is
tests/faults/test_email_worker_killed.py): a send claimed twice sends once; a send abandoned by a
dead worker is taken again only once stale; the mail server's temporary refusals are retried,
its permanent ones end the e-mail; an e-mail written while Redis refuses is kept and sent by
beat's sweep once Redis is back."""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from pytest_django.fixtures import Settings

from legalaid.models import Role
from legalaid.services.designations import designation_propose
from mailer.models import EmailStatus, OutgoingEmail
from mailer.services import MAX_ATTEMPTS, TransientEmailError, email_queue, email_send
from mailer.tasks import requeue_stuck_emails
from tests.cast import make_case, make_lawyer, make_office, make_user
from tests.faults.mail import ScriptedBackend
from tests.faults.redis_down import redis_down

pytestmark = pytest.mark.django_db
Capture = Callable[..., Any]


@pytest.fixture
def scripted(settings: Settings) -> Iterator[list[BaseException | None]]:
    settings.EMAIL_BACKEND = "tests.faults.mail.ScriptedBackend"
    ScriptedBackend.answers = []
    yield ScriptedBackend.answers
    ScriptedBackend.answers = []


def queued() -> OutgoingEmail:
    return email_queue(key="test:1", to="anna@example.be", subject="Subject", body="Body")


def row(email: OutgoingEmail) -> tuple[str, int, bool]:
    email.refresh_from_db()
    return email.status, email.attempts, email.sent_at is not None


def test_a_send_asked_for_twice_sends_once(scripted: list[BaseException | None]) -> None:
    email = queued()

    first = email_send(email_id=email.pk)
    second = email_send(email_id=email.pk)

    assert (first, second) == (EmailStatus.SENT, EmailStatus.SENT)
    assert len(mail.outbox) == 1
    assert row(email) == (EmailStatus.SENT, 1, True)


def test_a_send_abandoned_by_a_dead_worker_is_taken_again_only_once_stale(
    scripted: list[BaseException | None], settings: Settings
) -> None:
    """A worker claimed the e-mail and died before the mail server accepted it."""
    email = queued()
    claimed_at = timezone.now()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, claimed_at=claimed_at, attempts=1
    )

    while_alive = email_send(email_id=email.pk)  # a second message for a live send
    OutgoingEmail.objects.filter(pk=email.pk).update(
        claimed_at=claimed_at - dt.timedelta(seconds=settings.EMAIL_SEND_STALE_SECONDS + 1)
    )
    once_stale = email_send(email_id=email.pk)

    assert (while_alive, once_stale) == (EmailStatus.SENDING, EmailStatus.SENT)
    assert len(mail.outbox) == 1
    assert row(email) == (EmailStatus.SENT, 2, True)


def test_a_temporary_refusal_is_retried_and_a_permanent_one_ends_the_e_mail(
    scripted: list[BaseException | None],
) -> None:
    retried, refused = queued(), email_queue(key="test:2", to="b@example.be", subject="S", body="B")
    scripted.extend(
        [
            smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
            None,
            smtplib.SMTPRecipientsRefused({"b@example.be": (550, b"No such user")}),
        ]
    )

    with pytest.raises(TransientEmailError):
        email_send(email_id=retried.pk)
    after_failure = row(retried)
    email_send(email_id=retried.pk)
    permanently = email_send(email_id=refused.pk)

    assert after_failure == (EmailStatus.PENDING, 1, False)  # released for the retry
    assert row(retried) == (EmailStatus.SENT, 2, True)
    assert [m.to for m in mail.outbox] == [["anna@example.be"]]
    assert permanently == EmailStatus.FAILED
    refused.refresh_from_db()
    assert (refused.status, refused.error) == (EmailStatus.FAILED, "Refused (550).")


def test_an_e_mail_that_keeps_failing_ends_after_the_last_attempt(
    scripted: list[BaseException | None],
) -> None:
    email = queued()
    OutgoingEmail.objects.filter(pk=email.pk).update(attempts=MAX_ATTEMPTS)

    assert email_send(email_id=email.pk) == EmailStatus.FAILED
    email.refresh_from_db()
    assert (email.status, email.error) == (
        EmailStatus.FAILED,
        f"Not sent in {MAX_ATTEMPTS} attempts.",
    )
    assert mail.outbox == []


def test_a_proposal_made_while_redis_refuses_is_e_mailed_by_the_sweep_once_it_is_back(
    django_capture_on_commit_callbacks: Capture, settings: Settings
) -> None:
    office = make_office("Mail", "antwerpen")
    staff = make_user("staff", Role.OFFICE, office)
    lawyer = make_lawyer(staff, office, "Anna")
    case = make_case(staff, office)

    with redis_down(), django_capture_on_commit_callbacks(execute=True) as sent:
        designation = designation_propose(
            actor=staff, case=case, lawyer=lawyer, reason="Chosen by the office"
        )

    assert len(sent) == 1  # the send was tried after commit, refused, and logged
    email = OutgoingEmail.objects.get()
    assert (email.key, email.status, email.attempts) == (
        f"designation.proposed:{designation.pk}",
        EmailStatus.PENDING,
        0,
    )
    assert mail.outbox == []

    # Redis is back: beat's sweep finds the e-mail once it counts as lost (0 s here) and sends it.
    settings.EMAIL_SEND_STALE_SECONDS = 0
    assert requeue_stuck_emails.apply().get() == 1
    assert requeue_stuck_emails.apply().get() == 0  # sent: nothing more to do

    assert row(email) == (EmailStatus.SENT, 1, True)
    assert [m.to for m in mail.outbox] == [["anna@example.be"]]
