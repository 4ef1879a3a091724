"""A person's copy of their file (GDPR articles 15 and 20; issue #18): the export of a victim of
the cast, with the sample claim, documents issued, a non-punishment record assessed by the
lawyer, reads of the file, and a second (repeat) record of the same person, holds every part
(export.json valid against its documented schema, each issued PDF byte-identical to its
download, summary.pdf in the person's language), withholds the lawyer's privileged work and says
why, holds nothing of another victim, is audited, stored encrypted, expires, and is refused to
anyone but the staff of an office holding one of the person's cases."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from pypdf import PdfReader
from rest_framework.authtoken.models import Token

from documents import exports, personal_data
from documents import services as document_services
from documents.models import Document, DocumentKind, ExportStatus, PersonalDataExport
from documents.tasks import expire_personal_data_exports
from legalaid.errors import Forbidden, NotFound
from legalaid.models import AuditEvent, Case, Language, Victim
from legalaid.national_number import national_number_for
from legalaid.services.cases import case_file_read_record, case_intake
from portal.phrases import audit_action
from tests.cast import Cast
from tests.documents.world import DocWorld
from tests.legalaid.test_access_matrix_nonpunishment import build_record

pytestmark = pytest.mark.django_db

# The non-punishment record's texts: the lawyer's privileged work, never in a person's copy.
RECORD_TEXTS = {
    "evidence_description": "Hearing of the victim",
    "evidence_reference": "PV 1234/26",
    "description": "Carried a parcel on the pimp's instruction",
    "proceeding_reference": "AN.12.34.5678/26",
    "note": "Messages from the pimp",
    "reasoning": "The messages show it.",
}

RENDERED = (
    DocumentKind.DESIGNATION_LETTER,
    DocumentKind.CIVIL_PARTY_CONSTITUTION,
    DocumentKind.CLAIM_STATEMENT,
    DocumentKind.NON_PUNISHMENT_MEMORANDUM,
)


@dataclass
class ExportWorld:
    cast: Cast
    case: Case  # the person's first case (case_a)
    repeat_case: Case  # a later case of the same person: a second, linked record
    other: Case  # another victim's case in the same office
    documents: list[Document]


def _api(user: Any) -> Client:
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.fixture
def world(doc_world: DocWorld, frozen_today: dt.date) -> ExportWorld:
    cast = doc_world.cast
    case = cast.case_a
    build_record(cast.lawyer_a, case, RECORD_TEXTS)  # dated from the frozen today
    documents = []
    for kind in RENDERED:
        actor = cast.office_a if kind == DocumentKind.DESIGNATION_LETTER else cast.lawyer_a
        document, _ = document_services.document_request(
            actor=actor, case=case, kind=kind, subject=doc_world.subject(kind)
        )
        document_services.document_render(document_id=document.pk)
        document.refresh_from_db()
        documents.append(document)
    victim = case.victim
    repeat_case = case_intake(
        actor=cast.office_a,
        office=cast.office_a_obj,
        given_names=victim.given_names,
        family_name=victim.family_name,
        date_of_birth=victim.date_of_birth,
        victim_language=Language.objects.get(pk="nl"),
        district=cast.office_a_obj.bar.district,
        auto_designate=False,
    )
    assert repeat_case.victim.earlier_record_id == victim.pk
    other = case_intake(
        actor=cast.office_a,
        office=cast.office_a_obj,
        given_names="Zénobie",
        family_name="Quartermaine",
        date_of_birth=dt.date(2011, 2, 17),
        national_number=national_number_for(dt.date(2011, 2, 17), 345),
        nationality="MA",
        victim_language=Language.objects.get(pk="fr"),
        district=cast.office_a_obj.bar.district,
        auto_designate=False,
        parties=[{"role": "pimp", "full_name": "Xavier Ombrelune"}],
    )
    case_file_read_record(actor=cast.office_a, case=case)
    case_file_read_record(actor=cast.lawyer_a, case=case)
    case_file_read_record(actor=cast.office_a, case=other)
    return ExportWorld(
        cast=cast, case=case, repeat_case=repeat_case, other=other, documents=documents
    )


def _build(world: ExportWorld, *, on_behalf_of: str = "guardian", language: str | None = None):
    export = exports.personal_data_export_request(
        actor=world.cast.office_a,
        victim=world.case.victim,
        case=world.case,
        on_behalf_of=on_behalf_of,
        language=language,
    )
    status = exports.personal_data_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert status == ExportStatus.READY, export.error
    return export


def _download(world: ExportWorld, export: PersonalDataExport) -> zipfile.ZipFile:
    response = _api(world.cast.office_a).get(f"/api/v1/personal-data-exports/{export.pk}/download/")
    assert response.status_code == 200, response.content
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == (
        f'attachment; filename="personal-data-export-{export.pk}.zip"'
    )
    body = response.getvalue()
    assert hashlib.sha256(body).hexdigest() == export.file_sha256 == response["X-Content-SHA256"]
    return zipfile.ZipFile(io.BytesIO(body))


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _identity_values(victim: Victim) -> list[str]:
    values = [victim.given_names, victim.family_name, victim.date_of_birth.isoformat()]
    return [value for value in (*values, victim.national_number) if value]


def test_the_copy_holds_every_part_valid_against_its_documented_schema(
    world: ExportWorld,
) -> None:
    export = _build(world, on_behalf_of="guardian")
    archive = _download(world, export)
    data = json.loads(archive.read("export.json"))
    jsonschema.validate(data, personal_data.schema())
    victim = world.case.victim
    # Identity: both records of the person (the first and the repeat one).
    assert [row["record"] for row in data["person"]] == [
        victim.pseudonym,
        world.repeat_case.victim.pseudonym,
    ]
    assert data["person"][0]["given_names"] == victim.given_names
    assert data["person"][0]["date_of_birth"] == victim.date_of_birth.isoformat()
    # Every case of the person in this office, and only theirs.
    assert [row["reference"] for row in data["cases"]] == sorted(
        [world.case.reference, world.repeat_case.reference],
        key=lambda ref: [world.case.reference, world.repeat_case.reference].index(ref),
    )
    first = data["cases"][0]
    assert [d["lawyer"]["name"] for d in first["designations"]] == ["Anna Testlawyer"]
    # Parties: roles; the defendants' names withheld from a guardian's copy.
    assert sorted(p["role"] for p in first["parties"]) == ["client", "pimp"]
    assert {p["defendant_name"] for p in first["parties"]} == {None}
    assert first["office_notes"] == [
        {"created_at": first["office_notes"][0]["created_at"], "body": "Office note A"}
    ]
    # The claims ledger with balances as of today.
    (claim,) = first["claims"]
    assert claim["balances"]["as_of"] == timezone.localdate().isoformat()
    assert claim["balances"]["paid"] != "0.00"
    assert claim["damage_heads"] and claim["judgments"][0]["awards"]
    # The documents issued: every one listed, the PDFs the copy may carry byte-identical to
    # their download.
    listed = {(d["kind"], d["version"]): d for d in first["documents"]}
    assert set(listed) == {(d.kind, d.version) for d in world.documents}
    included = {d["file"] for d in first["documents"] if d["file"]}
    assert included == {
        f"documents/{world.case.reference}-designation_letter-v1-nl.pdf",
    }
    letter = next(d for d in world.documents if d.kind == DocumentKind.DESIGNATION_LETTER)
    downloaded = _api(world.cast.office_a).get(f"/api/v1/documents/{letter.pk}/download/")
    assert archive.read(included.pop()) == downloaded.getvalue()
    assert listed[(DocumentKind.CLAIM_STATEMENT, 1)]["withheld"] == "privilege"
    assert listed[(DocumentKind.CIVIL_PARTY_CONSTITUTION, 1)]["withheld"] == "defendants"
    # Non-punishment: the record, less the lawyer's privileged work.
    records = first["nonpunishment_records"]
    record = next(r for r in records if r["indicators"] == ["instructed_by_pimp"])
    assert record["category"] == "drugs"
    assert record["requests"][0]["measure"] == "not_to_prosecute"
    for row in records:
        assert {"assessment", "assessment_reasoning", "description"} <= set(row["withheld"])
    # Who read the file, and when.
    readers = [(r["reader"]["role"], r["reader"]["name"]) for r in data["reads"]]
    assert ("lawyer", "Anna Testlawyer") in readers
    assert ("office", None) in readers and all(r["case"] for r in data["reads"])
    assert sorted(archive.namelist()) == sorted(
        [
            "export.json",
            "summary.pdf",
            f"documents/{world.case.reference}-designation_letter-v1-nl.pdf",
        ]
    )


def test_the_lawyers_privileged_assessment_is_withheld_and_the_copy_says_why(
    world: ExportWorld,
) -> None:
    export = _build(world, on_behalf_of="guardian", language="fr")
    archive = _download(world, export)
    everything = archive.read("export.json").decode() + "".join(
        _pdf_text(archive.read(name)) for name in archive.namelist() if name.endswith(".pdf")
    )
    for secret in (
        "The messages show it.",  # the assessment's reasoning
        "arguable",  # the assessment
        "Carried a parcel",  # the offence's description
        "AN.12.34.5678/26",  # its proceeding reference
        "Messages from the pimp",  # the indicator's note
        "Hearing of the victim",  # the evidence
        "Secret A",  # the lawyer's privileged note
        "Piet Pooier",  # a defendant's name, in a guardian's copy
    ):
        assert secret not in everything, secret
    withheld = json.loads(archive.read("export.json"))["withheld"]
    assert any("Secret professionnel de l'avocat" in item["why"] for item in withheld)
    assert "Secret professionnel de l'avocat" in _pdf_text(archive.read("summary.pdf"))


def test_a_person_of_age_gets_the_defendants_names_as_their_case_records_them(
    world: ExportWorld, frozen_today: dt.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = frozen_today.replace(year=frozen_today.year + 4)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    export = _build(world, on_behalf_of="victim")
    data = json.loads(_download(world, export).read("export.json"))
    names = {p["defendant_name"] for p in data["cases"][0]["parties"]}
    assert names == {"Piet Pooier", "Kees Klant"}
    files_in = {d["file"] for d in data["cases"][0]["documents"] if d["file"]}
    assert len(files_in) == 2  # the designation letter and the civil-party constitution


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ("Wat we bewaren over", "Wie uw dossier las", "Beroepsgeheim")),
        ("fr", ("Ce que nous conservons sur", "Qui a lu votre dossier", "Secret professionnel")),
        ("de", ("Was wir über", "Wer Ihre Akte gelesen hat", "Berufsgeheimnis")),
    ],
)
def test_the_summary_is_in_the_persons_language(
    world: ExportWorld, language: str, words: tuple[str, ...]
) -> None:
    export = _build(world, language=language)
    text = _pdf_text(_download(world, export).read("summary.pdf"))
    for word in words:
        assert word in text
    assert world.case.victim.given_names in text
    assert world.case.reference in text


def test_the_copy_holds_nothing_of_another_victim(world: ExportWorld) -> None:
    export = _build(world, on_behalf_of="guardian")
    archive = _download(world, export)
    texts = [archive.read("export.json").decode()] + [
        _pdf_text(archive.read(name)) for name in archive.namelist() if name.endswith(".pdf")
    ]
    others = [world.other, world.cast.case_a2, world.cast.case_b]
    own = set(_identity_values(world.case.victim))  # the cast's victims share a family name
    for case in others:
        values = [*_identity_values(case.victim), case.reference, case.victim.pseudonym]
        for value in values:
            if value in own:  # and a birth date
                continue
            pattern = re.compile(rf"(?<!\w){re.escape(value)}(?!\w)")
            for text in texts:
                assert not pattern.search(text), (value, case.reference)
    for text in texts:
        assert "Xavier Ombrelune" not in text and "Paul Proxo" not in text


def test_producing_and_downloading_the_copy_are_audited(world: ExportWorld) -> None:
    export = _build(world)
    _download(world, export)
    actions = list(
        AuditEvent.objects.filter(
            target_type="documents.personaldataexport", target_id=str(export.pk)
        )
        .order_by("pk")
        .values_list("action", "actor_id", "case_id")
    )
    with translation.override("nl"):  # the office's pages say each in words
        assert [audit_action(action) for action, _, _ in actions] == [
            "vroeg een kopie van het dossier van de persoon aan",
            "maakte de kopie van het dossier van de persoon",
            "downloadde de kopie van het dossier van de persoon",
        ]
    office = world.cast.office_a.pk
    assert actions == [
        ("personal_data_export.request", office, world.case.pk),
        ("personal_data_export.produce", office, world.case.pk),
        ("personal_data_export.download", office, world.case.pk),
    ]


def test_the_stored_copy_is_encrypted(world: ExportWorld, media_root: Path) -> None:
    export = _build(world)
    raw = (media_root / export.file_name).read_bytes()
    assert not raw.startswith(b"PK")
    assert raw.startswith(b"LZF1\n")
    for value in _identity_values(world.case.victim):
        assert value.encode() not in raw
    plain = _download(world, export)
    assert plain.namelist()  # the sealed file opens into the ZIP
    assert export.size and export.size > len(b"PK")


def test_the_key_rotation_seals_the_copy_again_and_it_opens_with_the_new_key_alone(
    world: ExportWorld, media_root: Path
) -> None:
    from django.conf import settings
    from django.test import override_settings

    from documents import files
    from legalaid import crypto

    export = _build(world)
    path = media_root / export.file_name
    before = path.read_bytes()
    new_key = f"k9:{crypto.new_key()}"
    with override_settings(FIELD_ENCRYPTION_KEYS=f"{new_key},{settings.FIELD_ENCRYPTION_KEYS}"):
        out = io.StringIO()
        call_command("rotate_encryption_keys", stdout=out, stderr=io.StringIO())
        assert files.key_id_of(path.read_bytes()) == "k9"
        assert path.read_bytes() != before
    with override_settings(FIELD_ENCRYPTION_KEYS=new_key):
        assert _download(world, export).namelist()  # sha256 checked by _download


def test_a_copy_expires_its_file_is_deleted_and_its_download_answers_410(
    world: ExportWorld, media_root: Path, frozen_today: dt.date
) -> None:
    export = _build(world)
    stored = media_root / export.file_name
    assert exports.personal_data_exports_expire(today=export.expires_on) == 0  # its last day
    assert stored.exists()
    assert exports.personal_data_exports_expire(today=export.expires_on + dt.timedelta(days=1)) == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and export.file_name == ""
    assert not stored.exists()
    assert export.file_sha256  # the register of what was given stays
    response = _api(world.cast.office_a).get(
        f"/api/v1/personal-data-exports/{export.pk}/download/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 410
    assert "expired" in response.json()["error"]["message"]
    assert AuditEvent.objects.filter(action="personal_data_export.expire").count() == 1


def test_the_management_command_expires_the_copies_past_their_day(
    world: ExportWorld, monkeypatch: pytest.MonkeyPatch, frozen_today: dt.date
) -> None:
    export = _build(world)
    later = export.expires_on + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    out = io.StringIO()
    call_command("expire_personal_data_exports", stdout=out)
    assert "1 expired copy deleted." in out.getvalue()
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED


def test_a_copy_whose_build_message_was_lost_is_built_by_the_hourly_task(
    world: ExportWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Requested in the test's transaction: its after-commit message is never sent (lost).
    export = exports.personal_data_export_request(
        actor=world.cast.office_a, victim=world.case.victim, on_behalf_of="guardian"
    )
    assert expire_personal_data_exports() == 0
    export.refresh_from_db()
    assert export.status == ExportStatus.QUEUED  # not stale yet: its worker may be on it
    later = timezone.now() + dt.timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    expire_personal_data_exports()  # eager in the tests: the build runs here
    export.refresh_from_db()
    assert export.status == ExportStatus.READY


def test_the_api_asks_polls_and_downloads(world: ExportWorld) -> None:
    client = _api(world.cast.office_a)
    response = client.post(
        f"/api/v1/cases/{world.case.pk}/personal-data-exports/",
        {"on_behalf_of": "guardian", "language": "de"},
        content_type="application/json",
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["language"] == "de" and body["on_behalf_of"] == "guardian"
    export = PersonalDataExport.objects.get(pk=body["id"])
    exports.personal_data_export_build(export_id=export.pk)  # the worker's part
    status = client.get(f"/api/v1/personal-data-exports/{export.pk}/").json()
    assert status["status"] == "ready"
    assert status["download"] == f"/api/v1/personal-data-exports/{export.pk}/download/"
    listed = client.get(f"/api/v1/cases/{world.repeat_case.pk}/personal-data-exports/").json()
    assert [row["id"] for row in listed] == [export.pk]  # the same person, another record


# --- Refusals: nothing written --------------------------------------------------------------


def _nothing_written(before: tuple[int, int]) -> None:
    assert (PersonalDataExport.objects.count(), AuditEvent.objects.count()) == before


def _counts() -> tuple[int, int]:
    return PersonalDataExport.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize("member", ["lawyer_a", "guardian_a", "admin"])
def test_only_office_staff_may_ask_for_a_copy(world: ExportWorld, member: str) -> None:
    user = getattr(world.cast, member)
    before = _counts()
    with pytest.raises(Forbidden):
        exports.personal_data_export_request(
            actor=user, victim=world.case.victim, on_behalf_of="guardian"
        )
    response = _api(user).post(
        f"/api/v1/cases/{world.case.pk}/personal-data-exports/",
        {"on_behalf_of": "guardian"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert (PersonalDataExport.objects.count(), AuditEvent.objects.count()) == (
        before[0],
        before[1],
    )


def test_another_offices_victim_answers_404(world: ExportWorld) -> None:
    before = _counts()
    with pytest.raises(NotFound):
        exports.personal_data_export_request(
            actor=world.cast.office_b, victim=world.case.victim, on_behalf_of="guardian"
        )
    response = _api(world.cast.office_b).post(
        f"/api/v1/cases/{world.case.pk}/personal-data-exports/",
        {"on_behalf_of": "guardian"},
        content_type="application/json",
    )
    assert response.status_code == 404
    _nothing_written(before)


def test_another_offices_copy_answers_404(world: ExportWorld) -> None:
    export = _build(world)
    before = _counts()
    client = _api(world.cast.office_b)
    assert client.get(f"/api/v1/personal-data-exports/{export.pk}/").status_code == 404
    assert client.get(f"/api/v1/personal-data-exports/{export.pk}/download/").status_code == 404
    _nothing_written(before)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"on_behalf_of": "victim"}, "on_behalf_of", "While the person is a minor"),
        ({"on_behalf_of": "neighbour"}, "on_behalf_of", "not a valid choice"),
        ({"on_behalf_of": "guardian", "language": "en"}, "language", "not a valid choice"),
        ({}, "on_behalf_of", "required"),
    ],
)
def test_refused_requests_answer_400_with_the_fields_message(
    world: ExportWorld, body: dict[str, str], field: str, message: str
) -> None:
    before = _counts()
    response = _api(world.cast.office_a).post(
        f"/api/v1/cases/{world.case.pk}/personal-data-exports/",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert message in response.json()["error"]["fields"][field][0]
    _nothing_written(before)


def test_a_guardian_cannot_ask_for_a_person_of_age(
    world: ExportWorld, frozen_today: dt.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = frozen_today.replace(year=frozen_today.year + 4)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    before = _counts()
    response = _api(world.cast.office_a).post(
        f"/api/v1/cases/{world.case.pk}/personal-data-exports/",
        {"on_behalf_of": "guardian"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "of age" in response.json()["error"]["fields"]["on_behalf_of"][0]
    _nothing_written(before)


def test_a_copy_not_ready_answers_409(world: ExportWorld) -> None:
    export = exports.personal_data_export_request(
        actor=world.cast.office_a, victim=world.case.victim, on_behalf_of="guardian"
    )
    before = _counts()
    response = _api(world.cast.office_a).get(f"/api/v1/personal-data-exports/{export.pk}/download/")
    assert response.status_code == 409
    _nothing_written(before)
