"""Intake of a minor victim and their case: what is created (in the same transaction, the engine's
proposal or an escalation), repeat victims linked to their first record, and every input that is
refused without writing anything (DOMAIN.md sections 1 to 4 and 8)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from legalaid.audit import MASK
from legalaid.engine import explanation_candidates as candidates_of
from legalaid.models import (
    AuditEvent,
    Case,
    CaseStatus,
    Defendant,
    Designation,
    DesignationMethod,
    DesignationStatus,
    District,
    Escalation,
    Language,
    Party,
    Victim,
)
from legalaid.national_number import national_number_for, national_number_is_valid
from legalaid.services.cases import case_intake
from legalaid.services.lawyers import lawyer_update
from tests.cast import Cast

URL = "/api/v1/intake/"
REFUSED = "The request was refused: see the field messages."
DEFAULT_MATTERS = ["victims", "youth"]  # Matter.default_for_cases


def born_years_ago(years: int, *, days_more: int = 0) -> dt.date:
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # today is 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - dt.timedelta(days=days_more)


BORN = born_years_ago(15, days_more=40)


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def payload(**overrides: Any) -> dict[str, Any]:
    victim = {
        "given_names": "Amira",
        "family_name": "Benali",
        "date_of_birth": BORN.isoformat(),
        "national_number": national_number_for(BORN, 123),
        "nationality": "be",
        "language": "nl",
    }
    victim.update(overrides.pop("victim", {}))
    return {"victim": victim, "district": "antwerpen", **overrides}


def counts() -> dict[str, int]:
    return {
        "victims": Victim.objects.count(),
        "cases": Case.objects.count(),
        "designations": Designation.objects.count(),
        "escalations": Escalation.objects.count(),
        "defendants": Defendant.objects.count(),
        "parties": Party.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def every_lawyer_at_capacity(cast: Cast) -> None:
    """Office A's two lawyers each hold one open designation: capacity 1 leaves no place."""
    for lawyer in (cast.panel_a, cast.panel_a2):
        lawyer_update(actor=cast.office_a, lawyer=lawyer, capacity=1)


def refused(fields: dict[str, list[str]]) -> dict[str, Any]:
    return {"error": {"status": 400, "code": "invalid", "message": REFUSED, "fields": fields}}


# --- A successful intake ---------------------------------------------------------------------


def test_intake_creates_one_victim_one_case_and_the_engines_proposal_in_one_request(
    cast: Cast,
) -> None:
    before = counts()

    response = client_for(cast.office_a).post(URL, payload(), format="json")

    assert response.status_code == 201
    assert counts() == {
        **before,
        "victims": before["victims"] + 1,
        "cases": before["cases"] + 1,
        "designations": before["designations"] + 1,
        "audit": before["audit"] + 3,
    }
    case = Case.objects.get(pk=response.json()["id"])
    assert case.status == CaseStatus.AWAITING_DESIGNATION  # until the lawyer accepts
    assert case.office == cast.office_a_obj
    assert case.district_id == "antwerpen"
    assert case.intake_on == timezone.localdate()
    assert case.adult_at_intake is False
    assert case.is_repeat_victimisation is False
    assert case.chosen_lawyer is None
    assert sorted(case.matters.values_list("code", flat=True)) == DEFAULT_MATTERS
    victim = case.victim
    assert (victim.given_names, victim.family_name, victim.date_of_birth) == (
        "Amira",
        "Benali",
        BORN,
    )
    assert victim.national_number == national_number_for(BORN, 123)
    assert victim.nationality == "BE"
    assert victim.earlier_record is None
    assert re.fullmatch(r"V-[A-HJ-NP-Z2-9]{6}", victim.pseudonym)
    assert re.fullmatch(rf"LZ-{case.intake_on.year}-[A-HJ-NP-Z2-9]{{6}}", case.reference)
    # Anna and Bert carry one open designation each; Anna's is the older: rotation picks her.
    designation = case.designations.get()
    assert (designation.lawyer, designation.status, designation.method, designation.reason) == (
        cast.panel_a,
        DesignationStatus.PROPOSED,
        DesignationMethod.AUTOMATIC,
        "",
    )
    answered = response.json()["active_designation"]
    assert dt.datetime.fromisoformat(answered.pop("proposed_at")) == designation.proposed_at
    assert dt.datetime.fromisoformat(answered.pop("respond_by")) == designation.respond_by
    assert answered == {
        "id": designation.pk,
        "lawyer": cast.panel_a.pk,
        "lawyer_name": "Testlawyer, Anna",
        "status": "proposed",
        "method": "automatic",
    }
    assert not Escalation.objects.filter(case=case).exists()


