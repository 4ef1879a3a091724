"""Writing the audit trail. Services call `audit_record` inside their own transaction, so the row
is written with the change or not at all; it is sealed into the hash chain as that transaction
commits (`services.audit_chain`). A row written outside any transaction (the record of a read) is
written and sealed in one short transaction of its own. Identity values are masked: the trail
says *that* a name changed, never what it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import AuditEvent, User

MASK = "•••"


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime | Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(_plain(item) for item in value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields` in JSON form (foreign keys as ids)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            values[name] = _plain([obj.pk for obj in getattr(instance, name).all()])
        elif isinstance(field, models.ForeignKey):
            values[name] = getattr(instance, field.attname)
        else:
            values[name] = _plain(getattr(instance, name))
    return values


def changes_between(
    before: dict[str, Any], after: dict[str, Any], *, identity_fields: Iterable[str] = ()
) -> dict[str, list[Any]]:
    """`{field: [old, new]}` for the fields whose value differs, identity values masked."""
    masked = set(identity_fields)
    changes: dict[str, list[Any]] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name in masked:
            old = None if old in (None, "") else MASK
            new = None if new in (None, "") else MASK
        changes[name] = [old, new]
    return changes


def changes_for_create(instance: models.Model, fields: Iterable[str]) -> dict[str, list[Any]]:
    identity = getattr(type(instance), "IDENTITY_FIELDS", ())
    return changes_between({}, snapshot(instance, fields), identity_fields=identity)


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    case_id: int | None = None,
    office_id: int | None = None,
    changes: dict[str, list[Any]] | None = None,
) -> AuditEvent:
    from .services.audit_chain import audit_chain_append

    row = AuditEvent(
        at=timezone.now(),
        actor=actor,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        case_id=case_id,
        office_id=office_id,
        changes=changes or {},
    )
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        audit_chain_append(row)
        return row
    row.save()
    # Our engines seal it as the transaction commits (`legalaid.db`); beat seals what a
    # connection through another engine left.
    connection.audit_rows_written = True
    return row
