"""The bar's panel of lawyers, kept by office staff: creation, changes and leave, each audited;
refused input writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from legalaid.models import AuditEvent, Lawyer, LeavePeriod
from legalaid.services.lawyers import lawyer_update
from tests.cast import Cast

URL = "/api/v1/lawyers/"
REFUSED = "The request was refused: see the field messages."


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def new_lawyer(**overrides: Any) -> dict[str, Any]:
    return {
        "given_name": "Dirk",
        "family_name": "Declercq",
        "email": "dirk.declercq@example.be",
        "phone": "+32 3 123 45 67",
        "languages": ["nl", "fr"],
        "districts": ["antwerpen", "limburg"],
        "matters": ["youth", "victims"],
        "youth_certified": True,
        "capacity": 4,
        **overrides,
    }


def counts() -> dict[str, int]:
    return {
        "lawyers": Lawyer.objects.count(),
        "leaves": LeavePeriod.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def refused(fields: dict[str, list[str]]) -> dict[str, Any]:
    return {"error": {"status": 400, "code": "invalid", "message": REFUSED, "fields": fields}}


def test_office_staff_add_a_lawyer_to_their_bars_panel_with_an_audit_row(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).post(URL, new_lawyer(), format="json")

    assert response.status_code == 201
    lawyer = Lawyer.objects.get(pk=response.json()["id"])
    assert response.json() == {
        "id": lawyer.pk,
        "bar": cast.office_a_obj.bar_id,
        "given_name": "Dirk",
        "family_name": "Declercq",
        "email": "dirk.declercq@example.be",
        "phone": "+32 3 123 45 67",
        "languages": ["fr", "nl"],
        "districts": ["antwerpen", "limburg"],
        "matters": ["victims", "youth"],
        "youth_certified": True,
        "capacity": 4,
        "active": True,
        "leaves": [],
    }
    assert counts() == {**before, "lawyers": before["lawyers"] + 1, "audit": before["audit"] + 1}
    row = AuditEvent.objects.get(action="lawyer.create", target_id=str(lawyer.pk))
    assert (row.actor, row.office_id, row.target_type) == (
        cast.office_a,
        cast.office_a_obj.pk,
        "legalaid.lawyer",
    )
    assert row.changes == {
        "active": [None, True],
        "bar": [None, cast.office_a_obj.bar_id],
        "capacity": [None, 4],
        "districts": [None, ["antwerpen", "limburg"]],
        "email": [None, "dirk.declercq@example.be"],
        "family_name": [None, "Declercq"],
        "given_name": [None, "Dirk"],
        "languages": [None, ["fr", "nl"]],
        "matters": [None, ["victims", "youth"]],
        "phone": [None, "+32 3 123 45 67"],
        "youth_certified": [None, True],
    }


PANEL_REFUSALS = {
    "negative capacity": (
        new_lawyer(capacity=-1),
        {"capacity": ["Ensure this value is greater than or equal to 0."]},
    ),
    "no language": (
        new_lawyer(languages=[]),
        {"languages": ["A lawyer speaks at least one language."]},
    ),
    "no district": (
        new_lawyer(districts=[]),
        {"districts": ["A lawyer serves at least one district."]},
    ),
    "unknown district": (
        new_lawyer(districts=["atlantis"]),
        {"districts": ["Object with code=atlantis does not exist."]},
    ),
}


@pytest.mark.parametrize(("body", "fields"), PANEL_REFUSALS.values(), ids=PANEL_REFUSALS.keys())
def test_a_refused_lawyer_answers_400_and_writes_nothing(
    cast: Cast, body: dict[str, Any], fields: dict[str, list[str]]
) -> None:
    before = counts()

    response = client_for(cast.office_a).post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json() == refused(fields)
    assert counts() == before


def test_a_leave_period_is_added_with_an_audit_row(cast: Cast) -> None:
    starts = timezone.localdate() + dt.timedelta(days=10)
    ends = starts + dt.timedelta(days=14)
    before = counts()

    response = client_for(cast.office_a).post(
        f"{URL}{cast.panel_a.pk}/leaves/",
        {"starts_on": starts.isoformat(), "ends_on": ends.isoformat(), "note": " Holiday "},
        format="json",
    )

    assert response.status_code == 201
    leave = LeavePeriod.objects.get(pk=response.json()["id"])
    assert (leave.lawyer, leave.starts_on, leave.ends_on, leave.note) == (
        cast.panel_a,
        starts,
        ends,
        "Holiday",
    )
    assert counts() == {**before, "leaves": before["leaves"] + 1, "audit": before["audit"] + 1}
    assert AuditEvent.objects.get(action="leave.create").changes == {
        "ends_on": [None, ends.isoformat()],
        "lawyer": [None, cast.panel_a.pk],
        "note": [None, "Holiday"],
        "starts_on": [None, starts.isoformat()],
    }


def test_a_leave_period_ending_before_it_starts_is_refused_and_writes_nothing(
    cast: Cast,
) -> None:
    starts = timezone.localdate() + dt.timedelta(days=10)
    before = counts()

    response = client_for(cast.office_a).post(
        f"{URL}{cast.panel_a.pk}/leaves/",
        {"starts_on": starts.isoformat(), "ends_on": (starts - dt.timedelta(days=1)).isoformat()},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == refused({"ends_on": ["A leave period cannot end before it starts."]})
    assert counts() == before


def test_patching_a_lawyer_records_old_and_new_values_in_the_audit_trail(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).patch(
        f"{URL}{cast.panel_a2.pk}/",
        {"capacity": 8, "languages": ["nl", "fr"], "phone": "+32 3 765 43 21"},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["capacity"], body["languages"], body["phone"]) == (
        8,
        ["fr", "nl"],
        "+32 3 765 43 21",
    )
    cast.panel_a2.refresh_from_db()
    assert cast.panel_a2.capacity == 8
    assert sorted(cast.panel_a2.languages.values_list("code", flat=True)) == ["fr", "nl"]
    assert counts() == {**before, "audit": before["audit"] + 1}
    row = AuditEvent.objects.get(action="lawyer.update")
    assert (row.actor, row.office_id, row.target_id) == (
        cast.office_a,
        cast.office_a_obj.pk,
        str(cast.panel_a2.pk),
    )
    assert row.changes == {
        "capacity": [5, 8],
        "languages": [["nl"], ["fr", "nl"]],
        "phone": ["", "+32 3 765 43 21"],
    }


def test_a_refused_patch_changes_nothing(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).patch(
        f"{URL}{cast.panel_a2.pk}/", {"capacity": -3, "given_name": "Changed"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == refused(
        {"capacity": ["Ensure this value is greater than or equal to 0."]}
    )
    cast.panel_a2.refresh_from_db()
    assert (cast.panel_a2.capacity, cast.panel_a2.given_name) == (5, "Bert")
    assert counts() == before


def test_office_staff_cannot_patch_another_bars_lawyer(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).patch(
        f"{URL}{cast.panel_b.pk}/", {"capacity": 1}, format="json"
    )

    assert response.status_code == 404
    assert response.json() == {
        "error": {"status": 404, "code": "not_found", "message": "No such lawyer.", "fields": {}}
    }
    cast.panel_b.refresh_from_db()
    assert cast.panel_b.capacity == 5
    assert counts() == before


def test_the_update_service_refuses_emptying_languages_and_changes_nothing(cast: Cast) -> None:
    before = counts()

    with pytest.raises(ValidationError) as refusal:
        lawyer_update(actor=cast.office_a, lawyer=cast.panel_a, capacity=9, languages=[])

    assert refusal.value.message_dict == {"languages": ["Languages cannot be empty."]}
    cast.panel_a.refresh_from_db()
    assert cast.panel_a.capacity == 5
    assert counts() == before
