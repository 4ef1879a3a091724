"""The designation engine's hard rules and ranking (DOMAIN.md section 4).

Every rule a candidate fails excludes them with its reason code, recorded in the explanation of
the designation (or of the escalation) that the engine writes. The eligible candidates are ranked
by: the minor's own choice, continuity for a repeat victim, speaking the victim's language, the
lowest load relative to capacity, the longest time since the last designation, the lowest id. Each
step is shown on a panel equal in every higher criterion, where the favoured lawyer is the worst
in every lower one."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from legalaid.engine import Exclusion, evaluate
from legalaid.engine import explanation_candidates as candidates_of
from legalaid.models import (
    Case,
    Designation,
    DesignationMethod,
    DesignationStatus,
    Escalation,
    Language,
    Lawyer,
    Matter,
    PartyRole,
)
from legalaid.services.designations import (
    designation_accept,
    designation_auto,
    designation_decline,
    designation_end,
    designation_expire_overdue,
    designation_withdraw,
)
from legalaid.services.lawyers import lawyer_update, leave_period_add
from legalaid.services.parties import party_add
from tests.legalaid.engine_world import (
    World,
    born_years_ago,
    build_world,
    excluded,
    latest_proposal,
    ranked,
)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def auto(case: Case) -> Designation:
    outcome = designation_auto(actor=None, case=case)
    assert isinstance(outcome, Designation), outcome.explanation
    return outcome


def today() -> dt.date:
    return timezone.localdate()


def test_the_reason_codes_are_the_documented_ones() -> None:
    assert {reason.name: str(reason) for reason in Exclusion} == {
        "INACTIVE": "inactive",
        "NOT_LISTED_FOR_MATTERS": "not_listed_for_matters",
        "LANGUAGE_OF_PROCEEDINGS": "does_not_speak_language_of_proceedings",
        "DISTRICT": "does_not_serve_district",
        "ON_LEAVE": "on_leave",
        "AT_CAPACITY": "at_capacity",
        "CONFLICT_OF_INTEREST": "conflict_of_interest",
        "DECLINED_OR_EXPIRED": "declined_or_expired_this_case",
    }


# --- Hard rules: one failing lawyer beside one good lawyer -----------------------------------


def _inactive(world: World, case: Case) -> Lawyer:
    return lawyer_update(actor=world.staff, lawyer=world.lawyer("Xavier"), active=False)


def _listed_for_one_of_the_two_matters(world: World, case: Case) -> Lawyer:
    assert sorted(case.matters.values_list("code", flat=True)) == ["victims", "youth"]
    return world.lawyer("Xavier", matters=["youth", "criminal", "trafficking"])


def _listed_for_no_matter(world: World, case: Case) -> Lawyer:
    return world.lawyer("Xavier", matters=[])


def _french_only(world: World, case: Case) -> Lawyer:
    return world.lawyer("Xavier", languages=("fr", "ar"))


def _serves_another_district_only(world: World, case: Case) -> Lawyer:
    return world.lawyer("Xavier", districts=("antwerpen", "leuven"))


def _leave_ending_today(world: World, case: Case) -> Lawyer:
    lawyer = world.lawyer("Xavier")
    leave_period_add(
        actor=world.staff,
        lawyer=lawyer,
        starts_on=today() - dt.timedelta(days=5),
        ends_on=today(),
    )
    return lawyer


def _leave_starting_today(world: World, case: Case) -> Lawyer:
    lawyer = world.lawyer("Xavier")
    leave_period_add(
        actor=world.staff,
        lawyer=lawyer,
        starts_on=today(),
        ends_on=today() + dt.timedelta(days=5),
    )
    return lawyer


def _proposed_and_accepted_fill_the_capacity(world: World, case: Case) -> Lawyer:
    lawyer = world.lawyer("Xavier", capacity=2)
    world.propose(lawyer)
    designation_accept(actor=world.staff, designation=world.propose(lawyer))
    return lawyer


def _declined_this_case(world: World, case: Case) -> Lawyer:
    lawyer = world.lawyer("Xavier")
    designation_decline(
        actor=world.staff, designation=world.propose(lawyer, case), reason="No time"
    )
    return lawyer


def _let_this_case_expire(world: World, case: Case) -> Lawyer:
    lawyer = world.lawyer("Xavier")
    proposal = world.propose(lawyer, case)
    assert designation_expire_overdue(now=proposal.respond_by + dt.timedelta(seconds=1)) == 1
    return lawyer


HARD_RULES: dict[str, tuple[Callable[[World, Case], Lawyer], Exclusion]] = {
    "inactive": (_inactive, Exclusion.INACTIVE),
    "listed for one of the case's two matters": (
        _listed_for_one_of_the_two_matters,
        Exclusion.NOT_LISTED_FOR_MATTERS,
    ),
    "listed for no matter": (_listed_for_no_matter, Exclusion.NOT_LISTED_FOR_MATTERS),
    "does not speak the language of proceedings": (
        _french_only,
        Exclusion.LANGUAGE_OF_PROCEEDINGS,
    ),
    "lawyer of the bar serving other districts": (
        _serves_another_district_only,
        Exclusion.DISTRICT,
    ),
    "leave ending today": (_leave_ending_today, Exclusion.ON_LEAVE),
    "leave starting today": (_leave_starting_today, Exclusion.ON_LEAVE),
    "proposed plus accepted reach the capacity": (
        _proposed_and_accepted_fill_the_capacity,
        Exclusion.AT_CAPACITY,
    ),
    "declined this case": (_declined_this_case, Exclusion.DECLINED_OR_EXPIRED),
    "let this case expire": (_let_this_case_expire, Exclusion.DECLINED_OR_EXPIRED),
}


@pytest.mark.parametrize(("make", "reason"), HARD_RULES.values(), ids=HARD_RULES.keys())
def test_a_lawyer_failing_a_hard_rule_is_excluded_with_its_reason_code(
    world: World, make: Callable[[World, Case], Lawyer], reason: Exclusion
) -> None:
    good = world.lawyer("Goedele")
    case = world.intake()
    failing = make(world, case)

    designation = auto(case)

    assert (designation.lawyer, designation.method) == (good, DesignationMethod.AUTOMATIC)
    explanation = designation.explanation
    assert candidates_of(explanation) == [ranked(good, 1), excluded(failing, reason)]
    assert (explanation["considered"], explanation["eligible"]) == (2, 1)
    assert explanation["exclusion_counts"] == {reason: 1}
    assert explanation["chosen"] == good.pk
    designation.refresh_from_db()
    assert designation.explanation == explanation  # stored as written


def _leave_ended_yesterday(world: World) -> Lawyer:
    lawyer = world.lawyer("Xavier")
    leave_period_add(
        actor=world.staff,
        lawyer=lawyer,
        starts_on=today() - dt.timedelta(days=9),
        ends_on=today() - dt.timedelta(days=1),
    )
    return lawyer


def _leave_starting_tomorrow(world: World) -> Lawyer:
    lawyer = world.lawyer("Xavier")
    leave_period_add(
        actor=world.staff,
        lawyer=lawyer,
        starts_on=today() + dt.timedelta(days=1),
        ends_on=today() + dt.timedelta(days=9),
    )
    return lawyer


def _closed_designations_leave_a_place(world: World) -> Lawyer:
    """Capacity 1, with a declined, an expired, a withdrawn and an ended designation."""
    lawyer = world.lawyer("Xavier", capacity=1)
    designation_decline(actor=world.staff, designation=world.propose(lawyer), reason="No time")
    late = world.propose(lawyer)
    designation_expire_overdue(now=late.respond_by + dt.timedelta(seconds=1))
    designation_withdraw(actor=world.staff, designation=world.propose(lawyer), reason="Moved")
    ended = designation_accept(actor=world.staff, designation=world.propose(lawyer))
    designation_end(actor=world.staff, designation=ended, reason="Case closed")
    return lawyer


NOT_EXCLUDED: dict[str, Callable[[World], Lawyer]] = {
    "leave ended yesterday": _leave_ended_yesterday,
    "leave starting tomorrow": _leave_starting_tomorrow,
    "declined, expired, withdrawn and ended designations": _closed_designations_leave_a_place,
}


@pytest.mark.parametrize("make", NOT_EXCLUDED.values(), ids=NOT_EXCLUDED.keys())
def test_a_lawyer_just_outside_a_hard_rule_is_eligible(
    world: World, make: Callable[[World], Lawyer]
) -> None:
    lawyer = make(world)
    case = world.intake()

    designation = auto(case)

    assert designation.lawyer == lawyer
    assert designation.explanation["exclusion_counts"] == {}
    assert candidates_of(designation.explanation)[0]["scores"]["open_designations"] == 0


def test_every_failed_rule_of_a_lawyer_is_recorded_in_the_rules_order(world: World) -> None:
    good = world.lawyer("Goedele")
    failing = world.lawyer("Xavier", capacity=1)
    world.propose(failing)
    leave_period_add(actor=world.staff, lawyer=failing, starts_on=today(), ends_on=today())
    lawyer_update(
        actor=world.staff,
        lawyer=failing,
        active=False,
        languages=[Language.objects.get(pk="fr")],
        matters=[Matter.objects.get(pk="criminal")],
    )

    designation = auto(world.intake())

    assert candidates_of(designation.explanation) == [
        ranked(good, 1),
        excluded(
            failing,
            "inactive",
            "not_listed_for_matters",
            "does_not_speak_language_of_proceedings",
            "on_leave",
            "at_capacity",
        ),
    ]


def test_an_escalation_records_every_candidate_with_its_reasons(world: World) -> None:
    inactive = lawyer_update(actor=world.staff, lawyer=world.lawyer("Ines"), active=False)
    unlisted = world.lawyer("Ulrike", matters=["criminal"])
    french = world.lawyer("Francois", languages=("fr",))
    elsewhere = world.lawyer("Elias", districts=("antwerpen",))
    resting = world.lawyer("Rosa")
    leave_period_add(actor=world.staff, lawyer=resting, starts_on=today(), ends_on=today())
    full = world.lawyer("Fien", capacity=1)
    world.propose(full)
    case = world.intake()

    outcome = designation_auto(actor=world.staff, case=case)

    assert isinstance(outcome, Escalation)
    assert outcome.explanation["chosen"] is None
    assert (outcome.explanation["considered"], outcome.explanation["eligible"]) == (6, 0)
    assert candidates_of(outcome.explanation) == [
        excluded(inactive, "inactive"),
        excluded(unlisted, "not_listed_for_matters"),
        excluded(french, "does_not_speak_language_of_proceedings"),
        excluded(elsewhere, "does_not_serve_district"),
        excluded(resting, "on_leave"),
        excluded(full, "at_capacity"),
    ]
    assert outcome.explanation["exclusion_counts"] == {
        "at_capacity": 1,
        "does_not_serve_district": 1,
        "does_not_speak_language_of_proceedings": 1,
        "inactive": 1,
        "not_listed_for_matters": 1,
        "on_leave": 1,
    }


# --- Conflict of interest --------------------------------------------------------------------

PIMP = {"full_name": "Piet Pooier", "aliases": ["Don Pietro"], "handles": ["@piet_money"]}


def _linked(world: World, lawyer: Lawyer, role: str = PartyRole.PIMP, **party: Any) -> None:
    """`lawyer` represents, in another victim's case, the defendant described by `party`."""
    party_add(actor=world.staff, case=world.intake(), role=role, represented_by=lawyer, **party)


