"""Issued court documents: one row per version of a document, with the data it was made from.

A document copies its data (`snapshot`, a JSON object, and its hash) when it is requested and is
rendered from that copy only, never from live data. An issued (ready) document is immutable and
never deleted by the application; asking again makes a new version, unless the same snapshot and
template version were already issued: then the stored document is the answer (STYLE.md item 10).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from claims.models import CivilClaim, StateAidApplication
from legalaid.models import Case, Guardian, Language, NonPunishmentRecord, Party, User, Victim
from legalaid.models.encrypted import EncryptedJSONField


class DocumentKind(models.TextChoices):
    DESIGNATION_LETTER = "designation_letter", _("Designation letter (office to lawyer)")
    CIVIL_PARTY_CONSTITUTION = "civil_party_constitution", _("Civil-party constitution")
    CLAIM_STATEMENT = "claim_statement", _("Claim statement (conclusions)")
    NON_PUNISHMENT_MEMORANDUM = "non_punishment_memorandum", _("Non-punishment memorandum")
    STATE_AID_COVER_LETTER = "state_aid_cover_letter", _("Cover letter of a state-aid application")
    GUARDIAN_STATUS_LETTER = "guardian_status_letter", _("Status letter to the guardian")
    STATEMENT_OF_ACCOUNT = "statement_of_account", _("Statement of account per debtor")


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    # Past the retention policy: the file is deleted, the row stays as the register of what was
    # issued (kind, version, dates, the sha256 of the PDF).
    EXPIRED = "expired", _("Expired")


class Document(models.Model):
    """One version of one document of a case. The subject fields say which claim, application,
    debtor, guardian or non-punishment record the document is about (the kinds that need one)."""

    IDENTITY_FIELDS = ()  # the snapshot may hold identity data the document shows: never audited

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(help_text="1, 2, … per case and kind.")
    claim = models.ForeignKey(
        CivilClaim, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    state_aid_application = models.ForeignKey(
        StateAidApplication,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    debtor = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    guardian = models.ForeignKey(
        Guardian, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    nonpunishment_record = models.ForeignKey(
        NonPunishmentRecord,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    status = models.CharField(
        max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    error = models.CharField(
        max_length=300, blank=True, help_text="Why rendering failed, in a sentence."
    )
    # Names, birth dates, the story of the exploitation: encrypted at rest.
    snapshot = EncryptedJSONField(help_text="The data the document was made from, as issued.")
    snapshot_sha256 = models.CharField(max_length=64)
    template_version = models.CharField(max_length=20)
    file = models.FileField(upload_to="documents/", max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Renders started.")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    rendering_started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["case", "kind"], name="document_case_kind_idx"),
            models.Index(fields=["status", "rendering_started_at"], name="document_stuck_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "version"], name="document_version_unique"
            ),
            # The same data and template are issued once (a failed render does not count).
            models.UniqueConstraint(
                fields=["case", "kind", "snapshot_sha256", "template_version"],
                condition=~Q(status="failed"),
                name="document_snapshot_issued_once",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & ~Q(file_sha256="")),
                name="document_ready_has_file",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""),
                name="document_failed_has_error",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} ({self.status})"


# --- A person's copy of their file (GDPR articles 15 and 20) ----------------------------------


class ExportOnBehalfOf(models.TextChoices):
    """Who asked for the copy: the guardian while the person is a minor, the person once of age."""

    GUARDIAN = "guardian", _("The guardian, for a minor")
    VICTIM = "victim", _("The person, of age")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    # Past `expires_on`: the file is deleted; the row stays as the register of what was given.
    EXPIRED = "expired", _("Expired")


class PersonalDataExport(models.Model):
    """One copy of everything held about a person (documents.personal_data), asked through the
    office of one of their cases: a ZIP (export.json, the issued PDFs, summary.pdf) stored
    encrypted like the documents (`documents.files.seal`). `file_sha256` and `size` are those of
    the plain ZIP the office downloads. The row holds no personal data of its own."""

    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The case the office asked from (its office produces the copy).",
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    on_behalf_of = models.CharField(max_length=10, choices=ExportOnBehalfOf.choices)
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    error = models.CharField(max_length=300, blank=True, help_text="Why the build failed.")
    file_name = models.CharField(max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True, help_text="Of the plain ZIP.")
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="Of the plain ZIP.")
    created_at = models.DateTimeField()
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(help_text="The file is deleted the day after.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "expires_on"], name="export_expiry_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file_name="") & ~Q(file_sha256="")),
                name="export_ready_has_file",
            ),
            models.CheckConstraint(
                condition=Q(status="ready") | Q(file_name=""),
                name="export_file_only_when_ready",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""), name="export_failed_has_error"
            ),
        ]

    def __str__(self) -> str:
        return f"Personal data export #{self.pk} ({self.status})"
