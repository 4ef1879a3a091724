"""Thin API views: check the form, call one service or selector, serialise the result."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from idempotency.services import KeyReused, idempotent_create

from .. import selectors
from ..errors import ApplicationError, Conflict, NotFound
from ..models import (
    AuditEvent,
    Case,
    Defendant,
    Designation,
    District,
    DistrictLanguage,
    Escalation,
    EvidenceItem,
    ExploitationIndicator,
    Guardian,
    GuardianAccess,
    Lawyer,
    LegalAidOffice,
    NonPunishmentLegalBasis,
    NonPunishmentRecord,
    OffenceCategory,
    Role,
    User,
)
from ..services import cases as case_services
from ..services import designations as designation_services
from ..services import guardians as guardian_services
from ..services import lawyers as lawyer_services
from ..services import nonpunishment as nonpunishment_services
from ..services import parties as party_services
from . import serializers as s
from .filters import (
    AuditEventFilter,
    DesignationFilter,
    EscalationFilter,
    EvidenceItemFilter,
    NonPunishmentRecordFilter,
)
from .idempotency import INTAKE_IDEMPOTENCY_HEADER, idempotency_key
from .permissions import EVERYONE, GUARDIAN, LAWYER, OFFICE, OFFICE_AND_LAWYER, RoleAllowed
from .schema import ShapeByRole

# A detail action that answers a plain list (a case's notes, a lawyer's leaves): no page, no
# filter of the viewset's own list.
PLAIN_LIST: dict[str, Any] = {"pagination_class": None, "filter_backends": []}


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _office_for(user: User, requested: LegalAidOffice | None) -> LegalAidOffice:
    """Office staff act in their own office; an administrator names one."""
    if user.role == Role.OFFICE:
        assert user.office is not None
        return user.office
    if requested is None:
        message = _("Name the legal-aid office (administrators act for a given office).")
        raise ApplicationError(message, fields={"office": [message]})
    return requested


class RoleViewSet(viewsets.GenericViewSet):
    permission_classes = [RoleAllowed]
    roles: frozenset[str] = EVERYONE
    roles_by_action: dict[str, frozenset[str]] = {}


class DistrictViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleViewSet):
    """The judicial districts with the languages their courts use today."""

    serializer_class = s.DistrictSerializer
    queryset = District.objects.select_related("court_of_appeal").prefetch_related(
        Prefetch("languages", queryset=DistrictLanguage.objects.order_by("language_id"))
    )
    pagination_class = None

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}


class LawyerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleViewSet):
    """The bar's panel. Office staff manage their bar's lawyers; a lawyer sees their own entry."""

    queryset = Lawyer.objects.none()  # names the model for the schema; get_queryset scopes
    serializer_class = s.LawyerSerializer
    roles = OFFICE_AND_LAWYER
    roles_by_action = {"create": OFFICE, "partial_update": OFFICE}
    filterset_fields = ["active", "youth_certified", "districts", "languages", "matters"]
    ordering_fields = ["family_name", "capacity"]

    def get_queryset(self) -> QuerySet[Lawyer]:
        return selectors.lawyer_list_for_user(_user(self.request))

    def get_object(self) -> Lawyer:
        return selectors.lawyer_get_for_user(_user(self.request), self.kwargs["pk"])

    def create(self, request: Request) -> Response:
        user = _user(request)
        data = self._valid(request.data)
        data.setdefault("matters", [])
        office = _office_for(user, data.pop("office", None))
        lawyer = lawyer_services.lawyer_create(actor=user, bar=office.bar, **data)
        return Response(s.LawyerSerializer(lawyer).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        lawyer = self.get_object()
        if not request.data:  # an empty or null body: nothing to change is a mistake, not a no-op
            raise ApplicationError(_("Send at least one field to change."))
        data = self._valid(request.data, partial=True)
        data.pop("office", None)
        user = _user(request)
        lawyer = lawyer_services.lawyer_update(actor=user, lawyer=lawyer, **data)
        return Response(s.LawyerSerializer(selectors.lawyer_get_for_user(user, lawyer.pk)).data)

    def _valid(self, data: Any, partial: bool = False) -> dict[str, Any]:
        serializer = s.LawyerSerializer(data=data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(methods=["GET"], responses=s.LeavePeriodSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=s.LeavePeriodSerializer, responses={201: s.LeavePeriodSerializer}
    )
    @action(detail=True, methods=["get", "post"], **PLAIN_LIST)
    def leaves(self, request: Request, pk: str) -> Response:
        user = _user(request)
        lawyer = self.get_object()
        if request.method == "POST":
            if user.role == Role.LAWYER and lawyer.user_id != user.pk:
                raise NotFound(_("No such lawyer."))
            serializer = s.LeavePeriodSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            leave = lawyer_services.leave_period_add(
                actor=user, lawyer=lawyer, **serializer.validated_data
            )
            return Response(s.LeavePeriodSerializer(leave).data, status=status.HTTP_201_CREATED)
        return Response(s.LeavePeriodSerializer(lawyer.leaves.all(), many=True).data)


def _party_input(user: User, data: dict[str, Any]) -> dict[str, Any]:
    """A party's input with `defendant` resolved among the defendants of the user's cases."""
    data = dict(data)
    defendant_id = data.pop("defendant", None)
    if defendant_id is not None:
        data["defendant"] = (
            Defendant.objects.filter(
                pk=defendant_id, parties__case__in=selectors.case_list_for_user(user)
            )
            .distinct()
            .first()
        )
        if data["defendant"] is None:
            raise NotFound(_("No such defendant among your cases."))
    return data


class IntakeView(APIView):
    """Register a minor victim and open their case in one call."""

    permission_classes = [RoleAllowed]
    roles = OFFICE

    @extend_schema(
        request=s.IntakeSerializer,
        parameters=[INTAKE_IDEMPOTENCY_HEADER],
        responses={201: s.CaseDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        key = idempotency_key(request)
        serializer = s.IntakeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        victim = data.pop("victim")
        office = _office_for(user, data.pop("office", None))
        data["parties"] = [_party_input(user, party) for party in data.pop("parties", [])]
        if "chosen_lawyer" in data:
            data["chosen_lawyer"] = Lawyer.objects.filter(pk=data["chosen_lawyer"]).first()
            if data["chosen_lawyer"] is None:
                message = _("No such lawyer.")
                raise ApplicationError(message, fields={"chosen_lawyer": [message]})
        opened: list[Case] = []

        def register() -> int:
            opened.append(
                case_services.case_intake(
                    actor=user,
                    office=office,
                    given_names=victim["given_names"],
                    family_name=victim["family_name"],
                    date_of_birth=victim["date_of_birth"],
                    national_number=victim.get("national_number"),
                    nationality=victim.get("nationality", ""),
                    victim_language=victim["language"],
                    **data,
                )
            )
            return opened[0].pk

        try:
            case_id, _created = idempotent_create(
                user_id=user.pk, scope="intake", key=key, payload=request.data, create=register
            )
        except KeyReused:
            raise Conflict(
                _("This idempotency key was already used for a different intake.")
            ) from None
        # A retry of a registered intake answers the case the first request opened.
        case = opened[0] if opened else Case.objects.get(pk=case_id)
        context = {"active_designation": selectors.case_active_designation(case)}
        return Response(
            s.CaseDetailSerializer(case, context=context).data, status=status.HTTP_201_CREATED
        )


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleViewSet):
    """Cases in the caller's scope. Reading one case's full file is recorded in the audit trail;
    a guardian gets a plain summary of their ward's case."""

    queryset = Case.objects.none()  # names the model for the schema; get_queryset scopes
    roles = EVERYONE
    roles_by_action = {
        "change_language": OFFICE,
        "close": OFFICE,
        "parties": OFFICE_AND_LAWYER,
        "notes": OFFICE_AND_LAWYER,
        "guardian_access": OFFICE_AND_LAWYER,
    }
    filterset_fields = ["status", "district", "language", "is_repeat_victimisation"]
    ordering_fields = ["intake_on", "reference", "status"]

    def get_queryset(self) -> QuerySet[Case]:
        user = _user(self.request)
        if user.role == Role.GUARDIAN:  # their summary names the district
            return selectors.case_list_for_user(user)
        return selectors.case_summaries_for_user(user)

    def get_serializer_class(self) -> type:
        # No user while the OpenAPI schema is generated: describe the staff's list.
        if getattr(self.request.user, "role", None) == Role.GUARDIAN:
            return s.GuardianCaseSummarySerializer
        return s.CaseListSerializer

    @extend_schema(
        responses=ShapeByRole(
            "CaseListItemForCaller",
            [s.CaseListSerializer, s.GuardianCaseSummarySerializer],
            many=True,
        ),
        description="Office staff, lawyers and administrators read CaseList items; a guardian "
        "reads GuardianCaseSummary items.",
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if _user(request).role != Role.GUARDIAN:
            return super().list(request, *args, **kwargs)
        cases = list(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(cases) or cases
        data = [
            s.GuardianCaseSummarySerializer(
                case, context={"active_designation": selectors.case_active_designation(case)}
            ).data
            for case in page
        ]
        return self.get_paginated_response(data)

    @extend_schema(
        responses=ShapeByRole(
            "CaseForCaller", [s.CaseDetailSerializer, s.GuardianCaseSummarySerializer]
        ),
        description="Office staff, lawyers and administrators read the CaseDetail; a guardian "
        "the GuardianCaseSummary.",
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        user = _user(request)
        if user.role == Role.GUARDIAN:
            case = selectors.case_get_for_user(user, pk)
            context = {"active_designation": selectors.case_active_designation(case)}
            case_services.case_file_read_record(actor=user, case=case, view="summary")
            return Response(s.GuardianCaseSummarySerializer(case, context=context).data)
        case, designation = selectors.case_file_get_for_user(user, pk)
        context = {"active_designation": designation}
        case_services.case_file_read_record(actor=user, case=case)
        return Response(s.CaseDetailSerializer(case, context=context).data)

    @extend_schema(request=s.LanguageChangeSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="change-language")
    def change_language(self, request: Request, pk: str) -> Response:
        user = _user(request)
        case = selectors.case_get_managed_by(user, pk)
        serializer = s.LanguageChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = case_services.case_language_change(
            actor=user, case=case, **serializer.validated_data
        )
        context = {"active_designation": selectors.case_active_designation(case)}
        return Response(s.CaseDetailSerializer(case, context=context).data)

    @extend_schema(request=s.ReasonSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """The office closes the case with a reason (409 if it is closed already)."""
        user = _user(request)
        case = selectors.case_get_managed_by(user, pk)
        serializer = s.ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case_services.case_close(actor=user, case=case, reason=serializer.validated_data["reason"])
        case = selectors.case_get_for_user(user, case.pk)
        context = {"active_designation": selectors.case_active_designation(case)}
        return Response(s.CaseDetailSerializer(case, context=context).data)

    @extend_schema(methods=["GET"], responses=s.PartySerializer(many=True))
    @extend_schema(
        methods=["POST"], request=s.PartyInputSerializer, responses={201: s.PartySerializer}
    )
    @action(detail=True, methods=["get", "post"], **PLAIN_LIST)
    def parties(self, request: Request, pk: str) -> Response:
        user = _user(request)
        case = selectors.case_get_managed_by(user, pk)
        if request.method == "POST":
            serializer = s.PartyInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            party = party_services.party_add(actor=user, case=case, **_party_input(user, data))
            party = selectors.party_list_for_case(case).get(pk=party.pk)
            return Response(s.PartySerializer(party).data, status=status.HTTP_201_CREATED)
        return Response(s.PartySerializer(selectors.party_list_for_case(case), many=True).data)

    @extend_schema(methods=["GET"], responses=s.CaseNoteSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=s.CaseNoteSerializer, responses={201: s.CaseNoteSerializer}
    )
    @action(detail=True, methods=["get", "post"], **PLAIN_LIST)
    def notes(self, request: Request, pk: str) -> Response:
        user = _user(request)
        case = selectors.case_get_managed_by(user, pk)
        if request.method == "POST":
            serializer = s.CaseNoteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            note = case_services.case_note_add(actor=user, case=case, **serializer.validated_data)
            return Response(s.CaseNoteSerializer(note).data, status=status.HTTP_201_CREATED)
        notes = selectors.note_list_for_user(user, case)
        return Response(s.CaseNoteSerializer(notes, many=True).data)

    @extend_schema(methods=["GET"], responses=s.GuardianAccessSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=s.GuardianAccessInputSerializer,
        responses={201: s.GuardianAccessSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="guardian-access", **PLAIN_LIST)
    def guardian_access(self, request: Request, pk: str) -> Response:
        user = _user(request)
        case = selectors.case_get_managed_by(user, pk)
        if request.method == "POST":
            serializer = s.GuardianAccessInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            if "guardian" in data:
                guardian = Guardian.objects.filter(
                    pk=data["guardian"],
                    accesses__case__in=selectors.case_list_for_user(user),
                ).first()
                if guardian is None:
                    raise NotFound(_("No such guardian among your cases."))
                access = guardian_services.guardian_access_grant(
                    actor=user, case=case, guardian=guardian
                )
            else:
                access = guardian_services.guardian_access_grant_new(
                    actor=user, case=case, **data["new_guardian"]
                )
            return Response(s.GuardianAccessSerializer(access).data, status=status.HTTP_201_CREATED)
        accesses = selectors.guardian_access_list_for_case(case)
        return Response(s.GuardianAccessSerializer(accesses, many=True).data)


class GuardianAccessViewSet(RoleViewSet):
    queryset = GuardianAccess.objects.none()  # names the model (and its id's type) for the schema
    roles = OFFICE_AND_LAWYER

    @extend_schema(request=s.ReasonSerializer, responses=s.GuardianAccessSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        user = _user(request)
        access = selectors.guardian_access_get_managed_by(user, pk)
        serializer = s.ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        access = guardian_services.guardian_access_revoke(
            actor=user, access=access, reason=serializer.validated_data["reason"]
        )
        return Response(s.GuardianAccessSerializer(access).data)


DESIGNATION_FOR_CALLER = (
    "Office staff and administrators read the engine's explanation "
    "(DesignationWithExplanation); a lawyer reads the Designation without it."
)


@extend_schema_view(
    list=extend_schema(
        responses=ShapeByRole(
            "DesignationForCaller",
            [s.DesignationWithExplanationSerializer, s.DesignationSerializer],
            many=True,
        ),
        description=DESIGNATION_FOR_CALLER,
    ),
    retrieve=extend_schema(
        responses=ShapeByRole(
            "DesignationForCaller",
            [s.DesignationWithExplanationSerializer, s.DesignationSerializer],
        ),
        description=DESIGNATION_FOR_CALLER,
    ),
)
class DesignationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleViewSet):
    """Designations of lawyers. Office staff propose by hand (and withdraw); the lawyer accepts
    before the deadline or declines with a reason."""

    queryset = Designation.objects.none()  # names the model for the schema; get_queryset scopes
    serializer_class = s.DesignationSerializer
    roles = OFFICE_AND_LAWYER
    roles_by_action = {
        "create": OFFICE,
        "withdraw": OFFICE,
        "accept": LAWYER,
        "decline": LAWYER,
    }
    filterset_class = DesignationFilter
    ordering_fields = ["proposed_at", "respond_by", "decided_at", "status"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.designation_list_for_user(_user(self.request)).prefetch_related("events")

    def get_object(self) -> Any:
        return selectors.designation_get_for_user(_user(self.request), self.kwargs["pk"])

    @extend_schema(
        request=s.DesignationInputSerializer,
        responses={201: s.DesignationWithExplanationSerializer},
    )
    def create(self, request: Request) -> Response:
        user = _user(request)
        serializer = s.DesignationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = selectors.case_get_managed_by(user, data["case"])
        lawyer = selectors.lawyer_for_designation(
            user, data["lawyer"], cross_district=data["cross_district"]
        )
        if lawyer is None:
            message = _("No such lawyer.")
            raise ApplicationError(message, fields={"lawyer": [message]})
        designation = designation_services.designation_propose(
            actor=user,
            case=case,
            lawyer=lawyer,
            reason=data["reason"],
            cross_district=data["cross_district"],
        )
        return Response(self._out(designation.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.DesignationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        designation = designation_services.designation_accept(
            actor=_user(request), designation=self.get_object()
        )
        return Response(self._out(designation.pk))

    @extend_schema(request=s.ReasonSerializer, responses=s.DesignationSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        designation = self.get_object()
        reason = self._reason(request)
        designation = designation_services.designation_decline(
            actor=_user(request), designation=designation, reason=reason
        )
        return Response(self._out(designation.pk))

    @extend_schema(request=s.ReasonSerializer, responses=s.DesignationWithExplanationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        designation = self.get_object()
        reason = self._reason(request)
        designation = designation_services.designation_withdraw(
            actor=_user(request), designation=designation, reason=reason
        )
        return Response(self._out(designation.pk))

    def _reason(self, request: Request) -> str:
        serializer = s.ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return str(serializer.validated_data["reason"])

    def get_serializer_class(self) -> type:
        # Only office staff and administrators read the engine's explanation. No user while the
        # OpenAPI schema is generated: describe their answer, with the explanation.
        role = getattr(self.request.user, "role", None)
        if role in OFFICE or getattr(self, "swagger_fake_view", False):
            return s.DesignationWithExplanationSerializer
        return s.DesignationSerializer

    def _out(self, pk: int) -> Any:
        return self.get_serializer_class()(self.get_queryset().get(pk=pk)).data


class EscalationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleViewSet):
    """The office's escalation queue: cases the engine could not give a lawyer, with the reasons.
    `?open=true` lists those still waiting. Resolve one by designating a lawyer by hand."""

    queryset = Escalation.objects.none()  # names the model for the schema; get_queryset scopes
    serializer_class = s.EscalationSerializer
    roles = OFFICE
    filterset_class = EscalationFilter
    ordering_fields = ["opened_at", "resolved_at"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.escalation_list_for_user(_user(self.request))

    def get_object(self) -> Any:
        return selectors.escalation_get_for_user(_user(self.request), self.kwargs["pk"])


class FairnessView(APIView):
    """Each lawyer's open load, and how designations spread over a period (count per lawyer,
    min / median / max, Gini coefficient: 0 is perfectly even)."""

    permission_classes = [RoleAllowed]
    roles = OFFICE

    @extend_schema(parameters=[s.FairnessQuerySerializer], responses=s.FairnessReportSerializer)
    def get(self, request: Request) -> Response:
        user = _user(request)
        query = s.FairnessQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        office = _office_for(user, params.get("office"))
        today = timezone.localdate()
        report = selectors.fairness_report(
            office=office,
            since=params.get("since", today - dt.timedelta(days=365)),
            until=params.get("until", today),
        )
        return Response(report)


class AuditEventViewSet(mixins.ListModelMixin, RoleViewSet):
    """The audit trail, read-only: office staff see their office's rows, administrators all."""

    queryset = AuditEvent.objects.none()  # names the model for the schema; get_queryset scopes
    serializer_class = s.AuditEventSerializer
    roles = OFFICE
    filterset_class = AuditEventFilter
    ordering_fields = ["at", "action"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.audit_list_for_user(_user(self.request))


class MeView(APIView):
    """Who the caller is and what role they act in."""

    permission_classes = [RoleAllowed]
    roles = EVERYONE

    @extend_schema(responses=s.MeSerializer)
    def get(self, request: Request) -> Response:
        user = _user(request)
        return Response(s.MeSerializer(user).data)


# --- Non-punishment records ---------------------------------------------------------------------


class NonPunishmentReferenceView(APIView):
    """The lists a non-punishment record chooses from, as they stand today: offence categories,
    indicators of exploitation, legal bases (codes are stable; labels in nl/fr/de/en)."""

    permission_classes = [RoleAllowed]
    roles = OFFICE_AND_LAWYER

    @extend_schema(responses=s.NonPunishmentReferenceSerializer)
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        lists = {
            "offence_categories": OffenceCategory.objects.valid_on(today),
            "exploitation_indicators": ExploitationIndicator.objects.valid_on(today),
            "legal_bases": NonPunishmentLegalBasis.objects.valid_on(today),
        }
        return Response(s.NonPunishmentReferenceSerializer(lists).data)


class EvidenceItemViewSet(mixins.ListModelMixin, RoleViewSet):
    """The evidence of the cases a lawyer accepted (statements, documents by their reference in
    the criminal file), for the designated lawyer alone. `?case=` narrows to one case."""

    queryset = EvidenceItem.objects.none()  # names the model for the schema; get_queryset scopes
    serializer_class = s.EvidenceItemSerializer
    roles = LAWYER
    filterset_class = EvidenceItemFilter
    ordering_fields = ["dated_on", "created_at"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.evidence_list_for_lawyer(_user(self.request))

    @extend_schema(request=s.EvidenceItemInputSerializer, responses={201: s.EvidenceItemSerializer})
    def create(self, request: Request) -> Response:
        user = _user(request)
        serializer = s.EvidenceItemInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = selectors.case_get_managed_by(user, data.pop("case"))
        item = nonpunishment_services.evidence_item_add(actor=user, case=case, **data)
        return Response(s.EvidenceItemSerializer(item).data, status=status.HTTP_201_CREATED)


class NonPunishmentRecordViewSet(mixins.ListModelMixin, RoleViewSet):
    """Offences the victim is suspected of, their link to the exploitation and the outcome.
    Lists and office staff's reads show that a record exists, its category, dates and outcome;
    the designated lawyer reads (each read audited) and writes the whole record, each step of
    its life through its own endpoint."""

    queryset = NonPunishmentRecord.objects.none()  # names the model for the schema
    roles = OFFICE_AND_LAWYER
    roles_by_action = {
        "create": LAWYER,
        "links": LAWYER,
        "requests": LAWYER,
        "decision": LAWYER,
        "assessment": LAWYER,
        "share_with_guardian": LAWYER,
        "unshare_with_guardian": LAWYER,
    }
    serializer_class = s.NonPunishmentRecordSummarySerializer
    filterset_class = NonPunishmentRecordFilter
    ordering_fields = ["committed_from", "decided_on", "created_at"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.nonpunishment_record_list_for_user(_user(self.request))

    def _whole(self, record: NonPunishmentRecord) -> Any:
        user = _user(self.request)
        return s.NonPunishmentRecordSerializer(
            selectors.nonpunishment_record_get_for_lawyer(user, record.pk)
        ).data

    def _kept(self, pk: str) -> NonPunishmentRecord:
        return selectors.nonpunishment_record_get_for_lawyer(_user(self.request), pk)

    @extend_schema(
        responses=ShapeByRole(
            "NonPunishmentRecordForCaller",
            [s.NonPunishmentRecordSerializer, s.NonPunishmentRecordSummarySerializer],
        ),
        description="The designated lawyer receives the whole record (NonPunishmentRecord); "
        "office staff and administrators the summary (NonPunishmentRecordSummary).",
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        user = _user(request)
        if user.role == Role.LAWYER:
            record = selectors.nonpunishment_record_get_for_lawyer(user, pk)
            nonpunishment_services.nonpunishment_record_read_record(actor=user, record=record)
            return Response(s.NonPunishmentRecordSerializer(record).data)
        record = selectors.nonpunishment_record_get_for_user(user, pk)
        nonpunishment_services.nonpunishment_record_read_record(
            actor=user, record=record, view="summary"
        )
        return Response(s.NonPunishmentRecordSummarySerializer(record).data)

    @extend_schema(
        request=s.NonPunishmentRecordInputSerializer,
        responses={201: s.NonPunishmentRecordSerializer},
    )
    def create(self, request: Request) -> Response:
        user = _user(request)
        serializer = s.NonPunishmentRecordInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = selectors.case_get_managed_by(user, data.pop("case"))
        record = nonpunishment_services.nonpunishment_record_create(actor=user, case=case, **data)
        return Response(self._whole(record), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ExploitationLinkInputSerializer,
        responses={201: s.NonPunishmentRecordSerializer},
    )
    @action(detail=True, methods=["post"])
    def links(self, request: Request, pk: str) -> Response:
        """Link the offence to the exploitation: an indicator, a short note, evidence ids."""
        user = _user(request)
        record = self._kept(pk)
        serializer = s.ExploitationLinkInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        wanted = set(data.pop("evidence", []))
        evidence = list(selectors.evidence_list_for_lawyer(user).filter(pk__in=wanted))
        unknown = sorted(wanted - {item.pk for item in evidence})
        if unknown:
            message = _("No such evidence: %(ids)s.") % {"ids": ", ".join(map(str, unknown))}
            raise ApplicationError(message, fields={"evidence": [message]})
        nonpunishment_services.nonpunishment_link_add(
            actor=user, record=record, evidence=evidence, **data
        )
        return Response(self._whole(record), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.NonPunishmentRequestInputSerializer,
        responses={201: s.NonPunishmentRecordSerializer},
    )
    @action(detail=True, methods=["post"])
    def requests(self, request: Request, pk: str) -> Response:
        """Record what was asked of the prosecutor or the court, when, on which legal bases."""
        user = _user(request)
        record = self._kept(pk)
        serializer = s.NonPunishmentRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        nonpunishment_services.nonpunishment_request_record(
            actor=user, record=record, **serializer.validated_data
        )
        return Response(self._whole(record), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.NonPunishmentDecisionInputSerializer,
        responses=s.NonPunishmentRecordSerializer,
    )
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk: str) -> Response:
        """Record the outcome and its date."""
        user = _user(request)
        record = self._kept(pk)
        serializer = s.NonPunishmentDecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        nonpunishment_services.nonpunishment_decision_record(
            actor=user, record=record, decision=data["decision"], decided_on=data.get("decided_on")
        )
        return Response(self._whole(record))

    @extend_schema(
        request=s.NonPunishmentAssessmentInputSerializer,
        responses=s.NonPunishmentRecordSerializer,
    )
    @action(detail=True, methods=["post"])
    def assessment(self, request: Request, pk: str) -> Response:
        """The lawyer's assessment (strong, arguable, weak) with its reasoning; privileged."""
        user = _user(request)
        record = self._kept(pk)
        serializer = s.NonPunishmentAssessmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        nonpunishment_services.nonpunishment_assessment_set(
            actor=user, record=record, **serializer.validated_data
        )
        return Response(self._whole(record))

    @extend_schema(request=None, responses=s.NonPunishmentRecordSerializer)
    @action(detail=True, methods=["post"], url_path="share-with-guardian")
    def share_with_guardian(self, request: Request, pk: str) -> Response:
        """Let the guardian read the neutral line "a legal defence is being prepared"."""
        user = _user(request)
        record = nonpunishment_services.nonpunishment_guardian_share(
            actor=user, record=self._kept(pk)
        )
        return Response(self._whole(record))

    @extend_schema(request=None, responses=s.NonPunishmentRecordSerializer)
    @action(detail=True, methods=["post"], url_path="unshare-with-guardian")
    def unshare_with_guardian(self, request: Request, pk: str) -> Response:
        user = _user(request)
        record = nonpunishment_services.nonpunishment_guardian_unshare(
            actor=user, record=self._kept(pk)
        )
        return Response(self._whole(record))


class GuardianNoticeView(APIView):
    """What a guardian reads of the non-punishment work on their ward's case: the neutral line
    "a legal defence is being prepared" in their language when the lawyer shared it, otherwise
    nothing (`notice` null)."""

    permission_classes = [RoleAllowed]
    roles = GUARDIAN

    @extend_schema(responses=s.GuardianNoticeSerializer)
    def get(self, request: Request, pk: int) -> Response:
        user = _user(request)
        case = selectors.case_get_for_user(user, pk)
        case_services.case_file_read_record(actor=user, case=case, view="guardian_notice")
        text = selectors.guardian_notice_for_case(user, case)
        return Response(
            s.GuardianNoticeSerializer(
                {
                    "notice": text.text if text else None,
                    "language": text.language_id if text else None,
                }
            ).data
        )
