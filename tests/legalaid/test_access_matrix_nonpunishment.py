"""The access matrix of the non-punishment endpoints (DOMAIN.md §7, issue #5).

The rule:
- the designated lawyer (accepted designation) reads the whole record and writes every step of
  it; a lawyer with a proposal only, or of another case, gets 404 as for a missing record;
- office staff of the case's office and administrators read that a record exists, its category,
  dates and outcome (the summary); they may not write at all (403), nor read the evidence;
- a guardian reads nothing of the record (403 on its endpoints), only the neutral line of their
  ward's case, and only once the lawyer shared it (`/cases/{pk}/guardian-notice/`);
- unauthenticated: 403 `not_authenticated`.

`MATRIX` has one row per endpoint and object; below it, the test that no answer a role may read
holds privileged text, over every GET of this matrix and of the legal-aid one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from legalaid.models import (
    Case,
    District,
    EvidenceItem,
    ExploitationIndicator,
    ExploitationLink,
    Language,
    NonPunishmentLegalBasis,
    NonPunishmentRecord,
    NonPunishmentRequest,
    OffenceCategory,
    User,
)
from legalaid.services.nonpunishment import (
    evidence_item_add,
    nonpunishment_assessment_set,
    nonpunishment_guardian_share,
    nonpunishment_link_add,
    nonpunishment_record_create,
    nonpunishment_request_record,
)
from tests.access import (
    API,
    ROLES,
    Endpoint,
    SharedWorldCells,
    World,
    always,
    check_cell,
    client_for,
    count,
    fingerprint_with,
    matrix_cells,
    plus_one,
    writes,
)
from tests.cast import Cast, build_cast, make_case
from tests.legalaid import test_access_matrix as legalaid_matrix

# Texts only the designated lawyer may ever receive (one set per case).
PRIVILEGED = {
    "a": {
        "description": "Privileged offence description A",
        "proceeding_reference": "PRIV-PROC-A",
        "note": "Privileged indicator note A",
        "evidence_description": "Privileged evidence description A",
        "evidence_reference": "PRIV-EVID-A",
        "reasoning": "Privileged assessment reasoning A",
    },
    "b": {
        "description": "Privileged offence description B",
        "proceeding_reference": "PRIV-PROC-B",
        "note": "Privileged indicator note B",
        "evidence_description": "Privileged evidence description B",
        "evidence_reference": "PRIV-EVID-B",
        "reasoning": "Privileged assessment reasoning B",
    },
}


def today() -> dt.date:
    return timezone.localdate()


def build_record(lawyer: User, case: Case, texts: dict[str, str]) -> NonPunishmentRecord:
    """A record as a lawyer keeps it: evidence, an indicator, an assessment, a request."""
    evidence = evidence_item_add(
        actor=lawyer,
        case=case,
        kind="statement",
        description=texts["evidence_description"],
        reference=texts["evidence_reference"],
        dated_on=today() - dt.timedelta(days=40),
    )
    record = nonpunishment_record_create(
        actor=lawyer,
        case=case,
        category=OffenceCategory.objects.get(code="drugs"),
        description=texts["description"],
        proceeding_reference=texts["proceeding_reference"],
        committed_from=today() - dt.timedelta(days=60),
        committed_until=today() - dt.timedelta(days=50),
    )
    nonpunishment_link_add(
        actor=lawyer,
        record=record,
        indicator=ExploitationIndicator.objects.get(code="instructed_by_pimp"),
        note=texts["note"],
        evidence=[evidence],
    )
    nonpunishment_assessment_set(
        actor=lawyer, record=record, assessment="arguable", reasoning=texts["reasoning"]
    )
    nonpunishment_request_record(
        actor=lawyer,
        record=record,
        addressee="prosecutor",
        measure="not_to_prosecute",
        requested_on=today() - dt.timedelta(days=30),
        legal_bases=[NonPunishmentLegalBasis.objects.get(code="eu_2011_36_art8")],
    )
    return record


def build_world(cast: Cast) -> World:
    """The cast, the legal-aid matrix's extra objects, and a record per accepted case: record_a
    (case_a, not shared with the guardian) and record_b (case_b, shared)."""
    parties = [
        {"role": "pimp", "full_name": "Escalated Pimp", "represented_by": cast.panel_a},
        {"role": "client", "full_name": "Escalated Client", "represented_by": cast.panel_a2},
    ]
    record_a = build_record(cast.lawyer_a, cast.case_a, PRIVILEGED["a"])
    record_b = build_record(cast.lawyer_b, cast.case_b, PRIVILEGED["b"])
    nonpunishment_guardian_share(actor=cast.lawyer_b, record=record_b)
    objects = {
        "case_a_open": make_case(cast.office_a, cast.office_a_obj),
        "case_b_open": make_case(
            cast.office_b, cast.office_b_obj, language=Language.objects.get(pk="fr")
        ),
        "escalation_a": legalaid_matrix.escalated_case(
            cast.office_a, cast.office_a_obj, parties=parties
        ),
        "escalation_b": legalaid_matrix.escalated_case(
            cast.office_b, cast.office_b_obj, language=Language.objects.get(pk="nl")
        ),
        "antwerpen": District.objects.get(pk="antwerpen"),
        "record_a": record_a,
        "record_b": record_b,
        "evidence_a": EvidenceItem.objects.get(case=cast.case_a),
        "evidence_b": EvidenceItem.objects.get(case=cast.case_b),
    }
    return World(cast, objects)


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


def np_rows() -> dict[str, Any]:
    return {
        "np_records": list(
            NonPunishmentRecord.objects.order_by("pk").values_list(
                "pk", "decision", "decided_on", "assessment", "assessment_reasoning",
                "shared_with_guardian",
            )
        )
    }  # fmt: skip


fingerprint = fingerprint_with(
    EvidenceItem, NonPunishmentRecord, ExploitationLink, NonPunishmentRequest, rows=np_rows
)


# --- Payloads -----------------------------------------------------------------------------


def evidence_payload(w: World, role: str, case: Case) -> dict[str, Any]:
    return {"case": case.pk, "kind": "document", "description": "Chat extract", "reference": "X1"}


def record_payload(w: World, role: str, case: Case) -> dict[str, Any]:
    return {
        "case": case.pk,
        "category": "theft",
        "description": "Shoplifting on instruction.",
        "committed_from": str(today() - dt.timedelta(days=10)),
    }


def link_payload(w: World, role: str, record: NonPunishmentRecord) -> dict[str, Any]:
    evidence = w.object("evidence_a" if record.case_id == w.cast.case_a.pk else "evidence_b")
    return {"indicator": "coercion_or_threats", "note": "Threats.", "evidence": [evidence.pk]}


def request_payload(w: World, role: str, record: NonPunishmentRecord) -> dict[str, Any]:
    return {
        "addressee": "court",
        "measure": "exemption_from_penalty",
        "requested_on": str(today() - dt.timedelta(days=5)),
        "legal_bases": ["eu_2011_36_art8"],
    }


def decision_payload(w: World, role: str, record: NonPunishmentRecord) -> dict[str, Any]:
    return {"decision": "dismissed", "decided_on": str(today())}


def assessment_payload(w: World, role: str, record: NonPunishmentRecord) -> dict[str, Any]:
    return {"assessment": "strong", "reasoning": "Written instructions found."}


def record_field(name: str) -> Any:
    return lambda w, record: getattr(NonPunishmentRecord.objects.get(pk=record.pk), name)


ENDPOINTS: dict[str, Endpoint] = {
    "np_reference": Endpoint("GET", "/nonpunishment-reference/"),
    "evidence_items": Endpoint("GET", "/evidence-items/"),
    "evidence_add": writes(
        "POST", "/evidence-items/", evidence_payload,
        measure=count(EvidenceItem), becomes=plus_one, audit="evidence_item.create",
    ),
    "np_records": Endpoint("GET", "/nonpunishment-records/"),
    "np_record": Endpoint("GET", "/nonpunishment-records/{pk}/"),
    "np_record_create": writes(
        "POST", "/nonpunishment-records/", record_payload,
        measure=count(NonPunishmentRecord), becomes=plus_one, audit="nonpunishment_record.create",
    ),
    "np_link_add": writes(
        "POST", "/nonpunishment-records/{pk}/links/", link_payload,
        measure=count(ExploitationLink), becomes=plus_one, audit="exploitation_link.create",
    ),
    "np_request_add": writes(
        "POST", "/nonpunishment-records/{pk}/requests/", request_payload,
        measure=count(NonPunishmentRequest), becomes=plus_one,
        audit="nonpunishment_request.create",
    ),
    "np_decision": writes(
        "POST", "/nonpunishment-records/{pk}/decision/", decision_payload,
        measure=record_field("decision"), becomes=always("dismissed"),
        audit="nonpunishment_record.decision",
    ),
    "np_assessment": writes(
        "POST", "/nonpunishment-records/{pk}/assessment/", assessment_payload,
        measure=record_field("assessment"), becomes=always("strong"),
        audit="nonpunishment_record.assessment",
    ),
    "np_share": writes(
        "POST", "/nonpunishment-records/{pk}/share-with-guardian/", None,
        measure=record_field("shared_with_guardian"), becomes=always(True),
        audit="nonpunishment_record.share_with_guardian",
    ),
    "np_unshare": writes(
        "POST", "/nonpunishment-records/{pk}/unshare-with-guardian/", None,
        measure=record_field("shared_with_guardian"), becomes=always(False),
        audit="nonpunishment_record.unshare_with_guardian",
    ),
    "guardian_notice": Endpoint("GET", "/cases/{pk}/guardian-notice/"),
}  # fmt: skip

# record_a: case_a (lawyer_a accepted, guardian_a), not shared with the guardian.
# record_b: case_b (lawyer_b accepted, guardian_b), shared. lawyer_a2 has a proposal only
# (case_a2): they keep no record. 409: sharing what is shared, unsharing what is not.
MATRIX: list[tuple[Any, ...]] = [
    # endpoint           object       adm  offA offB lawA lwA2 lawB grdA grdB outs anon
    ("np_reference",     "-",         200, 200, 200, 200, 200, 200, 403, 403, 403, 403),
    ("evidence_items",   "-",         403, 403, 403, 200, 200, 200, 403, 403, 403, 403),
    ("evidence_add",     "case_a",    403, 403, 403, 201, 404, 404, 403, 403, 403, 403),
    ("evidence_add",     "case_a2",   403, 403, 403, 404, 404, 404, 403, 403, 403, 403),
    ("evidence_add",     "case_b",    403, 403, 403, 404, 404, 201, 403, 403, 403, 403),
    ("np_records",       "-",         200, 200, 200, 200, 200, 200, 403, 403, 403, 403),
    ("np_record",        "record_a",  200, 200, 404, 200, 404, 404, 403, 403, 403, 403),
    ("np_record",        "record_b",  200, 404, 200, 404, 404, 200, 403, 403, 403, 403),
    ("np_record_create", "case_a",    403, 403, 403, 201, 404, 404, 403, 403, 403, 403),
    ("np_record_create", "case_a2",   403, 403, 403, 404, 404, 404, 403, 403, 403, 403),
    ("np_record_create", "case_b",    403, 403, 403, 404, 404, 201, 403, 403, 403, 403),
    ("np_link_add",      "record_a",  403, 403, 403, 201, 404, 404, 403, 403, 403, 403),
    ("np_link_add",      "record_b",  403, 403, 403, 404, 404, 201, 403, 403, 403, 403),
    ("np_request_add",   "record_a",  403, 403, 403, 201, 404, 404, 403, 403, 403, 403),
    ("np_request_add",   "record_b",  403, 403, 403, 404, 404, 201, 403, 403, 403, 403),
    ("np_decision",      "record_a",  403, 403, 403, 200, 404, 404, 403, 403, 403, 403),
    ("np_decision",      "record_b",  403, 403, 403, 404, 404, 200, 403, 403, 403, 403),
    ("np_assessment",    "record_a",  403, 403, 403, 200, 404, 404, 403, 403, 403, 403),
    ("np_assessment",    "record_b",  403, 403, 403, 404, 404, 200, 403, 403, 403, 403),
    ("np_share",         "record_a",  403, 403, 403, 200, 404, 404, 403, 403, 403, 403),
    ("np_share",         "record_b",  403, 403, 403, 404, 404, 409, 403, 403, 403, 403),
    ("np_unshare",       "record_a",  403, 403, 403, 409, 404, 404, 403, 403, 403, 403),
    ("np_unshare",       "record_b",  403, 403, 403, 404, 404, 200, 403, 403, 403, 403),
    ("guardian_notice",  "case_a",    403, 403, 403, 403, 403, 403, 200, 404, 404, 403),
    ("guardian_notice",  "case_b",    403, 403, 403, 403, 403, 403, 404, 200, 404, 403),
]  # fmt: skip


class TestEveryCell(SharedWorldCells):
    @staticmethod
    def build_world() -> World:
        return build_world(build_cast())

    @pytest.mark.parametrize(("endpoint", "obj", "role", "expected"), matrix_cells(MATRIX))
    def test_each_role_gets_the_documented_status_on_each_nonpunishment_endpoint(
        self, world: World, endpoint: str, obj: str, role: str, expected: int
    ) -> None:
        check_cell(world, ENDPOINTS[endpoint], obj, role, expected, fingerprint=fingerprint)


# --- Privileged text never reaches anyone but the designated lawyer ---------------------------


def privileged_texts(*cases: str) -> list[str]:
    return [text for case in cases for text in PRIVILEGED[case].values()]


def query_of(world: World, spec: Endpoint, role: str, obj: str) -> dict[str, Any]:
    """A GET's query parameters (administrators name the office of the fairness report)."""
    return spec.payload(world, role, world.object(obj)) if spec.payload is not None else {}


