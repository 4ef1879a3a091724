"""Payments towards a judgment: append-only rows, idempotent on retry, corrected by reversal rows
(DOMAIN.md §5; issue 4 "Payments")."""

from __future__ import annotations

import datetime as dt
import re
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from claims.models import (
    Judgment,
    PayerKind,
    Payment,
    PaymentDestination,
    PaymentImmutable,
    StateAidKind,
)
from claims.services.payments import payment_record, payment_reverse
from claims.services.recovery import state_aid_apply, state_aid_decision_record
from legalaid.errors import Conflict
from legalaid.models import AuditEvent
from tests.cast import build_cast
from tests.claims.world import (
    GIVEN_ON,
    TODAY,
    World,
    build_world,
    counts,
    record_award,
    record_judgment,
    refused,
)

PAID_ON = dt.date(2025, 9, 1)


@pytest.fixture
def judgment(world: World) -> Judgment:
    """€5,000 owed by the pimp and the first client jointly; €1,440 costs by the pimp alone."""
    judgment = record_judgment(world)
    record_award(world, judgment)
    record_award(world, judgment, kind="costs", amount="1440.00", debtors=[world.pimp])
    return judgment


def pay(world: World, judgment: Judgment, **extra: Any) -> Payment:
    arguments: dict[str, Any] = {
        "actor": world.lawyer,
        "judgment": judgment,
        "amount": Decimal("250.00"),
        "paid_on": PAID_ON,
        "payer_kind": PayerKind.DEFENDANT,
        "payer_party": world.client_1,
        "destination": PaymentDestination.BLOCKED_ACCOUNT_MINOR,
        "reference": "+++090/9337/55493+++",
        **extra,
    }
    return payment_record(**arguments)


# --- Recording --------------------------------------------------------------------------------


def test_a_payment_by_a_co_debtor_is_recorded_with_where_the_money_went(
    world: World, judgment: Judgment
) -> None:
    payment = pay(world, judgment, idempotency_key="k-1")

    payment.refresh_from_db()
    assert (
        payment.amount,
        payment.paid_on,
        payment.payer_kind,
        payment.payer_party,
        payment.destination,
        payment.reference,
        payment.idempotency_key,
        payment.recorded_by,
        payment.reverses,
    ) == (
        Decimal("250.00"),
        PAID_ON,
        PayerKind.DEFENDANT,
        world.client_1,
        PaymentDestination.BLOCKED_ACCOUNT_MINOR,
        "+++090/9337/55493+++",
        "k-1",
        world.lawyer,
        None,
    )
    event = AuditEvent.objects.get(action="payment.create")
    assert (event.actor, event.case_id, event.target_id) == (
        world.lawyer,
        world.case.pk,
        str(payment.pk),
    )
    assert event.changes == {
        "judgment": [None, judgment.pk],
        "amount": [None, "250.00"],
        "paid_on": [None, "2025-09-01"],
        "payer_kind": [None, "defendant"],
        "payer_party": [None, world.client_1.pk],
        "destination": [None, "blocked_account_minor"],
        "reference": [None, "+++090/9337/55493+++"],
    }


def test_a_payment_on_the_day_of_the_judgment_and_one_today_are_accepted(
    world: World, judgment: Judgment
) -> None:
    assert pay(world, judgment, paid_on=GIVEN_ON).paid_on == GIVEN_ON
    assert pay(world, judgment, paid_on=TODAY).paid_on == TODAY


