"""Rules of the claims ledger that hold for any claim: random awards (joint or not, with legal,
fixed or no interest), payments by debtors and other sources, dates, day counts and imputation
orders. Hypothesis runs are bounded (200 examples each) to keep the suite fast.

The day count (claims/ledger.py, "Interest"): every calendar day from the interest's start to the
day before the ledger's date bears interest once, at its year's rate, over its year's length, on
the capital left at the end of that day. Unrounded amounts are compared exactly, as fractions."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
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
    InterestLine,
    Ledger,
    Payment,
    compute,
    interest_statement,
)
from tests.claims.legal_rates import PERCENT_BY_YEAR, legal_rates

RATES = legal_rates()
FIRST, LAST = dt.date(2015, 1, 1), dt.date(2026, 12, 31)
ONE_DAY = dt.timedelta(days=1)
HALF_CENT = Fraction(1, 200)
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


# --- The day count -------------------------------------------------------------------------------


def unrounded(line: InterestLine) -> Fraction:
    """A line's amount before rounding, exactly: base * percent / 100 * days / year_days."""
    return Fraction(line.base) * Fraction(line.percent) * line.days / (100 * line.year_days)


def daily(lines: Iterable[InterestLine]) -> list[tuple[dt.date, Decimal, Decimal, int]]:
    """Each day the lines cover, in order, with its capital, rate and year length."""
    return [
        (line.first_day + n * ONE_DAY, line.base, line.percent, line.year_days)
        for line in lines
        for n in range(line.days)
    ]


def capital_reductions(ledger: Ledger, award_id: int) -> list[tuple[dt.date, Decimal]]:
    """What the ledger imputed on an award's principal or costs, by payment day."""
    return [
        (application.payment.paid_on, allocation.amount)
        for application in ledger.applications
        for allocation in application.allocations
        if allocation.award_id == award_id and allocation.bucket != "interest"
    ]


@bounded
@given(claims())
def test_every_day_bears_interest_once_on_the_capital_left_at_the_end_of_that_day(
    claim: Claim,
) -> None:
    """The interest statement against a day-by-day count made here, one day at a time: from the
    interest's start up to the ledger's date (excluded), each day bears its calendar year's rate
    (or the court's), over 365 or its year's length, on the award's capital after that day's
    payments. The lines cover exactly those days (with capital left), each once, in order; their
    unrounded sum is the day-by-day sum exactly; each line is rounded to the nearest cent."""
    ledger = claim.ledger()

    for award in claim.awards:
        lines = [line for line in ledger.interest_lines if line.award_id == award.id]
        expected = []
        if award.interest is not None:
            reductions = sorted(capital_reductions(ledger, award.id))
            capital, applied = award.amount, 0
            day = award.interest.start
            while day < claim.as_of:
                while applied < len(reductions) and reductions[applied][0] <= day:
                    capital -= reductions[applied][1]  # paid on this day or before
                    applied += 1
                percent = award.interest.fixed_percent
                if percent is None:
                    percent = Decimal(PERCENT_BY_YEAR[day.year])
                leap = claim.day_count == "actual/actual" and calendar.isleap(day.year)
                if capital:
                    expected.append((day, capital, percent, 366 if leap else 365))
                day += ONE_DAY

        assert daily(lines) == expected
        assert sum(map(unrounded, lines), Fraction(0)) == sum(
            (Fraction(base) * Fraction(percent) / (100 * year_days))
            for _, base, percent, year_days in expected
        )
        for line in lines:
            assert abs(Fraction(line.amount) - unrounded(line)) <= HALF_CENT


@bounded
@given(claims())
def test_the_ledger_writes_each_awards_lines_as_the_statement_of_its_capital(claim: Claim) -> None:
    """`interest_statement`, one capital on its own, is `compute`'s arithmetic: an award's lines
    are the statement of its amount, reduced by what the ledger imputed on its capital on each
    payment day. So what holds for the statement (below) holds for the ledger."""
    ledger = claim.ledger()

    for award in claim.awards:
        if award.interest is None:
            continue
        assert interest_statement(
            award.amount,
            award.interest,
            capital_reductions(ledger, award.id),
            as_of=claim.as_of,
            rates=RATES,
            day_count=claim.day_count,
            award_id=award.id,
        ) == tuple(line for line in ledger.interest_lines if line.award_id == award.id)


@dataclasses.dataclass(frozen=True)
class Capital:
    """One capital bearing interest from `interest.start`, reduced on some days (the reductions
    add up to no more than the capital; some may be zero)."""

    amount: Decimal
    interest: Interest
    reductions: list[tuple[dt.date, Decimal]]
    day_count: DayCount

    def lines(self, *, as_of: dt.date, **changes: Any) -> tuple[InterestLine, ...]:
        capital = dataclasses.replace(self, **changes)
        return interest_statement(
            capital.amount,
            capital.interest,
            capital.reductions,
            as_of=as_of,
            rates=RATES,
            day_count=capital.day_count,
        )