def _here(world: World, case: Case, lawyer: Lawyer, role: str) -> None:
    party_add(
        actor=world.staff, case=case, role=role, full_name="Co Defendant", represented_by=lawyer
    )


def _same_defendant_elsewhere(world: World, case: Case, lawyer: Lawyer, role: str) -> None:
    defendant = case.parties.get().defendant
    _linked(world, lawyer, role, defendant=defendant)


@pytest.mark.parametrize("role", PartyRole.values)
@pytest.mark.parametrize(
    "link", [_here, _same_defendant_elsewhere], ids=["in this case", "in a linked proceeding"]
)
def test_a_lawyer_representing_any_party_here_or_in_a_linked_proceeding_is_conflicted(
    world: World, role: str, link: Callable[[World, Case, Lawyer, str], None]
) -> None:
    good = world.lawyer("Goedele")
    conflicted = world.lawyer("Xavier")
    case = world.intake(parties=[{"role": PartyRole.PIMP, **PIMP}])
    link(world, case, conflicted, role)

    designation = auto(case)

    assert candidates_of(designation.explanation) == [
        ranked(good, 1),
        excluded(conflicted, "conflict_of_interest"),
    ]


@pytest.mark.parametrize("role", [PartyRole.CO_ACCUSED, PartyRole.CLIENT, PartyRole.RECRUITER])
def test_a_lawyer_of_another_defendant_of_a_linked_proceeding_is_conflicted(
    world: World, role: str
) -> None:
    """The pimp is a party in another victim's case too (under another spelling); there, the
    lawyer defends someone who is no party here: a defendant of a linked proceeding all the same."""
    good = world.lawyer("Goedele")
    conflicted = world.lawyer("Xavier")
    named = world.lawyer("Yannick")
    linked = world.intake(parties=[{"role": PartyRole.PIMP, "full_name": "Pooier Piet"}])
    party_add(
        actor=world.staff,
        case=linked,
        role=role,
        full_name="Karel Klant",
        represented_by=conflicted,
    )
    party_add(
        actor=world.staff,
        case=linked,
        role=role,
        full_name="Rudi Ronselaar",
        represented_by_name="Yannick TESTLAWYER",
    )
    case = world.intake(parties=[{"role": PartyRole.PIMP, **PIMP}])

    designation = auto(case)

    assert candidates_of(designation.explanation) == [
        ranked(good, 1),
        excluded(conflicted, "conflict_of_interest"),
        excluded(named, "conflict_of_interest"),
    ]


