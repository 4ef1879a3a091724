"""The arithmetic of a civil claim: who still owes what, on any given day.

Pure and typed: no Django, no database, `Decimal` only (never float). The services load the
awards, the payments and the legal-rate table, call `compute`, and show or store the result
(`interest_statement` gives one capital's interest lines on their own, by the same arithmetic).
DOMAIN.md §5-6 gives the law; the conventions below are the ones this module applies.

Amounts
    Awards and payments are positive amounts in whole cents (refused otherwise), so principal,
    costs and payments never need rounding. Only interest does (see Rounding).

Joint and several awards (in solidum)
    An award has one or more debtors; each is liable for the whole of it. A payment by any of
    them reduces the award for all of them. Per debtor the ledger shows everything that debtor is
    still liable for, a joint award counted in full for each of its debtors; the totals count each
    award once. So the debtors' figures add up to more than the totals, on purpose.

Interest
    Simple interest (never capitalised) on the award's outstanding capital (its principal, or its
    costs for a costs award), from the start date of its `Interest`: at a fixed rate set by the
    court, or at the legal rate of each calendar year for the days that fall in that year. The
    legal rates are data (`RatePeriod`s); a year that is needed and not covered raises `RateGap`.
    Days count as Belgian practice and the usual interest calculators count them. Interest runs
    per day, on the capital outstanding at the end of that day (after that day's payments). A
    period from day S to day E has E - S days: S bears interest, E does not. So the interest
    starts on its start date; a payment on day D ends the period before it on D and the next
    period starts on D, at the lower capital; and the ledger at `as_of` holds the interest of the
    days before `as_of`, not of `as_of` itself (interest from 1 July 2023, as of 30 June 2024:
    184 + 181 days). Every calendar day bears interest once, and paying on day D what the ledger
    at D shows as outstanding clears it. Each day counts in its own calendar year, at that year's
    rate, over 365 (`"actual/365"`, the default) or over the year's own length, 365 or 366
    (`"actual/actual"`, where a judgment says so).

Rounding (half-up to the cent, nowhere else)
    Interest is computed in lines, as on an interest statement: one line per stretch of days with
    the same capital, the same rate and the same year; each line is
    ``capital * percent / 100 * days / days-in-year``, rounded half-up to the cent. A line ends
    where the capital changes (a payment on D: the line's last day is D - 1, the next line's
    first day is D), after 31 December, where the rate changes, and before `as_of`; nowhere else,
    so a payment that reaches no capital leaves its line whole. A line shows its first and last
    day, both bearing interest (`days` = last - first + 1; `end`, the day after the last, is
    where the next line starts): the whole of 2024 is one line, 1 January - 31 December, 366
    days. The interest of an award is the sum of its lines (`Ledger.interest_lines`), so every
    cent can be checked by hand. Unrounded, cutting a stretch at any day changes nothing (the
    same days at the same capital and rate); rounded, each line can move half a cent. When a
    payment is imputed in the middle of a line, the interest due is that of the line's days
    before the payment, rounded the same way; the finished line can only be larger.

Imputation (old Civil Code art. 1254)
    Payments are applied in date order, then id. A debtor's payment goes to the awards that debtor
    is liable for, a payment by another source (`payer=None`: the state fund, an insurer…) to all
    awards; in both cases bucket by bucket in the imputation order — by default all costs, then all
    interest, then all principal — and within a bucket in the order the awards were given. What
    is left once everything it could reach is paid is unapplied credit. The ledger at `as_of`
    counts the payments up to and including that day; payments dated after it are ignored.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from types import MappingProxyType
from typing import Literal, NamedTuple, get_args

from django.utils.translation import gettext

from legalaid.errors import ApplicationError

AwardKind = Literal["damages", "costs"]
InterestKind = Literal["compensatory", "moratory"]
Bucket = Literal["costs", "interest", "principal"]
DayCount = Literal["actual/365", "actual/actual"]

DEFAULT_IMPUTATION: tuple[Bucket, Bucket, Bucket] = ("costs", "interest", "principal")
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ONE_DAY = dt.timedelta(days=1)

# Every computation runs in this context, whatever the caller's: 34 digits (exact for any sum of
# cents a claim can reach), half-up, and no silent NaN or infinity.
_CONTEXT = Context(
    prec=34, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow]
)


class LedgerError(ApplicationError):
    """Input the ledger cannot compute with (a bad amount, an unknown payer, a rate-table gap…)."""


class RateGap(LedgerError):
    def __init__(self, year: int) -> None:
        super().__init__(
            gettext("No legal interest rate for %(year)s: add it to the rate table.")
            % {"year": year}
        )
        self.year = year


# --- Input -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RatePeriod:
    """The legal interest rate, in percent a year, from `start` to `end` (both included; None:
    open-ended). The legal rate is set per calendar year: one period per year."""

    start: dt.date
    end: dt.date | None
    percent: Decimal


@dataclass(frozen=True, slots=True)
class Interest:
    """Interest on an award from `start`: at `fixed_percent` a year, or, when None, at the legal
    rate of each calendar year. The kind (compensatory from the damage, moratory from formal
    notice or judgment) does not change the arithmetic."""

    kind: InterestKind
    start: dt.date
    fixed_percent: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Award:
    """An amount awarded against `debtors` — jointly and severally when there are several."""

    id: int
    kind: AwardKind
    amount: Decimal
    debtors: frozenset[int]
    interest: Interest | None = None


@dataclass(frozen=True, slots=True)
class Payment:
    """A payment received; `payer` is a debtor id, or None for any other source."""

    id: int
    paid_on: dt.date
    amount: Decimal
    payer: int | None


# --- Output ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InterestLine:
    """One line of an award's interest statement: `base` bears interest on every day from
    `first_day` to `last_day`, both included. As a period it runs from `first_day` to `end`
    (`last_day` + 1, not included): `days` = `end` - `first_day`, and the next line, if the
    capital changed, starts on `end` (the day of the payment)."""

    award_id: int
    first_day: dt.date
    last_day: dt.date
    base: Decimal
    percent: Decimal
    year_days: int
    amount: Decimal  # base * percent / 100 * days / year_days, rounded half-up to the cent

    @property
    def end(self) -> dt.date:
        return self.last_day + ONE_DAY

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True, slots=True)
class Allocation:
    award_id: int
    bucket: Bucket
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PaymentApplication:
    """Where one payment went: to awards' buckets, and any unapplied rest (credit)."""

    payment: Payment
    allocations: tuple[Allocation, ...]
    credit: Decimal


