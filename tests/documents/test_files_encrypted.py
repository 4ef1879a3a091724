"""Documents' files encrypted at rest (documents/files.py): what the storage holds, the download
that decrypts and checks the issued PDF, damaged files refused, the key rotation that rewrites
the files, and `encrypt_documents` that converts the files stored plain."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from documents import files
from documents.models import Document, DocumentKind
from legalaid import crypto
from legalaid.models import AuditEvent
from tests.access import API, assert_error_body, client_for
from tests.documents.test_documents import request_and_render
from tests.documents.world import DocWorld

Capture = Callable[..., Any]
NEW_KEY = f"k2:{crypto.new_key()}"
ROTATED = f"{NEW_KEY},{settings.FIELD_ENCRYPTION_KEYS}"


@pytest.fixture
def letters(doc_world: DocWorld, django_capture_on_commit_callbacks: Capture) -> list[Document]:
    """Two small documents of case_a, rendered (their files encrypted under the current key)."""
    return [
        request_and_render(doc_world, django_capture_on_commit_callbacks, kind)
        for kind in (DocumentKind.DESIGNATION_LETTER, DocumentKind.GUARDIAN_STATUS_LETTER)
    ]


def path_of(document: Document, media_root: Path) -> Path:
    return media_root / (document.file.name or "")


def download(document: Document, user: Any) -> Any:
    return client_for(user).get(f"{API}/documents/{document.pk}/download/")


def body_of(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def make_plain(document: Document, media_root: Path) -> bytes:
    """What a deployment from before encryption at rest holds: the PDF itself."""
    path = path_of(document, media_root)
    pdf = files.unseal(path.read_bytes())
    path.write_bytes(pdf)
    return pdf


def test_a_stored_file_is_the_pdf_sealed_under_the_newest_key_with_its_key_id_in_a_header(
    letters: list[Document], media_root: Path
) -> None:
    document = letters[0]
    stored = path_of(document, media_root).read_bytes()
    key_id = crypto.keyring().current_id
    assert stored.startswith(f"LZF1\n{key_id}\n".encode())
    assert files.key_id_of(stored) == key_id
    assert b"%PDF" not in stored
    pdf = files.unseal(stored)
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(pdf).hexdigest() == document.file_sha256
    # Each file is sealed with its own nonce: the same PDF sealed twice differs.
    assert files.seal(pdf) != files.seal(pdf)


def test_a_download_answers_the_exact_issued_pdf_decrypted_and_audited(
    letters: list[Document], media_root: Path, doc_world: DocWorld
) -> None:
    document = letters[1]  # the guardian's status letter
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    for user in (doc_world.cast.guardian_a, doc_world.cast.office_a):
        response = download(document, user)
        assert response.status_code == 200
        body = body_of(response)
        assert body.startswith(b"%PDF-")
        assert hashlib.sha256(body).hexdigest() == document.file_sha256
        assert response["X-Content-SHA256"] == document.file_sha256
        assert body not in path_of(document, media_root).read_bytes()
    assert (
        list(AuditEvent.objects.filter(pk__gt=since).values_list("action", flat=True))
        == ["document.download"] * 2
    )


def _flip_last_byte(stored: bytes, other: bytes) -> bytes:
    return stored[:-1] + bytes([stored[-1] ^ 1])


def _unknown_key(stored: bytes, other: bytes) -> bytes:
    return b"LZF1\nlost\n" + stored[len(b"LZF1\n") + len(crypto.keyring().current_id) + 1 :]


def _another_documents_file(stored: bytes, other: bytes) -> bytes:
    return other  # decrypts, but it is not the PDF this document issued


def _truncated(stored: bytes, other: bytes) -> bytes:
    return stored[:100]


def _empty(stored: bytes, other: bytes) -> bytes:
    return b""


def _not_a_document(stored: bytes, other: bytes) -> bytes:
    return b"<html>a file that is neither</html>"


@pytest.mark.parametrize(
    "damage",
    [_flip_last_byte, _unknown_key, _another_documents_file, _truncated, _empty, _not_a_document],
)
def test_a_damaged_file_is_refused_with_an_error_never_served_and_not_recorded_as_a_download(
    letters: list[Document],
    media_root: Path,
    doc_world: DocWorld,
    damage: Callable[[bytes, bytes], bytes],
    caplog: pytest.LogCaptureFixture,
) -> None:
    document, other = letters
    path = path_of(document, media_root)
    damaged = damage(path.read_bytes(), path_of(other, media_root).read_bytes())
    path.write_bytes(damaged)
    audit_rows = AuditEvent.objects.count()

    response = download(document, doc_world.cast.office_a)

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    error = assert_error_body(response, 500, "document_unreadable")
    assert "cannot be read back as it was issued" in error["message"]
    assert AuditEvent.objects.count() == audit_rows
    assert f"Download of document {document.pk} refused" in caplog.text
    assert path.read_bytes() == damaged  # nothing rewritten


def test_a_missing_file_is_refused_with_an_error(
    letters: list[Document], media_root: Path, doc_world: DocWorld
) -> None:
    path_of(letters[0], media_root).unlink()
    response = download(letters[0], doc_world.cast.office_a)
    assert_error_body(response, 500, "document_unreadable")


def test_rotation_rewrites_every_file_under_the_newest_key_and_they_still_download(
    letters: list[Document], media_root: Path, doc_world: DocWorld
) -> None:
    plain = make_plain(letters[1], media_root)  # a file from before encryption: sealed too
    old_key = crypto.keyring().current_id
    with override_settings(FIELD_ENCRYPTION_KEYS=ROTATED):
        dry, _ = run("rotate_encryption_keys", "--dry-run")
        assert "documents.Document (files): 2 files to rewrite" in dry
        assert "and 2 files would be rewritten under the key k2." in dry
        assert [files.key_id_of(path_of(d, media_root).read_bytes()) for d in letters] == [
            old_key,
            None,
        ]

        out, err = run("rotate_encryption_keys")
        assert "documents.Document (files) [" in err and "100% 2/2" in err
        assert "and 2 files rewritten; everything is under the key k2." in out
        rotated = [path_of(d, media_root).read_bytes() for d in letters]
        assert [files.key_id_of(stored) for stored in rotated] == ["k2", "k2"]
        assert list(media_root.rglob("*.rewrite")) == []

        # Resumable: run again, nothing is left and no file is touched.
        dry, _ = run("rotate_encryption_keys", "--dry-run")
        assert "Dry run: 0 rows and 0 files would be rewritten under the key k2." in dry
        run("rotate_encryption_keys")
        assert [path_of(d, media_root).read_bytes() for d in letters] == rotated

    # The old key can go: the files download with the new one alone, as issued.
    with override_settings(FIELD_ENCRYPTION_KEYS=NEW_KEY):
        bodies = [body_of(download(d, doc_world.cast.office_a)) for d in letters]
    assert [hashlib.sha256(body).hexdigest() for body in bodies] == [d.file_sha256 for d in letters]
    assert bodies[1] == plain


def test_rotation_stops_with_a_sentence_on_a_file_no_key_reads_and_leaves_it_untouched(
    letters: list[Document], media_root: Path
) -> None:
    path = path_of(letters[0], media_root)
    lost = _unknown_key(path.read_bytes(), b"")
    path.write_bytes(lost)
    sentence = rf"Stopped: The file of document {letters[0].pk}: .*key lost"
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=ROTATED),
        pytest.raises(CommandError, match=sentence),
    ):
        run("rotate_encryption_keys")
    assert path.read_bytes() == lost


def test_rotation_does_not_seal_again_a_file_that_is_not_the_issued_pdf(
    letters: list[Document], media_root: Path
) -> None:
    path = path_of(letters[0], media_root)
    swapped = path_of(letters[1], media_root).read_bytes()
    path.write_bytes(swapped)
    sentence = "is not the PDF that was issued"
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=ROTATED),
        pytest.raises(CommandError, match=sentence),
    ):
        run("rotate_encryption_keys")
    assert path.read_bytes() == swapped


def test_encrypt_documents_converts_the_plain_files_and_is_idempotent(
    letters: list[Document], media_root: Path, doc_world: DocWorld
) -> None:
    pdfs = [make_plain(d, media_root) for d in letters]

    out, _ = run("encrypt_documents", "--dry-run")
    assert (
        out == f"Dry run: 2 files would be encrypted under the key {crypto.keyring().current_id}.\n"
    )
    assert [path_of(d, media_root).read_bytes() for d in letters] == pdfs  # nothing changed

    out, err = run("encrypt_documents")
    assert "documents.Document (plain files) [" in err and "100% 2/2" in err
    assert out.startswith("Done: 2 files encrypted under the key")
    stored = [path_of(d, media_root).read_bytes() for d in letters]
    assert [files.unseal(data) for data in stored] == pdfs
    assert all(files.key_id_of(data) == crypto.keyring().current_id for data in stored)
    assert body_of(download(letters[0], doc_world.cast.office_a)) == pdfs[0]

    out, _ = run("encrypt_documents")
    assert out.startswith("Done: 0 files encrypted")
    assert [path_of(d, media_root).read_bytes() for d in letters] == stored


def test_encrypt_documents_resumes_where_a_stopped_run_left_off(
    letters: list[Document], media_root: Path
) -> None:
    make_plain(letters[0], media_root)
    done_before = path_of(letters[1], media_root).read_bytes()  # encrypted by an earlier run
    out, _ = run("encrypt_documents", "--dry-run")
    assert out.startswith("Dry run: 1 files would be encrypted")
    run("encrypt_documents")
    assert path_of(letters[1], media_root).read_bytes() == done_before
    assert files.key_id_of(path_of(letters[0], media_root).read_bytes()) is not None


def test_encrypt_documents_refuses_a_plain_file_that_is_not_the_issued_pdf_and_exits_non_zero(
    letters: list[Document], media_root: Path
) -> None:
    path = path_of(letters[0], media_root)
    altered = make_plain(letters[0], media_root).replace(b"%PDF-", b"%PDF-\n% altered\n", 1)
    path.write_bytes(altered)
    with pytest.raises(CommandError, match=r"Stopped: .*is not the PDF that was issued"):
        run("encrypt_documents")
    assert path.read_bytes() == altered


def test_the_refusal_of_a_damaged_file_reads_in_the_callers_language(
    letters: list[Document], media_root: Path, doc_world: DocWorld
) -> None:
    path_of(letters[0], media_root).write_bytes(b"")
    try:
        response = client_for(doc_world.cast.office_a).get(
            f"{API}/documents/{letters[0].pk}/download/", HTTP_ACCEPT_LANGUAGE="fr"
        )
    finally:
        translation.deactivate()  # the request left French active in this thread
    error = assert_error_body(response, 500, "document_unreadable")
    assert error["message"] == (
        "Le fichier conservé de ce document ne peut pas être relu tel qu'il a été émis ; rien "
        "n'a été envoyé. Prévenez l'administrateur."
    )
