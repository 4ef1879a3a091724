"""The claims ledger on worked examples, each computed by hand in its comments (DOMAIN.md §5-6).

Interest lines are capital * percent / 100 * days / 365 (or 366), rounded half-up to the cent;
days count inclusively (1 July to 31 December is 184 days). The properties that must hold for
any claim are in test_ledger_properties.py."""

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

    # 2023-07-01..2023-12-31: 184 days at 5.25 %: 10000 * 5.25 / 100 * 184 / 365 = 264.657… → 264.66
    # 2024-01-01..2024-06-30: 182 days at 5.75 %: 10000 * 5.75 / 100 * 182 / 365 = 286.712… → 286.71
    assert ledger.interest_lines == (
        InterestLine(
            1, day("2023-07-01"), day("2023-12-31"), D("10000.00"), D("5.25"), 365, D("264.66")
        ),
        InterestLine(
            1, day("2024-01-01"), day("2024-06-30"), D("10000.00"), D("5.75"), 365, D("286.71")
        ),
    )
    assert [line.days for line in ledger.interest_lines] == [184, 182]
    # 264.66 + 286.71 = 551.37
    assert ledger.awards[1] == Balance(
        principal=D("10000.00"),
        costs=D("0.00"),
        interest=D("551.37"),
        paid_costs=D("0.00"),
        paid_interest=D("0.00"),
        paid_principal=D("0.00"),
        outstanding_costs=D("0.00"),
        outstanding_interest=D("551.37"),
        outstanding_principal=D("10000.00"),
    )
    assert ledger.awards[1].outstanding == D("10551.37")


def test_each_interest_line_is_rounded_half_up_on_its_own() -> None:
    award = damages(1, "1000.00", PIMP, interest=legal("2023-12-02"))

    ledger = compute([award], [], as_of=day("2024-01-30"), rates=legal_rates())

    # 2023-12-02..31: 30 days: 1000 * 5.25 / 100 * 30 / 365 = 4.3150… → 4.32
    # 2024-01-01..30: 30 days: 1000 * 5.75 / 100 * 30 / 365 = 4.7260… → 4.73
    # 4.32 + 4.73 = 9.05 (rounding the unrounded sum 9.0410… once would give 9.04)
    assert [line.amount for line in ledger.interest_lines] == [D("4.32"), D("4.73")]
    assert ledger.awards[1].interest == D("9.05")


def test_a_half_cent_is_rounded_up() -> None:
    award = damages(1, "36.50", PIMP, interest=fixed("2025-01-01", "1.00"))

    ledger = compute([award], [], as_of=day("2025-01-05"), rates=[])

    # 36.50 * 1 / 100 * 5 / 365 = 0.005 exactly → 0.01 (half-up, not half-even)
    assert ledger.awards[1].interest == D("0.01")


def test_a_fixed_court_rate_replaces_the_legal_rate_and_needs_no_rate_table() -> None:
    award = damages(1, "2500.00", PIMP, interest=fixed("2024-03-01", "8.00"))

    ledger = compute([award], [], as_of=day("2025-02-28"), rates=[])

    # 2024-03-01..12-31: 306 days: 2500 * 8 / 100 * 306 / 365 = 167.671… → 167.67
    # 2025-01-01..02-28:  59 days: 2500 * 8 / 100 *  59 / 365 =  32.328… →  32.33
    assert [(line.days, line.percent, line.amount) for line in ledger.interest_lines] == [
        (306, D("8.00"), D("167.67")),
        (59, D("8.00"), D("32.33")),
    ]
    assert ledger.awards[1].interest == D("200.00")


