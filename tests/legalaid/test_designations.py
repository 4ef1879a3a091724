"""Designation of a lawyer (DOMAIN.md section 4). The engine proposes; office staff may override
it by hand, always with a reason, within the hard rules (only capacity may be exceeded). The
lawyer accepts before the deadline or declines with a reason, which passes the case to the next
candidate at once (or to the office's escalation queue); the office may withdraw. Every step
leaves a status-history row and an audit row; a refused step leaves nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from legalaid.engine import explanation_candidates as candidates_of
from legalaid.models import (
    ACTIVE_DESIGNATION_STATUSES,
    AuditEvent,
    Case,
    CaseStatus,
    Designation,
    DesignationEvent,
    DesignationMethod,
    DesignationStatus,
    District,
    Escalation,
    Language,
    Lawyer,
    Matter,
    PartyRole,
    Role,
)
from legalaid.services.designations import (
    designation_accept,
    designation_auto,
    designation_decline,
    designation_propose,
    designation_withdraw,
)
from legalaid.services.lawyers import lawyer_create, lawyer_update, leave_period_add
from legalaid.services.parties import party_add
from tests.cast import Cast, make_case, make_lawyer, make_user

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
        "escalations": Escalation.objects.count(),
        "open_escalations": Escalation.objects.filter(resolved_at__isnull=True).count(),
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


# --- The whole path: the office overrides the engine, the lawyer accepts ---------------------


def test_office_overrides_with_a_reason_and_the_lawyer_accepts_so_the_case_has_its_lawyer(
    cast: Cast,
) -> None:
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
    assert designation.reason == "Speaks Arabic"
    # The override is recorded with who made it, why, and which rule it set aside (none here).
    assert designation.explanation["override"] == {
        "by": cast.office_a.pk,
        "waived": [],
        "reason": "Speaks Arabic",
    }
    assert [c["lawyer"] for c in candidates_of(designation.explanation)] == [cast.panel_a2.pk]
    answered = proposed.json()["explanation"]
    assert answered["override"] == designation.explanation["override"]
    assert [(c["lawyer"], c["name"]) for c in answered["candidates"]] == [
        (cast.panel_a2.pk, "Testlawyer, Bert")
    ]
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
    assert (cast.designation_a2.status, cast.designation_a2.reason) == (
        "proposed",
        "Chosen by the office",  # the override's reason, untouched
    )
    assert counts() == before


def test_the_decline_service_needs_a_reason(cast: Cast) -> None:
    before = counts()

    with pytest.raises(ValidationError) as refusal:
        designation_decline(actor=cast.lawyer_a2, designation=cast.designation_a2, reason=" \n")

    assert refusal.value.message_dict == {"reason": ["Declining a designation needs a reason."]}
    cast.designation_a2.refresh_from_db()
    assert cast.designation_a2.status == DesignationStatus.PROPOSED
    assert counts() == before


def test_a_decline_proposes_the_next_eligible_lawyer_at_once(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.lawyer_a2).post(
        f"{URL}{cast.designation_a2.pk}/decline/",
        {"reason": "In court all week"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    designation = cast.designation_a2
    designation.refresh_from_db()
    assert (designation.status, designation.reason) == ("declined", "In court all week")
    assert designation.decided_at is not None
    assert history(designation)[-1] == ("proposed", "declined", "lawyer_a2", "In court all week")
    assert audit_of(designation)[-1] == (
        "designation.declined",
        "lawyer_a2",
        {"status": ["proposed", "declined"], "reason": [None, "In court all week"]},
    )
    # The engine passes the case to Anna, the only other lawyer; the case still awaits acceptance.
    cast.case_a2.refresh_from_db()
    assert cast.case_a2.status == CaseStatus.AWAITING_DESIGNATION
    successor = cast.case_a2.designations.get(status=DesignationStatus.PROPOSED)
    assert (successor.lawyer, successor.method, successor.reason) == (
        cast.panel_a,
        DesignationMethod.AUTOMATIC,
        "",
    )
    assert history(successor) == [("", "proposed", None, "")]
    assert audit_of(successor) == [
        ("designation.proposed", None, {"status": [None, "proposed"], "reason": [None, None]})
    ]
    assert [c for c in candidates_of(successor.explanation) if "excluded" in c] == [
        {
            "lawyer": cast.panel_a2.pk,
            "excluded": ["declined_or_expired_this_case"],
        }
    ]
    assert counts() == {
        **before,
        "designations": before["designations"] + 1,
        "events": before["events"] + 2,
        "audit": before["audit"] + 2,
    }
    # The declined proposal cannot be accepted any more.
    late = client_for(cast.lawyer_a2).post(f"{URL}{designation.pk}/accept/")
    assert late.status_code == 409
    assert late.json() == conflict("This designation is declined; it cannot become accepted.")


def test_a_decline_with_nobody_left_puts_the_case_in_the_offices_escalation_queue(
    cast: Cast,
) -> None:
    lawyer_update(actor=cast.office_a, lawyer=cast.panel_a, capacity=1)  # Anna is full
    before = counts()

    response = client_for(cast.lawyer_a2).post(
        f"{URL}{cast.designation_a2.pk}/decline/", {"reason": "Moving abroad"}, format="json"
    )

    assert response.status_code == 200
    cast.case_a2.refresh_from_db()
    assert cast.case_a2.status == CaseStatus.AWAITING_DESIGNATION
    assert not cast.case_a2.designations.filter(
        status__in=[DesignationStatus.PROPOSED, DesignationStatus.ACCEPTED]
    ).exists()
    escalation = Escalation.objects.get(case=cast.case_a2)
    assert (escalation.resolved_at, escalation.explanation["chosen"]) == (None, None)
    assert escalation.explanation["exclusion_counts"] == {
        "at_capacity": 1,
        "declined_or_expired_this_case": 1,
    }
    row = AuditEvent.objects.filter(target_type="legalaid.escalation").get()
    assert (row.action, row.actor, row.case_id, row.changes) == (
        "escalation.open",
        None,
        cast.case_a2.pk,
        {
            "exclusion_counts": [
                None,
                {"at_capacity": 1, "declined_or_expired_this_case": 1},
            ]
        },
    )
    assert counts() == {
        **before,
        "events": before["events"] + 1,
        "escalations": before["escalations"] + 1,
        "open_escalations": before["open_escalations"] + 1,
        "audit": before["audit"] + 2,
    }


def test_an_override_resolves_the_cases_open_escalation(cast: Cast) -> None:
    lawyer_update(actor=cast.office_a, lawyer=cast.panel_a, capacity=1)
    lawyer_update(actor=cast.office_a, lawyer=cast.panel_a2, capacity=1)
    case = fresh_case(cast)
    escalation = designation_auto(actor=cast.office_a, case=case)
    assert isinstance(escalation, Escalation)

    response = client_for(cast.office_a).post(
        URL,
        {"case": case.pk, "lawyer": cast.panel_a.pk, "reason": "Anna agreed to one more case"},
        format="json",
    )

    assert response.status_code == 201
    escalation.refresh_from_db()
    assert escalation.resolved_at is not None
    assert (escalation.resolved_by, escalation.resolution) == (
        cast.office_a,
        "Lawyer proposed (manual).",
    )
    listed = client_for(cast.office_a).get("/api/v1/escalations/", {"open": "true"})
    assert listed.json()["results"] == []
    assert (
        AuditEvent.objects.filter(action="escalation.resolve", target_id=str(escalation.pk))
        .values_list("actor", flat=True)
        .get()
        == cast.office_a.pk
    )


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


@pytest.mark.parametrize(
    "stage", [CaseStatus.CIVIL_PARTY_CONSTITUTED, CaseStatus.JUDGMENT, CaseStatus.RECOVERY]
)
def test_changing_lawyer_during_the_proceedings_keeps_the_cases_stage(
    cast: Cast, stage: CaseStatus
) -> None:
    Case.objects.filter(pk=cast.case_a.pk).update(status=stage)
    moves = AuditEvent.objects.filter(case_id=cast.case_a.pk, action="case.status_change")
    before = moves.count()

    designation_withdraw(actor=cast.office_a, designation=cast.designation_a, reason="Retired")
    cast.case_a.refresh_from_db()
    assert cast.case_a.status == stage

    successor = designation_propose(
        actor=cast.office_a, case=cast.case_a, lawyer=cast.panel_a2, reason="Chosen by the office"
    )
    designation_accept(actor=cast.lawyer_a2, designation=successor)
    cast.case_a.refresh_from_db()
    assert cast.case_a.status == stage
    assert moves.count() == before


# --- One active designation per case -------------------------------------------------------


def test_a_second_active_designation_for_a_case_is_a_conflict(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).post(
        URL,
        {"case": cast.case_a2.pk, "lawyer": cast.panel_a.pk, "reason": "Anna is closer"},
        format="json",
    )

    assert response.status_code == 409
    assert response.json() == conflict(
        "This case already has an active designation: withdraw it first."
    )
    cast.designation_a2.refresh_from_db()
    assert cast.designation_a2.status == DesignationStatus.PROPOSED
    assert counts() == before


def test_proposing_an_unknown_lawyer_is_refused(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).post(
        URL, {"case": fresh_case(cast).pk, "lawyer": 999_999, "reason": "Typo"}, format="json"
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


@pytest.mark.parametrize(
    ("body", "message"),
    [({}, "This field is required."), ({"reason": "  "}, "This field may not be blank.")],
    ids=["no reason", "blank reason"],
)
def test_an_override_without_a_reason_is_refused_on_the_form_and_writes_nothing(
    cast: Cast, body: dict[str, str], message: str
) -> None:
    case = fresh_case(cast)
    before = counts()

    response = client_for(cast.office_a).post(
        URL, {"case": case.pk, "lawyer": cast.panel_a2.pk, **body}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == refused({"reason": [message]})
    assert counts() == before
    assert not case.designations.exists()


def test_the_override_service_needs_a_reason_and_writes_nothing(cast: Cast) -> None:
    case = fresh_case(cast)
    before = counts()

    with pytest.raises(ValidationError) as refusal:
        designation_propose(actor=cast.office_a, case=case, lawyer=cast.panel_a2, reason=" \n")

    assert refusal.value.message_dict == {
        "reason": ["Overriding the automatic designation needs a reason."]
    }
    assert counts() == before
    assert not case.designations.exists()


def test_an_override_may_exceed_capacity_and_records_the_waived_rule(cast: Cast) -> None:
    lawyer = _at_capacity(cast, fresh_case(cast))
    case = fresh_case(cast)
    before = counts()

    response = client_for(cast.office_a).post(
        URL,
        {"case": case.pk, "lawyer": lawyer.pk, "reason": "Knows the victim's family"},
        format="json",
    )

    assert response.status_code == 201
    designation = Designation.objects.get(pk=response.json()["id"])
    assert (designation.lawyer, designation.status, designation.method) == (
        lawyer,
        DesignationStatus.PROPOSED,
        DesignationMethod.MANUAL,
    )
    assert designation.explanation["override"] == {
        "by": cast.office_a.pk,
        "waived": ["at_capacity"],
        "reason": "Knows the victim's family",
    }
    assert candidates_of(designation.explanation) == [
        {"lawyer": lawyer.pk, "excluded": ["at_capacity"]}
    ]
    assert lawyer.designations.filter(status=DesignationStatus.PROPOSED).count() == 2  # of 1
    assert counts() == {
        **before,
        "designations": before["designations"] + 1,
        "events": before["events"] + 1,
        "audit": before["audit"] + 1,
    }


# --- Hard rules still bind an override ---------------------------------------------------------


def _inactive(cast: Cast, case: Case) -> Lawyer:
    lawyer = make_lawyer(cast.office_a, cast.office_a_obj, "Ivo")
    return lawyer_update(actor=cast.office_a, lawyer=lawyer, active=False)


def _other_bar(cast: Cast, case: Case) -> Lawyer:
    return cast.panel_b


def _french_only(cast: Cast, case: Case) -> Lawyer:
    return make_lawyer(cast.office_a, cast.office_a_obj, "Jules", languages=("fr",))


def _youth_only(cast: Cast, case: Case) -> Lawyer:
    """Listed for youth, not for victims: a case needs both unless told otherwise."""
    return lawyer_create(
        actor=cast.office_a,
        bar=cast.office_a_obj.bar,
        given_name="Kato",
        family_name="Testlawyer",
        email="kato@example.be",
        capacity=5,
        languages=[Language.objects.get(pk="nl")],
        districts=[District.objects.get(pk="antwerpen")],
        matters=[Matter.objects.get(pk="youth")],
    )


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


def _declined_this_case(cast: Cast, case: Case) -> Lawyer:
    user = make_user("lawyer_uma", Role.LAWYER)
    lawyer = make_lawyer(cast.office_a, cast.office_a_obj, "Uma", user=user)
    first = designation_propose(actor=cast.office_a, case=case, lawyer=lawyer, reason="Nearby")
    designation_decline(actor=user, designation=first, reason="Too many cases")
    successor = case.designations.get(status=DesignationStatus.PROPOSED)  # the engine's next
    designation_withdraw(actor=cast.office_a, designation=successor, reason="Asked for Uma")
    return lawyer


def _inactive_and_french_only(cast: Cast, case: Case) -> Lawyer:
    lawyer = make_lawyer(cast.office_a, cast.office_a_obj, "Vic", languages=("fr",))
    return lawyer_update(actor=cast.office_a, lawyer=lawyer, active=False)


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


CONFLICT = (
    "Conflict of interest: this lawyer represents or represented a defendant of this case "
    "(matched on name, alias or handle), here or in a linked proceeding."
)
HARD_RULES: dict[str, tuple[Callable[[Cast, Case], Lawyer], str]] = {
    "inactive lawyer": (_inactive, "This lawyer is not active on the panel."),
    "not listed for every matter of the case": (
        _youth_only,
        "This lawyer is not listed for the case's matters.",
    ),
    "language of proceedings not spoken": (
        _french_only,
        "This lawyer does not speak the language of the proceedings.",
    ),
    "district not served": (_limburg_only, "This lawyer does not serve the case's district."),
    "on leave today": (_on_leave_until_today, "This lawyer is on leave today."),
    "already declined this case": (
        _declined_this_case,
        "This lawyer already declined or let expire this case.",
    ),
    "several rules broken, every message given": (
        _inactive_and_french_only,
        "This lawyer is not active on the panel. "
        "This lawyer does not speak the language of the proceedings.",
    ),
    "represents a defendant in the case": (_represents_a_defendant_here, CONFLICT),
    "represents the same pimp in another case": (
        _represents_the_same_pimp_in_another_case,
        CONFLICT,
    ),
    "represents the pimp under another spelling": (
        _represents_the_pimp_registered_under_another_spelling,
        CONFLICT,
    ),
    "represents a defendant known by the pimp's alias": (
        _represents_a_defendant_known_by_the_pimps_alias,
        CONFLICT,
    ),
    "represents a defendant with the pimp's handle": (
        _represents_a_defendant_with_the_pimps_handle,
        CONFLICT,
    ),
}


OTHER_BAR = {
    "lawyer of another bar": (
        _other_bar,
        "This lawyer is not on this bar's panel: a lawyer of another bar needs a "
        "cross-district override.",
    )
}


@pytest.mark.parametrize(("make", "message"), HARD_RULES.values(), ids=HARD_RULES.keys())
def test_a_proposal_breaking_a_hard_rule_is_refused_on_the_lawyer_field_and_writes_nothing(
    cast: Cast, make: Callable[[Cast, Case], Lawyer], message: str
) -> None:
    case = fresh_case(cast)
    lawyer = make(cast, case)
    before = counts()

    response = client_for(cast.office_a).post(
        URL, {"case": case.pk, "lawyer": lawyer.pk, "reason": "Chosen by the office"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == refused({"lawyer": [message]})
    assert counts() == before
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_DESIGNATION
    assert not case.designations.filter(status__in=ACTIVE_DESIGNATION_STATUSES).exists()


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
    assert not case.designations.filter(status__in=ACTIVE_DESIGNATION_STATUSES).exists()


def test_a_lawyer_of_another_bar_is_not_offered_through_the_api(cast: Cast) -> None:
    case = fresh_case(cast)
    before = counts()

    response = client_for(cast.office_a).post(
        URL, {"case": case.pk, "lawyer": cast.panel_b.pk, "reason": "Speaks French"}, format="json"
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
        URL, {"case": case.pk, "lawyer": lawyer.pk, "reason": "Back from leave"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["status"] == "proposed"
    assert response.json()["explanation"]["override"]["waived"] == []


def test_a_lawyer_listed_for_every_matter_the_case_names_can_be_proposed(cast: Cast) -> None:
    youth_case = make_case(
        cast.office_a, cast.office_a_obj, matters=[Matter.objects.get(pk="youth")]
    )
    lawyer = _youth_only(cast, youth_case)

    designation = designation_propose(
        actor=cast.office_a, case=youth_case, lawyer=lawyer, reason="Youth lawyer on duty"
    )

    assert (designation.lawyer, designation.status) == (lawyer, DesignationStatus.PROPOSED)
    assert designation.explanation["override"]["waived"] == []


def test_a_cross_district_override_waives_the_bar_and_district_and_nothing_else(
    cast: Cast,
) -> None:
    """Camille (office B's bar, Brussels) speaks no Dutch: the override sets aside her bar and
    district, never the language of the proceedings."""
    case = make_case(cast.office_a, cast.office_a_obj, auto_designate=False)
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as refused:
        designation_propose(
            actor=cast.office_a, case=case, lawyer=cast.panel_b, reason="x", cross_district=True
        )

    assert "does not speak the language of the proceedings" in str(refused.value)
    assert AuditEvent.objects.count() == before
    bilingual = make_lawyer(cast.office_b, cast.office_b_obj, "Bilingue", languages=("nl", "fr"))
    designation = designation_propose(
        actor=cast.office_a, case=case, lawyer=bilingual, reason="Nobody free.", cross_district=True
    )
    assert designation.explanation["override"]["waived"] == ["does_not_serve_district"]
    override = AuditEvent.objects.get(action="designation.cross_district_override")
    assert override.changes["lawyer_bar"] == [None, cast.office_b_obj.bar_id]
