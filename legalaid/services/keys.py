"""Key rotation of the data encrypted at rest: every encrypted value re-encrypted with the newest
key of FIELD_ENCRYPTION_KEYS, and the blind indexes recomputed after BLIND_INDEX_KEY changed.

Row by row in batches, each batch in its own transaction, so a run can be stopped at any moment
and nothing is half-written. A rotation skips the rows already under the newest key: run again,
it goes on where it stopped. Decryption failures are not skipped: a value the keys cannot read
stops the run with `DecryptionError` (it is not rewritten, never replaced by an empty value).

The higher apps add what they encrypt outside the database through KEY_ROTATION_EXTENSIONS
(documents' files: `documents.keys`), with the same rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.utils.module_loading import import_string

from .. import crypto
from ..models.encrypted import EncryptedTextField

BATCH = 200


@dataclass(frozen=True)
class Stretch:
    """One model's share of the work: `count` rows (or files: `unit`), done by `run(on_batch)`,
    which calls `on_batch(n)` after every n done."""

    label: str
    count: int
    run: Callable[[Callable[[int], None]], None]
    unit: str = "rows"


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]


def models_with_encrypted_fields() -> Iterator[tuple[type[models.Model], list[EncryptedTextField]]]:
    for model in apps.get_models():
        fields = encrypted_fields(model)
        if fields and not model._meta.proxy:
            yield model, fields


def _not_under_newest_key(fields: list[EncryptedTextField]) -> tuple[str, list[str]]:
    quote = connection.ops.quote_name
    newest = f"{crypto.keyring().prefix()}%"
    clauses = [
        f"({quote(field.column or '')} LIKE %s AND {quote(field.column or '')} NOT LIKE %s)"
        for field in fields
    ]
    params = [value for _ in fields for value in (f"{crypto.FORMAT}:%", newest)]
    return " OR ".join(clauses), params


def _stale_ids(
    model: type[models.Model], fields: list[EncryptedTextField], after: int
) -> list[int]:
    quote = connection.ops.quote_name
    where, params = _not_under_newest_key(fields)
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column or "id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk} FROM {table} WHERE {pk} > %s AND ({where}) ORDER BY {pk} LIMIT %s",  # noqa: S608
            [after, *params, BATCH],
        )
        return [row[0] for row in cursor.fetchall()]


def _stale_count(model: type[models.Model], fields: list[EncryptedTextField]) -> int:
    where, params = _not_under_newest_key(fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params)  # noqa: S608
        return int(cursor.fetchone()[0])


def _rotate(model: type[models.Model], fields: list[EncryptedTextField]) -> Stretch:
    def run(on_batch: Callable[[int], None]) -> None:
        after = 0
        while ids := _stale_ids(model, fields, after):
            with transaction.atomic():
                rows = list(model._base_manager.select_for_update().filter(pk__in=ids))
                # Saving writes each value encrypted again, with the newest key.
                model._base_manager.bulk_update(rows, [field.name for field in fields])
            on_batch(len(ids))
            after = ids[-1]

    return Stretch(model._meta.label, _stale_count(model, fields), run)


def _reindex(model: type[models.Model]) -> Stretch:
    names: tuple[str, ...] = model.BLIND_INDEX_FIELDS  # type: ignore[attr-defined]

    def run(on_batch: Callable[[int], None]) -> None:
        after = 0
        while True:
            with transaction.atomic():
                rows = list(
                    model._base_manager.select_for_update()
                    .filter(pk__gt=after)
                    .order_by("pk")[:BATCH]
                )
                if not rows:
                    return
                for row in rows:
                    row.refresh_blind_indexes()  # type: ignore[attr-defined]
                model._base_manager.bulk_update(rows, list(names))
            on_batch(len(rows))
            after = rows[-1].pk

    return Stretch(f"{model._meta.label} (blind indexes)", model._base_manager.count(), run)


def key_rotation_plan(*, reindex: bool = False) -> list[Stretch]:
    """What a rotation would do, model by model (the counts are what a dry run reports)."""
    plan = [_rotate(model, fields) for model, fields in models_with_encrypted_fields()]
    # The higher apps' data encrypted outside the database (documents' files), without legalaid
    # importing them: functions `() -> list[Stretch]`.
    for path in settings.KEY_ROTATION_EXTENSIONS:
        plan += import_string(path)()
    if reindex:
        plan += [
            _reindex(model) for model in apps.get_models() if hasattr(model, "BLIND_INDEX_FIELDS")
        ]
    return plan
