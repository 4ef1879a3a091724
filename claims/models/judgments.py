"""Judgments on a civil claim and the amounts they award, per defendant or to several defendants
jointly and severally (in solidum), with their interest (DOMAIN.md §5)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from legalaid.models import Party

from .claims import CivilClaim, DamageHead


class JudgmentStatus(models.TextChoices):
    APPEALABLE = "appealable", _("Appeal period running")
    UNDER_APPEAL = "under_appeal", _("Under appeal")
    FINAL = "final", _("Final")
    REPLACED = "replaced", _("Replaced on appeal")


class ImputationOrder(models.TextChoices):
    """The order in which a payment settles what is due (old Civil Code art. 1254)."""

    COSTS_INTEREST_PRINCIPAL = "costs_interest_principal", _("Costs, interest, principal (default)")
    COSTS_PRINCIPAL_INTEREST = "costs_principal_interest", _("Costs, principal, interest")
    INTEREST_COSTS_PRINCIPAL = "interest_costs_principal", _("Interest, costs, principal")
    INTEREST_PRINCIPAL_COSTS = "interest_principal_costs", _("Interest, principal, costs")
    PRINCIPAL_COSTS_INTEREST = "principal_costs_interest", _("Principal, costs, interest")
    PRINCIPAL_INTEREST_COSTS = "principal_interest_costs", _("Principal, interest, costs")


class DayCount(models.TextChoices):
    """How many days a year of interest has (DOMAIN.md §5: actual/365 by default; some courts
    count 366 days in a leap year)."""

    ACTUAL_365 = "actual/365", _("Actual/365 (default)")
    ACTUAL_ACTUAL = "actual/actual", _("Actual/actual (366 days in a leap year)")


def imputation_sequence(order: str) -> tuple[str, ...]:
    """`"costs_interest_principal"` → `("costs", "interest", "principal")`."""
    return tuple(order.split("_"))


class Judgment(models.Model):
    """A judgment on the civil claim. `appeal_due_on` is stored: the service sets it to
    `given_on` + 15 days (DOMAIN.md §5) unless told another date (a judgment by default, where the
    period runs from its service), and it can then be listed and filtered as a due date."""

    IDENTITY_FIELDS = ()

    claim = models.ForeignKey(CivilClaim, on_delete=models.PROTECT, related_name="judgments")
    given_on = models.DateField()
    court = models.CharField(max_length=160)
    reference = models.CharField(
        max_length=60, blank=True, help_text="Roll or repertory number of the judgment."
    )
    status = models.CharField(
        max_length=12, choices=JudgmentStatus.choices, default=JudgmentStatus.APPEALABLE
    )
    appeal_due_on = models.DateField(help_text="Last day to appeal.")
    appealed_on = models.DateField(null=True, blank=True)
    final_on = models.DateField(
        null=True, blank=True, help_text="The day the decision became final (res judicata)."
    )
    imputation_order = models.CharField(
        max_length=30,
        choices=ImputationOrder.choices,
        default=ImputationOrder.COSTS_INTEREST_PRINCIPAL,
    )
    day_count = models.CharField(
        max_length=14,
        choices=DayCount.choices,
        default=DayCount.ACTUAL_365,
        help_text="The year length the court applies to interest.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "given_on", "id"]
        indexes = [models.Index(fields=["status", "appeal_due_on"], name="judgment_appeal_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(appeal_due_on__gte=F("given_on")),
                name="judgment_appeal_due_after_given",
            ),
            models.CheckConstraint(
                condition=Q(
                    status=JudgmentStatus.FINAL,
                    final_on__isnull=False,
                    final_on__gte=F("given_on"),
                )
                | (~Q(status=JudgmentStatus.FINAL) & Q(final_on__isnull=True)),
                name="judgment_final_has_date",
            ),
            models.CheckConstraint(
                condition=Q(appealed_on__isnull=True) | Q(appealed_on__gte=F("given_on")),
                name="judgment_appealed_after_given",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[JudgmentStatus.UNDER_APPEAL, JudgmentStatus.REPLACED])
                | Q(appealed_on__isnull=False),
                name="judgment_appeal_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Judgment of {self.given_on} ({self.status})"

    @property
    def imputation_sequence(self) -> tuple[str, ...]:
        return imputation_sequence(self.imputation_order)


class AwardKind(models.TextChoices):
    DAMAGES = "damages", _("Damages")
    COSTS = "costs", _("Costs (procedural indemnity)")


class InterestKind(models.TextChoices):
    NONE = "none", _("No interest")
    COMPENSATORY = "compensatory", _("Compensatory (from the damage)")
    MORATORY = "moratory", _("Moratory (from formal notice or judgment)")


class Award(models.Model):
    """An amount a judgment awards. Several debtors owe it jointly and severally (in solidum): a
    payment by any of them reduces it for all. Interest runs from `interest_from` at the legal
    rate of each calendar year, or at `fixed_percent` when the court set one."""

    IDENTITY_FIELDS = ()

    judgment = models.ForeignKey(Judgment, on_delete=models.PROTECT, related_name="awards")
    damage_head = models.ForeignKey(
        DamageHead, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    kind = models.CharField(max_length=8, choices=AwardKind.choices)
    description = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    debtors = models.ManyToManyField(Party, related_name="claim_awards")
    interest_kind = models.CharField(
        max_length=12, choices=InterestKind.choices, default=InterestKind.NONE
    )
    interest_from = models.DateField(null=True, blank=True)
    fixed_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="A rate set by the court; empty: the legal rate of each year.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["judgment", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="award_amount_positive"),
            models.CheckConstraint(
                condition=Q(
                    interest_kind=InterestKind.NONE,
                    interest_from__isnull=True,
                    fixed_percent__isnull=True,
                )
                | (~Q(interest_kind=InterestKind.NONE) & Q(interest_from__isnull=False)),
                name="award_interest_complete",
            ),
            models.CheckConstraint(
                condition=Q(fixed_percent__isnull=True)
                | (Q(fixed_percent__gt=0) & Q(fixed_percent__lt=100)),
                name="award_fixed_percent_range",
            ),
            models.CheckConstraint(
                condition=~Q(kind=AwardKind.COSTS) | Q(damage_head__isnull=True),
                name="award_costs_without_damage_head",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} €{self.amount} (#{self.pk})"
