"""Reading a stored PDF back (decrypted; pypdf): its text, XMP metadata and the embedded
snapshot."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pypdf

from documents import files
from documents.models import Document


@dataclass
class ReadBack:
    pages: int
    text: str
    xmp: str
    attachments: dict[str, list[bytes]]
    catalog: Any
    metadata: Any


def read_pdf(data: bytes) -> ReadBack:
    reader = pypdf.PdfReader(io.BytesIO(data))
    catalog: Any = reader.trailer["/Root"]
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    return ReadBack(
        pages=len(reader.pages),
        text="\n".join(page.extract_text() for page in reader.pages),
        xmp=xmp,
        attachments={name: list(content) for name, content in reader.attachments.items()},
        catalog=catalog,
        metadata=reader.metadata,
    )


def stored_pdf(document: Document) -> bytes:
    """The PDF in a document's stored file: decrypted and checked against its sha256 (the file
    itself is encrypted at rest, documents.files)."""
    return files.document_pdf(document)
