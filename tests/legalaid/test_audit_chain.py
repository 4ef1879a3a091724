"""The audit trail's hash chain: rows sealed in order by the commit of the transaction that wrote
them, `audit_verify` naming the first broken link when a row is edited or removed directly in the
database, and one chain under parallel writers (PostgreSQL)."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from legalaid.models import AuditEvent, Role
from legalaid.services import audit_chain
from legalaid.services.audit_chain import (
    GENESIS,
    audit_chain_append,
    audit_chain_seal,
    audit_chain_verify,
)
from legalaid.services.cases import case_file_read_record, case_note_add
from legalaid.tasks import seal_audit_chain
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


def in_eight_threads(work: Callable[[int], None]) -> list[BaseException]:
    """Run `work(0)` … `work(7)` at once, each thread on its own connection; the errors raised."""
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            work(index)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


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
    """Eight threads write notes, each sealed by its commit: one chain, no gap, no fork, nothing
    left for a later seal."""
    office_obj = make_office("Chain", "antwerpen")
    staff = make_user("chain_staff", Role.OFFICE, office_obj)
    case = make_case(staff, office_obj)

    def write(index: int) -> None:
        for number in range(5):
            case_note_add(actor=staff, case=case, kind="office", body=f"n{index}-{number}")

    assert in_eight_threads(write) == []
    report = audit_chain_verify()
    assert report.intact and report.unsealed == 0
    assert report.checked == AuditEvent.objects.count() >= 40


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_read_recorded_outside_a_transaction_is_sealed_as_it_is_written() -> None:
    """The record of a read is its own transaction: written at the head of the chain and sealed
    in the same commit, not left for the next write to seal."""
    office_obj = make_office("Reads", "antwerpen")
    staff = make_user("reads_staff", Role.OFFICE, office_obj)
    case = make_case(staff, office_obj)
    audit_chain_seal()
    head = audit_chain_verify()

    with CaptureQueriesContext(connection) as queries:
        case_file_read_record(actor=staff, case=case)

    row = AuditEvent.objects.get(action="case.read_full")
    assert row.chain_position == head.head_position + 1
    report = audit_chain_verify()
    assert report.intact and report.unsealed == 0 and report.head_hash == row.chain_hash
    assert sum("UPDATE" in query["sql"] for query in queries.captured_queries) == 0
    assert sum("INSERT" in query["sql"] for query in queries.captured_queries) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reads_and_writes_in_turn_keep_one_intact_chain() -> None:
    office_obj = make_office("Turns", "antwerpen")
    staff = make_user("turns_staff", Role.OFFICE, office_obj)
    case = make_case(staff, office_obj)
    for number in range(3):
        case_file_read_record(actor=staff, case=case)
        case_note_add(actor=staff, case=case, kind="office", body=f"note {number}")
    report = audit_chain_verify()
    assert report.intact and report.unsealed == 0
    assert report.checked == AuditEvent.objects.count()


def test_appending_a_sealed_row_inside_a_transaction_is_refused(cast: Cast) -> None:
    """Inside a transaction the chain's lock would be held from there until it ends, making
    every other writer wait: such rows are sealed by their commit instead."""
    row = AuditEvent(at=timezone.now(), action="case.read_full", target_type="x",
                     target_id="1")  # fmt: skip
    with transaction.atomic(), pytest.raises(transaction.TransactionManagementError):
        audit_chain_append(row)
    assert not AuditEvent.objects.filter(action="case.read_full", target_type="x").exists()


def test_beat_seals_rows_left_unsealed_by_a_process_that_died(cast: Cast) -> None:
    """A row left unsealed (written through a connection without our engines, or before they
    sealed at commit) is sealed by beat's periodic task, which is scheduled."""
    audit_chain_seal()
    case_note_add(actor=cast.office_a, case=cast.case_a, kind="office", body="Orphan note")
    assert audit_chain_verify().unsealed == 1  # the test's transaction never commits
    assert seal_audit_chain.apply().get() == 1
    report = audit_chain_verify()
    assert report.intact and report.unsealed == 0
    entry = settings.CELERY_BEAT_SCHEDULE["seal-audit-chain"]
    assert entry["task"] == seal_audit_chain.name
    assert isinstance(entry["schedule"], int) and entry["schedule"] <= 600


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
def test_parallel_readers_and_writers_keep_one_chain_on_postgresql() -> None:
    """Eight threads, half reading (sealed as written), half writing notes (sealed by their
    commit): one chain, no gap, no fork, nothing left unsealed."""
    office_obj = make_office("Chain reads", "antwerpen")
    staff = make_user("chain_reader", Role.OFFICE, office_obj)
    case = make_case(staff, office_obj)

    def work(index: int) -> None:
        for number in range(5):
            if index % 2:
                case_file_read_record(actor=staff, case=case)
            else:
                case_note_add(actor=staff, case=case, kind="office", body=f"r{index}-{number}")

    assert in_eight_threads(work) == []
    report = audit_chain_verify()
    assert report.intact and report.unsealed == 0
    assert report.checked == AuditEvent.objects.count() >= 40


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_is_sealed_by_its_own_commit_with_no_transaction_after_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    office_obj = make_office("Commit seal", "antwerpen")
    staff = make_user("commit_staff", Role.OFFICE, office_obj)
    case = make_case(staff, office_obj)
    head = audit_chain_verify()
    assert head.unsealed == 0  # the case's own rows too

    events: list[str] = []  # the statements sent, and the commits, in order
    real_commit = connection._commit  # type: ignore[attr-defined]

    def commit_recorded() -> None:
        events.append("COMMIT")
        real_commit()

    def statement_recorded(execute, sql, params, many, context):
        events.append(sql)
        return execute(sql, params, many, context)

    monkeypatch.setattr(connection, "_commit", commit_recorded)
    with connection.execute_wrapper(statement_recorded):
        case_note_add(actor=staff, case=case, kind="office", body="Sealed at commit")

    row = AuditEvent.objects.get(action="case_note.create")
    assert row.chain_position == head.head_position + 1
    report = audit_chain_verify()
    assert report.intact and report.unsealed == 0 and report.head_hash == row.chain_hash
    # One transaction: the seal's statement, then the one commit, and nothing after it.
    assert events.count("COMMIT") == 1 and events[-1] == "COMMIT"
    assert "SET chain_position" in events[-2]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_seal_that_fails_rolls_back_the_change_it_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No change is committed without its sealed audit row: a failing seal (here, its HMAC)
    undoes the whole transaction, and the connection works for the next one."""
    office_obj = make_office("Failing seal", "antwerpen")
    staff = make_user("failing_staff", Role.OFFICE, office_obj)
    case = make_case(staff, office_obj)
    notes = case.notes.count()

    def broken_link(previous: str, row: AuditEvent) -> str:
        raise RuntimeError("the chain key is unreadable")

    with monkeypatch.context() as patch:
        patch.setattr(audit_chain, "chain_link", broken_link)
        with pytest.raises(RuntimeError, match="unreadable"):
            case_note_add(actor=staff, case=case, kind="office", body="Never committed")
    assert case.notes.count() == notes
    assert not AuditEvent.objects.filter(action="case_note.create").exists()

    case_note_add(actor=staff, case=case, kind="office", body="Committed")
    report = audit_chain_verify()
    assert report.intact and report.unsealed == 0 and case.notes.count() == notes + 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_of_a_rolled_back_savepoint_leave_no_gap_in_the_chain() -> None:
    office_obj = make_office("Savepoint", "antwerpen")
    staff = make_user("savepoint_staff", Role.OFFICE, office_obj)
    case = make_case(staff, office_obj)

    with transaction.atomic():
        case_note_add(actor=staff, case=case, kind="office", body="Kept")
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            case_note_add(actor=staff, case=case, kind="office", body="Undone")
            _ = 1 / 0
        case_note_add(actor=staff, case=case, kind="office", body="Kept too")

    assert AuditEvent.objects.filter(action="case_note.create").count() == 2
    report = audit_chain_verify()
    assert report.intact and report.unsealed == 0
    assert report.checked == report.head_position == AuditEvent.objects.count()
