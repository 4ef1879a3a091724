"""Shared test set-up: the service gates and the fixed cast of users used by permission tests.

Tests marked `postgres` run only when DATABASE_URL points at PostgreSQL, tests marked `redis` only
when REDIS_URL is set (CI's second pass sets both). Configured but unreachable: skipped locally,
failed under CI=true, so CI can never pass by skipping them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import translation

from tests.cast import Cast, build_cast

IN_CI = os.environ.get("CI", "").lower() == "true"


def _on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    keep, dropped = [], []
    for item in items:
        if ("postgres" in item.keywords and not _on_postgres()) or (
            "redis" in item.keywords and not settings.REDIS_URL
        ):
            dropped.append(item)
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def pytest_report_header(config: pytest.Config) -> list[str]:
    database = "PostgreSQL" if _on_postgres() else "SQLite"
    redis = "Redis" if settings.REDIS_URL else "no Redis (tasks inline)"
    return [f"lanzarote: {database}, {redis}; postgres/redis-marked tests need those services"]


def service_missing(message: str) -> None:
    if IN_CI:
        pytest.fail(f"{message} (CI=true: a missing service fails the run)")
    pytest.skip(message)


@pytest.fixture
def redis_url() -> str:
    import redis

    url = settings.REDIS_URL
    assert url
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        service_missing("Redis at REDIS_URL is unreachable")
    # Each test starts from an empty broker: no message left queued or unacknowledged by an
    # earlier test's worker (a killed worker's message would come back to the next one).
    # REDIS_URL in tests names a database for the tests alone: it is emptied.
    client.flushdb()
    return url


@pytest.fixture
def postgres(db: None) -> None:
    assert connection.vendor == "postgresql"


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture(scope="class")
def class_db(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """One transaction around a whole class of tests, rolled back after its last test: what the
    class's fixtures build in it is seen by every test of the class, each of which runs in its own
    savepoint (pytest-django's `db`), rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts and ends in the default language: a request that asked for another one
    (Accept-Language, a user's choice) leaves it active in its thread otherwise."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
