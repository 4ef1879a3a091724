"""A raw scan of the document storage holds no identity value: every file under MEDIA_ROOT,
read as bytes and, where it parses as a PDF, with every stream decompressed (the PDF's text
streams and its embedded JSON snapshot are compressed), after the demo's documents are rendered.

The values searched for are those of tests/documents/test_raw_dump.py: every encrypted column of
the rows the demo wrote, read back through the models (victims' names, birth dates and national
numbers, guardians' names and contact data, defendants' names and aliases, narratives). The same
scan of the decrypted PDFs finds them: the scan would see a leak."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.core.management import call_command
from pypdf.errors import PdfReadError

from documents import files
from documents.models import Document, DocumentKind, DocumentStatus
from documents.selectors import case_for_documents
from documents.services import document_request
from documents.snapshots import Subject
from legalaid import crypto
from legalaid.errors import ApplicationError
from legalaid.models import Case, User
from tests.documents.test_raw_dump import last_ids, plain_values

Capture = Callable[..., Any]


def readable(data: bytes) -> bytes:
    """The bytes as a thief would read them: raw, plus, if they parse as a PDF, every stream
    decompressed (content streams, the XMP metadata, the attached snapshot)."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        numbers = [(number, generation) for generation, objects in reader.xref.items()
                   for number in objects]  # fmt: skip
        numbers += [(number, 0) for number in reader.xref_objStm]
        objects = [
            reader.get_object(pypdf.generic.IndirectObject(n, g, reader)) for n, g in numbers
        ]
    except (PdfReadError, ValueError):
        return data  # not a PDF: the raw bytes are all there is
    streams = [item.get_data() for item in objects if isinstance(item, pypdf.generic.StreamObject)]
    assert streams  # a PDF has streams: the walk found them
    return b"\n".join([data, *streams])


def needles(values: list[tuple[str, str]]) -> Iterator[tuple[str, bytes]]:
    """Each value as bytes to look for. A value shorter than 5 bytes is looked for as the JSON
    string the snapshot holds (`"Ali"`): three or four bytes occur by chance in a megabyte of
    ciphertext (a 3-byte string one time in about 17), five bytes practically never."""
    for where, value in values:
        raw = value.encode()
        yield where, raw if len(raw) >= 5 else json.dumps(value).encode()


def scan(blobs: dict[str, bytes], values: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(file, where) for every identity value found."""
    readable_blobs = {name: readable(data) for name, data in blobs.items()}
    return sorted(
        {
            (name, where)
            for where, needle in needles(values)
            for name, data in readable_blobs.items()
            if needle in data
        }
    )


def render_every_kind_of_the_demo_case(capture: Capture) -> list[Document]:
    """Every kind of document the demo's first case can have (its lawyer asks), rendered."""
    lawyer = User.objects.get(username="lawyer")
    first = Case.objects.order_by("pk").first()
    assert first is not None
    case = case_for_documents(lawyer, first.pk)
    debtor = case.parties.exclude(defendant=None).order_by("pk").first()
    issued = []
    for kind in DocumentKind:
        subject = Subject(debtor=debtor) if kind == DocumentKind.STATEMENT_OF_ACCOUNT else None
        try:
            with capture(execute=True):
                document, _ = document_request(actor=lawyer, case=case, kind=kind, subject=subject)
        except ApplicationError:  # the demo case has nothing this kind is about (state aid)
            continue
        document.refresh_from_db()
        assert document.status == DocumentStatus.READY, document.error
        issued.append(document)
    return issued


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today")
def test_a_raw_scan_of_the_document_storage_finds_no_identity_value(
    media_root: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    before = last_ids()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    issued = render_every_kind_of_the_demo_case(django_capture_on_commit_callbacks)
    assert {DocumentKind.DESIGNATION_LETTER, DocumentKind.CIVIL_PARTY_CONSTITUTION,
            DocumentKind.CLAIM_STATEMENT, DocumentKind.GUARDIAN_STATUS_LETTER,
            DocumentKind.NON_PUNISHMENT_MEMORANDUM} <= {d.kind for d in issued}  # fmt: skip
    values = list(plain_values(before))
    found = {where for where, _ in values}
    assert {"Victim.family_name", "Victim.given_names", "Victim.date_of_birth",
            "Victim.national_number", "Guardian.full_name", "Guardian.email",
            "Defendant.full_name"} <= found  # fmt: skip

    stored = {
        str(path.relative_to(media_root)): path.read_bytes()
        for path in media_root.rglob("*")
        if path.is_file()
    }
    assert sorted(stored) == sorted(d.file.name or "" for d in issued)  # no stray, no partial
    # Every file is encrypted (its header names the newest key) and none parses as a PDF.
    assert {files.key_id_of(data) for data in stored.values()} == {crypto.keyring().current_id}
    assert all(readable(data) == data for data in stored.values())
    assert scan(stored, values) == []

    # The same scan of the PDFs the users download finds the victim, the guardian and the
    # defendant (the snapshot attached to each PDF holds them; the text streams draw glyphs).
    decrypted = {name: files.unseal(data) for name, data in stored.items()}
    seen = {where for _, where in scan(decrypted, values)}
    assert {"Victim.family_name", "Victim.date_of_birth", "Guardian.full_name",
            "Defendant.full_name"} <= seen  # fmt: skip
