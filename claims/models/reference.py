"""Reference data of the civil-claims ledger: the legal interest rate per period, the editions of
the Indicative Table with their flat rates, and the rules of the Commission for financial aid.

Figures of the world that change by law or by a new edition, so they are rows with validity dates,
seeded by migration 0002 and editable in the admin, never constants in code (DOMAIN.md §5-6).
"""

from __future__ import annotations

import datetime as dt
from typing import Self, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

_M = TypeVar("_M", bound=models.Model)


class ValidityPeriodQuerySet(models.QuerySet[_M]):
    def valid_on(self, day: dt.date) -> Self:
        return self.filter(
            Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def overlapping(self, start: dt.date, end: dt.date | None) -> Self:
        """Rows whose period shares at least one day with [start, end] (end None: open)."""
        rows = self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
        return rows if end is None else rows.filter(valid_from__lte=end)


class ValidityPeriod(models.Model):
    """A row that applies from `valid_from` to `valid_until` (both inclusive; no end: until further
    notice). The periods of one table never overlap: checked by `clean()` (the admin's forms) and,
    on PostgreSQL, by an exclusion constraint (migration 0003)."""

    valid_from = models.DateField()
    valid_until = models.DateField(
        null=True,
        blank=True,
        help_text="Last day it applies (inclusive); empty: until further notice.",
    )

    class Meta:
        abstract = True
        ordering = ["valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="%(app_label)s_%(class)s_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["valid_from"], name="%(app_label)s_%(class)s_unique_start"
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.valid_from is None:
            return  # the field's own error is reported
        rows = type(self)._default_manager.exclude(pk=self.pk)
        if self.valid_until is not None:
            rows = rows.filter(valid_from__lte=self.valid_until)
        clash = (
            rows.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from))
            .order_by("valid_from")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {
                    "valid_from": [
                        gettext("This period overlaps the one starting %(day)s.")
                        % {"day": clash.valid_from}
                    ]
                }
            )


class LegalInterestRateQuerySet(ValidityPeriodQuerySet["LegalInterestRate"]):
    pass


class LegalInterestRate(ValidityPeriod):
    """The legal interest rate in civil matters (law of 5 May 1865), one rate per calendar year."""

    percent = models.DecimalField(max_digits=5, decimal_places=2, help_text="Per year, e.g. 4.50.")

    objects = LegalInterestRateQuerySet.as_manager()

    class Meta(ValidityPeriod.Meta):
        constraints = [
            *ValidityPeriod.Meta.constraints,
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lt=100),
                name="legal_interest_rate_percent_range",
            ),
        ]

    def __str__(self) -> str:
        until = self.valid_until or "…"
        return f"{self.percent}% ({self.valid_from} - {until})"


class IndicativeTableEdition(models.Model):
    """An edition of the Indicative Table (not binding: the judge chooses which one to follow).
    Editions do not replace each other in law, so their periods may overlap: `valid_from` only
    says from when an edition can be chosen, and which is the default for a new damage head."""

    code = models.SlugField(primary_key=True, max_length=10, help_text='E.g. "2024".')
    name = models.CharField(max_length=80)
    valid_from = models.DateField()

    class Meta:
        ordering = ["valid_from", "code"]

    def __str__(self) -> str:
        return self.name


class IndicativeTableItem(models.TextChoices):
    TEMPORARY_PERSONAL_INCAPACITY = (
        "temporary_personal_incapacity",
        _("Temporary personal incapacity, per day, no hospitalisation"),
    )
    TEMPORARY_PERSONAL_INCAPACITY_HOSPITALISED = (
        "temporary_personal_incapacity_hospitalised",
        _("Temporary personal incapacity with hospitalisation or rehabilitation, per day"),
    )
    TEMPORARY_HOUSEHOLD_INCAPACITY = (
        "temporary_household_incapacity",
        _("Temporary household incapacity, per day"),
    )
    DEPENDENT_CHILD = "dependent_child", _("Supplement per dependent child, per day")
    THIRD_PARTY_HELP = "third_party_help", _("Non-qualified third-party help, per hour")


class RateUnit(models.TextChoices):
    DAY = "day", _("Per day")
    HOUR = "hour", _("Per hour")


class IndicativeTableRate(models.Model):
    """One flat rate of an edition (DOMAIN.md §5)."""

    edition = models.ForeignKey(
        IndicativeTableEdition, on_delete=models.PROTECT, related_name="rates"
    )
    item = models.CharField(max_length=60, choices=IndicativeTableItem.choices)
    unit = models.CharField(max_length=4, choices=RateUnit.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2, help_text="Euro per unit.")

    class Meta:
        ordering = ["edition", "item"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "item"], name="indicative_rate_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="indicative_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.edition_id}: {self.get_item_display()} = €{self.amount}"


class StateAidRuleQuerySet(ValidityPeriodQuerySet["StateAidRule"]):
    pass


class StateAidRule(ValidityPeriod):
    """The rules of the Commission for financial aid to victims of intentional acts of violence
    (law of 1 August 1985) in force for a period: ceilings, the damage threshold and the deadline
    to apply after the final decision."""

    main_aid_ceiling = models.DecimalField(max_digits=12, decimal_places=2)
    emergency_aid_ceiling = models.DecimalField(max_digits=12, decimal_places=2)
    minimum_damage = models.DecimalField(
        max_digits=12, decimal_places=2, help_text="The damage must exceed this amount."
    )
    application_deadline_years = models.PositiveSmallIntegerField(
        help_text="Years after the final decision within which to apply."
    )

    objects = StateAidRuleQuerySet.as_manager()

    class Meta(ValidityPeriod.Meta):
        constraints = [
            *ValidityPeriod.Meta.constraints,
            models.CheckConstraint(
                condition=Q(main_aid_ceiling__gt=0)
                & Q(emergency_aid_ceiling__gt=0)
                & Q(minimum_damage__gte=0)
                & Q(application_deadline_years__gt=0),
                name="state_aid_rule_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"State-aid rules from {self.valid_from}"
