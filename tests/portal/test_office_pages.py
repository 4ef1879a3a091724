"""The office's pages: who may open them, what they show, and every refusal of the intake form
(the form again with field messages, nothing written)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from legalaid.models import (
    AuditEvent,
    Designation,
    DesignationStatus,
    Escalation,
    Party,
    User,
)
from legalaid.services.designations import designation_decline
from tests.access import legalaid_fingerprint
from tests.cast import Cast, cases_of_victim, make_case

pytestmark = pytest.mark.django_db
PageClient = Callable[[User | None], Client]


def valid_intake(**changes: Any) -> dict[str, str]:
    data = {
        "given_names": "Nina",
        "family_name": "Testkind",
        "date_of_birth": "2011-04-02",
        "national_number": "",
        "nationality": "BE",
        "victim_language": "nl",
        "district": "antwerpen",
        "language": "",
        "chosen_lawyer": "",
        "facts_started_on": "",
        "prosecutor_notice_number": "",
        "adult_at_intake_reason": "",
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
        "parties-0-role": "pimp",
        "parties-0-full_name": "Rik Ronselaar",
        "parties-0-aliases": "Rikky",
        "parties-0-handles": "@rikky_r",
    }
    data.update(changes)
    return data


# --- Who may open the office's pages --------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("office_a", 200), ("admin", 200), ("lawyer_a", 403), ("guardian_a", 403), ("outsider", 403)],
)
@pytest.mark.parametrize("path", ["/office/", "/office/intake/"])
def test_office_pages_answer_office_staff_and_administrators_only(
    cast: Cast, page_client: PageClient, role: str, status: int, path: str
) -> None:
    assert page_client(getattr(cast, role)).get(path).status_code == status


def test_a_signed_out_visitor_is_sent_to_the_sign_in_page(cast: Cast, page_client: PageClient):
    response = page_client(None).get(f"/office/cases/{cast.case_a.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("role", "case", "status"),
    [
        ("office_a", "case_a", 200),
        ("office_a", "case_b", 404),
        ("office_b", "case_a", 404),
        ("admin", "case_b", 200),
        ("lawyer_a", "case_a", 403),
        ("guardian_a", "case_a", 403),
    ],
)
def test_a_case_page_answers_only_the_cases_office_and_administrators(
    cast: Cast, page_client: PageClient, role: str, case: str, status: int
) -> None:
    pk = getattr(cast, case).pk
    before = AuditEvent.objects.filter(action="case.read_full").count()

    response = page_client(getattr(cast, role)).get(f"/office/cases/{pk}/")

    assert response.status_code == status
    reads = AuditEvent.objects.filter(action="case.read_full").count() - before
    assert reads == (1 if status == 200 else 0)


def test_a_missing_case_answers_404(cast: Cast, page_client: PageClient) -> None:
    assert page_client(cast.office_a).get("/office/cases/999999/").status_code == 404


# --- Home ------------------------------------------------------------------------------------


def test_home_lists_the_proposals_awaiting_acceptance_with_the_time_left(
    cast: Cast, page_client: PageClient
) -> None:
    page = page_client(cast.office_a).get("/office/").content.decode()
    assert cast.case_a2.reference in page  # proposed to lawyer_a2
    assert cast.case_a.reference not in page  # accepted
    assert cast.case_b.reference not in page  # another office
    assert " left</strong>" in page


def test_home_lists_escalated_cases_with_their_reasons_in_sentences(
    cast: Cast, page_client: PageClient
) -> None:
    case = make_case(
        cast.office_a,
        cast.office_a_obj,
        auto_designate=True,
        parties=[
            {"role": "pimp", "full_name": "Esca Lated", "represented_by": cast.panel_a},
            {"role": "client", "full_name": "Cli Ent", "represented_by": cast.panel_a2},
        ],
    )
    assert Escalation.objects.filter(case=case, resolved_at__isnull=True).exists()

    page = page_client(cast.office_a).get("/office/").content.decode()

    assert case.reference in page
    assert "Conflict of interest: represents or represented a defendant" in page
    assert "conflict_of_interest" not in page  # no reason codes


def test_home_lists_proposals_declined_in_the_last_30_days(
    cast: Cast, page_client: PageClient
) -> None:
    designation_decline(
        actor=cast.lawyer_a2, designation=cast.designation_a2, reason="Hearing abroad that week."
    )
    page = page_client(cast.office_a).get("/office/").content.decode()
    assert "Hearing abroad that week." in page


def test_home_costs_the_same_queries_whatever_the_number_of_cases(
    cast: Cast, page_client: PageClient, django_assert_max_num_queries: Any
) -> None:
    client = page_client(cast.office_a)
    with django_assert_max_num_queries(30) as few:
        client.get("/office/")
    for _ in range(4):
        make_case(
            cast.office_a,
            cast.office_a_obj,
            auto_designate=True,
            parties=[{"role": "pimp", "full_name": "P", "represented_by": cast.panel_a}],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/office/")


# --- Intake ----------------------------------------------------------------------------------


def test_an_intake_designates_a_lawyer_and_the_case_page_says_why(
    cast: Cast, page_client: PageClient
) -> None:
    client = page_client(cast.office_a)

    response = client.post("/office/intake/", valid_intake())

    assert response.status_code == 302
    case = cases_of_victim("Testkind")[0]
    assert response["Location"] == f"/office/cases/{case.pk}/"
    assert Party.objects.get(case=case).defendant.full_name == "Rik Ronselaar"
    designation = Designation.objects.get(case=case)
    assert designation.status == DesignationStatus.PROPOSED
    page = client.get(response["Location"]).content.decode()
    assert "Why this lawyer" in page
    assert f"Chosen: {designation.lawyer.given_name} {designation.lawyer.family_name}" in page
    assert "lawyers considered" in page


def test_an_intake_without_defendants_leaves_the_empty_row_out(
    cast: Cast, page_client: PageClient
) -> None:
    empty_row = {f"parties-0-{name}": "" for name in ("role", "full_name", "aliases", "handles")}
    response = page_client(cast.office_a).post("/office/intake/", valid_intake(**empty_row))
    assert response.status_code == 302
    assert not Party.objects.filter(case__in=cases_of_victim("Testkind")).exists()


def test_the_minors_chosen_lawyer_is_found_by_name(cast: Cast, page_client: PageClient) -> None:
    name = f"{cast.panel_a2.family_name}, {cast.panel_a2.given_name}"
    client = page_client(cast.office_a)

    response = client.post("/office/intake/", valid_intake(chosen_lawyer=name))

    case = cases_of_victim("Testkind")[0]
    assert response.status_code == 302
    assert case.chosen_lawyer == cast.panel_a2


def refused(client: Client, data: dict[str, str]) -> str:
    before = legalaid_fingerprint()
    response = client.post("/office/intake/", data)
    assert response.status_code == 400
    assert legalaid_fingerprint() == before  # nothing written, no audit row
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "<title>Error:" in page
    return page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"given_names": ""}, "id_given_names", "This field is required."),
        ({"date_of_birth": "not a date"}, "id_date_of_birth", "Enter a valid date."),
        ({"nationality": "Belgian"}, "id_nationality", "Give a two-letter country code"),
        ({"district": "atlantis"}, "id_district", "Select a valid choice."),
        ({"parties-0-full_name": ""}, "id_parties-0-full_name", "This field is required."),
        ({"chosen_lawyer": "Nobody Known"}, "id_chosen_lawyer", "No active lawyer of the panel"),
    ],
)
def test_a_refused_field_shows_the_form_again_with_its_message_and_writes_nothing(
    cast: Cast, page_client: PageClient, changes: dict[str, str], field: str, message: str
) -> None:
    page = refused(page_client(cast.office_a), valid_intake(**changes))
    assert message in page
    assert f'href="#{field}"' in page  # the summary links to the field
    assert f'id="{field}"' in page


def test_a_services_refusal_lands_on_its_field(cast: Cast, page_client: PageClient) -> None:
    page = refused(
        page_client(cast.office_a),
        valid_intake(national_number="85073100371", date_of_birth="2011-04-02"),
    )
    assert 'href="#id_national_number"' in page
    assert cases_of_victim("Testkind") == []


def test_brussels_asks_for_the_language_of_the_proceedings(
    cast: Cast, page_client: PageClient
) -> None:
    page = refused(page_client(cast.office_a), valid_intake(district="brussel"))
    assert 'href="#id_language"' in page
    assert "no single language of proceedings" in page


def test_adding_a_defendant_row_writes_nothing(cast: Cast, page_client: PageClient) -> None:
    before = legalaid_fingerprint()
    response = page_client(cast.office_a).post(
        "/office/intake/", valid_intake(add_party="1", given_names="")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="parties-1-full_name"' in page
    assert 'value="Rik Ronselaar"' in page
    assert "error-summary" not in page
    assert legalaid_fingerprint() == before


@pytest.mark.parametrize(
    ("district", "selected", "required"),
    [("antwerpen", "nl", False), ("luik", "fr", False), ("brussel", None, True)],
)
def test_the_language_follows_the_district(
    cast: Cast, page_client: PageClient, district: str, selected: str | None, required: bool
) -> None:
    response = page_client(cast.office_a).get(
        f"/office/intake/language/?district={district}", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert (f'value="{selected}" selected' in html) if selected else (" selected" not in html)
    assert (" required" in html) == required


# --- Languages -------------------------------------------------------------------------------


def test_the_chosen_language_is_remembered_on_the_user(cast: Cast, page_client: PageClient):
    client = page_client(cast.office_a)

    response = client.post("/language/", {"language": "fr", "next": "/office/"})

    assert response["Location"] == "/office/"
    cast.office_a.refresh_from_db()
    assert cast.office_a.language == "fr"
    page = client.get("/office/").content.decode()
    assert '<html lang="fr">' in page
    assert "En attente de l'acceptation de l'avocat" in page


def test_a_staff_member_cannot_choose_german_and_nothing_changes(cast: Cast, page_client):
    response = page_client(cast.office_a).post("/language/", {"language": "de", "next": "/"})
    assert response.status_code == 400
    cast.office_a.refresh_from_db()
    assert cast.office_a.language == ""


def test_the_browsers_language_is_the_default(cast: Cast, page_client: PageClient) -> None:
    page = page_client(cast.office_a).get("/office/", HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9")
    assert '<html lang="nl">' in page.content.decode()
    assert "Wacht op aanvaarding door de advocaat" in page.content.decode()


def test_the_language_switch_refuses_a_foreign_next_address(cast: Cast, page_client) -> None:
    response = page_client(cast.office_a).post(
        "/language/", {"language": "nl", "next": "https://elsewhere.example/"}
    )
    assert response["Location"] == "/"
