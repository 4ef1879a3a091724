"""Queueing e-mails (inside the caller's transaction) and sending them (the worker's task), once.

Sending is claimed by a conditional update (pending → sending, or a send abandoned for longer
than EMAIL_SEND_STALE_SECONDS, which exceeds the task's time limit), so a message delivered twice
by the broker, a sweep that re-sends a live send, or two workers at once send nothing more. A
worker killed before the mail server accepted the e-mail leaves it claimed; it is taken again once
stale — by the same message coming back (acks_late, reject_on_worker_lost) or by beat's
`requeue_stuck_emails`. The one window left is a worker killed between the server's acceptance
and the `sent` mark, milliseconds: the e-mail is then sent again, with the same Message-ID, which
mail clients use to show it once."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 20  # sends started for one e-mail before it fails for good (~40 min of retries)


class TransientEmailError(Exception):
    """The mail server could not be reached or answered with a temporary error: try again."""


def email_queue(*, key: str, to: str, subject: str, body: str) -> OutgoingEmail:
    """Record an e-mail, in the caller's transaction, and send it after commit. The caller writes
    the text in the recipient's language, with no identity data of a victim. A second e-mail with
    the same `key` is refused by the database (the caller's transaction fails): one e-mail per
    event."""
    email = OutgoingEmail.objects.create(
        key=key, to=to, subject=subject[:200], body=body, created_at=timezone.now()
    )
    email_id = email.pk
    transaction.on_commit(lambda: _enqueue(email_id), robust=True)
    return email


def _enqueue(email_id: int) -> None:
    from .tasks import send_email

    send_email.delay(email_id)


def _takeable(now: dt.datetime) -> Q:
    stale = now - dt.timedelta(seconds=settings.EMAIL_SEND_STALE_SECONDS)
    return Q(status=EmailStatus.PENDING) | Q(status=EmailStatus.SENDING, claimed_at__lt=stale)


def _claim(email_id: int, now: dt.datetime) -> bool:
    claimed = OutgoingEmail.objects.filter(
        _takeable(now), pk=email_id, attempts__lt=MAX_ATTEMPTS
    ).update(status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        failed = OutgoingEmail.objects.filter(
            _takeable(now), pk=email_id, attempts__gte=MAX_ATTEMPTS
        ).update(status=EmailStatus.FAILED, error=f"Not sent in {MAX_ATTEMPTS} attempts.")
        if failed:
            logger.error("E-mail %s failed for good after %s attempts", email_id, MAX_ATTEMPTS)
    return claimed == 1


def message_id(email: OutgoingEmail) -> str:
    """The same for every attempt at one e-mail: a message sent twice reads as one."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<lanzarote.{email.pk}.{email.created_at:%Y%m%d%H%M%S}@{domain}>"


def email_send(*, email_id: int) -> str:
    """Send one e-mail if it is still to be sent (the task calls this). Returns its status."""
    claimed_at = timezone.now()
    if not _claim(email_id, claimed_at):
        return _status(email_id)
    email = OutgoingEmail.objects.get(pk=email_id)
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": message_id(email)},
    )
    try:
        message.send()
    except OSError as error:  # smtplib's errors are OSErrors, as are the network's
        code = _permanent_refusal(error)
        if code is not None:  # refused for good: trying again changes nothing
            _finish(email_id, claimed_at, EmailStatus.FAILED, f"Refused ({code}).")
            logger.error("E-mail %s refused by the mail server (%s)", email_id, code)
            return EmailStatus.FAILED
        _release(email_id, claimed_at)
        raise TransientEmailError(type(error).__name__) from error
    OutgoingEmail.objects.filter(
        pk=email_id, status=EmailStatus.SENDING, claimed_at=claimed_at
    ).update(status=EmailStatus.SENT, sent_at=timezone.now(), error="")
    return EmailStatus.SENT


def _permanent_refusal(error: OSError) -> int | None:
    """The mail server's 5xx code when it refused the e-mail for good; None for what may pass
    (4xx answers, the server unreachable, the connection lost)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
    elif isinstance(error, smtplib.SMTPResponseException):
        codes = [error.smtp_code]
    else:
        return None
    return codes[0] if codes and all(500 <= code < 600 for code in codes) else None


def _status(email_id: int) -> str:
    status = OutgoingEmail.objects.filter(pk=email_id).values_list("status", flat=True).first()
    return status or "missing"


def _release(email_id: int, claimed_at: dt.datetime) -> None:
    OutgoingEmail.objects.filter(
        pk=email_id, status=EmailStatus.SENDING, claimed_at=claimed_at
    ).update(status=EmailStatus.PENDING)


def _finish(email_id: int, claimed_at: dt.datetime, status: str, error: str) -> None:
    OutgoingEmail.objects.filter(
        pk=email_id, status=EmailStatus.SENDING, claimed_at=claimed_at
    ).update(status=status, error=error[:300])


def emails_stuck(*, now: dt.datetime | None = None) -> list[int]:
    """E-mails whose send was abandoned (its worker died) or never happened (the queue was down,
    the message lost, a transient error released it): pending or sending for longer than
    EMAIL_SEND_STALE_SECONDS."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.EMAIL_SEND_STALE_SECONDS)
    return list(
        OutgoingEmail.objects.filter(
            Q(status=EmailStatus.PENDING, created_at__lt=stale)
            | Q(status=EmailStatus.SENDING, claimed_at__lt=stale)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
