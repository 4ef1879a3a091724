"""The claims API refuses in the language it is asked in (Accept-Language): the handler's message
and the services' field messages translated, in the same error shape and status, nothing written;
the selectors' state-aid hints too. Today is frozen at 28 November 2026 (tests/claims/conftest)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from claims.models import ClaimStatus
from tests.cast import Cast
from tests.claims.api_world import build_claims
from tests.claims.world import counts

API = "/api/v1"

REFUSED = {
    "en": "The request was refused: see the field messages.",
    "fr": "La demande a été refusée : voyez les messages des champs.",
    "nl": "Het verzoek werd geweigerd: zie de meldingen bij de velden.",
}


@pytest.fixture(autouse=True)
def default_language_afterwards() -> Iterator[None]:
    """A request leaves the language it activated (LocaleMiddleware) active in this thread:
    back to the default after each test, so that no later test of this runner reads French."""
    yield
    translation.deactivate()


@pytest.fixture
def objs(frozen_today: dt.date, cast: Cast) -> dict[str, Any]:
    return build_claims(cast)


def client_for(user: Any, language: str | None) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    if language is not None:
        client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    return client


def error(status: int, code: str, message: str, fields: dict[str, list[str]]) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, "fields": fields}}


def payment(cast: Cast, **extra: Any) -> dict[str, Any]:
    return {
        "amount": "100.00",
        "paid_on": "2025-10-01",
        "payer_kind": "defendant",
        "payer_party": cast.party_a.pk,
        "destination": "blocked_account_minor",
        **extra,
    }


BEFORE_THE_JUDGMENT = {
    "en": "A payment cannot precede the judgment (2025-06-02).",
    "fr": "Un paiement ne peut pas précéder le jugement (2025-06-02).",
    "nl": "Een betaling kan niet voorafgaan aan het vonnis (2025-06-02).",
}


@pytest.mark.parametrize(
    ("accept", "language"),
    [("fr-BE,fr;q=0.9", "fr"), ("nl-BE,nl;q=0.9", "nl"), (None, "en")],
    ids=["fr", "nl", "no header: en"],
)
def test_a_payment_dated_before_the_judgment_is_refused_in_the_language_asked(
    objs: dict[str, Any], cast: Cast, accept: str | None, language: str
) -> None:
    before = counts()

    response = client_for(cast.lawyer_a, accept).post(
        f"{API}/judgments/{objs['judgment_a'].pk}/payments/",
        payment(cast, paid_on="2025-06-01"),
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == error(
        400, "invalid", REFUSED[language], {"paid_on": [BEFORE_THE_JUDGMENT[language]]}
    )
    assert counts() == before


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Cette clé d'idempotence a déjà servi pour un autre paiement."),
        ("nl", "Deze idempotentiesleutel werd al gebruikt voor een andere betaling."),
    ],
)
def test_a_payment_reusing_another_payments_key_is_a_conflict_in_the_language_asked(
    objs: dict[str, Any], cast: Cast, language: str, message: str
) -> None:
    url = f"{API}/judgments/{objs['judgment_a'].pk}/payments/"
    first = client_for(cast.lawyer_a, None).post(
        url, payment(cast), format="json", headers={"Idempotency-Key": "pay-1"}
    )
    assert first.status_code == 201
    before = counts()

    again = client_for(cast.lawyer_a, language).post(
        url, payment(cast, amount="120.00"), format="json", headers={"Idempotency-Key": "pay-1"}
    )

    assert again.status_code == 409
    assert again.json() == error(409, "conflict", message, {})
    assert counts() == before


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "fr",
            "Une demande civile au statut « jugement rendu » ne peut pas passer au statut "
            "« en recouvrement ».",
        ),
        (
            "nl",
            "Een vordering met de status “vonnis uitgesproken” kan niet de status "
            "“in invordering” krijgen.",
        ),
        (None, "A claim that is judgment cannot become collecting."),
    ],
    ids=["fr", "nl", "no header: en"],
)
def test_collecting_before_the_judgment_is_final_is_a_conflict_in_the_language_asked(
    objs: dict[str, Any], cast: Cast, language: str | None, message: str
) -> None:
    claim = objs["claim_a"]
    before = counts()

    response = client_for(cast.lawyer_a, language).post(
        f"{API}/claims/{claim.pk}/status-change/", {"status": "collecting"}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == error(409, "conflict", message, {})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.JUDGMENT
    assert counts() == before


def test_the_state_aid_hints_come_in_french(objs: dict[str, Any], cast: Cast) -> None:
    response = client_for(cast.lawyer_a, "fr").get(
        f"{API}/claims/{objs['claim_a'].pk}/state-aid-eligibility/"
    )

    assert response.status_code == 200
    assert [(hint["code"], hint["met"], hint["message"]) for hint in response.json()["hints"]] == [
        (
            "offender_convicted_insolvent_or_unknown",
            False,
            "Aucune condamnation définitive n'est encore enregistrée.",
        ),
        ("civil_party_constituted", True, "Partie civile depuis le 2024-03-01."),
        (
            "damage_above_threshold",
            True,
            "Dommage alloué : 5000.00 € ; il doit dépasser 500.00 €.",
        ),
        (
            "within_deadline",
            None,
            "Pas encore de décision définitive : le délai court à partir de celle-ci.",
        ),
    ]


def test_a_claim_out_of_reach_is_not_found_in_dutch(objs: dict[str, Any], cast: Cast) -> None:
    response = client_for(cast.lawyer_a, "nl").get(f"{API}/claims/{objs['claim_b'].pk}/")

    assert (response.status_code, response.json()) == (
        404,
        error(404, "not_found", "Deze vordering bestaat niet.", {}),
    )
