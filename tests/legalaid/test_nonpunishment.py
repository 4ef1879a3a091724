"""The non-punishment record (DOMAIN.md §7, issue #5): its lists as data, the rules of its dates
and references, the victim's age derived from the date of birth, what each audience receives,
the masked audit trail, the guardian's neutral line, the statistics hook and the demo data."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from legalaid import selectors
from legalaid.audit import MASK
from legalaid.demo_nonpunishment import load as load_demo
from legalaid.errors import Forbidden
from legalaid.models import (
    AuditEvent,
    Case,
    EvidenceItem,
    ExploitationIndicator,
    GuardianNoticeText,
    GuardianRelationship,
    Language,
    NonPunishmentLegalBasis,
    NonPunishmentRecord,
    OffenceCategory,
    Role,
    User,
    Victim,
    age_on,
)
from legalaid.services.designations import designation_accept, designation_propose
from legalaid.services.guardians import guardian_access_grant, guardian_create
from legalaid.services.nonpunishment import (
    evidence_item_add,
    nonpunishment_decision_record,
    nonpunishment_record_create,
)
from tests.access import API, World, assert_error_body, client_for, last_audit_id
from tests.cast import Cast, give_second_factor, make_case, make_user
from tests.legalaid.test_access_matrix_nonpunishment import (
    PRIVILEGED,
    build_world,
    fingerprint,
)


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> str:
    """The ISO date `n` days from today (negative: in the past)."""
    return str(today() + dt.timedelta(days=n))


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


def record_url(record: NonPunishmentRecord, action: str = "") -> str:
    return f"{API}/nonpunishment-records/{record.pk}/{action + '/' if action else ''}"


# --- The lists are data ------------------------------------------------------------------------


def test_offence_categories_are_seeded_with_stable_codes_and_labels_in_four_languages(
    db: None,
) -> None:
    categories = list(OffenceCategory.objects.all())

    assert [c.code for c in categories] == [
        "drugs", "theft", "recruiting_others", "fraud", "violence", "other",
    ]  # fmt: skip
    assert all(c.label_nl and c.label_fr and c.label_de and c.label_en for c in categories)
    assert OffenceCategory.objects.get(code="theft").label("fr") == "Vol"


def test_exploitation_indicators_are_seeded_with_stable_codes_and_labels_in_four_languages(
    db: None,
) -> None:
    indicators = list(ExploitationIndicator.objects.all())

    assert [i.code for i in indicators] == [
        "instructed_by_pimp", "coercion_or_threats", "deception", "emotional_dependency",
        "debt_bondage", "image_blackmail", "other",
    ]  # fmt: skip
    assert all(i.label_nl and i.label_fr and i.label_de and i.label_en for i in indicators)


def test_the_old_code_ends_the_day_before_the_new_code_whose_article_is_marked_to_verify(
    db: None,
) -> None:
    old = NonPunishmentLegalBasis.objects.get(code="be_old_cc_433quinquies_5")
    new = NonPunishmentLegalBasis.objects.get(code="be_new_cc_non_punishment")
    eu = NonPunishmentLegalBasis.objects.get(code="eu_2011_36_art8")

    assert (old.valid_from, old.valid_until) == (dt.date(2019, 7, 1), dt.date(2026, 4, 7))
    assert (new.valid_from, new.valid_until) == (dt.date(2026, 4, 8), None)
    assert "to be verified" in new.label_en
    assert "TO VERIFY" in new.notes
    assert "2024/1712" in eu.label_en
    codes_on = [
        sorted(NonPunishmentLegalBasis.objects.valid_on(day).values_list("code", flat=True))
        for day in (dt.date(2026, 4, 7), dt.date(2026, 4, 8))
    ]
    assert codes_on == [
        ["be_old_cc_433quinquies_5", "eu_2011_36_art8"],
        ["be_new_cc_non_punishment", "eu_2011_36_art8"],
    ]


def test_the_neutral_line_for_guardians_exists_in_dutch_french_and_german(db: None) -> None:
    texts = GuardianNoticeText.objects.filter(code=GuardianNoticeText.DEFENCE_IN_PREPARATION)

    assert sorted(texts.values_list("language_id", flat=True)) == ["de", "fr", "nl"]


def test_the_reference_endpoint_lists_only_entries_valid_today(cast: Cast) -> None:
    OffenceCategory.objects.filter(code="fraud").update(valid_until=today() - dt.timedelta(1))

    body = client_for(cast.lawyer_a).get(f"{API}/nonpunishment-reference/").json()

    assert [c["code"] for c in body["offence_categories"]] == [
        "drugs", "theft", "recruiting_others", "violence", "other",
    ]  # fmt: skip
    assert [b["code"] for b in body["legal_bases"]] == [
        "be_new_cc_non_punishment", "eu_2011_36_art8",
    ]  # fmt: skip


# --- The victim's age is derived -------------------------------------------------------------


def test_age_on_counts_the_birthday_itself_and_a_29_february_birthday_on_1_march() -> None:
    born = dt.date(2010, 5, 10)
    leap = dt.date(2008, 2, 29)

    assert [age_on(born, dt.date(2025, 5, 9)), age_on(born, dt.date(2025, 5, 10))] == [14, 15]
    assert [age_on(leap, dt.date(2025, 2, 28)), age_on(leap, dt.date(2025, 3, 1))] == [16, 17]
    assert age_on(leap, dt.date(2024, 2, 29)) == 16


def test_the_victims_age_at_the_offence_counts_a_birthday_on_the_offence_day(cast: Cast) -> None:
    offence_day = today() - dt.timedelta(days=100)
    born = offence_day.replace(year=offence_day.year - 15)
    Victim.objects.filter(pk=cast.case_a.victim_id).update(date_of_birth=born)
    client = client_for(cast.lawyer_a)

    on_birthday = client.post(
        f"{API}/nonpunishment-records/",
        {"case": cast.case_a.pk, "category": "drugs", "description": "On the birthday.",
         "committed_from": str(offence_day), "victim_age_at_offence": 3},
        format="json",
    )  # fmt: skip
    day_before = client.post(
        f"{API}/nonpunishment-records/",
        {"case": cast.case_a.pk, "category": "theft", "description": "The day before.",
         "committed_from": str(offence_day - dt.timedelta(days=1)),
         "committed_until": str(offence_day)},
        format="json",
    )  # fmt: skip

    assert on_birthday.status_code == day_before.status_code == 201
    assert on_birthday.json()["victim_age_at_offence"] == 15  # typed input is ignored
    assert (day_before.json()["victim_age_at_offence"], day_before.json()["victim_age_at_end"]) == (
        14,
        15,
    )


def test_the_age_follows_a_corrected_date_of_birth_because_it_is_never_stored(
    world: World,
) -> None:
    record = NonPunishmentRecord.objects.get(pk=world.object("record_a").pk)
    corrected = record.committed_from.replace(year=record.committed_from.year - 13)
    Victim.objects.filter(pk=record.case.victim_id).update(date_of_birth=corrected)

    body = client_for(world.cast.lawyer_a).get(record_url(record)).json()

    assert body["victim_age_at_offence"] == 13
    assert "victim_age_at_offence" not in {f.name for f in NonPunishmentRecord._meta.fields}


# --- Refusals: 400, nothing written ------------------------------------------------------------

Payload = Callable[[World], dict[str, Any]]


def record_a(w: World) -> NonPunishmentRecord:
    return NonPunishmentRecord.objects.get(pk=w.object("record_a").pk)


def new_record(**changes: Any) -> Payload:
    def payload(w: World) -> dict[str, Any]:
        body = {"case": w.cast.case_a.pk, "category": "theft", "description": "Shoplifting.",
                "committed_from": days(-10)}  # fmt: skip
        return {**body, **changes}

    return payload


def other_case_of_lawyer_a(w: World) -> Case:
    case = make_case(w.cast.office_a, w.cast.office_a_obj)
    designation = designation_propose(
        actor=w.cast.office_a, case=case, lawyer=w.cast.panel_a, reason="Second case"
    )
    designation_accept(actor=w.cast.lawyer_a, designation=designation)
    return case


def evidence_of_own_other_case(w: World) -> dict[str, Any]:
    item = evidence_item_add(
        actor=w.cast.lawyer_a,
        case=other_case_of_lawyer_a(w),
        kind="document",
        description="Of another case",
    )
    return {"indicator": "deception", "note": "x", "evidence": [item.pk]}


def retire(code: str, model: type[Any]) -> None:
    model.objects.filter(code=code).update(valid_until=today() - dt.timedelta(days=1))


REFUSALS: list[tuple[str, str, Payload, str, Callable[[], None] | None]] = [
    # id, where (records/ or a record_a action), payload, field in error, set-up
    ("offence_in_the_future", "", new_record(committed_from=days(1)), "committed_from", None),
    ("period_ends_before_it_starts", "",
     new_record(committed_from=days(-5), committed_until=days(-6)), "committed_until", None),
    ("period_ends_in_the_future", "", new_record(committed_until=days(2)), "committed_until",
     None),
    ("offence_before_the_victims_birth", "", new_record(committed_from="1990-01-01"),
     "committed_from", None),
    ("unknown_category", "", new_record(category="piracy"), "category", None),
    ("category_no_longer_valid", "", new_record(category="fraud"), "category",
     lambda: retire("fraud", OffenceCategory)),
    ("empty_description", "", new_record(description=" "), "description", None),
    ("indicator_not_in_the_list", "links",
     lambda w: {"indicator": "mind_control", "note": "x"}, "indicator", None),
    ("indicator_no_longer_valid", "links", lambda w: {"indicator": "deception"}, "indicator",
     lambda: retire("deception", ExploitationIndicator)),
    ("indicator_twice", "links", lambda w: {"indicator": "instructed_by_pimp"}, "indicator", None),
    ("other_indicator_without_a_note", "links", lambda w: {"indicator": "other"}, "note", None),
    ("evidence_of_another_lawyers_case", "links",
     lambda w: {"indicator": "deception", "evidence": [w.object("evidence_b").pk]}, "evidence",
     None),
    ("evidence_of_another_case_of_the_same_lawyer", "links", evidence_of_own_other_case,
     "evidence", None),
    ("missing_evidence", "links", lambda w: {"indicator": "deception", "evidence": [999999]},
     "evidence", None),
    ("request_before_the_offence", "requests",
     lambda w: {"addressee": "prosecutor", "measure": "dismissal",
                "requested_on": str(record_a(w).committed_from - dt.timedelta(days=1)),
                "legal_bases": ["eu_2011_36_art8"]}, "requested_on", None),
    ("request_in_the_future", "requests",
     lambda w: {"addressee": "prosecutor", "measure": "dismissal", "requested_on": days(1),
                "legal_bases": ["eu_2011_36_art8"]}, "requested_on", None),
    ("court_asked_not_to_prosecute", "requests",
     lambda w: {"addressee": "court", "measure": "not_to_prosecute", "requested_on": days(-1),
                "legal_bases": ["eu_2011_36_art8"]}, "measure", None),
    ("prosecutor_asked_for_exemption_from_penalty", "requests",
     lambda w: {"addressee": "prosecutor", "measure": "exemption_from_penalty",
                "requested_on": days(-1), "legal_bases": ["eu_2011_36_art8"]}, "measure", None),
    ("no_legal_basis", "requests",
     lambda w: {"addressee": "prosecutor", "measure": "dismissal", "requested_on": days(-1),
                "legal_bases": []}, "legal_bases", None),
    ("unknown_legal_basis", "requests",
     lambda w: {"addressee": "prosecutor", "measure": "dismissal", "requested_on": days(-1),
                "legal_bases": ["napoleonic_code"]}, "legal_bases", None),
    # record_a's offence lies after 7 April 2026, when the old Code had already given way.
    ("legal_basis_in_force_neither_on_the_offence_nor_on_the_request", "requests",
     lambda w: {"addressee": "prosecutor", "measure": "dismissal", "requested_on": days(-1),
                "legal_bases": ["be_old_cc_433quinquies_5"]}, "legal_bases", None),
    ("decision_before_the_request", "decision",
     lambda w: {"decision": "dismissed", "decided_on": days(-31)}, "decided_on", None),
    ("decision_in_the_future", "decision",
     lambda w: {"decision": "dismissed", "decided_on": days(1)}, "decided_on", None),
    ("decision_without_a_date", "decision", lambda w: {"decision": "convicted"}, "decided_on",
     None),
    ("pending_with_a_date", "decision",
     lambda w: {"decision": "pending", "decided_on": days(-1)}, "decided_on", None),
    ("unknown_decision", "decision",
     lambda w: {"decision": "pardoned", "decided_on": days(-1)}, "decision", None),
    ("assessment_without_reasoning", "assessment",
     lambda w: {"assessment": "strong", "reasoning": ""}, "reasoning", None),
    ("unknown_assessment", "assessment",
     lambda w: {"assessment": "certain", "reasoning": "Sure."}, "assessment", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("where", "payload", "field", "setup"),
    [pytest.param(*row[1:], id=row[0]) for row in REFUSALS],
)
def test_bad_input_is_refused_with_400_and_changes_nothing(
    world: World,
    where: str,
    payload: Payload,
    field: str,
    setup: Callable[[], None] | None,
) -> None:
    if setup is not None:
        setup()
    body = payload(world)
    url = record_url(world.object("record_a"), where) if where else f"{API}/nonpunishment-records/"
    before = fingerprint()

    response = client_for(world.cast.lawyer_a).post(url, body, format="json")

    assert response.status_code == 400, response.content
    error = assert_error_body(response, 400)
    assert list(error["fields"]) == [field]
    assert fingerprint() == before


def test_evidence_dated_in_the_future_is_refused_and_nothing_written(world: World) -> None:
    before = fingerprint()

    response = client_for(world.cast.lawyer_a).post(
        f"{API}/evidence-items/",
        {"case": world.cast.case_a.pk, "kind": "document", "description": "x", "dated_on": days(1)},
        format="json",
    )

    assert response.status_code == 400
    assert list(assert_error_body(response, 400)["fields"]) == ["dated_on"]
    assert fingerprint() == before


def test_recording_the_same_outcome_twice_is_a_conflict_and_changes_nothing(
    world: World,
) -> None:
    client = client_for(world.cast.lawyer_a)
    url = record_url(world.object("record_a"), "decision")
    first = client.post(url, {"decision": "not_prosecuted", "decided_on": days(-1)}, format="json")
    before = fingerprint()

    again = client.post(url, {"decision": "not_prosecuted", "decided_on": days(-1)}, format="json")

    assert first.status_code == 200
    assert again.status_code == 409
    assert_error_body(again, 409)
    assert fingerprint() == before


@pytest.mark.parametrize("role", ["office_a", "admin", "lawyer_a2", "guardian_a"])
def test_the_services_refuse_anyone_but_the_designated_lawyer(cast: Cast, role: str) -> None:
    with pytest.raises(Forbidden):
        nonpunishment_record_create(
            actor=getattr(cast, role),
            case=cast.case_a,
            category=OffenceCategory.objects.get(code="drugs"),
            description="Not theirs to write.",
            committed_from=today(),
        )
    assert NonPunishmentRecord.objects.count() == 0


def test_a_decision_may_follow_the_request_and_return_to_pending_without_a_date(
    world: World,
) -> None:
    record = world.object("record_a")
    client = client_for(world.cast.lawyer_a)

    decided = client.post(
        record_url(record, "decision"), {"decision": "dismissed", "decided_on": days(-30)}
    )
    reopened = client.post(record_url(record, "decision"), {"decision": "pending"})

    assert decided.status_code == reopened.status_code == 200
    assert (decided.json()["decision"], decided.json()["decided_on"]) == ("dismissed", days(-30))
    assert (reopened.json()["decision"], reopened.json()["decided_on"]) == ("pending", None)


def test_the_same_other_indicator_may_be_linked_twice_with_different_notes(world: World) -> None:
    client = client_for(world.cast.lawyer_a)
    url = record_url(world.object("record_a"), "links")

    first = client.post(url, {"indicator": "other", "note": "Isolation from family."})
    second = client.post(url, {"indicator": "other", "note": "Drugs given to stay awake."})

    assert first.status_code == second.status_code == 201
    assert [link["indicator"] for link in second.json()["links"]] == [
        "instructed_by_pimp", "other", "other",
    ]  # fmt: skip


def test_an_old_provision_may_be_invoked_for_an_offence_committed_while_it_was_in_force(
    cast: Cast,
) -> None:
    record = nonpunishment_record_create(
        actor=cast.lawyer_a,
        case=cast.case_a,
        category=OffenceCategory.objects.get(code="drugs"),
        description="Dealing in March 2026.",
        committed_from=dt.date(2026, 3, 1),
    )

    response = client_for(cast.lawyer_a).post(
        record_url(record, "requests"),
        {"addressee": "court", "measure": "exemption_from_penalty", "requested_on": days(-1),
         "legal_bases": ["be_old_cc_433quinquies_5", "be_new_cc_non_punishment"]},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201, response.content
    assert response.json()["requests"][0]["legal_bases"] == [
        "be_old_cc_433quinquies_5", "be_new_cc_non_punishment",
    ]  # fmt: skip


# --- Who receives what ---------------------------------------------------------------------

SUMMARY_KEYS = {"id", "case", "case_reference", "category", "committed_from", "committed_until",
                "decision", "decided_on", "created_at"}  # fmt: skip
WHOLE_KEYS = SUMMARY_KEYS | {
    "description", "proceeding_reference", "victim_age_at_offence", "victim_age_at_end",
    "assessment", "assessment_reasoning", "assessed_at", "shared_with_guardian", "links",
    "requests", "updated_at",
}  # fmt: skip


@pytest.mark.parametrize("role", ["office_a", "admin"])
def test_office_staff_and_administrators_read_the_summary_only(world: World, role: str) -> None:
    record = world.object("record_a")

    body = client_for(getattr(world.cast, role)).get(record_url(record)).json()

    assert body == {
        "id": record.pk,
        "case": world.cast.case_a.pk,
        "case_reference": world.cast.case_a.reference,
        "category": "drugs",
        "committed_from": days(-60),
        "committed_until": days(-50),
        "decision": "pending",
        "decided_on": None,
        "created_at": body["created_at"],
    }


def test_the_designated_lawyer_reads_the_whole_record(world: World) -> None:
    record = world.object("record_a")
    evidence = world.object("evidence_a")
    texts = PRIVILEGED["a"]

    body = client_for(world.cast.lawyer_a).get(record_url(record)).json()

    assert set(body) == WHOLE_KEYS
    assert (body["description"], body["proceeding_reference"]) == (
        texts["description"],
        texts["proceeding_reference"],
    )
    assert (body["assessment"], body["assessment_reasoning"]) == ("arguable", texts["reasoning"])
    assert [(link["indicator"], link["note"], link["evidence"]) for link in body["links"]] == [
        ("instructed_by_pimp", texts["note"], [evidence.pk])
    ]
    assert [
        (r["addressee"], r["measure"], r["requested_on"], r["legal_bases"])
        for r in body["requests"]
    ] == [("prosecutor", "not_to_prosecute", days(-30), ["eu_2011_36_art8"])]
    assert body["shared_with_guardian"] is False


@pytest.mark.parametrize(
    ("role", "records"),
    [
        ("admin", ["record_a", "record_b"]),
        ("office_a", ["record_a"]),
        ("office_b", ["record_b"]),
        ("lawyer_a", ["record_a"]),
        ("lawyer_a2", []),
        ("lawyer_b", ["record_b"]),
    ],
)
def test_the_record_list_holds_summaries_of_exactly_the_records_in_scope(
    world: World, role: str, records: list[str]
) -> None:
    body = client_for(getattr(world.cast, role)).get(f"{API}/nonpunishment-records/").json()

    assert sorted(item["id"] for item in body["results"]) == sorted(
        world.object(name).pk for name in records
    )
    assert all(set(item) == SUMMARY_KEYS for item in body["results"])


def test_the_evidence_list_holds_the_lawyers_own_cases_evidence_only(world: World) -> None:
    body = client_for(world.cast.lawyer_a).get(f"{API}/evidence-items/").json()

    assert [item["id"] for item in body["results"]] == [world.object("evidence_a").pk]


def test_a_lawyer_loses_the_record_when_the_designation_is_withdrawn(world: World) -> None:
    record = world.object("record_a")
    withdrawn = client_for(world.cast.office_a).post(
        f"{API}/designations/{world.cast.designation_a.pk}/withdraw/", {"reason": "Change."}
    )

    response = client_for(world.cast.lawyer_a).get(record_url(record))

    assert withdrawn.status_code == 200
    assert response.status_code == 404


def test_the_next_lawyer_on_the_case_takes_over_the_record(world: World) -> None:
    client_for(world.cast.office_a).post(
        f"{API}/designations/{world.cast.designation_a.pk}/withdraw/", {"reason": "Change."}
    )
    successor = designation_propose(
        actor=world.cast.office_a,
        case=world.cast.case_a,
        lawyer=world.cast.panel_a2,
        reason="Takes over",
    )
    designation_accept(actor=world.cast.lawyer_a2, designation=successor)

    response = client_for(world.cast.lawyer_a2).get(record_url(world.object("record_a")))

    assert response.status_code == 200
    assert response.json()["assessment_reasoning"] == PRIVILEGED["a"]["reasoning"]


# --- Audit trail ---------------------------------------------------------------------------


def rows_since(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=since).order_by("pk"))


def test_every_step_leaves_one_audit_row_and_privileged_values_are_masked(cast: Cast) -> None:
    since = last_audit_id()

    build_world(cast)

    rows = [(row.action, row.changes) for row in rows_since(since)
            if row.action.startswith(("evidence", "nonpunishment", "exploitation"))]  # fmt: skip
    a = [change for action, change in rows[: len(rows) // 2]]
    assert [action for action, _ in rows[: len(rows) // 2]] == [
        "evidence_item.create",
        "nonpunishment_record.create",
        "exploitation_link.create",
        "nonpunishment_record.assessment",
        "nonpunishment_request.create",
    ]
    assert a[0] == {"kind": [None, MASK], "description": [None, MASK],
                    "reference": [None, MASK], "dated_on": [None, MASK]}  # fmt: skip
    assert a[1] == {
        "category": [None, "drugs"],
        "committed_from": [None, days(-60)],
        "committed_until": [None, days(-50)],
        "decision": [None, "pending"],
        "description": [None, MASK],
        "proceeding_reference": [None, MASK],
    }
    assert a[2] == {"indicator": [None, MASK], "note": [None, MASK], "evidence": [None, MASK]}
    assert a[3] == {"assessment": [None, MASK], "assessment_reasoning": [None, MASK]}
    assert a[4] == {"addressee": [None, MASK], "measure": [None, MASK],
                    "requested_on": [None, MASK], "legal_bases": [None, MASK]}  # fmt: skip
    assert rows[-1] == (
        "nonpunishment_record.share_with_guardian",
        {"shared_with_guardian": [False, True]},
    )
    trail = json.dumps([row.changes for row in AuditEvent.objects.all()])
    assert [t for case in PRIVILEGED.values() for t in case.values() if t in trail] == []


def test_a_changed_assessment_is_logged_as_changed_never_with_its_content(world: World) -> None:
    record = world.object("record_a")
    since = last_audit_id()

    response = client_for(world.cast.lawyer_a).post(
        record_url(record, "assessment"),
        {"assessment": "weak", "reasoning": "New statement contradicts the first one."},
    )

    assert response.status_code == 200
    [row] = rows_since(since)
    assert (row.action, row.actor_id, row.case_id, row.office_id) == (
        "nonpunishment_record.assessment",
        world.cast.lawyer_a.pk,
        world.cast.case_a.pk,
        world.cast.office_a_obj.pk,
    )
    assert row.changes == {"assessment": [MASK, MASK], "assessment_reasoning": [MASK, MASK]}
    assert "contradicts" not in json.dumps(row.changes)
    assert "weak" not in json.dumps(row.changes)


def test_a_decision_is_logged_with_the_old_and_new_outcome(world: World) -> None:
    since = last_audit_id()

    client_for(world.cast.lawyer_a).post(
        record_url(world.object("record_a"), "decision"),
        {"decision": "convicted_without_penalty", "decided_on": days(-2)},
    )

    [row] = rows_since(since)
    assert row.changes == {
        "decision": ["pending", "convicted_without_penalty"],
        "decided_on": [None, days(-2)],
    }


@pytest.mark.parametrize(
    ("role", "action"),
    [
        ("lawyer_a", "nonpunishment_record.read_full"),
        ("office_a", "nonpunishment_record.read_summary"),
        ("admin", "nonpunishment_record.read_summary"),
    ],
)
def test_reading_a_record_leaves_exactly_one_read_row(world: World, role: str, action: str) -> None:
    user = getattr(world.cast, role)
    since = last_audit_id()

    client_for(user).get(record_url(world.object("record_a")))

    assert [(row.action, row.actor_id, row.case_id) for row in rows_since(since)] == [
        (action, user.pk, world.cast.case_a.pk)
    ]


def test_the_record_list_and_a_refused_read_leave_no_read_row(world: World) -> None:
    since = last_audit_id()

    client_for(world.cast.lawyer_a).get(f"{API}/nonpunishment-records/")
    client_for(world.cast.lawyer_a).get(record_url(world.object("record_b")))

    assert rows_since(since) == []


# --- The guardian's neutral line -------------------------------------------------------------


def notice(client: Any, case: Case) -> Any:
    response = client.get(f"{API}/cases/{case.pk}/guardian-notice/")
    assert response.status_code == 200
    return response.json()


def test_a_guardian_reads_nothing_until_the_lawyer_shares_then_only_the_neutral_line(
    world: World,
) -> None:
    guardian = client_for(world.cast.guardian_a)
    lawyer = client_for(world.cast.lawyer_a)
    record = world.object("record_a")

    before = notice(guardian, world.cast.case_a)
    shared = lawyer.post(record_url(record, "share-with-guardian"))
    during = notice(guardian, world.cast.case_a)
    unshared = lawyer.post(record_url(record, "unshare-with-guardian"))
    after = notice(guardian, world.cast.case_a)

    assert before == after == {"notice": None, "language": None}
    assert shared.status_code == unshared.status_code == 200
    assert during == {"notice": "Er wordt een juridische verdediging voorbereid.", "language": "nl"}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ("Une défense juridique est en cours de préparation.", "fr")),
        ("de", ("Eine rechtliche Verteidigung wird vorbereitet.", "de")),
        # Not a language of the neutral line: the language of the proceedings (case_b: fr).
        ("en", ("Une défense juridique est en cours de préparation.", "fr")),
    ],
)
def test_the_neutral_line_is_in_the_guardians_language_or_else_the_proceedings(
    world: World, language: str, expected: tuple[str, str]
) -> None:
    user = make_user(f"guardian_{language}", Role.GUARDIAN)
    guardian = guardian_create(
        actor=world.cast.office_b,
        case=world.cast.case_b,
        relationship=GuardianRelationship.APPOINTED,
        full_name="Voogd",
        preferred_language=Language.objects.get(pk=language),
        user=user,
    )
    guardian_access_grant(actor=world.cast.office_b, case=world.cast.case_b, guardian=guardian)

    body = notice(client_for(user), world.cast.case_b)

    assert (body["notice"], body["language"]) == expected


def test_the_guardian_loses_the_neutral_line_with_the_access(world: World) -> None:
    client_for(world.cast.office_b).post(
        f"{API}/guardian-access/{world.cast.access_b.pk}/revoke/", {"reason": "Unfit."}
    )

    response = client_for(world.cast.guardian_b).get(
        f"{API}/cases/{world.cast.case_b.pk}/guardian-notice/"
    )

    assert response.status_code == 404


def test_the_guardians_case_summary_says_nothing_of_the_record(world: World) -> None:
    page = client_for(world.cast.guardian_b).get(f"{API}/cases/{world.cast.case_b.pk}/")

    assert page.status_code == 200
    assert "nonpunishment" not in page.content.decode()
    assert "drugs" not in page.content.decode()


# --- Statistics -------------------------------------------------------------------------------


def add_records(lawyer: User, case: Case, category: str, n: int) -> list[NonPunishmentRecord]:
    return [
        nonpunishment_record_create(
            actor=lawyer,
            case=case,
            category=OffenceCategory.objects.get(code=category),
            description=f"Secret description {category} {i}",
            committed_from=today() - dt.timedelta(days=20),
        )
        for i in range(n)
    ]


def test_statistics_count_by_category_and_outcome_for_one_office_withholding_small_groups(
    cast: Cast,
) -> None:
    add_records(cast.lawyer_a, cast.case_a, "drugs", 5)
    [theft] = add_records(cast.lawyer_a, cast.case_a, "theft", 1)
    nonpunishment_decision_record(
        actor=cast.lawyer_a, record=theft, decision="dismissed", decided_on=today()
    )
    add_records(cast.lawyer_b, cast.case_b, "drugs", 3)  # office B: not counted

    report = selectors.nonpunishment_statistics(office=cast.office_a_obj)
    exact = selectors.nonpunishment_statistics(office=cast.office_a_obj, smallest_group=1)

    cells = {(row["category"], row["decision"]): row["count"] for row in report["counts"]}
    assert len(cells) == 6 * 5
    assert (cells[("drugs", "pending")], cells[("theft", "dismissed")]) == (5, None)
    assert cells[("theft", "pending")] == 0
    assert report["total"] == 6
    nonzero = {(r["category"], r["decision"]): r["count"] for r in exact["counts"] if r["count"]}
    assert nonzero == {("drugs", "pending"): 5, ("theft", "dismissed"): 1}
    assert "Secret description" not in json.dumps(report)


def test_statistics_withhold_a_total_smaller_than_the_smallest_group(cast: Cast) -> None:
    add_records(cast.lawyer_b, cast.case_b, "violence", 2)

    report = selectors.nonpunishment_statistics(office=cast.office_b_obj)

    assert report["total"] is None
    assert {row["count"] for row in report["counts"]} == {0, None}


# --- Admin ------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(world: World) -> Client:
    admin = world.cast.admin
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(give_second_factor(admin))
    return client


def test_the_admin_shows_records_and_evidence_without_privileged_content(
    world: World, admin_client: Client
) -> None:
    record, evidence = world.object("record_a"), world.object("evidence_a")
    pages = [
        "/admin/legalaid/nonpunishmentrecord/",
        f"/admin/legalaid/nonpunishmentrecord/{record.pk}/change/",
        "/admin/legalaid/evidenceitem/",
        f"/admin/legalaid/evidenceitem/{evidence.pk}/change/",
        "/admin/legalaid/auditevent/",
    ]

    texts = [admin_client.get(page) for page in pages]

    assert [response.status_code for response in texts] == [200] * len(pages)
    content = "".join(response.content.decode() for response in texts)
    assert world.cast.case_a.reference in content
    assert [t for t in PRIVILEGED["a"].values() if t in content] == []


def test_an_admin_edit_of_a_category_label_is_audited(admin_client: Client) -> None:
    category = OffenceCategory.objects.get(code="theft")
    data = {
        "label_nl": "Diefstal", "label_fr": "Vol", "label_de": "Diebstahl",
        "label_en": "Theft (incl. shoplifting)", "position": category.position,
        "valid_from": str(category.valid_from), "valid_until": "",
    }  # fmt: skip

    response = admin_client.post("/admin/legalaid/offencecategory/theft/change/", data)

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="offencecategory.update")
    assert event.changes == {"label_en": ["Theft", "Theft (incl. shoplifting)"]}


def test_the_admin_never_lets_an_existing_code_be_renamed(admin_client: Client) -> None:
    page = admin_client.get("/admin/legalaid/exploitationindicator/debt_bondage/change/")
    new = admin_client.get("/admin/legalaid/exploitationindicator/add/")

    assert page.status_code == new.status_code == 200
    assert 'name="code"' not in page.content.decode()
    assert 'name="code"' in new.content.decode()


def test_the_database_keeps_the_assessment_with_its_reasoning_and_a_decision_with_its_date(
    world: World,
) -> None:
    record = world.object("record_a")
    for changes in ({"assessment_reasoning": ""}, {"decision": "convicted"},
                    {"committed_until": record.committed_from - dt.timedelta(days=1)}):  # fmt: skip
        with pytest.raises(IntegrityError), transaction.atomic():
            NonPunishmentRecord.objects.filter(pk=record.pk).update(**changes)


# --- Demo data --------------------------------------------------------------------------------


def test_demo_records_are_added_to_the_demo_lawyers_case_and_loading_twice_adds_nothing(
    db: None,
) -> None:
    call_command("load_demo_data", stdout=io.StringIO())
    out = io.StringIO()

    load_demo(stdout=out)
    load_demo(stdout=out)

    lawyer = User.objects.get(username="lawyer")
    records = list(NonPunishmentRecord.objects.select_related("category").order_by("pk"))
    assert [(r.category.code, r.decision) for r in records] == [
        ("drugs", "pending"),
        ("theft", "dismissed"),
    ]
    assert {r.case_id for r in records} == {
        selectors.nonpunishment_record_list_for_user(lawyer).get(pk=records[0].pk).case_id
    }
    assert EvidenceItem.objects.count() == 2
    guardian = User.objects.get(username="guardian")
    body = notice(client_for(guardian), records[0].case)
    assert body["language"] == "nl"
    assert body["notice"]


def test_demo_loader_does_nothing_without_the_demo_lawyer(db: None) -> None:
    out = io.StringIO()

    load_demo(stdout=out)

    assert NonPunishmentRecord.objects.count() == 0
    assert "not loaded" in out.getvalue()