@st.composite
def capitals(draw: st.DrawFn, *, start: dt.date | None = None) -> Capital:
    amount = draw(cents)
    left = int(amount * 100)
    reductions = []
    for day, wanted in sorted(draw(st.lists(st.tuples(dates, cents), max_size=6))):
        taken = min(int(wanted * 100), left)
        reductions.append((day, Decimal(taken).scaleb(-2)))
        left -= taken
    return Capital(
        amount=amount,
        interest=Interest(
            kind="moratory",
            start=draw(dates) if start is None else start,
            fixed_percent=draw(st.none() | percents),
        ),
        reductions=reductions,
        day_count=draw(st.sampled_from(["actual/365", "actual/actual"])),
    )


def a_b_c(data: st.DataObject) -> tuple[dt.date, dt.date, dt.date]:
    """Three days a <= b <= c."""
    a, b, c = sorted(data.draw(st.lists(dates, min_size=3, max_size=3)))
    return a, b, c


@bounded
@given(st.data())
def test_splitting_the_period_at_any_day_changes_no_day_and_no_unrounded_amount(
    data: st.DataObject,
) -> None:
    """[a, c) cut at any b, a <= b <= c: the statement of [a, b), then that of [b, c) on the
    capital left after b's reductions (and the later reductions). The same days bear interest on
    the same capital at the same rate, each once (b is neither lost nor counted twice); the
    lines are the whole's, with at most the one line running over b cut in two; the unrounded
    amounts add up exactly."""
    a, b, c = a_b_c(data)
    capital = data.draw(capitals(start=a))

    whole = capital.lines(as_of=c)
    before = capital.lines(as_of=b)
    left = capital.amount - sum((r for day, r in capital.reductions if day <= b), Decimal(0))
    after = (
        capital.lines(
            as_of=c,
            amount=left,
            interest=dataclasses.replace(capital.interest, start=b),
            reductions=[(day, r) for day, r in capital.reductions if day > b],
        )
        if left
        else ()
    )

    assert daily(before + after) == daily(whole)
    assert sum(map(unrounded, before + after), Fraction(0)) == sum(
        map(unrounded, whole), Fraction(0)
    )
    cut = [line for line in whole if line.first_day < b <= line.last_day]
    if not cut:
        assert before + after == whole  # b already starts a line (or ends the period)
    else:
        (line,) = cut
        assert [line.first_day, line.end] == [before[-1].first_day, after[0].end]
        assert (before[-1].end, after[0].first_day) == (b, b)
        assert before[:-1] == whole[: whole.index(line)]
        assert after[1:] == whole[whole.index(line) + 1 :]


@bounded
@given(capitals(), dates, st.data())
def test_a_payment_of_zero_changes_nothing(
    capital: Capital, as_of: dt.date, data: st.DataObject
) -> None:
    """`compute` refuses a payment of 0 (test_ledger.py, refused input): a payment recorded is
    money received. What one would do — lower no capital on its day — is tested here, on the
    statement of one capital, which is how `compute` writes an award's lines (the test above).
    Unrounded, a zero payment could at most cut a line, which changes nothing (splitting at any
    day, above); and a line is cut only where the capital changes, so not a cent moves either."""
    zero = (data.draw(dates), Decimal("0.00"))
    position = data.draw(st.integers(min_value=0, max_value=len(capital.reductions)))
    with_zero = [*capital.reductions[:position], zero, *capital.reductions[position:]]

    assert capital.lines(as_of=as_of, reductions=with_zero) == capital.lines(as_of=as_of)


@bounded
@given(st.data())
def test_interest_over_a_to_c_is_interest_over_a_to_b_plus_b_to_c_within_a_cent(
    data: st.DataObject,
) -> None:
    """The ledger's interest on an award from a, as of c, against as of b plus an award of the
    same amount from b, as of c (no payments). Unrounded, exactly equal. Rounded per line: the
    two halves have the whole's lines but for the one running over b, cut in two, so the sums
    differ by that line's two roundings against its one: -0.01, 0 or +0.01, and 0 when b already
    starts a line (1 January, a rate change) or is a or c."""
    a, b, c = a_b_c(data)
    capital = data.draw(capitals(start=a))

    def ledger(start: dt.date, as_of: dt.date) -> Ledger:
        interest = dataclasses.replace(capital.interest, start=start)
        award = Award(1, "damages", capital.amount, frozenset({1}), interest)
        return compute([award], [], as_of=as_of, rates=RATES, day_count=capital.day_count)

    whole, first, second = ledger(a, c), ledger(a, b), ledger(b, c)

    assert sum(map(unrounded, first.interest_lines + second.interest_lines), Fraction(0)) == sum(
        map(unrounded, whole.interest_lines), Fraction(0)
    )
    difference = first.totals.interest + second.totals.interest - whole.totals.interest
    assert difference in {Decimal("-0.01"), Decimal("0.00"), Decimal("0.01")}
    if b in {a, c} or any(line.first_day == b for line in whole.interest_lines):
        assert difference == 0
