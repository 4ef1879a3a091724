"""The rules the database keeps for the claims models, whatever code writes the rows (the services
check them first and give field messages; these tests go around the services on purpose)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import (
    Award,
    CivilClaim,
    ClaimStatus,
    DamageHead,
    EnforcementStep,
    ImputationOrder,
    IndicativeTableRate,
    Judgment,
    Payment,
    StateAidApplication,
    imputation_sequence,
)
from tests.claims.world import World, counts, moral_head, record_award, record_judgment

DAY = dt.date(2025, 6, 2)


def claim_row(world: World, **extra: Any) -> CivilClaim:
    fields = {"case": world.case, "stage": "hearing", "court": "Corr.", **extra}
    return CivilClaim.objects.create(**fields)


def head_row(world: World, **extra: Any) -> DamageHead:
    fields = {
        "claim": world.claim,
        "kind": "moral",
        "description": "x",
        "amount_claimed": Decimal("1"),
        **extra,
    }
    return DamageHead.objects.create(**fields)


def judgment_row(world: World, **extra: Any) -> Judgment:
    fields = {"claim": world.claim, "given_on": DAY, "court": "Corr.", "appeal_due_on": DAY}
    return Judgment.objects.create(**{**fields, **extra})


def award_row(world: World, **extra: Any) -> Award:
    fields = {"judgment": record_judgment(world), "kind": "damages", "amount": Decimal("1")}
    return Award.objects.create(**{**fields, **extra})


def payment_row(world: World, **extra: Any) -> Payment:
    judgment = record_judgment(world)
    record_award(world, judgment)
    fields = {
        "judgment": judgment,
        "amount": Decimal("1"),
        "paid_on": DAY,
        "payer_kind": "defendant",
        "payer_party": world.pimp,
        "destination": "guardian",
        "recorded_by": world.lawyer,
        "recorded_at": timezone.now(),
    }
    return Payment.objects.create(**{**fields, **extra})


def aid_row(world: World, **extra: Any) -> StateAidApplication:
    fields = {
        "claim": world.claim,
        "kind": "main",
        "filed_on": DAY,
        "amount_requested": Decimal("100"),
    }
    return StateAidApplication.objects.create(**{**fields, **extra})


def step_row(world: World, **extra: Any) -> EnforcementStep:
    fields = {"claim": world.claim, "debtor": world.pimp, "kind": "bailiff", "taken_on": DAY}
    return EnforcementStep.objects.create(**{**fields, **extra})


def flat_rate() -> IndicativeTableRate:
    return IndicativeTableRate.objects.get(edition="2024", item="temporary_personal_incapacity")


REFUSED_ROWS: dict[str, Callable[[World], object]] = {
    "claim filed without a constitution date": lambda w: claim_row(w, status=ClaimStatus.FILED),
    "claim prepared with a constitution date": lambda w: claim_row(w, constituted_on=DAY),
    "head with a zero amount": lambda w: head_row(w, amount_claimed=Decimal("0")),
    "head with a negative amount": lambda w: head_row(w, amount_claimed=Decimal("-1")),
    "flat-rate head without quantity": lambda w: head_row(
        w, flat_rate=flat_rate(), unit_amount=Decimal("32")
    ),
    "quantity without a flat rate": lambda w: head_row(w, quantity=Decimal("10")),
    "appeal due before the judgment": lambda w: judgment_row(w, appeal_due_on=DAY.replace(day=1)),
    "final judgment without a date": lambda w: judgment_row(w, status="final"),
    "final date on an open judgment": lambda w: judgment_row(w, final_on=DAY),
    "appeal without a date": lambda w: judgment_row(w, status="under_appeal"),
    "award of zero": lambda w: award_row(w, amount=Decimal("0")),
    "interest without a start": lambda w: award_row(w, interest_kind="moratory"),
    "a start without interest": lambda w: award_row(w, interest_from=DAY),
    "a fixed rate of 0%": lambda w: award_row(
        w, interest_kind="moratory", interest_from=DAY, fixed_percent=Decimal("0")
    ),
    "costs for a head of damage": lambda w: award_row(w, kind="costs", damage_head=moral_head(w)),
    "payment of zero": lambda w: payment_row(w, amount=Decimal("0")),
    "negative payment": lambda w: payment_row(w, amount=Decimal("-1")),
    "defendant's payment without the party": lambda w: payment_row(w, payer_party=None),
    "state fund paying as a party": lambda w: payment_row(w, payer_kind="state_fund"),
    "aid executed by an insurer": lambda w: payment_row(
        w, payer_kind="insurer", state_aid_application=aid_row(w)
    ),
    "reversal without a reason": lambda w: payment_row(w, reverses=payment_row(w)),
    "aid requested of zero": lambda w: aid_row(w, amount_requested=Decimal("0")),
    "aid paid beyond the grant": lambda w: aid_row(
        w,
        status="paid",
        decided_on=DAY,
        amount_granted=Decimal("10"),
        paid_on=DAY,
        amount_paid=Decimal("11"),
    ),
    "aid granted without a decision date": lambda w: aid_row(
        w, status="granted", amount_granted=Decimal("10")
    ),
    "aid decided before it was filed": lambda w: aid_row(
        w, status="refused", decided_on=dt.date(2025, 1, 1)
    ),
    "outcome dated before the step": lambda w: step_row(
        w, outcome="Paid", outcome_on=dt.date(2025, 6, 1)
    ),
    "outcome date without an outcome": lambda w: step_row(w, outcome_on=DAY),
}


@pytest.mark.parametrize("case", REFUSED_ROWS)
def test_the_database_refuses_an_inconsistent_row(world: World, case: str) -> None:
    before = counts()

    with pytest.raises(IntegrityError), transaction.atomic():
        REFUSED_ROWS[case](world)

    assert counts() == before


def test_an_idempotency_key_is_unique_in_the_database(world: World) -> None:
    payment_row(world, idempotency_key="same")
    before = counts()

    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            judgment=Payment.objects.get().judgment,
            amount=Decimal("2"),
            paid_on=DAY,
            payer_kind="other",
            destination="other",
            idempotency_key="same",
            recorded_by=world.lawyer,
            recorded_at=timezone.now(),
        )

    assert counts() == before


def test_every_imputation_order_is_an_order_of_the_three_buckets() -> None:
    orders = {imputation_sequence(order) for order in ImputationOrder.values}

    assert orders == set(itertools.permutations(("costs", "interest", "principal")))
    assert ImputationOrder.COSTS_INTEREST_PRINCIPAL.label == "Costs, interest, principal (default)"
