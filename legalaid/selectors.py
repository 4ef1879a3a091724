"""Reads, always scoped to the actor. A selector never returns what the actor may not see; a
`*_get_for_user` raises NotFound for an object outside the scope, exactly as for a missing one."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
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
    GuardianAccess,
    Lawyer,
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


def lawyer_open_designation_count(lawyer: Lawyer) -> int:
    return lawyer.designations.filter(status__in=ACTIVE_DESIGNATION_STATUSES).count()


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