MATCHES: dict[str, Callable[[World, Lawyer], None]] = {
    "the pimp's name in another order, case and accents": lambda world, lawyer: _linked(
        world, lawyer, full_name="POOIER, Piét"
    ),
    "a defendant whose alias is the pimp's name": lambda world, lawyer: _linked(
        world, lawyer, role=PartyRole.RECRUITER, full_name="Unknown man", aliases=["pooier PIET"]
    ),
    "a defendant named as the pimp's alias": lambda world, lawyer: _linked(
        world, lawyer, role=PartyRole.CLIENT, full_name="Pietro, DON"
    ),
    "a defendant sharing the pimp's alias": lambda world, lawyer: _linked(
        world, lawyer, full_name="Peter Pander", aliases=["Don  Piëtro"]
    ),
    "a defendant with the pimp's handle spelt otherwise": lambda world, lawyer: _linked(
        world, lawyer, role=PartyRole.CO_ACCUSED, full_name="John Doe", handles=["Piet.Money"]
    ),
}


@pytest.mark.parametrize("match", MATCHES.values(), ids=MATCHES.keys())
def test_a_conflict_is_matched_on_normalised_names_aliases_and_handles_not_only_ids(
    world: World, match: Callable[[World, Lawyer], None]
) -> None:
    good = world.lawyer("Goedele")
    conflicted = world.lawyer("Xavier")
    match(world, conflicted)
    case = world.intake(parties=[{"role": PartyRole.PIMP, **PIMP}])

    designation = auto(case)

    assert candidates_of(designation.explanation) == [
        ranked(good, 1),
        excluded(conflicted, "conflict_of_interest"),
    ]


