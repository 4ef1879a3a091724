"""The audit trail's hash chain: sealing rows into it, and checking it.

Each row is sealed once, after the transaction that wrote it commits: under a lock (PostgreSQL's
advisory lock; SQLite's single writer), the sealer takes the rows not sealed yet in the order of
their ids, gives each the next position and `chain_hash = HMAC(key, previous hash + content)`.
A row that is the whole of its transaction (the record of a read, written outside any other
transaction) is sealed as it is written instead: one transaction and one commit, under the same
lock (`audit_chain_append`). Rows left unsealed by a process that died between its commit and
its seal are sealed by the next seal, or by beat's periodic one (`legalaid.tasks`).
Sealing in a short transaction of its own, rather than while each service's transaction still
runs, keeps one chain under parallel writers without making every write transaction wait for
the others (and without the deadlocks that waiting inside them would risk). The key
(AUDIT_CHAIN_KEY) is not in the database: whoever can write to the database alone cannot forge
a chain that verifies.

`audit_chain_verify` recomputes the chain in order and names the first position where the stored
hash is not the one the content and the previous link give: a row edited, removed or inserted."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection, transaction
from django.dispatch import receiver

from .. import crypto
from ..models import AuditEvent
from ._common import lock_until_transaction_ends

GENESIS = "0" * 64
BATCH = 500
_CONTENT = ("at", "actor_id", "action", "target_type", "target_id", "case_id", "office_id",
            "changes")  # fmt: skip


@cache
def _key() -> bytes:
    return crypto.decode_key(settings.AUDIT_CHAIN_KEY, "AUDIT_CHAIN_KEY")


@receiver(setting_changed)
def _forget_key(*, setting: str, **kwargs: object) -> None:
    if setting == "AUDIT_CHAIN_KEY":
        _key.cache_clear()


def _content(row: AuditEvent) -> bytes:
    values = {name: getattr(row, name) for name in _CONTENT}
    values["at"] = row.at.astimezone(dt.UTC).isoformat()
    return json.dumps(values, sort_keys=True, separators=(",", ":"), default=str).encode()


def chain_link(previous: str, row: AuditEvent) -> str:
    return hmac.new(_key(), previous.encode() + b"\n" + _content(row), hashlib.sha256).hexdigest()


def _head() -> tuple[int, str]:
    head = (
        AuditEvent.objects.filter(chain_position__isnull=False)
        .order_by("-chain_position")
        .values_list("chain_position", "chain_hash")
        .first()
    )
    return (head[0] or 0, head[1]) if head else (0, GENESIS)


def audit_chain_seal() -> int:
    """Seal the rows written and committed since the last seal; returns how many."""
    sealed = 0
    while True:
        with transaction.atomic():
            lock_until_transaction_ends("audit-chain")
            position, previous = _head()
            rows = list(
                AuditEvent.objects.filter(chain_position__isnull=True).order_by("id")[:BATCH]
            )
            with connection.cursor() as cursor:
                for row in rows:
                    position += 1
                    previous = chain_link(previous, row)
                    # The one UPDATE the audit table accepts: an unsealed row's two chain fields.
                    cursor.execute(
                        "UPDATE legalaid_auditevent SET chain_position = %s, chain_hash = %s "
                        "WHERE id = %s AND chain_position IS NULL",
                        [position, previous, row.pk],
                    )
        sealed += len(rows)
        if len(rows) < BATCH:
            return sealed


def audit_chain_append(row: AuditEvent) -> None:
    """Write `row` already sealed, at the head of the chain, in a transaction of its own.
    Call it outside any transaction: inside one, the lock would be held until that transaction
    ends, making every other writer wait for it."""
    if connection.in_atomic_block:
        raise transaction.TransactionManagementError(
            "audit_chain_append writes its own transaction; inside one, use audit_record."
        )
    with transaction.atomic():
        lock_until_transaction_ends("audit-chain")
        position, previous = _head()
        row.chain_position = position + 1
        row.chain_hash = chain_link(previous, row)
        row.save()


def seal_after_commit() -> None:
    """Ask for a seal when the current transaction commits (once per transaction)."""
    # Entries are (savepoint ids, callback, robust).
    if not any(entry[1] is audit_chain_seal for entry in connection.run_on_commit):
        transaction.on_commit(audit_chain_seal)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head_position: int
    head_hash: str
    unsealed: int
    broken_at: int | None = None  # the first position whose link does not hold
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def audit_chain_verify() -> ChainReport:
    previous, expected = GENESIS, 1
    rows = AuditEvent.objects.filter(chain_position__isnull=False).order_by("chain_position")
    unsealed = AuditEvent.objects.filter(chain_position__isnull=True).count()
    for row in rows.iterator(chunk_size=BATCH):
        if row.chain_position != expected:
            return ChainReport(
                expected - 1, expected - 1, previous, unsealed, broken_at=expected,
                problem=f"position {expected} is missing (a row was removed)",
            )  # fmt: skip
        link = chain_link(previous, row)
        if not hmac.compare_digest(link, row.chain_hash):
            return ChainReport(
                expected - 1, expected - 1, previous, unsealed, broken_at=expected,
                problem=(
                    f"the row at position {expected} (audit row {row.pk}) does not match its "
                    f"hash: it or the link before it was changed"
                ),
            )  # fmt: skip
        previous, expected = link, expected + 1
    return ChainReport(expected - 1, expected - 1, previous, unsealed)
