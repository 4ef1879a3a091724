"""The API's last answer to an integrity error that no service turned into a domain error (two
requests writing the same record at the same moment): 409 with a plain sentence, never a 500,
never the database's message (it may quote the row's values: personal data), and nothing the
request wrote remains.

No route reaches an integrity error any more (services turn their constraints' errors into
conflicts, `full_clean` checks the rest), so these tests make the database refuse a real row — a
second first record of one person, what two parallel intakes used to write — and hand that
exception to the handler DRF is configured with, as DRF does."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from rest_framework.response import Response

from legalaid.api.errors import CONCURRENT_CHANGE
from legalaid.api.views import IntakeView
from legalaid.audit import audit_record
from legalaid.models import AuditEvent, Case, District, Language, Role, User, Victim
from legalaid.national_number import national_number_for
from legalaid.services.cases import case_intake
from tests.cast import make_office, make_user

CONFLICT = {
    "error": {"status": 409, "code": "conflict", "message": CONCURRENT_CHANGE, "fields": {}}
}


def counts() -> dict[str, int]:
    return {
        "victims": Victim.objects.count(),
        "cases": Case.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@transaction.atomic
def intake_that_missed_the_first_record(*, actor: User, first: Victim) -> None:
    """What the second of two parallel intakes of one person did before they were serialised: it
    wrote part of its work (an audit row), then a second first record with the same national
    number."""
    audit_record(actor=actor, action="victim.create", target=first)
    Victim.objects.create(
        pseudonym="V-TWIN01",
        given_names=first.given_names,
        family_name=first.family_name,
        date_of_birth=first.date_of_birth,
        national_number=first.national_number,
        national_number_index=first.national_number_index,
        person_index=first.person_index,
        language=first.language,
    )


def answer(error: IntegrityError) -> Response:
    view = IntakeView()
    handler = view.get_exception_handler()  # the one in settings.REST_FRAMEWORK
    response = handler(error, {"view": view, "args": (), "kwargs": {}, "request": None})
    assert response is not None
    return response


@pytest.fixture
def staff(db: None) -> User:
    return make_user("staff", Role.OFFICE, make_office("Errors", "antwerpen"))


@pytest.fixture
def first(staff: User) -> Victim:
    born = timezone.localdate() - dt.timedelta(days=15 * 365)
    return case_intake(
        actor=staff,
        office=staff.office,  # type: ignore[arg-type]
        given_names="Eva",
        family_name="Twin",
        date_of_birth=born,
        national_number=national_number_for(born, 77),
        victim_language=Language.objects.get(pk="nl"),
        district=District.objects.get(pk="antwerpen"),
        auto_designate=False,
    ).victim


@pytest.mark.django_db
def test_an_integrity_error_answers_409_with_a_plain_sentence_and_no_database_text(
    staff: User, first: Victim, caplog: pytest.LogCaptureFixture
) -> None:
    number = first.national_number
    assert number
    before = counts()

    with pytest.raises(IntegrityError) as raised:
        intake_that_missed_the_first_record(actor=staff, first=first)
    with caplog.at_level(logging.WARNING, logger="legalaid.api.errors"):
        response = answer(raised.value)

    assert response.status_code == 409
    assert response.data == CONFLICT
    database_text = [
        text
        for text in (number, "national_number", "legalaid_victim", "duplicate", "UNIQUE")
        if text in str(raised.value)
    ]
    assert database_text  # the database did say something the answer must not repeat
    body = json.dumps(response.data)
    assert [text for text in database_text if text in body] == []
    assert counts() == before  # the service's transaction was rolled back: no audit row either
    constraint = "national_number_unique_per_person" if connection.vendor == "postgresql" else None
    assert caplog.messages == [
        "Integrity error answered 409 (a concurrent change?): "
        f"constraint {constraint or 'unknown'} in IntakeView"
    ]


@pytest.mark.django_db
def test_with_atomic_requests_an_integrity_error_rolls_back_what_the_request_wrote_before(
    staff: User, first: Victim, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    before = counts()

    with transaction.atomic():  # the request's transaction, as Django opens it
        audit_record(actor=staff, action="case.read_full", target=first)  # before the service
        with pytest.raises(IntegrityError) as raised:
            intake_that_missed_the_first_record(actor=staff, first=first)
        response = answer(raised.value)

    assert (response.status_code, response.data) == (409, CONFLICT)
    assert counts() == before
