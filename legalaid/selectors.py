"""Reads, always scoped to the actor. A selector never returns what the actor may not see; a
`*_get_for_user` raises NotFound for an object outside the scope, exactly as for a missing one."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from django.db.models import Count, F, FilteredRelation, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

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
    EvidenceItem,
    GuardianAccess,
    GuardianNoticeText,
    Lawyer,
    LegalAidOffice,
    NonPunishmentDecision,
    NonPunishmentRecord,
    NoteKind,
    OffenceCategory,
    Party,
    Role,
    User,
    Victim,
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


# What a list of cases shows of each (legalaid.api.serializers.CaseListSerializer).
CASE_SUMMARY_FIELDS = ("id", "reference", "victim__pseudonym", "district", "language", "status",
                       "intake_on", "is_repeat_victimisation", "adult_at_intake")  # fmt: skip


def case_summaries_for_user(user: User) -> QuerySet[Case]:
    """`case_list_for_user`, reading only what a list shows: the case's own columns listed above
    and its victim's pseudonym. A page is sorted among all of an office's cases (17,000 at
    100,000 cases); with narrow rows and no other table joined before the sort, that sort is
    2-3 times faster (benchmarks/api_load.py)."""
    return (
        case_list_for_user(user)
        .select_related(None)
        .select_related("victim")
        .only(*CASE_SUMMARY_FIELDS)
    )


def case_get_for_user(user: User, pk: int | str) -> Case:
    """One case in the user's scope, with its victim's earlier record (a repeat victim's file
    names it) read in the same query."""
    return _case_in_scope(case_list_for_user(user).select_related("victim__earlier_record"), pk)


def case_file_get_for_user(user: User, pk: int | str) -> tuple[Case, Designation | None]:
    """`case_get_for_user` reading what the API's case file shows (CaseDetailSerializer): the
    case and its victim, the district, language and office by id only, of the earlier record
    its pseudonym, not its identity (which would be decrypted for nothing); and its active
    designation with the lawyer (None when there is none; a case has at most one), joined in
    the same query, without the engine's explanation."""
    earlier_identity = [f"victim__earlier_record__{name}" for name in Victim.IDENTITY_FIELDS]
    # The stubs know no FilteredRelation's name in select_related() and defer().
    cases = (
        case_list_for_user(user)  # type: ignore[misc]
        .annotate(
            current_designation=FilteredRelation(
                "designations",
                condition=Q(designations__status__in=ACTIVE_DESIGNATION_STATUSES),
            )
        )
        .select_related(None)
        .select_related("victim__earlier_record", "current_designation__lawyer")
        .defer(*earlier_identity, "current_designation__explanation")
    )
    case = _case_in_scope(cases, pk)
    # Django sets the joined designation only when there is one.
    return case, getattr(case, "current_designation", None)


def _case_in_scope(cases: QuerySet[Case], pk: int | str) -> Case:
    """The case `pk` among `cases`; not among them (or not a number) answers 404."""
    try:
        return cases.get(pk=pk)
    except (Case.DoesNotExist, ValueError):
        raise NotFound(_("No such case.")) from None


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
        raise NotFound(_("No such case."))
    return case


def note_list_for_user(user: User, case: Case) -> QuerySet[CaseNote]:
    """Office notes for whoever manages the case; privileged notes for their author alone."""
    return case.notes.filter(Q(kind=NoteKind.OFFICE) | Q(kind=NoteKind.PRIVILEGED, author=user))


def party_list_for_case(case: Case) -> QuerySet[Party]:
    return case.parties.select_related("defendant", "represented_by").prefetch_related(
        "defendant__aliases"
    )


def case_file_for_office(user: User, pk: int | str) -> dict[str, Any]:
    """Everything the office's case page shows, for office staff of the case's office and
    administrators (404 otherwise): the case, its designations with their history (newest
    first), the open escalation, parties, guardian accesses, office notes and the case's audit
    trail (newest first). A fixed number of queries."""
    if user.role not in (Role.OFFICE, Role.ADMIN):
        raise NotFound(_("No such case."))
    case = case_get_for_user(user, pk)
    return {
        "case": case,
        "designations": list(
            case.designations.select_related("lawyer").prefetch_related("events__actor")
        ),
        "escalation": case.escalations.filter(resolved_at__isnull=True).first(),
        "parties": list(party_list_for_case(case)),
        "accesses": list(guardian_access_list_for_case(case)),
        "notes": list(note_list_for_user(user, case).select_related("author")),
        "audit": list(audit_list_for_user(user).filter(case_id=case.pk)[:200]),
    }


