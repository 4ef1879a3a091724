"""The API speaks the language it is asked in (Accept-Language, through LocaleMiddleware): a
refusal's message and its field messages are translated, in the same error shape, with the same
status and code; a status label too. Without the header, English, as before. The catalogues'
completeness (every nl and fr entry translated, none fuzzy) is `portal.translations check`'s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone, translation
from rest_framework.test import APIClient

from legalaid.api.errors import exception_handler
from legalaid.models import AuditEvent, Case, Designation, DesignationEvent, DesignationStatus
from legalaid.national_number import national_number_for
from legalaid.services.designations import designation_decline
from legalaid.services.lawyers import lawyer_update
from tests.cast import Cast, make_case, make_lawyer

API = "/api/v1"
BORN = timezone.localdate() - dt.timedelta(days=15 * 365 + 40)

# The handler's own message for a refused input, in each language asked.
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


def client_for(user: Any, language: str | None) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    if language is not None:
        client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    return client


def error(status: int, code: str, message: str, fields: dict[str, list[str]]) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, "fields": fields}}


def counts() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "designations": Designation.objects.count(),
        "events": DesignationEvent.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


NOT_A_NATIONAL_NUMBER = {
    "en": "This is not a valid Belgian national number (11 digits with a correct check).",
    "fr": (
        "Ce n'est pas un numéro de registre national belge valable (11 chiffres avec un nombre "
        "de contrôle correct)."
    ),
    "nl": (
        "Dit is geen geldig Belgisch rijksregisternummer (11 cijfers met een correct "
        "controlegetal)."
    ),
}


@pytest.mark.parametrize(
    ("accept", "language"),
    [("fr-BE,fr;q=0.9", "fr"), ("nl-BE,nl;q=0.9", "nl"), (None, "en")],
    ids=["fr", "nl", "no header: en"],
)
def test_an_intake_with_an_invalid_national_number_is_refused_in_the_language_asked(
    cast: Cast, accept: str | None, language: str
) -> None:
    valid = national_number_for(BORN, 123)
    body = {
        "victim": {
            "given_names": "Amira",
            "family_name": "Benali",
            "date_of_birth": BORN.isoformat(),
            "national_number": valid[:10],
            "language": "nl",
        },
        "district": "antwerpen",
    }
    before = counts()

    response = client_for(cast.office_a, accept).post(f"{API}/intake/", body, format="json")

    assert response.status_code == 400
    assert response.json() == error(
        400, "invalid", REFUSED[language], {"national_number": [NOT_A_NATIONAL_NUMBER[language]]}
    )
    assert response.headers["Content-Language"] == language
    assert counts() == before


BLANK = {"fr": "Ce champ ne peut être vide.", "nl": "Dit veld mag niet leeg zijn."}


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_decline_without_a_reason_is_refused_in_the_language_asked(
    cast: Cast, language: str
) -> None:
    before = counts()

    response = client_for(cast.lawyer_a2, language).post(
        f"{API}/designations/{cast.designation_a2.pk}/decline/", {"reason": "  "}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == error(
        400, "invalid", REFUSED[language], {"reason": [BLANK[language]]}
    )
    cast.designation_a2.refresh_from_db()
    assert cast.designation_a2.status == DesignationStatus.PROPOSED
    assert counts() == before


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Refuser une désignation doit être motivé."),
        ("nl", "Een aanstelling weigeren vraagt een reden."),
        ("de", "Die Ablehnung einer Bestellung braucht eine Begründung."),
    ],
)
def test_the_decline_service_refuses_in_the_active_language(
    cast: Cast, language: str, message: str
) -> None:
    before = counts()

    with translation.override(language), pytest.raises(ValidationError) as refusal:
        designation_decline(actor=cast.lawyer_a2, designation=cast.designation_a2, reason=" ")

    assert refusal.value.message_dict == {"reason": [message]}
    assert counts() == before


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Cette désignation est acceptée ; elle ne peut pas devenir acceptée."),
        ("nl", "Deze aanstelling is aanvaard; ze kan niet aanvaard worden."),
        (None, "This designation is accepted; it cannot become accepted."),
    ],
    ids=["fr", "nl", "no header: en"],
)
def test_accepting_twice_is_a_conflict_told_in_the_language_asked(
    cast: Cast, language: str | None, message: str
) -> None:
    url = f"{API}/designations/{cast.designation_a2.pk}/accept/"
    assert client_for(cast.lawyer_a2, None).post(url).status_code == 200
    before = counts()

    again = client_for(cast.lawyer_a2, language).post(url)

    assert again.status_code == 409
    assert again.json() == error(409, "conflict", message, {})
    assert counts() == before


def test_an_override_breaking_two_rules_gives_both_sentences_translated(cast: Cast) -> None:
    case = make_case(cast.office_a, cast.office_a_obj)
    lawyer = make_lawyer(cast.office_a, cast.office_a_obj, "Vic", languages=("fr",))
    lawyer = lawyer_update(actor=cast.office_a, lawyer=lawyer, active=False)
    before = counts()

    response = client_for(cast.office_a, "fr").post(
        f"{API}/designations/",
        {"case": case.pk, "lawyer": lawyer.pk, "reason": "Choisie par le bureau"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == error(
        400,
        "invalid",
        REFUSED["fr"],
        {
            "lawyer": [
                "Cet avocat n'est pas actif sur la liste. "
                "Cet avocat ne parle pas la langue de la procédure."
            ]
        },
    )
    assert counts() == before


@pytest.mark.parametrize(
    ("language", "label"),
    [("fr", "Avocat désigné"), ("nl", "Advocaat aangesteld"), ("de", "Anwalt bestellt")],
)
def test_the_case_status_label_comes_in_the_language_asked(
    cast: Cast, language: str, label: str
) -> None:
    response = client_for(cast.guardian_a, language).get(f"{API}/cases/{cast.case_a.pk}/")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_label"]) == (
        "lawyer_designated",
        label,
    )


def test_a_case_out_of_reach_and_a_role_without_access_are_refused_in_french(cast: Cast) -> None:
    office = client_for(cast.office_a, "fr")
    guardian = client_for(cast.guardian_a, "fr")

    missing = office.get(f"{API}/cases/{cast.case_b.pk}/")
    forbidden = guardian.post(f"{API}/intake/", {}, format="json")

    assert (missing.status_code, missing.json()) == (
        404,
        error(404, "not_found", "Cette affaire n'existe pas.", {}),
    )
    assert (forbidden.status_code, forbidden.json()) == (
        403,
        error(403, "permission_denied", "Votre rôle ne donne pas accès à ceci.", {}),
    )


def test_a_concurrent_change_is_told_in_the_active_language(db: None) -> None:
    with translation.override("nl"):
        response = exception_handler(IntegrityError("duplicate key"), {"view": None})

    assert response is not None
    assert response.data == error(
        409,
        "conflict",
        "Een ander verzoek wijzigde op hetzelfde ogenblik hetzelfde gegeven; er werd niets "
        "bewaard. Probeer opnieuw.",
        {},
    )
