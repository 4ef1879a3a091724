"""Manual designation of a lawyer (DOMAIN.md section 4): the office proposes, the lawyer accepts
before the deadline or declines with a reason, the office may withdraw. Every step leaves a
status-history row and an audit row; a refused step leaves nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from legalaid.models import (
    AuditEvent,
    Case,
    CaseStatus,
    Designation,
    DesignationEvent,
    DesignationMethod,
    DesignationStatus,
    District,
    Language,
    Lawyer,
    Matter,
    PartyRole,
)
from legalaid.services.designations import (
    designation_accept,
    designation_decline,
    designation_propose,
    designation_withdraw,
)
from legalaid.services.lawyers import lawyer_create, lawyer_update, leave_period_add
from legalaid.services.parties import party_add
from tests.cast import Cast, make_case, make_lawyer

URL = "/api/v1/designations/"
REFUSED = "The request was refused: see the field messages."


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def counts() -> dict[str, int]:
    return {
        "designations": Designation.objects.count(),
        "events": DesignationEvent.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def refused(fields: dict[str, list[str]]) -> dict[str, Any]:
    return {"error": {"status": 400, "code": "invalid", "message": REFUSED, "fields": fields}}


def conflict(message: str) -> dict[str, Any]:
    return {"error": {"status": 409, "code": "conflict", "message": message, "fields": {}}}


def history(designation: Designation) -> list[tuple[str, str, str | None, str]]:
    return [
        (
            event.from_status,
            event.to_status,
            event.actor.username if event.actor else None,
            event.reason,
        )
        for event in designation.events.order_by("id")
    ]


def audit_of(designation: Designation) -> list[tuple[str, str | None, dict[str, Any]]]:
    rows = AuditEvent.objects.filter(
        target_type="legalaid.designation", target_id=str(designation.pk)
    ).order_by("id")
    return [(row.action, row.actor.username if row.actor else None, row.changes) for row in rows]


def fresh_case(cast: Cast) -> Case:
    return make_case(cast.office_a, cast.office_a_obj)


# --- The whole path: propose, accept ---------------------------------------------------------


def test_office_proposes_and_the_lawyer_accepts_so_the_case_has_its_lawyer(cast: Cast) -> None:
    case = fresh_case(cast)

    proposed = client_for(cast.office_a).post(
        URL, {"case": case.pk, "lawyer": cast.panel_a2.pk, "reason": "Speaks Arabic"}, format="json"
    )

    assert proposed.status_code == 201
    designation = Designation.objects.get(pk=proposed.json()["id"])
    assert (designation.case, designation.lawyer, designation.status, designation.method) == (
        case,
        cast.panel_a2,
        DesignationStatus.PROPOSED,
        DesignationMethod.MANUAL,
    )
    assert designation.respond_by - designation.proposed_at == dt.timedelta(hours=4)
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_DESIGNATION

    accepted = client_for(cast.lawyer_a2).post(f"{URL}{designation.pk}/accept/")

    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    designation.refresh_from_db()
    assert designation.status == DesignationStatus.ACCEPTED
    assert designation.decided_at is not None
    case.refresh_from_db()
    assert case.status == CaseStatus.LAWYER_DESIGNATED
    assert history(designation) == [
        ("", "proposed", "office_a", "Speaks Arabic"),
        ("proposed", "accepted", "lawyer_a2", ""),
    ]
    assert [(e["from_status"], e["to_status"]) for e in accepted.json()["events"]] == [
        ("", "proposed"),
        ("proposed", "accepted"),
    ]
    assert audit_of(designation) == [
        (
            "designation.proposed",
            "office_a",
            {"status": [None, "proposed"], "reason": [None, "Speaks Arabic"]},
        ),
        (
            "designation.accepted",
            "lawyer_a2",
            {"status": ["proposed", "accepted"], "reason": [None, None]},
        ),
    ]
    rows = AuditEvent.objects.filter(
        target_type="legalaid.designation", target_id=str(designation.pk)
    )
    assert set(rows.values_list("case_id", "office_id")) == {(case.pk, cast.office_a_obj.pk)}


def test_the_response_deadline_is_the_offices_setting(cast: Cast) -> None:
    cast.office_a_obj.acceptance_deadline_hours = 2
    cast.office_a_obj.save()
    case = fresh_case(cast)

    designation = designation_propose(
        actor=cast.office_a, case=case, lawyer=cast.panel_a2, reason="Chosen by the office"
    )

    assert designation.respond_by - designation.proposed_at == dt.timedelta(hours=2)


def test_accepting_twice_is_a_conflict_and_changes_nothing(cast: Cast) -> None:
    lawyer = client_for(cast.lawyer_a2)
    assert lawyer.post(f"{URL}{cast.designation_a2.pk}/accept/").status_code == 200
    before = counts()

    again = lawyer.post(f"{URL}{cast.designation_a2.pk}/accept/")

    assert again.status_code == 409
    assert again.json() == conflict("This designation is accepted; it cannot become accepted.")
    assert counts() == before


def test_accepting_after_the_deadline_is_a_conflict_and_the_proposal_stays_open(
    cast: Cast,
) -> None:
    Designation.objects.filter(pk=cast.designation_a2.pk).update(
        respond_by=timezone.now() - dt.timedelta(minutes=1)
    )
    before = counts()

    response = client_for(cast.lawyer_a2).post(f"{URL}{cast.designation_a2.pk}/accept/")

    assert response.status_code == 409
    assert response.json() == conflict("The time to accept this designation has passed.")
    cast.designation_a2.refresh_from_db()
    assert (cast.designation_a2.status, cast.designation_a2.decided_at) == ("proposed", None)
    cast.case_a2.refresh_from_db()
    assert cast.case_a2.status == CaseStatus.AWAITING_DESIGNATION
    assert counts() == before


def test_a_lawyer_cannot_accept_another_lawyers_proposal(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.lawyer_a).post(f"{URL}{cast.designation_a2.pk}/accept/")

    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "status": 404,
            "code": "not_found",
            "message": "No such designation.",
            "fields": {},
        }
    }
    cast.designation_a2.refresh_from_db()
    assert cast.designation_a2.status == DesignationStatus.PROPOSED
    assert counts() == before


# --- Decline and withdraw --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [({}, "This field is required."), ({"reason": "   "}, "This field may not be blank.")],
    ids=["no reason", "blank reason"],
)
def test_declining_without_a_reason_is_refused_and_changes_nothing(
    cast: Cast, body: dict[str, str], message: str
) -> None:
    before = counts()

    response = client_for(cast.lawyer_a2).post(
        f"{URL}{cast.designation_a2.pk}/decline/", body, format="json"
    )

    assert response.status_code == 400
    assert response.json() == refused({"reason": [message]})
    cast.designation_a2.refresh_from_db()
    assert (cast.designation_a2.status, cast.designation_a2.reason) == ("proposed", "")
    assert counts() == before


def test_the_decline_service_needs_a_reason(cast: Cast) -> None:
    before = counts()

    with pytest.raises(ValidationError) as refusal:
        designation_decline(actor=cast.lawyer_a2, designation=cast.designation_a2, reason=" \n")

    assert refusal.value.message_dict == {"reason": ["Declining a designation needs a reason."]}
    cast.designation_a2.refresh_from_db()
    assert cast.designation_a2.status == DesignationStatus.PROPOSED
    assert counts() == before


def test_a_decline_sends_the_case_back_to_awaiting_designation(cast: Cast) -> None:
    response = client_for(cast.lawyer_a2).post(
        f"{URL}{cast.designation_a2.pk}/decline/",
        {"reason": "In court all week"},
        format="json",
    )

    assert response.status_code == 200
    designation = cast.designation_a2
    designation.refresh_from_db()
    assert (designation.status, designation.reason) == ("declined", "In court all week")
    assert designation.decided_at is not None
    cast.case_a2.refresh_from_db()
    assert cast.case_a2.status == CaseStatus.AWAITING_DESIGNATION
    assert history(designation)[-1] == ("proposed", "declined", "lawyer_a2", "In court all week")
    assert audit_of(designation)[-1] == (
        "designation.declined",
        "lawyer_a2",
        {"status": ["proposed", "declined"], "reason": [None, "In court all week"]},
    )
    # The case is free for another lawyer, and the declined proposal cannot be accepted any more.
    assert designation_propose(
        actor=cast.office_a, case=cast.case_a2, lawyer=cast.panel_a, reason="Chosen by the office"
    ).status == (DesignationStatus.PROPOSED)
    late = client_for(cast.lawyer_a2).post(f"{URL}{designation.pk}/accept/")
    assert late.status_code == 409
    assert late.json() == conflict("This designation is declined; it cannot become accepted.")


def test_office_withdraws_an_accepted_designation_with_a_reason(cast: Cast) -> None:
    response = client_for(cast.office_a).post(
        f"{URL}{cast.designation_a.pk}/withdraw/",
        {"reason": "The minor chose her own lawyer"},
        format="json",
    )

    assert response.status_code == 200
    designation = cast.designation_a
    designation.refresh_from_db()
    assert (designation.status, designation.reason) == (
        "withdrawn",
        "The minor chose her own lawyer",
    )
    cast.case_a.refresh_from_db()
    assert cast.case_a.status == CaseStatus.AWAITING_DESIGNATION
    assert history(designation)[-1] == (
        "accepted",
        "withdrawn",
        "office_a",
        "The minor chose her own lawyer",
    )
    assert audit_of(designation)[-1] == (
        "designation.withdrawn",
        "office_a",
        {"status": ["accepted", "withdrawn"], "reason": [None, "The minor chose her own lawyer"]},
    )


def test_withdrawing_without_a_reason_is_refused_and_changes_nothing(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).post(f"{URL}{cast.designation_a.pk}/withdraw/", {})

    assert response.status_code == 400
    assert response.json() == refused({"reason": ["This field is required."]})
    cast.designation_a.refresh_from_db()
    assert cast.designation_a.status == DesignationStatus.ACCEPTED
    assert counts() == before


def test_the_history_records_the_real_status_even_from_a_stale_copy(cast: Cast) -> None:
    stale = Designation.objects.get(pk=cast.designation_a2.pk)  # read while still proposed
    designation_accept(actor=cast.lawyer_a2, designation=cast.designation_a2)

    designation_withdraw(actor=cast.office_a, designation=stale, reason="Lawyer fell ill")

    assert history(stale)[-1] == ("accepted", "withdrawn", "office_a", "Lawyer fell ill")
    assert audit_of(stale)[-1][2]["status"] == ["accepted", "withdrawn"]


def test_changing_lawyer_during_the_proceedings_keeps_the_case_in_proceedings(cast: Cast) -> None:
    Case.objects.filter(pk=cast.case_a.pk).update(status=CaseStatus.IN_PROCEEDINGS)

    designation_withdraw(actor=cast.office_a, designation=cast.designation_a, reason="Retired")
    cast.case_a.refresh_from_db()
    assert cast.case_a.status == CaseStatus.IN_PROCEEDINGS

    successor = designation_propose(
        actor=cast.office_a, case=cast.case_a, lawyer=cast.panel_a2, reason="Chosen by the office"
    )
    designation_accept(actor=cast.lawyer_a2, designation=successor)
    cast.case_a.refresh_from_db()
    assert cast.case_a.status == CaseStatus.IN_PROCEEDINGS


# --- One active designation per case -------------------------------------------------------


def test_a_second_active_designation_for_a_case_is_a_conflict(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).post(
        URL, {"case": cast.case_a2.pk, "lawyer": cast.panel_a.pk}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == conflict("This case already has an active designation.")
    assert counts() == before


def test_proposing_an_unknown_lawyer_is_refused(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).post(
        URL, {"case": fresh_case(cast).pk, "lawyer": 999_999}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "status": 400,
            "code": "invalid",
            "message": "No such lawyer.",
            "fields": {"lawyer": ["No such lawyer."]},
        }
    }
    assert counts() == {**before, "audit": before["audit"] + 2}  # only fresh_case's intake rows


# --- Hard rules of a manual proposal ---------------------------------------------------------


def _inactive(cast: Cast, case: Case) -> Lawyer:
    lawyer = make_lawyer(cast.office_a, cast.office_a_obj, "Ivo")
    return lawyer_update(actor=cast.office_a, lawyer=lawyer, active=False)


def _other_bar(cast: Cast, case: Case) -> Lawyer:
    return cast.panel_b


def _french_only(cast: Cast, case: Case) -> Lawyer:
    return make_lawyer(cast.office_a, cast.office_a_obj, "Jules", languages=("fr",))


def _limburg_only(cast: Cast, case: Case) -> Lawyer:
    return lawyer_create(
        actor=cast.office_a,
        bar=cast.office_a_obj.bar,
        given_name="Lotte",
        family_name="Testlawyer",
        email="lotte@example.be",
        capacity=5,
        languages=[Language.objects.get(pk="nl")],
        districts=[District.objects.get(pk="limburg")],
        matters=list(Matter.objects.all()),
    )


def _on_leave_until_today(cast: Cast, case: Case) -> Lawyer:
    lawyer = make_lawyer(cast.office_a, cast.office_a_obj, "Mia")
    today = timezone.localdate()
    leave_period_add(
        actor=cast.office_a, lawyer=lawyer, starts_on=today - dt.timedelta(days=3), ends_on=today
    )
    return lawyer


def _at_capacity(cast: Cast, case: Case) -> Lawyer:
    lawyer = make_lawyer(cast.office_a, cast.office_a_obj, "Noor", capacity=1)
    designation_propose(actor=cast.office_a, case=fresh_case(cast), lawyer=lawyer, reason="Test")
    return lawyer


def _represents_a_defendant_here(cast: Cast, case: Case) -> Lawyer:
    lawyer = make_lawyer(cast.office_a, cast.office_a_obj, "Olaf")
    party_add(
        actor=cast.office_a,
        case=case,
        role=PartyRole.CO_ACCUSED,
        full_name="Co Accused",
        represented_by=lawyer,
    )
    return lawyer


def _represents_the_same_pimp_in_another_case(cast: Cast, case: Case) -> Lawyer:
    lawyer = make_lawyer(cast.office_a, cast.office_a_obj, "Pieter")
    pimp = cast.party_a.defendant  # a party of case_a, represented by nobody there
    party_add(actor=cast.office_a, case=case, role=PartyRole.PIMP, defendant=pimp)
    other = fresh_case(cast)
    party_add(
        actor=cast.office_a, case=other, role=PartyRole.PIMP, defendant=pimp, represented_by=lawyer
    )
    return lawyer


def _represents_the_pimp_registered_under_another_spelling(cast: Cast, case: Case) -> Lawyer:
    lawyer = make_lawyer(cast.office_a, cast.office_a_obj, "Quinten")
    party_add(actor=cast.office_a, case=case, role=PartyRole.PIMP, full_name="Piet Pooier")
    party_add(
        actor=cast.office_a,
        case=fresh_case(cast),
        role=PartyRole.PIMP,
        full_name="POOIER, Piet",
        represented_by=lawyer,
    )
    return lawyer


def _represents_a_defendant_known_by_the_pimps_alias(cast: Cast, case: Case) -> Lawyer:
    lawyer = make_lawyer(cast.office_a, cast.office_a_obj, "Rik")
    party_add(actor=cast.office_a, case=case, role=PartyRole.PIMP, full_name="Kevin Maes")
    party_add(
        actor=cast.office_a,
        case=fresh_case(cast),
        role=PartyRole.RECRUITER,
        full_name="Unknown man",
        aliases=["Kévin MAES"],
        represented_by=lawyer,
    )
    return lawyer


def _represents_a_defendant_with_the_pimps_handle(cast: Cast, case: Case) -> Lawyer:
    lawyer = make_lawyer(cast.office_a, cast.office_a_obj, "Sven")
    party_add(
        actor=cast.office_a,
        case=case,
        role=PartyRole.PIMP,
        full_name="Kevin Maes",
        handles=["@KM_money"],
    )
    party_add(
        actor=cast.office_a,
        case=fresh_case(cast),
        role=PartyRole.CLIENT,
        full_name="John Doe",
        handles=["km.money"],
        represented_by=lawyer,
    )
    return lawyer


LINKED = (
    "Conflict of interest: this lawyer represents one of this case's defendants (matched on "
    "name, alias or handle) in another case."
)
HARD_RULES: dict[str, tuple[Callable[[Cast, Case], Lawyer], str]] = {
    "inactive lawyer": (_inactive, "This lawyer is not active on the panel."),
    "language of proceedings not spoken": (
        _french_only,
        "This lawyer does not speak the language of the proceedings (nl).",
    ),
    "district not served": (_limburg_only, "This lawyer does not serve the case's district."),
    "on leave today": (_on_leave_until_today, "This lawyer is on leave today."),
    "at capacity": (_at_capacity, "This lawyer has reached their capacity of open designations."),
    "represents a defendant in the case": (
        _represents_a_defendant_here,
        "Conflict of interest: this lawyer represents a defendant in this case.",
    ),
    "represents the same pimp in another case": (_represents_the_same_pimp_in_another_case, LINKED),
    "represents the pimp under another spelling": (
        _represents_the_pimp_registered_under_another_spelling,
        LINKED,
    ),
    "represents a defendant known by the pimp's alias": (
        _represents_a_defendant_known_by_the_pimps_alias,
        LINKED,
    ),
    "represents a defendant with the pimp's handle": (
        _represents_a_defendant_with_the_pimps_handle,
        LINKED,
    ),
}


OTHER_BAR = {"lawyer of another bar": (_other_bar, "This lawyer is not on this bar's panel.")}


@pytest.mark.parametrize(("make", "message"), HARD_RULES.values(), ids=HARD_RULES.keys())
def test_a_proposal_breaking_a_hard_rule_is_refused_on_the_lawyer_field_and_writes_nothing(
    cast: Cast, make: Callable[[Cast, Case], Lawyer], message: str
) -> None:
    case = fresh_case(cast)
    lawyer = make(cast, case)
    before = counts()

    response = client_for(cast.office_a).post(
        URL, {"case": case.pk, "lawyer": lawyer.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == refused({"lawyer": [message]})
    assert counts() == before
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_DESIGNATION
    assert not case.designations.exists()


@pytest.mark.parametrize(
    ("make", "message"),
    [*HARD_RULES.values(), *OTHER_BAR.values()],
    ids=[*HARD_RULES.keys(), *OTHER_BAR.keys()],
)
def test_the_propose_service_enforces_every_hard_rule_and_writes_nothing(
    cast: Cast, make: Callable[[Cast, Case], Lawyer], message: str
) -> None:
    case = fresh_case(cast)
    lawyer = make(cast, case)
    before = counts()

    with pytest.raises(ValidationError) as refusal:
        designation_propose(
            actor=cast.office_a, case=case, lawyer=lawyer, reason="Chosen by the office"
        )

    assert refusal.value.message_dict == {"lawyer": [message]}
    assert counts() == before
    assert not case.designations.exists()


def test_a_lawyer_of_another_bar_is_not_offered_through_the_api(cast: Cast) -> None:
    case = fresh_case(cast)
    before = counts()

    response = client_for(cast.office_a).post(
        URL, {"case": case.pk, "lawyer": cast.panel_b.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"lawyer": ["No such lawyer."]}
    assert counts() == before
    assert not case.designations.exists()


def test_a_lawyer_back_from_leave_and_representing_an_unrelated_defendant_can_be_proposed(
    cast: Cast,
) -> None:
    lawyer = make_lawyer(cast.office_a, cast.office_a_obj, "Tom", capacity=1)
    today = timezone.localdate()
    leave_period_add(
        actor=cast.office_a,
        lawyer=lawyer,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today - dt.timedelta(days=1),
    )
    case = fresh_case(cast)
    party_add(actor=cast.office_a, case=case, role=PartyRole.PIMP, full_name="Kevin Maes")
    party_add(
        actor=cast.office_a,
        case=fresh_case(cast),
        role=PartyRole.CLIENT,
        full_name="Karel Maes",
        represented_by=lawyer,
    )

    response = client_for(cast.office_a).post(
        URL, {"case": case.pk, "lawyer": lawyer.pk}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["status"] == "proposed"
