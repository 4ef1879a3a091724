"""Reads, always scoped to the actor. A selector never returns what the actor may not see; a
`*_get_for_user` raises NotFound for an object outside the scope, exactly as for a missing one."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .errors import NotFound
from .models import (
    ACTIVE_DESIGNATION_STATUSES,
    AuditEvent,
    Case,
    CaseNote,
    Designation,
    DesignationStatus,
    District,
    DistrictLanguage,
    Escalation,
    GuardianAccess,
    Lawyer,
    LegalAidOffice,
    NoteKind,
    Party,
    Role,
    User,
)


def today() -> dt.date:
    return timezone.localdate()


# --- Cases ----------------------------------------------------------------------------------


def case_list_for_user(user: User) -> QuerySet[Case]:
    """Office staff: every case of their office. Lawyer: cases with an active designation to them.
    Guardian: their wards' cases while access is valid. Administrator: every case."""
    cases = Case.objects.select_related("district", "language", "victim", "office")
    if user.role == Role.ADMIN:
        return cases
    if user.role == Role.OFFICE:
        return cases.filter(office_id=user.office_id)
    if user.role == Role.LAWYER:
        return cases.filter(
            designations__lawyer__user=user, designations__status__in=ACTIVE_DESIGNATION_STATUSES
        ).distinct()
    if user.role == Role.GUARDIAN:
        valid = GuardianAccess.objects.valid_on(today()).filter(guardian__user=user)
        return cases.filter(pk__in=valid.values("case_id"))
    return cases.none()


def case_get_for_user(user: User, pk: int | str) -> Case:
    try:
        return case_list_for_user(user).get(pk=pk)
    except (Case.DoesNotExist, ValueError):
        raise NotFound("No such case.") from None


def case_active_designation(case: Case) -> Designation | None:
    return (
        case.designations.filter(status__in=ACTIVE_DESIGNATION_STATUSES)
        .select_related("lawyer")
        .first()
    )


def user_is_designated_lawyer(user: User, case: Case) -> bool:
    """The case is designated to this lawyer and they accepted it (the right to work on it)."""
    return (
        user.role == Role.LAWYER
        and case.designations.filter(lawyer__user=user, status=DesignationStatus.ACCEPTED).exists()
    )


def user_manages_case(user: User, case: Case) -> bool:
    """Office staff of the case's office, an administrator, or the accepted lawyer."""
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.OFFICE:
        return user.office_id == case.office_id
    return user_is_designated_lawyer(user, case)


def case_get_managed_by(user: User, pk: int | str) -> Case:
    """A case the user may work on; visible-but-not-managed and invisible both answer 404."""
    case = case_get_for_user(user, pk)
    if not user_manages_case(user, case):
        raise NotFound("No such case.")
    return case


def note_list_for_user(user: User, case: Case) -> QuerySet[CaseNote]:
    """Office notes for whoever manages the case; privileged notes for their author alone."""
    return case.notes.filter(Q(kind=NoteKind.OFFICE) | Q(kind=NoteKind.PRIVILEGED, author=user))


def party_list_for_case(case: Case) -> QuerySet[Party]:
    return case.parties.select_related("defendant", "represented_by").prefetch_related(
        "defendant__aliases"
    )


# --- Panel ----------------------------------------------------------------------------------


def lawyer_list_for_user(user: User) -> QuerySet[Lawyer]:
    lawyers = Lawyer.objects.select_related("bar").prefetch_related(
        "languages", "districts", "matters", "leaves"
    )
    if user.role == Role.ADMIN:
        return lawyers
    if user.role == Role.OFFICE:
        return lawyers.filter(bar__office=user.office)
    if user.role == Role.LAWYER:
        return lawyers.filter(user=user)
    return lawyers.none()


def lawyer_get_for_user(user: User, pk: int | str) -> Lawyer:
    try:
        return lawyer_list_for_user(user).get(pk=pk)
    except (Lawyer.DoesNotExist, ValueError):
        raise NotFound("No such lawyer.") from None


def district_languages_on(district: District, day: dt.date) -> QuerySet[DistrictLanguage]:
    return (
        DistrictLanguage.objects.valid_on(day).filter(district=district).select_related("language")
    )


