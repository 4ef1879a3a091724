"""Documents' share of the key rotation (`manage.py rotate_encryption_keys`, through
KEY_ROTATION_EXTENSIONS) and the conversion of files stored plain (`manage.py
encrypt_documents`): each file a document row names is read, checked and written again under the
newest key of FIELD_ENCRYPTION_KEYS.

File by file, each under its document's row lock and replaced atomically (a temporary file beside
it, renamed over it: `files.rewrite`), so a run can be stopped at any moment and leaves every file
whole. A run skips the files already done (their header names the newest key; for the conversion,
any key): run again, it goes on where it stopped. A file that does not decrypt, is missing, or is
not the PDF the document recorded (its sha256) stops the run with `StoredFileError`: it is never
rewritten, so a damaged file is not sealed again as if it were the document."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.db import transaction

from legalaid import crypto
from legalaid.services.keys import Stretch

from . import files
from .models import Document

BATCH = 200

Wanted = Callable[[str | None], bool]  # from a file's key id (None: plain), whether to rewrite


def _not_under_newest_key(key_id: str | None) -> bool:
    return key_id != crypto.keyring().current_id


def _plain(key_id: str | None) -> bool:
    return key_id is None


def _stored_ids() -> Iterator[list[int]]:
    """The ids of the documents that name a stored file, in batches, in id order."""
    after = 0
    while ids := list(
        Document.objects.exclude(file="")
        .filter(pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)[:BATCH]
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


def _count(wanted: Wanted) -> int:
    count = 0
    for ids in _stored_ids():
        names = Document.objects.filter(pk__in=ids).values_list("file", flat=True)
        count += sum(1 for name in names if _head_wanted(name, wanted))
    return count


def _rewrite(document_id: int, wanted: Wanted) -> bool:
    """Seal one document's file again under the newest key, if `wanted`; True if rewritten."""
    with transaction.atomic():
        document = (
            Document.objects.select_for_update().exclude(file="").filter(pk=document_id).first()
        )
        if document is None:  # its file was deleted meanwhile (retention)
            return False
        stored = files.read_stored(document)
        if not wanted(files.key_id_of(stored)):
            return False
        files.rewrite(document.file.name or "", files.seal(files.plain_of(document, stored)))
        return True


def _stretch(label: str, wanted: Wanted) -> Stretch:
    def run(on_batch: Callable[[int], None]) -> None:
        for ids in _stored_ids():
            done = sum(1 for document_id in ids if _rewrite(document_id, wanted))
            if done:
                on_batch(done)

    return Stretch(label, _count(wanted), run, unit="files")


def stretches() -> list[Stretch]:
    """KEY_ROTATION_EXTENSIONS: every stored file not under the newest key (plain ones too)."""
    return [_stretch("documents.Document (files)", _not_under_newest_key)]


def plain_files() -> Stretch:
    """`encrypt_documents`: the files stored plain, before documents were encrypted."""
    return _stretch("documents.Document (plain files)", _plain)
