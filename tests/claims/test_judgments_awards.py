"""Judgments, their appeal deadline and finality, and the awards per defendant or in solidum, with
their interest (DOMAIN.md §5)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from claims.models import (
    AwardKind,
    ClaimStage,
    ClaimStatus,
    ImputationOrder,
    InterestKind,
    Judgment,
    JudgmentStatus,
    LegalInterestRate,
)
from claims.services.claims import claim_constitute, damage_head_add
from claims.services.judgments import award_record, judgment_record, judgment_status_change
from legalaid.errors import Conflict
from legalaid.models import AuditEvent
from tests.claims.world import (
    GIVEN_ON,
    World,
    counts,
    moral_head,
    record_award,
    record_judgment,
    refused,
)


def audit_changes(action: str) -> list[dict[str, Any]]:
    return [event.changes for event in AuditEvent.objects.filter(action=action).order_by("id")]


# --- Judgments --------------------------------------------------------------------------------


def test_a_judgment_is_recorded_with_its_appeal_due_fifteen_days_later(world: World) -> None:
    judgment = record_judgment(world, reference="2025/1234")

    assert (judgment.given_on, judgment.appeal_due_on, judgment.status, judgment.final_on) == (
        dt.date(2025, 6, 2),
        dt.date(2025, 6, 17),
        JudgmentStatus.APPEALABLE,
        None,
    )
    assert judgment.imputation_sequence == ("costs", "interest", "principal")
    world.claim.refresh_from_db()
    assert world.claim.status == ClaimStatus.JUDGMENT
    assert audit_changes("judgment.create") == [
        {
            "claim": [None, world.claim.pk],
            "given_on": [None, "2025-06-02"],
            "court": [None, "Corr. Antwerpen"],
            "reference": [None, "2025/1234"],
            "status": [None, "appealable"],
            "appeal_due_on": [None, "2025-06-17"],
            "imputation_order": [None, "costs_interest_principal"],
            "day_count": [None, "actual/365"],
        }
    ]
    assert audit_changes("civil_claim.status_change") == [{"status": ["filed", "judgment"]}]
    event = AuditEvent.objects.get(action="judgment.create")
    assert (event.actor, event.case_id, event.target_id) == (
        world.lawyer,
        world.case.pk,
        str(judgment.pk),
    )


def test_the_appeal_period_crosses_months_and_years(world: World) -> None:
    assert record_judgment(world, given_on=dt.date(2025, 12, 20)).appeal_due_on == dt.date(
        2026, 1, 4
    )


def test_an_appeal_date_from_the_service_of_a_default_judgment_can_be_given(world: World) -> None:
    judgment = record_judgment(world, appeal_due_on=dt.date(2025, 9, 30))

    assert judgment.appeal_due_on == dt.date(2025, 9, 30)


def test_a_judgment_recorded_as_final_makes_the_claim_final(world: World) -> None:
    judgment = record_judgment(
        world,
        final_on=dt.date(2025, 6, 18),
        imputation_order=ImputationOrder.PRINCIPAL_INTEREST_COSTS,
    )

    assert (judgment.status, judgment.final_on) == (JudgmentStatus.FINAL, dt.date(2025, 6, 18))
    assert judgment.imputation_sequence == ("principal", "interest", "costs")
    world.claim.refresh_from_db()
    assert world.claim.status == ClaimStatus.FINAL


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"given_on": dt.date(2026, 11, 29)},
            {"given_on": ["The judgment date lies in the future."]},
        ),
        (
            {"given_on": dt.date(2024, 2, 29)},
            {"given_on": ["A judgment cannot precede the civil-party constitution (2024-03-01)."]},
        ),
        ({"court": ""}, {"court": ["Name the court."]}),
        (
            {"final_on": dt.date(2025, 6, 1)},
            {"final_on": ["A judgment cannot be final before it is given."]},
        ),
        (
            {"final_on": dt.date(2026, 12, 1)},
            {"final_on": ["The day the judgment became final lies in the future."]},
        ),
        (
            {"appeal_due_on": dt.date(2025, 6, 1)},
            {"appeal_due_on": ["The appeal cannot be due before the judgment."]},
        ),
        (
            {"imputation_order": "principal_first"},
            {
                "imputation_order": [
                    "Choose one of: costs_interest_principal, costs_principal_interest, "
                    "interest_costs_principal, interest_principal_costs, principal_costs_interest, "
                    "principal_interest_costs."
                ]
            },
        ),
    ],
)
def test_a_judgment_with_bad_input_writes_nothing(
    world: World, change: dict[str, Any], expected: dict[str, list[str]]
) -> None:
    arguments = {
        "actor": world.lawyer,
        "claim": world.claim,
        "given_on": GIVEN_ON,
        "court": "Corr. Antwerpen",
        **change,
    }

    assert refused(judgment_record, **arguments) == expected


def test_a_prepared_claim_gets_no_judgment(world: World) -> None:
    prepared = claim_constitute(
        actor=world.lawyer,
        case=world.case,
        stage=ClaimStage.HEARING,
        court="Corr. Antwerpen",
        defendants=[world.pimp],
    )
    before = counts()

    with pytest.raises(
        Conflict, match=re.escape("File the civil-party constitution before recording a judgment.")
    ):
        judgment_record(actor=world.lawyer, claim=prepared, given_on=GIVEN_ON, court="Corr.")

    assert counts() == before


def test_an_appeal_then_finality_move_the_judgment_and_the_claim(world: World) -> None:
    judgment = record_judgment(world)

    judgment_status_change(
        actor=world.lawyer,
        judgment=judgment,
        status=JudgmentStatus.UNDER_APPEAL,
        on=dt.date(2025, 6, 16),
    )
    world.claim.refresh_from_db()
    assert world.claim.status == ClaimStatus.JUDGMENT
    judgment_status_change(
        actor=world.lawyer, judgment=judgment, status=JudgmentStatus.FINAL, on=dt.date(2026, 3, 2)
    )

    judgment.refresh_from_db()
    world.claim.refresh_from_db()
    assert (judgment.status, judgment.appealed_on, judgment.final_on) == (
        JudgmentStatus.FINAL,
        dt.date(2025, 6, 16),
        dt.date(2026, 3, 2),
    )
    assert world.claim.status == ClaimStatus.FINAL
    assert audit_changes("judgment.status_change") == [
        {"status": ["appealable", "under_appeal"], "appealed_on": [None, "2025-06-16"]},
        {"status": ["under_appeal", "final"], "final_on": [None, "2026-03-02"]},
    ]


def test_a_judgment_becomes_final_only_once(world: World) -> None:
    judgment = record_judgment(world)
    judgment_status_change(
        actor=world.lawyer, judgment=judgment, status=JudgmentStatus.FINAL, on=dt.date(2025, 6, 18)
    )
    before = counts()

    with pytest.raises(Conflict, match=re.escape("A judgment that is final cannot become final.")):
        judgment_status_change(
            actor=world.lawyer,
            judgment=judgment,
            status=JudgmentStatus.FINAL,
            on=dt.date(2025, 6, 19),
        )
    with pytest.raises(
        Conflict, match=re.escape("A judgment that is final cannot become under_appeal.")
    ):
        judgment_status_change(
            actor=world.lawyer,
            judgment=judgment,
            status=JudgmentStatus.UNDER_APPEAL,
            on=dt.date(2025, 6, 19),
        )

    assert counts() == before


def test_a_judgment_replaced_on_appeal_takes_no_new_award(world: World) -> None:
    judgment = record_judgment(world)
    judgment_status_change(
        actor=world.lawyer,
        judgment=judgment,
        status=JudgmentStatus.UNDER_APPEAL,
        on=dt.date(2025, 6, 10),
    )
    judgment_status_change(
        actor=world.lawyer,
        judgment=judgment,
        status=JudgmentStatus.REPLACED,
        on=dt.date(2026, 2, 1),
    )
    before = counts()

    with pytest.raises(Conflict, match="This judgment was replaced on appeal"):
        record_award(world, judgment)

    assert counts() == before
    assert audit_changes("judgment.status_change")[-1] == {
        "status": ["under_appeal", "replaced"],
        "on": [None, "2026-02-01"],
    }


def test_a_status_change_dated_before_the_judgment_or_in_the_future_is_refused(
    world: World,
) -> None:
    judgment = record_judgment(world)
    base = {"actor": world.lawyer, "judgment": judgment, "status": JudgmentStatus.FINAL}

    assert refused(judgment_status_change, **base, on=dt.date(2025, 6, 1)) == {
        "on": ["This date precedes the judgment."]
    }
    assert refused(judgment_status_change, **base, on=dt.date(2026, 11, 29)) == {
        "on": ["The date lies in the future."]
    }
    assert refused(
        judgment_status_change, **{**base, "status": JudgmentStatus.APPEALABLE}, on=GIVEN_ON
    ) == {"status": ["A judgment goes under appeal, becomes final, or is replaced on appeal."]}


# --- Awards -----------------------------------------------------------------------------------


def test_an_award_owed_in_solidum_with_legal_interest_is_recorded(world: World) -> None:
    judgment = record_judgment(world)
    head = moral_head(world)

    award = record_award(
        world,
        judgment,
        amount="6000.00",
        debtors=[world.pimp, world.client_1, world.client_2],
        damage_head=head,
        description="Moral damage, in solidum",
        interest_kind=InterestKind.COMPENSATORY,
        interest_from=dt.date(2023, 9, 1),
    )

    assert (award.kind, award.amount, award.interest_kind, award.interest_from) == (
        AwardKind.DAMAGES,
        Decimal("6000.00"),
        InterestKind.COMPENSATORY,
        dt.date(2023, 9, 1),
    )
    assert award.fixed_percent is None  # the legal rate of each year
    assert set(award.debtors.all()) == {world.pimp, world.client_1, world.client_2}
    assert audit_changes("award.create") == [
        {
            "judgment": [None, judgment.pk],
            "damage_head": [None, head.pk],
            "kind": [None, "damages"],
            "description": [None, "Moral damage, in solidum"],
            "amount": [None, "6000.00"],
            "debtors": [None, sorted([world.pimp.pk, world.client_1.pk, world.client_2.pk])],
            "interest_kind": [None, "compensatory"],
            "interest_from": [None, "2023-09-01"],
        }
    ]


def test_costs_with_moratory_interest_at_a_fixed_rate_are_recorded(world: World) -> None:
    judgment = record_judgment(world)

    award = record_award(
        world,
        judgment,
        kind=AwardKind.COSTS,
        amount="1440.00",
        debtors=[world.pimp],
        interest_kind=InterestKind.MORATORY,
        interest_from=GIVEN_ON,
        fixed_percent=Decimal("8.00"),
    )

    assert (award.kind, award.damage_head, award.fixed_percent) == (
        AwardKind.COSTS,
        None,
        Decimal("8.00"),
    )
    assert list(award.debtors.all()) == [world.pimp]


def test_a_fixed_rate_needs_no_legal_rate_even_before_the_table_starts(world: World) -> None:
    award = record_award(
        world,
        record_judgment(world),
        interest_kind=InterestKind.COMPENSATORY,
        interest_from=dt.date(2012, 5, 1),
        fixed_percent=Decimal("3.00"),
    )

    assert award.interest_from == dt.date(2012, 5, 1)


def test_interest_at_the_legal_rate_from_a_year_the_table_lacks_is_refused_naming_it(
    world: World,
) -> None:
    judgment = record_judgment(world)
    LegalInterestRate.objects.filter(valid_from__year=2019).delete()

    assert refused(
        award_record,
        actor=world.lawyer,
        judgment=judgment,
        kind=AwardKind.DAMAGES,
        amount=Decimal("100"),
        debtors=[world.pimp],
        interest_kind=InterestKind.COMPENSATORY,
        interest_from=dt.date(2018, 6, 1),
    ) == {
        "interest_from": [
            "The legal interest rate table has no rate for 2019, needed for interest from "
            "2018-06-01: add the rate first."
        ]
    }


def test_interest_from_before_2015_at_the_legal_rate_is_refused(world: World) -> None:
    assert refused(
        award_record,
        actor=world.lawyer,
        judgment=record_judgment(world),
        kind=AwardKind.DAMAGES,
        amount=Decimal("100"),
        debtors=[world.pimp],
        interest_kind=InterestKind.COMPENSATORY,
        interest_from=dt.date(2013, 12, 1),
    ) == {
        "interest_from": [
            "The legal interest rate table has no rate for 2013, 2014, needed for interest from "
            "2013-12-01: add the rate first."
        ]
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"amount": Decimal("0")}, {"amount": ["The amount must be greater than zero."]}),
        ({"amount": Decimal("-5000")}, {"amount": ["The amount must be greater than zero."]}),
        (
            {"amount": Decimal("5000.001")},
            {"amount": ["An amount has at most two decimals (cents)."]},
        ),
        ({"debtors": []}, {"debtors": ["Name at least one debtor."]}),
        ({"kind": "fine"}, {"kind": ["Choose one of: damages, costs."]}),
        (
            {"interest_kind": InterestKind.MORATORY, "interest_from": dt.date(2026, 11, 29)},
            {"interest_from": ["Interest cannot start after today."]},
        ),
        (
            {"interest_kind": InterestKind.MORATORY},
            {"interest_from": ["Give the day interest runs from."]},
        ),
        (
            {"interest_from": dt.date(2025, 6, 2)},
            {
                "interest_kind": [
                    "Choose compensatory or moratory interest to give a start date or a rate."
                ]
            },
        ),
        (
            {
                "interest_kind": InterestKind.MORATORY,
                "interest_from": GIVEN_ON,
                "fixed_percent": Decimal("0"),
            },
            {"fixed_percent": ["A rate lies between 0 and 100 percent (exclusive)."]},
        ),
        (
            {
                "interest_kind": InterestKind.MORATORY,
                "interest_from": GIVEN_ON,
                "fixed_percent": Decimal("2.125"),
            },
            {"fixed_percent": ["A rate has at most two decimals."]},
        ),
        (
            {"interest_kind": "punitive", "interest_from": GIVEN_ON},
            {"interest_kind": ["Choose one of: none, compensatory, moratory."]},
        ),
    ],
)
def test_an_award_with_bad_input_writes_nothing(
    world: World, change: dict[str, Any], expected: dict[str, list[str]]
) -> None:
    judgment = record_judgment(world)
    arguments = {
        "actor": world.lawyer,
        "judgment": judgment,
        "kind": AwardKind.DAMAGES,
        "amount": Decimal("5000"),
        "debtors": [world.pimp, world.client_1],
        **change,
    }

    assert refused(award_record, **arguments) == expected


def test_an_award_against_a_defendant_who_is_not_a_party_to_the_case_is_refused(
    world: World,
) -> None:
    judgment = record_judgment(world)

    assert refused(
        award_record,
        actor=world.lawyer,
        judgment=judgment,
        kind=AwardKind.DAMAGES,
        amount=Decimal("5000"),
        debtors=[world.pimp, world.other_case_party],
    ) == {"debtors": ["Every debtor must be a party (defendant) in this case."]}


def test_costs_are_not_awarded_for_a_head_of_damage(world: World) -> None:
    judgment = record_judgment(world)

    assert refused(
        award_record,
        actor=world.lawyer,
        judgment=judgment,
        kind=AwardKind.COSTS,
        amount=Decimal("1440"),
        debtors=[world.pimp],
        damage_head=moral_head(world),
    ) == {"damage_head": ["Costs (procedural indemnity) are not awarded for a head of damage."]}


def test_a_head_of_damage_of_another_claim_is_refused(world: World) -> None:
    judgment = record_judgment(world)
    other = claim_constitute(
        actor=world.lawyer,
        case=world.case,
        stage=ClaimStage.HEARING,
        court="Hof van beroep Antwerpen",
        defendants=[world.pimp],
        constituted_on=GIVEN_ON,
    )
    head = damage_head_add(
        actor=world.lawyer,
        claim=other,
        kind="moral",
        description="Moral",
        amount_claimed=Decimal("10"),
    )

    assert refused(
        award_record,
        actor=world.lawyer,
        judgment=judgment,
        kind=AwardKind.DAMAGES,
        amount=Decimal("10"),
        debtors=[world.pimp],
        damage_head=head,
    ) == {"damage_head": ["This head of damage belongs to another claim."]}


def test_a_judgment_row_keeps_its_dates_ordered_in_the_database(world: World) -> None:
    judgment = record_judgment(world)
    judgment.appeal_due_on = dt.date(2025, 1, 1)

    with pytest.raises(ValidationError) as error:
        judgment.full_clean()

    assert "Constraint “judgment_appeal_due_after_given” is violated." in error.value.messages
    assert Judgment.objects.get(pk=judgment.pk).appeal_due_on == dt.date(2025, 6, 17)