def test_actual_actual_counts_366_days_in_a_leap_year_and_365_in_others() -> None:
    whole_2024 = damages(1, "10000.00", PIMP, interest=legal("2024-01-01"))
    across = damages(2, "10000.00", PIMP, interest=legal("2023-12-01"))
    as_of = day("2024-12-31")

    default = compute([whole_2024], [], as_of=as_of, rates=legal_rates())
    actual = compute([whole_2024], [], as_of=as_of, rates=legal_rates(), day_count="actual/actual")
    # 2024 has 366 days: 10000 * 5.75 / 100 * 366 / 365 = 576.575… → 576.58 (actual/365)
    #                    10000 * 5.75 / 100 * 366 / 366 = 575.00            (actual/actual)
    assert default.awards[1].interest == D("576.58")
    assert actual.awards[1].interest == D("575.00")

    ledger = compute(
        [across], [], as_of=day("2024-01-31"), rates=legal_rates(), day_count="actual/actual"
    )
    # 2023-12-01..31: 10000 * 5.25 / 100 * 31 / 365 = 44.589… → 44.59
    # 2024-01-01..31: 10000 * 5.75 / 100 * 31 / 366 = 48.702… → 48.70
    assert [(line.year_days, line.amount) for line in ledger.interest_lines] == [
        (365, D("44.59")),
        (366, D("48.70")),
    ]
    assert ledger.awards[2].interest == D("93.29")


def test_interest_runs_from_its_start_date_on_the_capital_left_by_earlier_payments() -> None:
    award = damages(1, "1000.00", PIMP, interest=fixed("2025-07-01", "10.00"))

    ledger = compute(
        [award], [paid(1, "2025-03-01", "400.00", PIMP)], as_of=day("2025-12-31"), rates=[]
    )

    # No interest before 1 July, so the 400.00 all goes to principal: 600.00 bears interest.
    # 2025-07-01..12-31: 184 days: 600 * 10 / 100 * 184 / 365 = 30.246… → 30.25
    assert ledger.interest_lines == (
        InterestLine(
            1, day("2025-07-01"), day("2025-12-31"), D("600.00"), D("10.00"), 365, D("30.25")
        ),
    )
    assert ledger.awards[1].outstanding == D("630.25")


def test_interest_starting_after_the_ledger_date_accrues_nothing_and_needs_no_rate() -> None:
    award = damages(1, "1000.00", PIMP, interest=legal("2031-01-01"))

    ledger = compute([award], [], as_of=day("2025-06-30"), rates=[])

    assert ledger.interest_lines == ()
    assert ledger.awards[1].interest == D("0.00")
    assert ledger.awards[1].outstanding == D("1000.00")


def test_the_day_of_payment_bears_interest_and_paying_the_balance_shown_that_day_clears_it() -> (
    None
):
    award = damages(1, "1000.00", PIMP, interest=fixed("2025-03-01", "10.00"))

    on_the_day = compute([award], [], as_of=day("2025-03-01"), rates=[])
    # one day, 2025-03-01 itself: 1000 * 10 / 100 * 1 / 365 = 0.273… → 0.27
    assert on_the_day.awards[1].outstanding == D("1000.27")

    later = compute(
        [award], [paid(1, "2025-03-01", "1000.27", PIMP)], as_of=day("2025-12-31"), rates=[]
    )

    # 0.27 interest, then 1000.00 principal: nothing is left to bear interest after that day
    assert later.applications[0].allocations == (
        Allocation(1, "interest", D("0.27")),
        Allocation(1, "principal", D("1000.00")),
    )
    assert later.awards[1].interest == D("0.27")
    assert later.awards[1].outstanding == D("0.00")
    assert later.credit == D("0.00")


# --- Rate table --------------------------------------------------------------------------------


def test_a_year_missing_from_the_rate_table_is_refused_naming_the_year() -> None:
    award = damages(1, "1000.00", PIMP, interest=legal("2026-06-01"))

    with pytest.raises(
        RateGap, match=r"^No legal interest rate for 2027: add it to the rate table\.$"
    ) as caught:
        compute([award], [], as_of=day("2027-03-01"), rates=legal_rates())

    assert caught.value.year == 2027


