"""Rules of the claims ledger that hold for any claim: random awards (joint or not, with legal,
fixed or no interest), payments by debtors and other sources, dates, day counts and imputation
orders. Hypothesis runs are bounded (200 examples each) to keep the suite fast."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from claims.ledger import (
    CENT,
    Award,
    Balance,
    Bucket,
    DayCount,
    Interest,
    Ledger,
    Payment,
    compute,
)
from tests.claims.legal_rates import legal_rates

RATES = legal_rates()
FIRST, LAST = dt.date(2015, 1, 1), dt.date(2026, 12, 31)
DEBTORS = (1, 2, 3)
ORDERS: list[tuple[Bucket, ...]] = list(itertools.permutations(("costs", "interest", "principal")))
bounded = settings(max_examples=200, deadline=None)

dates = st.dates(min_value=FIRST, max_value=LAST)
cents = st.integers(min_value=1, max_value=5_000_000).map(lambda n: Decimal(n).scaleb(-2))
percents = st.integers(min_value=0, max_value=1500).map(lambda n: Decimal(n).scaleb(-2))
interests = st.none() | st.builds(
    Interest,
    kind=st.sampled_from(["compensatory", "moratory"]),
    start=dates,
    fixed_percent=st.none() | percents,
)


@dataclasses.dataclass(frozen=True)
class Claim:
    awards: list[Award]
    payments: list[Payment]
    as_of: dt.date
    day_count: DayCount
    imputation: tuple[Bucket, ...]

    def ledger(self, **changes: Any) -> Ledger:
        claim = dataclasses.replace(self, **changes)
        return compute(
            claim.awards,
            claim.payments,
            as_of=claim.as_of,
            rates=RATES,
            day_count=claim.day_count,
            imputation=claim.imputation,
        )


@st.composite
def claims(draw: st.DrawFn, min_payments: int = 0) -> Claim:
    awards = [
        Award(
            id=number,
            kind=draw(st.sampled_from(["damages", "damages", "costs"])),
            amount=draw(cents),
            debtors=frozenset(draw(st.sets(st.sampled_from(DEBTORS), min_size=1))),
            interest=draw(interests),
        )
        for number in range(1, draw(st.integers(min_value=1, max_value=4)) + 1)
    ]
    payers = sorted(set().union(*(award.debtors for award in awards)))
    payments = [
        # ids 10, 20, 30…: a split payment's second half (id + 1) sorts right after the first
        Payment(id=10 * number, paid_on=paid_on, amount=amount, payer=payer)
        for number, (paid_on, amount, payer) in enumerate(
            draw(
                st.lists(
                    st.tuples(dates, cents, st.none() | st.sampled_from(payers)),
                    min_size=min_payments,
                    max_size=8,
                )
            ),
            start=1,
        )
    ]
    return Claim(
        awards=awards,
        payments=payments,
        as_of=draw(dates),
        day_count=draw(st.sampled_from(["actual/365", "actual/actual"])),
        imputation=draw(st.sampled_from(ORDERS)),
    )


def balances(ledger: Ledger) -> list[Balance]:
    return [*ledger.awards.values(), ledger.totals]


@bounded
@given(claims())
def test_nothing_is_ever_outstanding_below_zero(claim: Claim) -> None:
    ledger = claim.ledger()

    for balance in balances(ledger):
        assert balance.outstanding_costs >= 0
        assert balance.outstanding_interest >= 0
        assert balance.outstanding_principal >= 0
    for debtor in ledger.debtors.values():
        assert debtor.outstanding >= 0
        assert 0 <= debtor.credit <= debtor.paid
    assert ledger.credit >= 0


@bounded
@given(claims())
def test_what_was_due_equals_what_was_paid_plus_what_is_outstanding(claim: Claim) -> None:
    ledger = claim.ledger()

    for balance in balances(ledger):
        assert balance.costs == balance.paid_costs + balance.outstanding_costs
        assert balance.interest == balance.paid_interest + balance.outstanding_interest
        assert balance.principal == balance.paid_principal + balance.outstanding_principal
        assert balance.due == balance.paid + balance.outstanding
        for amount in dataclasses.astuple(balance):
            assert amount == amount.quantize(CENT)
    # the totals count each award once
    for name in Balance.__dataclass_fields__:
        assert getattr(ledger.totals, name) == sum(
            (getattr(balance, name) for balance in ledger.awards.values()), Decimal(0)
        )
    # every payment up to the date is either applied or credit
    received = [p.amount for p in claim.payments if p.paid_on <= claim.as_of]
    assert ledger.received == sum(received, Decimal(0))
    assert ledger.received == ledger.totals.paid + ledger.credit
    for application in ledger.applications:
        applied = sum((a.amount for a in application.allocations), Decimal(0))
        assert application.payment.amount == applied + application.credit
    # the interest is the sum of the statement lines
    for award_id, balance in ledger.awards.items():
        lines = [line.amount for line in ledger.interest_lines if line.award_id == award_id]
        assert balance.interest == sum(lines, Decimal(0))


@bounded
@given(claims(min_payments=1), st.data())
def test_splitting_a_payment_into_two_same_day_payments_changes_nothing(
    claim: Claim, data: st.DataObject
) -> None:
    whole = data.draw(st.sampled_from(claim.payments))
    assume(whole.amount >= Decimal("0.02"))
    first = data.draw(
        st.integers(min_value=1, max_value=int(whole.amount * 100) - 1).map(
            lambda n: Decimal(n).scaleb(-2)
        )
    )
    halves = [
        dataclasses.replace(whole, amount=first),
        dataclasses.replace(whole, id=whole.id + 1, amount=whole.amount - first),
    ]
    split = [p for p in claim.payments if p is not whole] + halves

    before, after = claim.ledger(), claim.ledger(payments=split)

    assert after.awards == before.awards
    assert after.debtors == before.debtors
    assert after.totals == before.totals
    assert (after.received, after.credit) == (before.received, before.credit)
    assert after.interest_lines == before.interest_lines


@bounded
@given(claims(), st.integers(min_value=1, max_value=3000))
def test_interest_never_decreases_as_the_date_moves_later_without_payments(
    claim: Claim, days_later: int
) -> None:
    later = min(claim.as_of + dt.timedelta(days=days_later), LAST)
    assume(later > claim.as_of)
    # no payment between the two dates
    payments = [p for p in claim.payments if p.paid_on <= claim.as_of]

    before = claim.ledger(payments=payments)
    after = claim.ledger(payments=payments, as_of=later)

    for award_id, balance in before.awards.items():
        assert after.awards[award_id].interest >= balance.interest
        assert after.awards[award_id].outstanding >= balance.outstanding
    for debtor, owed in before.debtors.items():
        assert after.debtors[debtor].outstanding >= owed.outstanding


@bounded
@given(claims(), st.randoms(use_true_random=False))
def test_the_order_in_which_payments_are_listed_does_not_matter(claim: Claim, rng: Any) -> None:
    shuffled = list(claim.payments)
    rng.shuffle(shuffled)

    assert claim.ledger(payments=shuffled) == claim.ledger()


@bounded
@given(claims(), st.data())
def test_a_debtor_who_pays_what_the_ledger_shows_they_owe_that_day_owes_nothing(
    claim: Claim, data: st.DataObject
) -> None:
    ledger = claim.ledger()
    debtor = data.draw(st.sampled_from(sorted(ledger.debtors)))
    owed = ledger.debtors[debtor].outstanding
    assume(owed > 0)
    settle = Payment(id=10_000, paid_on=claim.as_of, amount=owed, payer=debtor)

    settled = claim.ledger(payments=[*claim.payments, settle])

    assert settled.debtors[debtor].outstanding == 0
    assert settled.applications[-1].credit == 0
    # nothing changed for awards that debtor is not liable for
    for award in claim.awards:
        if debtor not in award.debtors:
            assert settled.awards[award.id] == ledger.awards[award.id]


@bounded
@given(claims())
def test_the_state_fund_paying_the_total_outstanding_clears_every_award(claim: Claim) -> None:
    ledger = claim.ledger()
    assume(ledger.totals.outstanding > 0)
    fund = Payment(id=10_000, paid_on=claim.as_of, amount=ledger.totals.outstanding, payer=None)

    settled = claim.ledger(payments=[*claim.payments, fund])

    assert settled.totals.outstanding == 0
    assert all(debtor.outstanding == 0 for debtor in settled.debtors.values())
    assert settled.credit == ledger.credit
    assert settled.received_from_other_sources == ledger.received_from_other_sources + fund.amount
