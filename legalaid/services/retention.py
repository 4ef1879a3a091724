"""The retention policy: RETENTION_YEARS_AFTER_CLOSURE years after the last case of a person
closed, their identity and the narratives of their cases are anonymised; the figures stay (the
cases, their district, stages and dates, the designations, claims, amounts and payments), so the
statistics and the accounts still add up.

A person is all the records of one victim (a repeat victim's later records point to the first):
none of them is anonymised while any of their cases is open or closed more recently. What is
kept of the victim: the pseudonym, the year of birth (1 January of it; ages by year still
count), the nationality and the language. The other apps anonymise their part through
RETENTION_EXTENSIONS (damage heads; issued documents, whose files are deleted). Each case is
anonymised in its own transaction and audited (`case.anonymise`, with what changed by kind)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.module_loading import import_string

from ..audit import audit_record
from ..models import (
    Case,
    CaseNote,
    CaseStatus,
    Defendant,
    DefendantAlias,
    EvidenceItem,
    ExploitationLink,
    Guardian,
    GuardianAccess,
    NonPunishmentRecord,
    Party,
    User,
    Victim,
)

# What stands in for a required narrative once anonymised (the constraints want text there).
ANONYMISED = "—"


def retention_cutoff(today: dt.date) -> dt.date:
    """Cases closed on or before this day are past retention."""
    years = settings.RETENTION_YEARS_AFTER_CLOSURE
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _person(victim: Victim) -> list[int]:
    first = victim.first_record_id
    return list(
        Victim.objects.filter(Q(pk=first) | Q(earlier_record_id=first)).values_list("pk", flat=True)
    )


def retention_due(*, today: dt.date) -> list[Case]:
    """The cases to anonymise: closed on or before the cut-off, not anonymised yet, and every
    other case of the same person closed on or before it too."""
    cutoff = retention_cutoff(today)
    candidates = (
        Case.objects.filter(
            status=CaseStatus.CLOSED, closed_on__lte=cutoff, anonymised_on__isnull=True
        )
        .select_related("victim")
        .order_by("closed_on", "pk")
    )
    due = []
    for case in candidates:
        person = _person(case.victim)
        still_kept = Case.objects.filter(victim_id__in=person).exclude(
            status=CaseStatus.CLOSED, closed_on__lte=cutoff
        )
        if not still_kept.exists():
            due.append(case)
    return due


def _extensions() -> list[Callable[..., dict[str, int]]]:
    return [import_string(path) for path in settings.RETENTION_EXTENSIONS]


@transaction.atomic
def case_anonymise(*, actor: User | None, case: Case, today: dt.date) -> dict[str, int]:
    """Anonymise one case past retention (and its person's identity); returns what changed."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.anonymised_on is not None:
        return {}
    victim = case.victim
    changed = {
        "victims": Victim.objects.filter(pk=victim.pk).update(
            given_names="", family_name="", national_number=None, national_number_index=None,
            person_index="", date_of_birth=dt.date(victim.date_of_birth.year, 1, 1),
        ),
        "notes": CaseNote.objects.filter(case=case).update(body=ANONYMISED),
        "evidence": EvidenceItem.objects.filter(case=case).update(description=ANONYMISED),
        "non_punishment_records": NonPunishmentRecord.objects.filter(case=case).update(
            description=ANONYMISED
        ),
        "exploitation_notes": ExploitationLink.objects.filter(record__case=case).update(note=""),
        "revocation_reasons": GuardianAccess.objects.filter(case=case).update(revoke_reason=""),
    }  # fmt: skip
    NonPunishmentRecord.objects.filter(case=case).exclude(assessment_reasoning="").update(
        assessment_reasoning=ANONYMISED
    )
    # Guardians and defendants known in no case still kept.
    kept = Q(anonymised_on__isnull=True) & ~Q(pk=case.pk)
    guardians = Guardian.objects.filter(accesses__case=case).exclude(
        accesses__case__in=Case.objects.filter(kept)
    )
    changed["guardians"] = guardians.update(full_name="", email="", phone="")
    defendant_ids = list(
        Party.objects.filter(case=case)
        .exclude(defendant__parties__case__in=Case.objects.filter(kept))
        .values_list("defendant_id", flat=True)
    )
    changed["defendants"] = len(defendant_ids)
    Defendant.objects.filter(pk__in=defendant_ids).update(full_name="", name_index="")
    changed["aliases"] = DefendantAlias.objects.filter(defendant_id__in=defendant_ids).delete()[0]
    for extension in _extensions():
        changed |= extension(case=case)
    Case.objects.filter(pk=case.pk).update(anonymised_on=today)
    audit_record(
        actor=actor,
        action="case.anonymise",
        target=case,
        case_id=case.pk,
        office_id=case.office_id,
        changes={kind: [None, count] for kind, count in sorted(changed.items()) if count},
    )
    return changed
