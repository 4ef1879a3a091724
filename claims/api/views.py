"""Thin API views of the civil-claims ledger: check the form, reach the object through the
actor's scope (`claims.selectors`, 404 outside it), call one service or selector, serialise.

Who may do what: the lawyer who accepted the case's designation reads and writes; office staff
of the case's office and administrators read; a guardian reads only the totals awarded and
received for their ward's case (`/cases/{id}/compensation/`). Every read of claim data is
recorded in the audit trail as a read of the victim's file."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from legalaid import selectors as legalaid_selectors
from legalaid.api.permissions import EVERYONE, LAWYER, OFFICE_AND_LAWYER, RoleAllowed
from legalaid.errors import ApplicationError
from legalaid.models import Case, Party, Role, User
from legalaid.services.cases import case_file_read_record

from .. import selectors
from ..models import CivilClaim, DamageHead, Payment, StateAidApplication
from ..services import claims as claim_services
from ..services import judgments as judgment_services
from ..services import payments as payment_services
from ..services import recovery as recovery_services
from . import serializers as s

IDEMPOTENCY_HEADER = "Idempotency-Key"
# Printable ASCII without spaces, 1 to 100 characters (a UUID is a good choice).
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,100}")


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _valid(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _refuse(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, fields={field: [message]})


def _parties(case: Case, ids: list[int], field: str, message: str) -> list[Party]:
    """The case's parties with these ids; an id outside the case is refused (400), whether or
    not it exists elsewhere."""
    parties = list(Party.objects.filter(case=case, pk__in=ids))
    if len(parties) != len(set(ids)):
        raise _refuse(field, message)
    return parties


def _read(request: Request, case: Case, view: str) -> None:
    case_file_read_record(actor=_user(request), case=case, view=view)


class ClaimsView(APIView):
    """GET reads; POST (and other writes) only for the designated lawyer."""

    permission_classes = [RoleAllowed]
    roles: frozenset[str] = OFFICE_AND_LAWYER
    roles_by_action: dict[str, frozenset[str]] = {"post": LAWYER}

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.action = request.method.lower() if request.method else None
        super().initial(request, *args, **kwargs)


money_header = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Any printable ASCII string without spaces, at most 100 characters (a UUID). "
    "A retry with the same key and body records nothing more and answers the same body; the "
    "same key with another body answers 409.",
)


def _idempotency_key(request: Request) -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        raise _refuse(
            IDEMPOTENCY_HEADER,
            _("The Idempotency-Key header must be 1 to 100 printable characters without spaces."),
        )
    return key


# --- Claims of a case -----------------------------------------------------------------------------


class CaseClaimsView(ClaimsView):
    @extend_schema(responses=s.ClaimSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        case = selectors.claim_case_get_for_user(_user(request), pk)
        _read(request, case, "claims")
        return Response(s.ClaimSerializer(selectors.claim_list_for_case(case), many=True).data)

    @extend_schema(request=s.ClaimConstituteSerializer, responses={201: s.ClaimDetailSerializer})
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        case = selectors.claim_case_get_for_user(user, pk)
        data = _valid(s.ClaimConstituteSerializer, request.data)
        data["defendants"] = _parties(
            case,
            data["defendants"],
            "defendants",
            _("Every defendant must be a party in this case."),
        )
        claim = claim_services.claim_constitute(actor=user, case=case, **data)
        return Response(_claim_detail(claim.pk), status=status.HTTP_201_CREATED)


def _claim_detail(pk: int) -> Any:
    return s.ClaimDetailSerializer(selectors.claim_with_details(pk)).data


class CaseCompensationView(ClaimsView):
    """The totals awarded and received over the case's claims: the only claim data a guardian
    sees (no debtors, no amounts per debtor)."""

    roles = EVERYONE
    roles_by_action = {}

    @extend_schema(parameters=[s.BalanceQuerySerializer], responses=s.CompensationSummarySerializer)
    def get(self, request: Request, pk: int) -> Response:
        user = _user(request)
        if user.role == Role.GUARDIAN:
            case = legalaid_selectors.case_get_for_user(user, pk)
        else:
            case = selectors.claim_case_get_for_user(user, pk)
        as_of = _valid(s.BalanceQuerySerializer, request.query_params).get("as_of") or _today()
        summary = selectors.case_compensation_summary(case, as_of=as_of)
        _read(request, case, "compensation_summary")
        return Response(
            s.CompensationSummarySerializer(
                {
                    "case": case.pk,
                    "as_of": summary.as_of,
                    "awarded": summary.awarded,
                    "received": summary.received,
                }
            ).data
        )


def _today() -> dt.date:
    return timezone.localdate()


# --- One claim ------------------------------------------------------------------------------------


class ClaimDetailView(ClaimsView):
    @extend_schema(responses=s.ClaimDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_get_for_user(_user(request), pk)
        _read(request, claim.case, "claim")
        return Response(_claim_detail(claim.pk))


class ClaimFileView(ClaimsView):
    roles = LAWYER

    @extend_schema(request=s.ClaimFileSerializer, responses=s.ClaimDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        claim = selectors.claim_get_for_user(user, pk)
        data = _valid(s.ClaimFileSerializer, request.data)
        claim = claim_services.claim_file(actor=user, claim=claim, **data)
        return Response(_claim_detail(claim.pk))


class ClaimStatusChangeView(ClaimsView):
    roles = LAWYER

    @extend_schema(request=s.ClaimStatusChangeSerializer, responses=s.ClaimDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        claim = selectors.claim_get_for_user(user, pk)
        data = _valid(s.ClaimStatusChangeSerializer, request.data)
        claim = claim_services.claim_status_change(actor=user, claim=claim, **data)
        return Response(_claim_detail(claim.pk))


class DamageHeadsView(ClaimsView):
    @extend_schema(responses=s.DamageHeadSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_get_for_user(_user(request), pk)
        _read(request, claim.case, "claim_damage_heads")
        heads = selectors.damage_head_list_for_claim(claim)
        return Response(s.DamageHeadSerializer(heads, many=True).data)

    @extend_schema(request=s.DamageHeadInputSerializer, responses={201: s.DamageHeadSerializer})
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        claim = selectors.claim_get_for_user(user, pk)
        data = _valid(s.DamageHeadInputSerializer, request.data)
        head = claim_services.damage_head_add(actor=user, claim=claim, **data)
        head = selectors.damage_head_list_for_claim(claim).get(pk=head.pk)
        return Response(s.DamageHeadSerializer(head).data, status=status.HTTP_201_CREATED)


class JudgmentsView(ClaimsView):
    @extend_schema(responses=s.JudgmentSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_get_for_user(_user(request), pk)
        _read(request, claim.case, "claim_judgments")
        judgments = selectors.judgment_list_for_claim(claim)
        return Response(s.JudgmentSerializer(judgments, many=True).data)

    @extend_schema(request=s.JudgmentInputSerializer, responses={201: s.JudgmentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        claim = selectors.claim_get_for_user(user, pk)
        data = _valid(s.JudgmentInputSerializer, request.data)
        judgment = judgment_services.judgment_record(actor=user, claim=claim, **data)
        return Response(_judgment(judgment.pk), status=status.HTTP_201_CREATED)


def _judgment(pk: int) -> Any:
    return s.JudgmentSerializer(selectors.judgment_with_awards(pk)).data


class BalancesView(ClaimsView):
    @extend_schema(parameters=[s.BalanceQuerySerializer], responses=s.LedgerSerializer)
    def get(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_get_for_user(_user(request), pk)
        query = _valid(s.BalanceQuerySerializer, request.query_params)
        as_of = query.get("as_of") or _today()
        try:
            counted = selectors.claim_ledger_with_awards(claim, as_of=as_of)
        except ApplicationError as error:
            error.fields = error.fields or {"as_of": [error.message]}
            raise
        _read(request, claim.case, "claim_balances")
        return Response(s.LedgerSerializer(ledger_fields(claim, counted)).data)


def ledger_fields(claim: CivilClaim, counted: selectors.ClaimLedger) -> dict[str, Any]:
    """The balances with each award's judgment, kind and debtors, and each debtor's role in the
    case, from the awards the ledger read (nothing read again), for `LedgerSerializer`."""
    balances = counted.ledger
    awards = {award.pk: award for award in counted.awards}
    debtors = {award.pk: sorted(p.pk for p in award.debtors.all()) for award in counted.awards}
    roles = {p.pk: p.role for award in counted.awards for p in award.debtors.all()}
    return {
        "claim": claim.pk,
        "as_of": balances.as_of,
        "totals": balances.totals,
        "awards": [
            _balance_row(balance)
            | {
                "award": award_id,
                "judgment": awards[award_id].judgment_id,
                "kind": awards[award_id].kind,
                "debtors": debtors[award_id],
            }
            for award_id, balance in balances.awards.items()
        ],
        "debtors": [
            {
                "debtor": debtor.debtor,
                "role": roles.get(debtor.debtor, ""),
                "award_ids": list(debtor.award_ids),
                "outstanding": debtor.outstanding,
                "outstanding_costs": debtor.outstanding_costs,
                "outstanding_interest": debtor.outstanding_interest,
                "outstanding_principal": debtor.outstanding_principal,
                "paid": debtor.paid,
                "credit": debtor.credit,
            }
            for debtor in balances.debtors.values()
        ],
        "interest_lines": balances.interest_lines,
        "received": balances.received,
        "credit": balances.credit,
        "received_from_other_sources": balances.received_from_other_sources,
    }


def _balance_row(balance: Any) -> dict[str, Decimal]:
    return {name: getattr(balance, name) for name in s.BALANCE_NAMES}


# --- Judgments, awards, payments ------------------------------------------------------------------


class JudgmentDetailView(ClaimsView):
    @extend_schema(responses=s.JudgmentSerializer)
    def get(self, request: Request, pk: int) -> Response:
        judgment = selectors.judgment_get_for_user(_user(request), pk)
        _read(request, judgment.claim.case, "claim_judgment")
        return Response(_judgment(judgment.pk))


class JudgmentStatusChangeView(ClaimsView):
    roles = LAWYER

    @extend_schema(request=s.JudgmentStatusChangeSerializer, responses=s.JudgmentSerializer)
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        judgment = selectors.judgment_get_for_user(user, pk)
        data = _valid(s.JudgmentStatusChangeSerializer, request.data)
        judgment = judgment_services.judgment_status_change(actor=user, judgment=judgment, **data)
        return Response(_judgment(judgment.pk))


class AwardsView(ClaimsView):
    @extend_schema(responses=s.AwardSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        judgment = selectors.judgment_get_for_user(_user(request), pk)
        _read(request, judgment.claim.case, "claim_awards")
        awards = selectors.award_list_for_judgment(judgment)
        return Response(s.AwardSerializer(awards, many=True).data)

    @extend_schema(request=s.AwardInputSerializer, responses={201: s.AwardSerializer})
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        judgment = selectors.judgment_get_for_user(user, pk)
        data = _valid(s.AwardInputSerializer, request.data)
        data["debtors"] = _parties(
            judgment.claim.case,
            data["debtors"],
            "debtors",
            _("Every debtor must be a party (defendant) in this case."),
        )
        head_id = data.pop("damage_head", None)
        if head_id is not None:
            head = DamageHead.objects.filter(pk=head_id, claim_id=judgment.claim_id).first()
            if head is None:
                raise _refuse("damage_head", _("No such head of damage in this claim."))
            data["damage_head"] = head
        award = judgment_services.award_record(actor=user, judgment=judgment, **data)
        award = selectors.award_list_for_judgment(judgment).get(pk=award.pk)
        return Response(s.AwardSerializer(award).data, status=status.HTTP_201_CREATED)


class PaymentsView(ClaimsView):
    @extend_schema(responses=s.PaymentSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        judgment = selectors.judgment_get_for_user(_user(request), pk)
        _read(request, judgment.claim.case, "claim_payments")
        payments = selectors.payment_list_for_judgment(judgment)
        return Response(s.PaymentSerializer(payments, many=True).data)

    @extend_schema(
        request=s.PaymentInputSerializer,
        parameters=[money_header],
        responses={201: s.PaymentSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        judgment = selectors.judgment_get_for_user(user, pk)
        key = _idempotency_key(request)
        data = _valid(s.PaymentInputSerializer, request.data)
        case = judgment.claim.case
        party_id = data.pop("payer_party", None)
        if party_id is not None:
            data["payer_party"] = _parties(
                case,
                [party_id],
                "payer_party",
                _("No such debtor among the parties of this case."),
            )[0]
        application_id = data.pop("state_aid_application", None)
        if application_id is not None:
            application = StateAidApplication.objects.filter(
                pk=application_id, claim_id=judgment.claim_id
            ).first()
            if application is None:
                raise _refuse("state_aid_application", _("No such aid application in this claim."))
            data["state_aid_application"] = application
        payment = payment_services.payment_record(
            actor=user, judgment=judgment, idempotency_key=key, **data
        )
        return Response(_payment(payment.pk), status=status.HTTP_201_CREATED)


def _payment(pk: int) -> Any:
    return s.PaymentSerializer(Payment.objects.select_related("reversal").get(pk=pk)).data


class PaymentReverseView(ClaimsView):
    roles = LAWYER

    @extend_schema(
        request=s.PaymentReverseSerializer,
        parameters=[money_header],
        responses={201: s.PaymentSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        payment = selectors.payment_get_for_user(user, pk)
        key = _idempotency_key(request)
        data = _valid(s.PaymentReverseSerializer, request.data)
        reversal = payment_services.payment_reverse(
            actor=user, payment=payment, idempotency_key=key, **data
        )
        return Response(_payment(reversal.pk), status=status.HTTP_201_CREATED)


# --- State aid and enforcement --------------------------------------------------------------------


class StateAidEligibilityView(ClaimsView):
    @extend_schema(parameters=[s.BalanceQuerySerializer], responses=s.StateAidEligibilitySerializer)
    def get(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_get_for_user(_user(request), pk)
        as_of = _valid(s.BalanceQuerySerializer, request.query_params).get("as_of") or _today()
        eligibility = selectors.claim_state_aid_eligibility(claim, as_of=as_of)
        _read(request, claim.case, "claim_state_aid_eligibility")
        return Response(s.StateAidEligibilitySerializer(eligibility).data)


class StateAidApplicationsView(ClaimsView):
    @extend_schema(responses=s.StateAidApplicationSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_get_for_user(_user(request), pk)
        _read(request, claim.case, "claim_state_aid")
        applications = selectors.state_aid_application_list_for_claim(claim)
        return Response(s.StateAidApplicationSerializer(applications, many=True).data)

    @extend_schema(
        request=s.StateAidApplyInputSerializer, responses={201: s.StateAidApplicationSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        claim = selectors.claim_get_for_user(user, pk)
        data = _valid(s.StateAidApplyInputSerializer, request.data)
        application = recovery_services.state_aid_apply(actor=user, claim=claim, **data)
        return Response(
            s.StateAidApplicationSerializer(application).data, status=status.HTTP_201_CREATED
        )


class StateAidDecisionView(ClaimsView):
    roles = LAWYER

    @extend_schema(request=s.StateAidDecisionSerializer, responses=s.StateAidApplicationSerializer)
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        application = selectors.state_aid_application_get_for_user(user, pk)
        data = _valid(s.StateAidDecisionSerializer, request.data)
        application = recovery_services.state_aid_decision_record(
            actor=user, application=application, **data
        )
        return Response(s.StateAidApplicationSerializer(application).data)


class StateAidPaymentView(ClaimsView):
    roles = LAWYER

    @extend_schema(request=s.StateAidPaymentSerializer, responses=s.StateAidApplicationSerializer)
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        application = selectors.state_aid_application_get_for_user(user, pk)
        data = _valid(s.StateAidPaymentSerializer, request.data)
        application = recovery_services.state_aid_payment_record(
            actor=user, application=application, **data
        )
        return Response(s.StateAidApplicationSerializer(application).data)


class EnforcementStepsView(ClaimsView):
    @extend_schema(responses=s.EnforcementStepSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        claim = selectors.claim_get_for_user(_user(request), pk)
        _read(request, claim.case, "claim_enforcement")
        steps = selectors.enforcement_step_list_for_claim(claim)
        return Response(s.EnforcementStepSerializer(steps, many=True).data)

    @extend_schema(
        request=s.EnforcementStepInputSerializer, responses={201: s.EnforcementStepSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        claim = selectors.claim_get_for_user(user, pk)
        data = _valid(s.EnforcementStepInputSerializer, request.data)
        data["debtor"] = _parties(
            claim.case,
            [data["debtor"]],
            "debtor",
            _("The debtor must be a party (defendant) in this case."),
        )[0]
        step = recovery_services.enforcement_step_add(actor=user, claim=claim, **data)
        return Response(s.EnforcementStepSerializer(step).data, status=status.HTTP_201_CREATED)


class EnforcementOutcomeView(ClaimsView):
    roles = LAWYER

    @extend_schema(request=s.EnforcementOutcomeSerializer, responses=s.EnforcementStepSerializer)
    def post(self, request: Request, pk: int) -> Response:
        user = _user(request)
        step = selectors.enforcement_step_get_for_user(user, pk)
        data = _valid(s.EnforcementOutcomeSerializer, request.data)
        step = recovery_services.enforcement_step_outcome_record(actor=user, step=step, **data)
        return Response(s.EnforcementStepSerializer(step).data)
