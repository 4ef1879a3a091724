"""The Idempotency-Key header of the intake (the claims' payments read the same header): a client
that did not get the answer asks again with the same key and gets the case the first request
opened, never a second one (idempotency.services)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from ..errors import ApplicationError

HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,100}")
INTAKE_IDEMPOTENCY_HEADER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Any printable ASCII string without spaces, at most 100 characters (a UUID). "
    "A retry with the same key and body registers nothing more and answers the case the first "
    "one opened; the same key with another body answers 409.",
)


def idempotency_key(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        message = _(
            "The Idempotency-Key header must be 1 to 100 printable characters without spaces."
        )
        raise ApplicationError(message, fields={HEADER: [message]})
    return key
