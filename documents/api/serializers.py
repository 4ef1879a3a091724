from __future__ import annotations

from rest_framework import serializers

from legalaid.api.serializers import object_id

from ..formatting import LANGUAGES
from ..models import Document, DocumentKind


class DocumentRequestSerializer(serializers.Serializer):
    """Ask for a document. The subject fields name what the document is about when the case has
    several (by default: the case's latest civil claim, state-aid application or non-punishment
    record, the guardian asking or the only one with access); a statement of account needs its
    debtor (a party)."""

    case = object_id()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    language = serializers.ChoiceField(
        choices=[(code, code) for code in LANGUAGES],
        required=False,
        help_text="Override: nl, fr or de. By default the language of the proceedings (the "
        "guardian's own language for a status letter).",
    )
    claim = object_id(required=False)
    state_aid_application = object_id(required=False)
    debtor = object_id(required=False, help_text="A party's id.")
    guardian = object_id(required=False)
    nonpunishment_record = object_id(required=False)


class DocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    language = serializers.CharField(source="language_id", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id", "case", "kind", "kind_label", "language", "version", "status", "status_label",
            "error", "template_version", "snapshot_sha256", "file_sha256", "page_count",
            "requested_at", "finished_at", "download",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download(self, document: Document) -> str | None:
        """The download path once the document is ready."""
        if document.status != "ready":
            return None
        return f"/api/v1/documents/{document.pk}/download/"
