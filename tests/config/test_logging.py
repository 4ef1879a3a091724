"""Logs name ids, never people (config/logging.py).

The demo's journeys run with logging on at DEBUG, captured through the product's own filter and
both formatters (JSON, readable): an intake through the API, the lawyer's acceptance of a proposal
and a decline (the engine designates again), a payment, a document rendered, the guardian reading
the case, searches and a missing case with a name in the query string, and a view that fails with
the victim's file loaded and the victim's name in the exception's message. The captured lines hold
none of the identity values of the data (read back through the models, decrypted, as the raw-dump
test does), and every line of a request carries its id."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import Judgment
from config.logging import ContextFilter, JsonFormatter, ReadableFormatter, request_id_from
from legalaid.models import Case, Designation, DesignationStatus, PartyRole, User
from legalaid.national_number import national_number_for
from legalaid.services.keys import models_with_encrypted_fields

API = "/api/v1"
INTAKE_BORN = dt.date(2011, 3, 14)
INTAKE_VICTIM = {
    "given_names": "Zoë-Ilse",
    "family_name": "Vandermeersch",
    "date_of_birth": INTAKE_BORN.isoformat(),
    "national_number": national_number_for(INTAKE_BORN, 217),
    "nationality": "be",
    "language": "nl",
}


class Captured:
    def __init__(self) -> None:
        self.json, self.readable = io.StringIO(), io.StringIO()

    def json_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.json.getvalue().splitlines() if line]

    def text(self) -> str:
        return self.json.getvalue() + self.readable.getvalue()


@pytest.fixture
def captured() -> Iterator[Captured]:
    """Every record of every logger at DEBUG, through the product's filter and formatters."""
    capture = Captured()
    handlers = []
    for stream, formatter in (
        (capture.json, JsonFormatter()),
        (capture.readable, ReadableFormatter()),
    ):
        handler = logging.StreamHandler(stream)
        handler.setFormatter(formatter)
        handler.addFilter(ContextFilter())
        handlers.append(handler)
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    for handler in handlers:
        root.addHandler(handler)
    try:
        yield capture
    finally:
        for handler in handlers:
            root.removeHandler(handler)
        root.setLevel(level)


def identity_values(after: dict[str, int]) -> set[str]:
    """Every value of every encrypted column of the rows written since `after`, decrypted, and
    every user's e-mail address."""
    values: set[str] = set()
    for model, fields in models_with_encrypted_fields():
        for row in model._base_manager.filter(pk__gt=after[model._meta.label]):
            for field in fields:
                value = getattr(row, field.name)
                if isinstance(value, dt.date):
                    values.add(value.isoformat())
                elif isinstance(value, str) and len(value.strip()) >= 3:
                    values.add(value)
    values |= set(User.objects.exclude(email="").values_list("email", flat=True))
    return values


def last_ids() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
        or 0
        for model, _ in models_with_encrypted_fields()
    }


def token_client(username: str) -> APIClient:
    client = APIClient(raise_request_exception=False)
    token, _ = Token.objects.get_or_create(user=User.objects.get(username=username))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.config.failing_urls")
def test_the_demo_journeys_log_no_identity_value_and_every_request_line_has_its_id(
    captured: Captured, django_capture_on_commit_callbacks: Any
) -> None:
    before = last_ids()
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    office, lawyer = token_client("office"), token_client("lawyer")
    first = Case.objects.order_by("pk").first()
    assert first is not None
    captured.json.truncate(0), captured.json.seek(0)  # the journeys' lines, not the loading's

    with django_capture_on_commit_callbacks(execute=True):
        intake = office.post(
            f"{API}/intake/", {"victim": INTAKE_VICTIM, "district": "antwerpen"}, format="json"
        )
    assert intake.status_code == 201, intake.content

    proposals = Designation.objects.filter(
        lawyer__user__username="lawyer", status=DesignationStatus.PROPOSED
    ).order_by("pk")
    assert proposals.count() >= 1
    with django_capture_on_commit_callbacks(execute=True):
        declined = lawyer.post(
            f"{API}/designations/{proposals[0].pk}/decline/",
            {"reason": "Conflict of agenda."},
            format="json",
        )
    assert declined.status_code == 200, declined.content
    new = Designation.objects.filter(status=DesignationStatus.PROPOSED).order_by("-pk").first()
    assert new is not None
    accepted = token_client_for_lawyer_of(new).post(f"{API}/designations/{new.pk}/accept/")
    assert accepted.status_code == 200, accepted.content

    judgment = Judgment.objects.filter(claim__case=first).first()
    assert judgment is not None
    pimp = first.parties.get(role=PartyRole.PIMP)
    with django_capture_on_commit_callbacks(execute=True):
        paid = lawyer.post(
            f"{API}/judgments/{judgment.pk}/payments/",
            {
                "amount": "25.00",
                "paid_on": dt.date.today().isoformat(),
                "payer_kind": "defendant",
                "payer_party": pimp.pk,
                "destination": "blocked_account_minor",
            },
            format="json",
            headers={"Idempotency-Key": "log-scan-1"},
        )
    assert paid.status_code == 201, paid.content

    with django_capture_on_commit_callbacks(execute=True):
        rendered = lawyer.post(
            f"{API}/documents/", {"case": first.pk, "kind": "claim_statement"}, format="json"
        )
    assert rendered.status_code == 202, rendered.content
    document = lawyer.get(f"{API}/documents/{rendered.json()['id']}/")
    assert document.json()["status"] == "ready", document.content

    guardian = token_client("guardian")
    assert guardian.get(f"{API}/cases/").status_code == 200
    assert guardian.get(f"{API}/cases/{first.pk}/").status_code == 200
    page = Client()
    page.force_login(User.objects.get(username="guardian"))
    assert page.get("/guardian/").status_code == 200

    name = first.victim.family_name
    assert office.get(f"{API}/cases/", {"search": name, "q": name}).status_code == 200
    assert office.get(f"{API}/cases/999999/", {"name": name}).status_code == 404
    assert guardian.get(f"{API}/audit-events/", {"q": name}).status_code in {403, 404}
    failed = office.get(f"/test-failure/{first.pk}/", {"name": name})
    assert failed.status_code == 500

    lines = captured.json_lines()
    text = captured.text()
    assert any(line["logger"] == "django.request" and "exception" in line for line in lines)
    assert any(
        line.get("message", "").startswith("Not Found: /api/v1/cases/999999/") for line in lines
    )
    values = identity_values(before)
    assert {INTAKE_VICTIM["family_name"], name, first.victim.national_number} <= values
    found = sorted(value for value in values if value in text)
    assert found == []
    # Every line logged while a request was served names it; the user's id once known.
    request_lines = [line for line in lines if line["logger"] == "django.request"]
    assert request_lines and all("request_id" in line for line in request_lines)
    assert all("user_id" in line for line in request_lines if "999999" in line["message"])