@pytest.mark.parametrize("where", ["in this case", "in a linked proceeding"])
def test_a_panel_lawyer_known_only_by_the_name_given_for_a_defendant_is_conflicted(
    world: World, where: str
) -> None:
    good = world.lawyer("Goedele")
    conflicted = world.lawyer("Xavier")
    named: dict[str, Any] = {"role": PartyRole.CLIENT, "represented_by_name": "TESTLAWYER, Xavièr"}
    if where == "in this case":
        parties = [{"role": PartyRole.PIMP, **PIMP}, {"full_name": "Carl Client", **named}]
    else:
        party_add(actor=world.staff, case=world.intake(), full_name="Piet POOIER", **named)
        parties = [{"role": PartyRole.PIMP, **PIMP}]

    designation = auto(world.intake(parties=parties))

    assert candidates_of(designation.explanation) == [
        ranked(good, 1),
        excluded(conflicted, "conflict_of_interest"),
    ]


def test_a_lawyer_of_an_unrelated_defendant_with_a_similar_name_or_handle_is_not_conflicted(
    world: World,
) -> None:
    lawyer = world.lawyer("Xavier")
    _linked(world, lawyer, full_name="Pieter Pooiers", handles=["@piet_money2"])
    party_add(
        actor=world.staff,
        case=world.intake(),
        role=PartyRole.CLIENT,
        full_name="Karel Klant",
        represented_by_name="Xavier Testlawyer-Jansens",
    )
    case = world.intake(parties=[{"role": PartyRole.PIMP, **PIMP}])

    designation = auto(case)

    assert designation.lawyer == lawyer
    assert designation.explanation["exclusion_counts"] == {}


