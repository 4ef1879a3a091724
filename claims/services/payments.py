"""Payments towards a judgment and their reversals: append-only rows, written once.

A retried request carries the same `idempotency_key` and gets the payment the first one recorded,
with nothing more written. The key's uniqueness is the database's: two requests racing with the
same key both try to insert, one wins, the other's insert fails on the constraint (on PostgreSQL it
waits for the winner to commit) and then reads and returns the winner's row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from legalaid.errors import Conflict
from legalaid.models import CaseStatus, Party, User
from legalaid.services._common import require

from ..models import (
    Judgment,
    PayerKind,
    Payment,
    PaymentDestination,
    StateAidApplication,
    StateAidStatus,
)
from ..selectors import judgment_debtors
from ._common import (
    audit,
    case_follows,
    claim_locked,
    clean_money,
    created,
    require_choice,
    require_not_future,
    today,
)

PAYMENT_FIELDS = (
    "judgment", "amount", "paid_on", "payer_kind", "payer_party", "destination", "reference",
    "state_aid_application", "reverses", "reason",
)  # fmt: skip
# What a retry must repeat exactly to be the same request.
REQUEST_FIELDS = (
    "judgment_id", "amount", "paid_on", "payer_kind", "payer_party_id", "destination",
    "reference", "state_aid_application_id", "reverses_id",
)  # fmt: skip


def _clean_key(key: str | None) -> str | None:
    key = (key or "").strip()
    require(len(key) <= 100, "idempotency_key", _("An idempotency key has at most 100 characters."))
    return key or None


def _replay(key: str | None, request: dict[str, Any]) -> Payment | None:
    """The payment already recorded under this key, if the request is the same one again."""
    if key is None:
        return None
    existing = Payment.objects.filter(idempotency_key=key).first()
    if existing is None:
        return None
    if any(getattr(existing, name) != request[name] for name in REQUEST_FIELDS):
        raise Conflict(_("This idempotency key was already used for a different payment."))
    return existing


def _insert(payment: Payment, request: dict[str, Any]) -> tuple[Payment, bool]:
    """Insert under a savepoint; (the row, True) — or, when another request with the same key
    won, (its row, False)."""
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError:
        existing = _replay(payment.idempotency_key, request)
        if existing is None:
            raise
        return existing, False
    return payment, True


@transaction.atomic
def payment_record(
    *,
    actor: User,
    judgment: Judgment,
    amount: Decimal,
    paid_on: dt.date,
    payer_kind: str,
    destination: str,
    payer_party: Party | None = None,
    reference: str = "",
    state_aid_application: StateAidApplication | None = None,
    idempotency_key: str | None = None,
) -> Payment:
    """Record a payment towards a judgment: by a defendant liable under it (`payer_party`), by
    the state fund (optionally executing an aid decision), an insurer or another payer (on behalf
    of a debtor when `payer_party` is given), and where the money went. The same call again with
    the same `idempotency_key` returns the same payment and writes nothing. The first payment
    moves the case to recovery (a closed case stays closed: a late payment is still recorded)."""
    key = _clean_key(idempotency_key)
    request = {
        "judgment_id": judgment.pk,
        "amount": amount,
        "paid_on": paid_on,
        "payer_kind": payer_kind,
        "payer_party_id": payer_party.pk if payer_party is not None else None,
        "destination": destination,
        "reference": reference.strip(),
        "state_aid_application_id": state_aid_application.pk if state_aid_application else None,
        "reverses_id": None,
    }
    existing = _replay(key, request)
    if existing is not None:
        return existing
    value = clean_money(amount, "amount")
    require_choice(payer_kind, PayerKind, "payer_kind")
    require_choice(destination, PaymentDestination, "destination")
    require_not_future(paid_on, "paid_on", _("The payment date lies in the future."))
    require(
        paid_on >= judgment.given_on,
        "paid_on",
        _("A payment cannot precede the judgment (%(day)s).") % {"day": judgment.given_on},
    )
    if payer_kind == PayerKind.DEFENDANT:
        require(payer_party is not None, "payer_party", _("Name the defendant who paid."))
    if payer_kind == PayerKind.STATE_FUND:
        require(
            payer_party is None,
            "payer_party",
            _("The state fund pays in its own name, not a defendant's."),
        )
    if payer_party is not None:
        require(
            judgment_debtors(judgment).filter(pk=payer_party.pk).exists(),
            "payer_party",
            _("This party owes nothing under this judgment."),
        )
    if state_aid_application is not None:
        require(
            payer_kind == PayerKind.STATE_FUND,
            "state_aid_application",
            _("Only the state fund pays an aid decision."),
        )
        require(
            StateAidApplication.objects.filter(
                pk=state_aid_application.pk,
                claim_id=judgment.claim_id,
                status__in=(StateAidStatus.GRANTED, StateAidStatus.PAID),
            ).exists(),
            "state_aid_application",
            _("Link an aid application of this claim that was granted."),
        )
    claim = claim_locked(judgment.claim)
    payment = Payment(
        judgment=judgment,
        amount=value,
        paid_on=paid_on,
        payer_kind=payer_kind,
        payer_party=payer_party,
        destination=destination,
        reference=reference.strip(),
        state_aid_application=state_aid_application,
        idempotency_key=key,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    # The key's uniqueness is left to the database (see the module's docstring).
    payment.full_clean(exclude=["idempotency_key"])
    payment, inserted = _insert(payment, request)
    if inserted:
        audit(
            actor=actor,
            action="payment.create",
            target=payment,
            claim=claim,
            changes=created(payment, PAYMENT_FIELDS),
        )
        case_follows(actor=actor, claim=claim, to=CaseStatus.RECOVERY, event="payment.create")
    return payment


@transaction.atomic
def payment_reverse(
    *,
    actor: User,
    payment: Payment,
    reason: str,
    reversed_on: dt.date | None = None,
    idempotency_key: str | None = None,
) -> Payment:
    """Cancel a payment (a bounced transfer, a payment recorded twice…) with a reversal row that
    repeats its amount, effective `reversed_on` (today by default). A payment is reversed once;
    a reversal is never reversed (record the payment again instead). The case stays in recovery
    even if no payment remains: its status says the recovery began, the ledger what came in."""
    key = _clean_key(idempotency_key)
    claim = claim_locked(payment.judgment.claim)  # the claim first, as every claims service
    original = Payment.objects.select_for_update().get(pk=payment.pk)
    reversed_on = reversed_on or today()
    request = {
        "judgment_id": original.judgment_id,
        "amount": original.amount,
        "paid_on": reversed_on,
        "payer_kind": original.payer_kind,
        "payer_party_id": original.payer_party_id,
        "destination": original.destination,
        "reference": original.reference,
        "state_aid_application_id": original.state_aid_application_id,
        "reverses_id": original.pk,
    }
    existing = _replay(key, request)
    if existing is not None:
        return existing
    if original.reverses_id is not None:
        raise Conflict(_("A reversal cannot be reversed: record the payment again instead."))
    if Payment.objects.filter(reverses=original).exists():
        raise Conflict(_("This payment has already been reversed."))
    require(bool(reason.strip()), "reason", _("Say why the payment is reversed."))
    require_not_future(reversed_on, "reversed_on", _("The reversal date lies in the future."))
    require(
        reversed_on >= original.paid_on,
        "reversed_on",
        _("A reversal cannot precede the payment (%(day)s).") % {"day": original.paid_on},
    )
    reversal = Payment(
        judgment_id=original.judgment_id,
        amount=original.amount,
        paid_on=reversed_on,
        payer_kind=original.payer_kind,
        payer_party_id=original.payer_party_id,
        destination=original.destination,
        reference=original.reference,
        state_aid_application_id=original.state_aid_application_id,
        reverses=original,
        reason=reason.strip(),
        idempotency_key=key,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    reversal.full_clean(exclude=["idempotency_key", "reverses"])
    try:
        reversal, inserted = _insert(reversal, request)
    except IntegrityError:  # another request reversed it first (one reversal per payment)
        if not Payment.objects.filter(reverses=original).exists():
            raise
        raise Conflict(_("This payment has already been reversed.")) from None
    if inserted:
        audit(
            actor=actor,
            action="payment.reverse",
            target=reversal,
            claim=claim,
            changes=created(reversal, PAYMENT_FIELDS),
        )
    return reversal