def test_an_insurer_pays_on_behalf_of_a_debtor_and_another_payer_for_nobody(
    world: World, judgment: Judgment
) -> None:
    insurer = pay(world, judgment, payer_kind=PayerKind.INSURER, payer_party=world.pimp)
    other = pay(
        world,
        judgment,
        payer_kind=PayerKind.OTHER,
        payer_party=None,
        destination=PaymentDestination.LAWYER_CLIENT_ACCOUNT,
    )

    assert (insurer.payer_party, other.payer_party) == (world.pimp, None)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"amount": Decimal("0")}, {"amount": ["The amount must be greater than zero."]}),
        ({"amount": Decimal("0.00")}, {"amount": ["The amount must be greater than zero."]}),
        ({"amount": Decimal("-250")}, {"amount": ["The amount must be greater than zero."]}),
        (
            {"amount": Decimal("250.005")},
            {"amount": ["An amount has at most two decimals (cents)."]},
        ),
        (
            {"amount": Decimal("Infinity")},
            {"amount": ["Give the amount as a decimal number of euro."]},
        ),
        (
            {"paid_on": dt.date(2025, 6, 1)},
            {"paid_on": ["A payment cannot precede the judgment (2025-06-02)."]},
        ),
        ({"paid_on": dt.date(2026, 11, 29)}, {"paid_on": ["The payment date lies in the future."]}),
        ({"payer_party": None}, {"payer_party": ["Name the defendant who paid."]}),
        (
            {"payer_kind": PayerKind.STATE_FUND},
            {"payer_party": ["The state fund pays in its own name, not a defendant's."]},
        ),
        (
            {"payer_kind": "victim"},
            {"payer_kind": ["Choose one of: defendant, state_fund, insurer, other."]},
        ),
        (
            {"destination": "cash"},
            {
                "destination": [
                    "Choose one of: blocked_account_minor, lawyer_client_account, guardian, other."
                ]
            },
        ),
        (
            {"idempotency_key": "k" * 101},
            {"idempotency_key": ["An idempotency key has at most 100 characters."]},
        ),
    ],
)
def test_a_payment_with_bad_input_writes_nothing(
    world: World, judgment: Judgment, change: dict[str, Any], expected: dict[str, list[str]]
) -> None:
    arguments = {
        "actor": world.lawyer,
        "judgment": judgment,
        "amount": Decimal("250.00"),
        "paid_on": PAID_ON,
        "payer_kind": PayerKind.DEFENDANT,
        "payer_party": world.client_1,
        "destination": PaymentDestination.BLOCKED_ACCOUNT_MINOR,
        **change,
    }

    assert refused(payment_record, **arguments) == expected


def test_a_payer_who_owes_nothing_under_the_judgment_is_refused(
    world: World, judgment: Judgment
) -> None:
    message = {"payer_party": ["This party owes nothing under this judgment."]}
    base = {
        "actor": world.lawyer,
        "judgment": judgment,
        "amount": Decimal("250.00"),
        "paid_on": PAID_ON,
        "payer_kind": PayerKind.DEFENDANT,
        "destination": PaymentDestination.BLOCKED_ACCOUNT_MINOR,
    }

    # a defendant of the claim against whom nothing was awarded, then a party of another case
    assert refused(payment_record, **base, payer_party=world.client_2) == message
    assert refused(payment_record, **base, payer_party=world.other_case_party) == message


def test_a_judgment_without_awards_has_no_debtor_to_pay(world: World) -> None:
    judgment = record_judgment(world)

    assert refused(
        payment_record,
        actor=world.lawyer,
        judgment=judgment,
        amount=Decimal("10"),
        paid_on=PAID_ON,
        payer_kind=PayerKind.DEFENDANT,
        payer_party=world.pimp,
        destination=PaymentDestination.GUARDIAN,
    ) == {"payer_party": ["This party owes nothing under this judgment."]}


# --- Idempotency ------------------------------------------------------------------------------


def test_a_retry_with_the_same_key_returns_the_same_payment_and_writes_nothing(
    world: World, judgment: Judgment
) -> None:
    first = pay(world, judgment, idempotency_key="6f1d-retry")
    before = counts()

    again = pay(world, judgment, idempotency_key="6f1d-retry")
    and_again = pay(world, judgment, idempotency_key=" 6f1d-retry ", amount=Decimal("250"))

    assert again.pk == first.pk == and_again.pk
    assert counts() == before
    assert Payment.objects.filter(idempotency_key="6f1d-retry").count() == 1
    assert AuditEvent.objects.filter(action="payment.create").count() == 1


def test_the_same_key_for_a_different_payment_is_a_conflict(
    world: World, judgment: Judgment
) -> None:
    pay(world, judgment, idempotency_key="k-2")
    before = counts()

    with pytest.raises(
        Conflict, match=re.escape("This idempotency key was already used for a different payment.")
    ):
        pay(world, judgment, idempotency_key="k-2", amount=Decimal("251.00"))

    assert counts() == before


def test_payments_without_a_key_are_each_recorded(world: World, judgment: Judgment) -> None:
    pay(world, judgment)
    pay(world, judgment)

    assert Payment.objects.count() == 2