# --- The minor's own choice ------------------------------------------------------------------


def _chosen_at_capacity(world: World) -> tuple[Lawyer, int]:
    lawyer = world.lawyer("Xavier", capacity=1)
    world.propose(lawyer)
    return lawyer, 1


def _chosen_on_leave(world: World) -> tuple[Lawyer, int]:
    lawyer = world.lawyer("Xavier")
    leave_period_add(
        actor=world.staff, lawyer=lawyer, starts_on=today(), ends_on=today() + dt.timedelta(1)
    )
    return lawyer, 0


def _chosen_from_another_bar_and_district(world: World) -> tuple[Lawyer, int]:
    elsewhere = build_world("Elsewhere")
    return elsewhere.lawyer("Xavier", districts=("antwerpen",)), 0


CHOICES: dict[str, Callable[[World], tuple[Lawyer, int]]] = {
    "at capacity": _chosen_at_capacity,
    "on leave": _chosen_on_leave,
    "of another bar and district": _chosen_from_another_bar_and_district,
}


@pytest.mark.parametrize("make", CHOICES.values(), ids=CHOICES.keys())
def test_the_minors_chosen_lawyer_is_designated_even_when_a_rule_would_exclude_them(
    world: World, make: Callable[[World], tuple[Lawyer, int]]
) -> None:
    other = world.lawyer("Goedele")
    chosen, open_designations = make(world)
    case = world.intake(chosen_lawyer=chosen)
    last = latest_proposal(chosen) if open_designations else None

    designation = auto(case)

    assert designation.lawyer == chosen
    assert candidates_of(designation.explanation) == [
        ranked(chosen, 1, chosen=True, open_designations=open_designations, last=last),
        ranked(other, 2),
    ]
    assert designation.explanation["exclusion_counts"] == {}


def test_the_minors_chosen_lawyer_is_not_designated_when_conflicted(world: World) -> None:
    other = world.lawyer("Goedele")
    chosen = world.lawyer("Xavier")
    leave_period_add(actor=world.staff, lawyer=chosen, starts_on=today(), ends_on=today())
    _linked(world, chosen, full_name="Piet Pooier")
    case = world.intake(chosen_lawyer=chosen, parties=[{"role": PartyRole.PIMP, **PIMP}])

    designation = auto(case)

    assert designation.lawyer == other
    # Only what even a free choice cannot override is shown for the chosen lawyer.
    assert candidates_of(designation.explanation) == [
        ranked(other, 1),
        excluded(chosen, "conflict_of_interest"),
    ]


def test_the_minors_chosen_lawyer_who_declined_the_case_is_not_proposed_again(
    world: World,
) -> None:
    other = world.lawyer("Goedele")
    chosen = world.lawyer("Xavier")
    case = world.intake(chosen_lawyer=chosen, auto_designate=True)
    first = case.designations.get()
    assert first.lawyer == chosen

    designation_decline(actor=world.staff, designation=first, reason="I am moving abroad")

    successor = case.designations.get(status=DesignationStatus.PROPOSED)
    assert successor.lawyer == other
    assert candidates_of(successor.explanation) == [
        ranked(other, 1),
        excluded(chosen, "declined_or_expired_this_case"),
    ]


def test_a_chosen_lawyer_without_declared_capacity_gets_a_valid_json_explanation(
    world: World,
) -> None:
    chosen = world.lawyer("Xavier", capacity=0)

    designation = auto(world.intake(chosen_lawyer=chosen))

    assert designation.lawyer == chosen
    designation.refresh_from_db()
    entry = candidates_of(designation.explanation)[0]
    assert entry["scores"]["load"] is None
    assert (entry["scores"]["open_designations"], entry["scores"]["capacity"]) == (0, 0)
    json.dumps(designation.explanation, allow_nan=False)  # no Infinity: PostgreSQL refuses it


# --- Ranking, one step at a time -------------------------------------------------------------


def _earlier_record_of(world: World, lawyer: Lawyer, *, status: str, **person: Any) -> Case:
    """A first intake of the person, designated to `lawyer` and left in `status`."""
    case = world.intake(**person)
    designation = world.propose(lawyer, case)
    if status in (DesignationStatus.ACCEPTED, DesignationStatus.ENDED):
        designation_accept(actor=world.staff, designation=designation)
    if status == DesignationStatus.ENDED:
        designation_end(actor=world.staff, designation=designation, reason="Case closed")
    if status == DesignationStatus.WITHDRAWN:
        designation_withdraw(actor=world.staff, designation=designation, reason="Mistake")
    return case


