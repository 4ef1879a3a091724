from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.transaction import TransactionManagementError
from django.utils.crypto import salted_hmac

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django_stubs_ext import StrOrPromise

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def random_code(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def require(condition: bool, field: str, message: StrOrPromise) -> None:
    """Refuse with `message` on `field` unless `condition` holds. The message is for people:
    `gettext(...)` where it is raised, so it reads in the request's language."""
    if not condition:
        raise ValidationError({field: [message]})


def clean_and_save(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    instance.full_clean(exclude=exclude)
    instance.save()


def _lock_id(key: str) -> int:
    """A signed 64-bit number for the key, the same in every process sharing SECRET_KEY (keyed
    with it, so the number cannot be matched against the hashes of every possible national
    number)."""
    digest = salted_hmac("legalaid.services.lock_until_transaction_ends", key).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_until_transaction_ends(*keys: str) -> None:
    """Serialise the transactions that name the same key: a second one waits here until the first
    commits or rolls back, then goes on and sees what the first wrote. For check-then-create on
    rows no existing row can be locked for (a person not registered yet). Call it inside
    `transaction.atomic`, before the check.

    PostgreSQL: one transaction-scoped advisory lock (`pg_advisory_xact_lock`) per key, keyed on
    a keyed hash of it: the key itself (identity data, such as a national number) never reaches
    the database, its `pg_locks` view or its logs. Several keys are taken in ascending order, so
    two transactions wanting some of the same keys never wait for each other in a circle; a
    collision only makes two unrelated transactions wait in turn. The check after it must run in
    a statement of its own under READ COMMITTED (PostgreSQL's default, which this project keeps):
    that statement then sees what the first transaction committed.
    SQLite: nothing to take: transactions begin IMMEDIATE (config/env.py), so one that writes
    already holds the only write lock from its start and the next one waits for it."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise TransactionManagementError("A lock until the transaction ends needs a transaction.")
    advisory_lock(connection, *keys)


def advisory_lock(connection: BaseDatabaseWrapper, *keys: str) -> None:
    """`lock_until_transaction_ends` on `connection`, for a caller that knows a transaction is
    open without being inside `transaction.atomic` (sealing the audit trail as it commits)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for lock_id in sorted({_lock_id(key) for key in keys}):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])
