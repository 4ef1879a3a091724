"""The access matrix of the whole API under /api/v1/: every endpoint, every role, own and other
objects.

The rule: every queryset is scoped to the actor.
- A lawyer sees the cases designated to them (active designation: proposed or accepted); working
  on a case (parties, notes, guardian access) needs an accepted designation.
- A guardian sees a summary of their ward's case while the access is valid (not revoked, ward
  under 18).
- Office staff see every case of their own office, administrators every case; neither ever reads
  a lawyer's privileged notes. They alone read the engine's work: the explanation of each
  designation, the escalation queue and the fairness report (administrators name the office).
- An object outside the actor's scope answers 404, exactly as a missing one; an endpoint the role
  may not use at all answers 403 (`RoleAllowed`, `roles` / `roles_by_action`).
- Unauthenticated requests answer 403 with code `not_authenticated`, not 401: DRF answers 401 only
  when the *first* authentication class sends a `WWW-Authenticate` challenge, and
  SessionAuthentication, listed before TokenAuthentication in REST_FRAMEWORK, sends none ("the
  first authentication class set on the view is used when determining the type of response",
  DRF API guide, Authentication).

`MATRIX` has one row per endpoint and object, one column per role; each cell is its own test.
Focused tests below it check what the allowed answers contain.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from legalaid import selectors
from legalaid.audit import MASK
from legalaid.engine import explanation_candidates as candidates_of
from legalaid.models import (
    AuditEvent,
    Case,
    CaseNote,
    Designation,
    DesignationStatus,
    District,
    Escalation,
    GuardianAccess,
    GuardianRelationship,
    Language,
    Lawyer,
    LeavePeriod,
    NoteKind,
    Party,
    Role,
)
from legalaid.national_number import national_number_for
from legalaid.services.designations import (
    designation_accept,
    designation_propose,
)
from legalaid.services.guardians import guardian_access_grant, guardian_create
from tests.access import (
    ANONYMOUS,
    API,
    ROLES,
    Endpoint,
    SharedWorldCells,
    World,
    always,
    assert_error_body,
    check_cell,
    client_for,
    count,
    every_page,
    last_audit_id,
    matrix_cells,
    new_audit_rows,
    plus_one,
    today,
    writes,
)
from tests.access import (
    legalaid_fingerprint as fingerprint,
)
from tests.cast import (
    PASSWORD,
    Cast,
    build_cast,
    give_second_factor,
    make_case,
    make_lawyer,
    make_user,
)

VICTIM_IDENTITY_KEYS = {"given_names", "family_name", "date_of_birth", "national_number"}


# --- The world the matrix runs in -----------------------------------------------------------


def escalated_case(office: Any, office_obj: Any, **extra: Any) -> Escalation:
    case = make_case(office, office_obj, auto_designate=True, **extra)
    return Escalation.objects.get(case=case, resolved_at__isnull=True)


def build_world(cast: Cast) -> World:
    # Office A: both lawyers defend someone in the case. Office B: Camille does not speak Dutch.
    parties = [
        {"role": "pimp", "full_name": "Escalated Pimp", "represented_by": cast.panel_a},
        {"role": "client", "full_name": "Escalated Client", "represented_by": cast.panel_a2},
    ]
    objects = {
        "case_a_open": make_case(cast.office_a, cast.office_a_obj),
        "case_b_open": make_case(
            cast.office_b, cast.office_b_obj, language=Language.objects.get(pk="fr")
        ),
        "escalation_a": escalated_case(cast.office_a, cast.office_a_obj, parties=parties),
        "escalation_b": escalated_case(
            cast.office_b, cast.office_b_obj, language=Language.objects.get(pk="nl")
        ),
        "antwerpen": District.objects.get(pk="antwerpen"),
    }
    return World(cast, objects)


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


# --- Payloads: valid, so that an allowed actor gets 2xx -------------------------------------


def lawyer_payload(w: World, role: str, obj: Any) -> dict[str, Any]:
    return {
        "office": w.cast.office_a_obj.pk,  # administrators must name it; staff's own office wins
        "given_name": "Dirk",
        "family_name": "Nieuwkomer",
        "email": "dirk@example.be",
        "languages": ["nl"],
        "districts": ["antwerpen"],
        "matters": ["youth"],
        "capacity": 3,
    }


def intake_payload(w: World, role: str, obj: Any) -> dict[str, Any]:
    return {
        "office": w.cast.office_a_obj.pk,
        "victim": {
            "given_names": "Nina",
            "family_name": "Nieuw",
            "date_of_birth": str(today() - dt.timedelta(days=15 * 365 + 30)),
            "language": "nl",
        },
        "district": "antwerpen",
    }


def leave_payload(w: World, role: str, obj: Any) -> dict[str, Any]:
    starts = today() + dt.timedelta(days=30)
    return {"starts_on": str(starts), "ends_on": str(starts + dt.timedelta(days=14))}


def language_payload(w: World, role: str, case: Case) -> dict[str, Any]:
    return {
        "language": "nl" if case.language_id == "fr" else "fr",
        "reason": "The victim is heard in the other language.",
    }


def party_payload(w: World, role: str, obj: Any) -> dict[str, Any]:
    return {"role": "co_accused", "full_name": "Karel Medeplichtige"}


def note_payload(w: World, role: str, obj: Any) -> dict[str, Any]:
    kind = NoteKind.PRIVILEGED if role.startswith("lawyer") else NoteKind.OFFICE
    return {"kind": kind, "body": "Spoke with the victim today."}


def guardian_payload(w: World, role: str, obj: Any) -> dict[str, Any]:
    return {
        "new_guardian": {
            "relationship": "appointed",
            "full_name": "Voogd Nieuw",
            "preferred_language": "nl",
        }
    }


def reason_payload(w: World, role: str, obj: Any) -> dict[str, Any]:
    return {"reason": "Recorded by the access-matrix test."}


def propose_payload(w: World, role: str, case: Case) -> dict[str, Any]:
    lawyer = w.cast.panel_a if case.office_id == w.cast.office_a_obj.pk else w.cast.panel_b
    return {"case": case.pk, "lawyer": lawyer.pk, "reason": "Overridden by the matrix test."}


def fairness_query(w: World, role: str, obj: Any) -> dict[str, Any]:
    """Query parameters: administrators must name the office; staff's own office wins."""
    return {"office": w.cast.office_a_obj.pk}


# --- The endpoints ----------------------------------------------------------------------------


def lawyer_capacity(w: World, lawyer: Lawyer) -> int:
    return Lawyer.objects.get(pk=lawyer.pk).capacity


def case_language(w: World, case: Case) -> str:
    return Case.objects.get(pk=case.pk).language_id


def case_status(w: World, case: Case) -> str:
    return Case.objects.get(pk=case.pk).status


def access_revoked(w: World, access: GuardianAccess) -> bool:
    return GuardianAccess.objects.get(pk=access.pk).revoked_at is not None


def designation_status(w: World, designation: Designation) -> str:
    return Designation.objects.get(pk=designation.pk).status


def capacity_7(w: World, role: str, obj: Any) -> dict[str, Any]:
    return {"capacity": 7}


def other_language(before: str) -> str:
    return "nl" if before == "fr" else "fr"


