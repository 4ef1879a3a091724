"""The audit trail's hash chain: sealing rows into it, and checking it.

A row is sealed by the transaction that writes it, as the last thing before its commit: under a
lock (PostgreSQL's advisory lock; SQLite's single writer), the sealer takes the rows not sealed
yet in the order of their ids, gives each the next position and
`chain_hash = HMAC(key, previous hash + content)`, and the commit follows. Our database engines
(`legalaid.db`) run that seal in their `commit()` when `audit_record` wrote a row in the
transaction: one commit for the change, its audit rows and their seal, and no row is ever
committed unsealed. The lock is the transaction's last one and is held only for the seal and the
commit, so parallel writers keep one chain without waiting for each other's work, and a
transaction holding it never waits for another's locks (no deadlock). A row that is the whole of
its transaction (the record of a read, written outside any other transaction) is written
already sealed, under the same lock (`audit_chain_append`). `audit_chain_seal` (run by
`audit_verify --seal` and by beat) seals whatever a connection without our engines left. The
key (AUDIT_CHAIN_KEY) is not in the database: whoever can write to the database alone cannot
forge a chain that verifies.

`audit_chain_verify` recomputes the chain in order and names the first position where the stored
hash is not the one the content and the previous link give: a row edited, removed or inserted."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection, transaction
from django.dispatch import receiver

from .. import crypto
from ..models import AuditEvent
from ._common import advisory_lock, lock_until_transaction_ends

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

GENESIS = "0" * 64
CHAIN_LOCK = "audit-chain"
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


def _head(connection: BaseDatabaseWrapper) -> tuple[int, str]:
    """The last sealed row's position and hash (the unique index's last entry). Raw SQL: every
    audited read asks for it, and the ORM would build the same statement each time."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT chain_position, chain_hash FROM legalaid_auditevent "
            "WHERE chain_position IS NOT NULL ORDER BY chain_position DESC LIMIT 1"
        )
        head = cursor.fetchone()
    return (head[0], head[1]) if head else (0, GENESIS)


def _seal_batch(connection: BaseDatabaseWrapper) -> int:
    """Seal up to BATCH unsealed rows, in the order of their ids, from the chain's head. The
    caller holds the chain's lock in an open transaction."""
    position, previous = _head(connection)
    rows = list(
        AuditEvent.objects.using(connection.alias)
        .filter(chain_position__isnull=True)
        .order_by("id")[:BATCH]
    )
    links = []
    for row in rows:
        position += 1
        previous = chain_link(previous, row)
        links.append((position, previous, row.pk))
    if links:
        with connection.cursor() as cursor:
            # The one UPDATE the audit table accepts: an unsealed row's two chain fields.
            cursor.executemany(
                "UPDATE legalaid_auditevent SET chain_position = %s, chain_hash = %s "
                "WHERE id = %s AND chain_position IS NULL",
                links,
            )
    return len(rows)


def audit_chain_seal() -> int:
    """Seal the rows committed unsealed (by a connection without our database engines); returns
    how many. Each batch is a short transaction of its own."""
    connection = transaction.get_connection()
    sealed = 0
    while True:
        with transaction.atomic():
            lock_until_transaction_ends(CHAIN_LOCK)
            count = _seal_batch(connection)
        sealed += count
        if count < BATCH:
            return sealed


def audit_chain_seal_before_commit(connection: BaseDatabaseWrapper) -> None:
    """Seal the transaction's rows as its last work before it commits (called by our engines'
    `commit()`, with the transaction still open and `transaction.atomic` already left)."""
    advisory_lock(connection, CHAIN_LOCK)
    while _seal_batch(connection) == BATCH:
        pass


def audit_chain_append(row: AuditEvent) -> None:
    """Write `row` already sealed, at the head of the chain, in a transaction of its own.
    Call it outside any transaction: inside one, `audit_record` writes the row and the commit
    seals it."""
    if connection.in_atomic_block:
        raise transaction.TransactionManagementError(
            "audit_chain_append writes its own transaction; inside one, use audit_record."
        )
    with transaction.atomic():
        lock_until_transaction_ends(CHAIN_LOCK)
        position, previous = _head(connection)
        row.chain_position = position + 1
        row.chain_hash = chain_link(previous, row)
        row.save()


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
