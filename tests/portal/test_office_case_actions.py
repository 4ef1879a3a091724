"""What the office does from a case page: notes, guardians' access given and revoked. Each
refusal shows the page again with the message on its field and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from documents.models import DocumentKind
from documents.services import document_request
from legalaid.models import CaseNote, GuardianAccess, NoteKind, User
from tests.access import last_audit_id, legalaid_fingerprint, new_audit_rows
from tests.cast import Cast

pytestmark = pytest.mark.django_db
PageClient = Callable[[User | None], Client]


class NothingWritten:
    """Nothing changed but the audit row of reading the case page shown again."""

    def __enter__(self) -> None:
        self.before, self.since = legalaid_fingerprint(with_audit=False), last_audit_id()

    def __exit__(self, *exc: object) -> None:
        assert legalaid_fingerprint(with_audit=False) == self.before
        assert {row[0] for row in new_audit_rows(self.since)} <= {"case.read_full"}


def test_an_office_note_is_added_and_shown(cast: Cast, page_client: PageClient) -> None:
    client = page_client(cast.office_a)
    url = f"/office/cases/{cast.case_a.pk}/"

    response = client.post(url + "notes/", {"body": "Called the youth institution."})

    assert response.status_code == 302
    assert response["Location"] == url
    note = next(n for n in CaseNote.objects.all() if n.body == "Called the youth institution.")
    assert (note.kind, note.author) == (NoteKind.OFFICE, cast.office_a)
    assert "Called the youth institution." in client.get(url).content.decode()


def test_an_empty_note_is_refused_on_its_field(cast: Cast, page_client: PageClient) -> None:
    with NothingWritten():
        response = page_client(cast.office_a).post(
            f"/office/cases/{cast.case_a.pk}/notes/", {"body": "  "}
        )
    assert response.status_code == 400
    assert 'href="#id_body"' in response.content.decode()


@pytest.mark.parametrize(("role", "status"), [("office_b", 404), ("lawyer_a", 403)])
def test_a_note_on_a_case_outside_ones_scope_is_refused(
    cast: Cast, page_client: PageClient, role: str, status: int
) -> None:
    before = legalaid_fingerprint()
    response = page_client(getattr(cast, role)).post(
        f"/office/cases/{cast.case_a.pk}/notes/", {"body": "Nope."}
    )
    assert response.status_code == status
    assert legalaid_fingerprint() == before


def test_a_note_cannot_be_posted_by_get(cast: Cast, page_client: PageClient) -> None:
    response = page_client(cast.office_a).get(f"/office/cases/{cast.case_a.pk}/notes/")
    assert response.status_code == 405


def test_the_office_gives_a_new_guardian_access(cast: Cast, page_client: PageClient) -> None:
    response = page_client(cast.office_a).post(
        f"/office/cases/{cast.case_a2.pk}/guardians/",
        {"full_name": "Greet Voogd", "relationship": "parent", "preferred_language": "nl"},
    )
    assert response.status_code == 302
    access = next(
        a
        for a in GuardianAccess.objects.filter(case=cast.case_a2).select_related("guardian")
        if a.guardian.full_name == "Greet Voogd"
    )
    assert access.revoked_at is None


def test_a_guardian_without_a_name_is_refused(cast: Cast, page_client: PageClient) -> None:
    with NothingWritten():
        response = page_client(cast.office_a).post(
            f"/office/cases/{cast.case_a2.pk}/guardians/",
            {"full_name": "", "relationship": "parent", "preferred_language": "nl"},
        )
    assert response.status_code == 400
    assert 'href="#id_full_name"' in response.content.decode()


def test_the_office_revokes_a_guardians_access_with_a_reason(
    cast: Cast, page_client: PageClient
) -> None:
    url = f"/office/cases/{cast.case_a.pk}/guardians/{cast.access_a.pk}/revoke/"
    response = page_client(cast.office_a).post(url, {"reason": "The court withdrew custody."})
    assert response.status_code == 302
    cast.access_a.refresh_from_db()
    assert cast.access_a.revoke_reason == "The court withdrew custody."


def test_revoking_without_a_reason_is_refused_and_changes_nothing(
    cast: Cast, page_client: PageClient
) -> None:
    url = f"/office/cases/{cast.case_a.pk}/guardians/{cast.access_a.pk}/revoke/"
    with NothingWritten():
        response = page_client(cast.office_a).post(url, {"reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="revoke-{cast.access_a.pk}-reason_error"' in page
    assert f'href="#revoke-{cast.access_a.pk}-reason"' in page


def test_revoking_twice_is_refused_with_the_services_message(
    cast: Cast, page_client: PageClient
) -> None:
    client = page_client(cast.office_a)
    url = f"/office/cases/{cast.case_a.pk}/guardians/{cast.access_a.pk}/revoke/"
    client.post(url, {"reason": "First time."})

    with NothingWritten():
        response = client.post(url, {"reason": "Second time."})

    assert response.status_code == 400
    assert "already revoked" in response.content.decode()


def test_an_access_of_another_case_cannot_be_revoked_through_this_one(
    cast: Cast, page_client: PageClient
) -> None:
    url = f"/office/cases/{cast.case_a2.pk}/guardians/{cast.access_a.pk}/revoke/"
    response = page_client(cast.office_a).post(url, {"reason": "Wrong case."})
    assert response.status_code == 404
    cast.access_a.refresh_from_db()
    assert cast.access_a.revoked_at is None


def test_the_case_page_lists_the_documents_the_office_may_have(
    cast: Cast,
    page_client: PageClient,
    settings: Any,
    tmp_path: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):  # the render, inline
        letter, _ = document_request(
            actor=cast.office_a, case=cast.case_a, kind=DocumentKind.DESIGNATION_LETTER
        )
    page = page_client(cast.office_a).get(f"/office/cases/{cast.case_a.pk}/").content.decode()
    assert "Designation letter (office to lawyer)" in page
    assert f'href="/api/v1/documents/{letter.pk}/download/"' in page


def test_the_office_produces_a_persons_copy_from_the_case_page_and_downloads_it(
    cast: Cast, page_client: PageClient, django_capture_on_commit_callbacks: Any
) -> None:
    """The copy is asked from the case page (a minor: by the guardian), built by the worker
    (inline here), listed on the page with its download, and audited."""
    from documents.models import ExportStatus, PersonalDataExport

    client = page_client(cast.office_a)
    url = f"/office/cases/{cast.case_a.pk}/"
    since = last_audit_id()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + "personal-data-exports/", {"on_behalf_of": "guardian"})

    assert response.status_code == 302 and response["Location"] == url
    export = PersonalDataExport.objects.get()
    assert (export.case, export.status) == (cast.case_a, ExportStatus.READY)
    assert "personal_data_export.request" in {row[0] for row in new_audit_rows(since)}
    page = client.get(url).content.decode()
    download = f"/api/v1/personal-data-exports/{export.pk}/download/"
    assert download in page
    zipped = client.get(download)
    assert zipped.status_code == 200 and zipped.getvalue().startswith(b"PK")


def test_a_copy_asked_in_the_wrong_persons_name_is_refused_on_its_field(
    cast: Cast, page_client: PageClient
) -> None:
    """A minor's copy is asked by the guardian: asked in the person's own name, the page comes
    back with the message on the field, and nothing is written."""
    from documents.models import PersonalDataExport

    with NothingWritten():
        response = page_client(cast.office_a).post(
            f"/office/cases/{cast.case_a.pk}/personal-data-exports/", {"on_behalf_of": "victim"}
        )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#export-on_behalf_of' in body
    assert "guardian asks for the copy" in body
    assert not PersonalDataExport.objects.exists()
