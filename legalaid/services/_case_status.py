"""Moving a case's status, for the services that record the events behind it (designations here,
claims and judgments through `cases.case_status_advance`). One rule for all: the case's row is
locked, the status moves only from the statuses the caller allows, and a move writes one audit
row, `case.status_change`, in the caller's transaction. The row's target is the case, so the
case's status history is its audit rows with `status` in their changes (`case.create`,
`case.status_change`, `case.close`), whatever moved it; `event` names the audit action of the
event that did (`designation.accepted`, `judgment.create`…), written just before it."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from ..audit import audit_record
from ..models import CASE_STAGES, Case, CaseStatus, User

# The statuses the designation services move a case between (`designations._transition`).
DESIGNATION_PHASE = (
    CaseStatus.INTAKE,
    CaseStatus.AWAITING_DESIGNATION,
    CaseStatus.LAWYER_DESIGNATED,
)


def stages_before(status: str) -> tuple[CaseStatus, ...]:
    """The statuses a case passes through before `status` (closed comes after every one)."""
    return CASE_STAGES[: CASE_STAGES.index(CaseStatus(status))]


def case_locked(case_id: int) -> Case:
    """The case, re-read under a row lock held until the caller's transaction ends. Lock order
    across the services: a claim, then its case, then a designation, then a lawyer."""
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError("A case's status moves inside its event's transaction.")
    return Case.objects.select_for_update(of=("self",)).get(pk=case_id)


def case_status_move(
    *,
    actor: User | None,
    case_id: int,
    to: str,
    allowed_from: Iterable[str],
    event: str,
) -> Case | None:
    """Move the case to `to` if its status is one of `allowed_from`, and audit the move; the case
    as it now is, or None when it stays where it is (already there, further on, or closed)."""
    case = case_locked(case_id)
    before = case.status
    if before == to or before not in set(allowed_from):
        return None
    case.status = to
    case.updated_at = timezone.now()
    case.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="case.status_change",
        target=case,
        case_id=case.pk,
        office_id=case.office_id,
        changes={"status": [before, to], "event": [None, event]},
    )
    return case
