"""Cases, their notes, the parties to the criminal proceedings, and designations of lawyers."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import crypto
from .encrypted import EncryptedTextField
from .people import Lawyer, LegalAidOffice, User, Victim
from .reference import District, Language, Matter


class CaseStatus(models.TextChoices):
    """Where the case stands, in the order it gets there (`CASE_STAGES`). The status only moves
    forward, each step set by the service that records the event, in its transaction and audited
    (`case.status_change`, or `case.close`):

    - intake → awaiting designation → lawyer designated: the designation services, which move the
      case among these three only (a lawyer who declines, lets the proposal expire or is withdrawn
      sends a case that had no further stage back to awaiting designation);
    - civil party constituted: a civil-party constitution filed (`claims`);
    - judgment: a judgment recorded on a claim of the case;
    - recovery (of the compensation): what a judgment awarded is being collected: the first payment
      recorded, the state fund's payment or an enforcement step after a judgment, a claim moved to
      collection;
    - closed: by the legal-aid office, with a reason (`case_close`); nothing reopens it.

    Past the designation stages the status says how far the proceedings went, not whether the
    case has a lawyer right now: that is its active designation (and the escalation queue)."""

    INTAKE = "intake", _("Intake")
    AWAITING_DESIGNATION = "awaiting_designation", _("Awaiting designation")
    LAWYER_DESIGNATED = "lawyer_designated", _("Lawyer designated")
    CIVIL_PARTY_CONSTITUTED = "civil_party_constituted", _("Civil party constituted")
    JUDGMENT = "judgment", _("Judgment given")
    RECOVERY = "recovery", _("Recovery of compensation")
    CLOSED = "closed", _("Closed")


# The statuses in the order a case goes through them.
CASE_STAGES: tuple[CaseStatus, ...] = tuple(CaseStatus)


class Case(models.Model):
    IDENTITY_FIELDS = ()

    reference = models.CharField(max_length=20, unique=True)
    office = models.ForeignKey(LegalAidOffice, on_delete=models.PROTECT, related_name="cases")
    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="cases")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="cases")
    language = models.ForeignKey(
        Language,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Language of the proceedings.",
    )
    language_change_reason = models.CharField(max_length=300, blank=True)
    matters = models.ManyToManyField(Matter, related_name="cases")
    prosecutor_notice_number = models.CharField(max_length=40, blank=True)
    investigating_judge = models.CharField(max_length=120, blank=True)
    court = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=24, choices=CaseStatus.choices, default=CaseStatus.INTAKE)
    intake_on = models.DateField()
    facts_started_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.CharField(
        max_length=300, blank=True, help_text="Why the office closed the case."
    )
    anonymised_on = models.DateField(
        null=True, blank=True, editable=False, help_text="When the retention policy applied."
    )
    adult_at_intake = models.BooleanField(default=False)
    adult_at_intake_reason = models.CharField(max_length=300, blank=True)
    is_repeat_victimisation = models.BooleanField(default=False)
    chosen_lawyer = models.ForeignKey(
        Lawyer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chosen_in_cases",
        help_text="The lawyer the minor chose: overrides automatic ranking, except a conflict.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-intake_on", "-id"]
        indexes = [
            models.Index(fields=["office", "status"]),
            # An office's list, newest first: a page is read from the index, not sorted.
            models.Index(fields=["office", "-intake_on", "-id"], name="case_office_recent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(adult_at_intake=False) | ~Q(adult_at_intake_reason=""),
                name="adult_at_intake_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class NoteKind(models.TextChoices):
    PRIVILEGED = "privileged", _("Lawyer's privileged note")
    OFFICE = "office", _("Office note")


class CaseNote(models.Model):
    """Privileged notes are readable by their author alone (professional secrecy)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=NoteKind.choices)
    body = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Defendant(models.Model):
    """A person prosecuted; one defendant can be a party in several cases (one pimp, many
    victims)."""

    IDENTITY_FIELDS = ("full_name",)
    BLIND_INDEX_FIELDS = ("name_index",)

    full_name = EncryptedTextField(max_length=160)
    # The blind index of the normalised name (legalaid.crypto.name_index): the conflict check
    # matches defendants across cases on it.
    name_index = models.CharField(max_length=64, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Defendant #{self.pk}"

    def refresh_blind_indexes(self) -> None:
        self.name_index = crypto.name_index(self.full_name)


class AliasKind(models.TextChoices):
    ALIAS = "alias", _("Alias")
    HANDLE = "handle", _("Online handle")


class DefendantAlias(models.Model):
    IDENTITY_FIELDS = ("value",)
    BLIND_INDEX_FIELDS = ("value_index",)

    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=6, choices=AliasKind.choices)
    value = EncryptedTextField(max_length=160)
    # The blind index of the normalised alias (as a name) or handle.
    value_index = models.CharField(max_length=64, db_index=True, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "defendant aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["defendant", "kind", "value_index"], name="defendant_alias_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def refresh_blind_indexes(self) -> None:
        index = crypto.handle_index if self.kind == AliasKind.HANDLE else crypto.name_index
        self.value_index = index(self.value)


class PartyRole(models.TextChoices):
    PIMP = "pimp", _("Pimp")
    CO_ACCUSED = "co_accused", _("Co-accused")
    CLIENT = "client", _("Client")
    RECRUITER = "recruiter", _("Recruiter")


class Party(models.Model):
    """A defendant's part in one case, and who represents them there if known."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="parties")
    defendant = models.ForeignKey(Defendant, on_delete=models.PROTECT, related_name="parties")
    role = models.CharField(max_length=12, choices=PartyRole.choices)
    represented_by = models.ForeignKey(
        Lawyer, null=True, blank=True, on_delete=models.PROTECT, related_name="represented_parties"
    )
    represented_by_name = models.CharField(
        max_length=160, blank=True, help_text="The defendant's lawyer when not on our panel."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "parties"
        constraints = [
            models.UniqueConstraint(fields=["case", "defendant"], name="defendant_once_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} in {self.case_id}"


class DesignationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ENDED = "ended", _("Ended")


ACTIVE_DESIGNATION_STATUSES = (DesignationStatus.PROPOSED, DesignationStatus.ACCEPTED)


class DesignationMethod(models.TextChoices):
    MANUAL = "manual", _("Manual, by office staff")
    AUTOMATIC = "automatic", _("Automatic")


class Designation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="designations")
    lawyer = models.ForeignKey(Lawyer, on_delete=models.PROTECT, related_name="designations")
    status = models.CharField(
        max_length=10, choices=DesignationStatus.choices, default=DesignationStatus.PROPOSED
    )
    method = models.CharField(max_length=10, choices=DesignationMethod.choices)
    proposed_at = models.DateTimeField()
    respond_by = models.DateTimeField(help_text="The lawyer must accept before this moment.")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    explanation = models.JSONField(
        default=dict, blank=True, help_text="Candidates considered, exclusions and scores."
    )

    class Meta:
        ordering = ["-proposed_at", "-id"]
        indexes = [
            models.Index(fields=["lawyer", "status"]),
            models.Index(fields=["lawyer", "-proposed_at"], name="designation_lawyer_recent_idx"),
            models.Index(fields=["status", "respond_by"], name="designation_deadline_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["proposed", "accepted"]),
                name="one_active_designation_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"Designation #{self.pk} ({self.status})"


class DesignationEvent(models.Model):
    """The status history of a designation: who moved it, when, why."""

    designation = models.ForeignKey(Designation, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=10, choices=DesignationStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=DesignationStatus.choices)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class Escalation(models.Model):
    """A case the engine could not give a lawyer: it waits in the office's queue with the reasons
    until a lawyer is designated (by the engine again, or by office staff overriding)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="escalations")
    opened_at = models.DateTimeField()
    explanation = models.JSONField(default=dict, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_escalation_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"Escalation #{self.pk} ({'open' if self.resolved_at is None else 'resolved'})"
