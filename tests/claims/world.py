"""A civil claim built through the services, on top of the fixed cast (tests/cast.py).

`case_a` (office A, designated to `lawyer_a`) gets two clients beside the cast's pimp; the victim
became a civil party at the hearing on 1 March 2024 against all three. Today is frozen at
28 November 2026 so that dates (and the legal-rate table, seeded up to 2026) do not drift."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from claims.models import (
    Award,
    AwardKind,
    CivilClaim,
    ClaimStage,
    DamageHead,
    DamageKind,
    EnforcementStep,
    IndicativeTableEdition,
    IndicativeTableRate,
    Judgment,
    LegalInterestRate,
    Payment,
    StateAidApplication,
    StateAidRule,
)
from claims.services.claims import claim_constitute, damage_head_add
from claims.services.judgments import award_record, judgment_record
from legalaid.models import AuditEvent, Case, Party, PartyRole, User
from legalaid.services.parties import party_add
from tests.cast import Cast

TODAY = dt.date(2026, 11, 28)
CONSTITUTED_ON = dt.date(2024, 3, 1)
GIVEN_ON = dt.date(2025, 6, 2)


@dataclass
class World:
    cast: Cast
    lawyer: User
    case: Case
    pimp: Party
    client_1: Party
    client_2: Party
    other_case_party: Party  # the pimp of office B's case
    claim: CivilClaim


def build_world(cast: Cast) -> World:
    lawyer = cast.lawyer_a
    case = cast.case_a
    client_1 = party_add(actor=cast.office_a, case=case, role=PartyRole.CLIENT, full_name="Kees K")
    client_2 = party_add(actor=cast.office_a, case=case, role=PartyRole.CLIENT, full_name="Jan J")
    claim = claim_constitute(
        actor=lawyer,
        case=case,
        stage=ClaimStage.HEARING,
        court="Correctionele rechtbank Antwerpen",
        defendants=[cast.party_a, client_1, client_2],
        constituted_on=CONSTITUTED_ON,
    )
    return World(
        cast=cast,
        lawyer=lawyer,
        case=case,
        pimp=cast.party_a,
        client_1=client_1,
        client_2=client_2,
        other_case_party=cast.party_b,
        claim=claim,
    )


def record_judgment(world: World, **extra: Any) -> Judgment:
    arguments: dict[str, Any] = {"given_on": GIVEN_ON, "court": "Corr. Antwerpen", **extra}
    return judgment_record(actor=world.lawyer, claim=world.claim, **arguments)


def record_award(
    world: World,
    judgment: Judgment,
    *,
    amount: str = "5000.00",
    debtors: list[Party] | None = None,
    kind: str = AwardKind.DAMAGES,
    **extra: Any,
) -> Award:
    """By default €5,000 owed jointly by the pimp and the first client, without interest."""
    return award_record(
        actor=world.lawyer,
        judgment=judgment,
        kind=kind,
        amount=Decimal(amount),
        debtors=debtors if debtors is not None else [world.pimp, world.client_1],
        **extra,
    )


def moral_head(world: World, amount: str = "8000.00") -> DamageHead:
    return damage_head_add(
        actor=world.lawyer,
        claim=world.claim,
        kind=DamageKind.MORAL,
        description="Moral damage",
        amount_claimed=Decimal(amount),
    )


def counts() -> dict[str, int]:
    """Rows of every table a claims service writes, and of the audit trail."""
    return {
        model.__name__: model.objects.count()
        for model in (
            CivilClaim,
            DamageHead,
            Judgment,
            Award,
            Award.debtors.through,
            CivilClaim.defendants.through,
            Payment,
            StateAidApplication,
            EnforcementStep,
            LegalInterestRate,
            IndicativeTableEdition,
            IndicativeTableRate,
            StateAidRule,
            AuditEvent,
        )
    }


def refused(call: Callable[..., object], **kwargs: Any) -> dict[str, list[str]]:
    """Call a service that must refuse: its field messages, once checked that nothing changed."""
    before = counts()
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    assert counts() == before
    return error.value.message_dict