def token_client_for_lawyer_of(designation: Designation) -> APIClient:
    user = designation.lawyer.user
    if user is None:
        user = User.objects.create_user(
            f"lawyer-{designation.lawyer_id}", password="x", role="lawyer"
        )
        designation.lawyer.user = user
        designation.lawyer.save(update_fields=["user"])
    return token_client(user.username)


# --- The ids ------------------------------------------------------------------------------------


def test_a_well_formed_request_id_is_kept_and_echoed(client: Client) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "edge-1234abcd"})
    assert response["X-Request-ID"] == "edge-1234abcd"


@pytest.mark.parametrize(
    "sent", ["", "short", "has space in it", "x" * 65, "Jan Peeters\nforged line", "ünïcode-id-1"]
)
def test_a_malformed_request_id_is_replaced_by_a_new_one(client: Client, sent: str) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": sent} if sent else {})
    echoed = response["X-Request-ID"]
    assert echoed != sent and len(echoed) == 32 and request_id_from(echoed) == echoed


# --- What other code may put in a line is cut ---------------------------------------------------


def _record(name: str, msg: str, args: Any, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, exc_info)


def _raised(message: str) -> BaseException:
    try:
        try:
            raise KeyError(message)
        except KeyError as inner:
            raise ValueError(message) from inner
    except ValueError as error:
        return error


def test_an_exception_is_logged_as_its_type_and_stack_never_its_message() -> None:
    record = _record("django.request", "Internal Server Error: %s", ("/x/1/",), _raised("Jan P"))
    ContextFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    readable = ReadableFormatter().format(record)
    assert line["exception"] == "builtins.ValueError"
    assert "builtins.KeyError" in line["stack"]  # the cause, by its type too
    assert any("_raised" in frame for frame in line["stack"])
    assert "Jan P" not in json.dumps(line) and "Jan P" not in readable
    assert "builtins.ValueError" in readable


def test_celerys_task_raised_line_names_the_exceptions_type_only() -> None:
    error = _raised("Marleen Voorbeeld")
    record = _record(
        "celery.app.trace",
        "Task %(name)s[%(id)s] %(description)s: %(exc)s",
        {"name": "documents.tasks.render_document", "id": "abc", "description": "raised "
         "unexpected", "exc": repr(error)},
        error,
    )  # fmt: skip
    ContextFilter().filter(record)
    assert record.getMessage() == (
        "Task documents.tasks.render_document[abc] raised unexpected: ValueError"
    )


def test_runservers_request_line_keeps_the_path_not_the_query_string() -> None:
    record = _record(
        "django.server", '"%s" %s %s', ("GET /api/v1/cases/?search=Voorbeeld HTTP/1.1", 200, 5)
    )
    ContextFilter().filter(record)
    assert record.getMessage() == '"GET /api/v1/cases/ HTTP/1.1" 200 5'


def test_a_tasks_lines_carry_its_id() -> None:
    from config.celery import task_id_forgotten, task_id_logged

    task_id_logged(task_id="task-123")
    record = _record("documents.services", "Rendering document %s failed", (5,))
    ContextFilter().filter(record)
    task_id_forgotten()
    assert json.loads(JsonFormatter().format(record))["task_id"] == "task-123"


def test_every_line_goes_through_the_filtered_handler_none_through_djangos_own() -> None:
    """Django's default handlers (its console in DEBUG, runserver's, mail to ADMINS with the
    traceback) would write lines that skip the filter: the settings remove them."""
    for name in ("django", "django.server", "django.request"):
        logger = logging.getLogger(name)
        assert logger.handlers == [] and logger.propagate, name
    (console,) = logging.getLogger().handlers[:1]
    assert any(isinstance(f, ContextFilter) for f in console.filters)
