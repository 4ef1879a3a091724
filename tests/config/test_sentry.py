"""Errors go to Sentry without personal data (config/sentry.py), checked on what the SDK would send:
a transport of our own captures the envelopes instead of sending them.

A view fails with a victim's file loaded (its local variables hold the victim's identity, its
exception's message quotes it), asked by a signed-in user with an e-mail address, with the name
in the query string, a form body and a cookie: the event holds none of the identity values, no
request body, no local variables, no cookie, no query string, and of the user only the id."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import sentry_sdk
from django.test import Client, override_settings
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from config.sentry import sentry_init
from tests.cast import Cast


class CapturingTransport(Transport):
    def __init__(self) -> None:
        super().__init__()
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)

    def events(self) -> list[dict[str, Any]]:
        return [
            item.payload.json
            for envelope in self.envelopes
            for item in envelope.items
            if item.type == "event" and item.payload.json is not None
        ]

    def raw(self) -> str:
        return "".join(
            envelope.serialize().decode("utf-8", "replace") for envelope in self.envelopes
        )


@pytest.fixture
def transport() -> Iterator[CapturingTransport]:
    capturing = CapturingTransport()
    sentry_init(dsn="https://public@sentry.invalid/1", environment="test", transport=capturing)
    try:
        yield capturing
    finally:
        sentry_sdk.flush()
        sentry_sdk.init()  # no DSN: reporting off again for the other tests


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.config.failing_urls")
def test_an_error_in_a_view_reaches_sentry_without_personal_data(
    cast: Cast, transport: CapturingTransport
) -> None:
    victim = cast.case_a.victim
    victim.given_names, victim.family_name = "Zoë-Ilse", "Vandermeersch"
    victim.national_number = "11031421759"
    victim.save()
    user = cast.guardian_a
    user.email = "guardian.a@example.be"
    user.first_name, user.last_name = "Griet", "Ouderling"
    user.save()
    client = Client(raise_request_exception=False, REMOTE_ADDR="198.51.100.23")
    client.force_login(user)
    client.cookies["lanzarote_extra"] = victim.family_name

    response = client.post(
        f"/test-failure/{cast.case_a.pk}/?name={victim.family_name}",
        {"family_name": victim.family_name, "born": victim.date_of_birth.isoformat()},
    )
    sentry_sdk.flush()

    assert response.status_code == 500
    events = transport.events()
    assert len(events) == 1
    event = events[0]
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    assert event["user"] == {"id": str(user.pk)}
    # Under gunicorn the WSGI integration adds the method, URL and headers (scrubbed: see below);
    # the test client is not WSGI. Never the body, cookies or query string.
    request = event["request"]
    assert set(request) <= {"method", "url", "headers"}
    assert "?" not in (request.get("url") or "")
    assert {key.lower() for key in request.get("headers") or {}} <= {"x-request-id", "user-agent"}
    assert event["tags"]["request_id"] == response["X-Request-ID"]
    frames = [
        frame
        for value in event["exception"]["values"]
        for frame in (value.get("stacktrace") or {}).get("frames", [])
    ]
    assert frames and not any("vars" in frame for frame in frames)
    assert any(frame.get("function") == "failing_view" for frame in frames)
    raw = transport.raw() + json.dumps(events)
    identity = [
        victim.given_names,
        victim.family_name,
        victim.national_number,
        victim.date_of_birth.isoformat(),
        user.email,
        "Griet",
        "Ouderling",
        user.username,
        "198.51.100.23",
    ]
    assert [value for value in identity if value in raw] == []


def test_a_requests_query_string_body_cookies_and_other_headers_are_dropped() -> None:
    from config.sentry import scrub

    event = {
        "user": {"id": "3", "email": "a@example.be", "username": "griet", "ip_address": "1.2.3.4"},
        "request": {
            "method": "POST",
            "url": "https://lanzarote.example/api/v1/cases/?search=Voorbeeld",
            "query_string": "search=Voorbeeld",
            "data": {"family_name": "Voorbeeld"},
            "cookies": {"sessionid": "s"},
            "headers": {"Cookie": "sessionid=s", "Authorization": "Token t", "X-Request-ID": "r"},
            "env": {"REMOTE_ADDR": "1.2.3.4"},
        },
        "extra": {"sys.argv": ["Voorbeeld"]},
        "exception": {"values": [{"type": "ValueError", "value": "Voorbeeld", "stacktrace": {
            "frames": [{"function": "f", "vars": {"a": 1}}]}}]},
    }  # fmt: skip

    scrubbed = scrub(event)

    assert scrubbed is not None
    assert "Voorbeeld" not in json.dumps(scrubbed) and "1.2.3.4" not in json.dumps(scrubbed)
    assert scrubbed["user"] == {}  # no request being served: no user
    assert scrubbed["request"] == {
        "method": "POST",
        "url": "https://lanzarote.example/api/v1/cases/",
        "headers": {"X-Request-ID": "r"},
    }
    assert scrubbed["exception"]["values"][0] == {
        "type": "ValueError", "value": "[removed]", "stacktrace": {"frames": [{"function": "f"}]}
    }  # fmt: skip


def test_breadcrumbs_keep_no_data() -> None:
    from config.sentry import scrub_breadcrumb

    crumb = {
        "category": "query",
        "message": "SELECT … WHERE blind = %s",
        "data": {"params": ["Voorbeeld"]},
    }
    assert scrub_breadcrumb(crumb) == {"category": "query"}
    logged = {"category": "documents.services", "message": "Rendering document 5 failed: X"}
    assert scrub_breadcrumb(dict(logged)) == logged


def test_without_a_dsn_nothing_is_set_up(settings: Any) -> None:
    assert settings.SENTRY_DSN == ""
    assert sentry_sdk.get_client().transport is None


def test_the_client_sends_no_default_personal_data_and_keeps_its_scrubber(
    transport: CapturingTransport,
) -> None:
    """Set up without the deprecated `send_default_pii` and without `data_collection` (which
    would switch sentry-sdk's own EventScrubber off): no default personal data, scrubber on."""
    client = sentry_sdk.get_client()
    assert client.should_send_default_pii() is False
    assert client.options["event_scrubber"] is not None
