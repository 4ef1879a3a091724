"""Documents' share of the key rotation (`manage.py rotate_encryption_keys`, through
KEY_ROTATION_EXTENSIONS) and the conversion of files stored plain (`manage.py
encrypt_documents`): each file a document row names (and each person's copy of their file, a
ZIP: `PersonalDataExport`) is read, checked and written again under the newest key of
FIELD_ENCRYPTION_KEYS.

File by file, each under its row's lock and replaced atomically (a temporary file beside
it, renamed over it: `files.rewrite`), so a run can be stopped at any moment and leaves every file
whole. A run skips the files already done (their header names the newest key; for the conversion,
any key): run again, it goes on where it stopped. A file that does not decrypt, is missing, or is
not what its row recorded (the sha256 of the issued PDF or ZIP) stops the run with
`StoredFileError`: it is never rewritten, so a damaged file is not sealed again as if it were
what was issued."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import models, transaction

from legalaid import crypto
from legalaid.services.keys import Stretch

from . import files
from .models import Document, PersonalDataExport

BATCH = 200

Wanted = Callable[[str | None], bool]  # from a file's key id (None: plain), whether to rewrite


@dataclass(frozen=True)
class StoredFiles:
    """A kind of row that names a stored, encrypted file and the sha256 of its plain content."""

    label: str
    model: type[models.Model]
    name_field: str  # the file's name in the storage (a FileField or a CharField)

    def rows(self) -> models.QuerySet[models.Model]:
        return self.model._default_manager.exclude(**{self.name_field: ""})

    def name_of(self, row: models.Model) -> str:
        value = getattr(row, self.name_field)
        return str(getattr(value, "name", value) or "")


DOCUMENTS = StoredFiles("documents.Document", Document, "file")
EXPORTS = StoredFiles("documents.PersonalDataExport", PersonalDataExport, "file_name")


def _not_under_newest_key(key_id: str | None) -> bool:
    return key_id != crypto.keyring().current_id


def _plain(key_id: str | None) -> bool:
    return key_id is None


def _stored_ids(kind: StoredFiles) -> Iterator[list[int]]:
    """The ids of the rows that name a stored file, in batches, in id order."""
    after = 0
    while ids := list(
        kind.rows().filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:BATCH]
    ):
        yield ids
        after = ids[-1]


def _head_wanted(name: str, wanted: Wanted) -> bool:
    """Whether a file is to be rewritten, from its first bytes. A file missing or in no known
    form is counted: the run stops on it with a sentence."""
    try:
        return wanted(files.key_id_of(files.read(name, size=files.HEAD_BYTES)))
    except (files.StoredFileError, FileNotFoundError):
        return True


def _count(kind: StoredFiles, wanted: Wanted) -> int:
    count = 0
    for ids in _stored_ids(kind):
        names = kind.rows().filter(pk__in=ids).values_list(kind.name_field, flat=True)
        count += sum(1 for name in names if _head_wanted(name, wanted))
    return count


def _read(kind: StoredFiles, row: models.Model, name: str) -> bytes:
    if isinstance(row, Document):
        return files.read_stored(row)
    try:
        return files.read(name)
    except FileNotFoundError:
        raise files.StoredFileError(f"The file of {kind.label} {row.pk} is missing.") from None


def _plain_of(kind: StoredFiles, row: models.Model, stored: bytes) -> bytes:
    if isinstance(row, Document):
        return files.plain_of(row, stored)
    try:
        plain = files.unseal(stored)
    except files.StoredFileError as error:
        raise files.StoredFileError(f"The file of {kind.label} {row.pk}: {error}") from None
    if hashlib.sha256(plain).hexdigest() != row.file_sha256:  # type: ignore[attr-defined]
        raise files.StoredFileError(
            f"The file of {kind.label} {row.pk} is not the one that was built (its sha256 differs)."
        )
    return plain


def _rewrite(kind: StoredFiles, row_id: int, wanted: Wanted) -> bool:
    """Seal one row's file again under the newest key, if `wanted`; True if rewritten."""
    with transaction.atomic():
        row = kind.rows().select_for_update().filter(pk=row_id).first()
        if row is None:  # its file was deleted meanwhile (retention, expiry)
            return False
        name = kind.name_of(row)
        stored = _read(kind, row, name)
        if not wanted(files.key_id_of(stored)):
            return False
        files.rewrite(name, files.seal(_plain_of(kind, row, stored)))
        return True


def _stretch(kind: StoredFiles, label: str, wanted: Wanted) -> Stretch:
    def run(on_batch: Callable[[int], None]) -> None:
        for ids in _stored_ids(kind):
            done = sum(1 for row_id in ids if _rewrite(kind, row_id, wanted))
            if done:
                on_batch(done)

    return Stretch(label, _count(kind, wanted), run, unit="files")


def stretches() -> list[Stretch]:
    """KEY_ROTATION_EXTENSIONS: every stored file not under the newest key (plain ones too):
    the documents' PDFs and the persons' copies of their files."""
    return [
        _stretch(DOCUMENTS, "documents.Document (files)", _not_under_newest_key),
        _stretch(EXPORTS, "documents.PersonalDataExport (files)", _not_under_newest_key),
    ]


def plain_files() -> Stretch:
    """`encrypt_documents`: the files stored plain, before documents were encrypted (copies of
    a person's file were encrypted from the start)."""
    return _stretch(DOCUMENTS, "documents.Document (plain files)", _plain)
