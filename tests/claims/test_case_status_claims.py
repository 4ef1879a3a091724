"""The claims services move the case forward as they record the events: a civil-party
constitution filed → civil party constituted; a judgment → judgment; the first payment, the state
fund's payment or an enforcement step after a judgment, or a claim moved to collection → recovery.
Never backwards, never out of closed, audited in the event's own transaction. (The stages and
closing: tests/legalaid/test_case_status.py.)"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command

from claims.models import (
    AwardKind,
    ClaimStage,
    ClaimStatus,
    EnforcementKind,
    Judgment,
    PayerKind,
    Payment,
    PaymentDestination,
    StateAidKind,
)
from claims.services.claims import claim_constitute, claim_file, claim_status_change
from claims.services.judgments import award_record, judgment_record
from claims.services.payments import payment_record, payment_reverse
from claims.services.recovery import (
    enforcement_step_add,
    state_aid_apply,
    state_aid_decision_record,
    state_aid_payment_record,
)
from legalaid.errors import Conflict
from legalaid.models import AuditEvent, Case, CaseStatus, User
from legalaid.services.cases import case_close
from tests.cast import Cast, build_cast
from tests.claims.world import (
    CONSTITUTED_ON,
    GIVEN_ON,
    World,
    build_world,
    counts,
    record_award,
    record_judgment,
)
from tests.legalaid.test_case_status import set_status, status_history, status_of
from tests.legalaid.test_concurrency import run_together

PAID_ON = dt.date(2025, 9, 1)


def pay(world: World, judgment: Judgment, **extra: Any) -> Payment:
    arguments: dict[str, Any] = {
        "actor": world.lawyer,
        "judgment": judgment,
        "amount": Decimal("250.00"),
        "paid_on": PAID_ON,
        "payer_kind": PayerKind.DEFENDANT,
        "payer_party": world.client_1,
        "destination": PaymentDestination.BLOCKED_ACCOUNT_MINOR,
        **extra,
    }
    return payment_record(**arguments)


def granted_aid(world: World, kind: str, filed_on: dt.date) -> Any:
    application = state_aid_apply(
        actor=world.lawyer,
        claim=world.claim,
        kind=kind,
        filed_on=filed_on,
        amount_requested=Decimal("2000.00"),
    )
    return state_aid_decision_record(
        actor=world.lawyer,
        application=application,
        decided_on=filed_on + dt.timedelta(days=30),
        amount_granted=Decimal("1500.00"),
    )


# --- The whole path through the claims services ------------------------------------------------


def test_a_case_moves_from_designated_to_recovery_as_the_claims_events_are_recorded(
    frozen_today: dt.date, cast: Cast
) -> None:
    lawyer, case = cast.lawyer_a, cast.case_a
    claim = claim_constitute(
        actor=lawyer,
        case=case,
        stage=ClaimStage.HEARING,
        court="Correctionele rechtbank Antwerpen",
        defendants=[cast.party_a],
    )
    assert status_of(case) == CaseStatus.LAWYER_DESIGNATED  # prepared, not filed: not a party yet
    first_claim_row = AuditEvent.objects.get(action="civil_claim.create").pk

    claim_file(actor=lawyer, claim=claim, constituted_on=CONSTITUTED_ON)
    assert status_of(case) == CaseStatus.CIVIL_PARTY_CONSTITUTED
    judgment = judgment_record(actor=lawyer, claim=claim, given_on=GIVEN_ON, court="Corr. Antw.")
    assert status_of(case) == CaseStatus.JUDGMENT
    award_record(
        actor=lawyer,
        judgment=judgment,
        kind=AwardKind.DAMAGES,
        amount=Decimal("1000.00"),
        debtors=[cast.party_a],
    )
    for number in (1, 2):  # the first payment moves the case; the second finds it there
        payment_record(
            actor=lawyer,
            judgment=judgment,
            amount=Decimal("100.00"),
            paid_on=PAID_ON,
            payer_kind=PayerKind.DEFENDANT,
            payer_party=cast.party_a,
            destination=PaymentDestination.BLOCKED_ACCOUNT_MINOR,
            idempotency_key=f"walk-{number}",
        )
        assert status_of(case) == CaseStatus.RECOVERY
    case_close(actor=cast.office_a, case=case, reason="Everything awarded was paid.")

    assert status_history(case)[1:] == [
        ("case.status_change", "lawyer_a", ["awaiting_designation", "lawyer_designated"],
         "designation.accepted"),
        ("case.status_change", "lawyer_a", ["lawyer_designated", "civil_party_constituted"],
         "civil_claim.status_change"),
        ("case.status_change", "lawyer_a", ["civil_party_constituted", "judgment"],
         "judgment.create"),
        ("case.status_change", "lawyer_a", ["judgment", "recovery"], "payment.create"),
        ("case.close", "office_a", ["recovery", "closed"], None),
    ]  # fmt: skip
    # Each move is written with the rows of the event that made it, in its transaction.
    actions = AuditEvent.objects.filter(case_id=case.pk, pk__gt=first_claim_row)
    assert list(actions.order_by("id").values_list("action", flat=True)) == [
        "civil_claim.status_change", "case.status_change",
        "judgment.create", "civil_claim.status_change", "case.status_change",
        "award.create",
        "payment.create", "case.status_change",
        "payment.create",
        "case.close",
    ]  # fmt: skip


def test_a_claim_filed_at_once_moves_the_case_when_it_is_recorded(world: World) -> None:
    assert world.claim.status == ClaimStatus.FILED
    assert status_of(world.case) == CaseStatus.CIVIL_PARTY_CONSTITUTED
    assert status_history(world.case)[-1] == (
        "case.status_change", "lawyer_a", ["lawyer_designated", "civil_party_constituted"],
        "civil_claim.create",
    )  # fmt: skip


def test_a_second_claim_filed_later_leaves_a_case_further_on_where_it_is(world: World) -> None:
    record_judgment(world)
    before = status_history(world.case)

    claim_constitute(
        actor=world.lawyer,
        case=world.case,
        stage=ClaimStage.HEARING,
        court="Correctionele rechtbank Antwerpen",
        defendants=[world.client_2],
        constituted_on=GIVEN_ON,
    )

    assert status_of(world.case) == CaseStatus.JUDGMENT
    assert status_history(world.case) == before


def test_an_appeal_judgment_on_a_case_in_recovery_leaves_it_in_recovery(world: World) -> None:
    judgment = record_judgment(world)
    record_award(world, judgment)
    pay(world, judgment)
    before = status_history(world.case)

    record_judgment(world, given_on=GIVEN_ON + dt.timedelta(days=200), court="Hof van beroep")

    assert status_of(world.case) == CaseStatus.RECOVERY
    assert status_history(world.case) == before


# --- What starts the recovery --------------------------------------------------------------------


def _payment(world: World, judgment: Judgment) -> None:
    pay(world, judgment)


def _state_aid(world: World, judgment: Judgment) -> None:
    application = granted_aid(world, StateAidKind.MAIN, dt.date(2025, 10, 1))
    state_aid_payment_record(
        actor=world.lawyer,
        application=application,
        paid_on=dt.date(2025, 12, 1),
        amount_paid=Decimal("1500.00"),
    )


def _enforcement(world: World, judgment: Judgment) -> None:
    enforcement_step_add(
        actor=world.lawyer,
        claim=world.claim,
        debtor=world.pimp,
        kind=EnforcementKind.FORMAL_NOTICE,
        taken_on=dt.date(2025, 7, 1),
    )


def _collection(world: World, judgment: Judgment) -> None:
    claim_status_change(actor=world.lawyer, claim=world.claim, status=ClaimStatus.COLLECTING)


@pytest.mark.parametrize(
    ("record", "event"),
    [
        (_payment, "payment.create"),
        (_state_aid, "state_aid_application.paid"),
        (_enforcement, "enforcement_step.create"),
        (_collection, "civil_claim.status_change"),
    ],
)
def test_each_recovery_event_after_a_judgment_moves_the_case_to_recovery(
    world: World, record: Callable[[World, Judgment], None], event: str
) -> None:
    judgment = record_judgment(world, final_on=GIVEN_ON + dt.timedelta(days=16))
    record_award(world, judgment)

    record(world, judgment)

    assert status_of(world.case) == CaseStatus.RECOVERY
    assert status_history(world.case)[-1] == (
        "case.status_change", "lawyer_a", ["judgment", "recovery"], event
    )  # fmt: skip


def test_emergency_aid_and_a_formal_notice_before_any_judgment_leave_the_case_where_it_is(
    world: World,
) -> None:
    before = status_history(world.case)
    application = granted_aid(world, StateAidKind.EMERGENCY, dt.date(2024, 4, 1))
    state_aid_payment_record(
        actor=world.lawyer,
        application=application,
        paid_on=dt.date(2024, 6, 1),
        amount_paid=Decimal("1500.00"),
    )
    enforcement_step_add(
        actor=world.lawyer,
        claim=world.claim,
        debtor=world.pimp,
        kind=EnforcementKind.FORMAL_NOTICE,
        taken_on=dt.date(2024, 6, 2),
    )

    assert status_of(world.case) == CaseStatus.CIVIL_PARTY_CONSTITUTED
    assert status_history(world.case) == before


def test_a_retried_payment_and_a_reversal_write_no_status_change(world: World) -> None:
    judgment = record_judgment(world)
    record_award(world, judgment)
    payment = pay(world, judgment, idempotency_key="once")
    before = status_history(world.case)

    assert pay(world, judgment, idempotency_key="once") == payment
    payment_reverse(actor=world.lawyer, payment=payment, reason="The transfer bounced.")

    # The recovery began; what came in is the ledger's to say.
    assert status_of(world.case) == CaseStatus.RECOVERY
    assert status_history(world.case) == before


# --- Closed cases and refusals ----------------------------------------------------------------


def test_a_closed_case_takes_no_new_claim_and_nothing_is_written(world: World) -> None:
    case_close(actor=world.cast.office_a, case=world.case, reason="The victim withdrew.")
    before = counts()

    with pytest.raises(Conflict, match="This case is closed"):
        claim_constitute(
            actor=world.lawyer,
            case=Case.objects.get(pk=world.case.pk),
            stage=ClaimStage.HEARING,
            court="Corr. Antwerpen",
            defendants=[world.pimp],
            constituted_on=CONSTITUTED_ON,
        )

    assert counts() == before
    assert status_of(world.case) == CaseStatus.CLOSED


def test_what_is_recorded_on_a_closed_cases_claim_leaves_it_closed(world: World) -> None:
    """A judgment or a late payment on a closed case is recorded (it happened); it does not
    reopen the case."""
    case_close(actor=world.cast.office_a, case=world.case, reason="The victim withdrew.")
    before = status_history(world.case)

    judgment = record_judgment(world)
    record_award(world, judgment)
    pay(world, judgment)

    assert status_of(world.case) == CaseStatus.CLOSED
    assert status_history(world.case) == before
    assert Payment.objects.count() == 1


def test_a_refused_event_moves_nothing(world: World) -> None:
    before, history = counts(), status_history(world.case)

    with pytest.raises(Conflict):
        claim_file(actor=world.lawyer, claim=world.claim, constituted_on=CONSTITUTED_ON)

    assert counts() == before
    assert status_history(world.case) == history


def test_a_claims_refusal_after_the_move_rolls_the_move_back_too(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The move is written in the event's transaction: if the event fails after it, neither
    remains."""
    from claims.services import judgments

    real = judgments.case_follows

    def follows_then_fails(**kwargs: Any) -> None:
        real(**kwargs)
        raise Conflict("Refused after the case moved.")

    monkeypatch.setattr(judgments, "case_follows", follows_then_fails)
    before, history = counts(), status_history(world.case)

    with pytest.raises(Conflict, match="Refused after the case moved"):
        record_judgment(world)

    assert counts() == before
    assert status_history(world.case) == history
    assert status_of(world.case) == CaseStatus.CIVIL_PARTY_CONSTITUTED


