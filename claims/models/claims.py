"""The civil-party constitution of a victim in the criminal proceedings, and the heads of damage
claimed (DOMAIN.md §5)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from legalaid.models import Case, Party
from legalaid.models.encrypted import EncryptedTextField

from .reference import IndicativeTableRate


class ClaimStage(models.TextChoices):
    INVESTIGATING_JUDGE = "investigating_judge", _("Before the investigating judge")
    HEARING = "hearing", _("At the hearing")


class ClaimStatus(models.TextChoices):
    PREPARED = "prepared", _("Prepared")
    FILED = "filed", _("Filed (civil party constituted)")
    JUDGMENT = "judgment", _("Judgment given")
    FINAL = "final", _("Judgment final")
    COLLECTING = "collecting", _("Collecting")
    CLOSED = "closed", _("Closed")


# The statuses in which the victim is a civil party: the constitution has a date.
CONSTITUTED_STATUSES = (
    ClaimStatus.FILED,
    ClaimStatus.JUDGMENT,
    ClaimStatus.FINAL,
    ClaimStatus.COLLECTING,
)


class CivilClaim(models.Model):
    """A civil-party constitution in a case, against some of its defendants (none: against persons
    unknown, possible before the investigating judge only)."""

    IDENTITY_FIELDS = ()

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="civil_claims")
    stage = models.CharField(max_length=20, choices=ClaimStage.choices)
    court = models.CharField(
        max_length=160, help_text="The investigating judge or the court of the hearing."
    )
    constituted_on = models.DateField(
        null=True,
        blank=True,
        help_text="Date of the civil-party constitution; empty while prepared.",
    )
    defendants = models.ManyToManyField(Party, blank=True, related_name="civil_claims")
    status = models.CharField(
        max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PREPARED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ClaimStatus.PREPARED, constituted_on__isnull=True)
                | Q(status__in=CONSTITUTED_STATUSES, constituted_on__isnull=False)
                | Q(status=ClaimStatus.CLOSED),
                name="civil_claim_constituted_once_filed",
            ),
        ]

    def __str__(self) -> str:
        return f"Civil claim #{self.pk} ({self.status})"


class DamageKind(models.TextChoices):
    MATERIAL_MEDICAL = "material_medical", _("Material: medical costs")
    MATERIAL_THERAPY = "material_therapy", _("Material: therapy")
    MATERIAL_LOST_INCOME = "material_lost_income", _("Material: lost income")
    MATERIAL_COSTS = "material_costs", _("Material: other costs")
    MORAL = "moral", _("Moral (non-economic)")
    FUTURE_LOSS = "future_loss", _("Future loss")
    OTHER = "other", _("Other")


class DamageHead(models.Model):
    """One head of damage claimed. A flat-rate head (Indicative Table) keeps the rate row it used,
    the quantity (days or hours) and a copy of the unit amount, so that its amount, computed by
    the service as quantity x rate, can be explained later even if the table is edited."""

    # Health details of a minor (special category data): masked in the audit trail, encrypted.
    IDENTITY_FIELDS = ("description", "evidence")

    claim = models.ForeignKey(CivilClaim, on_delete=models.PROTECT, related_name="damage_heads")
    kind = models.CharField(max_length=24, choices=DamageKind.choices)
    description = EncryptedTextField(max_length=300)
    amount_claimed = models.DecimalField(max_digits=12, decimal_places=2)
    evidence = EncryptedTextField(
        blank=True, help_text="References to the evidence (reports, invoices, exhibit numbers)."
    )
    flat_rate = models.ForeignKey(
        IndicativeTableRate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="damage_heads",
        help_text="The Indicative Table rate (edition and item) of a flat-rate head.",
    )
    quantity = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, help_text="Days or hours."
    )
    unit_amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The rate's amount when the head was computed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_claimed__gt=0), name="damage_head_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(flat_rate__isnull=True, quantity__isnull=True, unit_amount__isnull=True)
                | Q(
                    flat_rate__isnull=False,
                    quantity__isnull=False,
                    quantity__gt=0,
                    unit_amount__isnull=False,
                    unit_amount__gt=0,
                ),
                name="damage_head_flat_rate_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_flat_rate(self) -> bool:
        return self.flat_rate_id is not None
