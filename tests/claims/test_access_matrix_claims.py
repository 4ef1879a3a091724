"""The access matrix of the civil-claims API: every endpoint, every role, own and other objects.

The rule (claims.api.views): the lawyer who accepted the case's designation reads and writes its
claims; office staff of the case's office and administrators read them (writes: 403, their role
does not write claims); a lawyer with only a proposal, another lawyer or office staff of another
office get 404, as for a missing claim; guardians get 403 on claim data, except the totals of
their ward's case (`/cases/{id}/compensation/`), where another case answers 404. Anonymous: 403
`not_authenticated` (see tests/legalaid/test_access_matrix.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from claims.models import (
    Award,
    CivilClaim,
    DamageHead,
    EnforcementStep,
    Judgment,
    Payment,
    StateAidApplication,
)
from tests.access import (
    Endpoint,
    SharedWorldCells,
    World,
    always,
    check_cell,
    count,
    fingerprint_with,
    matrix_cells,
    plus_one,
    writes,
)
from tests.cast import Cast, build_cast
from tests.claims.api_world import build_claims
from tests.claims.world import TODAY

fingerprint = fingerprint_with(
    CivilClaim, DamageHead, Judgment, Award, Payment, StateAidApplication, EnforcementStep,
    rows=lambda: {
        "claims": list(CivilClaim.objects.order_by("pk").values_list("pk", "status")),
        "judgments": list(Judgment.objects.order_by("pk").values_list("pk", "status")),
        "aid": list(StateAidApplication.objects.order_by("pk").values_list("pk", "status")),
        "steps": list(EnforcementStep.objects.order_by("pk").values_list("pk", "outcome")),
    },
)  # fmt: skip


@pytest.fixture
def world(frozen_today: dt.date, cast: Cast) -> World:
    return World(cast, build_claims(cast))


def _party(w: World, obj: Any) -> int:
    """The pimp of the case the object hangs on."""
    case_id = obj.case_id if hasattr(obj, "case_id") else obj.claim.case_id
    return int(w.cast.party_a.pk if case_id == w.cast.case_a.pk else w.cast.party_b.pk)


def constitute_payload(w: World, role: str, case: Any) -> dict[str, Any]:
    return {"stage": "investigating_judge", "court": "Onderzoeksrechter", "defendants": []}


def file_payload(w: World, role: str, obj: Any) -> dict[str, Any]:
    return {"constituted_on": "2025-01-15"}


def close_payload(w: World, role: str, obj: Any) -> dict[str, Any]:
    return {"status": "closed", "reason": "The victim withdrew the claim."}


def head_payload(w: World, role: str, obj: Any) -> dict[str, Any]:
    return {"kind": "material_therapy", "item": "temporary_personal_incapacity", "quantity": "10"}


def judgment_payload(w: World, role: str, obj: Any) -> dict[str, Any]:
    return {"given_on": "2025-09-01", "court": "Hof van beroep"}


def final_payload(w: World, role: str, obj: Any) -> dict[str, Any]:
    return {"status": "final", "on": "2025-06-20"}


def award_payload(w: World, role: str, judgment: Any) -> dict[str, Any]:
    return {"kind": "costs", "amount": "1440.00", "debtors": [_party(w, judgment)]}


def payment_payload(w: World, role: str, judgment: Any) -> dict[str, Any]:
    return {
        "amount": "100.00",
        "paid_on": "2025-10-01",
        "payer_kind": "defendant",
        "payer_party": _party(w, judgment),
        "destination": "blocked_account_minor",
    }


def payment_key(w: World, role: str, obj: Any) -> dict[str, str]:
    return {"Idempotency-Key": f"matrix-{role}"}


def reverse_payload(w: World, role: str, obj: Any) -> dict[str, Any]:
    return {"reason": "The transfer bounced."}


def apply_payload(w: World, role: str, obj: Any) -> dict[str, Any]:
    return {"kind": "main", "filed_on": "2025-11-01", "amount_requested": "1000.00"}


def decision_payload(w: World, role: str, obj: Any) -> dict[str, Any]:
    return {"decided_on": "2025-10-15", "amount_granted": "2000.00"}


def aid_payment_payload(w: World, role: str, obj: Any) -> dict[str, Any]:
    return {"paid_on": "2025-11-15", "amount_paid": "3500.00"}


def step_payload(w: World, role: str, claim: Any) -> dict[str, Any]:
    return {"debtor": _party(w, claim), "kind": "bailiff", "taken_on": "2025-11-01"}


def outcome_payload(w: World, role: str, obj: Any) -> dict[str, Any]:
    return {"outcome": "No assets found.", "outcome_on": "2025-12-01"}


def claim_status(w: World, claim: CivilClaim) -> str:
    return CivilClaim.objects.get(pk=claim.pk).status


def judgment_status(w: World, judgment: Judgment) -> str:
    return Judgment.objects.get(pk=judgment.pk).status


def aid_status(w: World, application: StateAidApplication) -> str:
    return StateAidApplication.objects.get(pk=application.pk).status


def step_outcome(w: World, step: EnforcementStep) -> str:
    return EnforcementStep.objects.get(pk=step.pk).outcome


ENDPOINTS: dict[str, Endpoint] = {
    "case_claims": Endpoint("GET", "/cases/{pk}/claims/"),
    "claim_constitute": writes(
        "POST", "/cases/{pk}/claims/", constitute_payload,
        measure=count(CivilClaim), becomes=plus_one, audit="civil_claim.create",
    ),
    "case_compensation": Endpoint("GET", "/cases/{pk}/compensation/"),
    "claim": Endpoint("GET", "/claims/{pk}/"),
    "claim_file": writes(
        "POST", "/claims/{pk}/file/", file_payload,
        measure=claim_status, becomes=always("filed"), audit="civil_claim.status_change",
    ),
    "claim_status_change": writes(
        "POST", "/claims/{pk}/status-change/", close_payload,
        measure=claim_status, becomes=always("closed"), audit="civil_claim.status_change",
    ),
    "damage_heads": Endpoint("GET", "/claims/{pk}/damage-heads/"),
    "damage_head_add": writes(
        "POST", "/claims/{pk}/damage-heads/", head_payload,
        measure=count(DamageHead), becomes=plus_one, audit="damage_head.create",
    ),
    "judgments": Endpoint("GET", "/claims/{pk}/judgments/"),
    "judgment_record": writes(
        "POST", "/claims/{pk}/judgments/", judgment_payload,
        measure=count(Judgment), becomes=plus_one, audit="judgment.create",
    ),
    "balances": Endpoint("GET", "/claims/{pk}/balances/"),
    "state_aid_eligibility": Endpoint("GET", "/claims/{pk}/state-aid-eligibility/"),
    "state_aid_applications": Endpoint("GET", "/claims/{pk}/state-aid-applications/"),
    "state_aid_apply": writes(
        "POST", "/claims/{pk}/state-aid-applications/", apply_payload,
        measure=count(StateAidApplication), becomes=plus_one,
        audit="state_aid_application.create",
    ),
    "enforcement_steps": Endpoint("GET", "/claims/{pk}/enforcement-steps/"),
    "enforcement_step_add": writes(
        "POST", "/claims/{pk}/enforcement-steps/", step_payload,
        measure=count(EnforcementStep), becomes=plus_one, audit="enforcement_step.create",
    ),
    "judgment": Endpoint("GET", "/judgments/{pk}/"),
    "judgment_status_change": writes(
        "POST", "/judgments/{pk}/status-change/", final_payload,
        measure=judgment_status, becomes=always("final"), audit="judgment.status_change",
    ),
    "awards": Endpoint("GET", "/judgments/{pk}/awards/"),
    "award_record": writes(
        "POST", "/judgments/{pk}/awards/", award_payload,
        measure=count(Award), becomes=plus_one, audit="award.create",
    ),
    "payments": Endpoint("GET", "/judgments/{pk}/payments/"),
    "payment_record": writes(
        "POST", "/judgments/{pk}/payments/", payment_payload,
        measure=count(Payment), becomes=plus_one, audit="payment.create", headers=payment_key,
    ),
    "payment_reverse": writes(
        "POST", "/payments/{pk}/reverse/", reverse_payload,
        measure=count(Payment), becomes=plus_one, audit="payment.reverse",
    ),
    "state_aid_decision": writes(
        "POST", "/state-aid-applications/{pk}/decision/", decision_payload,
        measure=aid_status, becomes=always("granted"), audit="state_aid_application.decide",
    ),
    "state_aid_payment": writes(
        "POST", "/state-aid-applications/{pk}/payment/", aid_payment_payload,
        measure=aid_status, becomes=always("paid"), audit="state_aid_application.paid",
    ),
    "enforcement_step_outcome": writes(
        "POST", "/enforcement-steps/{pk}/outcome/", outcome_payload,
        measure=step_outcome, becomes=always("No assets found."),
        audit="enforcement_step.outcome",
    ),
}  # fmt: skip

# Reads of a case's claim data: the managers of the case (admin, its office, its accepted lawyer).
R_A = (200, 200, 404, 200, 404, 404, 403, 403, 403, 403)
R_A2 = (200, 200, 404, 404, 404, 404, 403, 403, 403, 403)
R_B = (200, 404, 200, 404, 404, 200, 403, 403, 403, 403)


def w_a(ok: int) -> tuple[int, ...]:
    """Writes on office A's case_a: its accepted lawyer only."""
    return (403, 403, 403, ok, 404, 404, 403, 403, 403, 403)


