"""Thin API views of the documents: check the form, call one service or selector, serialise."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.models import StateAidApplication
from legalaid.api.permissions import EVERYONE, RoleAllowed
from legalaid.api.schema import refusal
from legalaid.errors import ApplicationError
from legalaid.models import Case, Guardian, User

from .. import selectors, services
from ..models import Document
from ..snapshots import Subject
from . import serializers as s
from .downloads import download_response

# A subject id the case does not hold, by field (lazy: made text when refused).
MISSING_IN_CASE = {
    "claim": _("No such civil claim in this case."),
    "state_aid_application": _("No such state-aid application in this case."),
    "debtor": _("No such party in this case."),
    "guardian": _("No such guardian in this case."),
    "nonpunishment_record": _("No such non-punishment record in this case."),
}


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _one(rows: QuerySet[Any], pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = rows.filter(pk=pk).first()
    if found is None:
        message = MISSING_IN_CASE[field]
        raise ApplicationError(message, fields={field: [message]})
    return found


def _subject(case: Case, data: dict[str, Any]) -> Subject:
    """The subject ids of a request, resolved within the case (another case's: refused)."""
    return Subject(
        claim=_one(case.civil_claims.all(), data.get("claim"), "claim"),
        state_aid_application=_one(
            StateAidApplication.objects.filter(claim__case=case),
            data.get("state_aid_application"),
            "state_aid_application",
        ),
        debtor=_one(case.parties.all(), data.get("debtor"), "debtor"),
        guardian=_one(
            Guardian.objects.filter(accesses__case=case).distinct(),
            data.get("guardian"),
            "guardian",
        ),
        nonpunishment_record=_one(
            case.nonpunishment_records.all(),
            data.get("nonpunishment_record"),
            "nonpunishment_record",
        ),
    )


class DocumentRequestView(APIView):
    """Ask for a document of a case. A new version is queued and rendered by a worker: 202 with
    its id and status; poll the document until it is ready. When the same data was already
    issued with the same templates, that document is the answer at once: 200."""

    permission_classes = [RoleAllowed]
    roles = EVERYONE

    @extend_schema(
        request=s.DocumentRequestSerializer,
        responses={202: s.DocumentSerializer, 200: s.DocumentSerializer},
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        serializer = s.DocumentRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = selectors.case_for_documents(user, data["case"])
        document, created = services.document_request(
            actor=user,
            case=case,
            kind=data["kind"],
            language=data.get("language"),
            subject=_subject(case, data),
        )
        document.refresh_from_db()
        return Response(
            s.DocumentSerializer(document).data,
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
        )


class DocumentDetailView(APIView):
    """One document: its status (queued, rendering, ready, failed with a readable error)."""

    permission_classes = [RoleAllowed]
    roles = EVERYONE

    @extend_schema(responses=s.DocumentSerializer)
    def get(self, request: Request, pk: int) -> Response:
        document = selectors.document_get_for_user(_user(request), pk)
        return Response(s.DocumentSerializer(document).data)


class CaseDocumentListView(generics.ListAPIView):
    """The documents of a case the caller may have, newest first."""

    permission_classes = [RoleAllowed]
    roles = EVERYONE
    serializer_class = s.DocumentSerializer

    def get_queryset(self) -> QuerySet[Document]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema is being generated
            return Document.objects.none()
        user = _user(self.request)
        case = selectors.case_for_documents(user, self.kwargs["pk"])
        return selectors.document_list_for_case(user, case)


class DocumentDownloadView(APIView):
    """The PDF as it was issued: decrypted from the storage, checked against its sha256 (sent in
    X-Content-SHA256) and streamed. Every download is recorded in the audit trail."""

    permission_classes = [RoleAllowed]
    roles = EVERYONE

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="The PDF/A-3b document."
            ),
            409: refusal("The document is not ready (queued, rendering or failed)."),
            500: refusal(
                "The stored file cannot be read back as it was issued (it does not decrypt, or "
                "its sha256 differs): nothing is sent."
            ),
        }
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        user = _user(request)
        document = selectors.document_get_for_user(user, pk)
        pdf = services.document_download(actor=user, document=document)
        return download_response(
            pdf,
            content_type="application/pdf",
            filename=f"{document.case.reference}-{document.kind}-v{document.version}-"
            f"{document.language_id}.pdf",
            sha256=document.file_sha256,
        )
