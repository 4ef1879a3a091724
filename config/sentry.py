"""Error reporting to Sentry, when SENTRY_DSN is set, without personal data.

Sentry's own options do most of it: no default PII (no cookies, no user's name or e-mail or IP
address, no auth headers), no request bodies, no local variables in the stack frames. `scrub`
(before_send) then keeps, of what is left, only what says where and what broke: the user's id
(added from the request being served, as in the logs),
the request's method, path (ids only) and request id, never its query string, data, cookies or
other headers; an exception's type and stack, never its message (it may quote a value); and
breadcrumbs without their data (`scrub_breadcrumb`: a query's parameters, a URL's query string).
"""

from __future__ import annotations

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

from config.logging import current_request, request_id, user_id_of

KEPT_HEADERS = frozenset({"x-request-id", "user-agent"})
REMOVED = "[removed]"


def _scrub_request(request: dict[str, Any]) -> dict[str, Any]:
    url = str(request.get("url") or "").split("?", 1)[0]
    headers = request.get("headers") or {}
    return {
        "method": request.get("method"),
        "url": url,
        "headers": {k: v for k, v in headers.items() if str(k).lower() in KEPT_HEADERS},
    }


def _scrub_exception(exception: dict[str, Any]) -> None:
    for value in exception.get("values") or []:
        if value.get("value"):
            value["value"] = REMOVED
        for frame in (value.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)


def scrub_breadcrumb(crumb: dict[str, Any], hint: Any = None) -> dict[str, Any] | None:
    """A breadcrumb says what happened (category, level, our log message), never with what: no
    data (SQL parameters, a URL's query string, a Redis command's keys)."""
    crumb.pop("data", None)
    if crumb.get("category") in {"query", "redis", "httplib", "subprocess"}:
        crumb.pop("message", None)
    return crumb


def scrub(event: dict[str, Any], hint: Any = None) -> dict[str, Any] | None:
    # The user's id, from the request being served (Sentry, without PII, sends no user at all).
    user_id = user_id_of(current_request.get())
    event["user"] = {"id": str(user_id)} if user_id is not None else {}
    rid = request_id.get()
    if rid:
        event.setdefault("tags", {})["request_id"] = rid
    if "request" in event:
        event["request"] = _scrub_request(event["request"])
    if "exception" in event:
        _scrub_exception(event["exception"])
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    event.pop("extra", None)
    event.pop("server_name", None)
    crumbs = event.get("breadcrumbs")
    if isinstance(crumbs, dict):
        crumbs["values"] = [scrub_breadcrumb(c) for c in crumbs.get("values") or []]
    return event


def sentry_init(*, dsn: str, environment: str, transport: Any = None) -> None:
    """Report errors (and error log lines) to Sentry; nothing else (no performance tracing)."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        transport=transport,
        integrations=[DjangoIntegration(), CeleryIntegration(), LoggingIntegration()],
        # No personal data: neither `send_default_pii` (deprecated) nor `data_collection` is set,
        # which sentry-sdk treats as send_default_pii=False and keeps its EventScrubber (setting
        # `data_collection` would switch the scrubber off).
        max_request_body_size="never",
        include_local_variables=False,
        include_source_context=True,
        before_send=scrub,  # type: ignore[arg-type]
        before_breadcrumb=scrub_breadcrumb,
        traces_sample_rate=0.0,
    )
