"""The access matrix of the documents' API: every endpoint, every role, own and other objects.

Who may have which document (documents/kinds.py):
- the lawyer who accepted the case: every kind of it (a proposal is not enough: 404);
- office staff of the case's office and administrators: the designation letter, the civil-party
  constitution, the state-aid cover letter, the statement of account and the guardian's status
  letter — never the lawyer's claim statement or non-punishment memorandum (professional
  secrecy): those answer 404 to them, as documents outside their scope;
- a guardian with valid access: the status letters addressed to them, nothing else.
A case or document outside the actor's scope answers 404, a role the endpoint does not serve 403,
and asking for a kind the role may not have 403 (tested in test_api_documents.py).

World: on case_a a designation letter (`doc_a`), a claim statement (`doc_a_claim`) and a status
letter to guardian_a (`doc_a_letter`); on case_b a designation letter (`doc_b`). Only the status
letter is rendered (one render per cell keeps the matrix fast); the others stay queued, so
downloading the claim statement answers 409 to its lawyer. A request asks, in German (so never
the same data as a stored document), for a designation letter, or a guardian for their status
letter.
"""

from __future__ import annotations

from typing import Any

import pytest

from documents.models import Document, DocumentKind
from documents.samples import sample_claim
from documents.services import document_render, document_request
from legalaid.models import PartyRole
from legalaid.services.parties import party_add
from tests.access import (
    Endpoint,
    World,
    check_cell,
    count,
    matrix_cells,
    plus_one,
    writes,
)
from tests.cast import Cast
from tests.documents.matrix import fingerprint


def _queued(actor: Any, case: Any, kind: str) -> Document:
    return document_request(actor=actor, case=case, kind=kind)[0]


def _ready(actor: Any, case: Any, kind: str) -> Document:
    document = _queued(actor, case, kind)
    document_render(document_id=document.pk)
    document.refresh_from_db()
    return document


@pytest.fixture
def world(cast: Cast, media_root: Any) -> World:
    party_add(actor=cast.office_a, case=cast.case_a, role=PartyRole.CLIENT, full_name="Kees K")
    sample_claim(case=cast.case_a, lawyer=cast.lawyer_a, damage_rows=1)
    objects = {
        "doc_a": _queued(cast.lawyer_a, cast.case_a, DocumentKind.DESIGNATION_LETTER),
        "doc_a_claim": _queued(cast.lawyer_a, cast.case_a, DocumentKind.CLAIM_STATEMENT),
        "doc_a_letter": _ready(cast.office_a, cast.case_a, DocumentKind.GUARDIAN_STATUS_LETTER),
        "doc_b": _queued(cast.lawyer_b, cast.case_b, DocumentKind.DESIGNATION_LETTER),
    }
    return World(cast, objects)


def request_payload(w: World, role: str, case: Any) -> dict[str, Any]:
    kind = (
        DocumentKind.GUARDIAN_STATUS_LETTER
        if role.startswith("guardian") or role == "outsider"
        else DocumentKind.DESIGNATION_LETTER
    )
    return {"case": getattr(case, "pk", None), "kind": kind, "language": "de"}


ENDPOINTS: dict[str, Endpoint] = {
    "document_request": writes(
        "POST", "/documents/", request_payload,
        measure=count(Document), becomes=plus_one, audit="document.request",
    ),
    "document": Endpoint("GET", "/documents/{pk}/"),
    "document_download": Endpoint("GET", "/documents/{pk}/download/"),
    "case_documents": Endpoint("GET", "/cases/{pk}/documents/"),
}  # fmt: skip

MATRIX: list[tuple[Any, ...]] = [
    # endpoint            object          adm  offA offB lawA lwA2 lawB grdA grdB outs anon
    ("document_request",  "case_a",       202, 202, 404, 202, 404, 404, 202, 404, 404, 403),
    ("document_request",  "case_a2",      202, 202, 404, 404, 404, 404, 404, 404, 404, 403),
    ("document_request",  "case_b",       202, 404, 202, 404, 404, 202, 404, 202, 404, 403),
    ("document",          "doc_a",        200, 200, 404, 200, 404, 404, 404, 404, 404, 403),
    ("document",          "doc_a_claim",  404, 404, 404, 200, 404, 404, 404, 404, 404, 403),
    ("document",          "doc_a_letter", 200, 200, 404, 200, 404, 404, 200, 404, 404, 403),
    ("document",          "doc_b",        200, 404, 200, 404, 404, 200, 404, 404, 404, 403),
    ("document_download", "doc_a_claim",  404, 404, 404, 409, 404, 404, 404, 404, 404, 403),
    ("document_download", "doc_a_letter", 200, 200, 404, 200, 404, 404, 200, 404, 404, 403),
    ("case_documents",    "case_a",       200, 200, 404, 200, 404, 404, 200, 404, 404, 403),
    ("case_documents",    "case_a2",      200, 200, 404, 404, 404, 404, 404, 404, 404, 403),
    ("case_documents",    "case_b",       200, 404, 200, 404, 404, 200, 404, 200, 404, 403),
]  # fmt: skip


@pytest.mark.parametrize(("endpoint", "obj", "role", "expected"), matrix_cells(MATRIX))
def test_each_role_gets_the_documented_status_on_each_document_endpoint(
    world: World, endpoint: str, obj: str, role: str, expected: int
) -> None:
    check_cell(world, ENDPOINTS[endpoint], obj, role, expected, fingerprint=fingerprint)
