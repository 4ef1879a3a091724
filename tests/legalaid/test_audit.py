"""The audit trail is append-only: the application cannot change or delete a row, and on
PostgreSQL neither can raw SQL. Identity values never appear in it."""

from __future__ import annotations

import datetime as dt
import re

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from legalaid.audit import MASK, audit_record, changes_between, changes_for_create, snapshot
from legalaid.models import AuditEvent, AuditRowImmutable, District, Escalation, Language, Victim
from legalaid.national_number import national_number_for
from legalaid.services.cases import case_intake
from tests.cast import Cast

CHANGED = re.escape("Audit rows cannot be changed.")
DELETED = re.escape("Audit rows cannot be deleted.")


def first_row() -> AuditEvent:
    row = AuditEvent.objects.order_by("id").first()
    assert row is not None
    return row


def frozen(row: AuditEvent) -> tuple[object, ...]:
    return (row.at, row.actor_id, row.action, row.target_type, row.target_id, row.changes)


# --- The application cannot change the trail -------------------------------------------------


def test_saving_an_existing_audit_row_is_refused(cast: Cast) -> None:
    row = first_row()
    original = frozen(row)
    row.action = "tampered"

    with pytest.raises(AuditRowImmutable, match=CHANGED):
        row.save()

    row.refresh_from_db()
    assert frozen(row) == original


def test_deleting_an_audit_row_is_refused(cast: Cast) -> None:
    row = first_row()
    total = AuditEvent.objects.count()

    with pytest.raises(AuditRowImmutable, match=DELETED):
        row.delete()

    assert AuditEvent.objects.filter(pk=row.pk).exists()
    assert AuditEvent.objects.count() == total


def test_updating_audit_rows_through_a_queryset_is_refused(cast: Cast) -> None:
    row = first_row()
    original = frozen(row)

    with pytest.raises(AuditRowImmutable, match=CHANGED):
        AuditEvent.objects.filter(pk=row.pk).update(action="tampered")
    with pytest.raises(AuditRowImmutable, match=CHANGED):
        AuditEvent.objects.update(changes={})
    row.action = "tampered"
    with pytest.raises(AuditRowImmutable, match=CHANGED), transaction.atomic():
        AuditEvent.objects.bulk_update([row], ["action"])

    row.refresh_from_db()
    assert frozen(row) == original


def test_deleting_audit_rows_through_a_queryset_is_refused(cast: Cast) -> None:
    total = AuditEvent.objects.count()

    with pytest.raises(AuditRowImmutable, match=DELETED):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditRowImmutable, match=DELETED):
        AuditEvent.objects.filter(action="case.create").delete()

    assert AuditEvent.objects.count() == total


def test_new_rows_are_appended(cast: Cast) -> None:
    total = AuditEvent.objects.count()

    row = audit_record(
        actor=cast.office_a,
        action="case.read_full",
        target=cast.case_a,
        case_id=cast.case_a.pk,
        office_id=cast.office_a_obj.pk,
    )

    assert AuditEvent.objects.count() == total + 1
    assert (row.action, row.target_type, row.target_id, row.changes) == (
        "case.read_full",
        "legalaid.case",
        str(cast.case_a.pk),
        {},
    )


# --- Masking ---------------------------------------------------------------------------------


def test_changes_between_masks_identity_fields_and_keeps_the_others() -> None:
    before = {"family_name": "Peeters", "given_names": "Lena", "phone": "", "language": "nl"}
    after = {"family_name": "Janssens", "given_names": "Lena", "phone": "0470", "language": "fr"}

    changes = changes_between(
        before, after, identity_fields=("family_name", "given_names", "phone")
    )

    assert changes == {
        "family_name": [MASK, MASK],  # that it changed, never from what to what
        "language": ["nl", "fr"],
        "phone": [None, MASK],
    }


def test_changes_between_masks_an_identity_value_being_cleared() -> None:
    assert changes_between(
        {"national_number": "10052812345"},
        {"national_number": None},
        identity_fields=("national_number",),
    ) == {"national_number": [MASK, None]}


def test_changes_between_without_identity_fields_keeps_values() -> None:
    assert changes_between({"capacity": 5}, {"capacity": 8, "active": True}) == {
        "active": [None, True],
        "capacity": [5, 8],
    }


