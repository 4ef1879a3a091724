"""Guardians' access to a ward's case, the defendants of a case, and case notes
(DOMAIN.md sections 2 and 4)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from legalaid.audit import MASK
from legalaid.crypto import blind_index
from legalaid.models import (
    AuditEvent,
    CaseNote,
    Defendant,
    DefendantAlias,
    Guardian,
    GuardianAccess,
    NoteKind,
    Party,
)
from legalaid.services.guardians import guardian_access_revoke
from tests.cast import Cast, make_case

REFUSED = "The request was refused: see the field messages."


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def refused(fields: dict[str, list[str]]) -> dict[str, Any]:
    return {"error": {"status": 400, "code": "invalid", "message": REFUSED, "fields": fields}}


def error(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, "fields": {}}}


def counts() -> dict[str, int]:
    return {
        "guardians": Guardian.objects.count(),
        "accesses": GuardianAccess.objects.count(),
        "defendants": Defendant.objects.count(),
        "aliases": DefendantAlias.objects.count(),
        "parties": Party.objects.count(),
        "notes": CaseNote.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def audit_json() -> str:
    return json.dumps([row.changes for row in AuditEvent.objects.all()], ensure_ascii=False)


# --- Guardians -------------------------------------------------------------------------------

NEW_GUARDIAN = {
    "new_guardian": {
        "relationship": "appointed",
        "full_name": "Marie Voogd",
        "email": "marie.voogd@example.be",
        "preferred_language": "fr",
    }
}


def test_office_grants_a_new_guardian_access_until_the_wards_18th_birthday(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).post(
        f"/api/v1/cases/{cast.case_a2.pk}/guardian-access/", NEW_GUARDIAN, format="json"
    )

    assert response.status_code == 201
    access = GuardianAccess.objects.get(pk=response.json()["id"])
    guardian = access.guardian
    assert (guardian.relationship, guardian.full_name, guardian.email) == (
        "appointed",
        "Marie Voogd",
        "marie.voogd@example.be",
    )
    assert guardian.preferred_language_id == "fr"
    assert (access.case, access.granted_by, access.revoked_at) == (
        cast.case_a2,
        cast.office_a,
        None,
    )
    assert access.ends_on == cast.case_a2.victim.eighteenth_birthday()
    assert counts() == {
        **before,
        "guardians": before["guardians"] + 1,
        "accesses": before["accesses"] + 1,
        "audit": before["audit"] + 2,
    }
    rows = AuditEvent.objects.filter(case_id=cast.case_a2.pk).order_by("-id")[:2]
    assert [(row.action, row.changes) for row in reversed(rows)] == [
        (
            "guardian.create",
            {
                "email": [None, MASK],
                "full_name": [None, MASK],
                "phone": [None, None],
                "preferred_language": [None, "fr"],
                "relationship": [None, "appointed"],
            },
        ),
        # ends_on is the ward's 18th birthday: it would give away their date of birth.
        ("guardian_access.grant", {"ends_on": [None, MASK], "guardian": [None, guardian.pk]}),
    ]
    assert "Voogd" not in audit_json()
    assert access.ends_on.isoformat() not in audit_json()


def test_guardian_access_ends_on_the_wards_18th_birthday(cast: Cast) -> None:
    birthday = cast.case_a.victim.eighteenth_birthday()

    assert cast.access_a.ends_on == birthday
    valid_before = GuardianAccess.objects.valid_on(birthday - dt.timedelta(days=1))
    assert list(valid_before.filter(case=cast.case_a)) == [cast.access_a]
    assert not GuardianAccess.objects.valid_on(birthday).filter(case=cast.case_a).exists()


def test_a_second_open_access_for_the_same_guardian_and_case_is_a_conflict(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).post(
        f"/api/v1/cases/{cast.case_a.pk}/guardian-access/",
        {"guardian": cast.access_a.guardian_id},
        format="json",
    )

    assert response.status_code == 409
    assert response.json() == error(
        409, "conflict", "This guardian already has access to this case."
    )
    assert counts() == before


def test_a_known_guardian_can_be_granted_access_to_another_case(cast: Cast) -> None:
    response = client_for(cast.office_a).post(
        f"/api/v1/cases/{cast.case_a2.pk}/guardian-access/",
        {"guardian": cast.access_a.guardian_id},
        format="json",
    )

    assert response.status_code == 201
    assert GuardianAccess.objects.filter(guardian=cast.access_a.guardian).count() == 2


def test_access_is_refused_when_the_ward_is_18_or_older_and_nothing_is_written(cast: Cast) -> None:
    adult_case = make_case(
        cast.office_a, cast.office_a_obj, age_years=19, adult_at_intake_reason="Came forward at 19"
    )
    before = counts()

    response = client_for(cast.office_a).post(
        f"/api/v1/cases/{adult_case.pk}/guardian-access/", NEW_GUARDIAN, format="json"
    )

    assert response.status_code == 400
    assert response.json() == refused(
        {
            "guardian": [
                "The victim is 18 or older: invite them in their own name instead of a guardian."
            ]
        }
    )
    assert counts() == before  # the new guardian is not kept either


def test_revoking_access_needs_a_reason(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).post(
        f"/api/v1/guardian-access/{cast.access_a.pk}/revoke/", {}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == refused({"reason": ["This field is required."]})
    with pytest.raises(ValidationError) as refusal:
        guardian_access_revoke(actor=cast.office_a, access=cast.access_a, reason="  ")
    assert refusal.value.message_dict == {"reason": ["Revoking access needs a reason."]}
    cast.access_a.refresh_from_db()
    assert cast.access_a.revoked_at is None
    assert counts() == before


def test_a_revoked_guardian_no_longer_sees_the_case_and_revoking_twice_is_a_conflict(
    cast: Cast,
) -> None:
    office = client_for(cast.office_a)
    url = f"/api/v1/guardian-access/{cast.access_a.pk}/revoke/"

    response = office.post(url, {"reason": "Suspected of involvement"}, format="json")

    assert response.status_code == 200
    cast.access_a.refresh_from_db()
    assert cast.access_a.revoked_at is not None
    assert (cast.access_a.revoked_by, cast.access_a.revoke_reason) == (
        cast.office_a,
        "Suspected of involvement",
    )
    row = AuditEvent.objects.get(action="guardian_access.revoke")
    assert row.changes == {
        "revoked_at": [None, str(cast.access_a.revoked_at)],
        "revoke_reason": [None, "Suspected of involvement"],
    }
    guardian_view = client_for(cast.guardian_a).get(f"/api/v1/cases/{cast.case_a.pk}/")
    assert guardian_view.status_code == 404
    before = counts()

    again = office.post(url, {"reason": "Again"}, format="json")

    assert again.status_code == 409
    assert again.json() == error(409, "conflict", "This access was already revoked.")
    cast.access_a.refresh_from_db()
    assert cast.access_a.revoke_reason == "Suspected of involvement"
    assert counts() == before


# --- Parties ---------------------------------------------------------------------------------


def test_a_pimp_is_added_with_aliases_and_handles_stored_in_matching_form(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).post(
        f"/api/v1/cases/{cast.case_a2.pk}/parties/",
        {
            "role": "pimp",
            "full_name": " Kevin DE SMET ",
            "aliases": ["K. De Smet", "Kévin de Smet", "KD"],
            "handles": ["@KD_Money", "kd.money", "@kevin.desmet"],
            "represented_by_name": "Mr. X, Brussels bar",
        },
        format="json",
    )

    assert response.status_code == 201
    party = Party.objects.get(pk=response.json()["id"])
    defendant = party.defendant
    assert (party.case, party.role, party.represented_by_name) == (
        cast.case_a2,
        "pimp",
        "Mr. X, Brussels bar",
    )
    # Matched on the blind index of the normal form (the names themselves are encrypted).
    assert (defendant.full_name, defendant.name_index) == (
        "Kevin DE SMET",
        blind_index("name", "de kevin smet"),
    )
    assert [(a.kind, a.value, a.value_index) for a in defendant.aliases.all()] == [
        ("alias", "K. De Smet", blind_index("name", "de k smet")),
        ("alias", "Kévin de Smet", blind_index("name", "de kevin smet")),
        ("alias", "KD", blind_index("name", "kd")),
        # "kd.money" is the same handle: kept once
        ("handle", "@KD_Money", blind_index("handle", "kdmoney")),
        ("handle", "@kevin.desmet", blind_index("handle", "kevindesmet")),
    ]
    assert response.json()["defendant"] == {
        "id": defendant.pk,
        "full_name": "Kevin DE SMET",
        "aliases": ["K. De Smet", "Kévin de Smet", "KD"],
        "handles": ["@KD_Money", "@kevin.desmet"],
    }
    assert counts() == {
        **before,
        "defendants": before["defendants"] + 1,
        "aliases": before["aliases"] + 5,
        "parties": before["parties"] + 1,
        "audit": before["audit"] + 2,
    }
    rows = AuditEvent.objects.filter(case_id=cast.case_a2.pk).order_by("-id")[:2]
    assert [(row.action, row.changes) for row in reversed(rows)] == [
        ("defendant.create", {"full_name": [None, MASK]}),
        (
            "party.create",
            {
                "aliases_added": [None, 3],
                "defendant": [None, defendant.pk],
                "handles_added": [None, 2],
                "role": [None, "pimp"],
            },
        ),
    ]
    for secret in ("SMET", "Smet", "KD_Money", "kevin.desmet"):
        assert secret not in audit_json()


def test_a_defendant_with_a_name_in_another_script_is_added(cast: Cast) -> None:
    response = client_for(cast.office_a).post(
        f"/api/v1/cases/{cast.case_a2.pk}/parties/",
        {"role": "recruiter", "full_name": "Иван ПЕТРОВ", "handles": ["@Иван_П"]},
        format="json",
    )

    assert response.status_code == 201
    defendant = Party.objects.get(pk=response.json()["id"]).defendant
    assert defendant.name_index == blind_index("name", "иван петров")
    assert list(defendant.aliases.values_list("value_index", flat=True)) == [
        blind_index("handle", "иванп")
    ]


def test_one_pimp_is_reused_in_another_case_of_the_same_office(cast: Cast) -> None:
    pimp = cast.party_a.defendant
    before = counts()

    response = client_for(cast.office_a).post(
        f"/api/v1/cases/{cast.case_a2.pk}/parties/",
        {"role": "pimp", "defendant": pimp.pk, "aliases": ["Pietje"]},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["defendant"]["id"] == pimp.pk
    assert set(pimp.parties.values_list("case_id", flat=True)) == {
        cast.case_a.pk,
        cast.case_a2.pk,
    }
    assert [(a.value, a.value_index) for a in pimp.aliases.all()] == [
        ("Pietje", blind_index("name", "pietje"))
    ]
    assert counts() == {
        **before,
        "aliases": before["aliases"] + 1,
        "parties": before["parties"] + 1,
        "audit": before["audit"] + 1,  # party.create only: the defendant already exists
    }


def test_another_offices_defendant_cannot_be_reused(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).post(
        f"/api/v1/cases/{cast.case_a2.pk}/parties/",
        {"role": "pimp", "defendant": cast.party_b.defendant_id},
        format="json",
    )

    assert response.status_code == 404
    assert response.json() == error(404, "not_found", "No such defendant among your cases.")
    assert counts() == before


def test_the_same_defendant_twice_in_one_case_is_a_conflict_and_writes_nothing(
    cast: Cast,
) -> None:
    before = counts()

    response = client_for(cast.office_a).post(
        f"/api/v1/cases/{cast.case_a.pk}/parties/",
        {"role": "client", "defendant": cast.party_a.defendant_id, "aliases": ["Not kept"]},
        format="json",
    )

    assert response.status_code == 409
    assert response.json() == error(
        409, "conflict", "This defendant is already a party in this case."
    )
    assert counts() == before


def test_an_alias_with_nothing_to_match_is_refused_and_writes_nothing(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).post(
        f"/api/v1/cases/{cast.case_a2.pk}/parties/",
        {"role": "client", "full_name": "Jan Klant", "aliases": ["Jantje", "..."]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == refused({"aliases": ["An empty alias cannot be matched."]})
    assert counts() == before


def test_a_defendant_cannot_be_represented_by_the_victims_own_lawyer(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).post(
        f"/api/v1/cases/{cast.case_a.pk}/parties/",
        {"role": "client", "full_name": "Jan Klant", "represented_by": cast.panel_a.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == refused(
        {
            "represented_by": [
                "Conflict of interest: this lawyer is designated for the victim in this case."
            ]
        }
    )
    assert counts() == before


# --- Notes -----------------------------------------------------------------------------------


def test_the_designated_lawyer_writes_a_privileged_note_only_they_can_read(cast: Cast) -> None:
    lawyer = client_for(cast.lawyer_a)
    url = f"/api/v1/cases/{cast.case_a.pk}/notes/"
    body = "She may testify if the recruiter is kept away."
    before = counts()

    response = lawyer.post(url, {"kind": "privileged", "body": f"  {body} "}, format="json")

    assert response.status_code == 201
    note = CaseNote.objects.get(pk=response.json()["id"])
    assert (note.case, note.author, note.kind, note.body) == (
        cast.case_a,
        cast.lawyer_a,
        NoteKind.PRIVILEGED,
        body,
    )
    assert counts() == {**before, "notes": before["notes"] + 1, "audit": before["audit"] + 1}
    row = AuditEvent.objects.get(action="case_note.create", target_id=str(note.pk))
    assert (row.actor, row.changes) == (cast.lawyer_a, {"kind": [None, "privileged"]})
    assert body not in audit_json()
    office_sees = client_for(cast.office_a).get(url).json()
    assert note.pk not in [item["id"] for item in office_sees]
    assert note.pk in [item["id"] for item in lawyer.get(url).json()]


def test_office_staff_cannot_write_a_privileged_note(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.office_a).post(
        f"/api/v1/cases/{cast.case_a.pk}/notes/",
        {"kind": "privileged", "body": "Pretending to be the lawyer"},
        format="json",
    )

    assert response.status_code == 403
    assert response.json() == error(
        403, "forbidden", "Only the designated lawyer writes privileged notes."
    )
    assert counts() == before


def test_a_lawyer_cannot_write_an_office_note(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.lawyer_a).post(
        f"/api/v1/cases/{cast.case_a.pk}/notes/",
        {"kind": "office", "body": "Not mine to write"},
        format="json",
    )

    assert response.status_code == 403
    assert response.json() == error(
        403, "forbidden", "Office notes are written by the legal-aid office."
    )
    assert counts() == before


def test_a_lawyer_who_has_not_accepted_yet_cannot_write_notes(cast: Cast) -> None:
    before = counts()

    response = client_for(cast.lawyer_a2).post(
        f"/api/v1/cases/{cast.case_a2.pk}/notes/",
        {"kind": "privileged", "body": "Too early"},
        format="json",
    )

    assert response.status_code == 404
    assert response.json() == error(404, "not_found", "No such case.")
    assert counts() == before
