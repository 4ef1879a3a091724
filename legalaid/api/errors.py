"""One error body for every refusal:

    {"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"name": ["…"]}}}

Domain errors (ApplicationError), Django's ValidationError and DRF's own exceptions all pass here.
So does a database IntegrityError that no service turned into a domain error (two requests
writing the same record at the same moment): 409, never a 500, and never the database's message,
which may quote the values of the row (personal data). Every refusal rolls back the request's
transaction (DRF's `set_rollback`, when requests are atomic): nothing half-written remains.
Messages read in the request's language (LocaleMiddleware: Accept-Language, or the user's choice);
the status and the code never change with it.

A database that cannot be reached (restarting, a connection lost) or a transaction that had to
give way (a deadlock, a serialization failure) answers 503, code `database_unavailable`, with
Retry-After: the request may be sent again as it is.

A task that could not be sent because the queue (Redis) is unreachable answers 503, code
`queue_unavailable`: services record their work in the database and send tasks after commit
without failing the request (the periodic sweeps send them again), so this is the last answer to
a send that escaped them, never a 500.

A throttled request (legalaid.api.authentication, REST_FRAMEWORK's throttles) answers 429, code
`throttled`, with a sentence saying when to try again and that wait in a Retry-After header.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from kombu.exceptions import OperationalError as QueueUnreachable
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from ..errors import ApplicationError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

CONCURRENT_CHANGE = gettext_lazy(
    "Another request changed the same record at the same moment; nothing was saved. Try again."
)


DATABASE_UNAVAILABLE = gettext_lazy(
    "The database could not be reached or was busy. Try again in a moment."
)
QUEUE_UNAVAILABLE = gettext_lazy(
    "The task queue cannot be reached at the moment. Try again in a few minutes."
)


def _join(parent: str, child: str) -> str:
    return f"{parent}{child}" if child.startswith("[") else f"{parent}.{child}"


def _flatten(detail: Any) -> dict[str, list[str]]:
    """Nested errors as flat field names: `victim.date_of_birth`, `parties[1].full_name`. DRF
    reports the items of a list as a dict keyed by index (LIST_SERIALIZER_ERRORS_AS_DICT, and
    ListField always), older versions as a list: both give the same name."""
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"[{key}]" if isinstance(key, int) else str(key)
            if isinstance(value, dict):
                for sub, messages in _flatten(value).items():
                    fields[_join(name, sub)] = messages
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for index, item in enumerate(value):
                    for sub, messages in _flatten(item).items():
                        fields[_join(f"{name}[{index}]", sub)] = messages
            else:
                fields[name] = [str(m) for m in (value if isinstance(value, list) else [value])]
        return fields
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {}


def _body(
    status_code: int, code: str, message: StrOrPromise, fields: dict[str, list[str]]
) -> Response:
    return Response(
        {"error": {"status": status_code, "code": code, "message": str(message), "fields": fields}},
        status=status_code,
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = _response(exc, context)
    if response is not None:
        set_rollback()
    return response


def _concurrent_change(exc: IntegrityError, context: dict[str, Any]) -> Response:
    # The constraint's name (PostgreSQL) and the view say where, for whoever reads the logs; the
    # database's message, which may quote the row's values, is neither logged nor answered.
    constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    view = context.get("view")
    logger.warning(
        "Integrity error answered 409 (a concurrent change?): constraint %s in %s",
        constraint or "unknown",
        type(view).__name__ if view is not None else "unknown view",
    )
    return _body(409, "conflict", CONCURRENT_CHANGE, {})


def _database_unavailable(exc: OperationalError | InterfaceError) -> Response:
    # The SQLSTATE and the type say what happened; the message, which may quote values, is
    # neither logged nor answered.
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    logger.warning("Database error answered 503: %s (%s)", type(exc).__name__, sqlstate)
    unavailable = _body(503, "database_unavailable", DATABASE_UNAVAILABLE, {})
    unavailable["Retry-After"] = "5"
    return unavailable


def _throttled(exc: exceptions.Throttled) -> Response:
    wait = getattr(exc, "wait", None)  # seconds, rounded up by DRF
    if wait is None:
        return _body(429, "throttled", _("Too many requests. Try again later."), {})
    seconds = max(1, int(wait))
    message = ngettext(
        "Too many requests. Try again in %(seconds)d second.",
        "Too many requests. Try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}
    response = _body(429, "throttled", message, {})
    response["Retry-After"] = str(seconds)
    return response


def _response(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return _body(exc.status_code, exc.code, exc.message, exc.fields)
    if isinstance(exc, DjangoValidationError):
        fields = (
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"non_field_errors": [str(m) for m in exc.messages]}
        )
        return _body(400, "invalid", _("The request was refused: see the field messages."), fields)
    if isinstance(exc, Http404):
        return _body(404, "not_found", _("Not found."), {})
    if isinstance(exc, IntegrityError):
        return _concurrent_change(exc, context)
    if isinstance(exc, OperationalError | InterfaceError):
        return _database_unavailable(exc)
    if isinstance(exc, QueueUnreachable):
        logger.warning("Task queue unreachable: answered 503 (%s)", type(exc).__name__)
        unavailable = _body(503, "queue_unavailable", QUEUE_UNAVAILABLE, {})
        unavailable["Retry-After"] = "60"
        return unavailable
    if isinstance(exc, exceptions.Throttled):
        return _throttled(exc)
    if isinstance(exc, exceptions.ValidationError):
        return _body(
            400,
            "invalid",
            _("The request was refused: see the field messages."),
            _flatten(exc.detail),
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = getattr(exc, "detail", "")
    message = str(detail) if not isinstance(detail, dict | list) else _("The request was refused.")
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    if not isinstance(code, str):
        code = "error"
    response.data = {
        "error": {
            "status": response.status_code,
            "code": code,
            "message": message,
            "fields": _flatten(detail) if isinstance(detail, dict | list) else {},
        }
    }
    return response


__all__ = [
    "CONCURRENT_CHANGE",
    "DATABASE_UNAVAILABLE",
    "QUEUE_UNAVAILABLE",
    "exception_handler",
    "status",
]
