"""Fictional claim data for a demo case, built through the claims services, so that every kind
of document has something to show: used by `render_samples`, the tests and the benchmark.

On the case (which must have an accepted lawyer and at least two parties): a civil-party
constitution at the hearing against every party, `damage_rows` heads of damage (flat rates of the
Indicative Table and amounts on evidence, alternating), a final judgment awarding the moral
damage jointly and the material damage to the first party, with compensatory interest at the
legal rates, costs, a payment by the last party, and an application for main state aid; and a
non-punishment record (an offence the victim was made to commit) with its request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from claims.models import (
    AwardKind,
    CivilClaim,
    ClaimStage,
    DamageKind,
    IndicativeTableItem,
    InterestKind,
    PayerKind,
    PaymentDestination,
    StateAidApplication,
    StateAidKind,
)
from claims.services.claims import claim_constitute, damage_head_add
from claims.services.judgments import award_record, judgment_record
from claims.services.payments import payment_record
from claims.services.recovery import state_aid_apply
from legalaid.models import (
    Case,
    EvidenceKind,
    ExploitationIndicator,
    NonPunishmentLegalBasis,
    NonPunishmentRecord,
    OffenceCategory,
    Party,
    RequestAddressee,
    RequestedMeasure,
    User,
)
from legalaid.services.nonpunishment import (
    evidence_item_add,
    nonpunishment_link_add,
    nonpunishment_record_create,
    nonpunishment_request_record,
)

FLAT_ITEMS = [
    (IndicativeTableItem.TEMPORARY_PERSONAL_INCAPACITY, Decimal("120")),
    (IndicativeTableItem.TEMPORARY_PERSONAL_INCAPACITY_HOSPITALISED, Decimal("14")),
    (IndicativeTableItem.TEMPORARY_HOUSEHOLD_INCAPACITY, Decimal("60")),
    (IndicativeTableItem.THIRD_PARTY_HELP, Decimal("35.5")),
]
EVIDENCED = [
    (DamageKind.MATERIAL_MEDICAL, "Consultations and medication (exhibits 4-9)", "1234.56"),
    (DamageKind.MATERIAL_THERAPY, "Trauma therapy, 24 sessions (exhibit 10)", "1680.00"),
    (DamageKind.MATERIAL_COSTS, "Clothing and phone taken by the pimp (exhibit 11)", "412.30"),
    (DamageKind.MATERIAL_LOST_INCOME, "Student job lost during the facts (exhibit 12)", "950.00"),
    (DamageKind.FUTURE_LOSS, "Therapy still needed, estimate (exhibit 13)", "3600.00"),
]


@dataclass(frozen=True)
class SampleClaim:
    claim: CivilClaim
    application: StateAidApplication
    debtor: Party
    record: NonPunishmentRecord


def sample_claim(*, case: Case, lawyer: User, damage_rows: int = 8) -> SampleClaim:
    """Build the claim data on `case` as `lawyer` (the accepted lawyer), dated before today."""
    today = timezone.localdate()
    parties = list(case.parties.order_by("pk"))
    assert len(parties) >= 2, "the sample needs two parties"
    court = case.court or "Correctionele rechtbank"
    claim = claim_constitute(
        actor=lawyer,
        case=case,
        stage=ClaimStage.HEARING,
        court=court,
        defendants=parties,
        constituted_on=today - dt.timedelta(days=100),
    )
    heads = []
    for row in range(damage_rows):
        if row == 0:
            heads.append(
                damage_head_add(
                    actor=lawyer,
                    claim=claim,
                    kind=DamageKind.MORAL,
                    description="Moral damage: months of sexual exploitation of a minor",
                    amount_claimed=Decimal("15000.00"),
                )
            )
        elif row % 2:
            item, quantity = FLAT_ITEMS[(row // 2) % len(FLAT_ITEMS)]
            heads.append(
                damage_head_add(
                    actor=lawyer,
                    claim=claim,
                    kind=DamageKind.OTHER,
                    item=item,
                    quantity=quantity
                    if item == IndicativeTableItem.THIRD_PARTY_HELP
                    else quantity + row,
                )
            )
        else:
            kind, description, amount = EVIDENCED[(row // 2) % len(EVIDENCED)]
            heads.append(
                damage_head_add(
                    actor=lawyer,
                    claim=claim,
                    kind=kind,
                    description=description,
                    amount_claimed=Decimal(amount) + row,
                )
            )
    judgment = judgment_record(
        actor=lawyer,
        claim=claim,
        given_on=today - dt.timedelta(days=60),
        court=court,
        reference="2026/1234",
        final_on=today - dt.timedelta(days=20),
    )
    started = case.facts_started_on or claim.constituted_on
    award_record(
        actor=lawyer,
        judgment=judgment,
        kind=AwardKind.DAMAGES,
        amount=heads[0].amount_claimed,
        debtors=parties,
        damage_head=heads[0],
        description="Moral damage",
        interest_kind=InterestKind.COMPENSATORY,
        interest_from=started,
    )
    material = sum((head.amount_claimed for head in heads[1:]), Decimal("0"))
    if material:
        award_record(
            actor=lawyer,
            judgment=judgment,
            kind=AwardKind.DAMAGES,
            amount=material,
            debtors=parties[:1],
            description="Material damage",
            interest_kind=InterestKind.COMPENSATORY,
            interest_from=started,
        )
    award_record(
        actor=lawyer, judgment=judgment, kind=AwardKind.COSTS, amount=Decimal("1200.00"),
        debtors=parties, description="Procedural indemnity",
    )  # fmt: skip
    payment_record(
        actor=lawyer,
        judgment=judgment,
        amount=Decimal("2500.00"),
        paid_on=today - dt.timedelta(days=10),
        payer_kind=PayerKind.DEFENDANT,
        payer_party=parties[-1],
        destination=PaymentDestination.BLOCKED_ACCOUNT_MINOR,
    )
    application = state_aid_apply(
        actor=lawyer,
        claim=claim,
        kind=StateAidKind.MAIN,
        filed_on=today - dt.timedelta(days=5),
        amount_requested=Decimal("12000.00"),
        reference="CFH-2026-0042",
    )
    return SampleClaim(
        claim=claim,
        application=application,
        debtor=parties[0],
        record=sample_nonpunishment(case=case, lawyer=lawyer),
    )


def sample_nonpunishment(*, case: Case, lawyer: User) -> NonPunishmentRecord:
    """An offence the victim was made to commit (carrying drugs for the pimp), linked to the
    exploitation by two indicators with evidence, and the request not to prosecute."""
    today = timezone.localdate()
    committed = max(case.victim.date_of_birth, today - dt.timedelta(days=90))
    statement = evidence_item_add(
        actor=lawyer,
        case=case,
        kind=EvidenceKind.STATEMENT,
        description="Hearing of the victim: the pimp handed over the parcels",
        reference="PV 2026/004512",
        dated_on=committed,
    )
    messages = evidence_item_add(
        actor=lawyer,
        case=case,
        kind=EvidenceKind.DOCUMENT,
        description="Chat messages with the pimp's instructions",
        reference="Exhibit 14",
    )
    record = nonpunishment_record_create(
        actor=lawyer,
        case=case,
        category=OffenceCategory.objects.get(code="drugs"),
        description="Carried parcels of cannabis between two addresses on the pimp's orders.",
        committed_from=committed,
        proceeding_reference="AN.22.F1.004512/26",
    )
    nonpunishment_link_add(
        actor=lawyer,
        record=record,
        indicator=ExploitationIndicator.objects.get(code="instructed_by_pimp"),
        note="The pimp set the route and the times.",
        evidence=[statement, messages],
    )
    nonpunishment_link_add(
        actor=lawyer,
        record=record,
        indicator=ExploitationIndicator.objects.get(code="emotional_dependency"),
        note="Presented himself as her boyfriend.",
        evidence=[statement],
    )
    nonpunishment_request_record(
        actor=lawyer,
        record=record,
        addressee=RequestAddressee.PROSECUTOR,
        measure=RequestedMeasure.NOT_TO_PROSECUTE,
        requested_on=today,
        legal_bases=list(
            NonPunishmentLegalBasis.objects.valid_on(committed).order_by("position", "code")
        ),
    )
    return record