def test_the_automatic_proposal_explains_every_candidate_with_its_rank_and_scores(
    cast: Cast,
) -> None:
    response = client_for(cast.office_a).post(URL, payload(), format="json")

    explanation = Case.objects.get(pk=response.json()["id"]).designations.get().explanation
    assert {key: explanation[key] for key in ("chosen", "considered", "eligible")} == {
        "chosen": cast.panel_a.pk,
        "considered": 2,
        "eligible": 2,
    }
    assert explanation["exclusion_counts"] == {}
    assert [(c["lawyer"], c["rank"]) for c in candidates_of(explanation)] == [
        (cast.panel_a.pk, 1),
        (cast.panel_a2.pk, 2),
    ]
    assert candidates_of(explanation)[0]["scores"] == {
        "chosen_by_minor": False,
        "assisted_victim_before": False,
        "speaks_victim_language": True,
        "load": 0.2,
        "open_designations": 1,
        "capacity": 5,
        "last_designated_at": cast.designation_a.proposed_at.isoformat(),
    }


def test_intake_with_nobody_eligible_opens_an_escalation_instead_of_a_proposal(
    cast: Cast,
) -> None:
    every_lawyer_at_capacity(cast)
    before = counts()

    response = client_for(cast.office_a).post(URL, payload(), format="json")

    assert response.status_code == 201
    assert response.json()["active_designation"] is None
    assert counts() == {
        **before,
        "victims": before["victims"] + 1,
        "cases": before["cases"] + 1,
        "escalations": before["escalations"] + 1,
        "audit": before["audit"] + 3,
    }
    case = Case.objects.get(pk=response.json()["id"])
    assert case.status == CaseStatus.AWAITING_DESIGNATION
    assert not case.designations.exists()
    escalation = Escalation.objects.get(case=case)
    assert (escalation.resolved_at, escalation.resolved_by, escalation.resolution) == (
        None,
        None,
        "",
    )
    assert escalation.explanation["chosen"] is None
    assert escalation.explanation["exclusion_counts"] == {"at_capacity": 2}
    assert [(c["lawyer"], c["excluded"]) for c in candidates_of(escalation.explanation)] == [
        (cast.panel_a.pk, ["at_capacity"]),
        (cast.panel_a2.pk, ["at_capacity"]),
    ]
    row = AuditEvent.objects.filter(case_id=case.pk).order_by("id").last()
    assert row is not None
    assert (row.action, row.actor, row.target_id, row.changes) == (
        "escalation.open",
        cast.office_a,
        str(escalation.pk),
        {"exclusion_counts": [None, {"at_capacity": 2}]},
    )


def test_the_minors_chosen_lawyer_is_proposed_even_above_capacity(cast: Cast) -> None:
    every_lawyer_at_capacity(cast)

    response = client_for(cast.office_a).post(
        URL, payload(chosen_lawyer=cast.panel_a2.pk), format="json"
    )

    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert case.chosen_lawyer == cast.panel_a2
    designation = case.designations.get()
    assert (designation.lawyer, designation.method) == (cast.panel_a2, DesignationMethod.AUTOMATIC)
    assert response.json()["active_designation"]["lawyer"] == cast.panel_a2.pk
    assert candidates_of(designation.explanation)[0]["scores"]["chosen_by_minor"] is True
    assert not Escalation.objects.filter(case=case).exists()


def test_an_unknown_chosen_lawyer_is_refused_and_writes_nothing(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).post(URL, payload(chosen_lawyer=999_999), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "status": 400,
            "code": "invalid",
            "message": "No such lawyer.",
            "fields": {"chosen_lawyer": ["No such lawyer."]},
        }
    }
    assert counts() == before


