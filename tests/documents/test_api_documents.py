"""The documents' API beyond the access matrix: what a request answers, the refusals (each
changing nothing), downloads (streamed, audited), and what a guardian's list holds."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest

from documents.models import Document, DocumentKind, DocumentStatus
from legalaid.models import AuditEvent
from tests.access import API, assert_error_body, client_for
from tests.documents.pdf import stored_pdf
from tests.documents.world import DocWorld

Capture = Callable[..., Any]


def counts() -> tuple[int, int]:
    return Document.objects.count(), AuditEvent.objects.count()


def post(user: Any, payload: dict[str, Any]) -> Any:
    return client_for(user).post(f"{API}/documents/", payload, format="json")


def test_a_request_answers_202_with_the_queued_document_then_the_worker_makes_it_ready(
    doc_world: DocWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    cast = doc_world.cast
    with django_capture_on_commit_callbacks(execute=True):
        response = post(cast.lawyer_a, {"case": cast.case_a.pk, "kind": "claim_statement"})

    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["kind"], body["language"], body["version"]) == ("claim_statement", "nl", 1)
    assert (body["status"], body["download"]) == ("queued", None)
    detail = client_for(cast.lawyer_a).get(f"{API}/documents/{body['id']}/").json()
    assert detail["status"] == "ready"
    assert detail["download"] == f"/api/v1/documents/{body['id']}/download/"
    assert detail["page_count"] >= 2


def test_asking_again_for_unchanged_data_answers_200_with_the_stored_document(
    doc_world: DocWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    cast = doc_world.cast
    payload = {"case": cast.case_a.pk, "kind": "designation_letter", "language": "fr"}
    with django_capture_on_commit_callbacks(execute=True):
        first = post(cast.office_a, payload)

    again = post(cast.lawyer_a, payload)

    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["status"] == "ready"
    assert Document.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "payload", "status", "field"),
    [
        ("lawyer_a", {"kind": "summons"}, 400, "kind"),
        ("lawyer_a", {"kind": "designation_letter", "language": "en"}, 400, "language"),
        ("lawyer_a", {"kind": "designation_letter", "case": "x"}, 400, "case"),
        ("lawyer_a", {"kind": "statement_of_account"}, 400, "debtor"),
        ("lawyer_a", {"kind": "statement_of_account", "debtor": "party_b"}, 400, "debtor"),
        ("lawyer_a", {"kind": "civil_party_constitution", "claim": 999999}, 400, "claim"),
        ("lawyer_a", {"kind": "designation_letter", "case": "case_b"}, 404, None),
        ("lawyer_a2", {"kind": "designation_letter", "case": "case_a2"}, 404, None),
        ("guardian_b", {"kind": "guardian_status_letter"}, 404, None),
        ("office_a", {"kind": "claim_statement"}, 403, None),
        ("office_a", {"kind": "non_punishment_memorandum"}, 403, None),
        ("guardian_a", {"kind": "designation_letter"}, 403, None),
        ("office_a", {"kind": "civil_party_constitution", "case": "case_a_bare"}, 409, None),
    ],
)
def test_refused_requests_answer_with_the_error_body_and_change_nothing(
    doc_world: DocWorld, role: str, payload: dict[str, Any], status: int, field: str | None
) -> None:
    cast = doc_world.cast
    from tests.cast import make_case

    objects = {"case_b": cast.case_b, "case_a2": cast.case_a2, "party_b": cast.party_b}
    if payload.get("case") == "case_a_bare":
        objects["case_a_bare"] = make_case(cast.office_a, cast.office_a_obj)
    data = {"case": cast.case_a.pk, **payload}
    for key, value in data.items():
        if isinstance(value, str) and value in objects:
            data[key] = objects[value].pk
    before = counts()

    response = post(getattr(cast, role), data)

    assert response.status_code == status, response.content
    error = assert_error_body(response, status, "forbidden" if status == 403 else None)
    if field:
        assert field in error["fields"]
    assert counts() == before


def test_a_download_streams_the_stored_pdf_and_each_one_is_audited(
    doc_world: DocWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    cast = doc_world.cast
    with django_capture_on_commit_callbacks(execute=True):
        document_id = post(
            cast.office_a, {"case": cast.case_a.pk, "kind": "guardian_status_letter"}
        ).json()["id"]
    document = Document.objects.get(pk=document_id)
    url = f"{API}/documents/{document_id}/download/"
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    for user in (cast.guardian_a, cast.office_a):
        response = client_for(user).get(url)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        assert body == stored_pdf(document)
        assert hashlib.sha256(body).hexdigest() == response["X-Content-SHA256"]
        assert response["Content-Type"] == "application/pdf"
        assert cast.case_a.reference in response["Content-Disposition"]

    downloads = AuditEvent.objects.filter(pk__gt=since).order_by("pk")
    assert list(downloads.values_list("action", "actor", "target_id", "case_id")) == [
        ("document.download", cast.guardian_a.pk, str(document_id), cast.case_a.pk),
        ("document.download", cast.office_a.pk, str(document_id), cast.case_a.pk),
    ]


def test_a_document_not_ready_cannot_be_downloaded(doc_world: DocWorld) -> None:
    cast = doc_world.cast
    document_id = post(cast.lawyer_a, {"case": cast.case_a.pk, "kind": "claim_statement"}).json()[
        "id"
    ]
    before = counts()

    response = client_for(cast.lawyer_a).get(f"{API}/documents/{document_id}/download/")

    assert_error_body(response, 409)
    assert counts() == before
    assert Document.objects.get(pk=document_id).status == DocumentStatus.QUEUED


def test_a_guardian_lists_only_the_letters_addressed_to_them(doc_world: DocWorld) -> None:
    cast = doc_world.cast
    for user, kind in (
        (cast.lawyer_a, "designation_letter"),
        (cast.lawyer_a, "claim_statement"),
        (cast.office_a, "guardian_status_letter"),
    ):
        assert post(user, {"case": cast.case_a.pk, "kind": kind}).status_code == 202

    def kinds(user: Any) -> list[str]:
        response = client_for(user).get(f"{API}/cases/{cast.case_a.pk}/documents/")
        assert response.status_code == 200
        return sorted(item["kind"] for item in response.json()["results"])

    assert kinds(cast.guardian_a) == ["guardian_status_letter"]
    assert kinds(cast.office_a) == ["designation_letter", "guardian_status_letter"]
    assert kinds(cast.lawyer_a) == [
        "claim_statement",
        "designation_letter",
        "guardian_status_letter",
    ]


def test_a_guardian_whose_access_was_revoked_no_longer_reaches_the_letters(
    doc_world: DocWorld,
) -> None:
    from legalaid.services.guardians import guardian_access_revoke

    cast = doc_world.cast
    document_id = post(
        cast.guardian_a, {"case": cast.case_a.pk, "kind": DocumentKind.GUARDIAN_STATUS_LETTER}
    ).json()["id"]
    guardian_access_revoke(actor=cast.office_a, access=cast.access_a, reason="Asked by the court")

    response = client_for(cast.guardian_a).get(f"{API}/documents/{document_id}/")

    assert_error_body(response, 404)