# --- Panel ----------------------------------------------------------------------------------


def lawyer_list_for_user(user: User) -> QuerySet[Lawyer]:
    lawyers = Lawyer.objects.select_related("bar").prefetch_related(
        "languages", "districts", "matters", "leaves"
    )
    if user.role == Role.ADMIN:
        return lawyers
    if user.role == Role.OFFICE:
        return lawyers.filter(bar__office__id=user.office_id or 0)
    if user.role == Role.LAWYER:
        return lawyers.filter(user=user)
    return lawyers.none()


def lawyer_panel_for_user(
    user: User,
    *,
    district: District | None = None,
    language: Any = None,
    matter: Any = None,
    load: str = "",
) -> QuerySet[Lawyer]:
    """The panel as the office browses it: the lawyers in the user's scope, narrowed by the
    district they serve, a language they speak, a matter they are listed for, and whether they
    have room for another designation ("room") or not ("full"). Related rows prefetched: the
    queries do not grow with the list."""
    lawyers = lawyer_list_for_user(user)
    if district is not None:
        lawyers = lawyers.filter(districts=district)
    if language is not None:
        lawyers = lawyers.filter(languages=language)
    if matter is not None:
        lawyers = lawyers.filter(matters=matter)
    if load == "room":
        lawyers = lawyers.filter(open_designations__lt=F("capacity"))
    elif load == "full":
        lawyers = lawyers.filter(open_designations__gte=F("capacity"))
    if district is not None or language is not None or matter is not None:
        lawyers = lawyers.distinct()  # each filter on a set joins it: a lawyer once
    return lawyers.order_by("family_name", "given_name", "pk")


def lawyer_suggestions() -> list[tuple[str, str, str]]:
    """(family name, given name, bar) of every active lawyer, for the office's name suggestions
    when it designates a lawyer itself (any bar: a cross-district override may need one)."""
    return list(
        Lawyer.objects.filter(active=True)
        .order_by("family_name", "given_name", "pk")
        .values_list("family_name", "given_name", "bar__name")
    )


def lawyer_for_designation(user: User, pk: int | str, *, cross_district: bool) -> Lawyer | None:
    """The lawyer office staff may propose: one of their bar's panel, or, for a cross-district
    override, an active lawyer of any bar. None if there is no such lawyer."""
    lawyers = Lawyer.objects.filter(active=True) if cross_district else lawyer_list_for_user(user)
    try:
        return lawyers.filter(pk=pk).first()
    except ValueError:
        return None


def lawyer_get_for_user(user: User, pk: int | str) -> Lawyer:
    try:
        return lawyer_list_for_user(user).get(pk=pk)
    except (Lawyer.DoesNotExist, ValueError):
        raise NotFound(_("No such lawyer.")) from None


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


def office_queues(user: User, *, now: dt.datetime, refused_days: int = 30) -> dict[str, Any]:
    """The office's work on its home page, each list in the order to act on it: proposals
    awaiting the lawyer's acceptance (nearest deadline first), open escalations (oldest first),
    and proposals declined or let expire in the last `refused_days` days (newest first)."""
    designations = (
        designation_list_for_user(user).select_related("case__district").defer("explanation")
    )
    return {
        "awaiting_acceptance": list(
            designations.filter(status=DesignationStatus.PROPOSED).order_by("respond_by", "pk")
        ),
        "escalations": list(
            escalation_list_for_user(user)
            .filter(resolved_at__isnull=True)
            .select_related("case__district")
            .order_by("opened_at", "pk")
        ),
        "refused": list(
            designations.filter(
                status__in=[DesignationStatus.DECLINED, DesignationStatus.EXPIRED],
                decided_at__gte=now - dt.timedelta(days=refused_days),
            ).order_by("-decided_at", "-pk")
        ),
    }


