"""Celery tasks of the legal-aid domain: thin, id-only, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from .services.designations import designation_expire_overdue


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def expire_overdue_designations() -> int:
    """Periodic (celery beat, every minute): expire proposals past their deadline and propose the
    next candidate. Runs twice at once harmlessly: each expiry is a conditional update."""
    return designation_expire_overdue()
