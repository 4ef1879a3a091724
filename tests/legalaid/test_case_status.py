"""The case status follows what happens: intake → awaiting designation → lawyer designated → civil
party constituted → judgment → recovery → closed. Each step set by the service that records the
event, audited in its transaction, never backwards; closing is the office's, with a reason.
(The claims services' side: tests/claims/test_case_status_claims.py.)"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from legalaid.errors import Conflict, Forbidden
from legalaid.models import (
    CASE_STAGES,
    AuditEvent,
    Case,
    CaseStatus,
    Designation,
    DesignationStatus,
    Escalation,
    Lawyer,
)
from legalaid.services.cases import case_close, case_status_advance
from legalaid.services.designations import (
    designation_accept,
    designation_auto,
    designation_decline,
    designation_propose,
    designation_withdraw,
)
from tests.access import API, assert_error_body, client_for, legalaid_fingerprint
from tests.cast import Cast, build_cast, make_case
from tests.legalaid.test_concurrency import run_together

REASON = "Compensation received in full; the mandate is over."


def status_history(case: Case) -> list[tuple[str, str | None, list[Any], str | None]]:
    """The case's audit rows that moved its status: action, actor, [old, new], the event."""
    rows = AuditEvent.objects.filter(target_type="legalaid.case", target_id=str(case.pk))
    history = []
    for row in rows.order_by("id"):
        if "status" in row.changes:
            assert (row.case_id, row.office_id) == (case.pk, case.office_id)
            event = row.changes.get("event", [None, None])[1]
            actor = row.actor.username if row.actor else None
            history.append((row.action, actor, row.changes["status"], event))
    return history


def status_of(case: Case) -> str:
    return Case.objects.get(pk=case.pk).status


def set_status(case: Case, status: str) -> None:
    Case.objects.filter(pk=case.pk).update(status=status)


def close_url(case: Case) -> str:
    return f"{API}/cases/{case.pk}/close/"


# --- The whole path ---------------------------------------------------------------------------


def test_the_stages_are_in_the_order_a_case_goes_through_them() -> None:
    assert [str(stage) for stage in CASE_STAGES] == [
        "intake", "awaiting_designation", "lawyer_designated", "civil_party_constituted",
        "judgment", "recovery", "closed",
    ]  # fmt: skip
    assert [str(stage.label) for stage in CASE_STAGES] == [
        "Intake", "Awaiting designation", "Lawyer designated", "Civil party constituted",
        "Judgment given", "Recovery of compensation", "Closed",
    ]  # fmt: skip


def test_a_case_walks_through_every_stage_and_each_step_is_audited(cast: Cast) -> None:
    case = make_case(cast.office_a, cast.office_a_obj)
    assert status_of(case) == CaseStatus.AWAITING_DESIGNATION
    designation = designation_propose(
        actor=cast.office_a, case=case, lawyer=cast.panel_a2, reason="Speaks the victim's language"
    )
    assert status_of(case) == CaseStatus.AWAITING_DESIGNATION  # a proposal is not a lawyer yet
    designation_accept(actor=cast.lawyer_a2, designation=designation)
    assert status_of(case) == CaseStatus.LAWYER_DESIGNATED

    steps = [
        (CaseStatus.CIVIL_PARTY_CONSTITUTED, "civil_claim.create"),
        (CaseStatus.JUDGMENT, "judgment.create"),
        (CaseStatus.RECOVERY, "payment.create"),
    ]
    for to, event in steps:
        assert case_status_advance(actor=cast.lawyer_a2, case=case, to=to, event=event) is True
        assert (case.status, status_of(case)) == (to, to)
    closed = case_close(actor=cast.office_a, case=case, reason=REASON)

    assert (closed.status, closed.closed_on, closed.close_reason) == (
        CaseStatus.CLOSED,
        timezone.localdate(),
        REASON,
    )
    assert status_history(case) == [
        ("case.create", "office_a", [None, "awaiting_designation"], None),
        ("case.status_change", "lawyer_a2", ["awaiting_designation", "lawyer_designated"],
         "designation.accepted"),
        ("case.status_change", "lawyer_a2", ["lawyer_designated", "civil_party_constituted"],
         "civil_claim.create"),
        ("case.status_change", "lawyer_a2", ["civil_party_constituted", "judgment"],
         "judgment.create"),
        ("case.status_change", "lawyer_a2", ["judgment", "recovery"], "payment.create"),
        ("case.close", "office_a", ["recovery", "closed"], None),
    ]  # fmt: skip
    close_row = AuditEvent.objects.get(action="case.close")
    assert close_row.changes == {
        "status": ["recovery", "closed"],
        "closed_on": [None, str(timezone.localdate())],
        "close_reason": [None, REASON],
    }