def test_defendants_given_at_intake_are_recorded_and_their_lawyer_is_never_proposed(
    cast: Cast,
) -> None:
    # Anna would be first in rotation, but she defends the pimp named at intake.
    parties = [
        {"role": "pimp", "full_name": "Kevin Maes", "handles": ["@km_money"],
         "represented_by": cast.panel_a.pk},
        {"role": "client", "full_name": "Jan Klant"},
    ]  # fmt: skip
    before = counts()

    response = client_for(cast.office_a).post(URL, payload(parties=parties), format="json")

    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert [
        (party.role, party.defendant.full_name, party.represented_by)
        for party in case.parties.order_by("id")
    ] == [("pimp", "Kevin Maes", cast.panel_a), ("client", "Jan Klant", None)]
    assert counts()["defendants"] == before["defendants"] + 2
    designation = case.designations.get()
    assert designation.lawyer == cast.panel_a2
    assert designation.explanation["exclusion_counts"] == {"conflict_of_interest": 1}
    assert [c for c in candidates_of(designation.explanation) if "excluded" in c] == [
        {
            "lawyer": cast.panel_a.pk,
            "excluded": ["conflict_of_interest"],
        }
    ]


@pytest.mark.parametrize(
    ("parties", "fields"),
    [
        (
            [{"role": "client", "full_name": "Jan Klant"}, {"role": "pimp"}],
            {"parties[1].full_name": ["Give a name or a known defendant."]},
        ),
        (
            [{"role": "client", "full_name": "Jan Klant"}, {"role": "pimp", "full_name": "?!"}],
            {"parties[1].full_name": ["Give the defendant's name."]},
        ),
    ],
    ids=["checked by the form", "checked by the service, after the case was saved"],
)
def test_a_refused_defendant_at_intake_refuses_the_whole_intake_and_writes_nothing(
    cast: Cast, parties: list[dict[str, Any]], fields: dict[str, list[str]]
) -> None:
    before = counts()

    response = client_for(cast.office_a).post(URL, payload(parties=parties), format="json")

    assert response.status_code == 400
    assert response.json() == refused(fields)
    assert counts() == before


def test_intake_audit_rows_mask_every_identity_value(cast: Cast) -> None:
    response = client_for(cast.office_a).post(URL, payload(), format="json")
    case = Case.objects.get(pk=response.json()["id"])
    victim = case.victim
    designation = case.designations.get()

    rows = AuditEvent.objects.filter(case_id=case.pk).order_by("id")

    assert [(row.action, row.actor, row.office_id) for row in rows] == [
        ("victim.create", cast.office_a, cast.office_a_obj.pk),
        ("case.create", cast.office_a, cast.office_a_obj.pk),
        ("designation.proposed", cast.office_a, cast.office_a_obj.pk),
    ]
    assert rows[0].target_id == str(victim.pk)
    assert rows[0].changes == {
        "date_of_birth": [None, MASK],
        "family_name": [None, MASK],
        "given_names": [None, MASK],
        "language": [None, "nl"],
        "national_number": [None, MASK],
        "nationality": [None, MASK],
        "pseudonym": [None, victim.pseudonym],
    }
    assert rows[1].changes == {
        "adult_at_intake": [None, False],
        "adult_at_intake_reason": [None, ""],
        "court": [None, ""],
        "district": [None, "antwerpen"],
        "intake_on": [None, timezone.localdate().isoformat()],
        "investigating_judge": [None, ""],
        "is_repeat_victimisation": [None, False],
        "language": [None, "nl"],
        "matters": [None, DEFAULT_MATTERS],
        "office": [None, cast.office_a_obj.pk],
        "prosecutor_notice_number": [None, ""],
        "reference": [None, case.reference],
        "status": [None, "awaiting_designation"],
        "victim": [None, victim.pk],
    }
    assert (rows[2].target_id, rows[2].changes) == (
        str(designation.pk),
        {"status": [None, "proposed"], "reason": [None, None]},
    )
    trail = json.dumps([row.changes for row in AuditEvent.objects.all()], ensure_ascii=False)
    for secret in ("Amira", "Benali", BORN.isoformat(), national_number_for(BORN, 123)):
        assert secret not in trail


