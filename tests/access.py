"""The access-matrix harness shared by every app's matrix of its API under /api/v1/.

Each app keeps, in its own test module, `ENDPOINTS` (name → `Endpoint`) and `MATRIX` (one row per
endpoint and object, one column per role of `ROLES`), builds its world from the fixed cast, and
parametrises one test over `matrix_cells(MATRIX)` that calls `check_cell`. The module is listed in
`tests/test_api_routes.py`, which checks that the union of every matrix covers every route.

The rules every cell checks:
- the documented status for that role and object (a case outside the actor's scope answers 404,
  a role the endpoint does not serve 403, anonymous 403 `not_authenticated`);
- a refusal changes nothing and leaves no audit row;
- a read changes nothing but the audit trail;
- a write changes what it says it changes and leaves exactly one audit row of its action.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from legalaid.models import (
    AuditEvent,
    Case,
    CaseNote,
    Defendant,
    Designation,
    DesignationEvent,
    Escalation,
    Guardian,
    GuardianAccess,
    Lawyer,
    LeavePeriod,
    Party,
    User,
    Victim,
)
from tests.cast import Cast

API = "/api/v1"
ANONYMOUS = "anonymous"
ROLES = (
    "admin", "office_a", "office_b", "lawyer_a", "lawyer_a2", "lawyer_b",
    "guardian_a", "guardian_b", "outsider", ANONYMOUS,
)  # fmt: skip
ERROR_CODES = {400: "invalid", 403: "permission_denied", 404: "not_found", 409: "conflict"}


@dataclass
class World:
    """The fixed cast plus the objects a matrix adds by name (cases awaiting a lawyer, claims…)."""

    cast: Cast
    objects: dict[str, Any] = field(default_factory=dict)

    def object(self, name: str) -> Any:
        if name == "-":
            return None
        if name in self.objects:
            return self.objects[name]
        return getattr(self.cast, name)

    def user(self, role: str) -> User | None:
        return None if role == ANONYMOUS else getattr(self.cast, role)


class SharedWorldCells:
    """Base of a test class whose cells share one world: `build_world` runs once per class (and
    per test runner) inside `class_db`'s transaction; each cell gets a deep copy of it and runs in
    a savepoint rolled back after it, so a cell's writes never reach the next one. Building the
    world per cell cost about half a second each."""

    @staticmethod
    def build_world() -> World:
        raise NotImplementedError

    @pytest.fixture(scope="class")
    @classmethod
    def shared_world(cls, class_db: None) -> World:
        return cls.build_world()

    @pytest.fixture
    def world(self, shared_world: World, db: None) -> World:
        return copy.deepcopy(shared_world)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # under /api/v1; {pk} is the object's id
    payload: Callable[[World, str, Any], dict[str, Any]] | None = None
    measure: Callable[[World, Any], Any] | None = None  # what a successful write changes…
    becomes: Callable[[Any], Any] | None = None  # …into what
    audit_action: str | None = None  # the audit row a successful write leaves
    headers: Callable[[World, str, Any], dict[str, str]] | None = None


def writes(
    method: str,
    path: str,
    payload: Callable[[World, str, Any], dict[str, Any]] | None,
    *,
    measure: Callable[[World, Any], Any],
    becomes: Callable[[Any], Any],
    audit: str,
    headers: Callable[[World, str, Any], dict[str, str]] | None = None,
) -> Endpoint:
    return Endpoint(method, path, payload, measure, becomes, audit, headers)


def count(model: type[Any]) -> Callable[[World, Any], int]:
    return lambda w, obj: int(model.objects.count())


def plus_one(before: Any) -> Any:
    return before + 1


def always(value: Any) -> Callable[[Any], Any]:
    return lambda before: value


Fingerprint = Callable[..., dict[str, Any]]


def legalaid_fingerprint(*, with_audit: bool = True) -> dict[str, Any]:
    """Everything a legal-aid endpoint can change; equal before and after = nothing changed."""
    models: list[type[Any]] = [
        Case, Victim, Lawyer, LeavePeriod, Party, Defendant, CaseNote, Guardian, GuardianAccess,
        Designation, DesignationEvent, Escalation,
    ]  # fmt: skip
    if with_audit:
        models.append(AuditEvent)
    return {
        "counts": {model.__name__: model.objects.count() for model in models},
        "cases": list(
            Case.objects.order_by("pk").values_list("pk", "office", "language", "status")
        ),
        "designations": list(Designation.objects.order_by("pk").values_list("pk", "status")),
        "accesses": list(GuardianAccess.objects.order_by("pk").values_list("pk", "revoked_at")),
        "lawyers": list(Lawyer.objects.order_by("pk").values_list("pk", "capacity", "active")),
        "escalations": list(Escalation.objects.order_by("pk").values_list("pk", "resolved_at")),
    }


def fingerprint_with(
    *models: type[Any], rows: Callable[[], dict[str, Any]] | None = None
) -> Fingerprint:
    """The legal-aid fingerprint extended with an app's models (counts) and chosen rows."""

    def fingerprint(*, with_audit: bool = True) -> dict[str, Any]:
        result = legalaid_fingerprint(with_audit=with_audit)
        result["counts"].update({model.__name__: model.objects.count() for model in models})
        if rows is not None:
            result.update(rows())
        return result

    return fingerprint


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def last_audit_id() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def new_audit_rows(since: int) -> list[tuple[str, int | None, int | None, int | None]]:
    rows = AuditEvent.objects.filter(pk__gt=since).order_by("pk")
    return list(rows.values_list("action", "actor_id", "case_id", "office_id"))