def designation_get_for_user(user: User, pk: int | str) -> Designation:
    try:
        return designation_list_for_user(user).get(pk=pk)
    except (Designation.DoesNotExist, ValueError):
        raise NotFound(_("No such designation.")) from None


def guardian_access_list_for_case(case: Case) -> QuerySet[GuardianAccess]:
    return case.guardian_accesses.select_related("guardian")


def guardian_access_get_managed_by(user: User, pk: int | str) -> GuardianAccess:
    try:
        access = GuardianAccess.objects.select_related("case").get(pk=pk)
    except (GuardianAccess.DoesNotExist, ValueError):
        raise NotFound(_("No such guardian access.")) from None
    if not (
        case_list_for_user(user).filter(pk=access.case_id).exists()
        and user_manages_case(user, access.case)
    ):
        raise NotFound(_("No such guardian access."))
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
        raise NotFound(_("No such escalation.")) from None


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
    """Per active lawyer of the office's bar: open load and designations proposed in the period
    (local days `since` to `until`, both included); then the spread of those counts. Three
    queries, each by index (the lawyers; their designations of the period; their open ones),
    whatever the length of the bar's history."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(since, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    lawyers = list(
        Lawyer.objects.filter(bar_id=office.bar_id, active=True)
        .order_by("family_name", "given_name", "pk")
        .only("pk", "given_name", "family_name", "capacity")
    )
    of_bar = Designation.objects.filter(lawyer__bar_id=office.bar_id, lawyer__active=True)
    in_period: dict[int, dict[str, int]] = {
        row["lawyer_id"]: {"designated": row["designated"], "accepted": row["accepted"]}
        for row in of_bar.filter(proposed_at__gte=start, proposed_at__lt=end)
        .values("lawyer_id")
        .annotate(
            designated=Count("pk"),
            accepted=Count(
                "pk",
                filter=Q(decided_at__isnull=False, status__in=["accepted", "ended"]),
            ),
        )
        .order_by()
    }
    open_now = dict(
        of_bar.filter(status__in=ACTIVE_DESIGNATION_STATUSES)
        .values("lawyer_id")
        .annotate(n=Count("pk"))
        .values_list("lawyer_id", "n")
        .order_by()
    )
    rows: list[dict[str, Any]] = []
    for lawyer in lawyers:
        counted = in_period.get(lawyer.pk, {})
        load = open_now.get(lawyer.pk, 0)
        rows.append(
            {
                "lawyer": lawyer.pk,
                "name": str(lawyer),
                "capacity": lawyer.capacity,
                "open_load": load,
                "load_ratio": round(load / lawyer.capacity, 4) if lawyer.capacity else None,
                "designated_in_period": counted.get("designated", 0),
                "accepted_in_period": counted.get("accepted", 0),
            }
        )
    counts: list[int] = [row["designated_in_period"] for row in rows]
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


# --- Non-punishment records ---------------------------------------------------------------------


def _cases_kept_by_lawyer(user: User) -> QuerySet[Designation, Any]:
    """The cases whose accepted designation is this lawyer's (the right to work on them)."""
    return Designation.objects.filter(lawyer__user=user, status=DesignationStatus.ACCEPTED).values(
        "case_id"
    )


def nonpunishment_record_list_for_user(user: User) -> QuerySet[NonPunishmentRecord]:
    """Office staff: the records of their office's cases; administrators: all; a lawyer: those of
    the cases they accepted. Guardians: none (they may read a neutral line only,
    `guardian_notice_for_case`). What each may read *of* a record is the serializer's business:
    the privileged content only ever goes to the designated lawyer."""
    records = NonPunishmentRecord.objects.select_related("case", "category")
    if user.role == Role.ADMIN:
        return records
    if user.role == Role.OFFICE:
        return records.filter(case__office_id=user.office_id)
    if user.role == Role.LAWYER:
        return records.filter(case_id__in=_cases_kept_by_lawyer(user))
    return records.none()


def nonpunishment_record_get_for_user(user: User, pk: int | str) -> NonPunishmentRecord:
    try:
        return nonpunishment_record_list_for_user(user).get(pk=pk)
    except (NonPunishmentRecord.DoesNotExist, ValueError):
        raise NotFound(_("No such non-punishment record.")) from None