def test_a_gap_inside_the_rate_table_names_the_missing_year() -> None:
    award = damages(1, "1000.00", PIMP, interest=legal("2019-06-01"))

    with pytest.raises(
        RateGap, match=re.escape("No legal interest rate for 2020: add it to the rate table.")
    ):
        compute([award], [], as_of=day("2021-03-01"), rates=legal_rates(without=2020))

    # a ledger dated before the gap does not need 2020
    before = compute([award], [], as_of=day("2019-12-31"), rates=legal_rates(without=2020))
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
    # 2026-01-01..01-31:  31 days: 1000 * 6 / 100 *  31 / 365 =  5.095… →  5.10
    assert [(line.days, line.amount) for line in ledger.interest_lines] == [
        (30, D("3.29")),
        (184, D("30.25")),
        (31, D("5.10")),
    ]
    assert ledger.awards[1].interest == D("38.64")


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

    # Interest to the payment, 2024 (366 days): 5000 * 5.75 / 100 * 366 / 365 = 288.287… → 288.29
    # 2000.00 = costs 1200.00 + interest 288.29 + principal 511.71; principal left 4488.29
    assert ledger.applications[0].allocations == (
        Allocation(2, "costs", D("1200.00")),
        Allocation(1, "interest", D("288.29")),
        Allocation(1, "principal", D("511.71")),
    )
    # 2025-01-01..06-30 (181 days) on 4488.29: 4488.29 * 4.5 / 100 * 181 / 365 = 100.156… → 100.16
    assert [(line.base, line.amount) for line in ledger.interest_lines] == [
        (D("5000.00"), D("288.29")),
        (D("4488.29"), D("100.16")),
    ]
    assert ledger.awards[1] == Balance(
        principal=D("5000.00"),
        costs=D("0.00"),
        interest=D("388.45"),
        paid_costs=D("0.00"),
        paid_interest=D("288.29"),
        paid_principal=D("511.71"),
        outstanding_costs=D("0.00"),
        outstanding_interest=D("100.16"),
        outstanding_principal=D("4488.29"),
    )
    assert ledger.awards[2].outstanding == D("0.00")
    assert ledger.debtors[PIMP].outstanding == D("4588.45")
    assert ledger.debtors[PIMP].paid == D("2000.00")


def test_a_payment_that_only_reaches_interest_leaves_the_capital_and_its_line_unbroken() -> None:
    award = damages(1, "1000.00", PIMP, interest=fixed("2025-01-01", "7.00"))

    ledger = compute(
        [award], [paid(1, "2025-03-01", "10.00", PIMP)], as_of=day("2025-06-30"), rates=[]
    )

    # Interest due on 2025-03-01 (60 days): 1000 * 7 / 100 * 60 / 365 = 11.506… → 11.51;
    # the 10.00 all goes to it
    assert ledger.applications[0].allocations == (Allocation(1, "interest", D("10.00")),)
    # One line 2025-01-01..06-30 (181 days): 1000 * 7 / 100 * 181 / 365 = 34.712… → 34.71
    assert [(line.days, line.amount) for line in ledger.interest_lines] == [(181, D("34.71"))]
    assert ledger.awards[1].outstanding_interest == D("24.71")
    assert ledger.awards[1].outstanding_principal == D("1000.00")


def test_the_imputation_order_can_be_set_by_the_judgment() -> None:
    awards = [
        damages(1, "1000.00", PIMP, interest=fixed("2025-01-01", "10.00")),
        costs(2, "200.00", PIMP),
    ]
    payments = [paid(1, "2025-12-31", "1100.00", PIMP)]
    # Interest on 2025-12-31: 365 days: 1000 * 10 / 100 * 365 / 365 = 100.00

    usual = compute(awards, payments, as_of=day("2025-12-31"), rates=[])
    principal_first = compute(
        awards,
        payments,
        as_of=day("2025-12-31"),
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

    # 2025-01-01..31: 31 days on 2000: 2000 * 10 / 100 * 31 / 365 = 16.986… → 16.99
    # 1000.00 = interest 16.99 + principal 983.01; principal left 1016.99
    # 2025-02-01..03-31: 59 days on 1016.99: 1016.99 * 10 / 100 * 59 / 365 = 16.439… → 16.44
    assert [line.amount for line in ledger.interest_lines] == [D("16.99"), D("16.44")]
    # 1016.99 + 16.44 = 1033.43, owed in full by each of them
    assert ledger.debtors[PIMP].outstanding == D("1033.43")
    assert ledger.debtors[CLIENT_A].outstanding == D("1033.43")
    assert ledger.totals.outstanding == D("1033.43")


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

    # 123456.78 * 5.25 / 100 * 184 / 365 = 3267.376… → 3267.38
    # 123456.78 * 5.75 / 100 * 182 / 365 = 3539.658… → 3539.66; 3267.38 + 3539.66 = 6807.04
    assert ledger.awards[1].interest == expected.awards[1].interest == D("6807.04")


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