# --- Designations, guardians, audit --------------------------------------------------------


def designation_list_for_user(user: User) -> QuerySet[Designation]:
    designations = Designation.objects.select_related("case", "lawyer")
    if user.role == Role.ADMIN:
        return designations
    if user.role == Role.OFFICE:
        return designations.filter(case__office_id=user.office_id)
    if user.role == Role.LAWYER:
        return designations.filter(lawyer__user=user)
    return designations.none()


def designation_get_for_user(user: User, pk: int | str) -> Designation:
    try:
        return designation_list_for_user(user).get(pk=pk)
    except (Designation.DoesNotExist, ValueError):
        raise NotFound("No such designation.") from None


def guardian_access_list_for_case(case: Case) -> QuerySet[GuardianAccess]:
    return case.guardian_accesses.select_related("guardian")


def guardian_access_get_managed_by(user: User, pk: int | str) -> GuardianAccess:
    try:
        access = GuardianAccess.objects.select_related("case").get(pk=pk)
    except (GuardianAccess.DoesNotExist, ValueError):
        raise NotFound("No such guardian access.") from None
    if not (
        case_list_for_user(user).filter(pk=access.case_id).exists()
        and user_manages_case(user, access.case)
    ):
        raise NotFound("No such guardian access.")
    return access


def audit_list_for_user(user: User) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor")
    if user.role == Role.ADMIN:
        return events
    if user.role == Role.OFFICE:
        return events.filter(office_id=user.office_id)
    return events.none()


def escalation_list_for_user(user: User) -> QuerySet[Escalation]:
    escalations = Escalation.objects.select_related("case")
    if user.role == Role.ADMIN:
        return escalations
    if user.role == Role.OFFICE:
        return escalations.filter(case__office_id=user.office_id)
    return escalations.none()


def escalation_get_for_user(user: User, pk: int | str) -> Escalation:
    try:
        return escalation_list_for_user(user).get(pk=pk)
    except (Escalation.DoesNotExist, ValueError):
        raise NotFound("No such escalation.") from None


def gini(values: list[int]) -> float:
    """0 when every lawyer got as many designations, towards 1 when one got them all."""
    total = sum(values)
    if not values or total == 0:
        return 0.0
    ordered = sorted(values)
    n = len(ordered)
    weighted = sum((index + 1) * value for index, value in enumerate(ordered))
    return (2 * weighted) / (n * total) - (n + 1) / n


def fairness_report(*, office: LegalAidOffice, since: dt.date, until: dt.date) -> dict[str, Any]:
    """Per active lawyer of the office's bar: open load and designations proposed in the period;
    then the spread of those counts. One query."""
    in_period = Q(
        designations__proposed_at__date__gte=since, designations__proposed_at__date__lte=until
    )
    lawyers = (
        Lawyer.objects.filter(bar_id=office.bar_id, active=True)
        .annotate(
            designated=Count("designations", filter=in_period),
            accepted=Count(
                "designations",
                filter=in_period
                & Q(designations__decided_at__isnull=False)
                & Q(designations__status__in=["accepted", "ended"]),
            ),
            open_load=Count(
                "designations", filter=Q(designations__status__in=ACTIVE_DESIGNATION_STATUSES)
            ),
        )
        .order_by("family_name", "given_name", "pk")
    )
    rows = [
        {
            "lawyer": lawyer.pk,
            "name": str(lawyer),
            "capacity": lawyer.capacity,
            "open_load": lawyer.open_load,
            "load_ratio": round(lawyer.open_load / lawyer.capacity, 4) if lawyer.capacity else None,
            "designated_in_period": lawyer.designated,
            "accepted_in_period": lawyer.accepted,
        }
        for lawyer in lawyers
    ]
    counts: list[int] = [lawyer.designated for lawyer in lawyers]
    return {
        "office": office.pk,
        "since": since.isoformat(),
        "until": until.isoformat(),
        "lawyers": rows,
        "distribution": {
            "lawyers": len(counts),
            "designations": sum(counts),
            "min": min(counts, default=0),
            "median": statistics.median(counts) if counts else 0,
            "max": max(counts, default=0),
            "gini": round(gini(counts), 4),
        },
    }
