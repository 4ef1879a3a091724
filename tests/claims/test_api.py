"""The claims API: what the answers contain, idempotent payments, refusals (400 and nothing
written), scoping, and reads recorded in the audit trail. The claims are built through the
services (tests/claims/api_world.py); today is frozen at 28 November 2026."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from claims.models import LegalInterestRate, Payment
from legalaid.models import AuditEvent
from tests.access import assert_error_body, client_for
from tests.cast import Cast
from tests.claims.api_world import build_claims
from tests.claims.world import counts

API = "/api/v1"


@pytest.fixture
def objs(frozen_today: dt.date, cast: Cast) -> dict[str, Any]:
    return build_claims(cast)


@pytest.fixture
def lawyer(cast: Cast) -> Any:
    return client_for(cast.lawyer_a)


def payment_body(objs: dict[str, Any], cast: Cast, **extra: Any) -> dict[str, Any]:
    return {
        "amount": "100.00",
        "paid_on": "2025-10-01",
        "payer_kind": "defendant",
        "payer_party": cast.party_a.pk,
        "destination": "blocked_account_minor",
        **extra,
    }


def refused(client: Any, url: str, body: dict[str, Any], **headers: str) -> dict[str, Any]:
    """POST that must answer 400 and write nothing (no row, no audit row)."""
    before = counts()
    response = client.post(url, body, format="json", headers=headers)
    assert response.status_code == 400, response.content
    assert counts() == before
    return assert_error_body(response, 400)


# --- Balances ------------------------------------------------------------------------------------


def test_the_balances_at_a_date_worked_by_hand_with_money_as_strings(
    objs: dict[str, Any], cast: Cast, lawyer: Any
) -> None:
    """€5,000 against the pimp, legal interest from 2 June 2025 (4.50%); he pays €250 on
    1 September. The days before the payment, 2 June-31 August (29+31+31 = 91 days):
    5000 x 4.50% x 91/365 = 56.0958… → 56.10; the €250 pays that and 193.90 of principal
    → 4,806.10. From the payment day, 1 September, to 30 December (31 December, the date asked
    for, not counted; 30+31+30+30 = 121 days): 4806.10 x 4.50% x 121/365 = 71.6964… → 71.70."""
    award = objs["award_a"]
    response = lawyer.get(f"{API}/claims/{objs['claim_a'].pk}/balances/?as_of=2025-12-31")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["as_of"] == "2025-12-31"
    assert body["awards"] == [
        {
            "award": award.pk, "judgment": objs["judgment_a"].pk, "kind": "damages",
            "debtors": [cast.party_a.pk], "principal": "5000.00", "interest": "127.80",
            "costs": "0.00", "due": "5127.80", "paid": "250.00", "paid_costs": "0.00",
            "paid_interest": "56.10", "paid_principal": "193.90", "outstanding": "4877.80",
            "outstanding_costs": "0.00", "outstanding_interest": "71.70",
            "outstanding_principal": "4806.10",
        }
    ]  # fmt: skip
    assert body["debtors"] == [
        {
            "party": cast.party_a.pk, "role": "pimp", "awards": [award.pk],
            "outstanding": "4877.80", "outstanding_costs": "0.00",
            "outstanding_interest": "71.70", "outstanding_principal": "4806.10",
            "paid": "250.00", "credit": "0.00",
        }
    ]  # fmt: skip
    assert body["interest_lines"] == [
        {"award": award.pk, "first_day": "2025-06-02", "last_day": "2025-08-31", "days": 91,
         "base": "5000.00", "percent": "4.50", "year_days": 365, "amount": "56.10"},
        {"award": award.pk, "first_day": "2025-09-01", "last_day": "2025-12-30", "days": 121,
         "base": "4806.10", "percent": "4.50", "year_days": 365, "amount": "71.70"},
    ]  # fmt: skip
    assert (body["totals"]["outstanding"], body["received"], body["credit"]) == (
        "4877.80",
        "250.00",
        "0.00",
    )


def test_the_balances_default_to_today(objs: dict[str, Any], lawyer: Any) -> None:
    response = lawyer.get(f"{API}/claims/{objs['claim_a'].pk}/balances/")

    assert response.json()["as_of"] == "2026-11-28"
    # the last day bearing interest is the day before the ledger's date
    assert response.json()["interest_lines"][-1]["last_day"] == "2026-11-27"


def test_balances_needing_a_year_the_rate_table_lacks_answer_400_naming_the_year(
    objs: dict[str, Any], lawyer: Any
) -> None:
    url = f"{API}/claims/{objs['claim_a'].pk}/balances/"
    error = assert_error_body(lawyer.get(f"{url}?as_of=2027-03-01"), 400)
    assert error["message"] == "No legal interest rate for 2027: add it to the rate table."
    assert error["fields"] == {"as_of": [error["message"]]}

    LegalInterestRate.objects.filter(valid_from=dt.date(2025, 1, 1)).delete()
    error = assert_error_body(lawyer.get(url), 400)
    assert error["message"] == "No legal interest rate for 2025: add it to the rate table."


def test_a_malformed_date_is_refused(objs: dict[str, Any], lawyer: Any) -> None:
    response = lawyer.get(f"{API}/claims/{objs['claim_a'].pk}/balances/?as_of=31-12-2025")
    assert set(assert_error_body(response, 400)["fields"]) == {"as_of"}


# --- Reads: contents, guardians, audit -----------------------------------------------------------


def test_the_guardian_sees_only_the_totals_awarded_and_received(
    objs: dict[str, Any], cast: Cast
) -> None:
    response = client_for(cast.guardian_a).get(f"{API}/cases/{cast.case_a.pk}/compensation/")

    assert response.json() == {
        "case": cast.case_a.pk,
        "as_of": "2026-11-28",
        "awarded": "5000.00",
        "received": "250.00",
    }
    assert list(AuditEvent.objects.filter(action="case.read_compensation_summary").values_list(
        "actor", "case_id"
    )) == [(cast.guardian_a.pk, cast.case_a.pk)]  # fmt: skip


def test_every_read_of_claim_data_is_recorded_as_a_read_of_the_file(
    objs: dict[str, Any], cast: Cast
) -> None:
    client = client_for(cast.office_a)
    claim, judgment = objs["claim_a"].pk, objs["judgment_a"].pk
    for url in (
        f"/cases/{cast.case_a.pk}/claims/", f"/claims/{claim}/", f"/claims/{claim}/balances/",
        f"/claims/{claim}/damage-heads/", f"/claims/{claim}/judgments/",
        f"/judgments/{judgment}/", f"/judgments/{judgment}/awards/",
        f"/judgments/{judgment}/payments/", f"/claims/{claim}/state-aid-applications/",
        f"/claims/{claim}/state-aid-eligibility/", f"/claims/{claim}/enforcement-steps/",
    ):  # fmt: skip
        assert client.get(API + url).status_code == 200

    assert list(
        AuditEvent.objects.filter(action__startswith="case.read")
        .order_by("pk")
        .values_list("action", "actor", "case_id")
    ) == [
        (f"case.read_{view}", cast.office_a.pk, cast.case_a.pk)
        for view in (
            "claims", "claim", "claim_balances", "claim_damage_heads", "claim_judgments",
            "claim_judgment", "claim_awards", "claim_payments", "claim_state_aid",
            "claim_state_aid_eligibility", "claim_enforcement",
        )
    ]  # fmt: skip


def test_the_claim_detail_shows_heads_judgments_with_the_appeal_due_date_and_joint_awards(
    objs: dict[str, Any], cast: Cast, lawyer: Any
) -> None:
    body = lawyer.get(f"{API}/claims/{objs['claim_a'].pk}/").json()

    assert (body["status"], body["defendants"], body["constituted_on"]) == (
        "judgment",
        [cast.party_a.pk],
        "2024-03-01",
    )
    assert [(h["kind"], h["amount_claimed"], h["flat_rate"]) for h in body["damage_heads"]] == [
        ("moral", "8000.00", None)
    ]
    [judgment] = body["judgments"]
    assert (judgment["given_on"], judgment["appeal_due_on"], judgment["status"]) == (
        "2025-06-02",
        "2025-06-17",
        "appealable",
    )
    assert [(a["amount"], a["joint"], a["interest_kind"]) for a in judgment["awards"]] == [
        ("5000.00", False, "compensatory")
    ]


# --- Writes --------------------------------------------------------------------------------------


def test_a_flat_rate_head_is_computed_from_the_indicative_table(
    objs: dict[str, Any], lawyer: Any
) -> None:
    response = lawyer.post(
        f"{API}/claims/{objs['claim_a'].pk}/damage-heads/",
        {"kind": "material_therapy", "item": "temporary_personal_incapacity",
         "quantity": "10", "edition": "2024"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount_claimed"], body["flat_rate"]) == (
        "320.00",
        {"edition": "2024", "item": "temporary_personal_incapacity", "unit": "day",
         "unit_amount": "32.00", "quantity": "10.00"},
    )  # fmt: skip


def test_a_judgment_is_recorded_with_its_appeal_due_15_days_later(
    objs: dict[str, Any], lawyer: Any
) -> None:
    response = lawyer.post(
        f"{API}/claims/{objs['claim_a'].pk}/judgments/",
        {"given_on": "2026-11-02", "court": "Hof van beroep Antwerpen",
         "day_count": "actual/actual"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201, response.content
    assert (response.json()["appeal_due_on"], response.json()["day_count"]) == (
        "2026-11-17",
        "actual/actual",
    )


def test_a_joint_award_against_the_pimp_and_a_client(
    objs: dict[str, Any], cast: Cast, lawyer: Any
) -> None:
    client = lawyer.post(
        f"{API}/cases/{cast.case_a.pk}/parties/",
        {"role": "client", "full_name": "Klant Een"},
        format="json",
    ).json()
    response = lawyer.post(
        f"{API}/judgments/{objs['judgment_a'].pk}/awards/",
        {"kind": "damages", "amount": "2500.50", "debtors": [cast.party_a.pk, client["id"]],
         "interest_kind": "moratory", "interest_from": "2025-06-02", "fixed_percent": "8.00"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount"], body["debtors"], body["joint"], body["fixed_percent"]) == (
        "2500.50",
        sorted([cast.party_a.pk, client["id"]]),
        True,
        "8.00",
    )


def test_a_retried_payment_records_one_payment_and_answers_the_same_body(
    objs: dict[str, Any], cast: Cast, lawyer: Any
) -> None:
    url = f"{API}/judgments/{objs['judgment_a'].pk}/payments/"
    body = payment_body(objs, cast)
    first = lawyer.post(url, body, format="json", headers={"Idempotency-Key": "pay-2025-10-01"})
    before = counts()
    again = lawyer.post(url, body, format="json", headers={"Idempotency-Key": "pay-2025-10-01"})

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert first.json()["amount"] == "100.00"
    assert counts() == before
    assert Payment.objects.filter(idempotency_key="pay-2025-10-01").count() == 1


def test_the_same_idempotency_key_with_another_body_answers_409_and_writes_nothing(
    objs: dict[str, Any], cast: Cast, lawyer: Any
) -> None:
    url = f"{API}/judgments/{objs['judgment_a'].pk}/payments/"
    headers = {"Idempotency-Key": "pay-once"}
    lawyer.post(url, payment_body(objs, cast), format="json", headers=headers)
    before = counts()

    response = lawyer.post(
        url, payment_body(objs, cast, amount="101.00"), format="json", headers=headers
    )

    error = assert_error_body(response, 409)
    assert error["message"] == "This idempotency key was already used for a different payment."
    assert counts() == before


def test_a_reversal_is_its_own_action_and_drops_the_payment_from_the_balances(
    objs: dict[str, Any], lawyer: Any
) -> None:
    payment = objs["payment_a"]
    response = lawyer.post(
        f"{API}/payments/{payment.pk}/reverse/",
        {"reason": "Recorded twice", "reversed_on": "2025-09-05"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert (response.json()["reverses"], response.json()["amount"]) == (payment.pk, "250.00")
    balances = lawyer.get(f"{API}/claims/{objs['claim_a'].pk}/balances/?as_of=2025-12-31").json()
    assert (balances["received"], balances["totals"]["paid"]) == ("0.00", "0.00")
    listed = lawyer.get(f"{API}/judgments/{objs['judgment_a'].pk}/payments/").json()
    assert [(p["id"], p["reversed_by"]) for p in listed] == [
        (payment.pk, response.json()["id"]),
        (response.json()["id"], None),
    ]


def test_the_eligibility_hints_once_convicted_finally_and_enforcement_failed(
    objs: dict[str, Any], cast: Cast, lawyer: Any
) -> None:
    claim, judgment = objs["claim_a"], objs["judgment_a"]
    lawyer.post(
        f"{API}/judgments/{judgment.pk}/status-change/",
        {"status": "final", "on": "2025-06-18"},
        format="json",
    )
    step = lawyer.post(
        f"{API}/claims/{claim.pk}/enforcement-steps/",
        {"debtor": cast.party_a.pk, "kind": "bailiff", "taken_on": "2025-08-01"},
        format="json",
    ).json()
    lawyer.post(
        f"{API}/enforcement-steps/{step['id']}/outcome/",
        {"outcome": "No assets found.", "outcome_on": "2025-09-01"},
        format="json",
    )

    body = lawyer.get(f"{API}/claims/{claim.pk}/state-aid-eligibility/").json()

    assert [(hint["code"], hint["met"]) for hint in body["hints"]] == [
        ("offender_convicted_insolvent_or_unknown", True),
        ("civil_party_constituted", True),
        ("damage_above_threshold", True),
        ("within_deadline", True),
    ]
    assert (
        body["damage"],
        body["minimum_damage"],
        body["final_decision_on"],
        body["deadline"],
    ) == (
        "5000.00",
        "500.00",
        "2025-06-18",
        "2028-06-18",
    )


def test_before_a_final_decision_the_hints_say_what_is_missing(
    objs: dict[str, Any], lawyer: Any
) -> None:
    body = lawyer.get(f"{API}/claims/{objs['claim_a'].pk}/state-aid-eligibility/").json()

    assert [(hint["code"], hint["met"]) for hint in body["hints"]] == [
        ("offender_convicted_insolvent_or_unknown", False),
        ("civil_party_constituted", True),
        ("damage_above_threshold", True),
        ("within_deadline", None),
    ]
    assert body["deadline"] is None


# --- Refusals: 400 and nothing written ------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0.00", "The amount must be greater than zero."),
        ("-10.00", "The amount must be greater than zero."),
        ("10.005", "Ensure that there are no more than 2 decimal places."),
    ],
)
def test_a_payment_of_zero_a_negative_amount_or_more_than_two_decimals_is_refused(
    objs: dict[str, Any], cast: Cast, lawyer: Any, amount: str, message: str
) -> None:
    error = refused(
        lawyer,
        f"{API}/judgments/{objs['judgment_a'].pk}/payments/",
        payment_body(objs, cast, amount=amount),
    )
    assert error["fields"] == {"amount": [message]}


@pytest.mark.parametrize("amount", ["0", "-1500.00", "1500.001"])
def test_an_award_of_zero_a_negative_amount_or_more_than_two_decimals_is_refused(
    objs: dict[str, Any], cast: Cast, lawyer: Any, amount: str
) -> None:
    error = refused(
        lawyer,
        f"{API}/judgments/{objs['judgment_a'].pk}/awards/",
        {"kind": "costs", "amount": amount, "debtors": [cast.party_a.pk]},
    )
    assert set(error["fields"]) == {"amount"}


def test_a_payment_dated_before_the_judgment_is_refused(
    objs: dict[str, Any], cast: Cast, lawyer: Any
) -> None:
    error = refused(
        lawyer,
        f"{API}/judgments/{objs['judgment_a'].pk}/payments/",
        payment_body(objs, cast, paid_on="2025-06-01"),
    )
    assert error["fields"] == {"paid_on": ["A payment cannot precede the judgment (2025-06-02)."]}


@pytest.mark.parametrize("debtor", ["other_case", "missing"])
def test_a_payment_by_an_unknown_debtor_is_refused(
    objs: dict[str, Any], cast: Cast, lawyer: Any, debtor: str
) -> None:
    party = cast.party_b.pk if debtor == "other_case" else 999_999
    error = refused(
        lawyer,
        f"{API}/judgments/{objs['judgment_a'].pk}/payments/",
        payment_body(objs, cast, payer_party=party),
    )
    assert error["fields"] == {"payer_party": ["No such debtor among the parties of this case."]}


def test_a_payment_by_a_party_who_owes_nothing_under_the_judgment_is_refused(
    objs: dict[str, Any], cast: Cast, lawyer: Any
) -> None:
    other = lawyer.post(
        f"{API}/cases/{cast.case_a.pk}/parties/",
        {"role": "recruiter", "full_name": "Ronselaar R"},
        format="json",
    ).json()
    error = refused(
        lawyer,
        f"{API}/judgments/{objs['judgment_a'].pk}/payments/",
        payment_body(objs, cast, payer_party=other["id"]),
    )
    assert error["fields"] == {"payer_party": ["This party owes nothing under this judgment."]}


def test_an_award_against_someone_not_a_party_to_the_case_is_refused(
    objs: dict[str, Any], cast: Cast, lawyer: Any
) -> None:
    error = refused(
        lawyer,
        f"{API}/judgments/{objs['judgment_a'].pk}/awards/",
        {"kind": "damages", "amount": "100.00", "debtors": [cast.party_a.pk, cast.party_b.pk]},
    )
    assert error["fields"] == {
        "debtors": ["Every debtor must be a party (defendant) in this case."]
    }


def test_interest_starting_after_today_is_refused(
    objs: dict[str, Any], cast: Cast, lawyer: Any
) -> None:
    error = refused(
        lawyer,
        f"{API}/judgments/{objs['judgment_a'].pk}/awards/",
        {"kind": "damages", "amount": "100.00", "debtors": [cast.party_a.pk],
         "interest_kind": "moratory", "interest_from": "2026-11-29"},
    )  # fmt: skip
    assert error["fields"] == {"interest_from": ["Interest cannot start after today."]}


def test_an_award_whose_interest_needs_a_year_the_rate_table_lacks_is_refused_naming_it(
    objs: dict[str, Any], cast: Cast, lawyer: Any
) -> None:
    LegalInterestRate.objects.filter(valid_from=dt.date(2024, 1, 1)).delete()
    error = refused(
        lawyer,
        f"{API}/judgments/{objs['judgment_a'].pk}/awards/",
        {"kind": "damages", "amount": "100.00", "debtors": [cast.party_a.pk],
         "interest_kind": "compensatory", "interest_from": "2023-10-01"},
    )  # fmt: skip
    assert error["fields"] == {
        "interest_from": [
            "The legal interest rate table has no rate for 2024, needed for interest from "
            "2023-10-01: add the rate first."
        ]
    }


@pytest.mark.parametrize("key", ["", "has space", "x" * 101, "clé"])
def test_a_malformed_idempotency_key_is_refused(
    objs: dict[str, Any], cast: Cast, lawyer: Any, key: str
) -> None:
    error = refused(
        lawyer,
        f"{API}/judgments/{objs['judgment_a'].pk}/payments/",
        payment_body(objs, cast),
        **{"Idempotency-Key": key},
    )
    assert error["fields"] == {
        "Idempotency-Key": [
            "The Idempotency-Key header must be 1 to 100 printable characters without spaces."
        ]
    }


def test_an_unknown_claim_and_another_lawyers_claim_answer_404_alike(
    objs: dict[str, Any], lawyer: Any
) -> None:
    missing = lawyer.get(f"{API}/claims/999999/")
    others = lawyer.get(f"{API}/claims/{objs['claim_b'].pk}/")

    assert assert_error_body(missing, 404) == assert_error_body(others, 404)
    before = counts()
    response = lawyer.post(
        f"{API}/claims/{objs['claim_b'].pk}/damage-heads/",
        {"kind": "moral", "description": "x", "amount_claimed": "10.00"},
        format="json",
    )
    assert_error_body(response, 404)
    assert counts() == before


def test_amounts_in_json_numbers_are_read_as_decimals(
    objs: dict[str, Any], cast: Cast, lawyer: Any
) -> None:
    response = lawyer.post(
        f"{API}/judgments/{objs['judgment_a'].pk}/payments/",
        payment_body(objs, cast, amount=12.5),
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "12.50"
    assert Payment.objects.get(pk=response.json()["id"]).amount == Decimal("12.50")
