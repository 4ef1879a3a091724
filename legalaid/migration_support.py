"""What the migrations that bring encryption at rest run on existing rows: raw SQL in batches
(the historical models' fields would try to decrypt the plain text they find), each value
encrypted once (a value already in the encrypted form is left as it is, so a migration that was
interrupted can run again), blind indexes computed from the plain values first."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from . import crypto

Row = dict[str, Any]
BATCH = 500


def _encrypted(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return value
    text = str(value)
    if text.startswith(f"{crypto.FORMAT}:"):
        return text
    if kind == "json":
        text = json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
    return crypto.encrypt(text)


def _decrypted(value: Any, kind: str) -> Any:
    if value is None or value == "" or not str(value).startswith(f"{crypto.FORMAT}:"):
        return value
    return crypto.decrypt(value)


def _rewrite(
    schema_editor: BaseDatabaseSchemaEditor,
    table: str,
    columns: Sequence[str],
    change: Callable[[Row], Row],
) -> None:
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    selected = ", ".join(quote(column) for column in ("id", *columns))
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT {selected} FROM {quote(table)} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            for row in rows:
                before = dict(zip(("id", *columns), row, strict=True))
                after = change(dict(before))
                changed = {
                    name: value for name, value in after.items() if before.get(name) != value
                }
                if changed:
                    assignments = ", ".join(f"{quote(name)} = %s" for name in changed)
                    cursor.execute(
                        f"UPDATE {quote(table)} SET {assignments} WHERE id = %s",  # noqa: S608
                        [*changed.values(), before["id"]],
                    )
            last = rows[-1][0]


def encrypt_columns(
    table: str,
    columns: dict[str, str],
    *,
    indexes: dict[str, Callable[[Row], Any]] | None = None,
    reads: Sequence[str] = (),
) -> tuple[Callable[[StateApps, BaseDatabaseSchemaEditor], None], ...]:
    """A RunPython pair: forwards sets the blind indexes (`{column: function of the plain row}`)
    and encrypts `columns` (`{column: "text" | "json"}`), reading `reads` too; backwards decrypts
    them."""
    index_functions = indexes or {}

    def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        def change(row: Row) -> Row:
            plain = {name: _decrypted(row[name], kind) for name, kind in columns.items()}
            values = {**row, **plain}
            row.update({name: index(values) for name, index in index_functions.items()})
            row.update({name: _encrypted(row[name], kind) for name, kind in columns.items()})
            return row

        _rewrite(schema_editor, table, [*columns, *index_functions, *reads], change)

    def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        def change(row: Row) -> Row:
            row.update({name: _decrypted(row[name], kind) for name, kind in columns.items()})
            return row

        _rewrite(schema_editor, table, list(columns), change)

    return forwards, backwards
