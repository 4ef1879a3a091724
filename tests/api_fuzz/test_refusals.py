"""The inputs the fuzz found answered 500, refused now with a 400 and their field's message, and
nothing written; and a URL under /api/ that no route matches answers the API's error body.

- An id beyond the 64-bit range overflowed the database's integer (SQLite: OverflowError,
  PostgreSQL: out of range): in a body (`defendants`, `debtor`, `case`…) and in a filter
  (`?case=`). Ids in requests are now whole numbers from 1 to 2**63 - 1.
- `?page_size=` that is not a whole number from 1 to 200 was silently replaced by the default.
- `/api/v1/claims/abc/` (the route takes a number) answered the portal's HTML page."""

from __future__ import annotations

import pytest
from django.test import Client

from claims.models import CivilClaim
from legalaid.models import AuditEvent
from tests.access import API, assert_error_body, client_for
from tests.cast import Cast

TOO_LARGE = 2**63  # one more than the largest 64-bit id


def test_an_id_too_large_in_a_body_is_refused_and_nothing_is_written(cast: Cast) -> None:
    before = (CivilClaim.objects.count(), AuditEvent.objects.count())

    response = client_for(cast.lawyer_a).post(
        f"{API}/cases/{cast.case_a.pk}/claims/",
        {"stage": "hearing", "defendants": [TOO_LARGE]},
        format="json",
    )

    error = assert_error_body(response, 400)
    assert list(error["fields"]) == ["defendants[0]"]
    assert (CivilClaim.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/designations/", {"case": TOO_LARGE, "lawyer": 1, "reason": "By hand"}, "case"),
        ("/documents/", {"case": TOO_LARGE, "kind": "designation_letter"}, "case"),
        ("/intake/", {"chosen_lawyer": TOO_LARGE}, "chosen_lawyer"),
    ],
)
def test_an_id_too_large_is_a_field_error(cast: Cast, path: str, body: dict, field: str) -> None:
    response = client_for(cast.office_a).post(f"{API}{path}", body, format="json")

    assert field in assert_error_body(response, 400)["fields"]


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("office_a", "/escalations/?case={}"),
        ("office_a", "/designations/?lawyer={}"),
        ("office_a", "/audit-events/?actor={}"),
        ("lawyer_a", "/evidence-items/?case={}"),
        ("lawyer_a", "/nonpunishment-records/?case={}"),
    ],
)
@pytest.mark.parametrize("value", [str(TOO_LARGE), "0", "1.5"])
def test_a_filter_takes_an_id_in_the_range_of_ids(
    cast: Cast, role: str, path: str, value: str
) -> None:
    response = client_for(getattr(cast, role)).get(f"{API}{path.format(value)}")

    name = path.split("?")[1].split("=")[0]
    assert list(assert_error_body(response, 400)["fields"]) == [name]


@pytest.mark.parametrize("size", ["abc", "0", "201", "1.5"])
def test_a_page_size_outside_1_to_200_is_refused(cast: Cast, size: str) -> None:
    response = client_for(cast.office_a).get(f"{API}/cases/?page_size={size}")

    assert list(assert_error_body(response, 400)["fields"]) == ["page_size"]


def test_a_page_size_in_range_is_the_page_size(cast: Cast) -> None:
    response = client_for(cast.office_a).get(f"{API}/cases/?page_size=1")

    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


@pytest.mark.parametrize("path", ["/claims/abc/", "/claims/-1/", "/no-such-thing/"])
def test_an_unrouted_api_url_answers_the_error_body(cast: Cast, path: str) -> None:
    response = client_for(cast.lawyer_a).get(f"{API}{path}")

    assert response["Content-Type"] == "application/json"
    assert_error_body(response, 404)


def test_an_unrouted_page_keeps_the_portal_page(db: None) -> None:
    response = Client(HTTP_HOST="127.0.0.1").get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