ENDPOINTS: dict[str, Endpoint] = {
    "api_root": Endpoint("GET", "/"),
    "me": Endpoint("GET", "/me/"),
    "districts": Endpoint("GET", "/districts/"),
    "district": Endpoint("GET", "/districts/{pk}/"),
    "lawyers": Endpoint("GET", "/lawyers/"),
    "lawyer": Endpoint("GET", "/lawyers/{pk}/"),
    "lawyer_create": writes(
        "POST", "/lawyers/", lawyer_payload,
        measure=count(Lawyer), becomes=plus_one, audit="lawyer.create",
    ),
    "lawyer_update": writes(
        "PATCH", "/lawyers/{pk}/", capacity_7,
        measure=lawyer_capacity, becomes=always(7), audit="lawyer.update",
    ),
    "leaves": Endpoint("GET", "/lawyers/{pk}/leaves/"),
    "leave_add": writes(
        "POST", "/lawyers/{pk}/leaves/", leave_payload,
        measure=count(LeavePeriod), becomes=plus_one, audit="leave.create",
    ),
    "intake": writes(
        "POST", "/intake/", intake_payload,
        measure=count(Case), becomes=plus_one, audit="case.create",
    ),
    "cases": Endpoint("GET", "/cases/"),
    "case": Endpoint("GET", "/cases/{pk}/"),
    "case_language": writes(
        "POST", "/cases/{pk}/change-language/", language_payload,
        measure=case_language, becomes=other_language, audit="case.language_change",
    ),
    "case_close": writes(
        "POST", "/cases/{pk}/close/", reason_payload,
        measure=case_status, becomes=always("closed"), audit="case.close",
    ),
    "parties": Endpoint("GET", "/cases/{pk}/parties/"),
    "party_add": writes(
        "POST", "/cases/{pk}/parties/", party_payload,
        measure=count(Party), becomes=plus_one, audit="party.create",
    ),
    "notes": Endpoint("GET", "/cases/{pk}/notes/"),
    "note_add": writes(
        "POST", "/cases/{pk}/notes/", note_payload,
        measure=count(CaseNote), becomes=plus_one, audit="case_note.create",
    ),
    "guardian_accesses": Endpoint("GET", "/cases/{pk}/guardian-access/"),
    "guardian_access_grant": writes(
        "POST", "/cases/{pk}/guardian-access/", guardian_payload,
        measure=count(GuardianAccess), becomes=plus_one, audit="guardian_access.grant",
    ),
    "guardian_access_revoke": writes(
        "POST", "/guardian-access/{pk}/revoke/", reason_payload,
        measure=access_revoked, becomes=always(True), audit="guardian_access.revoke",
    ),
    "designations": Endpoint("GET", "/designations/"),
    "designation": Endpoint("GET", "/designations/{pk}/"),
    "designation_propose": writes(
        "POST", "/designations/", propose_payload,
        measure=count(Designation), becomes=plus_one, audit="designation.proposed",
    ),
    "designation_accept": writes(
        "POST", "/designations/{pk}/accept/", None,
        measure=designation_status, becomes=always(DesignationStatus.ACCEPTED),
        audit="designation.accepted",
    ),
    "designation_decline": writes(
        "POST", "/designations/{pk}/decline/", reason_payload,
        measure=designation_status, becomes=always(DesignationStatus.DECLINED),
        audit="designation.declined",
    ),
    "designation_withdraw": writes(
        "POST", "/designations/{pk}/withdraw/", reason_payload,
        measure=designation_status, becomes=always(DesignationStatus.WITHDRAWN),
        audit="designation.withdrawn",
    ),
    "escalations": Endpoint("GET", "/escalations/"),
    "escalation": Endpoint("GET", "/escalations/{pk}/"),
    "fairness": Endpoint("GET", "/fairness/", fairness_query),
    "audit_events": Endpoint("GET", "/audit-events/"),
}  # fmt: skip

