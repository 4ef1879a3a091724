"""Fictional civil-claims demo data, loaded by `manage.py load_demo_data` through the setting
`DEMO_DATA_EXTENSIONS` (legalaid's command does not import claims). Everything goes through the
services, on the demo lawyer's accepted case: a claim against the pimp and a client, damage heads
(one flat-rate from the Indicative Table), a final judgment with an award in solidum (pimp +
client), a separate award and costs, interest, payments by each co-debtor and by the state fund,
an emergency-aid application, and a formal notice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from legalaid.models import Case, DesignationStatus, PartyRole, User

from .models import (
    AwardKind,
    ClaimStage,
    DamageKind,
    EnforcementKind,
    IndicativeTableItem,
    InterestKind,
    JudgmentStatus,
    PayerKind,
    PaymentDestination,
    StateAidKind,
)
from .selectors import legal_interest_rate_gap_years
from .services.claims import claim_constitute, damage_head_add
from .services.judgments import award_record, judgment_record, judgment_status_change
from .services.payments import payment_record
from .services.recovery import (
    enforcement_step_add,
    state_aid_apply,
    state_aid_decision_record,
    state_aid_payment_record,
)

DEMO_LAWYER = "lawyer"


def _interest(start: dt.date, today: dt.date) -> dict[str, Any]:
    """The legal rate where the table covers every year up to today; else (a demo run after the
    seeded years) a rate the court fixed, so that the demo always loads."""
    if legal_interest_rate_gap_years(start, today):
        return {"interest_from": start, "fixed_percent": Decimal("4.50")}
    return {"interest_from": start}


def load_demo_claims(*, stdout: Any) -> None:
    lawyer = User.objects.filter(username=DEMO_LAWYER).first()
    case = (
        Case.objects.filter(
            designations__lawyer__user=lawyer, designations__status=DesignationStatus.ACCEPTED
        ).first()
        if lawyer is not None
        else None
    )
    if lawyer is None or case is None:
        stdout.write("No accepted case of the demo lawyer: no demo claim.")
        return
    pimp = case.parties.get(role=PartyRole.PIMP)
    client = case.parties.get(role=PartyRole.CLIENT)
    today = timezone.localdate()

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    claim = claim_constitute(
        actor=lawyer,
        case=case,
        stage=ClaimStage.HEARING,
        court="Correctionele rechtbank Antwerpen",
        defendants=[pimp, client],
        constituted_on=ago(100),
    )
    moral = damage_head_add(
        actor=lawyer,
        claim=claim,
        kind=DamageKind.MORAL,
        description="Moral damage: sexual exploitation of a minor",
        amount_claimed=Decimal("8000.00"),
        evidence="Psychologist's report, exhibit 12",
    )
    therapy = damage_head_add(
        actor=lawyer,
        claim=claim,
        kind=DamageKind.MATERIAL_THERAPY,
        description="Therapy sessions",
        amount_claimed=Decimal("1200.00"),
        evidence="Invoices, exhibits 13-18",
    )
    damage_head_add(
        actor=lawyer,
        claim=claim,
        kind=DamageKind.OTHER,
        item=IndicativeTableItem.TEMPORARY_PERSONAL_INCAPACITY_HOSPITALISED,
        quantity=Decimal("21"),
        evidence="Discharge letter, exhibit 19",
    )
    judgment = judgment_record(
        actor=lawyer,
        claim=claim,
        given_on=ago(60),
        court="Correctionele rechtbank Antwerpen",
        reference="AN/2026/0815",
    )
    judgment_status_change(actor=lawyer, judgment=judgment, status=JudgmentStatus.FINAL, on=ago(44))
    award_record(
        actor=lawyer,
        judgment=judgment,
        kind=AwardKind.DAMAGES,
        amount=Decimal("6000.00"),
        debtors=[pimp, client],
        damage_head=moral,
        description="Moral damage, in solidum",
        interest_kind=InterestKind.MORATORY,
        **_interest(ago(60), today),
    )
    award_record(
        actor=lawyer,
        judgment=judgment,
        kind=AwardKind.DAMAGES,
        amount=Decimal("1200.00"),
        debtors=[pimp],
        damage_head=therapy,
        description="Therapy",
        interest_kind=InterestKind.COMPENSATORY,
        **_interest(ago(100), today),
    )
    award_record(
        actor=lawyer,
        judgment=judgment,
        kind=AwardKind.COSTS,
        amount=Decimal("1440.00"),
        debtors=[pimp],
        description="Procedural indemnity",
    )
    aid = state_aid_apply(
        actor=lawyer,
        claim=claim,
        kind=StateAidKind.EMERGENCY,
        filed_on=ago(95),
        amount_requested=Decimal("2500.00"),
        reference="CFA/DEMO/001",
    )
    state_aid_decision_record(
        actor=lawyer, application=aid, decided_on=ago(50), amount_granted=Decimal("1500.00")
    )
    state_aid_payment_record(
        actor=lawyer, application=aid, paid_on=ago(40), amount_paid=Decimal("1500.00")
    )
    payments: list[dict[str, Any]] = [
        {"amount": "1500.00", "paid_on": ago(40), "payer_kind": PayerKind.STATE_FUND,
         "state_aid_application": aid, "reference": "CFA/DEMO/001"},
        {"amount": "500.00", "paid_on": ago(30), "payer_kind": PayerKind.DEFENDANT,
         "payer_party": client, "reference": "+++123/4567/89012+++"},
        {"amount": "250.00", "paid_on": ago(20), "payer_kind": PayerKind.DEFENDANT,
         "payer_party": pimp, "reference": "Instalment 1"},
        {"amount": "250.00", "paid_on": ago(5), "payer_kind": PayerKind.DEFENDANT,
         "payer_party": pimp, "reference": "Instalment 2"},
    ]  # fmt: skip
    for number, payment in enumerate(payments, start=1):
        payment_record(
            actor=lawyer,
            judgment=judgment,
            destination=PaymentDestination.BLOCKED_ACCOUNT_MINOR,
            idempotency_key=f"demo-payment-{number}",
            **{**payment, "amount": Decimal(payment["amount"])},
        )
    enforcement_step_add(
        actor=lawyer,
        claim=claim,
        debtor=pimp,
        kind=EnforcementKind.FORMAL_NOTICE,
        taken_on=ago(35),
        reference="Registered letter",
        outcome="Agreed to pay by instalments.",
        outcome_on=ago(25),
    )
    stdout.write(f"Demo civil claim #{claim.pk} on case {case.reference}.")
