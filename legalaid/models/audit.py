"""The audit trail: append-only and hash-chained. The application never updates or deletes a row;
on PostgreSQL a trigger makes the database itself refuse UPDATE and DELETE (migrations 0003 and
0016), except the one-time sealing of a row into the chain (`legalaid.services.audit_chain`)."""

from __future__ import annotations

from typing import Any

from django.db import models

from .people import User


class AuditRowImmutable(Exception):
    """Raised when code tries to change or delete an audit row."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditRowImmutable("Audit rows cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditRowImmutable("Audit rows cannot be deleted.")


class AuditEvent(models.Model):
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=60, db_index=True)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40)
    # Plain ids rather than foreign keys: the trail outlives and never blocks what it describes.
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    office_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    # The chain: each sealed row's HMAC covers its content and the previous row's hash, in the
    # order rows are sealed (position 1, 2, …). Empty until sealed, as its transaction commits.
    chain_position = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    chain_hash = models.CharField(max_length=64, blank=True, default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        base_manager_name = "objects"  # no back door through Django's plain base manager

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditRowImmutable("Audit rows cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditRowImmutable("Audit rows cannot be deleted.")
