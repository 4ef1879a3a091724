"""Documents' files, encrypted at rest with the identity fields' keys (legalaid.crypto).

A stored file is a header naming its key, then the PDF sealed with AES-256-GCM under that key of
FIELD_ENCRYPTION_KEYS (`encrypt_bytes`: nonce, ciphertext, tag; the key id bound as associated
data):

    LZF1\\n<key id>\\n<nonce + ciphertext + tag>

The key id lives in the file, not in its name: the name is the one the document's row records
(deterministic, so a render run twice writes one file), and a key rotation rewrites a file's
content without touching the database. A file that begins `%PDF-` was written before documents
were encrypted: it is read as it is (its hash checked like any other) until
`manage.py encrypt_documents` converts it. Anything else, a file no listed key decrypts, or a
PDF whose sha256 is not the one the document recorded raises `StoredFileError`: never
ciphertext, a partial or an empty file in place of the document."""

from __future__ import annotations

import hashlib
import os
import tempfile

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage

from legalaid import crypto

from .models import Document

MAGIC = b"LZF1\n"
PLAIN = b"%PDF-"
HEAD_BYTES = len(MAGIC) + 16 + 1  # the magic, the longest key id, its newline


class StoredFileError(crypto.DecryptionError):
    """A stored file that cannot be read back as what was issued: missing, in no known form, not
    decrypting with the listed keys, or not the PDF whose sha256 the document recorded."""


def seal(plain: bytes) -> bytes:
    """The PDF as it is stored: under the newest key, with its key id in the header."""
    key_id, sealed = crypto.encrypt_bytes(plain)
    return MAGIC + key_id.encode() + b"\n" + sealed


def key_id_of(stored: bytes) -> str | None:
    """The key a stored file is encrypted with (its first HEAD_BYTES bytes are enough); None
    for a PDF stored plain (written before documents were encrypted)."""
    if stored.startswith(PLAIN):
        return None
    if stored.startswith(MAGIC):
        key_id, newline, _ = stored[len(MAGIC) : HEAD_BYTES].partition(b"\n")
        text = key_id.decode("ascii", errors="replace")
        if newline and crypto.KEY_ID.match(text):
            return text
    raise StoredFileError("The stored file is neither an encrypted document nor a PDF.")


def unseal(stored: bytes) -> bytes:
    """The PDF in a stored file (a plain one as it is). Raises StoredFileError."""
    key_id = key_id_of(stored)
    if key_id is None:
        return stored
    try:
        return crypto.decrypt_bytes(key_id, stored[len(MAGIC) + len(key_id) + 1 :])
    except crypto.DecryptionError as error:
        raise StoredFileError(str(error)) from None


def read(name: str, *, size: int = -1) -> bytes:
    """The stored bytes (all, or the first `size`), as they lie in the storage."""
    with default_storage.open(name, "rb") as handle:
        return bytes(handle.read(size))


def read_stored(document: Document) -> bytes:
    try:
        return read(document.file.name or "")
    except FileNotFoundError:
        raise StoredFileError(f"The file of document {document.pk} is missing.") from None


def plain_of(document: Document, stored: bytes) -> bytes:
    """The issued PDF from the document's stored bytes: decrypted, and checked against the sha256
    the document recorded when it was rendered."""
    try:
        plain = unseal(stored)
    except StoredFileError as error:
        raise StoredFileError(f"The file of document {document.pk}: {error}") from None
    if hashlib.sha256(plain).hexdigest() != document.file_sha256:
        raise StoredFileError(
            f"The file of document {document.pk} is not the PDF that was issued (its sha256 "
            f"differs)."
        )
    return plain


def document_pdf(document: Document) -> bytes:
    """The PDF of a ready document exactly as it was issued. Raises StoredFileError."""
    return plain_of(document, read_stored(document))


def _replace(path: str, data: bytes, temporary: str) -> None:
    """Write `data` to `temporary` (flushed to disk), then rename it to `path`: a crash leaves
    the old file or the new one, whole."""
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def write_new(name: str, stored: bytes) -> bool:
    """Store a new file. On the filesystem it is written to `<name>.partial` and renamed (a
    crash leaves no file or the whole file); other storages upload whole objects. False if the
    storage saved it under another name."""
    storage = default_storage
    if isinstance(storage, FileSystemStorage):
        path = storage.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        _replace(path, stored, f"{path}.partial")
        return True
    return storage.save(name, ContentFile(stored)) == name


def rewrite(name: str, stored: bytes) -> None:
    """Replace an existing file's content atomically (a rotation, a conversion): written to a
    temporary file beside it, then renamed over it. Filesystem storage only: an object store
    has no atomic replace that this code could rely on."""
    storage = default_storage
    if not isinstance(storage, FileSystemStorage):
        raise StoredFileError(
            "Files are rewritten in place on the filesystem storage only "
            f"({type(storage).__name__} is configured)."
        )
    path = storage.path(name)
    handle, temporary = tempfile.mkstemp(
        prefix=f"{os.path.basename(path)}.", suffix=".rewrite", dir=os.path.dirname(path)
    )
    os.close(handle)
    try:
        _replace(path, stored, temporary)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