def assert_error_body(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The project's single error shape: {"error": {"status", "code", "message", "fields"}}."""
    body = response.json()
    assert list(body) == ["error"]
    error = body["error"]
    assert set(error) == {"status", "code", "message", "fields"}
    assert error["status"] == status
    assert error["code"] == (code or ERROR_CODES[status])
    assert isinstance(error["message"], str)
    assert error["message"]
    return dict(error)


def every_page(client: APIClient, url: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["results"]
        next_url = body["next"]
    return items


def today() -> dt.date:
    return timezone.localdate()


def matrix_cells(matrix: list[tuple[Any, ...]]) -> list[Any]:
    cells = []
    for endpoint, obj, *statuses in matrix:
        for role, status in zip(ROLES, statuses, strict=True):
            cells.append(
                pytest.param(endpoint, obj, role, status, id=f"{endpoint}[{obj}]-{role}-{status}")
            )
    return cells


def url_of(world: World, spec: Endpoint, obj: str) -> str:
    return API + spec.path.format(pk=getattr(world.object(obj), "pk", None))


def check_cell(
    world: World,
    spec: Endpoint,
    obj: str,
    role: str,
    expected: int,
    *,
    fingerprint: Fingerprint = legalaid_fingerprint,
) -> Any:
    """Call one endpoint as one role on one object and check the rules of the module docstring."""
    target = world.object(obj)
    user = world.user(role)
    url = url_of(world, spec, obj)
    payload = spec.payload(world, role, target) if spec.payload else None
    headers = spec.headers(world, role, target) if spec.headers else {}
    measured = spec.measure(world, target) if spec.measure else None
    before, before_reads, since = fingerprint(), fingerprint(with_audit=False), last_audit_id()

    call = getattr(client_for(user), spec.method.lower())
    response = call(url, payload, format="json", headers=headers)

    assert response.status_code == expected, response.content
    if expected >= 400:
        code = "not_authenticated" if user is None else None
        assert_error_body(response, expected, code)
        assert fingerprint() == before  # a refusal changes nothing and leaves no audit row
    elif spec.method == "GET":
        assert fingerprint(with_audit=False) == before_reads  # a read changes nothing but audit
    else:
        assert spec.measure is not None
        assert spec.becomes is not None
        assert spec.audit_action is not None
        assert spec.measure(world, target) == spec.becomes(measured)
        actions = [row[0] for row in new_audit_rows(since) if user and row[1] == user.pk]
        assert actions.count(spec.audit_action) == 1
    return response