ALL_GETS = [
    (ENDPOINTS, MATRIX),
    (legalaid_matrix.ENDPOINTS, legalaid_matrix.MATRIX),
]


@pytest.mark.parametrize("rendering", ["json", "api"])
@pytest.mark.parametrize(
    ("role", "never"),
    [
        ("admin", ["a", "b"]),
        ("office_a", ["a", "b"]),
        ("office_b", ["a", "b"]),
        ("lawyer_a", ["b"]),
        ("lawyer_a2", ["a", "b"]),
        ("lawyer_b", ["a"]),
        ("guardian_a", ["a", "b"]),
        ("guardian_b", ["a", "b"]),
        ("outsider", ["a", "b"]),
    ],
)
def test_no_page_a_role_may_read_shows_privileged_nonpunishment_text(
    world: World, role: str, never: list[str], rendering: str
) -> None:
    """Every GET of both matrices the role may call (case files, audit trail, records, notice),
    as JSON and in the browsable API: no description, proceeding reference, indicator note,
    evidence or assessment of a record the role does not keep."""
    client = client_for(world.user(role))
    column = ROLES.index(role)
    pages = [
        (
            API + endpoints[name].path.format(pk=getattr(world.object(obj), "pk", None)),
            query_of(world, endpoints[name], role, obj),
        )
        for endpoints, matrix in ALL_GETS
        for name, obj, *statuses in matrix
        if endpoints[name].method == "GET" and statuses[column] == 200
    ]
    assert pages
    markers = privileged_texts(*never)

    leaks = {}
    for page, query in pages:
        response = client.get(page, {**query, "format": rendering})
        assert response.status_code == 200, page
        found = [marker for marker in markers if marker in response.content.decode()]
        if found:
            leaks[page] = found

    assert leaks == {}


def test_the_designated_lawyer_does_read_the_privileged_text_of_their_record(
    world: World,
) -> None:
    """The leak test above is not vacuous: the same markers are in the lawyer's own answers."""
    client = client_for(world.cast.lawyer_a)
    record = client.get(f"{API}/nonpunishment-records/{world.object('record_a').pk}/")
    evidence = client.get(f"{API}/evidence-items/")
    text = record.content.decode() + evidence.content.decode()

    assert [marker for marker in privileged_texts("a") if marker not in text] == []
