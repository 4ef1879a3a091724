"""Redis down (connection refused, for real): reads, pages and signing in go on — the cache's
counters fall back to the process's memory — and sending a task fails fast, in a bounded time,
with kombu's OperationalError, which the API answers 503 if a send ever escapes the services.
What the services send after commit is on record first (tests/documents/test_queue_down.py,
tests/faults/test_email_outbox.py)."""

from __future__ import annotations

import logging
import time

import pytest
from django.test import Client
from kombu.exceptions import OperationalError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from config.settings.base import REST_FRAMEWORK
from documents.tasks import render_document
from legalaid.api.errors import QUEUE_UNAVAILABLE
from legalaid.api.views import MeView
from tests.access import API
from tests.cast import PASSWORD, Cast, give_second_factor
from tests.faults.redis_down import redis_down

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_rates(monkeypatch: pytest.MonkeyPatch) -> None:
    """The throttles on, at the product's default rates: every API request reads and writes the
    cache (the test settings switch them off)."""
    rates = REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)


def test_reads_pages_and_signing_in_go_on_while_redis_refuses(
    cast: Cast, production_rates: None, caplog: pytest.LogCaptureFixture
) -> None:
    token = Token.objects.create(user=cast.lawyer_a).key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    office = Client()
    office.force_login(give_second_factor(cast.office_a))

    with redis_down(), caplog.at_level(logging.WARNING, logger="config.cache"):
        cases = api.get(f"{API}/cases/")
        case = api.get(f"{API}/cases/{cast.case_a.pk}/")
        page = office.get("/office/")
        wrong = Client().post("/accounts/login/", {"login": "guardian_a", "password": "nope"})
        right = Client().post("/accounts/login/", {"login": "guardian_a", "password": PASSWORD})

    assert [item["id"] for item in cases.json()["results"]] == [cast.case_a.pk]
    assert case.status_code == page.status_code == 200
    assert wrong.status_code == 200  # the form again, with its error
    assert (right.status_code, right["Location"]) == (302, "/")
    # One warning for the outage, naming no key (keys hold addresses and user ids).
    warnings = [r.getMessage() for r in caplog.records if r.name == "config.cache"]
    assert warnings == [
        "Redis unreachable (ConnectionError): the cache counts in this process's memory; "
        "rate limits hold per process until it answers again"
    ]


def test_the_throttles_still_count_in_the_process_while_redis_refuses(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    rates = {"anon": None, "user": "2/min", "token_failures": None}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=cast.lawyer_a).key}")

    with redis_down():
        answers = [api.get(f"{API}/me/").status_code for _ in range(3)]

    assert answers == [200, 200, 429]


def test_a_refused_send_fails_within_a_bounded_time() -> None:
    """Celery's bounded connection settings (base.py): one attempt, one retry, then the error.
    The first send also loads the Redis transport; the second is what a request pays."""
    with redis_down():
        timings = []
        for _ in range(2):
            started = time.monotonic()
            with pytest.raises(OperationalError, match="Connection refused"):
                render_document.delay(0)
            timings.append(time.monotonic() - started)

    assert timings[1] < 0.5, f"a refused send took {timings[1]:.2f} s"


def test_a_send_that_escaped_the_services_answers_503_in_the_error_body() -> None:
    with redis_down(), pytest.raises(OperationalError) as refused:
        render_document.delay(0)
    view = MeView()
    handler = view.get_exception_handler()  # the one in settings.REST_FRAMEWORK

    response = handler(refused.value, {"view": view, "args": (), "kwargs": {}, "request": None})

    assert response is not None
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response.data == {
        "error": {
            "status": 503,
            "code": "queue_unavailable",
            "message": str(QUEUE_UNAVAILABLE),
            "fields": {},
        }
    }