@dataclass(frozen=True, slots=True)
class Balance:
    """What was awarded (interest: accrued before the ledger's date), paid and outstanding."""

    principal: Decimal
    costs: Decimal
    interest: Decimal
    paid_costs: Decimal
    paid_interest: Decimal
    paid_principal: Decimal
    outstanding_costs: Decimal
    outstanding_interest: Decimal
    outstanding_principal: Decimal

    @property
    def due(self) -> Decimal:
        return self.principal + self.costs + self.interest

    @property
    def paid(self) -> Decimal:
        return self.paid_costs + self.paid_interest + self.paid_principal

    @property
    def outstanding(self) -> Decimal:
        return self.outstanding_costs + self.outstanding_interest + self.outstanding_principal


@dataclass(frozen=True, slots=True)
class DebtorBalance:
    """What one debtor still owes on every award they are liable for (joint ones in full), and
    what they paid themselves (`credit`: the part of it that found nothing left to pay)."""

    debtor: int
    award_ids: tuple[int, ...]
    outstanding_costs: Decimal
    outstanding_interest: Decimal
    outstanding_principal: Decimal
    paid: Decimal
    credit: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.outstanding_costs + self.outstanding_interest + self.outstanding_principal


@dataclass(frozen=True, slots=True)
class Ledger:
    as_of: dt.date
    awards: Mapping[int, Balance]  # by award id, in the order given
    debtors: Mapping[int, DebtorBalance]  # by debtor id, ascending
    totals: Balance  # each award once
    received: Decimal  # every payment up to as_of = totals.paid + credit
    credit: Decimal  # unapplied overpayments
    received_from_other_sources: Decimal  # payments with payer None
    applications: tuple[PaymentApplication, ...]  # in the order applied
    interest_lines: tuple[InterestLine, ...]  # per award in the order given, then by date


