"""`idempotent_create`: run a creation once per (user, scope, key).

The key's row is inserted first, in the transaction of the creation: a second request with the
same key waits on the unique index until the first ends (PostgreSQL; SQLite queues whole writing
transactions), then either finds the first one's row — and answers what it made — or, the first
having rolled back, makes it itself. A creation that fails leaves no key behind."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import IdempotencyKey


class KeyReused(Exception):
    """The key was already used by this user for a different request."""


def fingerprint(scope: str, payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return salted_hmac(f"lanzarote.idempotency.{scope}", canonical, algorithm="sha256").hexdigest()


def idempotent_create(
    *, user_id: int, scope: str, key: str | None, payload: Any, create: Callable[[], int]
) -> tuple[int, bool]:
    """`create()` (which returns the new object's id) once for this user, scope and key: (its id,
    True); when the same request came before: (the id it made, False), nothing run. Without a
    key, `create()` runs. The same key with another payload raises KeyReused."""
    if key is None:
        return create(), True
    digest = fingerprint(scope, payload)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user_id=user_id,
                    scope=scope,
                    key=key,
                    fingerprint=digest,
                    created_at=timezone.now(),
                )
        except IntegrityError:
            earlier = IdempotencyKey.objects.get(user_id=user_id, scope=scope, key=key)
            if earlier.fingerprint != digest or earlier.object_id is None:
                raise KeyReused(key) from None
            return earlier.object_id, False
        object_id = create()
        IdempotencyKey.objects.filter(pk=record.pk).update(object_id=object_id)
    return object_id, True
