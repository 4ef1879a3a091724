"""What the documents app's two access matrices share (test_access_matrix_documents.py for the
documents, test_access_matrix_exports.py for a person's copy of their file; the harness is
tests/access.py): the fingerprint of everything the app's endpoints can change."""

from __future__ import annotations

from documents.models import Document, PersonalDataExport
from tests.access import fingerprint_with

# The legal-aid fingerprint plus the documents and the copies: each matrix's refusals and reads
# must leave both unchanged.
fingerprint = fingerprint_with(
    Document,
    PersonalDataExport,
    rows=lambda: {
        "documents": list(
            Document.objects.order_by("pk").values_list("pk", "status", "version", "file_sha256")
        ),
        "exports": list(
            PersonalDataExport.objects.order_by("pk").values_list("pk", "status", "file_sha256")
        ),
    },
)
