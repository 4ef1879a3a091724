"""Designations of a lawyer to a case, and their status history.

Office staff propose a lawyer by hand here; the automatic engine (its own module) will propose
through the same `designation_propose`. The lawyer accepts or declines before `respond_by`.
Transitions are conditional updates, so a designation is never accepted twice or after a decline,
even by two requests at once."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ..audit import audit_record
from ..errors import Conflict
from ..models import (
    ACTIVE_DESIGNATION_STATUSES,
    AliasKind,
    Case,
    CaseStatus,
    Defendant,
    DefendantAlias,
    Designation,
    DesignationEvent,
    DesignationMethod,
    DesignationStatus,
    Lawyer,
    Party,
    User,
)
from ..selectors import lawyer_open_designation_count
from ._common import require

# The case statuses a designation moves the case between; later stages (in proceedings, judgment)
# keep their status when the lawyer changes.
DESIGNATION_PHASE = (
    CaseStatus.INTAKE,
    CaseStatus.AWAITING_DESIGNATION,
    CaseStatus.LAWYER_DESIGNATED,
)


def _log(
    *, actor: User | None, designation: Designation, from_status: str, to_status: str, reason: str
) -> None:
    at = timezone.now()
    DesignationEvent.objects.create(
        designation=designation,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        at=at,
        reason=reason,
    )
    audit_record(
        actor=actor,
        action=f"designation.{to_status}",
        target=designation,
        case_id=designation.case_id,
        office_id=designation.case.office_id,
        changes={"status": [from_status or None, to_status], "reason": [None, reason or None]},
    )


def _represents_a_linked_defendant(lawyer: Lawyer, case: Case) -> bool:
    """The lawyer represents, in any case, a defendant of this case: the same person, or one whose
    name, aliases or handles match theirs (the same pimp may be registered twice)."""
    defendants = Defendant.objects.filter(parties__case=case)
    aliases = DefendantAlias.objects.filter(defendant__in=defendants)
    names = {*defendants.values_list("normalised_name", flat=True)} | {
        *aliases.filter(kind=AliasKind.ALIAS).values_list("normalised_value", flat=True)
    }
    handles = {*aliases.filter(kind=AliasKind.HANDLE).values_list("normalised_value", flat=True)}
    if not names and not handles:
        return False
    return Party.objects.filter(
        Q(defendant__in=defendants)
        | Q(defendant__normalised_name__in=names)
        | Q(
            defendant__aliases__kind=AliasKind.ALIAS, defendant__aliases__normalised_value__in=names
        )
        | Q(
            defendant__aliases__kind=AliasKind.HANDLE,
            defendant__aliases__normalised_value__in=handles,
        ),
        represented_by=lawyer,
    ).exists()


def _check_lawyer_can_take(lawyer: Lawyer, case: Case, day: dt.date) -> None:
    require(lawyer.active, "lawyer", "This lawyer is not active on the panel.")
    require(
        lawyer.bar_id == case.office.bar_id, "lawyer", "This lawyer is not on this bar's panel."
    )
    require(
        lawyer.languages.filter(pk=case.language_id).exists(),
        "lawyer",
        f"This lawyer does not speak the language of the proceedings ({case.language_id}).",
    )
    require(
        lawyer.districts.filter(pk=case.district_id).exists(),
        "lawyer",
        "This lawyer does not serve the case's district.",
    )
    require(
        not lawyer.leaves.filter(starts_on__lte=day, ends_on__gte=day).exists(),
        "lawyer",
        "This lawyer is on leave today.",
    )
    require(
        not case.parties.filter(represented_by=lawyer).exists(),
        "lawyer",
        "Conflict of interest: this lawyer represents a defendant in this case.",
    )
    require(
        not _represents_a_linked_defendant(lawyer, case),
        "lawyer",
        "Conflict of interest: this lawyer represents one of this case's defendants (matched on "
        "name, alias or handle) in another case.",
    )
    require(
        lawyer_open_designation_count(lawyer) < lawyer.capacity,
        "lawyer",
        "This lawyer has reached their capacity of open designations.",
    )


@transaction.atomic
def designation_propose(
    *,
    actor: User | None,
    case: Case,
    lawyer: Lawyer,
    reason: str = "",
    method: str = DesignationMethod.MANUAL,
) -> Designation:
    """Propose `lawyer` for `case`; the lawyer row is locked so capacity holds under concurrency."""
    now = timezone.now()
    lawyer = Lawyer.objects.select_for_update().get(pk=lawyer.pk)
    require(
        case.status not in (CaseStatus.CLOSED,), "case", "A closed case cannot get a new lawyer."
    )
    _check_lawyer_can_take(lawyer, case, timezone.localdate())
    if case.designations.filter(status__in=ACTIVE_DESIGNATION_STATUSES).exists():
        raise Conflict("This case already has an active designation.")
    designation = Designation(
        case=case,
        lawyer=lawyer,
        status=DesignationStatus.PROPOSED,
        method=method,
        proposed_at=now,
        respond_by=now + dt.timedelta(hours=case.office.acceptance_deadline_hours),
        reason=reason.strip(),
    )
    try:
        with transaction.atomic():
            designation.save()
    except IntegrityError:
        raise Conflict("This case already has an active designation.") from None
    _log(actor=actor, designation=designation, from_status="", to_status="proposed", reason=reason)
    return designation


def _transition(
    *,
    actor: User | None,
    designation: Designation,
    from_statuses: tuple[str, ...],
    to_status: str,
    reason: str,
    case_status: str | None,
    extra_filter: dict[str, object] | None = None,
) -> Designation:
    now = timezone.now()
    # The status history records the status the row really had, not the caller's copy of it.
    from_status = Designation.objects.select_for_update().get(pk=designation.pk).status
    moved = Designation.objects.filter(
        pk=designation.pk, status__in=from_statuses, **(extra_filter or {})
    ).update(status=to_status, decided_at=now, reason=reason.strip())
    if not moved:
        designation.refresh_from_db()
        if designation.status in from_statuses:  # the only other filter is the deadline
            raise Conflict("The time to accept this designation has passed.")
        raise Conflict(f"This designation is {designation.status}; it cannot become {to_status}.")
    designation.refresh_from_db()
    if case_status is not None:
        Case.objects.filter(pk=designation.case_id, status__in=DESIGNATION_PHASE).update(
            status=case_status, updated_at=now
        )
    _log(
        actor=actor,
        designation=designation,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )
    return designation


@transaction.atomic
def designation_accept(*, actor: User, designation: Designation) -> Designation:
    return _transition(
        actor=actor,
        designation=designation,
        from_statuses=(DesignationStatus.PROPOSED,),
        to_status=DesignationStatus.ACCEPTED,
        reason="",
        case_status=CaseStatus.LAWYER_DESIGNATED,
        extra_filter={"respond_by__gt": timezone.now()},
    )


@transaction.atomic
def designation_decline(*, actor: User, designation: Designation, reason: str) -> Designation:
    require(bool(reason.strip()), "reason", "Declining a designation needs a reason.")
    return _transition(
        actor=actor,
        designation=designation,
        from_statuses=(DesignationStatus.PROPOSED,),
        to_status=DesignationStatus.DECLINED,
        reason=reason,
        case_status=CaseStatus.AWAITING_DESIGNATION,
    )


@transaction.atomic
def designation_withdraw(*, actor: User, designation: Designation, reason: str) -> Designation:
    require(bool(reason.strip()), "reason", "Withdrawing a designation needs a reason.")
    return _transition(
        actor=actor,
        designation=designation,
        from_statuses=ACTIVE_DESIGNATION_STATUSES,
        to_status=DesignationStatus.WITHDRAWN,
        reason=reason,
        case_status=CaseStatus.AWAITING_DESIGNATION,
    )
