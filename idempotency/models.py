"""Idempotency keys of the requests that create something (an intake): a client that did not get
the answer (a dropped connection, the database restarted while it committed) asks again with the
same key and gets what the first request made, never a second one."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """One key of one user for one kind of request (`scope`), with what it made. `fingerprint` is
    a keyed hash (HMAC with SECRET_KEY) of the request: the same key with another request is
    refused, and the request's content (personal data) cannot be read back from it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    object_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope", "key"], name="idempotency_key_once_per_user_and_scope"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} key of user {self.user_id}"
