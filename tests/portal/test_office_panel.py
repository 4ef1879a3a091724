"""The office's panel pages: the filtered list, a lawyer's page with its two forms, the import
of the yearly list (a preview with each line's errors, then all or nothing), and fairness."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from legalaid.models import AuditEvent, Lawyer, LeavePeriod, User
from legalaid.services.panel_import import TEMPLATE
from tests.access import legalaid_fingerprint
from tests.cast import Cast, make_lawyer

pytestmark = pytest.mark.django_db
PageClient = Callable[[User | None], Client]

HEADER = "given_name;family_name;email;phone;languages;districts;matters;capacity;youth_certified"


def csv_file(*lines: str, header: str = HEADER) -> SimpleUploadedFile:
    return SimpleUploadedFile("list.csv", ("\n".join([header, *lines]) + "\n").encode("utf-8"))


# --- The list --------------------------------------------------------------------------------


def test_the_panel_lists_the_own_bars_lawyers_only(cast: Cast, page_client: PageClient) -> None:
    page = page_client(cast.office_a).get("/office/panel/").content.decode()
    assert f"{cast.panel_a.family_name}, {cast.panel_a.given_name}" in page
    assert f"{cast.panel_b.family_name}, {cast.panel_b.given_name}" not in page


@pytest.mark.parametrize(
    ("query", "shown"),
    [("language=fr", False), ("language=nl", True), ("load=full", False), ("load=room", True)],
)
def test_the_panel_filters_by_language_and_load(
    cast: Cast, page_client: PageClient, query: str, shown: bool
) -> None:
    page = page_client(cast.office_a).get(f"/office/panel/?{query}").content.decode()
    assert (f"{cast.panel_a.family_name}, {cast.panel_a.given_name}" in page) == shown


def test_the_panel_costs_the_same_queries_whatever_its_length(
    cast: Cast, page_client: PageClient, django_assert_max_num_queries: Any
) -> None:
    client = page_client(cast.office_a)
    with django_assert_max_num_queries(40) as first:
        client.get("/office/panel/")
    for number in range(6):
        make_lawyer(cast.office_a, cast.office_a_obj, f"Extra{number}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/office/panel/")


@pytest.mark.parametrize(("role", "status"), [("lawyer_a", 403), ("guardian_a", 403)])
def test_the_panel_is_the_offices(cast: Cast, page_client: PageClient, role: str, status: int):
    assert page_client(getattr(cast, role)).get("/office/panel/").status_code == status


def test_another_bars_lawyer_answers_404(cast: Cast, page_client: PageClient) -> None:
    response = page_client(cast.office_a).get(f"/office/panel/{cast.panel_b.pk}/")
    assert response.status_code == 404


# --- A lawyer's page -------------------------------------------------------------------------


def lawyer_post(lawyer: Lawyer, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "capacity": "7",
        "active": "on",
        "languages": [item.pk for item in lawyer.languages.all()],
        "districts": [item.pk for item in lawyer.districts.all()],
        "matters": [item.pk for item in lawyer.matters.all()],
    }
    data.update(changes)
    return data


def test_the_office_changes_a_lawyers_capacity(cast: Cast, page_client: PageClient) -> None:
    url = f"/office/panel/{cast.panel_a.pk}/"
    response = page_client(cast.office_a).post(url + "edit/", lawyer_post(cast.panel_a))
    assert response.status_code == 302
    cast.panel_a.refresh_from_db()
    assert cast.panel_a.capacity == 7
    assert AuditEvent.objects.filter(action="lawyer.update", actor=cast.office_a).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"capacity": "-1"}, "id_capacity"), ({"languages": []}, "id_languages")],
)
def test_a_refused_change_of_a_lawyer_writes_nothing(
    cast: Cast, page_client: PageClient, changes: dict[str, Any], field: str
) -> None:
    before = legalaid_fingerprint()
    response = page_client(cast.office_a).post(
        f"/office/panel/{cast.panel_a.pk}/edit/", lawyer_post(cast.panel_a, **changes)
    )
    assert response.status_code == 400
    assert f'href="#{field}' in response.content.decode()
    assert legalaid_fingerprint() == before


def test_a_leave_period_is_added_and_one_ending_before_it_starts_is_refused(
    cast: Cast, page_client: PageClient
) -> None:
    client = page_client(cast.office_a)
    url = f"/office/panel/{cast.panel_a.pk}/leave/"
    refused = client.post(url, {"starts_on": "2027-02-10", "ends_on": "2027-02-01"})
    assert refused.status_code == 400
    assert "cannot end before it starts" in refused.content.decode()
    assert not LeavePeriod.objects.exists()

    added = client.post(url, {"starts_on": "2027-02-01", "ends_on": "2027-02-10", "note": "Ski"})

    assert added.status_code == 302
    assert LeavePeriod.objects.get().lawyer == cast.panel_a


# --- The import of the yearly list ----------------------------------------------------------


def test_the_template_can_be_downloaded(cast: Cast, page_client: PageClient) -> None:
    response = page_client(cast.office_a).get("/office/panel/import/template.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode() == TEMPLATE


def test_a_file_with_a_bad_line_is_refused_line_by_line_and_nothing_is_imported(
    cast: Cast, page_client: PageClient
) -> None:
    before = legalaid_fingerprint()
    response = page_client(cast.office_a).post(
        "/office/panel/import/",
        {
            "file": csv_file(
                "Lies;Nieuw;lies@example.be;;nl;antwerpen;youth;5;yes",
                "Tom;Fout;not-an-address;;xx;antwerpen;youth;lots;maybe",
            )
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Line 3, column email: Not an e-mail address." in page
    assert "Line 3, column languages: Unknown code(s): xx." in page
    assert "Line 3, column capacity" in page
    assert "Line 3, column youth_certified" in page
    assert "Import the list" not in page  # no way to confirm
    assert legalaid_fingerprint() == before


def test_a_good_file_is_previewed_then_imported_all_at_once(
    cast: Cast, page_client: PageClient
) -> None:
    client = page_client(cast.office_a)
    kept = cast.panel_a
    lines = (
        f"{kept.given_name};{kept.family_name};{kept.email.upper()};;nl fr;antwerpen;youth;9;no",
        "Lies;Nieuw;lies@example.be;+32 3 111 11 11;nl;antwerpen limburg;youth victims;5;yes",
    )
    before = legalaid_fingerprint()

    preview = client.post("/office/panel/import/", {"file": csv_file(*lines)})

    assert preview.status_code == 200
    assert legalaid_fingerprint() == before  # the preview writes nothing
    page = preview.content.decode()
    assert "1 new, 1 updated" in page
    sha = preview.context["sha256"]

    done = client.post("/office/panel/import/confirm/", {"sha256": sha})

    assert done.status_code == 302
    kept.refresh_from_db()
    assert kept.capacity == 9
    new = Lawyer.objects.get(email="lies@example.be")
    assert sorted(new.districts.values_list("pk", flat=True)) == ["antwerpen", "limburg"]
    gone = Lawyer.objects.get(pk=cast.panel_a2.pk)
    assert gone.active is False  # not on the new list
    event = AuditEvent.objects.get(action="panel.import")
    assert event.changes["created"] == [None, 1]
    assert event.changes["deactivated"] == [None, 1]


def test_a_confirmation_without_the_previewed_file_imports_nothing(
    cast: Cast, page_client: PageClient
) -> None:
    before = legalaid_fingerprint()
    response = page_client(cast.office_a).post("/office/panel/import/confirm/", {"sha256": "0"})
    assert response.status_code == 302
    assert response["Location"] == "/office/panel/import/"
    assert legalaid_fingerprint() == before


def test_a_file_without_the_columns_is_refused_on_the_file_field(
    cast: Cast, page_client: PageClient
) -> None:
    response = page_client(cast.office_a).post(
        "/office/panel/import/", {"file": csv_file("a;b", header="name;mail")}
    )
    assert response.status_code == 400
    assert "missing: given_name, family_name, email" in response.content.decode()


# --- Fairness --------------------------------------------------------------------------------


def test_fairness_shows_a_chart_the_spread_and_a_csv(cast: Cast, page_client: PageClient):
    client = page_client(cast.office_a)
    page = client.get("/office/fairness/").content.decode()
    assert '<svg class="chart" role="img"' in page
    assert "Gini" in page
    name = f"{cast.panel_a.family_name}, {cast.panel_a.given_name}"
    assert name in page

    csv_response = client.get("/office/fairness.csv?since=2020-01-01&until=2030-12-31")

    assert csv_response.status_code == 200
    rows = csv_response.content.decode().splitlines()
    assert rows[0] == "lawyer;capacity;open_load;designated_in_period;accepted_in_period"
    assert any(row.startswith(name + ";") for row in rows[1:])


def test_fairness_refuses_a_period_that_ends_before_it_starts(cast: Cast, page_client):
    response = page_client(cast.office_a).get("/office/fairness/?since=2026-05-01&until=2026-01-01")
    assert response.status_code == 400
    assert "cannot end before it starts" in response.content.decode()
