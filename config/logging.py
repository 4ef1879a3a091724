"""Logs that say what happened without saying about whom.

Every line carries the request's id (the caller's `X-Request-ID` when well-formed, else one made
here, and echoed in the response) or the Celery task's id, and the signed-in user's id: never a
name, a national number, an e-mail or an address. The messages themselves name ids only (our own
code's rule); what other code may put in a line is cut here:

- an exception is written as its type and its stack (files, lines, functions), never its message,
  which may quote a value ("invalid literal for int(): 'Jan'"), nor its local variables;
- Celery's "task raised" line names the exception's type only;
- Django's request lines name the path (ids only), never the query string (runserver's request
  line included).

`JsonFormatter` writes one JSON object a line (production); `ReadableFormatter` the same fields as
text (development). `ContextFilter` adds the ids to every record; `request_context` (the first
middleware) sets them for a request, `task_context_*` (Celery signals, config/celery.py) for a
task.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import traceback
import uuid
from collections.abc import Callable
from types import TracebackType
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

from config import metrics

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's request id is kept when it is 8 to 64 letters, digits, dashes, underscores or dots
# (a UUID, a proxy's hex id); anything else could carry data or forge log lines: a new one is made.
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

QUERY_STRING = re.compile(r"\?\S*")

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
task_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_id", default=None)
current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "current_request", default=None
)

Handler = Callable[[HttpRequest], HttpResponse]
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def request_id_from(header: str | None) -> str:
    """The caller's id when well-formed, else a new one."""
    if header and WELL_FORMED_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def request_context(get_response: Handler) -> Handler:
    """The first middleware: the request's id (echoed in `X-Request-ID`) for every line logged
    while the request is served, Django's own "Forbidden: /path" line after the middlewares
    included (the ids are cleared when the response is closed: `request_finished`); and the
    request's time by route (config/metrics.py)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        rid = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request_id.set(rid)
        current_request.set(request)
        response = get_response(request)
        response[REQUEST_ID_HEADER] = rid
        metrics.request_observe(request, response, time.perf_counter() - started)
        return response

    return middleware


def _request_finished(**_: Any) -> None:
    request_id.set(None)
    current_request.set(None)


request_finished.connect(_request_finished, dispatch_uid="config.logging.request_finished")


def user_id_of(request: HttpRequest | None) -> int | None:
    """The signed-in user's id once known (a session's user once a middleware asked for it, a
    token's once DRF authenticated it); never a query from inside logging."""
    user = getattr(request, "user", None) if request is not None else None
    if isinstance(user, SimpleLazyObject):
        wrapped = user._wrapped
        if wrapped is empty:
            return None
        user = wrapped
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


def task_context_set(task_id_value: str | None) -> None:
    task_id.set(task_id_value)


def task_context_clear() -> None:
    task_id.set(None)


class ContextFilter(logging.Filter):
    """Adds `request_id`, `task_id` and `user_id` to every record, and cuts what other code may
    put into a line: the message of an exception in Celery's "task raised" line."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.task_id = task_id.get()
        record.user_id = user_id_of(current_request.get())
        if isinstance(record.args, dict) and "exc" in record.args:
            # celery.app.trace: "Task %(name)s[%(id)s] %(description)s: %(exc)s" (the repr).
            kind = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else None
            record.args = {**record.args, "exc": kind or "an exception"}
        if record.name == "django.server" and isinstance(record.args, tuple) and record.args:
            # runserver's request line ("GET /path?q=… HTTP/1.1"): the path, not the query.
            line = QUERY_STRING.sub("", str(record.args[0]))
            record.args = (line, *record.args[1:])
        return True


def exception_lines(exc_info: ExcInfo) -> list[str]:
    """An exception (and those it was raised from) as its type and stack, without its message."""
    lines: list[str] = []
    seen: set[int] = set()
    error: BaseException | None = exc_info[1]
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        frames = traceback.extract_tb(error.__traceback__)
        lines.append(f"{type(error).__module__}.{type(error).__qualname__}")
        lines.extend(f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames)
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return lines


def _context(record: logging.LogRecord) -> dict[str, Any]:
    fields = {
        "request_id": getattr(record, "request_id", None),
        "task_id": getattr(record, "task_id", None),
        "user_id": getattr(record, "user_id", None),
    }
    return {key: value for key, value in fields.items() if value is not None}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, the ids, and an
    exception's type and stack."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_context(record),
        }
        if record.exc_info and record.exc_info[1] is not None:
            stack = exception_lines(record.exc_info)
            line["exception"] = stack[0]
            line["stack"] = stack[1:]
        return json.dumps(line, ensure_ascii=False, default=str)


class ReadableFormatter(logging.Formatter):
    """Development: `time level logger [ids] message`, then an exception's type and stack."""

    def format(self, record: logging.LogRecord) -> str:
        ids = " ".join(f"{key}={value}" for key, value in _context(record).items())
        text = (
            f"{self.formatTime(record)} {record.levelname} {record.name}"
            f"{f' [{ids}]' if ids else ''} {record.getMessage()}"
        )
        if record.exc_info and record.exc_info[1] is not None:
            text += "\n" + "\n".join(exception_lines(record.exc_info))
        if record.stack_info:
            text += "\n" + record.stack_info
        return text
