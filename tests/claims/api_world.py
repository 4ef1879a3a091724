"""Claims on the fixed cast, built through the services, for the API's tests and access matrix.

On `case_a` (lawyer_a accepted) and on `case_b` (lawyer_b accepted), the same set: a filed claim
against the case's pimp with a moral head of damage, a judgment (given 2 June 2025, appealable)
awarding €5,000 with legal interest from that day, a payment of €250 by the pimp, an aid
application still filed and one granted, an enforcement step; and a second claim only prepared.
On `case_a2` (lawyer_a2 only proposed) a prepared claim. Today is frozen (tests/claims/conftest).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from claims.models import (
    AwardKind,
    ClaimStage,
    DamageKind,
    EnforcementKind,
    InterestKind,
    PayerKind,
    PaymentDestination,
    StateAidKind,
)
from claims.services.claims import claim_constitute, damage_head_add
from claims.services.judgments import award_record, judgment_record
from claims.services.payments import payment_record
from claims.services.recovery import (
    enforcement_step_add,
    state_aid_apply,
    state_aid_decision_record,
)
from legalaid.models import Case, Party, User
from tests.cast import Cast

CONSTITUTED_ON = dt.date(2024, 3, 1)
GIVEN_ON = dt.date(2025, 6, 2)
PAID_ON = dt.date(2025, 9, 1)


def claim_set(lawyer: User, case: Case, pimp: Party, suffix: str) -> dict[str, Any]:
    claim = claim_constitute(
        actor=lawyer,
        case=case,
        stage=ClaimStage.HEARING,
        court="Correctionele rechtbank",
        defendants=[pimp],
        constituted_on=CONSTITUTED_ON,
    )
    head = damage_head_add(
        actor=lawyer,
        claim=claim,
        kind=DamageKind.MORAL,
        description="Moral damage",
        amount_claimed=Decimal("8000.00"),
    )
    judgment = judgment_record(actor=lawyer, claim=claim, given_on=GIVEN_ON, court="Corr.")
    award = award_record(
        actor=lawyer,
        judgment=judgment,
        kind=AwardKind.DAMAGES,
        amount=Decimal("5000.00"),
        debtors=[pimp],
        damage_head=head,
        interest_kind=InterestKind.COMPENSATORY,
        interest_from=GIVEN_ON,
    )
    payment = payment_record(
        actor=lawyer,
        judgment=judgment,
        amount=Decimal("250.00"),
        paid_on=PAID_ON,
        payer_kind=PayerKind.DEFENDANT,
        payer_party=pimp,
        destination=PaymentDestination.BLOCKED_ACCOUNT_MINOR,
    )
    aid_filed = state_aid_apply(
        actor=lawyer,
        claim=claim,
        kind=StateAidKind.EMERGENCY,
        filed_on=dt.date(2025, 7, 1),
        amount_requested=Decimal("3000.00"),
    )
    aid_granted = state_aid_apply(
        actor=lawyer,
        claim=claim,
        kind=StateAidKind.MAIN,
        filed_on=dt.date(2025, 7, 1),
        amount_requested=Decimal("4000.00"),
    )
    state_aid_decision_record(
        actor=lawyer,
        application=aid_granted,
        decided_on=dt.date(2025, 10, 1),
        amount_granted=Decimal("3500.00"),
    )
    step = enforcement_step_add(
        actor=lawyer,
        claim=claim,
        debtor=pimp,
        kind=EnforcementKind.FORMAL_NOTICE,
        taken_on=dt.date(2025, 7, 15),
    )
    prepared = claim_constitute(
        actor=lawyer, case=case, stage=ClaimStage.HEARING, court="Corr.", defendants=[pimp]
    )
    return {
        f"claim_{suffix}": claim,
        f"claim_{suffix}_prepared": prepared,
        f"head_{suffix}": head,
        f"judgment_{suffix}": judgment,
        f"award_{suffix}": award,
        f"payment_{suffix}": payment,
        f"aid_filed_{suffix}": aid_filed,
        f"aid_granted_{suffix}": aid_granted,
        f"step_{suffix}": step,
    }


def build_claims(cast: Cast) -> dict[str, Any]:
    objects = {
        **claim_set(cast.lawyer_a, cast.case_a, cast.party_a, "a"),
        **claim_set(cast.lawyer_b, cast.case_b, cast.party_b, "b"),
        "claim_a2": claim_constitute(
            actor=cast.office_a,
            case=cast.case_a2,
            stage=ClaimStage.INVESTIGATING_JUDGE,
            court="Onderzoeksrechter Antwerpen",
            defendants=[],
        ),
    }
    for name in ("case_a", "case_a2", "case_b"):
        objects[name] = Case.objects.get(pk=getattr(cast, name).pk)
    return objects
