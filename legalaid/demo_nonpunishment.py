"""Fictional demo data for the non-punishment record: two offences in the demo lawyer's case (the
case the demo user `lawyer` accepted), written through the services like real use.

`load_demo_data` calls `load(stdout=...)` after its own data; it does nothing when the demo case
is missing or already holds records, so calling it twice is harmless. `records_add` writes the
records into any case of an accepted lawyer (the API fuzz tests' world uses it too)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.db import transaction
from django.utils import timezone

from .models import (
    Case,
    DesignationStatus,
    EvidenceKind,
    ExploitationIndicator,
    NonPunishmentDecision,
    NonPunishmentLegalBasis,
    NonPunishmentRecord,
    OffenceCategory,
    RequestAddressee,
    RequestedMeasure,
    User,
)
from .services.nonpunishment import (
    evidence_item_add,
    nonpunishment_assessment_set,
    nonpunishment_decision_record,
    nonpunishment_guardian_share,
    nonpunishment_link_add,
    nonpunishment_record_create,
    nonpunishment_request_record,
)

DEMO_LAWYER = "lawyer"


class Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


def _demo_case(lawyer: User) -> Case | None:
    return (
        Case.objects.filter(
            designations__lawyer__user=lawyer, designations__status=DesignationStatus.ACCEPTED
        )
        .select_related("victim")
        .order_by("pk")
        .first()
    )


def _bases_on(day: dt.date, *codes: str) -> list[NonPunishmentLegalBasis]:
    """The provisions among `codes` in force on `day` (the old or the new Criminal Code)."""
    return list(NonPunishmentLegalBasis.objects.valid_on(day).filter(code__in=codes))


@transaction.atomic
def load(*, stdout: Writer) -> None:
    lawyer = User.objects.filter(username=DEMO_LAWYER).first()
    case = _demo_case(lawyer) if lawyer is not None else None
    if lawyer is None or case is None:
        stdout.write("No demo lawyer's case: non-punishment demo records not loaded.\n")
        return
    if case.nonpunishment_records.exists():
        stdout.write("The demo case already holds non-punishment records.\n")
        return
    records_add(lawyer=lawyer, case=case, today=timezone.localdate())
    stdout.write(f"Non-punishment demo records added to case {case.reference}.\n")


def records_add(*, lawyer: User, case: Case, today: dt.date) -> list[NonPunishmentRecord]:
    """The demo's two records, written by `lawyer` (who accepted `case`) as of `today`: a drugs
    offence with evidence, two indicators, an assessment and a request, shared with the guardian;
    a theft with an indicator, a request and the prosecutor's dismissal."""
    hearing = evidence_item_add(
        actor=lawyer,
        case=case,
        kind=EvidenceKind.STATEMENT,
        description="Hearing of the victim: the pimp handed over the packets and the phone.",
        reference="PV AN.55.L1.012345/26-004",
        dated_on=today - dt.timedelta(days=40),
    )
    messages = evidence_item_add(
        actor=lawyer,
        case=case,
        kind=EvidenceKind.DOCUMENT,
        description="Extract of chat messages: instructions and a 'debt' to pay back.",
        reference="PV AN.55.L1.012345/26-011",
        dated_on=today - dt.timedelta(days=35),
    )

    dealing = nonpunishment_record_create(
        actor=lawyer,
        case=case,
        category=OffenceCategory.objects.get(code="drugs"),
        description="Selling cannabis near the station on the pimp's orders (fictional).",
        proceeding_reference="AN.60.L3.004567/26",
        committed_from=today - dt.timedelta(days=100),
        committed_until=today - dt.timedelta(days=70),
    )
    nonpunishment_link_add(
        actor=lawyer,
        record=dealing,
        indicator=ExploitationIndicator.objects.get(code="instructed_by_pimp"),
        note="Told where and to whom to sell; handed over all the money.",
        evidence=[hearing, messages],
    )
    nonpunishment_link_add(
        actor=lawyer,
        record=dealing,
        indicator=ExploitationIndicator.objects.get(code="debt_bondage"),
        note="An invented debt for 'rent and clothes' to be worked off.",
        evidence=[messages],
    )
    nonpunishment_assessment_set(
        actor=lawyer,
        record=dealing,
        assessment="strong",
        reasoning="Direct instructions in writing; the victim was 15 and kept nothing.",
    )
    requested_on = today - dt.timedelta(days=20)
    nonpunishment_request_record(
        actor=lawyer,
        record=dealing,
        addressee=RequestAddressee.PROSECUTOR,
        measure=RequestedMeasure.NOT_TO_PROSECUTE,
        requested_on=requested_on,
        legal_bases=_bases_on(
            requested_on,
            "be_old_cc_433quinquies_5",
            "be_new_cc_non_punishment",
            "eu_2011_36_art8",
        ),
    )
    nonpunishment_guardian_share(actor=lawyer, record=dealing)

    theft = nonpunishment_record_create(
        actor=lawyer,
        case=case,
        category=OffenceCategory.objects.get(code="theft"),
        description="Shoplifting clothes the pimp asked for (fictional).",
        proceeding_reference="AN.37.L1.009876/26",
        committed_from=today - dt.timedelta(days=90),
    )
    nonpunishment_link_add(
        actor=lawyer,
        record=theft,
        indicator=ExploitationIndicator.objects.get(code="coercion_or_threats"),
        note="Threatened with the publication of images.",
        evidence=[hearing],
    )
    asked_on = today - dt.timedelta(days=30)
    nonpunishment_request_record(
        actor=lawyer,
        record=theft,
        addressee=RequestAddressee.PROSECUTOR,
        measure=RequestedMeasure.DISMISSAL,
        requested_on=asked_on,
        legal_bases=_bases_on(asked_on, "be_old_cc_433quinquies_5", "be_new_cc_non_punishment"),
    )
    nonpunishment_decision_record(
        actor=lawyer,
        record=theft,
        decision=NonPunishmentDecision.DISMISSED,
        decided_on=today - dt.timedelta(days=10),
    )
    return [dealing, theft]