def test_intake_through_the_service_gives_the_same_case_and_runs_the_engine(cast: Cast) -> None:
    # Office A's lawyers serve Antwerpen only: in Limburg nobody is eligible.
    case = case_intake(
        actor=cast.office_a,
        office=cast.office_a_obj,
        given_names="  Amira ",
        family_name=" Benali",
        date_of_birth=BORN,
        victim_language=Language.objects.get(pk="nl"),
        district=District.objects.get(pk="limburg"),
    )

    assert (case.status, case.language_id, case.adult_at_intake) == (
        CaseStatus.AWAITING_DESIGNATION,
        "nl",
        False,
    )
    assert (case.victim.given_names, case.victim.family_name) == ("Amira", "Benali")
    assert case.victim.national_number is None
    assert list(
        AuditEvent.objects.filter(case_id=case.pk).order_by("id").values_list("action", flat=True)
    ) == ["victim.create", "case.create", "escalation.open"]
    assert not case.designations.exists()
    escalation = Escalation.objects.get(case=case, resolved_at__isnull=True)
    assert escalation.explanation["exclusion_counts"] == {"does_not_serve_district": 2}
    assert [(c["lawyer"], c["excluded"]) for c in candidates_of(escalation.explanation)] == [
        (cast.panel_a.pk, ["does_not_serve_district"]),
        (cast.panel_a2.pk, ["does_not_serve_district"]),
    ]


def test_intake_without_the_engine_leaves_the_case_awaiting_with_no_proposal_nor_escalation(
    cast: Cast,
) -> None:
    before = counts()

    case = case_intake(
        actor=cast.office_a,
        office=cast.office_a_obj,
        given_names="Amira",
        family_name="Benali",
        date_of_birth=BORN,
        victim_language=Language.objects.get(pk="nl"),
        district=District.objects.get(pk="antwerpen"),
        auto_designate=False,
    )

    assert case.status == CaseStatus.AWAITING_DESIGNATION
    assert counts() == {
        **before,
        "victims": before["victims"] + 1,
        "cases": before["cases"] + 1,
        "audit": before["audit"] + 2,
    }
    assert not case.designations.exists()
    assert not Escalation.objects.filter(case=case).exists()


# --- Age at intake ---------------------------------------------------------------------------


def test_a_victim_turning_18_tomorrow_is_registered_as_a_minor(cast: Cast) -> None:
    born = born_years_ago(18) + dt.timedelta(days=1)
    response = client_for(cast.office_a).post(
        URL,
        payload(victim={"date_of_birth": born.isoformat(), "national_number": ""}),
        format="json",
    )

    assert response.status_code == 201
    assert Case.objects.get(pk=response.json()["id"]).adult_at_intake is False


def test_a_victim_aged_18_at_intake_without_a_reason_is_refused(cast: Cast) -> None:
    born = born_years_ago(18)
    before = counts()

    response = client_for(cast.office_a).post(
        URL,
        payload(victim={"date_of_birth": born.isoformat(), "national_number": ""}),
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == refused(
        {
            "date_of_birth": [
                "The victim is 18 or older on the intake date; "
                "give adult_at_intake_reason to register the case anyway."
            ]
        }
    )
    assert counts() == before


def test_a_victim_aged_18_at_intake_with_a_reason_is_accepted_and_flagged_adult(
    cast: Cast,
) -> None:
    born = born_years_ago(19)
    reason = "Exploited from age 15; the complaint came after her 18th birthday."

    response = client_for(cast.office_a).post(
        URL,
        payload(
            victim={"date_of_birth": born.isoformat(), "national_number": ""},
            adult_at_intake_reason=f"  {reason} ",
        ),
        format="json",
    )

    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.adult_at_intake, case.adult_at_intake_reason) == (True, reason)
    assert case.status == CaseStatus.AWAITING_DESIGNATION


# --- Refusals, each writing nothing ---------------------------------------------------------

TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
VALID_NUMBER = national_number_for(BORN, 123)
BAD_CHECK = next(  # the same digits with a check that fits neither century
    number
    for number in (f"{VALID_NUMBER[:9]}{check:02d}" for check in range(1, 98))
    if not national_number_is_valid(number)
)
OTHER_BIRTH_DATE = national_number_for(BORN - dt.timedelta(days=1), 123)
NOT_A_NATIONAL_NUMBER = (
    "This is not a valid Belgian national number (11 digits with a correct check)."
)

