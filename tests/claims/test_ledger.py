"""The claims ledger on worked examples, each computed by hand in its comments (DOMAIN.md §5-6).

Interest lines are capital * percent / 100 * days / 365 (or 366), rounded half-up to the cent.
Days count as Belgian practice counts them: a period from S to E has E - S days, S bearing
interest and E not; a payment on D lowers the capital from D on (D bears interest once, on what is
left); a ledger at D holds the interest of the days before D. A line is shown by its first and last
day, both bearing interest: 1 July-31 December is 184 days, and the next line starts on 1 January.
The properties that must hold for any claim are in test_ledger_properties.py."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, localcontext

import pytest

from claims.ledger import (
    Allocation,
    Award,
    Balance,
    Interest,
    InterestKind,
    InterestLine,
    LedgerError,
    Payment,
    RateGap,
    RatePeriod,
    combine,
    compute,
    interest_statement,
)
from tests.claims.legal_rates import legal_rates

PIMP, CLIENT_A, CLIENT_B = 1, 2, 3
D = Decimal


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def damages(award_id: int, amount: str, *debtors: int, interest: Interest | None = None) -> Award:
    return Award(award_id, "damages", D(amount), frozenset(debtors), interest)


def costs(award_id: int, amount: str, *debtors: int) -> Award:
    return Award(award_id, "costs", D(amount), frozenset(debtors))


def legal(start: str, kind: InterestKind = "moratory") -> Interest:
    return Interest(kind, day(start))


def fixed(start: str, percent: str) -> Interest:
    return Interest("moratory", day(start), D(percent))


def paid(payment_id: int, on: str, amount: str, payer: int | None) -> Payment:
    return Payment(payment_id, day(on), D(amount), payer)


# --- Interest ----------------------------------------------------------------------------------


def test_interest_applies_each_calendar_years_legal_rate_to_the_days_that_fall_in_it() -> None:
    award = damages(1, "10000.00", PIMP, interest=legal("2023-07-01"))

    ledger = compute([award], [], as_of=day("2024-06-30"), rates=legal_rates())

    # 2023: 1 July up to 1 January 2024 (excluded): 31+31+30+31+30+31 = 184 days at 5.25 %:
    #   10000 * 5.25 / 100 * 184 / 365 = 264.657… → 264.66
    # 2024: 1 January up to 30 June (excluded, the ledger's date): 31+29+31+30+31+29 = 181 days
    #   at 5.75 %: 10000 * 5.75 / 100 * 181 / 365 = 285.136… → 285.14
    assert ledger.interest_lines == (
        InterestLine(
            1, day("2023-07-01"), day("2023-12-31"), D("10000.00"), D("5.25"), 365, D("264.66")
        ),
        InterestLine(
            1, day("2024-01-01"), day("2024-06-29"), D("10000.00"), D("5.75"), 365, D("285.14")
        ),
    )
    assert [line.days for line in ledger.interest_lines] == [184, 181]
    assert [line.end for line in ledger.interest_lines] == [day("2024-01-01"), day("2024-06-30")]
    # 264.66 + 285.14 = 549.80
    assert ledger.awards[1] == Balance(
        principal=D("10000.00"),
        costs=D("0.00"),
        interest=D("549.80"),
        paid_costs=D("0.00"),
        paid_interest=D("0.00"),
        paid_principal=D("0.00"),
        outstanding_costs=D("0.00"),
        outstanding_interest=D("549.80"),
        outstanding_principal=D("10000.00"),
    )
    assert ledger.awards[1].outstanding == D("10549.80")

    # A full year of interest, 1 July 2023 to 1 July 2024: 184 + 182 = 366 days, each once;
    # 2024's 182: 10000 * 5.75 / 100 * 182 / 365 = 286.712… → 286.71; 264.66 + 286.71 = 551.37
    year = compute([award], [], as_of=day("2024-07-01"), rates=legal_rates())
    assert [(line.days, line.amount) for line in year.interest_lines] == [
        (184, D("264.66")),
        (182, D("286.71")),
    ]
    assert year.awards[1].interest == D("551.37")


def test_each_interest_line_is_rounded_half_up_on_its_own() -> None:
    award = damages(1, "1000.00", PIMP, interest=legal("2023-12-02"))

    ledger = compute([award], [], as_of=day("2024-01-30"), rates=legal_rates())

    # 2023-12-02..31 (up to 1 January): 30 days: 1000 * 5.25 / 100 * 30 / 365 = 4.3150… → 4.32
    # 2024-01-01..29 (up to the 30th):  29 days: 1000 * 5.75 / 100 * 29 / 365 = 4.5684… → 4.57
    # 4.32 + 4.57 = 8.89 (rounding the unrounded sum 8.8835… once would give 8.88)
    assert [line.amount for line in ledger.interest_lines] == [D("4.32"), D("4.57")]
    assert ledger.awards[1].interest == D("8.89")


def test_a_half_cent_is_rounded_up() -> None:
    award = damages(1, "36.50", PIMP, interest=fixed("2025-01-01", "1.00"))

    ledger = compute([award], [], as_of=day("2025-01-06"), rates=[])

    # 1 to 5 January (the 6th, the ledger's date, not counted): 5 days:
    # 36.50 * 1 / 100 * 5 / 365 = 0.005 exactly → 0.01 (half-up, not half-even)
    assert ledger.awards[1].interest == D("0.01")


def test_a_fixed_court_rate_replaces_the_legal_rate_and_needs_no_rate_table() -> None:
    award = damages(1, "2500.00", PIMP, interest=fixed("2024-03-01", "8.00"))

    ledger = compute([award], [], as_of=day("2025-03-01"), rates=[])

    # One year, 1 March 2024 to 1 March 2025 (excluded), 365 days (29 February 2024 is before it):
    # 2024-03-01..12-31: 306 days: 2500 * 8 / 100 * 306 / 365 = 167.671… → 167.67
    # 2025-01-01..02-28:  59 days: 2500 * 8 / 100 *  59 / 365 =  32.328… →  32.33
    assert [(line.days, line.percent, line.amount) for line in ledger.interest_lines] == [
        (306, D("8.00"), D("167.67")),
        (59, D("8.00"), D("32.33")),
    ]
    # a year's interest at 8 %: 167.67 + 32.33 = 200.00
    assert ledger.awards[1].interest == D("200.00")


def test_actual_actual_counts_366_days_in_a_leap_year_and_365_in_others() -> None:
    whole_2024 = damages(1, "10000.00", PIMP, interest=legal("2024-01-01"))
    across = damages(2, "10000.00", PIMP, interest=legal("2023-12-01"))
    # as of 1 January 2025: every day of 2024 and none of 2025 (no line, no 2025 rate needed)
    as_of = day("2025-01-01")

    default = compute([whole_2024], [], as_of=as_of, rates=legal_rates())
    actual = compute([whole_2024], [], as_of=as_of, rates=legal_rates(), day_count="actual/actual")
    # 2024 has 366 days: 10000 * 5.75 / 100 * 366 / 365 = 576.575… → 576.58 (actual/365)
    #                    10000 * 5.75 / 100 * 366 / 366 = 575.00            (actual/actual)
    assert default.interest_lines == (
        InterestLine(
            1, day("2024-01-01"), day("2024-12-31"), D("10000.00"), D("5.75"), 365, D("576.58")
        ),
    )
    assert default.interest_lines[0].days == 366
    assert default.awards[1].interest == D("576.58")
    assert actual.awards[1].interest == D("575.00")

    ledger = compute(
        [across], [], as_of=day("2024-01-31"), rates=legal_rates(), day_count="actual/actual"
    )
    # 2023-12-01..31: 31 days: 10000 * 5.25 / 100 * 31 / 365 = 44.589… → 44.59
    # 2024-01-01..30: 30 days (up to the 31st): 10000 * 5.75 / 100 * 30 / 366 = 47.131… → 47.13
    assert [(line.year_days, line.amount) for line in ledger.interest_lines] == [
        (365, D("44.59")),
        (366, D("47.13")),
    ]
    assert ledger.awards[2].interest == D("91.72")


def test_interest_runs_from_its_start_date_on_the_capital_left_by_earlier_payments() -> None:
    award = damages(1, "1000.00", PIMP, interest=fixed("2025-07-01", "10.00"))

    ledger = compute(
        [award], [paid(1, "2025-03-01", "400.00", PIMP)], as_of=day("2025-12-31"), rates=[]
    )

    # No interest before 1 July, so the 400.00 all goes to principal: 600.00 bears interest.
    # 2025-07-01..12-30 (up to the 31st, the ledger's date): 183 days:
    # 600 * 10 / 100 * 183 / 365 = 30.082… → 30.08
    assert ledger.interest_lines == (
        InterestLine(
            1, day("2025-07-01"), day("2025-12-30"), D("600.00"), D("10.00"), 365, D("30.08")
        ),
    )
    assert ledger.awards[1].outstanding == D("630.08")

    # Paid on the start day itself: nothing has accrued before it, and that day already bears
    # interest on the 600.00 left, so the lines are the same.
    on_the_start = compute(
        [award], [paid(1, "2025-07-01", "400.00", PIMP)], as_of=day("2025-12-31"), rates=[]
    )
    assert on_the_start.applications[0].allocations == (Allocation(1, "principal", D("400.00")),)
    assert on_the_start.interest_lines == ledger.interest_lines


def test_interest_starting_after_the_ledger_date_accrues_nothing_and_needs_no_rate() -> None:
    award = damages(1, "1000.00", PIMP, interest=legal("2031-01-01"))

    ledger = compute([award], [], as_of=day("2025-06-30"), rates=[])

    assert ledger.interest_lines == ()
    assert ledger.awards[1].interest == D("0.00")
    assert ledger.awards[1].outstanding == D("1000.00")
    # starting on the ledger's date: no day before it bears interest yet
    on_the_day = compute([award], [], as_of=day("2031-01-01"), rates=[])
    assert (on_the_day.interest_lines, on_the_day.awards[1].interest) == ((), D("0.00"))


def test_a_payment_day_bears_interest_once_on_the_capital_left_after_the_payment() -> None:
    award = damages(1, "1000.00", PIMP, interest=fixed("2025-03-01", "10.00"))

    ledger = compute(
        [award], [paid(1, "2025-03-11", "500.00", PIMP)], as_of=day("2025-03-21"), rates=[]
    )

    # Interest due on 11 March: the 10 days before it, 1-10 March:
    #   1000 * 10 / 100 * 10 / 365 = 2.739… → 2.74; the 500.00 pays it and 497.26 of principal,
    #   leaving 502.74.
    # 11 March (the payment day) to 21 March (the ledger's date, excluded): 10 days on 502.74:
    #   502.74 * 10 / 100 * 10 / 365 = 1.377… → 1.38
    assert ledger.applications[0].allocations == (
        Allocation(1, "interest", D("2.74")),
        Allocation(1, "principal", D("497.26")),
    )
    assert ledger.interest_lines == (
        InterestLine(
            1, day("2025-03-01"), day("2025-03-10"), D("1000.00"), D("10.00"), 365, D("2.74")
        ),
        InterestLine(
            1, day("2025-03-11"), day("2025-03-20"), D("502.74"), D("10.00"), 365, D("1.38")
        ),
    )
    # 1 to 20 March, 20 days, each once: 10 + 10
    assert sum(line.days for line in ledger.interest_lines) == 20
    assert ledger.awards[1].outstanding == D("504.12")  # 502.74 + 1.38


def test_one_capitals_statement_is_the_ledgers_and_a_zero_reduction_changes_nothing() -> None:
    interest = fixed("2025-03-01", "10.00")
    # the capital of the example above: 1000.00, of which 497.26 paid on 11 March
    lines = interest_statement(
        D("1000.00"),
        interest,
        [(day("2025-03-11"), D("497.26"))],
        as_of=day("2025-03-21"),
        rates=[],
    )

    # 1-10 March on 1000.00 (2.74) and 11-20 March on 502.74 (1.38), as computed above
    assert [(line.first_day, line.days, line.base, line.amount) for line in lines] == [
        (day("2025-03-01"), 10, D("1000.00"), D("2.74")),
        (day("2025-03-11"), 10, D("502.74"), D("1.38")),
    ]
    # A zero on 14 March lowers no capital, so it cuts no line: 11-20 March stays one line, 1.38.
    # (Cut there, the halves would be rounded apart: 11-13 March, 502.74 * 10 / 100 * 3 / 365
    # = 0.413… → 0.41, and 14-20 March, 502.74 * 10 / 100 * 7 / 365 = 0.964… → 0.96: 1.37.)
    with_zero = [(day("2025-03-11"), D("497.26")), (day("2025-03-14"), D("0.00"))]
    assert (
        interest_statement(D("1000.00"), interest, with_zero, as_of=day("2025-03-21"), rates=[])
        == lines
    )


@pytest.mark.parametrize(
    ("reductions", "message"),
    [
        ([(day("2025-03-11"), D("-1.00"))], "Reduction on 2025-03-11: Decimal('-1.00') is not"),
        ([(day("2025-03-11"), D("0.001"))], "Reduction on 2025-03-11: Decimal('0.001') is not"),
        (
            [(day("2025-03-11"), D("600.00")), (day("2025-03-12"), D("400.01"))],
            "Reduction on 2025-03-12: 400.01 is more than the capital left.",
        ),
    ],
)
def test_a_statement_refuses_reductions_that_are_not_cents_or_exceed_the_capital(
    reductions: list[tuple[dt.date, Decimal]], message: str
) -> None:
    with pytest.raises(LedgerError, match=re.escape(message)):
        interest_statement(
            D("1000.00"),
            fixed("2025-03-01", "10.00"),
            reductions,
            as_of=day("2025-03-21"),
            rates=[],
        )


def test_paying_the_balance_the_ledger_shows_on_a_day_clears_it_that_day() -> None:
    award = damages(1, "1000.00", PIMP, interest=fixed("2025-03-01", "10.00"))

    # On its start day nothing has accrued yet; the next day, one day has: 1 March itself,
    # 1000 * 10 / 100 * 1 / 365 = 0.273… → 0.27
    assert compute([award], [], as_of=day("2025-03-01"), rates=[]).awards[1].outstanding == D(
        "1000.00"
    )
    on_the_day = compute([award], [], as_of=day("2025-03-02"), rates=[])
    assert on_the_day.awards[1].outstanding == D("1000.27")

    later = compute(
        [award], [paid(1, "2025-03-02", "1000.27", PIMP)], as_of=day("2025-12-31"), rates=[]
    )

    # 0.27 interest, then 1000.00 principal: from 2 March on, nothing is left to bear interest
    assert later.applications[0].allocations == (
        Allocation(1, "interest", D("0.27")),
        Allocation(1, "principal", D("1000.00")),
    )
    assert later.awards[1].interest == D("0.27")
    assert later.awards[1].outstanding == D("0.00")
    assert later.credit == D("0.00")


def test_the_readme_example_of_two_payments() -> None:
    """README.md, Civil claims, "Interest days": €10,000 from 1 November 2024, €2,000 paid on
    1 December 2024 and €3,000 on 1 March 2025, as of 1 May 2025."""
    award = damages(1, "10000.00", PIMP, interest=legal("2024-11-01"))
    payments = [paid(1, "2024-12-01", "2000.00", PIMP), paid(2, "2025-03-01", "3000.00", PIMP)]

    ledger = compute([award], payments, as_of=day("2025-05-01"), rates=legal_rates())

    # 1-30 Nov 2024, 30 days: 10000 * 5.75 / 100 * 30 / 365 = 47.260… → 47.26
    # 1 Dec: 2000.00 = interest 47.26 + principal 1952.74 → 8047.26
    # 1-31 Dec 2024, 31 days: 8047.26 * 5.75 / 100 * 31 / 365 = 39.299… → 39.30
    # 1 Jan-28 Feb 2025, 59 days: 8047.26 * 4.5 / 100 * 59 / 365 = 58.535… → 58.54
    # 1 Mar: 3000.00 = interest 39.30 + 58.54 = 97.84 + principal 2902.16 → 5145.10
    # 1 Mar-30 Apr 2025, 61 days (1 May, the ledger's date, not counted):
    #   5145.10 * 4.5 / 100 * 61 / 365 = 38.693… → 38.69
    assert [
        (line.first_day, line.last_day, line.days, line.base, line.percent, line.amount)
        for line in ledger.interest_lines
    ] == [
        (day("2024-11-01"), day("2024-11-30"), 30, D("10000.00"), D("5.75"), D("47.26")),
        (day("2024-12-01"), day("2024-12-31"), 31, D("8047.26"), D("5.75"), D("39.30")),
        (day("2025-01-01"), day("2025-02-28"), 59, D("8047.26"), D("4.50"), D("58.54")),
        (day("2025-03-01"), day("2025-04-30"), 61, D("5145.10"), D("4.50"), D("38.69")),
    ]
    assert [application.allocations for application in ledger.applications] == [
        (Allocation(1, "interest", D("47.26")), Allocation(1, "principal", D("1952.74"))),
        (Allocation(1, "interest", D("97.84")), Allocation(1, "principal", D("2902.16"))),
    ]
    # 47.26 + 39.30 + 58.54 + 38.69 = 183.79, of which 47.26 + 97.84 = 145.10 paid
    balance = ledger.awards[1]
    assert (balance.interest, balance.paid_interest, balance.outstanding) == (
        D("183.79"),
        D("145.10"),
        D("5183.79"),  # 5145.10 + 38.69
    )
    # 30 + 31 + 59 + 61 = 181 days, 1 November to 30 April, each once
    assert sum(line.days for line in ledger.interest_lines) == 181


# --- Rate table --------------------------------------------------------------------------------


def test_a_year_missing_from_the_rate_table_is_refused_naming_the_year() -> None:
    award = damages(1, "1000.00", PIMP, interest=legal("2026-06-01"))

    with pytest.raises(
        RateGap, match=r"^No legal interest rate for 2027: add it to the rate table\.$"
    ) as caught:
        compute([award], [], as_of=day("2027-03-01"), rates=legal_rates())

    assert caught.value.year == 2027
    # as of 1 January 2027, the last day bearing interest is 31 December 2026: no 2027 rate needed
    # (1 June to 31 December 2026, 214 days: 1000 * 4.5 / 100 * 214 / 365 = 26.383… → 26.38)
    new_year = compute([award], [], as_of=day("2027-01-01"), rates=legal_rates())
    assert new_year.awards[1].interest == D("26.38")


def test_a_gap_inside_the_rate_table_names_the_missing_year() -> None:
    award = damages(1, "1000.00", PIMP, interest=legal("2019-06-01"))

    with pytest.raises(
        RateGap, match=re.escape("No legal interest rate for 2020: add it to the rate table.")
    ):
        compute([award], [], as_of=day("2021-03-01"), rates=legal_rates(without=2020))

    # a ledger dated 1 January 2020 counts no day of 2020, so it does not need 2020's rate:
    before = compute([award], [], as_of=day("2020-01-01"), rates=legal_rates(without=2020))
    # 2019-06-01..12-31: 214 days: 1000 * 2 / 100 * 214 / 365 = 11.726… → 11.73
    assert before.awards[1].interest == D("11.73")


def test_rate_periods_need_not_follow_calendar_years() -> None:
    # The law sets one rate per year, but the table holds periods: a change on 1 July cuts the line.
    rates = [
        RatePeriod(day("2025-01-01"), day("2025-06-30"), D("4.00")),
        RatePeriod(day("2025-07-01"), None, D("6.00")),
    ]
    award = damages(1, "1000.00", PIMP, interest=legal("2025-06-01"))

    ledger = compute([award], [], as_of=day("2026-01-31"), rates=rates)

    # 2025-06-01..06-30:  30 days: 1000 * 4 / 100 *  30 / 365 =  3.287… →  3.29
    # 2025-07-01..12-31: 184 days: 1000 * 6 / 100 * 184 / 365 = 30.246… → 30.25
    # 2026-01-01..01-30:  30 days (up to the 31st): 1000 * 6 / 100 * 30 / 365 = 4.931… → 4.93
    assert [(line.days, line.amount) for line in ledger.interest_lines] == [
        (30, D("3.29")),
        (184, D("30.25")),
        (30, D("4.93")),
    ]
    assert ledger.awards[1].interest == D("38.47")


# --- Imputation --------------------------------------------------------------------------------


def test_a_partial_payment_is_imputed_on_costs_then_interest_then_principal() -> None:
    moral = damages(1, "5000.00", PIMP, interest=legal("2024-01-01", "compensatory"))
    indemnity = costs(2, "1200.00", PIMP)

    ledger = compute(
        [moral, indemnity],
        [paid(1, "2024-12-31", "2000.00", PIMP)],
        as_of=day("2025-06-30"),
        rates=legal_rates(),
    )

    # Interest due on 31 December 2024: the days before it, 1 January-30 December, 365 days:
    # 5000 * 5.75 / 100 * 365 / 365 = 287.50
    # 2000.00 = costs 1200.00 + interest 287.50 + principal 512.50; principal left 4487.50
    assert ledger.applications[0].allocations == (
        Allocation(2, "costs", D("1200.00")),
        Allocation(1, "interest", D("287.50")),
        Allocation(1, "principal", D("512.50")),
    )
    # 31 December 2024, the payment day, on what is left: 4487.5 * 5.75 / 100 * 1 / 365
    #   = 0.706… → 0.71
    # 2025-01-01..06-29 (180 days, up to the ledger's date): 4487.5 * 4.5 / 100 * 180 / 365
    #   = 99.585… → 99.59
    assert [(line.base, line.days, line.amount) for line in ledger.interest_lines] == [
        (D("5000.00"), 365, D("287.50")),
        (D("4487.50"), 1, D("0.71")),
        (D("4487.50"), 180, D("99.59")),
    ]
    # 287.50 + 0.71 + 99.59 = 387.80, of which 0.71 + 99.59 = 100.30 outstanding
    assert ledger.awards[1] == Balance(
        principal=D("5000.00"),
        costs=D("0.00"),
        interest=D("387.80"),
        paid_costs=D("0.00"),
        paid_interest=D("287.50"),
        paid_principal=D("512.50"),
        outstanding_costs=D("0.00"),
        outstanding_interest=D("100.30"),
        outstanding_principal=D("4487.50"),
    )
    assert ledger.awards[2].outstanding == D("0.00")
    assert ledger.debtors[PIMP].outstanding == D("4587.80")
    assert ledger.debtors[PIMP].paid == D("2000.00")


def test_a_payment_that_only_reaches_interest_leaves_the_capital_and_its_line_unbroken() -> None:
    award = damages(1, "1000.00", PIMP, interest=fixed("2025-01-01", "7.00"))

    ledger = compute(
        [award], [paid(1, "2025-03-01", "10.00", PIMP)], as_of=day("2025-06-30"), rates=[]
    )

    # Interest due on 2025-03-01: the 59 days before it (31 + 28):
    # 1000 * 7 / 100 * 59 / 365 = 11.315… → 11.32; the 10.00 all goes to it
    assert ledger.applications[0].allocations == (Allocation(1, "interest", D("10.00")),)
    # One line 2025-01-01..06-29 (180 days): 1000 * 7 / 100 * 180 / 365 = 34.520… → 34.52
    assert [(line.days, line.amount) for line in ledger.interest_lines] == [(180, D("34.52"))]
    assert ledger.awards[1].outstanding_interest == D("24.52")
    assert ledger.awards[1].outstanding_principal == D("1000.00")


def test_the_imputation_order_can_be_set_by_the_judgment() -> None:
    awards = [
        damages(1, "1000.00", PIMP, interest=fixed("2025-01-01", "10.00")),
        costs(2, "200.00", PIMP),
    ]
    payments = [paid(1, "2026-01-01", "1100.00", PIMP)]
    # Interest due on 2026-01-01: the whole of 2025, 365 days: 1000 * 10 / 100 * 365 / 365 = 100.00

    usual = compute(awards, payments, as_of=day("2026-01-01"), rates=[])
    principal_first = compute(
        awards,
        payments,
        as_of=day("2026-01-01"),
        rates=[],
        imputation=("principal", "interest", "costs"),
    )

    assert usual.applications[0].allocations == (
        Allocation(2, "costs", D("200.00")),
        Allocation(1, "interest", D("100.00")),
        Allocation(1, "principal", D("800.00")),
    )
    assert principal_first.applications[0].allocations == (
        Allocation(1, "principal", D("1000.00")),
        Allocation(1, "interest", D("100.00")),
    )
    assert principal_first.awards[2].outstanding_costs == D("200.00")


def test_same_day_payments_are_applied_by_id_whatever_the_order_given() -> None:
    award = damages(1, "100.00", CLIENT_A, CLIENT_B)
    later_id = paid(2, "2025-04-01", "80.00", CLIENT_B)
    earlier_id = paid(1, "2025-04-01", "80.00", CLIENT_A)

    ledger = compute([award], [later_id, earlier_id], as_of=day("2025-04-30"), rates=[])

    # payment 1 pays 80.00; payment 2 finds 20.00 left and 60.00 becomes client B's credit
    assert [(a.payment.id, a.credit) for a in ledger.applications] == [
        (1, D("0.00")),
        (2, D("60.00")),
    ]
    assert ledger.debtors[CLIENT_B].credit == D("60.00")


def test_payments_after_the_ledger_date_are_left_out() -> None:
    award = damages(1, "1000.00", PIMP)

    ledger = compute(
        [award], [paid(1, "2025-05-02", "300.00", PIMP)], as_of=day("2025-05-01"), rates=[]
    )

    assert ledger.applications == ()
    assert ledger.received == D("0.00")
    assert ledger.awards[1].outstanding == D("1000.00")
    # a payment on the ledger's date counts
    on_the_day = compute(
        [award], [paid(1, "2025-05-02", "300.00", PIMP)], as_of=day("2025-05-02"), rates=[]
    )
    assert on_the_day.awards[1].outstanding == D("700.00")


# --- Several debtors, other sources, overpayment -----------------------------------------------


def test_a_co_debtors_payment_reduces_the_joint_award_for_all_and_not_separate_awards() -> None:
    awards = [
        damages(1, "6000.00", PIMP, CLIENT_A, CLIENT_B),  # moral damage, in solidum
        damages(2, "2000.00", PIMP),  # the pimp alone: lost income
        costs(3, "500.00", PIMP, CLIENT_A, CLIENT_B),  # procedural indemnity, in solidum
        damages(4, "1500.00", CLIENT_A),  # client A alone
    ]

    ledger = compute(
        awards, [paid(1, "2025-05-01", "2500.00", CLIENT_B)], as_of=day("2025-06-30"), rates=[]
    )

    # Client B is liable for awards 1 and 3 only: costs 500.00 (award 3), then principal 2000.00
    # (award 1, leaving 4000.00).
    assert ledger.applications[0].allocations == (
        Allocation(3, "costs", D("500.00")),
        Allocation(1, "principal", D("2000.00")),
    )
    assert [ledger.awards[i].outstanding for i in (1, 2, 3, 4)] == [
        D("4000.00"),
        D("2000.00"),
        D("0.00"),
        D("1500.00"),
    ]
    # Each debtor still owes the whole remaining joint award, plus their own awards:
    # pimp 4000 + 2000 = 6000; client A 4000 + 1500 = 5500; client B 4000.
    assert {d: b.outstanding for d, b in ledger.debtors.items()} == {
        PIMP: D("6000.00"),
        CLIENT_A: D("5500.00"),
        CLIENT_B: D("4000.00"),
    }
    assert ledger.debtors[PIMP].award_ids == (1, 2, 3)
    assert ledger.debtors[CLIENT_A].award_ids == (1, 3, 4)
    assert {d: b.paid for d, b in ledger.debtors.items()} == {
        PIMP: D("0.00"),
        CLIENT_A: D("0.00"),
        CLIENT_B: D("2500.00"),
    }
    # The totals count each award once: 4000 + 2000 + 1500
    assert ledger.totals.outstanding == D("7500.00")


def test_a_co_debtors_payment_lowers_the_interest_every_debtor_owes_on_the_joint_award() -> None:
    joint = damages(1, "2000.00", PIMP, CLIENT_A, interest=fixed("2025-01-01", "10.00"))

    ledger = compute(
        [joint], [paid(1, "2025-01-31", "1000.00", CLIENT_A)], as_of=day("2025-03-31"), rates=[]
    )

    # 2025-01-01..30 (before the payment day): 30 days on 2000:
    #   2000 * 10 / 100 * 30 / 365 = 16.438… → 16.44
    # 1000.00 = interest 16.44 + principal 983.56; principal left 1016.44
    # 2025-01-31..03-30 (the payment day up to the ledger's date): 1 + 28 + 30 = 59 days on
    #   1016.44: 1016.44 * 10 / 100 * 59 / 365 = 16.430… → 16.43
    assert [line.amount for line in ledger.interest_lines] == [D("16.44"), D("16.43")]
    # 1016.44 + 16.43 = 1032.87, owed in full by each of them
    assert ledger.debtors[PIMP].outstanding == D("1032.87")
    assert ledger.debtors[CLIENT_A].outstanding == D("1032.87")
    assert ledger.totals.outstanding == D("1032.87")


def test_a_state_fund_payment_reaches_every_award_in_imputation_order() -> None:
    awards = [
        damages(1, "3000.00", PIMP),
        damages(2, "1000.00", CLIENT_A),
        costs(3, "300.00", PIMP, CLIENT_A),
    ]

    ledger = compute(
        awards, [paid(1, "2025-09-01", "3500.00", None)], as_of=day("2025-09-30"), rates=[]
    )

    # costs 300.00, then principal in award order: 3000.00 (award 1), 200.00 of award 2
    assert ledger.applications[0].allocations == (
        Allocation(3, "costs", D("300.00")),
        Allocation(1, "principal", D("3000.00")),
        Allocation(2, "principal", D("200.00")),
    )
    assert ledger.debtors[PIMP].outstanding == D("0.00")
    assert ledger.debtors[CLIENT_A].outstanding == D("800.00")
    assert ledger.received_from_other_sources == D("3500.00")
    assert ledger.debtors[PIMP].paid == ledger.debtors[CLIENT_A].paid == D("0.00")
    assert ledger.totals.paid == D("3500.00")


def test_an_overpayment_becomes_the_payers_unapplied_credit() -> None:
    joint = damages(1, "1000.00", PIMP, CLIENT_A)

    ledger = compute(
        [joint],
        [paid(1, "2025-02-01", "900.00", CLIENT_A), paid(2, "2025-03-01", "250.00", PIMP)],
        as_of=day("2025-03-31"),
        rates=[],
    )

    # 900.00 leaves 100.00; the pimp's 250.00 pays it and 150.00 finds nothing left to pay
    assert ledger.applications[1].allocations == (Allocation(1, "principal", D("100.00")),)
    assert ledger.applications[1].credit == D("150.00")
    assert ledger.debtors[PIMP].paid == D("250.00")
    assert ledger.debtors[PIMP].credit == D("150.00")
    assert ledger.debtors[CLIENT_A].credit == D("0.00")
    assert ledger.totals.outstanding == D("0.00")
    # received 1150.00 = applied 1000.00 + credit 150.00
    assert ledger.received == D("1150.00")
    assert ledger.totals.paid == D("1000.00")
    assert ledger.credit == D("150.00")


def test_the_result_does_not_depend_on_the_callers_decimal_precision() -> None:
    award = damages(1, "123456.78", PIMP, interest=legal("2023-07-01"))
    expected = compute([award], [], as_of=day("2024-06-30"), rates=legal_rates())

    with localcontext(prec=5):
        ledger = compute([award], [], as_of=day("2024-06-30"), rates=legal_rates())

    # 184 days of 2023, 181 of 2024 (up to 30 June):
    # 123456.78 * 5.25 / 100 * 184 / 365 = 3267.376… → 3267.38
    # 123456.78 * 5.75 / 100 * 181 / 365 = 3520.209… → 3520.21; 3267.38 + 3520.21 = 6787.59
    assert ledger.awards[1].interest == expected.awards[1].interest == D("6787.59")


# --- Refused input -----------------------------------------------------------------------------

ONE = damages(1, "100.00", PIMP)


@pytest.mark.parametrize(
    ("awards", "payments", "message"),
    [
        ([damages(1, "100.005", PIMP)], [], "Award 1: Decimal('100.005') is not a positive amount"),
        ([damages(1, "0.00", PIMP)], [], "Award 1: Decimal('0.00') is not a positive amount"),
        ([damages(1, "-5.00", PIMP)], [], "Award 1: Decimal('-5.00') is not a positive amount"),
        ([Award(1, "damages", 100.0, frozenset({PIMP}))], [], "Award 1: 100.0 is not a positive"),  # type: ignore[arg-type]
        ([damages(1, "100.00")], [], "Award 1 has no debtor."),
        ([ONE, damages(1, "5.00", PIMP)], [], "Two awards have the same id."),
        (
            [damages(1, "100.00", PIMP, interest=fixed("2025-01-01", "-1"))],
            [],
            "is not a percentage",
        ),
        ([ONE], [paid(1, "2025-01-01", "0.00", PIMP)], "Payment 1: Decimal('0.00') is not"),
        ([ONE], [paid(1, "2025-01-01", "1.001", PIMP)], "Payment 1: Decimal('1.001') is not"),
        ([ONE], [paid(1, "2025-01-01", "10.00", CLIENT_A)], "payer 2 is not a debtor of any award"),
        (
            [ONE],
            [paid(1, "2025-01-01", "1.00", PIMP), paid(1, "2025-01-02", "1.00", PIMP)],
            "Two payments have the same id.",
        ),
    ],
)
def test_malformed_input_is_refused_with_a_message(
    awards: list[Award], payments: list[Payment], message: str
) -> None:
    with pytest.raises(LedgerError, match=re.escape(message)):
        compute(awards, payments, as_of=day("2025-06-30"), rates=legal_rates())


def test_an_imputation_order_must_name_each_bucket_once() -> None:
    with pytest.raises(LedgerError, match="must name costs, interest and principal once each"):
        compute(
            [ONE],
            [],
            as_of=day("2025-06-30"),
            rates=[],
            imputation=("costs", "interest", "interest"),
        )


def test_an_unknown_day_count_is_refused() -> None:
    with pytest.raises(LedgerError, match="Unknown day count 'actual/360'"):
        compute([ONE], [], as_of=day("2025-06-30"), rates=[], day_count="actual/360")  # type: ignore[arg-type]


def test_overlapping_rate_periods_are_refused() -> None:
    rates = [
        RatePeriod(day("2025-01-01"), day("2025-12-31"), D("4.50")),
        RatePeriod(day("2025-12-01"), None, D("5.00")),
    ]
    with pytest.raises(
        LedgerError, match=re.escape("The legal rates from 2025-01-01 and from 2025-12-01 overlap.")
    ):
        compute([ONE], [], as_of=day("2025-06-30"), rates=rates)


# --- Combining the ledgers of several judgments ------------------------------------------------


def test_combined_ledgers_put_awards_side_by_side_and_sum_each_debtors_figures() -> None:
    """Judgment 1: €1,000 owed by debtors 1 and 2 jointly; debtor 2 pays €300. Judgment 2: €500
    owed by debtor 1 alone, who pays €100. Debtor 1 owes 700 + 400 = 1,100; debtor 2 owes 700."""
    day = dt.date(2025, 6, 30)
    first = compute(
        [Award(1, "damages", Decimal("1000.00"), frozenset({1, 2}))],
        [Payment(1, day, Decimal("300.00"), 2)],
        as_of=day,
        rates=[],
    )
    second = compute(
        [Award(2, "damages", Decimal("500.00"), frozenset({1}))],
        [Payment(2, day, Decimal("100.00"), 1)],
        as_of=day,
        rates=[],
    )

    both = combine([first, second], as_of=day)

    assert list(both.awards) == [1, 2]
    assert {
        debtor: (balance.award_ids, balance.outstanding, balance.paid)
        for debtor, balance in both.debtors.items()
    } == {
        1: ((1, 2), Decimal("1100.00"), Decimal("100.00")),
        2: ((1,), Decimal("700.00"), Decimal("300.00")),
    }
    assert (both.totals.due, both.totals.outstanding, both.received) == (
        Decimal("1500.00"),
        Decimal("1100.00"),
        Decimal("400.00"),
    )


def test_ledgers_at_different_dates_or_sharing_an_award_are_not_combined() -> None:
    award = [Award(1, "damages", Decimal("10.00"), frozenset({1}))]
    june = compute(award, [], as_of=dt.date(2025, 6, 30), rates=[])
    july = compute(award, [], as_of=dt.date(2025, 7, 31), rates=[])

    with pytest.raises(LedgerError, match="cannot be combined"):
        combine([june, july], as_of=dt.date(2025, 6, 30))
    with pytest.raises(LedgerError, match="share an award"):
        combine([june, june], as_of=dt.date(2025, 6, 30))
