"""Schemathesis against the API's own OpenAPI schema (`/api/schema/`), signed in with a token as
each role: office staff, a lawyer, a guardian and an administrator.

For every operation of the schema, Hypothesis draws requests that the schema allows (positive)
and requests it forbids (negative): missing or mistyped fields, out-of-range values, strings the
schema refuses. Three of four ids they carry (in the path, the query or the body) are replaced by
ids of real objects of the right kind (tests/api_fuzz/world.py), in the caller's scope or out of
it, so that requests reach the services and not only the 404 of an unknown id. Every response
must be no 5xx, a documented status code, content type and headers, and a body that matches the
documented schema; a request the schema forbids must be refused (4xx). The requests go through
the whole Django stack (WSGI, middleware, token authentication) as a client's do.

Bounded and deterministic for CI: a fixed number of examples per operation and mode, Hypothesis
derandomized (no example database), "today" frozen, the world built once per class. A role's
run makes 725 requests (~14 s, SQLite or PostgreSQL); the four roles at least `MINIMUM_REQUESTS`
in all, which each role's test checks for its share. Failures are collected over the whole run and
reported together, one line per operation and kind of failure, with the request to reproduce it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.cache.backends.locmem import LocMemCache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis import GenerationMode
from schemathesis.errors import FailureGroup

from tests.api_fuzz.world import ROLES, FuzzWorld, build_fuzz_world
from tests.claims.world import TODAY

pytestmark = pytest.mark.api_fuzz

SCHEMA_URL = "/api/schema/?format=json"
# Examples per operation, per generation mode, per role (fewer when the operation's inputs allow
# fewer distinct requests: GET /me/ has none).
EXAMPLES = 5
# The four roles together make at least this many requests; each role checks its share.
MINIMUM_REQUESTS = 2_000
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
# What every response must satisfy; the other checks (a 2xx for every valid request, stateful
# ones that send more requests) do not hold for a scoped API and a role that may not call.
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_headers_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
            "negative_data_rejection": {"enabled": True},
        }
    }
)
# The API's throttles would answer 429 to a run of hundreds of requests a minute: the fuzz
# raises every configured rate out of reach, and counts in a cache of its own.
GENEROUS_RATE = "1000000/hour"


@dataclass
class Run:
    """What one role's run sent and what it found."""

    role: str
    statuses: Counter[int] = field(default_factory=Counter)
    per_operation: Counter[str] = field(default_factory=Counter)
    failures: dict[tuple[str, str], str] = field(default_factory=dict)  # (operation, kind) → one

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def failed(self, operation: str, group: FailureGroup, status: int, curl: str) -> None:
        for failure in group.exceptions:
            key = (operation, failure.title)
            if key not in self.failures:
                message = " ".join(failure.message.split())[:400]
                self.failures[key] = (
                    f"{operation}: {failure.title} [{status}] {message}\n    {curl}"
                )

    def report(self) -> str:
        return f"{len(self.failures)} failures as {self.role}:\n" + "\n".join(
            self.failures.values()
        )


def _pick(value: Any, ids: list[Any], turn: int) -> Any:
    """A real id of the same type in place of a generated one, three turns out of four."""
    if not ids or isinstance(value, bool) or type(value) is not type(ids[0]) or turn % 4 == 3:
        return value
    return ids[turn % len(ids)]


def aim(case: Any, turn: int, world: FuzzWorld) -> None:
    """Point the case's ids at real objects, a different one each turn: path ids by the path's
    kind of object, query and body fields by their name (`case`, `debtors`, `payer_party`…)."""
    if case.path_parameters:
        ids = world.ids_for_path(case.path)
        for name, value in list(case.path_parameters.items()):
            case.path_parameters[name] = _pick(value, ids, turn)
    for container in (case.query, case.body):
        if not isinstance(container, dict):
            continue
        for offset, (name, value) in enumerate(list(container.items())):
            ids = world.ids_for_field(name)
            if isinstance(value, list):
                container[name] = [
                    _pick(item, ids, turn + offset + i) for i, item in enumerate(value)
                ]
            else:
                container[name] = _pick(value, ids, turn + offset)


def fuzz_operation(operation: Any, mode: GenerationMode, world: FuzzWorld, run: Run) -> None:
    headers = {"Authorization": f"Token {world.tokens[run.role]}"}
    label = f"{operation.method.upper()} {operation.path} ({mode.value})"

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # failures are collected, not shrunk
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def send(case: Any) -> None:
        aim(case, run.per_operation[label], world)
        response = case.call(headers=headers)
        run.statuses[response.status_code] += 1
        run.per_operation[label] += 1
        try:
            case.validate_response(response, headers=headers)
        except FailureGroup as group:
            run.failed(label, group, response.status_code, case.as_curl_command(headers=headers))

    try:
        send()
    except Unsatisfiable:
        # Nothing to negate: the operation takes no input the schema constrains (GET /me/).
        assert mode == GenerationMode.NEGATIVE, label


@pytest.fixture
def generous_throttles(monkeypatch: pytest.MonkeyPatch) -> None:
    rates = {scope: GENEROUS_RATE for scope in api_settings.DEFAULT_THROTTLE_RATES}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(SimpleRateThrottle, "cache", LocMemCache("api-fuzz-throttles", {}))


@pytest.fixture(scope="class")
def wsgi_requests_in_the_test_transaction() -> Iterator[None]:
    """Requests through the WSGI handler (the schema's too) run in the tests' transaction, as
    the test client's do: Django closes the connection at each request's start and end
    otherwise, and on PostgreSQL the class's world would go with it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class TestApiFuzz:
    """One test per role; the world is built once for the class (and per test runner), each
    role's run works in a savepoint rolled back after it."""

    @pytest.fixture(scope="class")
    @classmethod
    def world(cls, class_db: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzWorld]:
        media = tmp_path_factory.mktemp("api-fuzz-media")
        with pytest.MonkeyPatch.context() as patch, override_settings(MEDIA_ROOT=media):
            patch.setattr(timezone, "localdate", _today)
            yield build_fuzz_world(TODAY)

    @pytest.fixture(scope="class")
    @classmethod
    def schema(cls, world: FuzzWorld, wsgi_requests_in_the_test_transaction: None) -> Any:
        return schemathesis.openapi.from_wsgi(SCHEMA_URL, WSGIHandler(), config=CONFIG)

    @pytest.mark.parametrize("role", list(ROLES))
    @pytest.mark.usefixtures("generous_throttles")
    def test_every_operation_answers_as_documented_and_never_5xx(
        self,
        role: str,
        world: FuzzWorld,
        schema: Any,
        db: None,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(timezone, "localdate", _today)
        operations = [result.ok() for result in schema.get_all_operations()]
        # Reads first, while the world is whole; then the writes, which change it.
        operations.sort(key=lambda op: (op.method.upper() != "GET", op.path, op.method))
        run = Run(role)
        started = time.perf_counter()
        for operation in operations:
            for mode in MODES:
                fuzz_operation(operation, mode, world, run)
        seconds = time.perf_counter() - started
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(run.statuses.items()))
        print(f"\napi fuzz as {role}: {run.requests} requests in {seconds:.1f} s ({statuses})")

        assert not run.failures, run.report()
        assert run.statuses.keys() <= set(range(200, 500)), run.statuses
        assert run.requests >= MINIMUM_REQUESTS // len(ROLES), run.per_operation
        called = {label.rsplit(" (", 1)[0] for label in run.per_operation}
        assert len(called) == len(operations), "every operation was called"


def _today(*args: Any, **kwargs: Any) -> dt.date:
    return TODAY
