"""Checks shared by the claims services: money, rates, dates, and the claim a write hangs on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from legalaid.audit import audit_record, changes_for_create
from legalaid.errors import Conflict
from legalaid.models import CaseStatus, User
from legalaid.services._common import require
from legalaid.services.cases import case_status_advance

from ..models import CivilClaim, ClaimStatus, JudgmentStatus, StateAidStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CENT = Decimal("0.01")
MAX_MONEY = Decimal("9999999999.99")  # DecimalField(max_digits=12, decimal_places=2)


def today() -> dt.date:
    return timezone.localdate()


def clean_money(value: Decimal | int, field: str) -> Decimal:
    """A positive amount in whole cents (`Decimal("10.50")`, also `Decimal("10.500")`)."""
    amount = Decimal(value) if isinstance(value, int) and not isinstance(value, bool) else value
    require(
        isinstance(amount, Decimal) and amount.is_finite(),
        field,
        _("Give the amount as a decimal number of euro."),
    )
    assert isinstance(amount, Decimal)
    require(amount > 0, field, _("The amount must be greater than zero."))
    require(amount <= MAX_MONEY, field, _("The amount is too large."))
    require(
        amount == amount.quantize(CENT), field, _("An amount has at most two decimals (cents).")
    )
    return amount.quantize(CENT)


def clean_percent(value: Decimal, field: str) -> Decimal:
    require(
        isinstance(value, Decimal) and value.is_finite(),
        field,
        _("Give the rate as a decimal percentage."),
    )
    require(0 < value < 100, field, _("A rate lies between 0 and 100 percent (exclusive)."))
    require(value == value.quantize(CENT), field, _("A rate has at most two decimals."))
    return value.quantize(CENT)


def require_not_future(day: dt.date, field: str, message: StrOrPromise) -> None:
    """`message`: a whole sentence, "The … lies in the future." (never glued from parts)."""
    require(day <= today(), field, message)


def require_choice(value: str, choices: type[models.TextChoices], field: str) -> None:
    require(
        value in choices.values,
        field,
        _("Choose one of: %(codes)s.") % {"codes": ", ".join(map(str, choices.values))},
    )


# A status in a refusal's sentence ("A claim that is … cannot become …."): in English the
# status's code, as the API names it; translated, words that agree with the sentence's subject.
CLAIM_STATUS_IN_SENTENCE = {
    ClaimStatus.PREPARED: pgettext_lazy("a claim that is", "prepared"),
    ClaimStatus.FILED: pgettext_lazy("a claim that is", "filed"),
    ClaimStatus.JUDGMENT: pgettext_lazy("a claim that is", "judgment"),
    ClaimStatus.FINAL: pgettext_lazy("a claim that is", "final"),
    ClaimStatus.COLLECTING: pgettext_lazy("a claim that is", "collecting"),
    ClaimStatus.CLOSED: pgettext_lazy("a claim that is", "closed"),
}
JUDGMENT_STATUS_IN_SENTENCE = {
    JudgmentStatus.APPEALABLE: pgettext_lazy("a judgment that is", "appealable"),
    JudgmentStatus.UNDER_APPEAL: pgettext_lazy("a judgment that is", "under_appeal"),
    JudgmentStatus.FINAL: pgettext_lazy("a judgment that is", "final"),
    JudgmentStatus.REPLACED: pgettext_lazy("a judgment that is", "replaced"),
}
STATE_AID_STATUS_IN_SENTENCE = {
    StateAidStatus.FILED: pgettext_lazy("an aid application that is", "filed"),
    StateAidStatus.GRANTED: pgettext_lazy("an aid application that is", "granted"),
    StateAidStatus.REFUSED: pgettext_lazy("an aid application that is", "refused"),
    StateAidStatus.PAID: pgettext_lazy("an aid application that is", "paid"),
}


def claim_locked(claim: CivilClaim) -> CivilClaim:
    """The claim, re-read under a row lock (serialises writes on one claim), with its case."""
    return (
        CivilClaim.objects.select_for_update(of=("self",)).select_related("case").get(pk=claim.pk)
    )


def require_open(claim: CivilClaim) -> None:
    if claim.status == ClaimStatus.CLOSED:
        raise Conflict(_("This claim is closed."))


def audit(
    *,
    actor: User,
    action: str,
    target: models.Model,
    claim: CivilClaim,
    changes: dict[str, list[Any]],
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=target,
        case_id=claim.case_id,
        office_id=claim.case.office_id,
        changes=changes,
    )


def case_follows(*, actor: User, claim: CivilClaim, to: CaseStatus, event: str) -> None:
    """The claim's case moves forward to `to` (never back; a closed case stays closed), audited
    with the `event` that moved it, in the caller's transaction. After the claim's lock, as every
    claims service: a claim, then its case."""
    case_status_advance(actor=actor, case=claim.case, to=to, event=event)


def has_judgment(claim: CivilClaim) -> bool:
    """A judgment was recorded on the claim: what is received from then on recovers an award."""
    return claim.judgments.exists()


def created(instance: models.Model, fields: Sequence[str]) -> dict[str, list[Any]]:
    """The audit changes of a new row, its empty fields left out (they say nothing)."""
    changes = changes_for_create(instance, fields)
    return {name: change for name, change in changes.items() if change[1] not in (None, "", [])}


def move_claim(
    *,
    actor: User,
    claim: CivilClaim,
    to_status: str,
    from_statuses: Sequence[str],
    reason: str = "",
    **fields: object,
) -> bool:
    """Move the claim by a conditional update (never twice, never from the wrong status); the
    audit row says from where. False when the claim was in none of `from_statuses`. The caller
    holds the claim's row lock (`claim_locked`)."""
    before = claim.status
    moved = CivilClaim.objects.filter(pk=claim.pk, status__in=from_statuses).update(
        status=to_status, updated_at=timezone.now(), **fields
    )
    if moved:
        changes: dict[str, list[Any]] = {"status": [before, to_status]}
        changes.update({name: [None, str(value)] for name, value in fields.items()})
        if reason:
            changes["reason"] = [None, reason]
        audit(
            actor=actor,
            action="civil_claim.status_change",
            target=claim,
            claim=claim,
            changes=changes,
        )
        claim.refresh_from_db()
    return bool(moved)
