"""What the designation engine does to cases (DOMAIN.md section 4): the automatic proposal at
intake, the next candidate after a decline or an expiry, the escalation queue when nobody is left
and its resolution, repeat victims, the fairness report, the bulk command, and a query count that
does not grow with the panel. Every step leaves its status history and audit rows."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from legalaid.engine import explanation_candidates as candidates_of
from legalaid.models import (
    AuditEvent,
    Case,
    CaseStatus,
    Designation,
    DesignationEvent,
    DesignationMethod,
    DesignationStatus,
    Escalation,
    Lawyer,
    Matter,
    PartyRole,
)
from legalaid.national_number import national_number_for
from legalaid.services.designations import (
    designation_accept,
    designation_auto,
    designation_decline,
    designation_expire_overdue,
    designation_propose,
    designation_withdraw,
)
from legalaid.services.lawyers import leave_period_add
from legalaid.services.parties import party_add
from tests.legalaid.engine_world import World, born_years_ago, build_world, excluded, ranked

EXPIRED = "Not accepted before the deadline."


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def counts() -> dict[str, int]:
    return {
        "designations": Designation.objects.count(),
        "events": DesignationEvent.objects.count(),
        "escalations": Escalation.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def history(designation: Designation) -> list[tuple[str, str, str | None, str]]:
    return [
        (event.from_status, event.to_status, event.actor.username if event.actor else None,
         event.reason)
        for event in designation.events.order_by("id")
    ]  # fmt: skip


def audit_of(target: Designation | Escalation) -> list[tuple[str, str | None, dict[str, Any]]]:
    rows = AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).order_by("id")
    return [(row.action, row.actor.username if row.actor else None, row.changes) for row in rows]


def proposed(status: str, reason: str | None = None) -> dict[str, list[Any]]:
    return {"status": [None, status], "reason": [None, reason]}


def only_proposal(case: Case) -> Designation:
    return case.designations.get(status=DesignationStatus.PROPOSED)


# --- Intake, decline, expiry -----------------------------------------------------------------


def test_an_intake_gets_an_automatic_proposal_due_within_the_offices_deadline(
    world: World,
) -> None:
    world.office.acceptance_deadline_hours = 6
    world.office.save()
    lawyer = world.lawyer("Anna")

    case = world.intake(auto_designate=True)

    designation = case.designations.get()
    assert (designation.lawyer, designation.status, designation.method, designation.reason) == (
        lawyer,
        DesignationStatus.PROPOSED,
        DesignationMethod.AUTOMATIC,
        "",
    )
    assert designation.respond_by == designation.proposed_at + dt.timedelta(hours=6)
    assert designation.decided_at is None
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_DESIGNATION
    assert designation.explanation == {  # stored compactly: one row per candidate
        "engine": 2,
        "evaluated_on": timezone.localdate().isoformat(),
        "chosen": lawyer.pk,
        "considered": 1,
        "eligible": 1,
        "exclusion_counts": {},
        # lawyer, chosen by the minor, assisted before, speaks the victim's language, open
        # designations, capacity, last designated
        "ranked": [[lawyer.pk, False, False, True, 0, 5, None]],
        "excluded": [],
    }
    assert candidates_of(designation.explanation) == [ranked(lawyer, 1)]
    assert history(designation) == [("", "proposed", "staff_engine", "")]
    assert audit_of(designation) == [("designation.proposed", "staff_engine", proposed("proposed"))]


def test_a_decline_passes_the_case_to_the_next_candidate(world: World) -> None:
    first, second = world.lawyer("Anna"), world.lawyer("Bert")
    case = world.intake(auto_designate=True)
    declined = case.designations.get()
    assert declined.lawyer == first

    designation_decline(actor=world.staff, designation=declined, reason="Conflict of agenda")

    declined.refresh_from_db()
    assert (declined.status, declined.reason) == (DesignationStatus.DECLINED, "Conflict of agenda")
    successor = only_proposal(case)
    assert (successor.lawyer, successor.method) == (second, DesignationMethod.AUTOMATIC)
    assert candidates_of(successor.explanation) == [
        ranked(second, 1),
        excluded(first, "declined_or_expired_this_case"),
    ]
    assert history(declined) == [
        ("", "proposed", "staff_engine", ""),
        ("proposed", "declined", "staff_engine", "Conflict of agenda"),
    ]
    assert history(successor) == [("", "proposed", None, "")]
    assert audit_of(successor) == [("designation.proposed", None, proposed("proposed"))]


def test_an_expired_proposal_passes_the_case_to_the_next_candidate(world: World) -> None:
    first, second = world.lawyer("Anna"), world.lawyer("Bert")
    case = world.intake(auto_designate=True)
    late = case.designations.get()
    run_at = late.respond_by + dt.timedelta(seconds=1)

    assert designation_expire_overdue(now=run_at) == 1

    late.refresh_from_db()
    assert (late.status, late.reason, late.decided_at) == (
        DesignationStatus.EXPIRED,
        EXPIRED,
        run_at,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_DESIGNATION
    successor = only_proposal(case)
    assert (successor.lawyer, successor.method) == (second, DesignationMethod.AUTOMATIC)
    assert (successor.proposed_at, successor.respond_by) == (run_at, run_at + dt.timedelta(hours=4))
    assert candidates_of(successor.explanation) == [
        ranked(second, 1),
        excluded(first, "declined_or_expired_this_case"),
    ]
    assert list(late.events.values_list("at", flat=True)) == [late.proposed_at, run_at]
    assert history(late) == [
        ("", "proposed", "staff_engine", ""),
        ("proposed", "expired", None, EXPIRED),
    ]
    assert audit_of(late) == [
        ("designation.proposed", "staff_engine", proposed("proposed")),
        (
            "designation.expired",
            None,
            {"status": ["proposed", "expired"], "reason": [None, EXPIRED]},
        ),
    ]
    assert history(successor) == [("", "proposed", None, "")]


def test_a_proposal_still_within_its_deadline_does_not_expire(world: World) -> None:
    world.lawyer("Anna")
    case = world.intake(auto_designate=True)
    designation = case.designations.get()
    before = counts()

    assert designation_expire_overdue(now=designation.respond_by - dt.timedelta(seconds=1)) == 0

    designation.refresh_from_db()
    assert designation.status == DesignationStatus.PROPOSED
    assert counts() == before


def test_running_the_expiry_twice_expires_once(world: World) -> None:
    world.lawyer("Anna")
    world.lawyer("Bert")
    case = world.intake(auto_designate=True)
    deadline_passed = case.designations.get().respond_by + dt.timedelta(seconds=1)

    assert designation_expire_overdue(now=deadline_passed) == 1
    after_first = counts()
    assert designation_expire_overdue(now=deadline_passed) == 0

    assert counts() == after_first
    assert sorted(case.designations.values_list("status", flat=True)) == ["expired", "proposed"]


def test_an_expiry_on_a_closed_case_proposes_nobody_and_the_run_goes_on(world: World) -> None:
    world.lawyer("Anna")
    world.lawyer("Bert")
    closed = world.intake(auto_designate=True)
    still_open = world.intake(auto_designate=True)
    Case.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED)  # closed by the office
    deadline_passed = still_open.designations.get().respond_by + dt.timedelta(seconds=1)

    assert designation_expire_overdue(now=deadline_passed) == 2

    assert list(closed.designations.values_list("status", flat=True)) == ["expired"]
    assert sorted(still_open.designations.values_list("status", flat=True)) == [
        "expired",
        "proposed",
    ]
    closed.refresh_from_db()
    assert closed.status == CaseStatus.CLOSED


# --- Nobody left: the escalation queue -------------------------------------------------------


def _escalated(world: World) -> tuple[Case, Lawyer, Escalation]:
    """The only lawyer of the panel is at capacity: the intake escalates the case."""
    full = world.lawyer("Fien", capacity=1)
    world.propose(full)
    case = world.intake(auto_designate=True)
    return case, full, Escalation.objects.get(case=case)


def test_with_nobody_eligible_the_case_waits_in_an_open_escalation_with_the_reasons(
    world: World,
) -> None:
    case, full, escalation = _escalated(world)

    assert not case.designations.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_DESIGNATION
    assert (escalation.resolved_at, escalation.resolved_by, escalation.resolution) == (
        None,
        None,
        "",
    )
    assert escalation.explanation["chosen"] is None
    assert escalation.explanation["exclusion_counts"] == {"at_capacity": 1}
    assert candidates_of(escalation.explanation) == [excluded(full, "at_capacity")]
    assert audit_of(escalation) == [
        ("escalation.open", "staff_engine", {"exclusion_counts": [None, {"at_capacity": 1}]})
    ]


def test_when_the_last_candidate_declines_the_case_is_escalated(world: World) -> None:
    only = world.lawyer("Anna")
    case = world.intake(auto_designate=True)

    designation_decline(
        actor=world.staff, designation=case.designations.get(), reason="Leaving the bar"
    )

    escalation = Escalation.objects.get(case=case, resolved_at__isnull=True)
    assert candidates_of(escalation.explanation) == [
        excluded(only, "declined_or_expired_this_case")
    ]
    assert escalation.explanation["exclusion_counts"] == {"declined_or_expired_this_case": 1}
    assert not case.designations.filter(status=DesignationStatus.PROPOSED).exists()


def test_a_manual_override_with_a_reason_resolves_the_escalation_and_is_audited(
    world: World,
) -> None:
    case, full, escalation = _escalated(world)

    designation = designation_propose(
        actor=world.staff, case=case, lawyer=full, reason="Only lawyer who knows the family"
    )

    assert (designation.lawyer, designation.method, designation.reason) == (
        full,
        DesignationMethod.MANUAL,
        "Only lawyer who knows the family",
    )
    assert designation.explanation["override"] == {
        "by": world.staff.pk,
        "waived": ["at_capacity"],
        "reason": "Only lawyer who knows the family",
    }
    escalation.refresh_from_db()
    assert escalation.resolved_at is not None
    assert escalation.resolved_at == designation.proposed_at
    assert (escalation.resolved_by, escalation.resolution) == (
        world.staff,
        "Lawyer proposed (manual).",
    )
    assert audit_of(escalation)[1:] == [
        (
            "escalation.resolve",
            "staff_engine",
            {"resolved_at": [None, escalation.resolved_at.isoformat()]},
        )
    ]
    assert audit_of(designation) == [
        (
            "designation.proposed",
            "staff_engine",
            proposed("proposed", "Only lawyer who knows the family"),
        )
    ]


def test_an_override_without_a_reason_is_refused_and_the_escalation_stays_open(
    world: World,
) -> None:
    case, full, escalation = _escalated(world)
    before = counts()

    with pytest.raises(ValidationError) as refusal:
        designation_propose(actor=world.staff, case=case, lawyer=full, reason="  ")

    assert refusal.value.message_dict == {
        "reason": ["Overriding the automatic designation needs a reason."]
    }
    assert counts() == before
    escalation.refresh_from_db()
    assert escalation.resolved_at is None


def test_the_engine_resolves_the_escalation_once_a_lawyer_is_free(world: World) -> None:
    case, full, escalation = _escalated(world)
    designation_withdraw(
        actor=world.staff, designation=full.designations.get(), reason="Case closed"
    )

    designation = designation_auto(actor=None, case=case)

    assert isinstance(designation, Designation)
    assert (designation.lawyer, designation.method) == (full, DesignationMethod.AUTOMATIC)
    escalation.refresh_from_db()
    assert (escalation.resolved_by, escalation.resolution) == (None, "Lawyer proposed (automatic).")
    assert escalation.resolved_at == designation.proposed_at


# --- Running twice changes nothing -----------------------------------------------------------


def test_running_the_engine_again_on_a_case_with_an_active_designation_changes_nothing(
    world: World,
) -> None:
    world.lawyer("Anna")
    world.lawyer("Bert")
    case = world.intake(auto_designate=True)
    first = case.designations.get()
    before = counts()

    again = designation_auto(actor=world.staff, case=case)
    designation_accept(actor=world.staff, designation=first)
    after_accept = counts()
    once_more = designation_auto(actor=world.staff, case=case)

    assert again == once_more == first
    # The acceptance: designation.accepted, and the case's move to lawyer designated.
    assert after_accept == {**before, "events": before["events"] + 1, "audit": before["audit"] + 2}
    assert counts() == after_accept
    assert list(case.designations.values_list("status", flat=True)) == ["accepted"]


def test_running_the_engine_again_on_an_escalated_case_writes_nothing_new(world: World) -> None:
    case, _, escalation = _escalated(world)
    before = counts()

    again = designation_auto(actor=None, case=case)

    assert again == escalation
    assert counts() == before
    assert len(audit_of(escalation)) == 1


def test_an_escalation_reevaluated_for_other_reasons_is_updated_and_audited(
    world: World,
) -> None:
    case, full, escalation = _escalated(world)
    leave_period_add(
        actor=world.staff,
        lawyer=full,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )

    again = designation_auto(actor=None, case=case)

    assert again == escalation
    escalation.refresh_from_db()
    assert candidates_of(escalation.explanation) == [excluded(full, "on_leave", "at_capacity")]
    assert audit_of(escalation)[1:] == [
        (
            "escalation.update",
            None,
            {"exclusion_counts": [{"at_capacity": 1}, {"at_capacity": 1, "on_leave": 1}]},
        )
    ]
    assert Escalation.objects.filter(case=case).count() == 1


# --- Repeat victims --------------------------------------------------------------------------

BORN = born_years_ago(15)


def test_a_second_intake_with_the_same_national_number_is_linked_and_flagged(
    world: World,
) -> None:
    number = national_number_for(BORN, 123)
    person: dict[str, Any] = {"given_names": "Amira", "family_name": "Benali", "born": BORN}
    first = world.intake(national_number=number, **person)
    second = world.intake(national_number=number, **person)
    third = world.intake(
        national_number=number, given_names="amira", family_name="BENALI", born=BORN
    )

    assert first.victim.earlier_record is None
    assert second.victim.earlier_record == first.victim
    assert third.victim.earlier_record == first.victim  # the first record, not the second
    assert [c.is_repeat_victimisation for c in (first, second, third)] == [False, True, True]


def test_without_a_national_number_reordered_accented_names_and_the_birth_date_link_records(
    world: World,
) -> None:
    first = world.intake(given_names="Élodie Marie", family_name="Dupont", born=BORN)

    second = world.intake(given_names="DUPONT marie", family_name="Elodie", born=BORN)

    assert second.victim.earlier_record == first.victim
    assert second.is_repeat_victimisation


def test_the_same_names_with_another_birth_date_are_another_person(world: World) -> None:
    first = world.intake(given_names="Élodie Marie", family_name="Dupont", born=BORN)

    second = world.intake(
        given_names="Elodie Marie", family_name="Dupont", born=BORN + dt.timedelta(days=1)
    )

    assert second.victim.earlier_record is None
    assert not second.is_repeat_victimisation
    assert first.victim.later_records.count() == 0


# --- Fairness --------------------------------------------------------------------------------


def gini_by_hand(counts: list[int]) -> Fraction:
    """Mean absolute difference over every ordered pair, divided by twice the mean."""
    n, total = len(counts), sum(counts)
    differences = sum(abs(a - b) for a in counts for b in counts)
    return Fraction(differences, 2 * n * n) / Fraction(total, n)


def test_the_fairness_report_counts_each_lawyers_designations_and_their_spread(
    world: World,
) -> None:
    aline = world.lawyer("Aline", capacity=5)
    bruno = world.lawyer("Bruno", capacity=4)
    chris = world.lawyer("Chris", capacity=10)
    designation_accept(actor=world.staff, designation=world.propose(bruno))
    for accept in (True, True, False):
        designation = world.propose(chris)
        if accept:
            designation_accept(actor=world.staff, designation=designation)
    world.designated_days_ago(bruno, 60)  # before the period
    other = build_world("Other")
    dirk = other.lawyer("Dirk")
    other.propose(dirk)  # another bar's lawyer: not in this office's report
    today = timezone.localdate()
    since = today - dt.timedelta(days=30)
    client = APIClient()
    client.force_authenticate(world.staff)

    response = client.get(
        "/api/v1/fairness/", {"since": since.isoformat(), "until": today.isoformat()}
    )

    assert response.status_code == 200
    assert gini_by_hand([0, 1, 3]) == Fraction(1, 2)  # 2·(1+3+2) / (2·3²·4/3)
    assert response.json() == {
        "office": world.office.pk,
        "since": since.isoformat(),
        "until": today.isoformat(),
        "lawyers": [
            {"lawyer": aline.pk, "name": "Testlawyer, Aline", "capacity": 5, "open_load": 0,
             "load_ratio": 0.0, "designated_in_period": 0, "accepted_in_period": 0},
            {"lawyer": bruno.pk, "name": "Testlawyer, Bruno", "capacity": 4, "open_load": 1,
             "load_ratio": 0.25, "designated_in_period": 1, "accepted_in_period": 1},
            {"lawyer": chris.pk, "name": "Testlawyer, Chris", "capacity": 10, "open_load": 3,
             "load_ratio": 0.3, "designated_in_period": 3, "accepted_in_period": 2},
        ],
        "distribution": {
            "lawyers": 3, "designations": 4, "min": 0, "median": 1, "max": 3,
            "gini": round(float(gini_by_hand([0, 1, 3])), 4),
        },
    }  # fmt: skip


def test_an_even_spread_has_a_gini_of_zero_and_one_lawyer_taking_all_a_gini_of_three_quarters(
    world: World,
) -> None:
    lawyers = [world.lawyer(name) for name in ("Aline", "Bruno", "Chris", "Dirk")]
    client = APIClient()
    client.force_authenticate(world.staff)
    for lawyer in lawyers:
        world.propose(lawyer)
    even = client.get("/api/v1/fairness/").json()["distribution"]
    for _ in range(3):
        world.propose(lawyers[0])
    for lawyer in lawyers[1:]:
        Designation.objects.filter(lawyer=lawyer).update(
            proposed_at=timezone.now() - dt.timedelta(days=400)
        )

    skewed = client.get("/api/v1/fairness/").json()["distribution"]

    assert (even["gini"], float(gini_by_hand([1, 1, 1, 1]))) == (0.0, 0.0)
    assert skewed == {
        "lawyers": 4, "designations": 4, "min": 0, "median": 0.0, "max": 4,
        "gini": float(gini_by_hand([0, 0, 0, 4])),
    }  # fmt: skip
    assert gini_by_hand([0, 0, 0, 4]) == Fraction(3, 4)


def test_a_fairness_period_ending_before_it_starts_is_refused(world: World) -> None:
    client = APIClient()
    client.force_authenticate(world.staff)
    today = timezone.localdate()

    response = client.get(
        "/api/v1/fairness/",
        {"since": today.isoformat(), "until": (today - dt.timedelta(days=1)).isoformat()},
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "status": 400,
            "code": "invalid",
            "message": "The request was refused: see the field messages.",
            "fields": {"until": ["The period ends before it starts."]},
        }
    }


# --- The bulk command ------------------------------------------------------------------------


def _waiting_cases(world: World) -> tuple[Lawyer, list[Case], Case, Case]:
    """Two cases the panel can take, one needing a matter nobody is listed for, one already
    proposed (not waiting), and one of another office with no panel at all."""
    lotte = world.lawyer("Lotte", capacity=4, matters=["youth", "victims", "criminal"])
    takeable = [world.intake(), world.intake()]
    trafficking = world.intake(matters=[Matter.objects.get(pk="trafficking")])
    world.propose(lotte, world.intake())
    elsewhere = build_world("Other").intake()
    return lotte, takeable, trafficking, elsewhere


def _run(*args: str) -> str:
    out = StringIO()
    call_command("designate_waiting", *args, stdout=out)
    return out.getvalue()


def test_the_bulk_command_designates_waiting_cases_and_escalates_those_nobody_can_take(
    world: World,
) -> None:
    lotte, takeable, trafficking, elsewhere = _waiting_cases(world)

    output = _run()

    assert output == (
        f"\r[{'#' * 40}] 4/4\n"
        "Cases awaiting designation: 4\n"
        "Designated: 2\n"
        "Escalated to the office: 2\n"
        "  1 escalated case(s) had candidates excluded as not_listed_for_matters\n"
    )
    for case in takeable:
        designation = case.designations.get()
        assert (designation.lawyer, designation.status, designation.method) == (
            lotte,
            DesignationStatus.PROPOSED,
            DesignationMethod.AUTOMATIC,
        )
    assert not trafficking.designations.exists()
    assert candidates_of(Escalation.objects.get(case=trafficking).explanation) == [
        excluded(lotte, "not_listed_for_matters")
    ]
    assert candidates_of(Escalation.objects.get(case=elsewhere).explanation) == []
    statuses = Case.objects.filter(pk__in=[trafficking.pk, elsewhere.pk]).values_list(
        "status", flat=True
    )
    assert list(statuses) == [CaseStatus.AWAITING_DESIGNATION] * 2


def test_the_bulk_command_run_again_only_retries_the_escalated_cases_and_writes_nothing(
    world: World,
) -> None:
    _waiting_cases(world)
    _run()
    before = counts()

    output = _run()

    assert output == (
        f"\r[{'#' * 40}] 2/2\n"
        "Cases awaiting designation: 2\n"
        "Designated: 0\n"
        "Escalated to the office: 2\n"
        "  1 escalated case(s) had candidates excluded as not_listed_for_matters\n"
    )
    assert counts() == before


def test_the_bulk_command_for_one_office_leaves_the_others_cases_alone(world: World) -> None:
    _, takeable, trafficking, elsewhere = _waiting_cases(world)

    output = _run("--office", str(elsewhere.office_id))

    assert output == (
        f"\r[{'#' * 40}] 1/1\n"
        "Cases awaiting designation: 1\n"
        "Designated: 0\n"
        "Escalated to the office: 1\n"
    )
    assert Escalation.objects.get().case == elsewhere
    assert not Designation.objects.filter(case__in=[*takeable, trafficking]).exists()


def test_the_bulk_command_for_an_office_with_nothing_waiting_says_so(world: World) -> None:
    assert _run("--office", str(world.office.pk)) == (
        "Cases awaiting designation: 0\nDesignated: 0\nEscalated to the office: 0\n"
    )


def test_the_bulk_command_for_an_unknown_office_fails_and_changes_nothing(world: World) -> None:
    _waiting_cases(world)
    before = counts()

    with pytest.raises(CommandError) as failure:
        _run("--office", "999999")

    assert str(failure.value) == "No legal-aid office with id 999999."
    assert counts() == before


# --- Cost ------------------------------------------------------------------------------------


def _panel_and_case(name: str, size: int) -> Case:
    """`size` lawyers, one on leave and one representing the pimp elsewhere; a case with the
    pimp as a party."""
    world = build_world(name)
    lawyers = [world.lawyer(f"Lawyer{index:02d}") for index in range(size)]
    leave_period_add(
        actor=world.staff,
        lawyer=lawyers[0],
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    party_add(
        actor=world.staff,
        case=world.intake(),
        role=PartyRole.PIMP,
        full_name="Piet Pooier",
        represented_by=lawyers[1],
    )
    world.propose(lawyers[2])
    return world.intake(parties=[{"role": PartyRole.PIMP, "full_name": "POOIER Piet"}])


def test_the_engine_uses_as_many_queries_for_a_panel_of_50_as_for_a_panel_of_5(
    db: None,
) -> None:
    small, large = _panel_and_case("Small", 5), _panel_and_case("Large", 50)

    with CaptureQueriesContext(connection) as for_small:
        designation_auto(actor=None, case=small)
    with CaptureQueriesContext(connection) as for_large:
        designation_auto(actor=None, case=large)

    assert len(for_large) == len(for_small)
    assert [
        Designation.objects.get(case=case).explanation["considered"] for case in (small, large)
    ] == [5, 50]
    assert Designation.objects.get(case=large).explanation["exclusion_counts"] == {
        "conflict_of_interest": 1,
        "on_leave": 1,
    }


def test_a_defendant_added_after_designation_whom_the_lawyer_represents_escalates_the_case(
    world: World,
) -> None:
    """The lawyer defends 'Piet Pooier' in another proceeding; the victim's case learns of him
    only after the designation: the office's queue gets the case with the conflict."""
    lawyer = world.lawyer("Xavier")
    elsewhere = world.intake()
    party_add(
        actor=world.staff, case=elsewhere, role=PartyRole.PIMP, full_name="Piet Pooier",
        represented_by=lawyer,
    )  # fmt: skip
    case = world.intake()
    designation = designation_auto(actor=None, case=case)
    assert isinstance(designation, Designation)
    assert designation.lawyer == lawyer

    party_add(actor=world.staff, case=case, role=PartyRole.PIMP, full_name="POOIER, Piet")

    escalation = Escalation.objects.get(case=case, resolved_at__isnull=True)
    assert escalation.explanation["active_designation"] == designation.pk
    assert escalation.explanation["exclusion_counts"] == {"conflict_of_interest": 1}
    assert candidates_of(escalation.explanation) == [excluded(lawyer, "conflict_of_interest")]
    assert AuditEvent.objects.filter(action="escalation.open", case_id=case.pk).count() == 1
    designation.refresh_from_db()
    assert designation.status == DesignationStatus.PROPOSED  # the office decides what to do


def test_a_defendant_added_after_designation_without_a_conflict_changes_nothing_else(
    world: World,
) -> None:
    lawyer = world.lawyer("Xavier")
    case = world.intake()
    designation_auto(actor=None, case=case)

    party_add(actor=world.staff, case=case, role=PartyRole.CLIENT, full_name="Klant Onbekend")

    assert not Escalation.objects.filter(case=case).exists()
    assert Designation.objects.get(case=case).lawyer == lawyer
