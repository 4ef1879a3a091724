"""Intake of a minor victim and their case: what is created, and every input that is refused
without writing anything (DOMAIN.md sections 2 to 4 and 8)."""

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
from legalaid.models import AuditEvent, Case, CaseStatus, District, Language, Victim
from legalaid.national_number import national_number_for, national_number_is_valid
from legalaid.services.cases import case_intake
from tests.cast import Cast

URL = "/api/v1/intake/"
REFUSED = "The request was refused: see the field messages."
ALL_MATTERS = ["criminal", "trafficking", "victims", "youth"]


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
        "audit": AuditEvent.objects.count(),
    }


def refused(fields: dict[str, list[str]]) -> dict[str, Any]:
    return {"error": {"status": 400, "code": "invalid", "message": REFUSED, "fields": fields}}


# --- A successful intake ---------------------------------------------------------------------


def test_intake_creates_one_victim_and_one_case_awaiting_designation(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).post(URL, payload(), format="json")

    assert response.status_code == 201
    assert counts() == {
        **before,
        "victims": before["victims"] + 1,
        "cases": before["cases"] + 1,
        "audit": before["audit"] + 2,
    }
    case = Case.objects.get(pk=response.json()["id"])
    assert case.status == CaseStatus.AWAITING_DESIGNATION
    assert case.office == cast.office_a_obj
    assert case.district_id == "antwerpen"
    assert case.intake_on == timezone.localdate()
    assert case.adult_at_intake is False
    assert sorted(case.matters.values_list("code", flat=True)) == ALL_MATTERS
    assert case.designations.count() == 0
    victim = case.victim
    assert (victim.given_names, victim.family_name, victim.date_of_birth) == (
        "Amira",
        "Benali",
        BORN,
    )
    assert victim.national_number == national_number_for(BORN, 123)
    assert victim.nationality == "BE"
    assert re.fullmatch(r"V-[A-HJ-NP-Z2-9]{6}", victim.pseudonym)
    assert re.fullmatch(rf"LZ-{case.intake_on.year}-[A-HJ-NP-Z2-9]{{6}}", case.reference)


def test_intake_in_antwerpen_defaults_the_language_of_proceedings_to_dutch(cast: Cast) -> None:
    response = client_for(cast.office_a).post(
        URL, payload(victim={"language": "ar"}), format="json"
    )

    assert response.status_code == 201
    assert response.json()["language"] == "nl"
    case = Case.objects.get(pk=response.json()["id"])
    assert case.language_id == "nl"
    assert case.victim.language_id == "ar"  # the victim's own language is kept apart


def test_intake_in_brussels_takes_the_language_chosen_for_the_case(cast: Cast) -> None:
    response = client_for(cast.office_a).post(
        URL, payload(district="brussel", language="fr"), format="json"
    )

    assert response.status_code == 201
    assert Case.objects.get(pk=response.json()["id"]).language_id == "fr"


def test_intake_audit_rows_mask_every_identity_value(cast: Cast) -> None:
    response = client_for(cast.office_a).post(URL, payload(), format="json")
    case = Case.objects.get(pk=response.json()["id"])
    victim = case.victim

    rows = AuditEvent.objects.filter(case_id=case.pk).order_by("id")

    assert [(row.action, row.actor, row.office_id) for row in rows] == [
        ("victim.create", cast.office_a, cast.office_a_obj.pk),
        ("case.create", cast.office_a, cast.office_a_obj.pk),
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
        "language": [None, "nl"],
        "matters": [None, ALL_MATTERS],
        "office": [None, cast.office_a_obj.pk],
        "prosecutor_notice_number": [None, ""],
        "reference": [None, case.reference],
        "status": [None, "awaiting_designation"],
        "victim": [None, victim.pk],
    }
    trail = json.dumps([row.changes for row in AuditEvent.objects.all()], ensure_ascii=False)
    for secret in ("Amira", "Benali", BORN.isoformat(), national_number_for(BORN, 123)):
        assert secret not in trail


def test_intake_through_the_service_gives_the_same_case(cast: Cast) -> None:
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
    ) == ["victim.create", "case.create"]


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


def test_a_national_number_already_registered_is_refused(cast: Cast) -> None:
    first = client_for(cast.office_a).post(URL, payload(), format="json")
    assert first.status_code == 201
    before = counts()

    # The same number typed with the usual separators is still the same number.
    n = VALID_NUMBER
    spaced = f"{n[:2]}.{n[2:4]}.{n[4:6]}-{n[6:9]}.{n[9:]}"
    response = client_for(cast.office_b).post(
        URL,
        payload(
            victim={"given_names": "Other", "national_number": spaced},
            district="brussel",
            language="fr",
        ),
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == refused(
        {"national_number": ["A victim with this national number is already registered."]}
    )
    assert counts() == before


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
