"""Reference data: languages, courts of appeal, judicial districts and their languages, matters.

These are figures of the world that change by law, so they are rows with validity dates, seeded by
migrations and editable in the admin, never constants in code.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q


class Language(models.Model):
    """A language by its ISO 639-1 code; `proceedings` marks the three of Belgian courts."""

    code = models.CharField(primary_key=True, max_length=3)
    name = models.CharField(max_length=60)
    proceedings = models.BooleanField(
        default=False, help_text="Can be a language of proceedings in a Belgian court (NL/FR/DE)."
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CourtOfAppeal(models.Model):
    code = models.SlugField(primary_key=True, max_length=30)
    name_nl = models.CharField(max_length=80)
    name_fr = models.CharField(max_length=80)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "courts of appeal"

    def __str__(self) -> str:
        return self.name_nl if self.name_nl == self.name_fr else f"{self.name_nl} / {self.name_fr}"


class District(models.Model):
    """One of the judicial districts (12 since 2014)."""

    code = models.SlugField(primary_key=True, max_length=40)
    name_nl = models.CharField(max_length=80)
    name_fr = models.CharField(max_length=80)
    name_de = models.CharField(max_length=80)
    court_of_appeal = models.ForeignKey(
        CourtOfAppeal, on_delete=models.PROTECT, related_name="districts"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_nl if self.name_nl == self.name_fr else f"{self.name_nl} / {self.name_fr}"


class DistrictLanguageQuerySet(models.QuerySet["DistrictLanguage"]):
    def valid_on(self, day: dt.date) -> DistrictLanguageQuerySet:
        return self.filter(
            Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class DistrictLanguage(models.Model):
    """A language the courts of a district use, for a period (law of 15 June 1935)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    is_default = models.BooleanField(default=False)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)

    objects = DistrictLanguageQuerySet.as_manager()

    class Meta:
        ordering = ["district", "-is_default", "language"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="district_language_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["district", "language", "valid_from"], name="district_language_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district_id}: {self.language_id}{' (default)' if self.is_default else ''}"


class Matter(models.Model):
    """A preferred matter of the legal-aid list (youth, criminal, victims, trafficking…)."""

    code = models.SlugField(primary_key=True, max_length=30)
    name = models.CharField(max_length=80)
    section = models.CharField(max_length=80, blank=True)
    default_for_cases = models.BooleanField(
        default=False, help_text="A new case of a minor victim needs this matter unless told."
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