REFUSALS = {
    "date of birth in the future": (
        payload(victim={"date_of_birth": TOMORROW, "national_number": ""}),
        {"date_of_birth": ["The date of birth lies in the future."]},
    ),
    "unknown district": (
        payload(district="atlantis"),
        {"district": ["Object with code=atlantis does not exist."]},
    ),
    "national number of the wrong length": (
        payload(victim={"national_number": VALID_NUMBER[:10]}),
        {"national_number": [NOT_A_NATIONAL_NUMBER]},
    ),
    "national number with letters": (
        payload(victim={"national_number": "0A0101123" + VALID_NUMBER[9:]}),
        {"national_number": [NOT_A_NATIONAL_NUMBER]},
    ),
    "national number with a wrong check": (
        payload(victim={"national_number": BAD_CHECK}),
        {"national_number": [NOT_A_NATIONAL_NUMBER]},
    ),
    "national number of another birth date": (
        payload(victim={"national_number": OTHER_BIRTH_DATE}),
        {"national_number": ["The national number does not match the date of birth."]},
    ),
    "language the district's courts do not use": (
        payload(language="fr"),
        {"language": ["The courts of Antwerpen / Anvers use nl; fr is not allowed there."]},
    ),
    "Brussels without a language of proceedings": (
        payload(district="brussel"),
        {
            "language": [
                "The district Brussel / Bruxelles has no single language of proceedings: "
                "choose one of fr, nl."
            ]
        },
    ),
    "intake date in the future": (
        payload(intake_on=TOMORROW),
        {"intake_on": ["The intake date lies in the future."]},
    ),
    "facts starting after the intake": (
        payload(facts_started_on=TOMORROW, intake_on=timezone.localdate().isoformat()),
        {"facts_started_on": ["The facts cannot start after the intake."]},
    ),
}


@pytest.mark.parametrize(("body", "fields"), REFUSALS.values(), ids=REFUSALS.keys())
def test_intake_refusals_answer_400_with_a_field_message_and_write_nothing(
    cast: Cast, body: dict[str, Any], fields: dict[str, list[str]]
) -> None:
    before = counts()

    response = client_for(cast.office_a).post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json() == refused(fields)
    assert counts() == before


# --- Repeat victims ----------------------------------------------------------------------------

ANOTHER_PERSON = (
    "A victim with this national number is already registered under another name or date of "
    "birth: check the number."
)


def spaced(number: str) -> str:
    """The number typed with the usual separators: still the same number."""
    return f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"


