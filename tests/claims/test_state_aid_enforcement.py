"""State aid from the Commission for financial aid to victims (DOMAIN.md §6) and the enforcement
log against debtors."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest

from claims.models import (
    ClaimStage,
    EnforcementKind,
    JudgmentStatus,
    StateAidApplication,
    StateAidKind,
    StateAidRule,
    StateAidStatus,
)
from claims.selectors import claim_final_decision_on, state_aid_deadline
from claims.services.claims import claim_constitute
from claims.services.judgments import judgment_record, judgment_status_change
from claims.services.recovery import (
    enforcement_step_add,
    enforcement_step_outcome_record,
    state_aid_apply,
    state_aid_decision_record,
    state_aid_payment_record,
)
from legalaid.errors import Conflict
from legalaid.models import AuditEvent
from tests.claims.world import World, counts, record_judgment, refused

FILED_ON = dt.date(2025, 10, 1)


def apply(world: World, **extra: Any) -> StateAidApplication:
    arguments: dict[str, Any] = {
        "actor": world.lawyer,
        "claim": world.claim,
        "kind": StateAidKind.MAIN,
        "filed_on": FILED_ON,
        "amount_requested": Decimal("20000.00"),
        **extra,
    }
    return state_aid_apply(**arguments)


# --- Applications -----------------------------------------------------------------------------


def test_an_application_for_main_aid_is_recorded(world: World) -> None:
    application = apply(world, reference="CFA/2025/0042")

    assert (
        application.kind,
        application.filed_on,
        application.amount_requested,
        application.status,
        application.amount_granted,
        application.amount_paid,
    ) == (StateAidKind.MAIN, FILED_ON, Decimal("20000.00"), StateAidStatus.FILED, None, None)
    event = AuditEvent.objects.get(action="state_aid_application.create")
    assert (event.actor, event.case_id, event.target_id) == (
        world.lawyer,
        world.case.pk,
        str(application.pk),
    )
    assert event.changes == {
        "claim": [None, world.claim.pk],
        "kind": [None, "main"],
        "reference": [None, "CFA/2025/0042"],
        "filed_on": [None, "2025-10-01"],
        "amount_requested": [None, "20000.00"],
        "status": [None, "filed"],
    }


def test_the_ceilings_are_inclusive(world: World) -> None:
    main = apply(world, amount_requested=Decimal("125000.00"))
    emergency = apply(world, kind=StateAidKind.EMERGENCY, amount_requested=Decimal("30000.00"))

    assert (main.amount_requested, emergency.amount_requested) == (
        Decimal("125000.00"),
        Decimal("30000.00"),
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"amount_requested": Decimal("125000.01")},
            {"amount_requested": ["The ceiling of main aid is €125000.00."]},
        ),
        (
            {"kind": StateAidKind.COMPLEMENTARY, "amount_requested": Decimal("125000.01")},
            {"amount_requested": ["The ceiling of complementary aid is €125000.00."]},
        ),
        (
            {"kind": StateAidKind.EMERGENCY, "amount_requested": Decimal("30000.01")},
            {"amount_requested": ["The ceiling of emergency aid is €30000.00."]},
        ),
        (
            {"amount_requested": Decimal("0")},
            {"amount_requested": ["The amount must be greater than zero."]},
        ),
        (
            {"amount_requested": Decimal("-1")},
            {"amount_requested": ["The amount must be greater than zero."]},
        ),
        (
            {"amount_requested": Decimal("1.234")},
            {"amount_requested": ["An amount has at most two decimals (cents)."]},
        ),
        (
            {"filed_on": dt.date(2026, 11, 29)},
            {"filed_on": ["The filing date lies in the future."]},
        ),
        (
            {"filed_on": dt.date(2014, 5, 1)},
            {"filed_on": ["No state-aid rules are recorded for 2014-05-01."]},
        ),
        ({"kind": "lottery"}, {"kind": ["Choose one of: emergency, main, complementary."]}),
    ],
)
def test_an_application_with_bad_input_writes_nothing(
    world: World, change: dict[str, Any], expected: dict[str, list[str]]
) -> None:
    arguments = {
        "actor": world.lawyer,
        "claim": world.claim,
        "kind": StateAidKind.MAIN,
        "filed_on": FILED_ON,
        "amount_requested": Decimal("20000.00"),
        **change,
    }

    assert refused(state_aid_apply, **arguments) == expected


def test_a_ceiling_edited_as_data_applies_to_later_applications(world: World) -> None:
    StateAidRule.objects.update(valid_until=dt.date(2025, 12, 31))
    StateAidRule.objects.create(
        valid_from=dt.date(2026, 1, 1),
        main_aid_ceiling=Decimal("150000.00"),
        emergency_aid_ceiling=Decimal("30000.00"),
        minimum_damage=Decimal("500.00"),
        application_deadline_years=3,
    )

    assert apply(world, filed_on=dt.date(2026, 2, 1), amount_requested=Decimal("150000"))
    assert refused(
        state_aid_apply,
        actor=world.lawyer,
        claim=world.claim,
        kind=StateAidKind.MAIN,
        filed_on=dt.date(2025, 12, 31),
        amount_requested=Decimal("150000"),
    ) == {"amount_requested": ["The ceiling of main aid is €125000.00."]}


# --- Decision and payment ---------------------------------------------------------------------


def test_the_commission_grants_then_pays(world: World) -> None:
    application = apply(world)

    state_aid_decision_record(
        actor=world.lawyer,
        application=application,
        decided_on=dt.date(2026, 3, 1),
        amount_granted=Decimal("15000.00"),
    )
    state_aid_payment_record(
        actor=world.lawyer,
        application=application,
        paid_on=dt.date(2026, 4, 15),
        amount_paid=Decimal("15000.00"),
    )

    application.refresh_from_db()
    assert (
        application.status,
        application.decided_on,
        application.amount_granted,
        application.paid_on,
        application.amount_paid,
    ) == (
        StateAidStatus.PAID,
        dt.date(2026, 3, 1),
        Decimal("15000.00"),
        dt.date(2026, 4, 15),
        Decimal("15000.00"),
    )
    assert [
        (event.action, event.changes)
        for event in AuditEvent.objects.filter(target_type="claims.stateaidapplication")
        .exclude(action="state_aid_application.create")
        .order_by("id")
    ] == [
        (
            "state_aid_application.decide",
            {
                "status": ["filed", "granted"],
                "decided_on": [None, "2026-03-01"],
                "amount_granted": [None, "15000.00"],
            },
        ),
        (
            "state_aid_application.paid",
            {
                "status": ["granted", "paid"],
                "paid_on": [None, "2026-04-15"],
                "amount_paid": [None, "15000.00"],
            },
        ),
    ]


def test_a_refusal_is_recorded_and_nothing_is_paid_on_it(world: World) -> None:
    application = apply(world)
    state_aid_decision_record(
        actor=world.lawyer,
        application=application,
        decided_on=dt.date(2026, 3, 1),
        amount_granted=None,
    )
    before = counts()

    with pytest.raises(
        Conflict, match=re.escape("Only granted aid is paid; this application is refused.")
    ):
        state_aid_payment_record(
            actor=world.lawyer,
            application=application,
            paid_on=dt.date(2026, 4, 1),
            amount_paid=Decimal("1"),
        )
    with pytest.raises(
        Conflict, match=re.escape("This application was already decided (refused).")
    ):
        state_aid_decision_record(
            actor=world.lawyer,
            application=application,
            decided_on=dt.date(2026, 3, 2),
            amount_granted=Decimal("1"),
        )

    assert counts() == before
    application.refresh_from_db()
    assert (application.status, application.amount_granted) == (StateAidStatus.REFUSED, None)


def test_a_decision_or_payment_with_bad_input_writes_nothing(world: World) -> None:
    application = apply(world)
    decide: dict[str, Any] = {"actor": world.lawyer, "application": application}

    assert refused(
        state_aid_decision_record,
        **decide,
        decided_on=dt.date(2025, 9, 30),
        amount_granted=Decimal("1"),
    ) == {"decided_on": ["A decision cannot precede the application (2025-10-01)."]}
    assert refused(
        state_aid_decision_record,
        **decide,
        decided_on=dt.date(2026, 3, 1),
        amount_granted=Decimal("125000.01"),
    ) == {"amount_granted": ["The ceiling is €125000.00."]}
    state_aid_decision_record(
        **decide, decided_on=dt.date(2026, 3, 1), amount_granted=Decimal("15000")
    )
    pay: dict[str, Any] = {"actor": world.lawyer, "application": application}
    assert refused(
        state_aid_payment_record,
        **pay,
        paid_on=dt.date(2026, 4, 1),
        amount_paid=Decimal("15000.01"),
    ) == {"amount_paid": ["More than the amount granted (€15000.00)."]}
    assert refused(
        state_aid_payment_record, **pay, paid_on=dt.date(2026, 2, 1), amount_paid=Decimal("100")
    ) == {"paid_on": ["A payment cannot precede the decision (2026-03-01)."]}
    assert refused(
        state_aid_payment_record, **pay, paid_on=dt.date(2026, 4, 1), amount_paid=Decimal("0")
    ) == {"amount_paid": ["The amount must be greater than zero."]}


# --- The 3-year deadline ----------------------------------------------------------------------


def test_the_deadline_runs_three_years_from_the_final_decision(world: World) -> None:
    judgment = record_judgment(world)
    assert state_aid_deadline(world.claim) is None  # not final yet

    judgment_status_change(
        actor=world.lawyer, judgment=judgment, status=JudgmentStatus.FINAL, on=dt.date(2025, 6, 18)
    )

    assert claim_final_decision_on(world.claim) == dt.date(2025, 6, 18)
    assert state_aid_deadline(world.claim) == dt.date(2028, 6, 18)


def test_the_deadline_follows_the_rules_as_data(world: World) -> None:
    record_judgment(world, final_on=dt.date(2025, 6, 18))
    StateAidRule.objects.update(application_deadline_years=5)

    assert state_aid_deadline(world.claim) == dt.date(2030, 6, 18)


def test_a_decision_final_on_29_february_is_due_on_28_february(world: World) -> None:
    claim = claim_constitute(
        actor=world.lawyer,
        case=world.case,
        stage=ClaimStage.HEARING,
        court="Corr. Antwerpen",
        defendants=[world.pimp],
        constituted_on=dt.date(2024, 2, 1),
    )
    judgment_record(
        actor=world.lawyer,
        claim=claim,
        given_on=dt.date(2024, 2, 29),
        court="Corr. Antwerpen",
        final_on=dt.date(2024, 2, 29),
    )

    assert state_aid_deadline(claim) == dt.date(2027, 2, 28)  # the earlier day, never too late


def test_the_earliest_final_decision_counts(world: World) -> None:
    record_judgment(world, given_on=dt.date(2024, 3, 1), final_on=dt.date(2024, 3, 1))
    record_judgment(world, given_on=dt.date(2025, 6, 2), final_on=dt.date(2025, 6, 18))

    assert state_aid_deadline(world.claim) == dt.date(2027, 3, 1)


# --- Enforcement ------------------------------------------------------------------------------


def test_an_enforcement_step_is_logged_and_its_outcome_recorded_later(world: World) -> None:
    step = enforcement_step_add(
        actor=world.lawyer,
        claim=world.claim,
        debtor=world.client_1,
        kind=EnforcementKind.BAILIFF,
        taken_on=dt.date(2026, 1, 10),
        reference="Bailiff Peeters 26/001",
    )

    enforcement_step_outcome_record(
        actor=world.lawyer,
        step=step,
        outcome="No seizable assets",
        outcome_on=dt.date(2026, 2, 1),
    )

    step.refresh_from_db()
    assert (step.debtor, step.kind, step.taken_on, step.outcome, step.outcome_on) == (
        world.client_1,
        EnforcementKind.BAILIFF,
        dt.date(2026, 1, 10),
        "No seizable assets",
        dt.date(2026, 2, 1),
    )
    assert [
        (event.action, event.changes)
        for event in AuditEvent.objects.filter(target_type="claims.enforcementstep").order_by("id")
    ] == [
        (
            "enforcement_step.create",
            {
                "claim": [None, world.claim.pk],
                "debtor": [None, world.client_1.pk],
                "kind": [None, "bailiff"],
                "taken_on": [None, "2026-01-10"],
                "reference": [None, "Bailiff Peeters 26/001"],
            },
        ),
        (
            "enforcement_step.outcome",
            {"outcome": ["", "No seizable assets"], "outcome_on": [None, "2026-02-01"]},
        ),
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"taken_on": dt.date(2026, 11, 29)},
            {"taken_on": ["The date of the step lies in the future."]},
        ),
        (
            {"kind": "threat"},
            {"kind": ["Choose one of: formal_notice, bailiff, seizure, payment_plan."]},
        ),
        (
            {"outcome_on": dt.date(2026, 1, 9), "outcome": "Paid"},
            {"outcome_on": ["The outcome cannot precede the step."]},
        ),
        ({"outcome_on": dt.date(2026, 1, 11)}, {"outcome": ["Describe the outcome."]}),
    ],
)
def test_an_enforcement_step_with_bad_input_writes_nothing(
    world: World, change: dict[str, Any], expected: dict[str, list[str]]
) -> None:
    arguments = {
        "actor": world.lawyer,
        "claim": world.claim,
        "debtor": world.pimp,
        "kind": EnforcementKind.FORMAL_NOTICE,
        "taken_on": dt.date(2026, 1, 10),
        **change,
    }

    assert refused(enforcement_step_add, **arguments) == expected


def test_enforcement_against_someone_outside_the_case_is_refused(world: World) -> None:
    assert refused(
        enforcement_step_add,
        actor=world.lawyer,
        claim=world.claim,
        debtor=world.other_case_party,
        kind=EnforcementKind.FORMAL_NOTICE,
        taken_on=dt.date(2026, 1, 10),
    ) == {"debtor": ["The debtor must be a party (defendant) in this case."]}