def test_an_event_moves_the_case_past_stages_it_did_not_live(cast: Cast) -> None:
    """A judgment recorded on a case nobody recorded a constitution for goes straight there."""
    moved = case_status_advance(
        actor=cast.office_a, case=cast.case_a2, to=CaseStatus.JUDGMENT, event="judgment.create"
    )

    assert moved is True
    assert status_history(cast.case_a2)[-1] == (
        "case.status_change", "office_a", ["awaiting_designation", "judgment"], "judgment.create"
    )  # fmt: skip


def test_the_status_never_moves_backward_and_a_closed_case_never_moves(cast: Cast) -> None:
    case = cast.case_a
    tried = 0
    for reached in CASE_STAGES:
        for to in CASE_STAGES[: CASE_STAGES.index(reached) + 1]:
            if to == CaseStatus.CLOSED:
                continue
            set_status(case, reached)
            before = AuditEvent.objects.count()

            moved = case_status_advance(actor=cast.lawyer_a, case=case, to=to, event="test")

            assert (moved, status_of(case), AuditEvent.objects.count()) == (False, reached, before)
            tried += 1
    assert tried == 27


def test_closing_is_not_an_advance_but_the_offices_decision_with_a_reason(cast: Cast) -> None:
    with pytest.raises(ValueError, match="case_close"):
        case_status_advance(
            actor=cast.office_a, case=cast.case_a, to=CaseStatus.CLOSED, event="test"
        )
    assert status_of(cast.case_a) == CaseStatus.LAWYER_DESIGNATED


# --- Designation events move the case among the first stages only -----------------------------


def test_a_withdrawn_lawyer_sends_a_designated_case_back_to_awaiting_designation(
    cast: Cast,
) -> None:
    designation_withdraw(actor=cast.office_a, designation=cast.designation_a, reason="Ill")

    assert status_of(cast.case_a) == CaseStatus.AWAITING_DESIGNATION
    assert status_history(cast.case_a)[-1] == (
        "case.status_change", "office_a", ["lawyer_designated", "awaiting_designation"],
        "designation.withdrawn",
    )  # fmt: skip


def test_a_decline_on_a_case_still_awaiting_its_lawyer_writes_no_status_change(
    cast: Cast,
) -> None:
    before = status_history(cast.case_a2)

    designation_decline(actor=cast.lawyer_a2, designation=cast.designation_a2, reason="Too busy")

    assert status_of(cast.case_a2) == CaseStatus.AWAITING_DESIGNATION
    assert status_history(cast.case_a2) == before


@pytest.mark.parametrize(
    "stage", [CaseStatus.CIVIL_PARTY_CONSTITUTED, CaseStatus.JUDGMENT, CaseStatus.RECOVERY]
)
def test_a_lawyer_who_declines_on_a_case_further_on_leaves_its_stage(
    cast: Cast, stage: CaseStatus
) -> None:
    designation_withdraw(actor=cast.office_a, designation=cast.designation_a, reason="Retired")
    set_status(cast.case_a, stage)
    successor = designation_propose(
        actor=cast.office_a, case=cast.case_a, lawyer=cast.panel_a2, reason="Continuity"
    )
    before = status_history(cast.case_a)

    designation_decline(actor=cast.lawyer_a2, designation=successor, reason="Conflict of dates")

    assert status_of(cast.case_a) == stage
    assert status_history(cast.case_a) == before


# --- Closing ----------------------------------------------------------------------------------


def test_the_office_closes_its_case_with_a_reason_and_the_case_stays_readable(cast: Cast) -> None:
    response = client_for(cast.office_a).post(
        close_url(cast.case_a), {"reason": f"  {REASON} "}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["closed_on"], body["close_reason"]) == (
        "closed",
        str(timezone.localdate()),
        REASON,
    )
    assert status_history(cast.case_a)[-1] == (
        "case.close", "office_a", ["lawyer_designated", "closed"], None
    )  # fmt: skip
    # The lawyer keeps the accepted designation: they still read the case and report at the end.
    assert Designation.objects.get(pk=cast.designation_a.pk).status == DesignationStatus.ACCEPTED
    for user in (cast.office_a, cast.admin, cast.lawyer_a):
        answer = client_for(user).get(f"{API}/cases/{cast.case_a.pk}/")
        assert (answer.status_code, answer.json()["status"]) == (200, "closed")
    guardian = client_for(cast.guardian_a).get(f"{API}/cases/{cast.case_a.pk}/").json()
    assert (guardian["status"], guardian["status_label"]) == ("closed", "Closed")
    assert "close_reason" not in guardian


