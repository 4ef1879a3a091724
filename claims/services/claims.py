"""The civil-party constitution and its lifecycle, and the heads of damage claimed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from legalaid.errors import Conflict
from legalaid.models import Case, CaseStatus, Party, User
from legalaid.services._common import clean_and_save, require

from ..models import (
    CivilClaim,
    ClaimStage,
    ClaimStatus,
    DamageHead,
    DamageKind,
    IndicativeTableEdition,
    IndicativeTableItem,
    IndicativeTableRate,
    RateUnit,
)
from ..selectors import indicative_edition_on
from ._common import (
    CENT,
    CLAIM_STATUS_IN_SENTENCE,
    audit,
    case_follows,
    claim_locked,
    clean_money,
    created,
    move_claim,
    require_choice,
    require_not_future,
    require_open,
    today,
)

CLAIM_FIELDS = ("case", "stage", "court", "constituted_on", "defendants", "status")
DAMAGE_HEAD_FIELDS = (
    "claim", "kind", *DamageHead.IDENTITY_FIELDS, "amount_claimed", "flat_rate", "quantity",
    "unit_amount",
)  # fmt: skip

MAX_QUANTITY = Decimal("1000000")  # DamageHead.quantity: max_digits=8, decimal_places=2

# Moves a person makes by hand; the others follow from judgments (`judgment_record`, …).
MANUAL_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ClaimStatus.COLLECTING: (ClaimStatus.FINAL,),
    ClaimStatus.CLOSED: (
        ClaimStatus.PREPARED,
        ClaimStatus.FILED,
        ClaimStatus.JUDGMENT,
        ClaimStatus.FINAL,
        ClaimStatus.COLLECTING,
    ),
}


def _clean_defendants(case: Case, stage: str, defendants: Sequence[Party]) -> list[Party]:
    unique = list({party.pk: party for party in defendants}.values())
    require(
        all(party.case_id == case.pk for party in unique),
        "defendants",
        _("Every defendant must be a party in this case."),
    )
    require(
        bool(unique) or stage == ClaimStage.INVESTIGATING_JUDGE,
        "defendants",
        _(
            "Name the defendants; only before the investigating judge can a claim be made "
            "against persons unknown."
        ),
    )
    return unique


@transaction.atomic
def claim_constitute(
    *,
    actor: User,
    case: Case,
    stage: str,
    defendants: Sequence[Party],
    court: str = "",
    constituted_on: dt.date | None = None,
) -> CivilClaim:
    """Record a civil-party constitution against some of the case's defendants: filed on
    `constituted_on`, or only prepared when no date is given yet (`claim_file` files it). The
    court defaults to the case's investigating judge or trial court, by stage. A closed case takes
    no new claim. Filed, it moves the case to civil party constituted (if it was not further)."""
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("This case is closed."))
    require_choice(stage, ClaimStage, "stage")
    court = court.strip() or (
        case.investigating_judge if stage == ClaimStage.INVESTIGATING_JUDGE else case.court
    )
    require(bool(court.strip()), "court", _("Name the investigating judge or the court."))
    parties = _clean_defendants(case, stage, defendants)
    if constituted_on is not None:
        require_not_future(
            constituted_on, "constituted_on", _("The constitution date lies in the future.")
        )
    claim = CivilClaim(
        case=case,
        stage=stage,
        court=court.strip(),
        constituted_on=constituted_on,
        status=ClaimStatus.PREPARED if constituted_on is None else ClaimStatus.FILED,
    )
    clean_and_save(claim)
    claim.defendants.set(parties)
    audit(
        actor=actor,
        action="civil_claim.create",
        target=claim,
        claim=claim,
        changes=created(claim, CLAIM_FIELDS),
    )
    if claim.status == ClaimStatus.FILED:
        case_follows(
            actor=actor,
            claim=claim,
            to=CaseStatus.CIVIL_PARTY_CONSTITUTED,
            event="civil_claim.create",
        )
    return claim


@transaction.atomic
def claim_file(*, actor: User, claim: CivilClaim, constituted_on: dt.date) -> CivilClaim:
    """A prepared claim is filed: the victim became a civil party on `constituted_on`. The case
    moves to civil party constituted if it was not further (a closed case stays closed)."""
    require_not_future(
        constituted_on, "constituted_on", _("The constitution date lies in the future.")
    )
    claim = claim_locked(claim)
    if not move_claim(
        actor=actor,
        claim=claim,
        to_status=ClaimStatus.FILED,
        from_statuses=(ClaimStatus.PREPARED,),
        constituted_on=constituted_on,
    ):
        raise Conflict(
            _("Only a prepared claim can be filed; this one is %(status)s.")
            % {"status": CLAIM_STATUS_IN_SENTENCE[ClaimStatus(claim.status)]}
        )
    case_follows(
        actor=actor,
        claim=claim,
        to=CaseStatus.CIVIL_PARTY_CONSTITUTED,
        event="civil_claim.status_change",
    )
    return claim


@transaction.atomic
def claim_status_change(
    *, actor: User, claim: CivilClaim, status: str, reason: str = ""
) -> CivilClaim:
    """By hand: a final claim goes to collection; any claim is closed (with a reason). Judgments
    move a claim to `judgment` and `final` (`judgment_record`, `judgment_status_change`).
    Collection moves the case to recovery; closing a claim leaves the case's status alone (the
    office closes the case, `case_close`)."""
    require(
        status in MANUAL_TRANSITIONS,
        "status",
        _(
            "A claim is moved by hand to collecting or closed only; filing and judgments move it "
            "otherwise."
        ),
    )
    require(
        status != ClaimStatus.CLOSED or bool(reason.strip()),
        "reason",
        _("Say why the claim is closed."),
    )
    claim = claim_locked(claim)
    if not move_claim(
        actor=actor,
        claim=claim,
        to_status=status,
        from_statuses=MANUAL_TRANSITIONS[status],
        reason=reason.strip(),
    ):
        raise Conflict(
            _("A claim that is %(status)s cannot become %(to_status)s.")
            % {
                "status": CLAIM_STATUS_IN_SENTENCE[ClaimStatus(claim.status)],
                "to_status": CLAIM_STATUS_IN_SENTENCE[ClaimStatus(status)],
            }
        )
    if status == ClaimStatus.COLLECTING:
        case_follows(
            actor=actor, claim=claim, to=CaseStatus.RECOVERY, event="civil_claim.status_change"
        )
    return claim


def _flat_rate(
    *,
    claim: CivilClaim,
    item: str,
    quantity: Decimal | None,
    edition: IndicativeTableEdition | None,
) -> tuple[IndicativeTableRate, Decimal, Decimal]:
    """The rate row, the quantity and the amount (quantity x rate, half-up to the cent)."""
    require_choice(item, IndicativeTableItem, "item")
    if edition is None:
        edition = indicative_edition_on(claim.constituted_on or today())
        require(
            edition is not None, "edition", _("No edition of the Indicative Table applies yet.")
        )
        assert edition is not None
    rate = IndicativeTableRate.objects.filter(edition=edition, item=item).first()
    require(
        rate is not None,
        "item",
        _("The %(edition)s has no flat rate for “%(item)s”.")
        % {"edition": edition, "item": IndicativeTableItem(item).label},
    )
    assert rate is not None
    if rate.unit == RateUnit.DAY:
        give, positive, too_many, decimals = (
            _("Give the number of days."),
            _("The number of days must be greater than zero."),
            _("That is too many days."),
            _("Give the number of days with at most two decimals."),
        )
    else:
        give, positive, too_many, decimals = (
            _("Give the number of hours."),
            _("The number of hours must be greater than zero."),
            _("That is too many hours."),
            _("Give the number of hours with at most two decimals."),
        )
    require(isinstance(quantity, Decimal) and quantity.is_finite(), "quantity", give)
    assert quantity is not None
    require(quantity > 0, "quantity", positive)
    require(quantity < MAX_QUANTITY, "quantity", too_many)
    require(quantity == quantity.quantize(CENT), "quantity", decimals)
    require(
        rate.unit != RateUnit.DAY or quantity == quantity.to_integral_value(),
        "quantity",
        _("A daily rate counts whole days."),
    )
    amount = (quantity * rate.amount).quantize(CENT, rounding=ROUND_HALF_UP)
    return rate, quantity.quantize(CENT), clean_money(amount, "quantity")


@transaction.atomic
def damage_head_add(
    *,
    actor: User,
    claim: CivilClaim,
    kind: str,
    description: str = "",
    amount_claimed: Decimal | None = None,
    evidence: str = "",
    item: str | None = None,
    quantity: Decimal | None = None,
    edition: IndicativeTableEdition | None = None,
) -> DamageHead:
    """Add a head of damage: an amount claimed, or a flat rate of the Indicative Table (`item`
    and `quantity`, in days or hours, of `edition` — by default the latest edition that applies
    on the constitution date), whose amount the service computes as quantity x rate and stores."""
    claim = claim_locked(claim)
    require_open(claim)
    require_choice(kind, DamageKind, "kind")
    rate: IndicativeTableRate | None = None
    if item is None:
        require(
            quantity is None and edition is None,
            "item",
            _("Choose the Indicative Table item for a flat-rate head."),
        )
        require(amount_claimed is not None, "amount_claimed", _("Give the amount claimed."))
        assert amount_claimed is not None
        amount = clean_money(amount_claimed, "amount_claimed")
    else:
        require(
            amount_claimed is None,
            "amount_claimed",
            _("A flat-rate head's amount is computed from the Indicative Table: leave it out."),
        )
        rate, quantity, amount = _flat_rate(
            claim=claim, item=item, quantity=quantity, edition=edition
        )
        if not description.strip():
            # Stored data, not a message: the item's label in the source language (English),
            # whatever the language of the request, as it always was.
            with translation.override(None):
                description = f"{rate.get_item_display()} x {quantity} ({rate.edition})"
    require(bool(description.strip()), "description", _("Describe the damage."))
    head = DamageHead(
        claim=claim,
        kind=kind,
        description=description.strip(),
        amount_claimed=amount,
        evidence=evidence.strip(),
        flat_rate=rate,
        quantity=quantity if rate is not None else None,
        unit_amount=rate.amount if rate is not None else None,
    )
    clean_and_save(head)
    audit(
        actor=actor,
        action="damage_head.create",
        target=head,
        claim=claim,
        changes=created(head, DAMAGE_HEAD_FIELDS),
    )
    return head
