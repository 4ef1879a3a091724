"""Celery tasks of the e-mail outbox: thin, id-only, safe to run twice (see services.email_send).

`acks_late` with `reject_on_worker_lost`: a worker killed in the middle of a send does not ack
its message; it comes back (at once when a pool child dies, after Redis's visibility timeout when
the whole worker does), and beat's `requeue_stuck_emails` sends again every e-mail left pending or
abandoned for longer than EMAIL_SEND_STALE_SECONDS, whichever comes first. The claim in the
service makes every extra message harmless."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from .services import TransientEmailError, email_send, emails_stuck


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(TransientEmailError, OperationalError),
    max_retries=3,
    retry_backoff=10,
    retry_backoff_max=60,
    retry_jitter=True,
    time_limit=60,
    soft_time_limit=50,
)
def send_email(email_id: int) -> str:
    return email_send(email_id=email_id)


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50)
def requeue_stuck_emails() -> int:
    """Periodic (celery beat): send again every e-mail left pending or abandoned. Harmless when
    its send is in fact alive or already queued: the claim refuses it."""
    stuck = emails_stuck()
    for email_id in stuck:
        send_email.delay(email_id)
    return len(stuck)