def test_a_national_number_registered_for_another_person_is_refused(cast: Cast) -> None:
    first = client_for(cast.office_a).post(URL, payload(), format="json")
    assert first.status_code == 201
    before = counts()

    response = client_for(cast.office_b).post(
        URL,
        payload(
            victim={"given_names": "Other", "national_number": spaced(VALID_NUMBER)},
            district="brussel",
            language="fr",
        ),
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == refused({"national_number": [ANOTHER_PERSON]})
    assert counts() == before


def test_the_same_person_again_is_linked_to_the_first_record_and_flagged_repeat(
    cast: Cast,
) -> None:
    first = client_for(cast.office_a).post(URL, payload(), format="json")
    first_victim = Case.objects.get(pk=first.json()["id"]).victim
    before = counts()

    # Another office, the number typed with separators, the names in another order and case.
    again = client_for(cast.office_b).post(
        URL,
        payload(
            victim={
                "given_names": "BENALI",
                "family_name": "amira",
                "national_number": spaced(VALID_NUMBER),
            },
            district="brussel",
            language="fr",
        ),
        format="json",
    )

    assert again.status_code == 201
    assert counts()["victims"] == before["victims"] + 1  # a record of its own, linked
    case = Case.objects.get(pk=again.json()["id"])
    assert case.is_repeat_victimisation is True
    assert case.victim.pk != first_victim.pk
    assert case.victim.earlier_record == first_victim
    assert case.victim.national_number == VALID_NUMBER
    assert again.json()["is_repeat_victimisation"] is True
    assert again.json()["victim"]["earlier_record"] == first_victim.pseudonym
    created = AuditEvent.objects.filter(case_id=case.pk).order_by("id")
    assert created[0].changes["earlier_record"] == [None, first_victim.pk]
    assert created[1].changes["is_repeat_victimisation"] == [None, True]
    first_case = Case.objects.get(pk=first.json()["id"])
    assert first_case.is_repeat_victimisation is False  # the first case is not changed


def test_without_a_national_number_the_same_names_and_birth_date_are_the_same_person(
    cast: Cast,
) -> None:
    first = client_for(cast.office_a).post(
        URL, payload(victim={"national_number": ""}), format="json"
    )
    first_victim = Case.objects.get(pk=first.json()["id"]).victim

    again = client_for(cast.office_a).post(
        URL,
        payload(victim={"given_names": "Amíra", "family_name": "BENALI", "national_number": ""}),
        format="json",
    )

    assert again.status_code == 201
    case = Case.objects.get(pk=again.json()["id"])
    assert (case.is_repeat_victimisation, case.victim.earlier_record) == (True, first_victim)


@pytest.mark.parametrize(
    "victim",
    [
        {"given_names": "Amina", "national_number": ""},
        {"date_of_birth": (BORN - dt.timedelta(days=1)).isoformat(), "national_number": ""},
    ],
    ids=["another given name", "another date of birth"],
)
def test_another_name_or_birth_date_without_a_number_is_another_person(
    cast: Cast, victim: dict[str, str]
) -> None:
    client_for(cast.office_a).post(URL, payload(victim={"national_number": ""}), format="json")

    response = client_for(cast.office_a).post(URL, payload(victim=victim), format="json")

    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.is_repeat_victimisation, case.victim.earlier_record) == (False, None)


def test_every_later_record_points_to_the_first_record_directly(cast: Cast) -> None:
    client = client_for(cast.office_a)
    ids = [client.post(URL, payload(), format="json").json()["id"] for _ in range(3)]

    victims = [Case.objects.get(pk=pk).victim for pk in ids]

    assert [victim.earlier_record for victim in victims] == [None, victims[0], victims[0]]
    assert [Case.objects.get(pk=pk).is_repeat_victimisation for pk in ids] == [False, True, True]


def test_a_number_first_given_at_a_later_intake_still_identifies_the_person(
    cast: Cast,
) -> None:
    client = client_for(cast.office_a)
    without = client.post(URL, payload(victim={"national_number": ""}), format="json")
    with_number = client.post(URL, payload(), format="json")  # linked by name, gives the number
    first_victim = Case.objects.get(pk=without.json()["id"]).victim
    assert Case.objects.get(pk=with_number.json()["id"]).victim.earlier_record == first_victim
    before = counts()

    other_person = client.post(
        URL, payload(victim={"given_names": "Other", "family_name": "Child"}), format="json"
    )

    assert other_person.status_code == 400
    assert other_person.json() == refused({"national_number": [ANOTHER_PERSON]})
    assert counts() == before
    same_person = client.post(URL, payload(), format="json")
    assert Case.objects.get(pk=same_person.json()["id"]).victim.earlier_record == first_victim


def test_a_foreign_minors_bis_number_is_accepted(cast: Cast) -> None:
    bis = national_number_for(BORN, 417, bis_offset=40)  # month + 40: not in the national register

    response = client_for(cast.office_a).post(
        URL, payload(victim={"national_number": bis, "nationality": "ER"}), format="json"
    )

    assert response.status_code == 201
    assert Case.objects.get(pk=response.json()["id"]).victim.national_number == bis


def test_the_service_refuses_a_future_birth_date_with_a_validation_error(cast: Cast) -> None:
    before = counts()

    with pytest.raises(ValidationError) as refusal:
        case_intake(
            actor=cast.office_a,
            office=cast.office_a_obj,
            given_names="Amira",
            family_name="Benali",
            date_of_birth=timezone.localdate() + dt.timedelta(days=1),
            victim_language=Language.objects.get(pk="nl"),
            district=District.objects.get(pk="antwerpen"),
        )

    assert refusal.value.message_dict == {
        "date_of_birth": ["The date of birth lies in the future."]
    }
    assert counts() == before
