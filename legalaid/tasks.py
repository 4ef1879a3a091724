"""Celery tasks of the legal-aid domain: thin, id-only, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from .services.audit_chain import audit_chain_seal
from .services.designations import designation_expire_overdue


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def expire_overdue_designations() -> int:
    """Periodic (celery beat, every minute): expire proposals past their deadline and propose the
    next candidate. Runs twice at once harmlessly: each expiry is a conditional update."""
    return designation_expire_overdue()


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def seal_audit_chain() -> int:
    """Periodic (celery beat): seal the audit rows committed unsealed, through a connection
    without our database engines (`legalaid.db`), which seal every transaction's rows as it
    commits; so this usually finds nothing. Two at once are harmless (the seal runs under the
    chain's lock)."""
    return audit_chain_seal()
