"""The civil-party constitution and its lifecycle, and the heads of damage claimed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

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
        "Every defendant must be a party in this case.",
    )
    require(
        bool(unique) or stage == ClaimStage.INVESTIGATING_JUDGE,
        "defendants",
        "Name the defendants; only before the investigating judge can a claim be made against "
        "persons unknown.",
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
        raise Conflict("This case is closed.")
    require_choice(stage, ClaimStage, "stage")
    court = court.strip() or (
        case.investigating_judge if stage == ClaimStage.INVESTIGATING_JUDGE else case.court
    )
    require(bool(court.strip()), "court", "Name the investigating judge or the court.")
    parties = _clean_defendants(case, stage, defendants)
    if constituted_on is not None:
        require_not_future(constituted_on, "constituted_on", "The constitution date")
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
    require_not_future(constituted_on, "constituted_on", "The constitution date")
    claim = claim_locked(claim)
    if not move_claim(
        actor=actor,
        claim=claim,
        to_status=ClaimStatus.FILED,
        from_statuses=(ClaimStatus.PREPARED,),
        constituted_on=constituted_on,
    ):
        raise Conflict(f"Only a prepared claim can be filed; this one is {claim.status}.")
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
        "A claim is moved by hand to collecting or closed only; filing and judgments move it "
        "otherwise.",
    )
    require(
        status != ClaimStatus.CLOSED or bool(reason.strip()),
        "reason",
        "Say why the claim is closed.",
    )
    claim = claim_locked(claim)
    if not move_claim(
        actor=actor,
        claim=claim,
        to_status=status,
        from_statuses=MANUAL_TRANSITIONS[status],
        reason=reason.strip(),
    ):
        raise Conflict(f"A claim that is {claim.status} cannot become {status}.")
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
        require(edition is not None, "edition", "No edition of the Indicative Table applies yet.")
        assert edition is not None
    rate = IndicativeTableRate.objects.filter(edition=edition, item=item).first()
    require(
        rate is not None,
        "item",
        f"The {edition} has no flat rate for “{IndicativeTableItem(item).label}”.",
    )
    assert rate is not None
    unit = "days" if rate.unit == RateUnit.DAY else "hours"
    require(
        isinstance(quantity, Decimal) and quantity.is_finite(),
        "quantity",
        f"Give the number of {unit}.",
    )
    assert quantity is not None
    require(quantity > 0, "quantity", f"The number of {unit} must be greater than zero.")
    require(quantity < MAX_QUANTITY, "quantity", f"That is too many {unit}.")
    require(
        quantity == quantity.quantize(CENT),
        "quantity",
        f"Give the number of {unit} with at most two decimals.",
    )
    require(
        rate.unit != RateUnit.DAY or quantity == quantity.to_integral_value(),
        "quantity",
        "A daily rate counts whole days.",
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
            "Choose the Indicative Table item for a flat-rate head.",
        )
        require(amount_claimed is not None, "amount_claimed", "Give the amount claimed.")
        assert amount_claimed is not None
        amount = clean_money(amount_claimed, "amount_claimed")
    else:
        require(
            amount_claimed is None,
            "amount_claimed",
            "A flat-rate head's amount is computed from the Indicative Table: leave it out.",
        )
        rate, quantity, amount = _flat_rate(
            claim=claim, item=item, quantity=quantity, edition=edition
        )
        if not description.strip():
            description = f"{rate.get_item_display()} x {quantity} ({rate.edition})"
    require(bool(description.strip()), "description", "Describe the damage.")
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
