"""Recovering what was awarded: applications to the Commission for financial aid to victims
(DOMAIN.md §6) and the enforcement steps taken against a debtor."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from legalaid.models import Party

from .claims import CivilClaim


class StateAidKind(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency aid")
    MAIN = "main", _("Main aid")
    COMPLEMENTARY = "complementary", _("Complementary aid")


class StateAidStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    PAID = "paid", _("Paid")


class StateAidApplication(models.Model):
    """An application to the Commission. Its deadline is not stored: it follows from the claim's
    final decision and the rules in force (`claims.selectors.state_aid_deadline`)."""

    IDENTITY_FIELDS = ()

    claim = models.ForeignKey(
        CivilClaim, on_delete=models.PROTECT, related_name="state_aid_applications"
    )
    kind = models.CharField(max_length=14, choices=StateAidKind.choices)
    reference = models.CharField(max_length=60, blank=True, help_text="The Commission's file.")
    filed_on = models.DateField()
    amount_requested = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(
        max_length=8, choices=StateAidStatus.choices, default=StateAidStatus.FILED
    )
    decided_on = models.DateField(null=True, blank=True)
    amount_granted = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    amount_paid = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "filed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0)
                & (Q(amount_granted__isnull=True) | Q(amount_granted__gt=0))
                & (
                    Q(amount_paid__isnull=True)
                    | Q(
                        amount_granted__isnull=False,
                        amount_paid__gt=0,
                        amount_paid__lte=F("amount_granted"),
                    )
                ),
                name="state_aid_amounts",
            ),
            models.CheckConstraint(
                condition=Q(
                    status=StateAidStatus.FILED,
                    decided_on__isnull=True,
                    amount_granted__isnull=True,
                )
                | Q(
                    status=StateAidStatus.REFUSED,
                    decided_on__isnull=False,
                    amount_granted__isnull=True,
                )
                | Q(
                    status__in=[StateAidStatus.GRANTED, StateAidStatus.PAID],
                    decided_on__isnull=False,
                    amount_granted__isnull=False,
                ),
                name="state_aid_decision_complete",
            ),
            models.CheckConstraint(
                condition=Q(
                    status=StateAidStatus.PAID, paid_on__isnull=False, amount_paid__isnull=False
                )
                | (
                    ~Q(status=StateAidStatus.PAID)
                    & Q(paid_on__isnull=True, amount_paid__isnull=True)
                ),
                name="state_aid_payment_complete",
            ),
            models.CheckConstraint(
                condition=(Q(decided_on__isnull=True) | Q(decided_on__gte=F("filed_on")))
                & (
                    Q(paid_on__isnull=True)
                    | Q(decided_on__isnull=False, paid_on__gte=F("decided_on"))
                ),
                name="state_aid_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"


class EnforcementKind(models.TextChoices):
    FORMAL_NOTICE = "formal_notice", _("Formal notice")
    BAILIFF = "bailiff", _("Bailiff instructed")
    SEIZURE = "seizure", _("Seizure")
    PAYMENT_PLAN = "payment_plan", _("Payment plan")


class EnforcementStep(models.Model):
    IDENTITY_FIELDS = ()

    claim = models.ForeignKey(
        CivilClaim, on_delete=models.PROTECT, related_name="enforcement_steps"
    )
    debtor = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="enforcement_steps")
    kind = models.CharField(max_length=14, choices=EnforcementKind.choices)
    taken_on = models.DateField()
    reference = models.CharField(max_length=60, blank=True, help_text="E.g. the bailiff's file.")
    outcome = models.CharField(max_length=300, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "taken_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True)
                | (Q(outcome_on__gte=F("taken_on")) & ~Q(outcome="")),
                name="enforcement_outcome_dated_after_step",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.taken_on}"