def user_keeps_nonpunishment_record(user: User, record: NonPunishmentRecord) -> bool:
    """The designated lawyer (accepted) reads and writes the whole record; nobody else."""
    return user_is_designated_lawyer(user, record.case)


def nonpunishment_record_get_for_lawyer(user: User, pk: int | str) -> NonPunishmentRecord:
    """The whole record, for its designated lawyer; anyone else: 404, as for a missing one."""
    if user.role != Role.LAWYER:
        raise NotFound(_("No such non-punishment record."))
    try:
        return (
            NonPunishmentRecord.objects.filter(case_id__in=_cases_kept_by_lawyer(user))
            .select_related("case", "case__victim", "category")
            .prefetch_related("links__indicator", "links__evidence", "requests__legal_bases")
            .get(pk=pk)
        )
    except (NonPunishmentRecord.DoesNotExist, ValueError):
        raise NotFound(_("No such non-punishment record.")) from None


def evidence_list_for_lawyer(user: User) -> QuerySet[EvidenceItem]:
    """The evidence of the cases the lawyer accepted: the lawyer's working material, nobody
    else's."""
    if user.role != Role.LAWYER:
        return EvidenceItem.objects.none()
    return EvidenceItem.objects.filter(case_id__in=_cases_kept_by_lawyer(user)).select_related(
        "case"
    )


def guardian_notice_for_case(user: User, case: Case) -> GuardianNoticeText | None:
    """The neutral line a guardian reads when the lawyer shared a record of the case: in the
    guardian's language if it is nl, fr or de, else in the language of the proceedings. None
    when nothing is shared (or when the user is not the case's guardian)."""
    if user.role != Role.GUARDIAN or not hasattr(user, "guardian"):
        return None
    if not case.nonpunishment_records.filter(shared_with_guardian=True).exists():
        return None
    texts = GuardianNoticeText.objects.valid_on(today()).filter(
        code=GuardianNoticeText.DEFENCE_IN_PREPARATION
    )
    for language in (user.guardian.preferred_language_id, case.language_id):
        text = texts.filter(language_id=language).order_by("-valid_from").first()
        if text is not None:
            return text
    return None


def nonpunishment_statistics(
    *,
    office: LegalAidOffice,
    since: dt.date | None = None,
    until: dt.date | None = None,
    smallest_group: int = 5,
) -> dict[str, Any]:
    """How many records of the office's cases fall in each category and outcome (codes only, no
    free text), for the records created in the period. A count between 1 and
    `smallest_group - 1` is withheld (None): statistics never show a group smaller than 5
    (DOMAIN.md §10); so is the total when it is that small."""
    records = NonPunishmentRecord.objects.filter(case__office=office)
    if since is not None:
        records = records.filter(created_at__date__gte=since)
    if until is not None:
        records = records.filter(created_at__date__lte=until)
    counted = {
        (row["category_id"], row["decision"]): row["n"]
        for row in records.values("category_id", "decision").annotate(n=Count("id"))
    }

    def shown(number: int) -> int | None:
        return None if 0 < number < smallest_group else number

    total = sum(counted.values())
    return {
        "office": office.pk,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "smallest_group": smallest_group,
        "total": shown(total),
        "counts": [
            {
                "category": category,
                "decision": decision,
                "count": shown(counted.get((category, decision), 0)),
            }
            for category in OffenceCategory.objects.values_list("code", flat=True)
            for decision in NonPunishmentDecision.values
        ],
    }


def designation_figures(*, now: dt.datetime) -> dict[str, Any]:
    """For /metrics (operators, not a user): designations made by method, escalations opened,
    and the cases whose proposal is past its acceptance deadline yet still proposed (beat's
    expiry should have moved them on within a minute). Counts only; the last one is read
    through the (status, respond_by) index."""
    made = dict(
        Designation.objects.order_by()
        .values_list("method")
        .annotate(n=Count("id"))
        .values_list("method", "n")
    )
    return {
        "made_by_method": made,
        "escalated": Escalation.objects.count(),
        "past_deadline": Designation.objects.filter(
            status=DesignationStatus.PROPOSED, respond_by__lt=now
        ).count(),
    }