# --- The computation ---------------------------------------------------------------------------


def compute(
    awards: Sequence[Award],
    payments: Iterable[Payment],
    *,
    as_of: dt.date,
    rates: Sequence[RatePeriod],
    day_count: DayCount = "actual/365",
    imputation: Sequence[Bucket] = DEFAULT_IMPUTATION,
) -> Ledger:
    """Every balance of a claim at `as_of`: the payments up to and including that day, the
    interest of the days before it (see the module's conventions)."""
    with localcontext(_CONTEXT):
        _check_day_count(day_count)
        _check_imputation(imputation)
        _check_awards(awards)
        given = tuple(payments)
        table = _RateTable(rates)
        segments: dict[tuple[dt.date, Decimal | None], list[_Segment]] = {}
        states = []
        for award in awards:
            timeline: list[_Segment] = []
            if award.interest is not None:
                key = (award.interest.start, award.interest.fixed_percent)
                if key not in segments:
                    segments[key] = _segments(award.interest, as_of, table, day_count)
                timeline = segments[key]
            states.append(_AwardState(award, timeline))
        liable: dict[int, list[_AwardState]] = {}
        for state in states:
            for debtor in state.award.debtors:
                liable.setdefault(debtor, []).append(state)
        _check_payments(given, liable)

        applications = tuple(
            _apply(payment, states if payment.payer is None else liable[payment.payer], imputation)
            for payment in sorted(given, key=lambda p: (p.paid_on, p.id))
            if payment.paid_on <= as_of
        )
        for state in states:
            state.close_before(as_of.toordinal())
        return _ledger(as_of, states, liable, applications)


def interest_statement(
    capital: Decimal,
    interest: Interest,
    reductions: Iterable[tuple[dt.date, Decimal]] = (),
    *,
    as_of: dt.date,
    rates: Sequence[RatePeriod],
    day_count: DayCount = "actual/365",
    award_id: int = 0,
) -> tuple[InterestLine, ...]:
    """The interest lines of one capital from the interest's start to the day before `as_of`,
    the capital falling by each reduction's amount from the reduction's day on (that day bears
    interest on the lower capital). `compute` writes an award's lines the same way, the
    reductions being the payments imputed on its capital; here a reduction may be zero, and
    changes nothing. Reductions after `as_of` are left out, as payments are."""
    with localcontext(_CONTEXT):
        _check_day_count(day_count)
        _check_cents(capital, "The capital")
        if interest.fixed_percent is not None:
            _check_percent(interest.fixed_percent, "The interest rate")
        statement = _Statement(
            award_id, capital, _segments(interest, as_of, _RateTable(rates), day_count)
        )
        for day, amount in sorted(reductions, key=lambda reduction: reduction[0]):
            if not (
                isinstance(amount, Decimal)
                and amount.is_finite()
                and amount >= 0
                and amount == round(amount, 2)
            ):
                raise LedgerError(f"Reduction on {day}: {amount!r} is not an amount in cents.")
            if day > as_of:
                continue
            if amount > statement.capital:
                raise LedgerError(f"Reduction on {day}: {amount} is more than the capital left.")
            statement.reduce(amount, day.toordinal())
        statement.close_before(as_of.toordinal())
        return tuple(statement.lines)


# --- Validation --------------------------------------------------------------------------------


def _check_day_count(day_count: str) -> None:
    if day_count not in get_args(DayCount):
        raise LedgerError(f"Unknown day count {day_count!r}: use 'actual/365' or 'actual/actual'.")


def _check_imputation(imputation: Sequence[str]) -> None:
    if sorted(imputation) != sorted(get_args(Bucket)):
        raise LedgerError(
            f"The imputation order {tuple(imputation)!r} must name costs, interest and principal "
            "once each."
        )


def _check_cents(value: object, what: str) -> None:
    if not (
        isinstance(value, Decimal) and value.is_finite() and value > 0 and value == round(value, 2)
    ):
        raise LedgerError(f"{what}: {value!r} is not a positive amount in whole cents.")