def w_b(ok: int) -> tuple[int, ...]:
    return (403, 403, 403, 404, 404, ok, 403, 403, 403, 403)


# x_a / x_b: objects of case_a (lawyer_a, guardian_a) and case_b (lawyer_b, guardian_b);
# claim_a2: a prepared claim on case_a2, whose lawyer_a2 has only a proposal.
MATRIX: list[tuple[Any, ...]] = [
    # endpoint            object             adm  offA offB lawA lwA2 lawB grdA grdB outs anon
    ("case_claims",       "case_a",           *R_A),
    ("case_claims",       "case_a2",          *R_A2),
    ("case_claims",       "case_b",           *R_B),
    ("claim_constitute",  "case_a",           *w_a(201)),
    ("claim_constitute",  "case_a2",          403, 403, 403, 404, 404, 404, 403, 403, 403, 403),
    ("claim_constitute",  "case_b",           *w_b(201)),
    ("case_compensation", "case_a",           200, 200, 404, 200, 404, 404, 200, 404, 404, 403),
    ("case_compensation", "case_a2",          200, 200, 404, 404, 404, 404, 404, 404, 404, 403),
    ("case_compensation", "case_b",           200, 404, 200, 404, 404, 200, 404, 200, 404, 403),
    ("claim",             "claim_a",          *R_A),
    ("claim",             "claim_a2",         *R_A2),
    ("claim",             "claim_b",          *R_B),
    ("claim_file",        "claim_a_prepared", *w_a(200)),
    ("claim_file",        "claim_b_prepared", *w_b(200)),
    ("claim_status_change", "claim_a",          *w_a(200)),
    ("claim_status_change", "claim_a2",         403, 403, 403, 404, 404, 404, 403, 403, 403, 403),
    ("claim_status_change", "claim_b",          *w_b(200)),
    ("damage_heads",      "claim_a",          *R_A),
    ("damage_heads",      "claim_b",          *R_B),
    ("damage_head_add",   "claim_a",          *w_a(201)),
    ("damage_head_add",   "claim_b",          *w_b(201)),
    ("judgments",         "claim_a",          *R_A),
    ("judgments",         "claim_b",          *R_B),
    ("judgment_record",   "claim_a",          *w_a(201)),
    ("judgment_record",   "claim_b",          *w_b(201)),
    ("balances",          "claim_a",          *R_A),
    ("balances",          "claim_a2",         *R_A2),
    ("balances",          "claim_b",          *R_B),
    ("state_aid_eligibility", "claim_a",          *R_A),
    ("state_aid_eligibility", "claim_b",          *R_B),
    ("state_aid_applications", "claim_a",          *R_A),
    ("state_aid_applications", "claim_b",          *R_B),
    ("state_aid_apply",   "claim_a",          *w_a(201)),
    ("state_aid_apply",   "claim_b",          *w_b(201)),
    ("enforcement_steps", "claim_a",          *R_A),
    ("enforcement_steps", "claim_b",          *R_B),
    ("enforcement_step_add", "claim_a",          *w_a(201)),
    ("enforcement_step_add", "claim_b",          *w_b(201)),
    ("judgment",          "judgment_a",       *R_A),
    ("judgment",          "judgment_b",       *R_B),
    ("judgment_status_change", "judgment_a",       *w_a(200)),
    ("judgment_status_change", "judgment_b",       *w_b(200)),
    ("awards",            "judgment_a",       *R_A),
    ("awards",            "judgment_b",       *R_B),
    ("award_record",      "judgment_a",       *w_a(201)),
    ("award_record",      "judgment_b",       *w_b(201)),
    ("payments",          "judgment_a",       *R_A),
    ("payments",          "judgment_b",       *R_B),
    ("payment_record",    "judgment_a",       *w_a(201)),
    ("payment_record",    "judgment_b",       *w_b(201)),
    ("payment_reverse",   "payment_a",        *w_a(201)),
    ("payment_reverse",   "payment_b",        *w_b(201)),
    ("state_aid_decision", "aid_filed_a",      *w_a(200)),
    ("state_aid_decision", "aid_filed_b",      *w_b(200)),
    ("state_aid_decision", "aid_granted_a",    *w_a(409)),
    ("state_aid_payment", "aid_granted_a",    *w_a(200)),
    ("state_aid_payment", "aid_granted_b",    *w_b(200)),
    ("enforcement_step_outcome", "step_a",           *w_a(200)),
    ("enforcement_step_outcome", "step_b",           *w_b(200)),
]  # fmt: skip


@pytest.mark.usefixtures("frozen_today")
class TestEveryCell(SharedWorldCells):
    @staticmethod
    def build_world() -> World:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
            cast = build_cast()
            return World(cast, build_claims(cast))

    @pytest.mark.parametrize(("endpoint", "obj", "role", "expected"), matrix_cells(MATRIX))
    def test_each_role_gets_the_documented_status_on_each_claims_endpoint(
        self, world: World, endpoint: str, obj: str, role: str, expected: int
    ) -> None:
        check_cell(world, ENDPOINTS[endpoint], obj, role, expected, fingerprint=fingerprint)
