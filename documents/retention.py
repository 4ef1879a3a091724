"""Documents' part of the retention policy (legalaid.services.retention): each issued document's
file is deleted from the storage, its snapshot emptied and its status `expired`; the row stays
(kind, version, dates, the sha256 of what was issued), as the register of what was sent."""

from __future__ import annotations

from legalaid.models import Case

from .exports import personal_data_export_expire
from .models import Document, DocumentStatus, PersonalDataExport


def case_anonymise(*, case: Case) -> dict[str, int]:
    # The person's copies of their file asked from this case: deleted with its documents.
    for export in PersonalDataExport.objects.filter(case=case).exclude(status="expired"):
        personal_data_export_expire(export=export)
    documents = list(Document.objects.filter(case=case))
    for document in documents:
        if document.file.name:
            document.file.storage.delete(document.file.name)
    Document.objects.filter(case=case).update(
        snapshot={}, file="", status=DocumentStatus.EXPIRED, error=""
    )
    return {"documents": len(documents)}
