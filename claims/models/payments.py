"""Payments towards a judgment: append-only rows. A mistake is corrected by a reversal row that
points to the payment it cancels, never by an edit or a delete; balances are derived from the rows
(claims.ledger). On PostgreSQL a trigger (migration 0003) makes the database refuse UPDATE and
DELETE as well."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from legalaid.models import Party, User

from .judgments import Judgment
from .recovery import StateAidApplication


class PaymentImmutable(Exception):
    """Raised when code tries to change or delete a payment row."""


class PayerKind(models.TextChoices):
    DEFENDANT = "defendant", _("A defendant")
    STATE_FUND = "state_fund", _("The state fund (Commission for financial aid)")
    INSURER = "insurer", _("An insurer")
    OTHER = "other", _("Other")


class PaymentDestination(models.TextChoices):
    BLOCKED_ACCOUNT_MINOR = "blocked_account_minor", _("Blocked account in the minor's name")
    LAWYER_CLIENT_ACCOUNT = "lawyer_client_account", _("Lawyer's client account")
    GUARDIAN = "guardian", _("Guardian")
    OTHER = "other", _("Other")


class PaymentQuerySet(models.QuerySet["Payment"]):
    def update(self, **kwargs: Any) -> int:
        raise PaymentImmutable("Payments cannot be changed: record a reversal.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PaymentImmutable("Payments cannot be deleted: record a reversal.")


class Payment(models.Model):
    """A payment, or (with `reverses`) the reversal of one. A reversal repeats the amount of the
    payment it cancels (amounts are always positive) and its `paid_on` is the day the reversal
    takes effect."""

    IDENTITY_FIELDS = ()

    judgment = models.ForeignKey(Judgment, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    paid_on = models.DateField()
    payer_kind = models.CharField(max_length=10, choices=PayerKind.choices)
    payer_party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claim_payments",
        help_text="The defendant who paid, or on whose behalf an insurer or another payer paid.",
    )
    destination = models.CharField(max_length=24, choices=PaymentDestination.choices)
    reference = models.CharField(max_length=140, blank=True)
    state_aid_application = models.ForeignKey(
        StateAidApplication,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
        help_text="The aid decision a payment by the state fund executes.",
    )
    idempotency_key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
        help_text="The payment this row cancels (a payment is reversed at most once).",
    )
    reason = models.CharField(max_length=300, blank=True, help_text="Why a payment was reversed.")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["judgment", "paid_on", "id"]
        base_manager_name = "objects"  # no back door through Django's plain base manager
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(payer_kind=PayerKind.DEFENDANT) | Q(payer_party__isnull=False),
                name="payment_by_defendant_names_party",
            ),
            models.CheckConstraint(
                condition=~Q(payer_kind=PayerKind.STATE_FUND) | Q(payer_party__isnull=True),
                name="payment_by_state_fund_without_party",
            ),
            models.CheckConstraint(
                condition=Q(state_aid_application__isnull=True)
                | Q(payer_kind=PayerKind.STATE_FUND),
                name="payment_aid_paid_by_state_fund",
            ),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | ~Q(reason=""),
                name="payment_reversal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        what = "Reversal" if self.reverses_id else "Payment"
        return f"{what} #{self.pk}: €{self.amount} on {self.paid_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PaymentImmutable("Payments cannot be changed: record a reversal.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PaymentImmutable("Payments cannot be deleted: record a reversal.")

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None
