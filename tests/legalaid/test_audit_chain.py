"""The audit trail's hash chain: rows sealed in order after their transaction, `audit_verify`
naming the first broken link when a row is edited or removed directly in the database, and one
chain under parallel writers (PostgreSQL)."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import override_settings

from legalaid.models import AuditEvent, Role
from legalaid.services.audit_chain import GENESIS, audit_chain_seal, audit_chain_verify
from legalaid.services.cases import case_note_add
from tests.cast import Cast, make_case, make_office, make_user


def as_attacker(sql: str, params: list[int | str]) -> None:
    """Write to the audit table as a database superuser can (PostgreSQL's append-only trigger
    bypassed for the session)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def verify() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_sealing_chains_every_row_in_order_and_the_check_passes(cast: Cast) -> None:
    assert audit_chain_seal() == AuditEvent.objects.count() > 10
    positions = list(AuditEvent.objects.order_by("id").values_list("chain_position", flat=True))
    assert positions == list(range(1, len(positions) + 1))
    assert audit_chain_seal() == 0  # nothing new: nothing sealed twice
    report = audit_chain_verify()
    assert report.intact and report.checked == len(positions) and report.unsealed == 0
    assert report.head_hash == AuditEvent.objects.get(chain_position=len(positions)).chain_hash
    assert f"intact: {len(positions)} rows" in verify()


def test_rows_written_later_extend_the_chain_from_its_head(cast: Cast) -> None:
    audit_chain_seal()
    head = audit_chain_verify().head_hash
    case_note_add(actor=cast.office_a, case=cast.case_a, kind="office", body="Later note")
    assert audit_chain_verify().unsealed == 1
    assert audit_chain_seal() == 1
    report = audit_chain_verify()
    assert report.intact and report.head_hash != head


@pytest.mark.parametrize("column", ["action", "changes", "actor_id"])
def test_a_row_edited_in_the_database_is_found_at_its_position(cast: Cast, column: str) -> None:
    audit_chain_seal()
    row = AuditEvent.objects.get(chain_position=5)
    values: dict[str, int | str] = {
        "action": "case.read",
        "changes": "{}",
        "actor_id": cast.admin.pk,
    }
    value = values[column]
    as_attacker(f"UPDATE legalaid_auditevent SET {column} = %s WHERE id = %s", [value, row.pk])

    report = audit_chain_verify()
    assert (report.intact, report.broken_at, report.checked) == (False, 5, 4)
    with pytest.raises(CommandError, match="broken at position 5: the row at position 5"):
        verify()


def test_a_row_removed_from_the_database_is_found(cast: Cast) -> None:
    audit_chain_seal()
    as_attacker("DELETE FROM legalaid_auditevent WHERE chain_position = %s", [3])
    with pytest.raises(CommandError, match="position 3 is missing"):
        verify()


def test_a_rewritten_chain_does_not_verify_without_the_key(cast: Cast) -> None:
    """Recomputing every hash after an edit needs AUDIT_CHAIN_KEY, which is not in the database:
    a chain rebuilt with another key fails the check."""
    with override_settings(AUDIT_CHAIN_KEY="YW5vdGhlci1rZXktb2YtdGhpcnR5LXR3by1ieXRlcyE"):
        audit_chain_seal()
    assert audit_chain_verify().broken_at == 1


def test_the_application_cannot_update_a_sealed_row(cast: Cast) -> None:
    audit_chain_seal()
    row = AuditEvent.objects.get(chain_position=1)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE legalaid_auditevent SET chain_position = NULL WHERE id = %s AND "
            "chain_position IS NULL",
            [row.pk],
        )
    row.refresh_from_db()
    assert row.chain_position == 1 and row.chain_hash != GENESIS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
def test_parallel_writers_keep_one_chain_on_postgresql() -> None:
    """Eight threads write notes and seal after each commit: one chain, no gap, no fork."""
    office_obj = make_office("Chain", "antwerpen")
    staff = make_user("chain_staff", Role.OFFICE, office_obj)
    case = make_case(staff, office_obj)
    errors: list[BaseException] = []

    def write(index: int) -> None:
        try:
            for number in range(5):
                case_note_add(actor=staff, case=case, kind="office", body=f"n{index}-{number}")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    audit_chain_seal()
    report = audit_chain_verify()
    assert report.intact and report.unsealed == 0
    assert report.checked == AuditEvent.objects.count() >= 40