def _check_percent(value: object, what: str) -> None:
    if not (isinstance(value, Decimal) and value.is_finite() and value >= 0):
        raise LedgerError(f"{what}: {value!r} is not a percentage (a Decimal, zero or more).")


def _check_awards(awards: Sequence[Award]) -> None:
    if len({award.id for award in awards}) != len(awards):
        raise LedgerError("Two awards have the same id.")
    for award in awards:
        _check_cents(award.amount, f"Award {award.id}")
        if award.kind not in get_args(AwardKind):
            raise LedgerError(f"Award {award.id}: unknown kind {award.kind!r}.")
        if not award.debtors:
            raise LedgerError(f"Award {award.id} has no debtor.")
        if award.interest is not None:
            if award.interest.kind not in get_args(InterestKind):
                raise LedgerError(f"Award {award.id}: unknown interest {award.interest.kind!r}.")
            if award.interest.fixed_percent is not None:
                _check_percent(award.interest.fixed_percent, f"Award {award.id}'s interest rate")


def _check_payments(payments: Sequence[Payment], liable: Mapping[int, object]) -> None:
    if len({payment.id for payment in payments}) != len(payments):
        raise LedgerError("Two payments have the same id.")
    for payment in payments:
        _check_cents(payment.amount, f"Payment {payment.id}")
        if payment.payer is not None and payment.payer not in liable:
            raise LedgerError(
                f"Payment {payment.id}: payer {payment.payer} is not a debtor of any award."
            )


# --- Rates: which percentage, and which year length, applies to which days ---------------------


class _Segment(NamedTuple):
    """Consecutive days with one rate and one year length: ordinals, `start` <= day < `end`."""

    start: int
    end: int
    percent: Decimal
    year_days: int
    divisor: Decimal  # 100 * year_days


class _RateTable:
    def __init__(self, rates: Sequence[RatePeriod]) -> None:
        self.periods = sorted(rates, key=lambda period: period.start)
        previous: RatePeriod | None = None
        for period in self.periods:
            _check_percent(period.percent, f"The legal rate from {period.start}")
            if period.end is not None and period.end < period.start:
                raise LedgerError(f"The legal rate from {period.start} ends before it starts.")
            if previous is not None and (previous.end is None or previous.end >= period.start):
                raise LedgerError(
                    f"The legal rates from {previous.start} and from {period.start} overlap."
                )
            previous = period

    def pieces(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date, Decimal]]:
        """The rates of the days `start` <= day < `end` (one calendar year at most, at least one
        day), merged when equal: (first day, day after the last, percent)."""
        pieces: list[tuple[dt.date, dt.date, Decimal]] = []
        last = end - ONE_DAY
        day = start
        for period in self.periods:
            if period.end is not None and period.end < day:
                continue
            if period.start > day:
                break
            stop = end if period.end is None else min(period.end, last) + ONE_DAY
            if pieces and pieces[-1][2] == period.percent:
                pieces[-1] = (pieces[-1][0], stop, period.percent)
            else:
                pieces.append((day, stop, period.percent))
            if stop == end:
                return pieces
            day = stop
        raise RateGap(day.year)


def _segments(
    interest: Interest, as_of: dt.date, table: _RateTable, day_count: str
) -> list[_Segment]:
    """The days from the interest's start to the day before `as_of`, cut at each 1 January and
    rate change."""
    segments: list[_Segment] = []
    for year in range(interest.start.year, as_of.year + 1):
        start = max(interest.start, dt.date(year, 1, 1))
        end = as_of if year == as_of.year else dt.date(year + 1, 1, 1)
        if start >= end:
            continue  # no day of this year bears interest yet
        year_days = 366 if day_count == "actual/actual" and calendar.isleap(year) else 365
        if interest.fixed_percent is not None:
            pieces = [(start, end, interest.fixed_percent)]
        else:
            pieces = table.pieces(start, end)
        segments += [
            _Segment(
                first.toordinal(), stop.toordinal(), percent, year_days, Decimal(100 * year_days)
            )
            for first, stop, percent in pieces
        ]
    return segments


def _line_amount(base: Decimal, segment: _Segment, days: int) -> Decimal:
    # The product is exact; one division, then one rounding to the cent.
    return (base * segment.percent * days / segment.divisor).quantize(CENT, ROUND_HALF_UP)


