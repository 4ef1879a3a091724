"""`claims.selectors.claim_ledger`: the database's rows through the pure ledger, with worked
examples computed by hand (the claim built through the services, tests/claims/world.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from claims.ledger import RateGap
from claims.models import (
    DayCount,
    ImputationOrder,
    InterestKind,
    JudgmentStatus,
    LegalInterestRate,
    PayerKind,
    Payment,
    PaymentDestination,
)
from claims.selectors import case_compensation_summary, claim_ledger
from claims.services.judgments import judgment_status_change
from claims.services.payments import payment_record, payment_reverse
from legalaid.models import Party
from tests.claims.world import World, record_award, record_judgment

END_2025 = dt.date(2025, 12, 31)


def pay(world: World, judgment: object, amount: str, on: dt.date, payer: Party | None) -> Payment:
    return payment_record(
        actor=world.lawyer,
        judgment=judgment,  # type: ignore[arg-type]
        amount=Decimal(amount),
        paid_on=on,
        payer_kind=PayerKind.DEFENDANT if payer is not None else PayerKind.STATE_FUND,
        payer_party=payer,
        destination=PaymentDestination.BLOCKED_ACCOUNT_MINOR,
    )


def test_a_claim_with_a_joint_award_costs_and_a_separate_award_worked_by_hand(
    world: World,
) -> None:
    """Judgment of 2 June 2025. A1: €5,000 owed by the pimp and the first client in solidum,
    compensatory interest at the legal rate (2025: 4.50%) from 1 January 2025. A2: €1,440 costs,
    the pimp alone. A3: €1,000, the second client alone.

    1 July: the first client pays €600. Interest on A1 for the days before it, 1 January to
    30 June (31+28+31+30+31+30 = 181 days): 5000 x 4.50% x 181/365 = 111.5753… → 111.58; the
    rest, 488.42, goes to principal → 4,511.58.
    1 August: the pimp pays €1,000, reversed on 5 August: both rows drop out.
    1 October: the state fund pays €500, to the judgment's awards, costs first: A2 → 940.00.
    As of 31 December: A1's second line, from 1 July (the payment day, on the capital left) to
    30 December (31 December, the ledger's date, not counted), 183 days, on 4,511.58:
    4511.58 x 4.50% x 183/365 = 101.7886… → 101.79. A1: 4,511.58 + 101.79 = 4,613.37."""
    judgment = record_judgment(world)
    a1 = record_award(
        world,
        judgment,
        interest_kind=InterestKind.COMPENSATORY,
        interest_from=dt.date(2025, 1, 1),
    )
    a2 = record_award(world, judgment, kind="costs", amount="1440.00", debtors=[world.pimp])
    a3 = record_award(world, judgment, amount="1000.00", debtors=[world.client_2])
    pay(world, judgment, "600.00", dt.date(2025, 7, 1), world.client_1)
    bounced = pay(world, judgment, "1000.00", dt.date(2025, 8, 1), world.pimp)
    payment_reverse(
        actor=world.lawyer, payment=bounced, reason="Bounced", reversed_on=dt.date(2025, 8, 5)
    )
    pay(world, judgment, "500.00", dt.date(2025, 10, 1), None)

    ledger = claim_ledger(world.claim, as_of=END_2025)

    assert [
        (line.award_id, line.first_day, line.last_day, line.base, line.percent, line.amount)
        for line in ledger.interest_lines
    ] == [
        (a1.pk, dt.date(2025, 1, 1), dt.date(2025, 6, 30), Decimal("5000.00"), Decimal("4.50"),
         Decimal("111.58")),
        (a1.pk, dt.date(2025, 7, 1), dt.date(2025, 12, 30), Decimal("4511.58"), Decimal("4.50"),
         Decimal("101.79")),
    ]  # fmt: skip
    first = ledger.awards[a1.pk]
    # 111.58 + 101.79 = 213.37
    assert (first.interest, first.paid, first.outstanding_principal, first.outstanding) == (
        Decimal("213.37"),
        Decimal("600.00"),
        Decimal("4511.58"),
        Decimal("4613.37"),
    )
    costs = ledger.awards[a2.pk]
    assert (costs.costs, costs.paid_costs, costs.outstanding) == (
        Decimal("1440.00"),
        Decimal("500.00"),
        Decimal("940.00"),
    )
    assert ledger.awards[a3.pk].outstanding == Decimal("1000.00")
    assert {
        debtor: (balance.outstanding, balance.paid) for debtor, balance in ledger.debtors.items()
    } == {
        world.pimp.pk: (Decimal("5553.37"), Decimal("0.00")),  # 4,613.37 + 940.00
        world.client_1.pk: (Decimal("4613.37"), Decimal("600.00")),
        world.client_2.pk: (Decimal("1000.00"), Decimal("0.00")),
    }
    assert (
        ledger.totals.principal,
        ledger.totals.costs,
        ledger.totals.interest,
        ledger.totals.paid,
        ledger.totals.outstanding,
        ledger.received,
        ledger.received_from_other_sources,
    ) == (
        Decimal("6000.00"),
        Decimal("1440.00"),
        Decimal("213.37"),
        Decimal("1100.00"),
        Decimal("6553.37"),  # 4,613.37 + 940.00 + 1,000.00
        Decimal("1100.00"),
        Decimal("500.00"),
    )


def test_each_judgment_keeps_its_day_count_and_imputation_and_its_own_payments(
    world: World,
) -> None:
    """Two judgments, each awarding €3,650 against the pimp at a fixed 10% from 1 January 2024.
    As of 2 June 2025 the days bearing interest are the whole of 2024 (366) and 1 January-1 June
    2025 (31+28+31+30+31+1 = 152; 2 June, the ledger's date, not counted). J1 counts 366 days in
    2024 (actual/actual): 3650 x 10% x 366/366 = 365.00, then 3650 x 10% x 152/365 = 152.00:
    517.00. J2 counts 365 (actual/365): 3650 x 10% x 366/365 = 366.00, then 152.00: 518.00; it
    imputes on principal first, so the pimp's €100 paid on 2 June 2025 under J2 reduces J2's
    principal to 3,550.00 and leaves J1 untouched."""
    j1 = record_judgment(world, day_count=DayCount.ACTUAL_ACTUAL)
    j2 = record_judgment(world, imputation_order=ImputationOrder.PRINCIPAL_INTEREST_COSTS)
    common = {
        "amount": "3650.00",
        "debtors": [world.pimp],
        "interest_kind": InterestKind.COMPENSATORY,
        "interest_from": dt.date(2024, 1, 1),
        "fixed_percent": Decimal("10.00"),
    }
    x = record_award(world, j1, **common)  # type: ignore[arg-type]
    y = record_award(world, j2, **common)  # type: ignore[arg-type]
    pay(world, j2, "100.00", dt.date(2025, 6, 2), world.pimp)

    ledger = claim_ledger(world.claim, as_of=dt.date(2025, 6, 2))

    assert [(line.award_id, line.year_days, line.amount) for line in ledger.interest_lines] == [
        (x.pk, 366, Decimal("365.00")),
        (x.pk, 365, Decimal("152.00")),
        (y.pk, 365, Decimal("366.00")),
        (y.pk, 365, Decimal("152.00")),
    ]
    assert (ledger.awards[x.pk].outstanding, ledger.awards[x.pk].paid) == (
        Decimal("4167.00"),  # 3,650.00 + 517.00
        Decimal("0.00"),
    )
    assert (
        ledger.awards[y.pk].outstanding_principal,
        ledger.awards[y.pk].outstanding_interest,
    ) == (Decimal("3550.00"), Decimal("518.00"))
    debtor = ledger.debtors[world.pimp.pk]
    assert (debtor.award_ids, debtor.outstanding, debtor.paid) == (
        (x.pk, y.pk),
        Decimal("8235.00"),  # 4,167.00 + 3,550.00 + 518.00
        Decimal("100.00"),
    )


def test_a_judgment_replaced_on_appeal_does_not_count_but_its_payments_go_to_the_new_one(
    world: World,
) -> None:
    """First instance (3 March 2025) awards €9,999 against the pimp, who pays €300 on 1 April;
    appealed on 10 March; the appeal judgment of 2 June awards €1,440 costs against him. The
    first judgment no longer counts; the €300 counts towards the appeal judgment."""
    first = record_judgment(world, given_on=dt.date(2025, 3, 3))
    record_award(world, first, amount="9999.00", debtors=[world.pimp])
    pay(world, first, "300.00", dt.date(2025, 4, 1), world.pimp)
    judgment_status_change(
        actor=world.lawyer, judgment=first, status=JudgmentStatus.UNDER_APPEAL,
        on=dt.date(2025, 3, 10),
    )  # fmt: skip
    appeal = record_judgment(world, court="Hof van beroep Antwerpen")
    costs = record_award(world, appeal, kind="costs", amount="1440.00", debtors=[world.pimp])
    judgment_status_change(
        actor=world.lawyer, judgment=first, status=JudgmentStatus.REPLACED,
        on=dt.date(2025, 6, 2),
    )  # fmt: skip

    ledger = claim_ledger(world.claim, as_of=END_2025)

    assert list(ledger.awards) == [costs.pk]
    assert (ledger.totals.due, ledger.totals.paid, ledger.totals.outstanding) == (
        Decimal("1440.00"),
        Decimal("300.00"),
        Decimal("1140.00"),
    )
    assert ledger.debtors[world.pimp.pk].paid == Decimal("300.00")


def test_before_the_judgment_nothing_is_owed_and_interest_not_yet_running_accrues_nothing(
    world: World,
) -> None:
    judgment = record_judgment(world)
    award = record_award(
        world, judgment, interest_kind=InterestKind.MORATORY, interest_from=dt.date(2025, 7, 1)
    )

    assert claim_ledger(world.claim, as_of=dt.date(2025, 6, 1)).awards == {}
    on_the_day = claim_ledger(world.claim, as_of=dt.date(2025, 6, 2))
    assert (on_the_day.awards[award.pk].interest, on_the_day.interest_lines) == (
        Decimal("0.00"),
        (),
    )


def test_a_gap_in_the_legal_rate_table_names_the_year(world: World) -> None:
    judgment = record_judgment(world)
    record_award(
        world, judgment, interest_kind=InterestKind.COMPENSATORY, interest_from=dt.date(2024, 6, 1)
    )
    LegalInterestRate.objects.filter(valid_from=dt.date(2025, 1, 1)).delete()

    with pytest.raises(RateGap, match="No legal interest rate for 2025"):
        claim_ledger(world.claim, as_of=END_2025)


def test_the_guardians_summary_is_what_was_awarded_and_received(world: World) -> None:
    judgment = record_judgment(world)
    record_award(
        world,
        judgment,
        interest_kind=InterestKind.MORATORY,
        interest_from=world.claim.constituted_on,
    )
    record_award(world, judgment, kind="costs", amount="1440.00", debtors=[world.pimp])
    pay(world, judgment, "700.00", dt.date(2025, 9, 1), world.client_1)

    summary = case_compensation_summary(world.case, as_of=END_2025)

    assert (summary.awarded, summary.received) == (Decimal("6440.00"), Decimal("700.00"))
