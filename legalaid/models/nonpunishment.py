"""Non-punishment records (DOMAIN.md §7): the offences a victim is suspected of, their link to the
exploitation, the lawyer's assessment, what was asked of the prosecutor or the court, and the
outcome.

The lists the record chooses from (offence categories, indicators of exploitation, legal bases, the
neutral line a guardian may read) are reference data: rows with validity dates, seeded by a data
migration and edited in the admin. Their `code` is a stable identifier (statistics count by it);
labels may be reworded, codes never.

Privileged: the offence's description and proceeding reference, the notes of the indicators, the
evidence, the assessment. Only the designated lawyer reads them; office staff and administrators
see that a record exists, its category, its dates and its outcome.
"""

from __future__ import annotations

import datetime as dt
from typing import Self, TypeVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .cases import Case
from .encrypted import EncryptedTextField
from .people import User
from .reference import Language

_M = TypeVar("_M", bound=models.Model)


def age_on(born: dt.date, day: dt.date) -> int:
    """Completed years on `day`: the birthday itself counts (born 29 February: 1 March in a
    common year, as `Victim.eighteenth_birthday`)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --- Reference data -------------------------------------------------------------------------


class ReferenceQuerySet(models.QuerySet[_M]):
    def valid_on(self, day: dt.date) -> Self:
        return self.filter(
            Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class ReferenceEntry(models.Model):
    """An entry of a list, with labels in the four languages and the period it may be chosen in
    (both days inclusive; no end: until further notice)."""

    code = models.SlugField(
        primary_key=True,
        max_length=40,
        help_text="Stable identifier used by statistics: never rename; end the period instead.",
    )
    label_nl = models.CharField(max_length=200)
    label_fr = models.CharField(max_length=200)
    label_de = models.CharField(max_length=200)
    label_en = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in lists.")
    valid_from = models.DateField()
    valid_until = models.DateField(
        null=True, blank=True, help_text="Last day it applies (inclusive); empty: no end known."
    )

    class Meta:
        abstract = True
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="%(app_label)s_%(class)s_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label_en} ({self.code})"

    def label(self, language: str) -> str:
        return str(getattr(self, f"label_{language}", "") or self.label_en)

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class OffenceCategoryQuerySet(ReferenceQuerySet["OffenceCategory"]):
    pass


class OffenceCategory(ReferenceEntry):
    """What kind of offence the victim is suspected of (drugs, theft, recruiting others…)."""

    objects = OffenceCategoryQuerySet.as_manager()

    class Meta(ReferenceEntry.Meta):
        verbose_name_plural = "offence categories"


class ExploitationIndicatorQuerySet(ReferenceQuerySet["ExploitationIndicator"]):
    pass


class ExploitationIndicator(ReferenceEntry):
    """A sign that the offence was a consequence of the exploitation (instructed by the pimp,
    coercion or threats, debt bondage…)."""

    objects = ExploitationIndicatorQuerySet.as_manager()

    class Meta(ReferenceEntry.Meta):
        pass


class NonPunishmentLegalBasisQuerySet(ReferenceQuerySet["NonPunishmentLegalBasis"]):
    pass


class NonPunishmentLegalBasis(ReferenceEntry):
    """A provision a request may invoke. Its period is when it is in force; whether an old
    provision still governs an offence committed while it was in force is the lawyer's call, so a
    request may invoke a provision in force on the offence's date or on the request's."""

    notes = models.TextField(
        blank=True, help_text="What to verify, how the provision was amended or replaced."
    )

    objects = NonPunishmentLegalBasisQuerySet.as_manager()

    class Meta(ReferenceEntry.Meta):
        verbose_name = "non-punishment legal basis"
        verbose_name_plural = "non-punishment legal bases"


class GuardianNoticeTextQuerySet(ReferenceQuerySet["GuardianNoticeText"]):
    pass


class GuardianNoticeText(models.Model):
    """A neutral line a guardian may be shown, per language of the guardian (nl/fr/de). The
    lawyer decides whether it is shown, never what it says."""

    DEFENCE_IN_PREPARATION = "defence_in_preparation"

    code = models.SlugField(max_length=40)
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=300)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)

    objects = GuardianNoticeTextQuerySet.as_manager()

    class Meta:
        ordering = ["code", "language", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="guardian_notice_text_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["code", "language", "valid_from"], name="guardian_notice_text_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.language_id}, from {self.valid_from})"


# --- Evidence of a case ---------------------------------------------------------------------


class EvidenceKind(models.TextChoices):
    STATEMENT = "statement", _("Statement")
    DOCUMENT = "document", _("Document")
    OTHER = "other", _("Other")


class EvidenceItem(models.Model):
    """A piece of evidence in the file of a case (a hearing's statement, a document), by its
    reference in the criminal file. The lawyer's working material: visible to them alone."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence_items")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    description = EncryptedTextField(max_length=300)
    reference = models.CharField(
        max_length=120, blank=True, help_text="Its reference in the criminal file (PV number…)."
    )
    dated_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "dated_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EvidenceKind.values), name="evidence_item_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Evidence #{self.pk} ({self.kind})"


# --- The record -----------------------------------------------------------------------------


class AssessmentStrength(models.TextChoices):
    STRONG = "strong", _("Strong")
    ARGUABLE = "arguable", _("Arguable")
    WEAK = "weak", _("Weak")


class NonPunishmentDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    NOT_PROSECUTED = "not_prosecuted", _("Not prosecuted")
    DISMISSED = "dismissed", _("Dismissed")
    CONVICTED_WITHOUT_PENALTY = (
        "convicted_without_penalty",
        _("Convicted without penalty (non-punishment clause)"),
    )
    CONVICTED = "convicted", _("Convicted")


class NonPunishmentRecord(models.Model):
    """One offence the victim is suspected of, in one case. The victim's age at the time is
    derived from their date of birth (`victim_age_at_offence`), never typed."""

    PRIVILEGED_FIELDS = ("description", "proceeding_reference", "assessment",
                         "assessment_reasoning")  # fmt: skip

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="nonpunishment_records")
    category = models.ForeignKey(OffenceCategory, on_delete=models.PROTECT, related_name="+")
    description = EncryptedTextField()
    proceeding_reference = models.CharField(
        max_length=60, blank=True, help_text="The offence's own proceeding (notice number…)."
    )
    committed_from = models.DateField(help_text="The day of the offence, or the first day.")
    committed_until = models.DateField(
        null=True, blank=True, help_text="The last day, for a period; empty for a single day."
    )
    assessment = models.CharField(
        max_length=8, choices=AssessmentStrength.choices, blank=True, default=""
    )
    assessment_reasoning = EncryptedTextField(blank=True, default="")
    assessed_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(
        max_length=30,
        choices=NonPunishmentDecision.choices,
        default=NonPunishmentDecision.PENDING,
    )
    decided_on = models.DateField(null=True, blank=True)
    shared_with_guardian = models.BooleanField(
        default=False,
        help_text="The lawyer lets the guardian read the neutral line (a defence is prepared).",
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["case", "committed_from", "id"]
        indexes = [models.Index(fields=["category", "decision"], name="nonpunishment_stats_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(committed_until__isnull=True)
                | Q(committed_until__gte=F("committed_from")),
                name="nonpunishment_period_ordered",
            ),
            models.CheckConstraint(
                condition=(
                    Q(assessment="") & Q(assessment_reasoning="") & Q(assessed_at__isnull=True)
                )
                | (
                    Q(assessment__in=AssessmentStrength.values)
                    & ~Q(assessment_reasoning="")
                    & Q(assessed_at__isnull=False)
                ),
                name="nonpunishment_assessment_with_reasoning",
            ),
            models.CheckConstraint(
                condition=(Q(decision=NonPunishmentDecision.PENDING) & Q(decided_on__isnull=True))
                | (
                    Q(decision__in=NonPunishmentDecision.values)
                    & ~Q(decision=NonPunishmentDecision.PENDING)
                    & Q(decided_on__isnull=False)
                ),
                name="nonpunishment_decision_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"Non-punishment record #{self.pk}"

    @property
    def victim_age_at_offence(self) -> int:
        """The victim's age on the (first) day of the offence."""
        return age_on(self.case.victim.date_of_birth, self.committed_from)

    @property
    def victim_age_at_end(self) -> int:
        """The victim's age on the last day of the offence (the first, for a single day)."""
        return age_on(self.case.victim.date_of_birth, self.committed_until or self.committed_from)


class ExploitationLink(models.Model):
    """One indicator that the offence came from the exploitation, with a short note and the
    evidence (items of the same case) that shows it."""

    record = models.ForeignKey(NonPunishmentRecord, on_delete=models.CASCADE, related_name="links")
    indicator = models.ForeignKey(ExploitationIndicator, on_delete=models.PROTECT, related_name="+")
    note = EncryptedTextField(max_length=500, blank=True)
    evidence = models.ManyToManyField(EvidenceItem, blank=True, related_name="exploitation_links")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["record", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "indicator"],
                condition=~Q(indicator="other"),
                name="exploitation_indicator_once_per_record",
            ),
            models.CheckConstraint(
                condition=~Q(indicator="other") | ~Q(note=""),
                name="exploitation_other_needs_a_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} on record #{self.record_id}"


class RequestAddressee(models.TextChoices):
    PROSECUTOR = "prosecutor", _("Public prosecutor")
    COURT = "court", _("Court")


class RequestedMeasure(models.TextChoices):
    NOT_TO_PROSECUTE = "not_to_prosecute", _("Not to prosecute")
    DISMISSAL = "dismissal", _("Dismissal of the case")
    EXEMPTION_FROM_PENALTY = "exemption_from_penalty", _("Exemption from penalty")


# Whom one may ask what (issue #5): the prosecutor not to prosecute or to dismiss, the court to
# exempt from penalty.
MEASURES_BY_ADDRESSEE = {
    RequestAddressee.PROSECUTOR: (RequestedMeasure.NOT_TO_PROSECUTE, RequestedMeasure.DISMISSAL),
    RequestAddressee.COURT: (RequestedMeasure.EXEMPTION_FROM_PENALTY,),
}


class NonPunishmentRequest(models.Model):
    """What the lawyer asked, of whom, when, invoking which provisions."""

    record = models.ForeignKey(
        NonPunishmentRecord, on_delete=models.CASCADE, related_name="requests"
    )
    addressee = models.CharField(max_length=10, choices=RequestAddressee.choices)
    measure = models.CharField(max_length=24, choices=RequestedMeasure.choices)
    requested_on = models.DateField()
    legal_bases = models.ManyToManyField(NonPunishmentLegalBasis, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["record", "requested_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    addressee=RequestAddressee.PROSECUTOR,
                    measure__in=MEASURES_BY_ADDRESSEE[RequestAddressee.PROSECUTOR],
                )
                | Q(
                    addressee=RequestAddressee.COURT,
                    measure__in=MEASURES_BY_ADDRESSEE[RequestAddressee.COURT],
                ),
                name="nonpunishment_request_measure_fits_addressee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} ({self.addressee}, {self.requested_on})"