# --- One capital's interest, one award, while payments are applied ------------------------------


class _Statement:
    """One capital's interest statement as it is written. Lines cover the days before
    `line_start`; the open line runs from `line_start` on the current capital, inside
    `segments[segment]`."""

    __slots__ = (
        "award_id",
        "capital",
        "interest_closed",
        "line_start",
        "lines",
        "segment",
        "segments",
    )

    def __init__(self, award_id: int, capital: Decimal, segments: list[_Segment]) -> None:
        self.award_id = award_id
        self.capital = capital  # outstanding costs or principal
        self.segments = segments
        self.segment = 0
        self.line_start = segments[0].start if segments else 0
        self.interest_closed = ZERO
        self.lines: list[InterestLine] = []

    def close_before(self, day: int) -> None:
        """Write the lines of the days before `day` (the capital changes on `day`; at the end,
        `day` is `as_of`)."""
        while self.segment < len(self.segments) and self.line_start < day:
            segment = self.segments[self.segment]
            end = min(day, segment.end)
            if self.capital:
                amount = _line_amount(self.capital, segment, end - self.line_start)
                self.interest_closed += amount
                self.lines.append(
                    InterestLine(
                        award_id=self.award_id,
                        first_day=dt.date.fromordinal(self.line_start),
                        last_day=dt.date.fromordinal(end - 1),
                        base=self.capital,
                        percent=segment.percent,
                        year_days=segment.year_days,
                        amount=amount,
                    )
                )
            self.line_start = end
            if end == segment.end:
                self.segment += 1

    def interest_before(self, day: int) -> Decimal:
        """Interest accrued on the days before `day`, the open line rounded as it stands."""
        while self.segment < len(self.segments) and self.segments[self.segment].end <= day:
            self.close_before(self.segments[self.segment].end)  # a year or a rate is over
        if self.segment < len(self.segments) and self.line_start < day:
            days = day - self.line_start
            return self.interest_closed + _line_amount(
                self.capital, self.segments[self.segment], days
            )
        return self.interest_closed

    def reduce(self, amount: Decimal, day: int) -> None:
        """The capital falls by `amount` from `day` on: that day bears interest on the rest."""
        if amount:
            self.close_before(day)
            self.capital -= amount


class _AwardState(_Statement):
    """An award's running figures: its capital's statement, and what was paid per bucket."""

    __slots__ = ("award", "capital_bucket", "paid")

    def __init__(self, award: Award, segments: list[_Segment]) -> None:
        super().__init__(award.id, award.amount, segments)
        self.award = award
        self.capital_bucket: Bucket = "costs" if award.kind == "costs" else "principal"
        self.paid: dict[Bucket, Decimal] = {"costs": ZERO, "interest": ZERO, "principal": ZERO}

    def due(self, bucket: Bucket, day: int) -> Decimal:
        if bucket == "interest":
            if not self.segments:
                return ZERO
            return self.interest_before(day) - self.paid["interest"]
        return self.capital if bucket == self.capital_bucket else ZERO

    def pay(self, bucket: Bucket, amount: Decimal, day: int) -> None:
        if bucket != "interest":
            self.reduce(amount, day)  # from this day on, the lower capital bears interest
        self.paid[bucket] += amount


def _apply(
    payment: Payment, reachable: list[_AwardState], imputation: Sequence[Bucket]
) -> PaymentApplication:
    day = payment.paid_on.toordinal()
    left = payment.amount
    allocations = []
    for bucket in imputation:
        for state in reachable:
            if not left:
                break
            due = state.due(bucket, day)
            if due > 0:
                amount = min(due, left)
                state.pay(bucket, amount, day)
                left -= amount
                allocations.append(Allocation(state.award.id, bucket, amount))
    return PaymentApplication(payment, tuple(allocations), left)


# --- The result --------------------------------------------------------------------------------


