"""The response of the documents' downloads (an issued PDF, a person's copy of their file)."""

from __future__ import annotations

import io

from django.http import FileResponse


def download_response(
    content: bytes, *, content_type: str, filename: str, sha256: str
) -> FileResponse:
    """`content` (decrypted, checked against its sha256 and audited by the service) as an
    attachment, its sha256 in X-Content-SHA256, and kept by no cache (`private, no-store`)."""
    response = FileResponse(
        io.BytesIO(content), content_type=content_type, as_attachment=True, filename=filename
    )
    response["X-Content-SHA256"] = sha256
    response["Cache-Control"] = "private, no-store"
    return response