def test_a_key_inserted_by_a_concurrent_request_is_answered_with_that_payment(
    world: World, judgment: Judgment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other request wins between our look-up and our insert: the constraint catches it."""
    winner = pay(world, judgment, idempotency_key="race")
    from claims.services import payments

    real_replay = payments._replay
    calls = []

    def replay_missing_once(key: str | None, request: dict[str, Any]) -> Payment | None:
        calls.append(key)
        return None if len(calls) == 1 else real_replay(key, request)

    monkeypatch.setattr(payments, "_replay", replay_missing_once)
    before = counts()

    again = pay(world, judgment, idempotency_key="race")

    assert again.pk == winner.pk
    assert calls == ["race", "race"]
    assert counts() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_retries_with_one_key_record_one_payment(
    postgres: None, frozen_today: Any
) -> None:
    world = build_world(build_cast())
    judgment = record_judgment(world)
    record_award(world, judgment)
    parallel = 8
    start = threading.Barrier(parallel)
    results: list[int] = []
    errors: list[BaseException] = []

    def retry() -> None:
        try:
            start.wait(timeout=30)
            results.append(pay(world, judgment, idempotency_key="parallel-key").pk)
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=retry) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(results) == parallel and len(set(results)) == 1
    assert Payment.objects.count() == 1
    assert AuditEvent.objects.filter(action="payment.create").count() == 1


# --- Reversal ---------------------------------------------------------------------------------


def test_a_payment_is_corrected_by_a_reversal_row(world: World, judgment: Judgment) -> None:
    payment = pay(world, judgment)

    reversal = payment_reverse(
        actor=world.lawyer,
        payment=payment,
        reason="Transfer bounced",
        reversed_on=dt.date(2025, 9, 5),
    )

    payment.refresh_from_db()
    assert (payment.amount, payment.paid_on) == (Decimal("250.00"), PAID_ON)  # untouched
    assert (
        reversal.reverses,
        reversal.amount,
        reversal.paid_on,
        reversal.payer_party,
        reversal.judgment,
        reversal.reason,
        reversal.is_reversal,
    ) == (
        payment,
        Decimal("250.00"),
        dt.date(2025, 9, 5),
        world.client_1,
        judgment,
        "Transfer bounced",
        True,
    )
    assert Payment.objects.get(pk=payment.pk).reversal == reversal
    event = AuditEvent.objects.get(action="payment.reverse")
    assert (event.target_id, event.case_id) == (str(reversal.pk), world.case.pk)
    assert event.changes["reverses"] == [None, payment.pk]
    assert event.changes["reason"] == [None, "Transfer bounced"]


def test_a_reversal_defaults_to_today(world: World, judgment: Judgment) -> None:
    reversal = payment_reverse(actor=world.lawyer, payment=pay(world, judgment), reason="Twice")

    assert reversal.paid_on == TODAY


def test_a_payment_is_reversed_only_once(world: World, judgment: Judgment) -> None:
    payment = pay(world, judgment)
    payment_reverse(actor=world.lawyer, payment=payment, reason="Recorded twice")
    before = counts()

    with pytest.raises(Conflict, match=re.escape("This payment has already been reversed.")):
        payment_reverse(actor=world.lawyer, payment=payment, reason="Again")

    assert counts() == before


def test_a_reversal_is_never_reversed(world: World, judgment: Judgment) -> None:
    reversal = payment_reverse(actor=world.lawyer, payment=pay(world, judgment), reason="Wrong")
    before = counts()

    with pytest.raises(Conflict, match="A reversal cannot be reversed"):
        payment_reverse(actor=world.lawyer, payment=reversal, reason="Undo")

    assert counts() == before


def test_a_reversal_retried_with_its_key_returns_the_same_row(
    world: World, judgment: Judgment
) -> None:
    payment = pay(world, judgment)
    first = payment_reverse(
        actor=world.lawyer,
        payment=payment,
        reason="Bounced",
        reversed_on=TODAY,
        idempotency_key="r",
    )
    before = counts()

    again = payment_reverse(
        actor=world.lawyer,
        payment=payment,
        reason="Bounced",
        reversed_on=TODAY,
        idempotency_key="r",
    )

    assert again.pk == first.pk
    assert counts() == before


def test_the_database_keeps_one_reversal_per_payment(world: World, judgment: Judgment) -> None:
    payment = pay(world, judgment)
    payment_reverse(actor=world.lawyer, payment=payment, reason="Bounced")
    duplicate = Payment(
        judgment=judgment,
        amount=payment.amount,
        paid_on=TODAY,
        payer_kind=payment.payer_kind,
        payer_party=payment.payer_party,
        destination=payment.destination,
        reverses=payment,
        reason="Sneaked in",
        recorded_by=world.lawyer,
        recorded_at=payment.recorded_at,
    )

    with pytest.raises(DatabaseError), transaction.atomic():
        duplicate.save()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"reason": " "}, {"reason": ["Say why the payment is reversed."]}),
        (
            {"reversed_on": dt.date(2025, 8, 31)},
            {"reversed_on": ["A reversal cannot precede the payment (2025-09-01)."]},
        ),
        (
            {"reversed_on": dt.date(2026, 11, 29)},
            {"reversed_on": ["The reversal date lies in the future."]},
        ),
    ],
)
def test_a_reversal_with_bad_input_writes_nothing(
    world: World, judgment: Judgment, change: dict[str, Any], expected: dict[str, list[str]]
) -> None:
    payment = pay(world, judgment)
    arguments = {"actor": world.lawyer, "payment": payment, "reason": "Bounced", **change}

    assert refused(payment_reverse, **arguments) == expected


# --- Append-only ------------------------------------------------------------------------------


def test_the_application_cannot_change_or_delete_a_payment(
    world: World, judgment: Judgment
) -> None:
    payment = pay(world, judgment)

    payment.amount = Decimal("1.00")
    with pytest.raises(
        PaymentImmutable, match=re.escape("Payments cannot be changed: record a reversal.")
    ):
        payment.save()
    with pytest.raises(
        PaymentImmutable, match=re.escape("Payments cannot be deleted: record a reversal.")
    ):
        payment.delete()
    with pytest.raises(PaymentImmutable):
        Payment.objects.filter(pk=payment.pk).update(amount=Decimal("1.00"))
    with pytest.raises(PaymentImmutable):
        Payment.objects.filter(pk=payment.pk).delete()

    assert Payment.objects.get(pk=payment.pk).amount == Decimal("250.00")


@pytest.mark.postgres
def test_postgresql_refuses_update_and_delete_of_payments(
    postgres: None, world: World, judgment: Judgment
) -> None:
    payment = pay(world, judgment)

    for statement in (
        "UPDATE claims_payment SET amount = 1 WHERE id = %s",
        "DELETE FROM claims_payment WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="payments are append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [payment.pk])

    assert Payment.objects.get(pk=payment.pk).amount == Decimal("250.00")


# --- The state fund ---------------------------------------------------------------------------


def test_the_state_fund_pays_a_granted_aid_towards_the_judgment(
    world: World, judgment: Judgment
) -> None:
    application = state_aid_apply(
        actor=world.lawyer,
        claim=world.claim,
        kind=StateAidKind.MAIN,
        filed_on=dt.date(2025, 10, 1),
        amount_requested=Decimal("5000.00"),
    )
    state_aid_decision_record(
        actor=world.lawyer,
        application=application,
        decided_on=dt.date(2026, 3, 1),
        amount_granted=Decimal("4000.00"),
    )

    payment = pay(
        world,
        judgment,
        amount=Decimal("4000.00"),
        paid_on=dt.date(2026, 4, 1),
        payer_kind=PayerKind.STATE_FUND,
        payer_party=None,
        state_aid_application=application,
    )

    assert (payment.payer_kind, payment.payer_party, payment.state_aid_application) == (
        PayerKind.STATE_FUND,
        None,
        application,
    )


def test_an_aid_application_not_granted_or_paid_by_someone_else_is_refused(
    world: World, judgment: Judgment
) -> None:
    application = state_aid_apply(
        actor=world.lawyer,
        claim=world.claim,
        kind=StateAidKind.EMERGENCY,
        filed_on=dt.date(2025, 10, 1),
        amount_requested=Decimal("3000.00"),
    )
    base = {
        "actor": world.lawyer,
        "judgment": judgment,
        "amount": Decimal("100"),
        "paid_on": PAID_ON,
        "destination": PaymentDestination.GUARDIAN,
        "state_aid_application": application,
    }

    assert refused(payment_record, **base, payer_kind=PayerKind.STATE_FUND) == {
        "state_aid_application": ["Link an aid application of this claim that was granted."]
    }
    assert refused(
        payment_record, **base, payer_kind=PayerKind.INSURER, payer_party=world.pimp
    ) == {"state_aid_application": ["Only the state fund pays an aid decision."]}
