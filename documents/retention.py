"""Documents' part of the retention policy (legalaid.services.retention): each issued document's
file is deleted from the storage, its snapshot emptied and its status `expired`; the row stays
(kind, version, dates, the sha256 of what was issued), as the register of what was sent."""

from __future__ import annotations

from legalaid.models import Case

from .models import Document, DocumentStatus


def case_anonymise(*, case: Case) -> dict[str, int]:
    documents = list(Document.objects.filter(case=case))
    for document in documents:
        if document.file.name:
            document.file.storage.delete(document.file.name)
    Document.objects.filter(case=case).update(
        snapshot={}, file="", status=DocumentStatus.EXPIRED, error=""
    )
    return {"documents": len(documents)}