def _balance(state: _AwardState) -> Balance:
    costs = state.capital_bucket == "costs"
    interest = state.interest_closed
    return Balance(
        principal=ZERO if costs else state.award.amount,
        costs=state.award.amount if costs else ZERO,
        interest=interest,
        paid_costs=state.paid["costs"],
        paid_interest=state.paid["interest"],
        paid_principal=state.paid["principal"],
        outstanding_costs=state.capital if costs else ZERO,
        outstanding_interest=interest - state.paid["interest"],
        outstanding_principal=ZERO if costs else state.capital,
    )


def _sum(balances: Iterable[Balance]) -> Balance:
    total = dict.fromkeys(Balance.__dataclass_fields__, ZERO)
    for balance in balances:
        for name in total:
            total[name] += getattr(balance, name)
    return Balance(**total)


def _ledger(
    as_of: dt.date,
    states: list[_AwardState],
    liable: Mapping[int, list[_AwardState]],
    applications: tuple[PaymentApplication, ...],
) -> Ledger:
    awards = {state.award.id: _balance(state) for state in states}
    paid: dict[int | None, Decimal] = {}
    credit: dict[int | None, Decimal] = {}
    for application in applications:
        payer = application.payment.payer
        paid[payer] = paid.get(payer, ZERO) + application.payment.amount
        credit[payer] = credit.get(payer, ZERO) + application.credit
    debtors = {}
    for debtor in sorted(liable):
        owed = _sum(awards[state.award.id] for state in liable[debtor])
        debtors[debtor] = DebtorBalance(
            debtor=debtor,
            award_ids=tuple(state.award.id for state in liable[debtor]),
            outstanding_costs=owed.outstanding_costs,
            outstanding_interest=owed.outstanding_interest,
            outstanding_principal=owed.outstanding_principal,
            paid=paid.get(debtor, ZERO),
            credit=credit.get(debtor, ZERO),
        )
    return Ledger(
        as_of=as_of,
        awards=MappingProxyType(awards),
        debtors=MappingProxyType(debtors),
        totals=_sum(awards.values()),
        received=sum(paid.values(), ZERO),
        credit=sum(credit.values(), ZERO),
        received_from_other_sources=paid.get(None, ZERO),
        applications=applications,
        interest_lines=tuple(line for state in states for line in state.lines),
    )


def combine(ledgers: Sequence[Ledger], *, as_of: dt.date) -> Ledger:
    """Ledgers computed separately at the same date, as one: the awards side by side (their ids
    must differ), each debtor's figures summed over the ledgers, the totals of all. A claim with
    several judgments is computed one judgment at a time (each with its own imputation order and
    day count, its payments going to its own awards only) and then combined."""
    with localcontext(_CONTEXT):
        awards: dict[int, Balance] = {}
        for part in ledgers:
            if part.as_of != as_of:
                raise LedgerError(f"A ledger at {part.as_of} cannot be combined at {as_of}.")
            if set(awards) & set(part.awards):
                raise LedgerError("Two ledgers share an award.")
            awards.update(part.awards)
        debtors: dict[int, DebtorBalance] = {}
        for part in ledgers:
            for debtor, figures in part.debtors.items():
                seen = debtors.get(debtor)
                debtors[debtor] = (
                    figures
                    if seen is None
                    else DebtorBalance(
                        debtor=debtor,
                        award_ids=seen.award_ids + figures.award_ids,
                        outstanding_costs=seen.outstanding_costs + figures.outstanding_costs,
                        outstanding_interest=seen.outstanding_interest
                        + figures.outstanding_interest,
                        outstanding_principal=seen.outstanding_principal
                        + figures.outstanding_principal,
                        paid=seen.paid + figures.paid,
                        credit=seen.credit + figures.credit,
                    )
                )
        return Ledger(
            as_of=as_of,
            awards=MappingProxyType(awards),
            debtors=MappingProxyType(dict(sorted(debtors.items()))),
            totals=_sum(part.totals for part in ledgers),
            received=sum((part.received for part in ledgers), ZERO),
            credit=sum((part.credit for part in ledgers), ZERO),
            received_from_other_sources=sum(
                (part.received_from_other_sources for part in ledgers), ZERO
            ),
            applications=tuple(a for part in ledgers for a in part.applications),
            interest_lines=tuple(line for part in ledgers for line in part.interest_lines),
        )
