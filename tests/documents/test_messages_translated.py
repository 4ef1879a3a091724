"""The documents' API in the language it is asked in (Accept-Language): refusals in the project's
error shape, nothing written, and a document's kind and status labels."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from documents.models import Document
from legalaid.models import AuditEvent
from tests.documents.world import DocWorld

API = "/api/v1"


@pytest.fixture(autouse=True)
def default_language_afterwards() -> Iterator[None]:
    """A request leaves the language it activated (LocaleMiddleware) active in this thread:
    back to the default after each test, so that no later test of this runner reads French."""
    yield
    translation.deactivate()


def client_for(user: Any, language: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    return client


def error(status: int, code: str, message: str, fields: dict[str, list[str]]) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, "fields": fields}}


def counts() -> tuple[int, int]:
    return Document.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize(
    ("language", "payload", "field", "message"),
    [
        (
            "fr",
            {"kind": "statement_of_account"},
            "debtor",
            "Indiquez le débiteur (une partie de l'affaire) auquel le décompte est destiné.",
        ),
        (
            "nl",
            {"kind": "statement_of_account"},
            "debtor",
            "Vermeld de schuldenaar (een partij van de zaak) voor wie de afrekening is.",
        ),
        (
            "fr",
            {"kind": "civil_party_constitution", "claim": 999_999},
            "claim",
            "Cette demande civile n'existe pas dans cette affaire.",
        ),
        (
            "nl",
            {"kind": "civil_party_constitution", "claim": 999_999},
            "claim",
            "Deze vordering bestaat niet in deze zaak.",
        ),
    ],
    ids=["no debtor, fr", "no debtor, nl", "another claim, fr", "another claim, nl"],
)
def test_a_refused_request_answers_in_the_language_asked(
    doc_world: DocWorld, language: str, payload: dict[str, Any], field: str, message: str
) -> None:
    cast = doc_world.cast
    before = counts()

    response = client_for(cast.lawyer_a, language).post(
        f"{API}/documents/", {"case": cast.case_a.pk, **payload}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == error(400, "invalid", message, {field: [message]})
    assert counts() == before


def test_a_queued_documents_labels_and_its_early_download_come_in_french(
    doc_world: DocWorld,
) -> None:
    cast = doc_world.cast
    client = client_for(cast.office_a, "fr")

    queued = client.post(
        f"{API}/documents/", {"case": cast.case_a.pk, "kind": "designation_letter"}, format="json"
    )
    body = queued.json()
    before = counts()
    early = client.get(f"{API}/documents/{body['id']}/download/")

    assert queued.status_code == 202
    assert (body["kind_label"], body["status"], body["status_label"]) == (
        "Lettre de désignation (du bureau à l'avocat)",
        "queued",
        "En file d'attente",
    )
    assert early.status_code == 409
    assert early.json() == error(
        409, "conflict", "Le document n'est pas prêt (en file d'attente).", {}
    )
    assert counts() == before