def test_an_administrator_closes_a_case_of_any_office(cast: Cast) -> None:
    response = client_for(cast.admin).post(
        close_url(cast.case_b), {"reason": REASON}, format="json"
    )

    assert response.status_code == 200, response.content
    assert status_history(cast.case_b)[-1] == (
        "case.close", "admin", ["lawyer_designated", "closed"], None
    )  # fmt: skip


def test_closing_withdraws_a_proposal_still_waiting_and_frees_the_lawyers_place(
    cast: Cast,
) -> None:
    load = Lawyer.objects.get(pk=cast.panel_a2.pk).open_designations

    case_close(actor=cast.office_a, case=cast.case_a2, reason="The victim moved abroad.")

    designation = Designation.objects.get(pk=cast.designation_a2.pk)
    assert (designation.status, designation.reason) == (
        DesignationStatus.WITHDRAWN,
        "The case was closed.",
    )
    assert Lawyer.objects.get(pk=cast.panel_a2.pk).open_designations == load - 1
    assert status_of(cast.case_a2) == CaseStatus.CLOSED
    # The withdrawal does not send the closed case back to awaiting designation.
    assert [row[0] for row in status_history(cast.case_a2)] == ["case.create", "case.close"]
    withdrawn = AuditEvent.objects.get(action="designation.withdrawn")
    assert (withdrawn.actor, withdrawn.changes["status"]) == (
        cast.office_a,
        ["proposed", "withdrawn"],
    )
    # And the lawyer can no longer accept it.
    with pytest.raises(Conflict):
        designation_accept(actor=cast.lawyer_a2, designation=designation)


def test_closing_takes_the_case_out_of_the_escalation_queue(cast: Cast) -> None:
    # Both lawyers of office A defend someone in this case: nobody is eligible.
    parties = [
        {"role": "pimp", "full_name": "Escalated Pimp", "represented_by": cast.panel_a},
        {"role": "client", "full_name": "Escalated Client", "represented_by": cast.panel_a2},
    ]
    case = make_case(cast.office_a, cast.office_a_obj, auto_designate=True, parties=parties)
    escalation = Escalation.objects.get(case=case, resolved_at__isnull=True)

    case_close(actor=cast.office_a, case=case, reason="Duplicate of another record.")

    escalation.refresh_from_db()
    assert (escalation.resolution, escalation.resolved_by) == ("Case closed.", cast.office_a)
    assert escalation.resolved_at is not None
    assert AuditEvent.objects.filter(
        action="escalation.resolve", target_id=str(escalation.pk)
    ).exists()


def test_nothing_reopens_a_closed_case(cast: Cast) -> None:
    case_close(actor=cast.office_a, case=cast.case_a, reason=REASON)
    before = status_history(cast.case_a)

    designation_withdraw(actor=cast.office_a, designation=cast.designation_a, reason="Done")
    moved = case_status_advance(
        actor=cast.lawyer_a, case=cast.case_a, to=CaseStatus.RECOVERY, event="payment.create"
    )
    with pytest.raises(Conflict, match="closed case gets no new lawyer"):
        designation_auto(actor=cast.office_a, case=cast.case_a)

    assert (moved, status_of(cast.case_a)) == (False, CaseStatus.CLOSED)
    assert status_history(cast.case_a) == before


# --- Refusals: nothing written -----------------------------------------------------------------


@pytest.mark.parametrize("role", ["lawyer_a", "guardian_a", "lawyer_a2", "outsider"])
def test_only_office_staff_and_administrators_close_a_case(cast: Cast, role: str) -> None:
    before = legalaid_fingerprint()

    response = client_for(getattr(cast, role)).post(
        close_url(cast.case_a), {"reason": REASON}, format="json"
    )

    assert response.status_code == 403
    assert assert_error_body(response, 403)["message"] == "Your role does not give access to this."
    assert legalaid_fingerprint() == before


def test_office_staff_cannot_close_another_offices_case_nor_learn_that_it_exists(
    cast: Cast,
) -> None:
    before = legalaid_fingerprint()

    response = client_for(cast.office_b).post(
        close_url(cast.case_a), {"reason": REASON}, format="json"
    )

    assert response.status_code == 404
    assert assert_error_body(response, 404)["message"] == "No such case."
    assert legalaid_fingerprint() == before