AMIRA: dict[str, Any] = {
    "given_names": "Amira",
    "family_name": "Benali",
    "born": born_years_ago(15),
    "victim_language": "ar",
}


def test_the_chosen_lawyer_ranks_above_every_other_preference(world: World) -> None:
    """The other lawyer assisted the victim before, speaks her language, has the lower load, was
    designated longer ago and has the lower id; the minor's choice still comes first."""
    other = world.lawyer("Goedele", languages=("nl", "ar"))
    chosen = world.lawyer("Xavier")
    _earlier_record_of(world, other, status=DesignationStatus.ACCEPTED, **AMIRA)
    world.propose(chosen)
    world.propose(chosen)
    case = world.intake(chosen_lawyer=chosen, **AMIRA)
    chosen_last, other_last = latest_proposal(chosen), latest_proposal(other)

    designation = auto(case)

    assert candidates_of(designation.explanation) == [
        ranked(chosen, 1, chosen=True, speaks=False, open_designations=2, last=chosen_last),
        ranked(other, 2, before=True, open_designations=1, last=other_last),
    ]


@pytest.mark.parametrize(
    ("status", "continuity"),
    [
        (DesignationStatus.ACCEPTED, True),
        (DesignationStatus.ENDED, True),
        (DesignationStatus.PROPOSED, False),
        (DesignationStatus.WITHDRAWN, False),
    ],
)
def test_continuity_ranks_the_lawyer_who_assisted_the_same_victim_before_first(
    world: World, status: str, continuity: bool
) -> None:
    """The other lawyer speaks the victim's language, has no load, was never designated and has
    the lower id: only an accepted (or since ended) designation for the earlier record counts."""
    other = world.lawyer("Goedele", languages=("nl", "ar"))
    keeper = world.lawyer("Xavier")
    earlier = _earlier_record_of(world, keeper, status=status, **AMIRA)
    case = world.intake(**AMIRA)
    assert (case.victim.earlier_record, case.is_repeat_victimisation) == (earlier.victim, True)
    keeper_open = 1 if status in (DesignationStatus.ACCEPTED, DesignationStatus.PROPOSED) else 0
    keeper_entry = ranked(
        keeper, 1, before=continuity, speaks=False, open_designations=keeper_open,
        last=latest_proposal(keeper),
    )  # fmt: skip

    designation = auto(case)

    if continuity:
        assert designation.lawyer == keeper
        assert candidates_of(designation.explanation) == [keeper_entry, ranked(other, 2)]
    else:
        assert designation.lawyer == other
        assert candidates_of(designation.explanation) == [
            ranked(other, 1),
            {**keeper_entry, "rank": 2},
        ]


def test_continuity_reaches_the_lawyer_of_the_first_record_from_a_third_even_of_another_bar(
    world: World,
) -> None:
    elsewhere = build_world("Elsewhere")
    keeper = elsewhere.lawyer("Xavier", districts=("antwerpen", "limburg"))
    good = world.lawyer("Goedele")
    first = world.intake(chosen_lawyer=keeper, auto_designate=True, **AMIRA)
    designation_accept(actor=world.staff, designation=first.designations.get(lawyer=keeper))
    second = world.intake(**AMIRA)
    third = world.intake(**AMIRA)
    assert third.victim.earlier_record_id == second.victim.earlier_record_id == first.victim_id
    keeper_last = latest_proposal(keeper)

    designation = auto(third)

    assert designation.lawyer == keeper
    assert candidates_of(designation.explanation) == [
        ranked(keeper, 1, before=True, speaks=False, open_designations=1,
               last=keeper_last),
        ranked(good, 2, speaks=False),
    ]  # fmt: skip


def test_speaking_the_victims_own_language_ranks_above_load_and_rotation(world: World) -> None:
    other = world.lawyer("Goedele")
    speaker = world.lawyer("Xavier", languages=("nl", "ar"))
    world.propose(speaker)
    case = world.intake(victim_language="ar")
    speaker_last = latest_proposal(speaker)

    designation = auto(case)

    assert designation.lawyer == speaker
    assert candidates_of(designation.explanation) == [
        ranked(speaker, 1, open_designations=1, last=speaker_last),
        ranked(other, 2, speaks=False),
    ]