# --- Cases recorded before the status followed the claims -----------------------------------------


def test_the_migration_moves_each_open_case_to_the_stage_its_claims_show(
    world: World,
) -> None:
    migration = importlib.import_module("claims.migrations.0005_case_status_from_claims")
    judgment = record_judgment(world)
    record_award(world, judgment)
    pay(world, judgment)
    set_status(world.case, CaseStatus.LAWYER_DESIGNATED)  # as before the services moved it
    other = world.cast.case_b  # no claim: stays
    lawyer_b: User = world.cast.lawyer_b
    claim_b = claim_constitute(
        actor=lawyer_b,
        case=other,
        stage=ClaimStage.HEARING,
        court="Tribunal correctionnel de Bruxelles",
        defendants=[world.other_case_party],
        constituted_on=CONSTITUTED_ON,
    )
    judgment_record(actor=lawyer_b, claim=claim_b, given_on=GIVEN_ON, court="Trib. corr.")
    set_status(other, CaseStatus.CLOSED)  # closed by the office: never moved
    untouched = world.cast.case_a2
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    migration.forward(apps, None)
    migration.forward(apps, None)  # a second run finds every case where it belongs

    assert [status_of(case) for case in (world.case, other, untouched)] == [
        "recovery",
        "closed",
        "awaiting_designation",
    ]
    row = AuditEvent.objects.get(pk__gt=since)
    assert (row.action, row.actor, row.target_id, row.case_id, row.office_id) == (
        "case.status_change",
        None,
        str(world.case.pk),
        world.case.pk,
        world.case.office_id,
    )
    assert row.changes == {
        "status": ["lawyer_designated", "recovery"],
        "event": [None, "migration claims.0005_case_status_from_claims"],
    }


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ([], "civil_party_constituted"),
        (["judgment"], "judgment"),
        (["judgment", "formal notice before the judgment"], "judgment"),
        (["judgment", "formal notice after the judgment"], "recovery"),
    ],
)
def test_the_migration_reads_each_stage_from_the_claims(
    world: World, steps: list[str], expected: str
) -> None:
    migration = importlib.import_module("claims.migrations.0005_case_status_from_claims")
    if "judgment" in steps:
        record_judgment(world)
    for step in steps[1:]:
        taken_on = GIVEN_ON + dt.timedelta(days=-1 if "before" in step else 1)
        enforcement_step_add(
            actor=world.lawyer,
            claim=world.claim,
            debtor=world.pimp,
            kind=EnforcementKind.FORMAL_NOTICE,
            taken_on=taken_on,
        )
    set_status(world.case, CaseStatus.LAWYER_DESIGNATED)

    migration.forward(apps, None)

    assert status_of(world.case) == expected


# --- The demo ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_case_ends_in_recovery_as_its_events_say() -> None:
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115

    case = Case.objects.get(civil_claims__isnull=False)
    assert case.status == CaseStatus.RECOVERY
    assert [row[2] for row in status_history(case)] == [
        [None, "awaiting_designation"],
        ["awaiting_designation", "lawyer_designated"],
        ["lawyer_designated", "civil_party_constituted"],
        ["civil_party_constituted", "judgment"],
        ["judgment", "recovery"],
    ]
    others = Case.objects.exclude(pk=case.pk).values_list("status", flat=True)
    assert set(others) <= {"awaiting_designation", "lawyer_designated"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_first_payments_at_the_same_moment_move_the_case_once(
    postgres: None, frozen_today: dt.date
) -> None:
    world = build_world(build_cast())
    judgment = record_judgment(world)
    record_award(world, judgment)

    results, errors = run_together(
        2, lambda n: pay(world, judgment, idempotency_key=f"same-moment-{n}")
    )

    assert (len(results), errors) == (2, [])
    moves = [row for row in status_history(world.case) if row[2] == ["judgment", "recovery"]]
    assert moves == [("case.status_change", "lawyer_a", ["judgment", "recovery"], "payment.create")]
