"""/readyz (portal/health.py): 200 when the database and the broker (Redis, when it is the broker)
answer; 503 naming the failed checks, and nothing else, when either does not. /healthz stays the
process's own answer, without either."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.utils import ConnectionHandler
from django.test import Client, override_settings

from portal import health

# Nothing listens there: a connection is refused at once.
CLOSED_PORT = 1


@pytest.fixture
def unreachable_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real connection, to a PostgreSQL server at a port where nothing listens."""
    handler = ConnectionHandler(
        {
            health.DATABASE_ALIAS: {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "lanzarote",
                "HOST": "127.0.0.1",
                "PORT": CLOSED_PORT,
                "USER": "nobody",
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )
    monkeypatch.setattr(health, "connections", handler)


@pytest.mark.django_db
def test_ready_when_the_database_answers_and_tasks_run_inline() -> None:
    response = Client().get("/readyz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.django_db
@pytest.mark.usefixtures("unreachable_database")
def test_not_ready_when_the_database_cannot_be_reached() -> None:
    response = Client().get("/readyz")
    assert (response.status_code, response.json()) == (
        503,
        {"status": "unavailable", "failed": ["database"]},
    )


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{CLOSED_PORT}/0")
def test_not_ready_when_the_broker_cannot_be_reached() -> None:
    response = Client().get("/readyz")
    assert (response.status_code, response.json()) == (
        503,
        {"status": "unavailable", "failed": ["broker"]},
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("unreachable_database")
@override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{CLOSED_PORT}/0")
def test_both_failed_checks_are_named() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database", "broker"]


@pytest.mark.redis
@pytest.mark.django_db
def test_ready_when_redis_the_broker_answers(redis_url: str, settings: Any) -> None:
    settings.CELERY_BROKER_URL = redis_url
    response = Client().get("/readyz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.usefixtures("unreachable_database")
def test_healthz_answers_ok_even_when_the_database_cannot_be_reached() -> None:
    response = Client().get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/readyz", "/healthz"])
def test_a_probe_answers_a_signed_in_user_without_a_second_factor_instead_of_redirecting(
    path: str,
) -> None:
    """The mandatory second factor sends a signed-in office user without one to set it up; a
    probe is not a page of the product and answers as it would anyone."""
    from legalaid.models import Role
    from tests.cast import make_office, make_user

    office = make_office("Probe", "antwerpen")
    client = Client()
    client.force_login(make_user("probe_staff", Role.OFFICE, office))
    assert client.get("/office/").status_code == 302  # pages: the second factor first
    assert client.get(path).status_code == 200
