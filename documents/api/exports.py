"""Thin API views of a person's copy of their file (GDPR articles 15 and 20): the office asks for
it from one of the person's cases, polls its status, and downloads the ZIP."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from legalaid import selectors as legalaid_selectors
from legalaid.api.permissions import RoleAllowed
from legalaid.api.schema import refusal
from legalaid.models import Role, User

from .. import exports, personal_data
from ..formatting import LANGUAGES
from ..models import ExportOnBehalfOf, PersonalDataExport
from .downloads import download_response

OFFICE_STAFF = frozenset({Role.OFFICE})


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class PersonalDataExportRequestSerializer(serializers.Serializer):
    on_behalf_of = serializers.ChoiceField(
        choices=ExportOnBehalfOf.choices,
        help_text="guardian: asked by the guardian of a minor; victim: asked by the person, of "
        "age.",
    )
    language = serializers.ChoiceField(
        choices=[(code, code) for code in LANGUAGES],
        required=False,
        help_text="nl, fr or de. By default the person's own language (else the case's).",
    )


class PersonalDataExportSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    language = serializers.CharField(source="language_id", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = PersonalDataExport
        fields = [
            "id", "case", "on_behalf_of", "language", "status", "status_label", "error",
            "file_sha256", "size", "created_at", "ready_at", "expires_on", "download",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download(self, export: PersonalDataExport) -> str | None:
        """The download path once the copy is ready."""
        if export.status != "ready":
            return None
        return f"/api/v1/personal-data-exports/{export.pk}/download/"


class CasePersonalDataExportsView(generics.ListCreateAPIView):
    """The copies of everything held about the person of a case (GDPR articles 15 and 20), for
    office staff of the case's office. POST asks for a new one (202: a worker builds it; poll its
    status). The person's file covers all their records (repeat victimisation) in this office."""

    permission_classes = [RoleAllowed]
    roles = OFFICE_STAFF
    serializer_class = PersonalDataExportSerializer
    pagination_class = None
    filter_backends: list[type] = []  # a short list, newest first; no filter, no ordering

    def get_queryset(self) -> QuerySet[PersonalDataExport]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema is being generated
            return PersonalDataExport.objects.none()
        user = _user(self.request)
        case = legalaid_selectors.case_get_for_user(user, self.kwargs["pk"])
        return personal_data.personal_data_export_list_for_case(user, case)

    @extend_schema(
        request=PersonalDataExportRequestSerializer,
        responses={202: PersonalDataExportSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        form = PersonalDataExportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        case = legalaid_selectors.case_get_for_user(user, pk)
        export = exports.personal_data_export_request(
            actor=user,
            victim=case.victim,
            case=case,
            on_behalf_of=form.validated_data["on_behalf_of"],
            language=form.validated_data.get("language"),
        )
        export.refresh_from_db()
        return Response(PersonalDataExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)


class PersonalDataExportDetailView(APIView):
    """One copy: its status (queued, ready, failed with a readable error, expired)."""

    permission_classes = [RoleAllowed]
    roles = OFFICE_STAFF

    @extend_schema(responses=PersonalDataExportSerializer)
    def get(self, request: Request, pk: int) -> Response:
        export = personal_data.personal_data_export_get_for_user(_user(request), pk)
        return Response(PersonalDataExportSerializer(export).data)


class PersonalDataExportDownloadView(APIView):
    """The ZIP (export.json, documents/*.pdf, summary.pdf), decrypted and checked against its
    sha256 (sent in X-Content-SHA256). Every download is recorded in the audit trail. The file
    name names the copy, never the person."""

    permission_classes = [RoleAllowed]
    roles = OFFICE_STAFF

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="The ZIP of the copy."
            ),
            409: refusal("The copy is not ready (queued or failed)."),
            410: refusal("The copy expired: its file was deleted. Ask for a new one."),
            500: refusal("The stored copy cannot be read back as it was built: nothing is sent."),
        }
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        user = _user(request)
        export = personal_data.personal_data_export_get_for_user(user, pk)
        plain = exports.personal_data_export_download(actor=user, export=export)
        return download_response(
            plain,
            content_type="application/zip",
            filename=f"personal-data-export-{export.pk}.zip",
            sha256=export.file_sha256,
        )