def test_changes_for_create_masks_the_models_identity_fields(db: None) -> None:
    victim = Victim(
        pseudonym="V-TEST22",
        given_names="Lena",
        family_name="Peeters",
        date_of_birth=dt.date(2011, 5, 4),
        national_number=None,
        nationality="BE",
        language=Language.objects.get(pk="nl"),
    )

    changes = changes_for_create(
        victim, ("pseudonym", "given_names", "date_of_birth", "national_number", "language")
    )

    assert changes == {
        "date_of_birth": [None, MASK],
        "given_names": [None, MASK],
        "language": [None, "nl"],
        "pseudonym": [None, "V-TEST22"],
    }


def test_snapshot_gives_json_values_and_sorted_many_to_many_ids(cast: Cast) -> None:
    values = snapshot(cast.panel_b, ("bar", "capacity", "languages", "created_at"))

    assert values == {
        "bar": cast.office_b_obj.bar_id,
        "capacity": 5,
        "languages": ["fr"],
        "created_at": str(cast.panel_b.created_at),
    }


def test_the_casts_trail_never_holds_a_victims_or_guardians_identity(cast: Cast) -> None:
    trail = " ".join(str(row.changes) for row in AuditEvent.objects.all())

    for victim in Victim.objects.all():
        assert victim.date_of_birth.isoformat() not in trail
    assert "Parent of" not in trail  # the guardians' names
    assert "Piet Pooier" not in trail  # a defendant's name


def test_the_engines_rows_record_reason_codes_and_never_an_identity(cast: Cast) -> None:
    born = timezone.localdate() - dt.timedelta(days=14 * 365)
    number = national_number_for(born, 77)
    outcomes = {}
    for district in ("antwerpen", "limburg"):  # a proposal; nobody serves Limburg: an escalation
        case = case_intake(
            actor=cast.office_a,
            office=cast.office_a_obj,
            given_names="Yasmina",
            family_name="Vertrouwelijk",
            date_of_birth=born,
            national_number=number,
            victim_language=Language.objects.get(pk="nl"),
            district=District.objects.get(pk=district),
        )
        outcomes[district] = list(
            AuditEvent.objects.filter(case_id=case.pk)
            .order_by("id")
            .values_list("action", "changes")[2:]
        )

    escalation = Escalation.objects.get(case__district_id="limburg")
    assert outcomes == {
        "antwerpen": [
            ("designation.proposed", {"status": [None, "proposed"], "reason": [None, None]})
        ],
        "limburg": [
            (
                "escalation.open",
                {"exclusion_counts": [None, escalation.explanation["exclusion_counts"]]},
            )
        ],
    }
    trail = " ".join(str(row.changes) for row in AuditEvent.objects.all())
    for secret in ("Yasmina", "Vertrouwelijk", born.isoformat(), number):
        assert secret not in trail


# --- PostgreSQL: the database itself refuses ------------------------------------------------


@pytest.mark.postgres
def test_postgresql_refuses_raw_update_and_delete_of_audit_rows(postgres: None, cast: Cast) -> None:
    row = first_row()
    original = frozen(row)
    total = AuditEvent.objects.count()
    statements = {
        "UPDATE": "UPDATE legalaid_auditevent SET action = 'tampered' WHERE id = %s",
        "DELETE": "DELETE FROM legalaid_auditevent WHERE id = %s",
    }

    for operation, sql in statements.items():
        with (
            pytest.raises(DatabaseError) as refusal,
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [row.pk])
        assert isinstance(refusal.value.__cause__, psycopg.errors.InsufficientPrivilege)
        assert f"the audit trail is append-only: {operation} refused on legalaid_auditevent" in str(
            refusal.value
        )

    row.refresh_from_db()
    assert frozen(row) == original
    assert AuditEvent.objects.count() == total
    # The trail stays writable: appending is what it is for.
    audit_record(actor=None, action="check.append", target=row, case_id=None, office_id=None)
    assert AuditEvent.objects.count() == total + 1
    assert AuditEvent.objects.filter(action="check.append", at__lte=timezone.now()).count() == 1
