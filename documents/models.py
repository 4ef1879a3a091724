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
from legalaid.models import Case, Guardian, Language, NonPunishmentRecord, Party, User
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
