"""The office's ways out of an escalation (propose any lawyer of its bar, or of another district or
bar with a cross-district override), and closing a case; each refusal writes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from legalaid.models import (
    AuditEvent,
    Case,
    CaseStatus,
    Designation,
    DesignationStatus,
    Escalation,
    User,
)
from tests.access import last_audit_id, legalaid_fingerprint, new_audit_rows
from tests.cast import Cast, make_case, make_lawyer

pytestmark = pytest.mark.django_db
PageClient = Callable[[User | None], Client]


@pytest.fixture
def escalated(cast: Cast) -> Case:
    """Both lawyers of office A's bar defend someone in the case: nobody of the bar can take it."""
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
    return case


@pytest.fixture
def brussels_dutch_speaker(cast: Cast) -> str:
    lawyer = make_lawyer(cast.office_b, cast.office_b_obj, "Bruno", languages=("nl", "fr"))
    return f"{lawyer.family_name}, {lawyer.given_name} — {lawyer.bar.name}"


def nothing_but_reads(since: int) -> bool:
    return {row[0] for row in new_audit_rows(since)} <= {"case.read_full"}


def test_the_escalation_says_why_and_offers_a_way_out(
    cast: Cast, page_client: PageClient, escalated: Case
) -> None:
    page = page_client(cast.office_a).get(f"/office/cases/{escalated.pk}/").content.decode()
    assert "Conflict of interest: represents or represented a defendant" in page
    assert "Designate a lawyer yourself" in page
    assert "Cross-district override" in page


def test_a_lawyer_of_another_bar_needs_the_cross_district_override(
    cast: Cast, page_client: PageClient, escalated: Case, brussels_dutch_speaker: str
) -> None:
    before, since = legalaid_fingerprint(with_audit=False), last_audit_id()
    response = page_client(cast.office_a).post(
        f"/office/cases/{escalated.pk}/designate/",
        {"lawyer": brussels_dutch_speaker, "reason": "Nobody of our bar is free of conflict."},
    )
    assert response.status_code == 400
    assert "needs a cross-district override" in response.content.decode()
    assert legalaid_fingerprint(with_audit=False) == before
    assert nothing_but_reads(since)


def test_a_cross_district_override_proposes_the_lawyer_and_is_audited(
    cast: Cast, page_client: PageClient, escalated: Case, brussels_dutch_speaker: str
) -> None:
    response = page_client(cast.office_a).post(
        f"/office/cases/{escalated.pk}/designate/",
        {
            "lawyer": brussels_dutch_speaker,
            "cross_district": "on",
            "reason": "Nobody of our bar is free of conflict.",
        },
    )
    assert response.status_code == 302
    designation = Designation.objects.get(case=escalated)
    assert designation.status == DesignationStatus.PROPOSED
    assert designation.lawyer.bar_id == cast.office_b_obj.bar_id
    assert designation.explanation["override"]["cross_district"] is True
    assert "does_not_serve_district" in designation.explanation["override"]["waived"]
    override = AuditEvent.objects.get(action="designation.cross_district_override")
    assert override.actor == cast.office_a
    assert override.case_id == escalated.pk
    assert not Escalation.objects.filter(case=escalated, resolved_at__isnull=True).exists()


def test_a_conflict_of_interest_binds_even_a_cross_district_override(
    cast: Cast, page_client: PageClient, escalated: Case
) -> None:
    name = f"{cast.panel_a.family_name}, {cast.panel_a.given_name}"
    before, since = legalaid_fingerprint(with_audit=False), last_audit_id()
    response = page_client(cast.office_a).post(
        f"/office/cases/{escalated.pk}/designate/",
        {"lawyer": name, "cross_district": "on", "reason": "Try anyway."},
    )
    assert response.status_code == 400
    assert "Conflict of interest" in response.content.decode()
    assert legalaid_fingerprint(with_audit=False) == before
    assert nothing_but_reads(since)


@pytest.mark.parametrize(
    ("data", "field"),
    [({"lawyer": "Nobody Known", "reason": "x"}, "designate-lawyer"),
     ({"lawyer": "", "reason": "x"}, "designate-lawyer"),
     ({"lawyer": "X", "reason": ""}, "designate-reason")],
)  # fmt: skip
def test_a_refused_designation_form_names_its_field(
    cast: Cast, page_client: PageClient, escalated: Case, data: dict[str, str], field: str
) -> None:
    before = legalaid_fingerprint(with_audit=False)
    response = page_client(cast.office_a).post(f"/office/cases/{escalated.pk}/designate/", data)
    assert response.status_code == 400
    assert f'href="#{field}"' in response.content.decode()
    assert legalaid_fingerprint(with_audit=False) == before


def test_the_api_takes_the_cross_district_override_too(
    cast: Cast, escalated: Case, brussels_dutch_speaker: str
) -> None:
    from legalaid.models import Lawyer

    lawyer = Lawyer.objects.get(given_name="Bruno")
    client = APIClient()
    client.force_authenticate(cast.office_a)
    body = {"case": escalated.pk, "lawyer": lawyer.pk, "reason": "No one free of conflict."}

    refused = client.post("/api/v1/designations/", body, format="json")
    accepted = client.post("/api/v1/designations/", {**body, "cross_district": True}, format="json")

    assert refused.status_code == 400  # another bar's lawyer: "No such lawyer."
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["lawyer"] == lawyer.pk


def test_the_office_closes_a_case_with_a_reason(cast: Cast, page_client: PageClient) -> None:
    client = page_client(cast.office_a)
    url = f"/office/cases/{cast.case_a2.pk}/"

    response = client.post(url + "close/", {"reason": "The victim moved abroad for good."})

    assert response.status_code == 302
    cast.case_a2.refresh_from_db()
    assert cast.case_a2.status == CaseStatus.CLOSED
    assert "The victim moved abroad for good." in client.get(url).content.decode()


def test_closing_without_a_reason_is_refused(cast: Cast, page_client: PageClient) -> None:
    before = legalaid_fingerprint(with_audit=False)
    response = page_client(cast.office_a).post(
        f"/office/cases/{cast.case_a2.pk}/close/", {"reason": ""}
    )
    assert response.status_code == 400
    assert 'href="#close-reason"' in response.content.decode()
    assert legalaid_fingerprint(with_audit=False) == before


def test_another_offices_case_cannot_be_closed(cast: Cast, page_client: PageClient) -> None:
    response = page_client(cast.office_b).post(
        f"/office/cases/{cast.case_a2.pk}/close/", {"reason": "Not ours."}
    )
    assert response.status_code == 404
    cast.case_a2.refresh_from_db()
    assert cast.case_a2.status != CaseStatus.CLOSED
