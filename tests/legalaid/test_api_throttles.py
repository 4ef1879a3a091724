"""API throttles: failed tokens per address, requests per signed-in user, anonymous requests per
address. The attempt after the last allowed one answers 429 in the project's error body, with
Retry-After and a sentence in the caller's language, and changes nothing; other callers go on.

The test settings switch throttling off (one user makes hundreds of requests a minute there); each
test here sets small rates the way DRF reads them (its throttles keep the rates they were imported
with) and counts in a cache of its own, emptied first."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from pytest_django.fixtures import Settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from legalaid.models import NoteKind
from tests.access import API, assert_error_body, legalaid_fingerprint
from tests.cast import Cast

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Iterator[None]:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "throttle-tests",
        }
    }
    cache.clear()
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "2/min", "user": "3/min", "token_failures": "3/min"},
    )
    yield
    cache.clear()


def token_client(key: str, address: str = "198.51.100.7", language: str = "en") -> APIClient:
    client = APIClient(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def note_url(cast: Cast) -> str:
    return f"{API}/cases/{cast.case_a.pk}/notes/"


SCHEMA = "/api/schema/?format=json"
NOTE = {"kind": NoteKind.PRIVILEGED, "body": "Written over the API."}


def assert_throttled(response: Any, message: str) -> None:
    assert response.status_code == 429
    error = assert_error_body(response, 429, "throttled")
    assert error["message"] == message
    assert error["fields"] == {}
    assert 1 <= int(response["Retry-After"]) <= 60


def test_after_the_allowed_failed_tokens_even_the_right_token_is_refused_from_that_address(
    cast: Cast, rates: None
) -> None:
    right = Token.objects.create(user=cast.lawyer_a).key
    refusals = [token_client("wrong-token").get(f"{API}/me/") for _ in range(3)]
    before = legalaid_fingerprint()

    throttled = token_client(right).post(note_url(cast), NOTE, format="json")

    assert [r.status_code for r in refusals] == [403, 403, 403]
    assert_throttled(
        throttled, f"Too many requests. Try again in {throttled['Retry-After']} seconds."
    )
    assert legalaid_fingerprint() == before  # the note was not written
    # Another address is not concerned: the same token writes from there.
    elsewhere = token_client(right, address="203.0.113.9").post(note_url(cast), NOTE, format="json")
    assert elsewhere.status_code == 201


def test_a_right_token_does_not_count_as_a_failure(cast: Cast, rates: None) -> None:
    right = Token.objects.create(user=cast.lawyer_a).key
    token_client("wrong-token").get(f"{API}/me/")
    token_client("wrong-token").get(f"{API}/me/")

    answers = [token_client(right).get(f"{API}/me/").status_code for _ in range(2)]

    assert answers == [200, 200]  # two failures, two successes: under both rates
    assert token_client("wrong-token").get(f"{API}/me/").status_code == 403  # the third failure
    # The user has one request left; the address has no failure left.
    assert token_client(right).get(f"{API}/me/").status_code == 429


def test_a_user_over_the_rate_is_refused_and_nothing_is_written(cast: Cast, rates: None) -> None:
    lawyer = token_client(Token.objects.create(user=cast.lawyer_a).key)
    allowed = [lawyer.get(f"{API}/me/").status_code for _ in range(3)]
    before = legalaid_fingerprint()

    throttled = lawyer.post(note_url(cast), NOTE, format="json")

    assert allowed == [200, 200, 200]
    assert_throttled(
        throttled, f"Too many requests. Try again in {throttled['Retry-After']} seconds."
    )
    assert legalaid_fingerprint() == before
    # The rate is per user: another user from the same address goes on.
    office = token_client(Token.objects.create(user=cast.office_a).key)
    assert office.get(f"{API}/me/").status_code == 200


def test_the_refusal_reads_in_the_callers_language(cast: Cast, rates: None) -> None:
    key = Token.objects.create(user=cast.lawyer_a).key
    for _ in range(3):
        token_client(key).get(f"{API}/me/")

    french = token_client(key, language="fr").get(f"{API}/me/")
    dutch = token_client(key, language="nl").get(f"{API}/me/")

    seconds = french["Retry-After"]
    assert_throttled(french, f"Trop de requêtes. Réessayez dans {seconds} secondes.")
    assert dutch.json()["error"]["message"] == (
        f"Te veel verzoeken. Probeer het over {dutch['Retry-After']} seconden opnieuw."
    )


def test_anonymous_callers_are_counted_per_address(db: None, rates: None) -> None:
    """The API's open door is its schema (and docs): everything else refuses anonymous callers
    before any throttle, at the permission check."""
    visitor = APIClient(REMOTE_ADDR="198.51.100.20")
    allowed = [visitor.get(SCHEMA).status_code for _ in range(2)]

    throttled = visitor.get(SCHEMA)

    assert allowed == [200, 200]
    assert_throttled(
        throttled, f"Too many requests. Try again in {throttled['Retry-After']} seconds."
    )
    assert APIClient(REMOTE_ADDR="198.51.100.21").get(SCHEMA).status_code == 200


def _settings_in_a_new_process(**env: str) -> subprocess.CompletedProcess[str]:
    script = (
        "from config.settings import base; "
        "print(base.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'], base.REST_FRAMEWORK['NUM_PROXIES'])"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("API_")}
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_rates_come_from_the_environment_with_defaults() -> None:
    defaults = _settings_in_a_new_process()
    chosen = _settings_in_a_new_process(
        API_ANON_REQUESTS_PER_MINUTE="7",
        API_USER_REQUESTS_PER_MINUTE="70",
        API_TOKEN_FAILURES_PER_MINUTE="4",
        API_TRUSTED_PROXIES="1",
    )
    malformed = _settings_in_a_new_process(API_USER_REQUESTS_PER_MINUTE="lots")

    assert defaults.stdout.strip() == (
        "{'anon': '30/min', 'user': '300/min', 'token_failures': '10/min'} 0"
    )
    assert (
        chosen.stdout.strip() == "{'anon': '7/min', 'user': '70/min', 'token_failures': '4/min'} 1"
    )
    assert malformed.returncode != 0
    assert (
        "The environment variable API_USER_REQUESTS_PER_MINUTE must be a whole number"
        in malformed.stderr
    )