# In office A: case_a (lawyer_a accepted, guardian_a), case_a2 (lawyer_a2 only proposed),
# case_a_open (no lawyer). In office B: case_b (lawyer_b accepted, guardian_b), case_b_open.
# panel_x is lawyer_x's entry on the panel; designation_x and access_x belong to case_x;
# escalation_x is a case of office x that nobody was eligible for.
# 409: the lawyer's own designation, already accepted, cannot be accepted or declined again.
MATRIX: list[tuple[Any, ...]] = [
    # endpoint               object          adm  offA offB lawA lwA2 lawB grdA grdB outs anon
    ("api_root",              "-",           200, 200, 200, 200, 200, 200, 200, 200, 200, 403),
    ("me",                    "-",           200, 200, 200, 200, 200, 200, 200, 200, 200, 403),
    ("districts",             "-",           200, 200, 200, 200, 200, 200, 200, 200, 200, 403),
    ("district",              "antwerpen",   200, 200, 200, 200, 200, 200, 200, 200, 200, 403),
    ("lawyers",               "-",           200, 200, 200, 200, 200, 200, 403, 403, 403, 403),
    ("lawyer",                "panel_a",     200, 200, 404, 200, 404, 404, 403, 403, 403, 403),
    ("lawyer",                "panel_a2",    200, 200, 404, 404, 200, 404, 403, 403, 403, 403),
    ("lawyer",                "panel_b",     200, 404, 200, 404, 404, 200, 403, 403, 403, 403),
    ("lawyer_create",         "-",           201, 201, 201, 403, 403, 403, 403, 403, 403, 403),
    ("lawyer_update",         "panel_a",     200, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    ("lawyer_update",         "panel_a2",    200, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    ("lawyer_update",         "panel_b",     200, 404, 200, 403, 403, 403, 403, 403, 403, 403),
    ("leaves",                "panel_a",     200, 200, 404, 200, 404, 404, 403, 403, 403, 403),
    ("leaves",                "panel_a2",    200, 200, 404, 404, 200, 404, 403, 403, 403, 403),
    ("leaves",                "panel_b",     200, 404, 200, 404, 404, 200, 403, 403, 403, 403),
    ("leave_add",             "panel_a",     201, 201, 404, 201, 404, 404, 403, 403, 403, 403),
    ("leave_add",             "panel_a2",    201, 201, 404, 404, 201, 404, 403, 403, 403, 403),
    ("leave_add",             "panel_b",     201, 404, 201, 404, 404, 201, 403, 403, 403, 403),
    ("intake",                "-",           201, 201, 201, 403, 403, 403, 403, 403, 403, 403),
    ("cases",                 "-",           200, 200, 200, 200, 200, 200, 200, 200, 200, 403),
    ("case",                  "case_a",      200, 200, 404, 200, 404, 404, 200, 404, 404, 403),
    ("case",                  "case_a2",     200, 200, 404, 404, 200, 404, 404, 404, 404, 403),
    ("case",                  "case_b",      200, 404, 200, 404, 404, 200, 404, 200, 404, 403),
    ("case_language",         "case_a",      200, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    ("case_language",         "case_a2",     200, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    ("case_language",         "case_b",      200, 404, 200, 403, 403, 403, 403, 403, 403, 403),
    ("case_close",            "case_a",      200, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    ("case_close",            "case_b",      200, 404, 200, 403, 403, 403, 403, 403, 403, 403),
    ("parties",               "case_a",      200, 200, 404, 200, 404, 404, 403, 403, 403, 403),
    ("parties",               "case_a2",     200, 200, 404, 404, 404, 404, 403, 403, 403, 403),
    ("parties",               "case_b",      200, 404, 200, 404, 404, 200, 403, 403, 403, 403),
    ("party_add",             "case_a",      201, 201, 404, 201, 404, 404, 403, 403, 403, 403),
    ("party_add",             "case_a2",     201, 201, 404, 404, 404, 404, 403, 403, 403, 403),
    ("party_add",             "case_b",      201, 404, 201, 404, 404, 201, 403, 403, 403, 403),
    ("notes",                 "case_a",      200, 200, 404, 200, 404, 404, 403, 403, 403, 403),
    ("notes",                 "case_a2",     200, 200, 404, 404, 404, 404, 403, 403, 403, 403),
    ("notes",                 "case_b",      200, 404, 200, 404, 404, 200, 403, 403, 403, 403),
    ("note_add",              "case_a",      201, 201, 404, 201, 404, 404, 403, 403, 403, 403),
    ("note_add",              "case_a2",     201, 201, 404, 404, 404, 404, 403, 403, 403, 403),
    ("note_add",              "case_b",      201, 404, 201, 404, 404, 201, 403, 403, 403, 403),
    ("guardian_accesses",     "case_a",      200, 200, 404, 200, 404, 404, 403, 403, 403, 403),
    ("guardian_accesses",     "case_a2",     200, 200, 404, 404, 404, 404, 403, 403, 403, 403),
    ("guardian_accesses",     "case_b",      200, 404, 200, 404, 404, 200, 403, 403, 403, 403),
    ("guardian_access_grant", "case_a",      201, 201, 404, 201, 404, 404, 403, 403, 403, 403),
    ("guardian_access_grant", "case_a2",     201, 201, 404, 404, 404, 404, 403, 403, 403, 403),
    ("guardian_access_grant", "case_b",      201, 404, 201, 404, 404, 201, 403, 403, 403, 403),
    ("guardian_access_revoke", "access_a",   200, 200, 404, 200, 404, 404, 403, 403, 403, 403),
    ("guardian_access_revoke", "access_b",   200, 404, 200, 404, 404, 200, 403, 403, 403, 403),
    ("designations",          "-",           200, 200, 200, 200, 200, 200, 403, 403, 403, 403),
    ("designation",           "designation_a",  200, 200, 404, 200, 404, 404, 403, 403, 403, 403),
    ("designation",           "designation_a2", 200, 200, 404, 404, 200, 404, 403, 403, 403, 403),
    ("designation",           "designation_b",  200, 404, 200, 404, 404, 200, 403, 403, 403, 403),
    ("designation_propose",   "case_a_open", 201, 201, 404, 403, 403, 403, 403, 403, 403, 403),
    ("designation_propose",   "case_b_open", 201, 404, 201, 403, 403, 403, 403, 403, 403, 403),
    ("designation_accept",    "designation_a2", 403, 403, 403, 404, 200, 404, 403, 403, 403, 403),
    ("designation_accept",    "designation_a",  403, 403, 403, 409, 404, 404, 403, 403, 403, 403),
    ("designation_accept",    "designation_b",  403, 403, 403, 404, 404, 409, 403, 403, 403, 403),
    ("designation_decline",   "designation_a2", 403, 403, 403, 404, 200, 404, 403, 403, 403, 403),
    ("designation_decline",   "designation_a",  403, 403, 403, 409, 404, 404, 403, 403, 403, 403),
    ("designation_decline",   "designation_b",  403, 403, 403, 404, 404, 409, 403, 403, 403, 403),
    ("designation_withdraw",  "designation_a",  200, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    ("designation_withdraw",  "designation_a2", 200, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    ("designation_withdraw",  "designation_b",  200, 404, 200, 403, 403, 403, 403, 403, 403, 403),
    ("escalations",           "-",           200, 200, 200, 403, 403, 403, 403, 403, 403, 403),
    ("escalation",            "escalation_a", 200, 200, 404, 403, 403, 403, 403, 403, 403, 403),
    ("escalation",            "escalation_b", 200, 404, 200, 403, 403, 403, 403, 403, 403, 403),
    ("fairness",              "-",           200, 200, 200, 403, 403, 403, 403, 403, 403, 403),
    ("audit_events",          "-",           200, 200, 200, 403, 403, 403, 403, 403, 403, 403),
]  # fmt: skip


class TestEveryCell(SharedWorldCells):
    @staticmethod
    def build_world() -> World:
        return build_world(build_cast())

    @pytest.mark.parametrize(("endpoint", "obj", "role", "expected"), matrix_cells(MATRIX))
    def test_each_role_gets_the_documented_status_on_each_endpoint_for_own_and_other_objects(
        self, world: World, endpoint: str, obj: str, role: str, expected: int
    ) -> None:
        check_cell(world, ENDPOINTS[endpoint], obj, role, expected)


def out_of_scope_markers(cast: Cast, role: str) -> list[str]:
    """Texts that only data outside `role`'s scope contains (references, names, note bodies)."""
    a, a2, b = cast.case_a, cast.case_a2, cast.case_b
    return {
        "office_a": [b.reference, b.victim.pseudonym, "Camille", "Paul Proxo", "Secret A",
                     "office_b", "lawyer_b", "guardian_b"],
        "lawyer_a": [a2.reference, b.reference, a2.victim.pseudonym, "Bert", "Camille",
                     "Paul Proxo", "office_b", "lawyer_b"],
        "lawyer_a2": [a.reference, b.reference, a.victim.pseudonym, "Anna", "Camille",
                      "Piet Pooier", "Secret A"],
        "guardian_a": [b.reference, a.victim.pseudonym, str(a.victim.date_of_birth),
                       "Piet Pooier", "Office note A", "Secret A"],
        "outsider": [a.reference, a2.reference, b.reference, "Anna", "Camille"],
    }[role]  # fmt: skip


@pytest.mark.parametrize("rendering", ["json", "api"])
@pytest.mark.parametrize("role", ["office_a", "lawyer_a", "lawyer_a2", "guardian_a", "outsider"])
def test_no_page_a_role_may_read_shows_data_of_another_scope(
    world: World, role: str, rendering: str
) -> None:
    """Every GET the matrix allows, as JSON and in DRF's browsable API (whose forms and filter
    widgets list related rows if a serializer or filter lets them)."""
    client = client_for(world.user(role))
    markers = out_of_scope_markers(world.cast, role)
    column = ROLES.index(role)
    pages = [
        API + ENDPOINTS[endpoint].path.format(pk=getattr(world.object(obj), "pk", None))
        for endpoint, obj, *statuses in MATRIX
        if ENDPOINTS[endpoint].method == "GET" and statuses[column] == 200
    ]
    assert pages

    leaks = {}
    for page in pages:
        response = client.get(page, {"format": rendering})
        assert response.status_code == 200, page
        found = [marker for marker in markers if marker in response.content.decode()]
        if found:
            leaks[page] = found

    assert leaks == {}


# --- Lists return exactly what is in scope -------------------------------------------------

CASES_IN_SCOPE = {
    "admin": {"case_a", "case_a2", "case_b"},
    "office_a": {"case_a", "case_a2"},
    "office_b": {"case_b"},
    "lawyer_a": {"case_a"},
    "lawyer_a2": {"case_a2"},
    "lawyer_b": {"case_b"},
    "guardian_a": {"case_a"},
    "guardian_b": {"case_b"},
    "outsider": set(),
}


@pytest.mark.parametrize("role", list(CASES_IN_SCOPE))
def test_case_list_returns_exactly_the_cases_in_the_actors_scope(cast: Cast, role: str) -> None:
    items = every_page(client_for(getattr(cast, role)), f"{API}/cases/")

    expected = {getattr(cast, name).pk for name in CASES_IN_SCOPE[role]}
    assert sorted(item["id"] for item in items) == sorted(expected)


@pytest.mark.parametrize(
    ("role", "in_scope"),
    [
        ("admin", {"designation_a", "designation_a2", "designation_b"}),
        ("office_a", {"designation_a", "designation_a2"}),
        ("office_b", {"designation_b"}),
        ("lawyer_a", {"designation_a"}),
        ("lawyer_a2", {"designation_a2"}),
        ("lawyer_b", {"designation_b"}),
    ],
)
def test_designation_list_returns_exactly_the_designations_in_the_actors_scope(
    cast: Cast, role: str, in_scope: set[str]
) -> None:
    items = every_page(client_for(getattr(cast, role)), f"{API}/designations/")

    expected = {getattr(cast, name).pk for name in in_scope}
    assert sorted(item["id"] for item in items) == sorted(expected)


@pytest.mark.parametrize(
    ("role", "in_scope"),
    [
        ("admin", {"panel_a", "panel_a2", "panel_b"}),
        ("office_a", {"panel_a", "panel_a2"}),
        ("office_b", {"panel_b"}),
        ("lawyer_a", {"panel_a"}),
        ("lawyer_a2", {"panel_a2"}),
        ("lawyer_b", {"panel_b"}),
    ],
)
def test_lawyer_list_returns_the_own_bars_panel_to_staff_and_a_lawyer_only_their_own_entry(
    cast: Cast, role: str, in_scope: set[str]
) -> None:
    items = every_page(client_for(getattr(cast, role)), f"{API}/lawyers/")

    expected = {getattr(cast, name).pk for name in in_scope}
    assert sorted(item["id"] for item in items) == sorted(expected)


def test_audit_list_shows_office_staff_their_offices_rows_and_administrators_every_row(
    cast: Cast,
) -> None:
    office_a_rows = set(
        AuditEvent.objects.filter(office_id=cast.office_a_obj.pk).values_list("pk", flat=True)
    )
    all_rows = set(AuditEvent.objects.values_list("pk", flat=True))
    assert office_a_rows
    assert office_a_rows != all_rows

    seen_by_office_a = every_page(client_for(cast.office_a), f"{API}/audit-events/")
    seen_by_admin = every_page(client_for(cast.admin), f"{API}/audit-events/")

    assert {item["id"] for item in seen_by_office_a} == office_a_rows
    assert len(seen_by_office_a) == len(office_a_rows)
    assert {item["id"] for item in seen_by_admin} == all_rows


def test_guardian_access_list_of_a_case_holds_that_cases_accesses_only(cast: Cast) -> None:
    response = client_for(cast.office_a).get(f"{API}/cases/{cast.case_a.pk}/guardian-access/")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [cast.access_a.pk]
    assert response.json()[0]["case"] == cast.case_a.pk


def test_party_list_of_a_case_holds_that_cases_parties_only(cast: Cast) -> None:
    response = client_for(cast.lawyer_a).get(f"{API}/cases/{cast.case_a.pk}/parties/")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [cast.party_a.pk]
    assert response.json()[0]["defendant"]["full_name"] == "Piet Pooier"


@pytest.mark.parametrize(
    ("role", "in_scope"),
    [
        ("admin", {"escalation_a", "escalation_b"}),
        ("office_a", {"escalation_a"}),
        ("office_b", {"escalation_b"}),
    ],
)
def test_escalation_list_returns_exactly_the_escalations_of_the_actors_office(
    world: World, role: str, in_scope: set[str]
) -> None:
    items = every_page(client_for(world.user(role)), f"{API}/escalations/")

    assert sorted(item["id"] for item in items) == sorted(
        world.object(name).pk for name in in_scope
    )


def test_the_escalation_queue_shows_the_reasons_and_filters_open_and_resolved(
    world: World,
) -> None:
    client = client_for(world.cast.office_a)
    escalation = world.object("escalation_a")
    detail = client.get(f"{API}/escalations/{escalation.pk}/")
    assert detail.status_code == 200
    answered = detail.json()
    assert dt.datetime.fromisoformat(answered.pop("opened_at")) == escalation.opened_at
    assert answered == {
        "id": escalation.pk,
        "case": escalation.case_id,
        "case_reference": escalation.case.reference,
        "resolved_at": None,
        "resolved_by": None,
        "resolution": "",
        "explanation": {
            "engine": 2,
            "evaluated_on": today().isoformat(),
            "chosen": None,
            "considered": 2,
            "eligible": 0,
            "exclusion_counts": {"conflict_of_interest": 2},
            "candidates": [
                {"lawyer": lawyer.pk, "name": str(lawyer), "excluded": ["conflict_of_interest"]}
                for lawyer in sorted([world.cast.panel_a, world.cast.panel_a2], key=lambda x: x.pk)
            ],
        },
    }

    lawyer = make_lawyer(world.cast.office_a, world.cast.office_a_obj, "Wout")
    designation_propose(
        actor=world.cast.office_a, case=escalation.case, lawyer=lawyer, reason="New on the panel"
    )

    still_open = every_page(client, f"{API}/escalations/?open=true")
    resolved = every_page(client, f"{API}/escalations/?open=false")
    assert still_open == []
    assert [(item["id"], item["resolved_by"]) for item in resolved] == [
        (escalation.pk, world.cast.office_a.pk)
    ]


def test_fairness_report_is_the_office_staffs_own_office_whatever_they_ask(cast: Cast) -> None:
    asked_for_a = {"office": cast.office_a_obj.pk}

    own = client_for(cast.office_a).get(f"{API}/fairness/")
    other = client_for(cast.office_b).get(f"{API}/fairness/", asked_for_a)
    admin = client_for(cast.admin).get(f"{API}/fairness/", asked_for_a)

    assert [response.status_code for response in (own, other, admin)] == [200, 200, 200]
    assert own.json() == admin.json()
    assert own.json()["office"] == cast.office_a_obj.pk
    assert [row["lawyer"] for row in own.json()["lawyers"]] == [cast.panel_a.pk, cast.panel_a2.pk]
    assert other.json()["office"] == cast.office_b_obj.pk
    assert [row["lawyer"] for row in other.json()["lawyers"]] == [cast.panel_b.pk]
    assert "Anna" not in other.content.decode()


def test_fairness_report_counts_the_designations_of_the_period(cast: Cast) -> None:
    today = timezone.localdate()

    within = client_for(cast.office_a).get(
        f"{API}/fairness/", {"since": str(today), "until": str(today)}
    )
    before = client_for(cast.office_a).get(
        f"{API}/fairness/",
        {"since": str(today - dt.timedelta(days=9)), "until": str(today - dt.timedelta(days=1))},
    )

    assert within.json()["since"] == within.json()["until"] == str(today)
    rows = [
        (row["name"], row["designated_in_period"], row["accepted_in_period"], row["open_load"])
        for row in within.json()["lawyers"]
    ]
    assert rows == [("Testlawyer, Anna", 1, 1, 1), ("Testlawyer, Bert", 1, 0, 1)]
    assert within.json()["distribution"] == {
        "lawyers": 2,
        "designations": 2,
        "min": 1,
        "median": 1,
        "max": 1,
        "gini": 0.0,
    }
    assert [row["designated_in_period"] for row in before.json()["lawyers"]] == [0, 0]
    assert [row["open_load"] for row in before.json()["lawyers"]] == [1, 1]  # load is today's


@pytest.mark.parametrize(
    ("role", "query", "fields"),
    [
        (
            "admin",
            {},
            {"office": ["Name the legal-aid office (administrators act for a given office)."]},
        ),
        (
            "office_a",
            {"since": "2026-03-02", "until": "2026-03-01"},
            {"until": ["The period ends before it starts."]},
        ),
        (
            "office_a",
            {"since": "yesterday"},
            {"since": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
        ),
        (
            "admin",
            {"office": "999999"},
            {"office": ['Invalid pk "999999" - object does not exist.']},
        ),
    ],
    ids=[
        "administrator without an office",
        "period ending before it starts",
        "not a date",
        "no such office",
    ],
)
def test_fairness_report_refuses_an_unusable_query(
    cast: Cast, role: str, query: dict[str, str], fields: dict[str, list[str]]
) -> None:
    since = last_audit_id()

    response = client_for(getattr(cast, role)).get(f"{API}/fairness/", query)

    assert response.status_code == 400
    assert assert_error_body(response, 400)["fields"] == fields
    assert new_audit_rows(since) == []


def test_a_lawyer_never_receives_the_engines_explanation_while_office_staff_do(
    cast: Cast,
) -> None:
    designation = cast.designation_a2
    assert designation.explanation["override"]["reason"] == "Chosen by the office"
    for role in ("office_a", "admin"):
        client = client_for(getattr(cast, role))
        detail = client.get(f"{API}/designations/{designation.pk}/")
        listed = every_page(client, f"{API}/designations/")
        stored = designation.explanation
        summary = {k: v for k, v in stored.items() if k not in ("ranked", "excluded")}
        named = [
            {"lawyer": c["lawyer"], "name": str(Lawyer.objects.get(pk=c["lawyer"])), **c}
            for c in candidates_of(stored)
        ]
        assert named  # every candidate considered, by name, with its scores or exclusions
        assert detail.json()["explanation"] == {**summary, "candidates": named}
        assert all("explanation" in item for item in listed)

    lawyer_a2 = client_for(cast.lawyer_a2)
    answers = [
        lawyer_a2.get(f"{API}/designations/{designation.pk}/").json(),
        every_page(lawyer_a2, f"{API}/designations/"),
        lawyer_a2.get(f"{API}/cases/{cast.case_a2.pk}/").json(),
        lawyer_a2.post(
            f"{API}/designations/{designation.pk}/decline/", {"reason": "Ill"}, format="json"
        ).json(),
    ]
    # The decline passed case_a2 to Anna: her proposal carries the engine's full explanation.
    successor = Designation.objects.get(case=cast.case_a2, status=DesignationStatus.PROPOSED)
    assert successor.lawyer == cast.panel_a
    assert candidates_of(successor.explanation)
    lawyer_a = client_for(cast.lawyer_a)
    answers += [
        lawyer_a.get(f"{API}/designations/{successor.pk}/").json(),
        every_page(lawyer_a, f"{API}/designations/"),
        lawyer_a.post(f"{API}/designations/{successor.pk}/accept/").json(),
    ]

    assert answers[0]["id"] == designation.pk
    assert answers[-1]["status"] == DesignationStatus.ACCEPTED
    assert [answer for answer in answers if "explanation" in walk_keys(answer)] == []
    assert ["Bert" in json.dumps(answer) for answer in answers[4:]] == [False, False, False]


def test_filters_answer_an_out_of_scope_id_exactly_as_a_missing_one(cast: Cast) -> None:
    client = client_for(cast.office_a)
    missing = 999_999

    own = client.get(f"{API}/designations/?case={cast.case_a.pk}")
    other_case = client.get(f"{API}/designations/?case={cast.case_b.pk}")
    missing_case = client.get(f"{API}/designations/?case={missing}")
    other_lawyer = client.get(f"{API}/designations/?lawyer={cast.panel_b.pk}")
    missing_lawyer = client.get(f"{API}/designations/?lawyer={missing}")
    other_actor = client.get(f"{API}/audit-events/?actor={cast.office_b.pk}")
    missing_actor = client.get(f"{API}/audit-events/?actor={missing}")
    other_escalated = client.get(f"{API}/escalations/?case={cast.case_b.pk}")
    missing_escalated = client.get(f"{API}/escalations/?case={missing}")

    assert [item["id"] for item in own.json()["results"]] == [cast.designation_a.pk]
    empty: dict[str, Any] = {"count": 0, "next": None, "previous": None, "results": []}
    answers = [other_case, missing_case, other_lawyer, missing_lawyer, other_actor, missing_actor]
    answers += [other_escalated, missing_escalated]
    assert [(answer.status_code, answer.json()) for answer in answers] == [(200, empty)] * 8


def test_ordering_by_an_undeclared_field_is_ignored_not_a_server_error(cast: Cast) -> None:
    client = client_for(cast.office_a)

    crafted = client.get(f"{API}/designations/?ordering=lawyer____str__")
    by_status = client.get(f"{API}/designations/?ordering=status")
    audit = client.get(f"{API}/audit-events/?ordering=changes")

    assert crafted.status_code == 200
    assert crafted.json()["count"] == 2
    assert [item["status"] for item in by_status.json()["results"]] == ["accepted", "proposed"]
    assert audit.status_code == 200


# --- A lawyer's scope follows the designation ------------------------------------------------


def test_proposed_lawyer_reads_the_case_but_works_on_it_only_after_accepting(cast: Cast) -> None:
    client = client_for(cast.lawyer_a2)
    url = f"{API}/cases/{cast.case_a2.pk}"
    note = {"kind": NoteKind.PRIVILEGED, "body": "First meeting planned."}

    assert client.get(f"{url}/").status_code == 200
    refused = client.post(f"{url}/notes/", note, format="json")
    assert refused.status_code == 404
    assert CaseNote.objects.filter(case=cast.case_a2).count() == 0

    accepted = client.post(f"{API}/designations/{cast.designation_a2.pk}/accept/")
    written = client.post(f"{url}/notes/", note, format="json")

    assert accepted.status_code == 200
    assert accepted.json()["status"] == DesignationStatus.ACCEPTED
    assert written.status_code == 201
    assert CaseNote.objects.filter(case=cast.case_a2, author=cast.lawyer_a2).count() == 1


def test_lawyer_loses_the_case_on_declining_but_keeps_the_designation_in_their_history(
    cast: Cast,
) -> None:
    client = client_for(cast.lawyer_a2)

    declined = client.post(
        f"{API}/designations/{cast.designation_a2.pk}/decline/",
        {"reason": "Conflict with my agenda."},
        format="json",
    )

    assert declined.status_code == 200
    assert client.get(f"{API}/cases/{cast.case_a2.pk}/").status_code == 404
    assert every_page(client, f"{API}/cases/") == []
    history = every_page(client, f"{API}/designations/")
    assert [(item["id"], item["status"]) for item in history] == [
        (cast.designation_a2.pk, DesignationStatus.DECLINED)
    ]


def test_lawyer_loses_the_case_when_the_office_withdraws_the_designation(cast: Cast) -> None:
    withdrawn = client_for(cast.office_a).post(
        f"{API}/designations/{cast.designation_a.pk}/withdraw/",
        {"reason": "The victim asked for another lawyer."},
        format="json",
    )

    assert withdrawn.status_code == 200
    lawyer = client_for(cast.lawyer_a)
    assert lawyer.get(f"{API}/cases/{cast.case_a.pk}/").status_code == 404
    assert lawyer.get(f"{API}/cases/{cast.case_a.pk}/notes/").status_code == 404
    assert every_page(lawyer, f"{API}/cases/") == []


# --- Privileged notes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "bodies"),
    [
        ("lawyer_a", ["Office note A", "Secret A"]),
        ("office_a", ["Office note A"]),
        ("admin", ["Office note A"]),
    ],
)
def test_privileged_note_is_returned_to_its_author_only(
    cast: Cast, role: str, bodies: list[str]
) -> None:
    response = client_for(getattr(cast, role)).get(f"{API}/cases/{cast.case_a.pk}/notes/")

    assert response.status_code == 200
    assert [note["body"] for note in response.json()] == bodies


@pytest.mark.parametrize("role", ["office_a", "admin"])
def test_office_and_administrators_never_receive_privileged_text_anywhere(
    cast: Cast, role: str
) -> None:
    client = client_for(getattr(cast, role))
    case = f"{API}/cases/{cast.case_a.pk}"
    responses = [client.get(f"{case}/"), client.get(f"{case}/notes/")]
    responses += [client.get(f"{API}/cases/"), client.get(f"{API}/audit-events/")]

    for response in responses:
        assert response.status_code == 200
        assert "Secret A" not in response.content.decode()


def test_the_next_lawyer_on_a_case_does_not_inherit_the_previous_lawyers_privileged_notes(
    cast: Cast,
) -> None:
    withdrawn = client_for(cast.office_a).post(
        f"{API}/designations/{cast.designation_a.pk}/withdraw/",
        {"reason": "Lawyer changes."},
        format="json",
    )
    successor = designation_propose(
        actor=cast.office_a, case=cast.case_a, lawyer=cast.panel_a2, reason="Chosen by the office"
    )
    designation_accept(actor=cast.lawyer_a2, designation=successor)

    response = client_for(cast.lawyer_a2).get(f"{API}/cases/{cast.case_a.pk}/notes/")

    assert withdrawn.status_code == 200
    assert response.status_code == 200
    assert [note["body"] for note in response.json()] == ["Office note A"]


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        ("office_a", NoteKind.PRIVILEGED),
        ("admin", NoteKind.PRIVILEGED),
        ("lawyer_a", NoteKind.OFFICE),
    ],
)
def test_only_the_accepted_lawyer_writes_privileged_notes_and_only_the_office_writes_office_notes(
    cast: Cast, role: str, kind: str
) -> None:
    before = fingerprint()

    response = client_for(getattr(cast, role)).post(
        f"{API}/cases/{cast.case_a.pk}/notes/",
        {"kind": kind, "body": "Not allowed."},
        format="json",
    )

    assert response.status_code == 403
    assert_error_body(response, 403, "forbidden")
    assert fingerprint() == before


# --- What a guardian sees ---------------------------------------------------------------------

GUARDIAN_SUMMARY_KEYS = {"id", "reference", "status", "status_label", "district_name", "lawyer"}


def test_guardian_case_view_is_a_summary_without_victim_identity_parties_or_notes(
    cast: Cast,
) -> None:
    response = client_for(cast.guardian_a).get(f"{API}/cases/{cast.case_a.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": cast.case_a.pk,
        "reference": cast.case_a.reference,
        "status": "lawyer_designated",
        "status_label": "Lawyer designated",
        "district_name": str(cast.case_a.district),
        "lawyer": {"name": "Anna Testlawyer", "email": "anna@example.be", "phone": ""},
    }
    text = response.content.decode()
    victim = cast.case_a.victim
    secrets = [victim.pseudonym, str(victim.date_of_birth), "Piet Pooier", "Office note A"]
    assert [secret for secret in [*secrets, "Secret A"] if secret in text] == []


def test_guardian_case_list_holds_the_same_summary_only(cast: Cast) -> None:
    items = every_page(client_for(cast.guardian_a), f"{API}/cases/")

    assert [set(item) for item in items] == [GUARDIAN_SUMMARY_KEYS]
    assert items[0]["id"] == cast.case_a.pk


def test_guardian_sees_no_lawyer_while_the_designation_is_only_proposed(cast: Cast) -> None:
    user = make_user("guardian_a2", Role.GUARDIAN)
    guardian = guardian_create(
        actor=cast.office_a,
        case=cast.case_a2,
        relationship=GuardianRelationship.PARENT,
        full_name="Parent of case A2",
        preferred_language=Language.objects.get(pk="nl"),
        user=user,
    )
    guardian_access_grant(actor=cast.office_a, case=cast.case_a2, guardian=guardian)

    response = client_for(user).get(f"{API}/cases/{cast.case_a2.pk}/")

    assert response.status_code == 200
    assert response.json()["lawyer"] is None
    assert set(response.json()) == GUARDIAN_SUMMARY_KEYS


def test_guardian_loses_the_case_once_access_is_revoked(cast: Cast) -> None:
    revoked = client_for(cast.office_a).post(
        f"{API}/guardian-access/{cast.access_a.pk}/revoke/",
        {"reason": "Parental authority withdrawn by the youth court."},
        format="json",
    )

    assert revoked.status_code == 200
    assert revoked.json()["revoked_by"] == cast.office_a.pk
    guardian = client_for(cast.guardian_a)
    assert guardian.get(f"{API}/cases/{cast.case_a.pk}/").status_code == 404
    assert every_page(guardian, f"{API}/cases/") == []


def test_revoking_an_access_twice_is_a_conflict_and_changes_nothing(cast: Cast) -> None:
    client = client_for(cast.office_a)
    url = f"{API}/guardian-access/{cast.access_a.pk}/revoke/"
    assert client.post(url, {"reason": "First."}, format="json").status_code == 200
    before = fingerprint()

    again = client.post(url, {"reason": "Second."}, format="json")

    assert again.status_code == 409
    assert_error_body(again, 409)
    assert fingerprint() == before


def test_guardian_loses_the_case_on_the_wards_18th_birthday(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = make_case(cast.office_a, cast.office_a_obj, age_years=17)
    user = make_user("guardian_of_17", Role.GUARDIAN)
    guardian = guardian_create(
        actor=cast.office_a,
        case=case,
        relationship=GuardianRelationship.PARENT,
        full_name="Parent of an almost adult",
        preferred_language=Language.objects.get(pk="nl"),
        user=user,
    )
    access = guardian_access_grant(actor=cast.office_a, case=case, guardian=guardian)
    birthday = case.victim.eighteenth_birthday()
    assert access.ends_on == birthday
    client = client_for(user)

    monkeypatch.setattr(selectors, "today", lambda: birthday - dt.timedelta(days=1))
    day_before = client.get(f"{API}/cases/{case.pk}/")
    listed_day_before = every_page(client, f"{API}/cases/")
    monkeypatch.setattr(selectors, "today", lambda: birthday)
    on_birthday = client.get(f"{API}/cases/{case.pk}/")
    listed_on_birthday = every_page(client, f"{API}/cases/")

    assert day_before.status_code == 200
    assert [item["id"] for item in listed_day_before] == [case.pk]
    assert on_birthday.status_code == 404
    assert listed_on_birthday == []


def test_guardian_access_that_ended_in_the_past_gives_no_access(cast: Cast) -> None:
    GuardianAccess.objects.filter(pk=cast.access_a.pk).update(ends_on=today())

    response = client_for(cast.guardian_a).get(f"{API}/cases/{cast.case_a.pk}/")

    assert response.status_code == 404
    assert every_page(client_for(cast.guardian_a), f"{API}/cases/") == []


def test_granting_guardian_access_to_an_adult_victims_case_is_refused(cast: Cast) -> None:
    adult_case = make_case(
        cast.office_a, cast.office_a_obj, age_years=19, adult_at_intake_reason="Reported late."
    )
    before = fingerprint()

    response = client_for(cast.office_a).post(
        f"{API}/cases/{adult_case.pk}/guardian-access/",
        {
            "new_guardian": {
                "relationship": "parent",
                "full_name": "Too Late",
                "preferred_language": "nl",
            }
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(assert_error_body(response, 400)["fields"]) == ["guardian"]
    assert fingerprint() == before


# --- Identity data never in lists --------------------------------------------------------------


def walk_keys(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {key for value in data.values() for key in walk_keys(value)}
    if isinstance(data, list):
        return {key for item in data for key in walk_keys(item)}
    return set()


@pytest.mark.parametrize("role", ["admin", "office_a", "lawyer_a2"])
def test_lists_never_contain_a_victims_identity(cast: Cast, role: str) -> None:
    born = today() - dt.timedelta(days=16 * 365)
    number = national_number_for(born, 321)
    intake = client_for(cast.office_a).post(
        f"{API}/intake/",
        {
            "victim": {
                "given_names": "Zelda-Anouk",
                "family_name": "Vertrouwelijk",
                "date_of_birth": str(born),
                "national_number": number,
                "language": "nl",
            },
            "district": "antwerpen",
            "chosen_lawyer": cast.panel_a2.pk,  # the engine proposes her own choice
        },
        format="json",
    )
    assert intake.status_code == 201, intake.content
    case = Case.objects.get(pk=intake.json()["id"])
    designation = case.designations.get(lawyer=cast.panel_a2, status=DesignationStatus.PROPOSED)
    identity = ["Zelda-Anouk", "Vertrouwelijk", str(born), number]
    client = client_for(getattr(cast, role))

    cases = every_page(client, f"{API}/cases/")
    designations = every_page(client, f"{API}/designations/")
    lawyers = every_page(client, f"{API}/lawyers/")

    assert case.pk in {item["id"] for item in cases}
    assert designation.pk in {item["id"] for item in designations}
    assert not walk_keys(cases) & VICTIM_IDENTITY_KEYS
    assert not walk_keys(designations) & VICTIM_IDENTITY_KEYS
    for listed in (cases, designations, lawyers):
        text = json.dumps(listed)
        assert not [value for value in identity if value in text]
    if role != "lawyer_a2":
        audit = every_page(client, f"{API}/audit-events/")
        created = [
            row for row in audit if (row["action"], row["case_id"]) == ("victim.create", case.pk)
        ]
        assert len(created) == 1
        assert {key: created[0]["changes"][key] for key in VICTIM_IDENTITY_KEYS} == {
            key: [None, MASK] for key in VICTIM_IDENTITY_KEYS
        }
        assert not [value for value in identity if value in json.dumps(audit)]


def test_full_case_file_holds_the_identity_for_staff(cast: Cast) -> None:
    response = client_for(cast.office_a).get(f"{API}/cases/{cast.case_a.pk}/")

    assert response.status_code == 200
    victim = cast.case_a.victim
    assert response.json()["victim"] == {
        "pseudonym": victim.pseudonym,
        "given_names": victim.given_names,  # "Test" and a letter: make_case's distinct victims
        "family_name": "Victim",
        "date_of_birth": str(victim.date_of_birth),
        "national_number": None,
        "nationality": "",
        "language": "nl",
        "earlier_record": None,
    }
    assert re.fullmatch(r"Test [A-Z]+", victim.given_names)


# --- Reads of a case file are audited -----------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "action"),
    [
        ("admin", "case.read_full"),
        ("office_a", "case.read_full"),
        ("lawyer_a", "case.read_full"),
        ("guardian_a", "case.read_summary"),
    ],
)
def test_reading_a_case_writes_exactly_one_read_row_for_the_actor(
    cast: Cast, role: str, action: str
) -> None:
    user = getattr(cast, role)
    since = last_audit_id()

    response = client_for(user).get(f"{API}/cases/{cast.case_a.pk}/")

    assert response.status_code == 200
    assert new_audit_rows(since) == [(action, user.pk, cast.case_a.pk, cast.office_a_obj.pk)]


def test_a_refused_read_and_a_list_leave_no_read_row(cast: Cast) -> None:
    since = last_audit_id()

    refused = client_for(cast.office_b).get(f"{API}/cases/{cast.case_a.pk}/")
    listed = client_for(cast.office_a).get(f"{API}/cases/")

    assert refused.status_code == 404
    assert listed.status_code == 200
    assert new_audit_rows(since) == []


# --- 404 and authentication ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "method", "path", "other", "message"),
    [
        ("office_a", "get", "/cases/{pk}/", "case_b", "No such case."),
        ("guardian_a", "get", "/cases/{pk}/", "case_b", "No such case."),
        ("lawyer_a", "get", "/cases/{pk}/", "case_a2", "No such case."),
        ("lawyer_a2", "get", "/cases/{pk}/notes/", "case_a2", "No such case."),
        ("office_a", "get", "/lawyers/{pk}/", "panel_b", "No such lawyer."),
        ("lawyer_a", "get", "/designations/{pk}/", "designation_b", "No such designation."),
        (
            "office_a",
            "post",
            "/guardian-access/{pk}/revoke/",
            "access_b",
            "No such guardian access.",
        ),
        ("office_a", "get", "/escalations/{pk}/", "escalation_b", "No such escalation."),
        ("office_b", "get", "/escalations/{pk}/", "escalation_a", "No such escalation."),
    ],
)
def test_an_out_of_scope_object_answers_the_same_404_body_as_a_missing_one(
    world: World, role: str, method: str, path: str, other: str, message: str
) -> None:
    client = client_for(world.user(role))
    send = getattr(client, method)
    payload = {"reason": "Trying."} if method == "post" else None
    before = fingerprint()

    out_of_scope = send(API + path.format(pk=world.object(other).pk), payload, format="json")
    missing = send(API + path.format(pk=999_999), payload, format="json")

    expected = {"error": {"status": 404, "code": "not_found", "message": message, "fields": {}}}
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json() == expected
    assert fingerprint() == before


def test_unauthenticated_request_answers_403_without_a_challenge(cast: Cast) -> None:
    response = APIClient().get(f"{API}/cases/{cast.case_a.pk}/")

    assert response.status_code == 403
    assert "WWW-Authenticate" not in response.headers
    assert response.json() == {
        "error": {
            "status": 403,
            "code": "not_authenticated",
            "message": "Authentication credentials were not provided.",
            "fields": {},
        }
    }


def test_token_and_session_both_authenticate_and_a_bad_token_is_refused(cast: Cast) -> None:
    token = Token.objects.create(user=cast.lawyer_a)
    with_token = APIClient()
    with_token.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    with_session = APIClient()
    give_second_factor(cast.office_a)  # a session reaches the API only after the second factor
    assert with_session.login(username="office_a", password=PASSWORD)
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    by_token = with_token.get(f"{API}/me/")
    by_session = with_session.get(f"{API}/me/")
    refused = bad.get(f"{API}/me/")

    assert by_token.json() == {"username": "lawyer_a", "role": "lawyer", "office": None}
    office = cast.office_a_obj.pk
    assert by_session.json() == {"username": "office_a", "role": "office", "office": office}
    assert refused.status_code == 403
    assert_error_body(refused, 403, "authentication_failed")


def test_session_authenticated_writes_need_a_csrf_token_and_token_writes_do_not(
    cast: Cast,
) -> None:
    url = f"{API}/cases/{cast.case_a.pk}/notes/"
    note = {"kind": NoteKind.OFFICE, "body": "Written over the API."}
    session = APIClient(enforce_csrf_checks=True)
    give_second_factor(cast.office_a)
    assert session.login(username="office_a", password=PASSWORD)
    before = fingerprint()

    refused = session.post(url, note, format="json")

    assert refused.status_code == 403
    assert_error_body(refused, 403)
    assert fingerprint() == before
    token = APIClient(enforce_csrf_checks=True)
    token.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=cast.office_a).key}")
    assert token.post(url, note, format="json").status_code == 201


# --- Writes stay in scope ---------------------------------------------------------------------


def test_workflow_states_change_only_through_their_own_endpoints(cast: Cast) -> None:
    client = client_for(cast.admin)
    before = fingerprint()

    answers = [
        client.patch(f"{API}/cases/{cast.case_a.pk}/", {"status": "closed"}, format="json"),
        client.put(f"{API}/cases/{cast.case_a.pk}/", {"status": "closed"}, format="json"),
        client.delete(f"{API}/cases/{cast.case_a.pk}/"),
        client.patch(
            f"{API}/designations/{cast.designation_a2.pk}/", {"status": "accepted"}, format="json"
        ),
        client.delete(f"{API}/designations/{cast.designation_a.pk}/"),
        client.delete(f"{API}/lawyers/{cast.panel_a.pk}/"),
    ]

    assert [response.status_code for response in answers] == [405] * len(answers)
    assert fingerprint() == before


def test_office_staff_always_register_a_victim_in_their_own_office(world: World) -> None:
    response = client_for(world.cast.office_b).post(
        f"{API}/intake/", intake_payload(world, "office_b", None), format="json"
    )

    assert response.status_code == 201
    assert response.json()["office"] == world.cast.office_b_obj.pk
    assert Case.objects.get(pk=response.json()["id"]).office == world.cast.office_b_obj


@pytest.mark.parametrize(
    ("path", "payload"), [("/intake/", intake_payload), ("/lawyers/", lawyer_payload)]
)
def test_administrator_must_name_the_office_they_act_for(
    world: World, path: str, payload: Callable[[World, str, Any], dict[str, Any]]
) -> None:
    data = payload(world, "admin", None)
    del data["office"]
    before = fingerprint()

    response = client_for(world.cast.admin).post(API + path, data, format="json")

    assert response.status_code == 400
    assert list(assert_error_body(response, 400)["fields"]) == ["office"]
    assert fingerprint() == before


def test_office_staff_cannot_move_a_lawyer_to_another_bars_panel(cast: Cast) -> None:
    response = client_for(cast.office_a).patch(
        f"{API}/lawyers/{cast.panel_a.pk}/",
        {"office": cast.office_b_obj.pk, "capacity": 6},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["bar"] == cast.office_a_obj.bar_id
    assert Lawyer.objects.get(pk=cast.panel_a.pk).bar_id == cast.office_a_obj.bar_id
    assert client_for(cast.office_b).get(f"{API}/lawyers/{cast.panel_a.pk}/").status_code == 404


def test_a_new_lawyer_may_be_registered_without_matters(world: World) -> None:
    data = lawyer_payload(world, "office_a", None)
    del data["matters"]

    response = client_for(world.cast.office_a).post(f"{API}/lawyers/", data, format="json")

    assert response.status_code == 201
    assert response.json()["matters"] == []
    assert Lawyer.objects.get(pk=response.json()["id"]).bar == world.cast.office_a_obj.bar


def test_office_cannot_propose_a_lawyer_of_another_bar_nor_learn_that_the_lawyer_exists(
    world: World,
) -> None:
    client = client_for(world.cast.office_a)
    before = fingerprint()

    reason = "Overridden by the office."
    other_bar = client.post(
        f"{API}/designations/",
        {"case": world.object("case_a_open").pk, "lawyer": world.cast.panel_b.pk, "reason": reason},
        format="json",
    )
    missing = client.post(
        f"{API}/designations/",
        {"case": world.object("case_a_open").pk, "lawyer": 999_999, "reason": reason},
        format="json",
    )

    assert other_bar.status_code == missing.status_code == 400
    assert other_bar.json() == missing.json()
    assert assert_error_body(other_bar, 400)["fields"] == {"lawyer": ["No such lawyer."]}
    assert fingerprint() == before


def test_a_defendant_of_another_offices_case_cannot_be_linked_but_one_of_an_own_case_can(
    cast: Cast,
) -> None:
    client = client_for(cast.office_a)
    before = fingerprint()

    foreign = client.post(
        f"{API}/cases/{cast.case_a.pk}/parties/",
        {"role": "pimp", "defendant": cast.party_b.defendant_id},
        format="json",
    )

    assert foreign.status_code == 404
    assert_error_body(foreign, 404)
    assert fingerprint() == before
    own = client.post(
        f"{API}/cases/{cast.case_a2.pk}/parties/",
        {"role": "pimp", "defendant": cast.party_a.defendant_id},
        format="json",
    )
    assert own.status_code == 201
    assert own.json()["defendant"]["id"] == cast.party_a.defendant_id


def test_a_guardian_of_another_offices_case_cannot_be_granted_but_one_of_an_own_case_can(
    cast: Cast,
) -> None:
    client = client_for(cast.office_a)
    before = fingerprint()

    foreign = client.post(
        f"{API}/cases/{cast.case_a2.pk}/guardian-access/",
        {"guardian": cast.access_b.guardian_id},
        format="json",
    )

    assert foreign.status_code == 404
    assert_error_body(foreign, 404)
    assert fingerprint() == before
    own = client.post(
        f"{API}/cases/{cast.case_a2.pk}/guardian-access/",
        {"guardian": cast.access_a.guardian_id},
        format="json",
    )
    assert own.status_code == 201
    assert own.json()["guardian"]["id"] == cast.access_a.guardian_id


def test_me_tells_each_role_who_they_are(cast: Cast) -> None:
    answers = {
        role: client_for(getattr(cast, role)).get(f"{API}/me/").json()
        for role in ROLES
        if role != ANONYMOUS
    }

    assert answers == {
        role: {
            "username": role,
            "role": getattr(cast, role).role,
            "office": getattr(cast, role).office_id,
        }
        for role in answers
    }
    assert {answer["role"] for answer in answers.values()} == set(Role)


def test_every_role_reads_the_districts_with_todays_languages(cast: Cast) -> None:
    response = client_for(cast.outsider).get(f"{API}/districts/antwerpen/")

    assert response.status_code == 200
    assert response.json()["languages"] == ["nl"]
    assert response.json()["default_language"] == "nl"