def test_the_lowest_load_relative_to_capacity_ranks_first_not_the_fewest_cases(
    world: World,
) -> None:
    half = world.lawyer("Anna", capacity=2)
    quarter = world.lawyer("Bert", capacity=4)
    fifth = world.lawyer("Chris", capacity=10)
    for lawyer in (half, quarter, fifth, fifth):  # the lightest-loaded was designated last
        world.propose(lawyer)
    last = {lawyer: latest_proposal(lawyer) for lawyer in (half, quarter, fifth)}

    designation = auto(world.intake())

    assert designation.lawyer == fifth
    candidates = candidates_of(designation.explanation)
    assert [(c["lawyer"], c["rank"], c["scores"]["load"]) for c in candidates] == [
        (fifth.pk, 1, 0.2),
        (quarter.pk, 2, 0.25),
        (half.pk, 3, 0.5),
    ]
    assert candidates == [
        ranked(fifth, 1, open_designations=2, last=last[fifth]),
        ranked(quarter, 2, open_designations=1, last=last[quarter]),
        ranked(half, 3, open_designations=1, last=last[half]),
    ]


def test_rotation_ranks_the_never_designated_then_the_longest_since_their_last_designation(
    world: World,
) -> None:
    recent = world.lawyer("Anna")
    longer_ago = world.lawyer("Bert")
    never = world.lawyer("Chris")
    world.designated_days_ago(recent, 30)  # older than Bert's, but not Anna's latest
    recent_last = world.designated_days_ago(recent, 2)
    longer_ago_last = world.designated_days_ago(longer_ago, 10)

    designation = auto(world.intake())

    assert designation.lawyer == never
    assert candidates_of(designation.explanation) == [
        ranked(never, 1),
        ranked(longer_ago, 2, last=longer_ago_last),
        ranked(recent, 3, last=recent_last),
    ]


def test_equal_candidates_are_ranked_by_id_every_time(world: World) -> None:
    first, second, third = (world.lawyer(name) for name in ("Zoe", "Yann", "Xavi"))
    case = world.intake()

    orders = [[c.lawyer_id for c in evaluate(case).ranked()] for _ in range(3)]
    designation = auto(case)

    assert orders == [[first.pk, second.pk, third.pk]] * 3
    assert designation.lawyer == first
    assert candidates_of(designation.explanation) == [
        ranked(first, 1),
        ranked(second, 2),
        ranked(third, 3),
    ]


def test_the_pool_reads_facts_as_booleans_and_moments_as_aware_times_on_every_backend(
    world: World,
) -> None:
    """The pool is one SQL statement (SQLite answers 0/1 and text where PostgreSQL answers
    booleans and times): the rules and the stored explanation get Python booleans and aware
    times either way, and the engine's view of each lawyer matches their row."""
    from legalaid.engine import POOL_FIELDS, _pool

    rotated, fresh = world.lawyer("Rotated"), world.lawyer("Fresh", languages=("fr",))
    when = world.designated_days_ago(rotated, 3)
    leave_period_add(actor=world.staff, lawyer=fresh, starts_on=today(), ends_on=today())
    case = Case.objects.select_related("office", "victim").get(pk=world.intake().pk)

    rows = {row["pk"]: row for row in _pool(case, today(), ["youth", "criminal"], {fresh.pk})}

    assert set(rows) >= {rotated.pk, fresh.pk}
    for row in rows.values():
        assert list(row) == list(POOL_FIELDS)
        for name in ("active", "speaks_proceedings", "speaks_victim", "serves_district",
                     "on_leave", "declined_this_case"):  # fmt: skip
            assert type(row[name]) is bool, name
    assert rows[rotated.pk]["last_designated_at"] == when
    assert rows[rotated.pk]["last_designated_at"].utcoffset() == dt.timedelta(0)
    assert rows[fresh.pk]["last_designated_at"] is None
    assert (rows[fresh.pk]["on_leave"], rows[fresh.pk]["speaks_proceedings"]) == (True, False)
    assert (rows[rotated.pk]["on_leave"], rows[rotated.pk]["speaks_proceedings"]) == (False, True)
    assert rows[rotated.pk]["matters_listed"] == 2  # listed for every matter
    explanation = json.loads(json.dumps(evaluate(case).explanation()))
    assert all(isinstance(row[2], bool) for row in explanation["ranked"])
