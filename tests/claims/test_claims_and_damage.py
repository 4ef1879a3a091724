"""Civil-party constitution, its lifecycle, and the heads of damage claimed (DOMAIN.md §5)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest

from claims.models import (
    CivilClaim,
    ClaimStage,
    ClaimStatus,
    DamageHead,
    DamageKind,
    IndicativeTableEdition,
    IndicativeTableItem,
    IndicativeTableRate,
)
from claims.services.claims import (
    claim_constitute,
    claim_file,
    claim_status_change,
    damage_head_add,
)
from legalaid.audit import MASK
from legalaid.errors import Conflict
from legalaid.models import AuditEvent, Case, CaseStatus
from tests.claims.world import CONSTITUTED_ON, TODAY, World, counts, record_judgment, refused

COURT = "Correctionele rechtbank Antwerpen"


def last_audit(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-id")[0]


# --- Constitution -----------------------------------------------------------------------------


def test_a_civil_party_constitution_is_recorded_against_the_cases_defendants(world: World) -> None:
    claim = world.claim

    assert (claim.stage, claim.court, claim.constituted_on, claim.status) == (
        ClaimStage.HEARING,
        COURT,
        CONSTITUTED_ON,
        ClaimStatus.FILED,
    )
    assert set(claim.defendants.all()) == {world.pimp, world.client_1, world.client_2}
    event = last_audit("civil_claim.create")
    assert (event.actor, event.target_id, event.case_id, event.office_id) == (
        world.lawyer,
        str(claim.pk),
        world.case.pk,
        world.case.office_id,
    )
    assert event.changes == {
        "case": [None, world.case.pk],
        "stage": [None, "hearing"],
        "court": [None, COURT],
        "constituted_on": [None, "2024-03-01"],
        "defendants": [None, sorted([world.pimp.pk, world.client_1.pk, world.client_2.pk])],
        "status": [None, "filed"],
    }


def test_a_prepared_claim_is_filed_later_once(world: World) -> None:
    claim = claim_constitute(
        actor=world.lawyer,
        case=world.case,
        stage=ClaimStage.HEARING,
        court=COURT,
        defendants=[world.pimp],
    )
    assert (claim.status, claim.constituted_on) == (ClaimStatus.PREPARED, None)

    claim_file(actor=world.lawyer, claim=claim, constituted_on=dt.date(2026, 10, 1))

    claim.refresh_from_db()
    assert (claim.status, claim.constituted_on) == (ClaimStatus.FILED, dt.date(2026, 10, 1))
    assert last_audit("civil_claim.status_change").changes == {
        "status": ["prepared", "filed"],
        "constituted_on": [None, "2026-10-01"],
    }
    before = counts()
    with pytest.raises(
        Conflict, match=re.escape("Only a prepared claim can be filed; this one is filed.")
    ):
        claim_file(actor=world.lawyer, claim=claim, constituted_on=dt.date(2026, 10, 2))
    assert counts() == before


def test_the_court_defaults_to_the_cases_investigating_judge(world: World) -> None:
    Case.objects.filter(pk=world.case.pk).update(investigating_judge="OR Antwerpen, kamer 3")
    world.case.refresh_from_db()

    claim = claim_constitute(
        actor=world.lawyer,
        case=world.case,
        stage=ClaimStage.INVESTIGATING_JUDGE,
        defendants=[world.pimp],
        constituted_on=TODAY,
    )

    assert claim.court == "OR Antwerpen, kamer 3"


def test_before_the_investigating_judge_a_claim_can_target_persons_unknown(world: World) -> None:
    claim = claim_constitute(
        actor=world.lawyer,
        case=world.case,
        stage=ClaimStage.INVESTIGATING_JUDGE,
        court="OR Antwerpen",
        defendants=[],
        constituted_on=TODAY,
    )

    assert list(claim.defendants.all()) == []


def test_at_the_hearing_the_defendants_must_be_named(world: World) -> None:
    assert refused(
        claim_constitute,
        actor=world.lawyer,
        case=world.case,
        stage=ClaimStage.HEARING,
        court=COURT,
        defendants=[],
        constituted_on=TODAY,
    ) == {
        "defendants": [
            "Name the defendants; only before the investigating judge can a claim be made against "
            "persons unknown."
        ]
    }


def test_a_defendant_of_another_case_is_refused(world: World) -> None:
    assert refused(
        claim_constitute,
        actor=world.lawyer,
        case=world.case,
        stage=ClaimStage.HEARING,
        court=COURT,
        defendants=[world.pimp, world.other_case_party],
        constituted_on=TODAY,
    ) == {"defendants": ["Every defendant must be a party in this case."]}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"constituted_on": dt.date(2026, 11, 29)},
            {"constituted_on": ["The constitution date lies in the future."]},
        ),
        ({"court": "  "}, {"court": ["Name the investigating judge or the court."]}),
        ({"stage": "appeal"}, {"stage": ["Choose one of: investigating_judge, hearing."]}),
    ],
)
def test_a_constitution_with_bad_input_writes_nothing(
    world: World, change: dict[str, Any], expected: dict[str, list[str]]
) -> None:
    arguments = {
        "actor": world.lawyer,
        "case": world.case,
        "stage": ClaimStage.HEARING,
        "court": COURT,
        "defendants": [world.pimp],
        "constituted_on": TODAY,
        **change,
    }

    assert refused(claim_constitute, **arguments) == expected


def test_a_closed_case_gets_no_claim(world: World) -> None:
    Case.objects.filter(pk=world.case.pk).update(status=CaseStatus.CLOSED)
    world.case.refresh_from_db()
    before = counts()

    with pytest.raises(Conflict, match=re.escape("This case is closed.")):
        claim_constitute(
            actor=world.lawyer,
            case=world.case,
            stage=ClaimStage.HEARING,
            court=COURT,
            defendants=[world.pimp],
        )

    assert counts() == before


# --- Lifecycle --------------------------------------------------------------------------------


def test_a_final_claim_goes_to_collection_then_is_closed_with_a_reason(world: World) -> None:
    record_judgment(world, final_on=dt.date(2025, 7, 1))

    claim_status_change(actor=world.lawyer, claim=world.claim, status=ClaimStatus.COLLECTING)
    claim_status_change(
        actor=world.lawyer, claim=world.claim, status=ClaimStatus.CLOSED, reason="All paid."
    )

    world.claim.refresh_from_db()
    assert world.claim.status == ClaimStatus.CLOSED
    assert [
        event.changes
        for event in AuditEvent.objects.filter(action="civil_claim.status_change").order_by("id")
    ] == [
        {"status": ["filed", "final"]},
        {"status": ["final", "collecting"]},
        {"status": ["collecting", "closed"], "reason": [None, "All paid."]},
    ]


def test_only_a_final_claim_goes_to_collection(world: World) -> None:
    before = counts()

    with pytest.raises(
        Conflict, match=re.escape("A claim that is filed cannot become collecting.")
    ):
        claim_status_change(actor=world.lawyer, claim=world.claim, status=ClaimStatus.COLLECTING)

    assert counts() == before


def test_statuses_that_judgments_set_cannot_be_set_by_hand(world: World) -> None:
    assert refused(
        claim_status_change, actor=world.lawyer, claim=world.claim, status=ClaimStatus.FINAL
    ) == {
        "status": [
            "A claim is moved by hand to collecting or closed only; filing and judgments move it "
            "otherwise."
        ]
    }


def test_closing_needs_a_reason_and_a_closed_claim_takes_nothing_more(world: World) -> None:
    assert refused(
        claim_status_change, actor=world.lawyer, claim=world.claim, status=ClaimStatus.CLOSED
    ) == {"reason": ["Say why the claim is closed."]}
    claim_status_change(
        actor=world.lawyer, claim=world.claim, status=ClaimStatus.CLOSED, reason="Withdrawn."
    )
    before = counts()

    with pytest.raises(Conflict, match=re.escape("This claim is closed.")):
        damage_head_add(
            actor=world.lawyer,
            claim=world.claim,
            kind=DamageKind.MORAL,
            description="Moral damage",
            amount_claimed=Decimal("100"),
        )
    with pytest.raises(Conflict, match=re.escape("A claim that is closed cannot become closed.")):
        claim_status_change(
            actor=world.lawyer, claim=world.claim, status=ClaimStatus.CLOSED, reason="Again."
        )
    assert counts() == before


# --- Heads of damage --------------------------------------------------------------------------


def test_a_head_of_damage_is_recorded_and_its_health_details_are_masked_in_the_trail(
    world: World,
) -> None:
    head = damage_head_add(
        actor=world.lawyer,
        claim=world.claim,
        kind=DamageKind.MATERIAL_THERAPY,
        description="Trauma therapy, 40 sessions",
        amount_claimed=Decimal("2400.00"),
        evidence="Invoices 1-40 (exhibit 12)",
    )

    assert (head.kind, head.amount_claimed, head.is_flat_rate) == (
        DamageKind.MATERIAL_THERAPY,
        Decimal("2400.00"),
        False,
    )
    assert (head.description, head.evidence) == (
        "Trauma therapy, 40 sessions",
        "Invoices 1-40 (exhibit 12)",
    )
    event = last_audit("damage_head.create")
    assert (event.case_id, event.target_id) == (world.case.pk, str(head.pk))
    assert event.changes == {
        "claim": [None, world.claim.pk],
        "kind": [None, "material_therapy"],
        "description": [None, MASK],
        "evidence": [None, MASK],
        "amount_claimed": [None, "2400.00"],
    }


def test_an_amount_given_with_three_decimal_zeros_is_whole_cents(world: World) -> None:
    head = damage_head_add(
        actor=world.lawyer,
        claim=world.claim,
        kind=DamageKind.MATERIAL_COSTS,
        description="Travel",
        amount_claimed=Decimal("12.500"),
    )

    head.refresh_from_db()
    assert head.amount_claimed == Decimal("12.50")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "The amount must be greater than zero."),
        ("0.00", "The amount must be greater than zero."),
        ("-150.00", "The amount must be greater than zero."),
        ("10.005", "An amount has at most two decimals (cents)."),
        ("10000000000.00", "The amount is too large."),
        ("NaN", "Give the amount as a decimal number of euro."),
    ],
)
def test_a_head_with_a_bad_amount_writes_nothing(world: World, amount: str, message: str) -> None:
    assert refused(
        damage_head_add,
        actor=world.lawyer,
        claim=world.claim,
        kind=DamageKind.MORAL,
        description="Moral damage",
        amount_claimed=Decimal(amount),
    ) == {"amount_claimed": [message]}


def test_a_head_needs_a_kind_a_description_and_an_amount(world: World) -> None:
    base = {"actor": world.lawyer, "claim": world.claim}
    assert refused(
        damage_head_add, **base, kind="pain", description="x", amount_claimed=Decimal(1)
    ) == {
        "kind": [
            "Choose one of: material_medical, material_therapy, material_lost_income, "
            "material_costs, moral, future_loss, other."
        ]
    }
    assert refused(
        damage_head_add, **base, kind=DamageKind.MORAL, description=" ", amount_claimed=Decimal(1)
    ) == {"description": ["Describe the damage."]}
    assert refused(damage_head_add, **base, kind=DamageKind.MORAL, description="Moral") == {
        "amount_claimed": ["Give the amount claimed."]
    }


# --- Flat-rate heads (Indicative Table) -------------------------------------------------------


def test_ten_days_of_temporary_personal_incapacity_in_the_2024_table_are_320_euro(
    world: World,
) -> None:
    head = damage_head_add(
        actor=world.lawyer,
        claim=world.claim,
        kind=DamageKind.MORAL,
        item=IndicativeTableItem.TEMPORARY_PERSONAL_INCAPACITY,
        quantity=Decimal("10"),
    )

    head.refresh_from_db()
    rate = IndicativeTableRate.objects.get(
        edition="2024", item=IndicativeTableItem.TEMPORARY_PERSONAL_INCAPACITY
    )
    assert (head.amount_claimed, head.quantity, head.unit_amount, head.flat_rate) == (
        Decimal("320.00"),
        Decimal("10.00"),
        Decimal("32.00"),
        rate,
    )
    assert head.description == (
        "Temporary personal incapacity, per day, no hospitalisation x 10.00 (Indicative Table 2024)"
    )
    assert last_audit("damage_head.create").changes == {
        "claim": [None, world.claim.pk],
        "kind": [None, "moral"],
        "description": [None, MASK],
        "amount_claimed": [None, "320.00"],
        "flat_rate": [None, rate.pk],
        "quantity": [None, "10.00"],
        "unit_amount": [None, "32.00"],
    }


def test_the_2020_edition_applies_when_chosen(world: World) -> None:
    head = damage_head_add(
        actor=world.lawyer,
        claim=world.claim,
        kind=DamageKind.MATERIAL_COSTS,
        description="Household help while hospitalised",
        item=IndicativeTableItem.TEMPORARY_HOUSEHOLD_INCAPACITY,
        quantity=Decimal("21"),
        edition=IndicativeTableEdition.objects.get(code="2020"),
    )

    assert (head.amount_claimed, head.unit_amount) == (Decimal("420.00"), Decimal("20.00"))


def test_the_default_edition_follows_the_constitution_date(world: World) -> None:
    CivilClaim.objects.filter(pk=world.claim.pk).update(constituted_on=dt.date(2023, 5, 1))

    head = damage_head_add(
        actor=world.lawyer,
        claim=world.claim,
        kind=DamageKind.MORAL,
        item=IndicativeTableItem.TEMPORARY_PERSONAL_INCAPACITY_HOSPITALISED,
        quantity=Decimal("3"),
    )

    assert head.flat_rate is not None
    assert (head.flat_rate.edition_id, head.amount_claimed) == ("2020", Decimal("102.00"))


def test_hours_of_third_party_help_are_rounded_half_up_to_the_cent(world: World) -> None:
    def hours(quantity: str) -> Decimal:
        return damage_head_add(
            actor=world.lawyer,
            claim=world.claim,
            kind=DamageKind.MATERIAL_COSTS,
            item=IndicativeTableItem.THIRD_PARTY_HELP,
            quantity=Decimal(quantity),
        ).amount_claimed

    assert hours("2.5") == Decimal("28.75")  # 2.5 x 11.50
    assert hours("0.25") == Decimal("2.88")  # 2.875 → 2.88
    assert hours("0.01") == Decimal("0.12")  # 0.115 → 0.12


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"quantity": Decimal("2.5")}, {"quantity": ["A daily rate counts whole days."]}),
        (
            {"quantity": Decimal("0")},
            {"quantity": ["The number of days must be greater than zero."]},
        ),
        (
            {"quantity": Decimal("-3")},
            {"quantity": ["The number of days must be greater than zero."]},
        ),
        (
            {"quantity": Decimal("1.001")},
            {"quantity": ["Give the number of days with at most two decimals."]},
        ),
        ({"quantity": None}, {"quantity": ["Give the number of days."]}),
        ({"quantity": Decimal("1000000")}, {"quantity": ["That is too many days."]}),
        (
            {"item": "pain_and_suffering"},
            {
                "item": [
                    "Choose one of: temporary_personal_incapacity, "
                    "temporary_personal_incapacity_hospitalised, temporary_household_incapacity, "
                    "dependent_child, third_party_help."
                ]
            },
        ),
        (
            {"amount_claimed": Decimal("320")},
            {
                "amount_claimed": [
                    "A flat-rate head's amount is computed from the Indicative Table: leave it out."
                ]
            },
        ),
    ],
)
def test_a_flat_rate_head_with_bad_input_writes_nothing(
    world: World, change: dict[str, Any], expected: dict[str, list[str]]
) -> None:
    arguments = {
        "actor": world.lawyer,
        "claim": world.claim,
        "kind": DamageKind.MORAL,
        "item": IndicativeTableItem.TEMPORARY_PERSONAL_INCAPACITY,
        "quantity": Decimal("10"),
        **change,
    }

    assert refused(damage_head_add, **arguments) == expected


def test_an_edition_without_the_item_is_refused(world: World) -> None:
    IndicativeTableRate.objects.filter(edition="2020", item="dependent_child").delete()

    assert refused(
        damage_head_add,
        actor=world.lawyer,
        claim=world.claim,
        kind=DamageKind.MATERIAL_COSTS,
        item=IndicativeTableItem.DEPENDENT_CHILD,
        quantity=Decimal("5"),
        edition=IndicativeTableEdition.objects.get(code="2020"),
    ) == {
        "item": [
            "The Indicative Table 2020 has no flat rate for "
            "“Supplement per dependent child, per day”."
        ]
    }


def test_a_quantity_without_an_item_is_refused(world: World) -> None:
    assert refused(
        damage_head_add,
        actor=world.lawyer,
        claim=world.claim,
        kind=DamageKind.MORAL,
        description="Moral",
        amount_claimed=Decimal("100"),
        quantity=Decimal("10"),
    ) == {"item": ["Choose the Indicative Table item for a flat-rate head."]}


def test_a_flat_rate_head_keeps_its_amount_when_the_table_is_edited_later(world: World) -> None:
    head = damage_head_add(
        actor=world.lawyer,
        claim=world.claim,
        kind=DamageKind.MORAL,
        item=IndicativeTableItem.TEMPORARY_PERSONAL_INCAPACITY,
        quantity=Decimal("10"),
    )
    IndicativeTableRate.objects.filter(edition="2024", item=head.flat_rate.item).update(  # type: ignore[union-attr]
        amount=Decimal("33.00")
    )

    head = DamageHead.objects.get(pk=head.pk)
    assert (head.amount_claimed, head.unit_amount) == (Decimal("320.00"), Decimal("32.00"))