def test_closing_a_closed_case_again_is_a_conflict(cast: Cast) -> None:
    case_close(actor=cast.office_a, case=cast.case_a, reason=REASON)
    before = legalaid_fingerprint()

    response = client_for(cast.office_a).post(
        close_url(cast.case_a), {"reason": "Closed twice"}, format="json"
    )

    assert response.status_code == 409
    error = assert_error_body(response, 409)
    assert error["message"] == f"This case was already closed on {timezone.localdate()}."
    assert legalaid_fingerprint() == before
    assert Case.objects.get(pk=cast.case_a.pk).close_reason == REASON


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"reason": ""}, "This field may not be blank."),
        ({"reason": "   "}, "This field may not be blank."),
        ({}, "This field is required."),
        ({"reason": "x" * 301}, "Ensure this field has no more than 300 characters."),
    ],
)
def test_closing_needs_a_reason(cast: Cast, payload: dict[str, Any], message: str) -> None:
    before = legalaid_fingerprint()

    response = client_for(cast.office_a).post(close_url(cast.case_a), payload, format="json")

    assert response.status_code == 400
    assert assert_error_body(response, 400)["fields"] == {"reason": [message]}
    assert legalaid_fingerprint() == before


@pytest.mark.parametrize("role", ["lawyer_a", "office_b", "guardian_a"])
def test_the_service_refuses_whoever_is_not_the_cases_office(cast: Cast, role: str) -> None:
    before = legalaid_fingerprint()

    with pytest.raises(Forbidden, match="closed by its legal-aid office"):
        case_close(actor=getattr(cast, role), case=cast.case_a, reason=REASON)

    assert legalaid_fingerprint() == before


def test_the_service_refuses_a_blank_reason(cast: Cast) -> None:
    before = legalaid_fingerprint()

    with pytest.raises(ValidationError) as error:
        case_close(actor=cast.office_a, case=cast.case_a, reason=" \n ")

    assert error.value.message_dict == {"reason": ["Say why the case is closed."]}
    assert legalaid_fingerprint() == before


# --- The data migration ------------------------------------------------------------------------


def test_the_migration_maps_the_old_statuses_and_back(cast: Cast) -> None:
    migration = importlib.import_module("legalaid.migrations.0012_case_status_stages")
    cases = {
        "in_proceedings": cast.case_a,
        "judgment": cast.case_a2,
        "awaiting_designation": cast.case_b,
    }
    for status, case in cases.items():
        set_status(case, status)
    recovering = make_case(cast.office_a, cast.office_a_obj)
    audit_rows = AuditEvent.objects.count()

    migration.forward(apps, None)
    after = {status: status_of(case) for status, case in cases.items()}
    set_status(recovering, "recovery")
    migration.backward(apps, None)
    back = {status: status_of(case) for status, case in cases.items()}

    assert after == {
        "in_proceedings": "civil_party_constituted",
        "judgment": "judgment",
        "awaiting_designation": "awaiting_designation",
    }
    assert back == {status: status for status in cases}
    assert status_of(recovering) == "judgment"  # the old list's nearest earlier stage
    assert AuditEvent.objects.count() == audit_rows  # a relabelling, not an event


# --- At the same moment (PostgreSQL: real row locks, real threads) ------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_closings_at_the_same_moment_close_the_case_once(postgres: None) -> None:
    cast = build_cast()

    results, errors = run_together(
        2, lambda n: case_close(actor=cast.office_a, case=cast.case_a, reason=f"Closing {n}")
    )

    assert (len(results), [type(error) for error in errors]) == (1, [Conflict])
    assert AuditEvent.objects.filter(action="case.close", case_id=cast.case_a.pk).count() == 1
    assert status_of(cast.case_a) == CaseStatus.CLOSED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_closing_while_the_lawyer_declines_leaves_no_proposal_and_no_deadlock(
    postgres: None,
) -> None:
    """Both lock the case first, then the designation: one waits for the other. Declined first,
    the engine proposes the next lawyer and the closing withdraws that proposal; closed first,
    the decline finds the proposal withdrawn (409)."""
    cast = build_cast()
    work = [
        lambda: case_close(actor=cast.office_a, case=cast.case_a2, reason="Moved abroad."),
        lambda: designation_decline(
            actor=cast.lawyer_a2, designation=cast.designation_a2, reason="Too busy"
        ),
    ]

    _, errors = run_together(2, lambda n: work[n]())

    assert [type(error) for error in errors] in ([], [Conflict])
    assert status_of(cast.case_a2) == CaseStatus.CLOSED
    assert not Designation.objects.filter(
        case=cast.case_a2, status__in=[DesignationStatus.PROPOSED, DesignationStatus.ACCEPTED]
    ).exists()
    assert Lawyer.objects.get(pk=cast.panel_a2.pk).open_designations == 0
