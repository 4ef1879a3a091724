"""The floor of benchmarks/api_load.py: bare Django views that answer the same rows as the API's
three measured endpoints, read with `.values()` and returned by `JsonResponse`. No DRF, no
authentication or scope, no serializer, no audit row, no arithmetic: what it costs this Django,
behind the same middleware and served by the same gunicorn, to read those rows and send them.

This module is the URLconf of benchmarks/_api_settings.py: the floor's URLs, then the project's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import path

from claims.models import Award, CivilClaim, Judgment, LegalInterestRate, Payment
from config.urls import urlpatterns as project_urlpatterns
from legalaid.models import ACTIVE_DESIGNATION_STATUSES, Case, Designation, Matter

# The fields of the API's case list (legalaid.api.serializers.CaseListSerializer).
LIST_FIELDS = ("id", "reference", "victim__pseudonym", "district_id", "language_id", "status",
               "intake_on", "is_repeat_victimisation", "adult_at_intake")  # fmt: skip
# The fields of the API's case detail (CaseDetailSerializer, VictimSerializer).
DETAIL_FIELDS = ("id", "reference", "office_id", "district_id", "language_id",
                 "language_change_reason", "status", "intake_on", "facts_started_on",
                 "closed_on", "close_reason", "prosecutor_notice_number", "investigating_judge",
                 "court", "adult_at_intake", "adult_at_intake_reason", "is_repeat_victimisation",
                 "created_at", "updated_at", "victim__pseudonym", "victim__given_names",
                 "victim__family_name", "victim__date_of_birth", "victim__national_number",
                 "victim__nationality", "victim__language_id",
                 "victim__earlier_record__pseudonym")  # fmt: skip
AWARD_FIELDS = ("id", "judgment_id", "kind", "amount", "interest_kind", "interest_from",
                "fixed_percent")  # fmt: skip
DESIGNATION_FIELDS = ("id", "lawyer_id", "lawyer__given_name", "lawyer__family_name", "status",
                      "method", "proposed_at", "respond_by")  # fmt: skip


def case_list(request: HttpRequest, office: int) -> JsonResponse:
    """A page of the office's cases, newest intake first (the API's order), with the count."""
    size = int(request.GET.get("page_size", 50))
    page = int(request.GET.get("page", 1))
    cases = Case.objects.filter(office_id=office).order_by("-intake_on", "-id")
    rows = list(cases.values(*LIST_FIELDS)[(page - 1) * size : page * size])
    return JsonResponse({"count": cases.count(), "results": rows})


def case_detail(request: HttpRequest, pk: int) -> JsonResponse:
    """The case with its victim, its matters and its active designation."""
    case: dict[str, Any] = Case.objects.filter(pk=pk).values(*DETAIL_FIELDS).get()
    case["matters"] = list(Matter.objects.filter(cases=pk).values_list("code", flat=True))
    case["active_designation"] = (
        Designation.objects.filter(case_id=pk, status__in=ACTIVE_DESIGNATION_STATUSES)
        .values(*DESIGNATION_FIELDS)
        .first()
    )
    return JsonResponse(case)


def claim_balances(request: HttpRequest, pk: int) -> JsonResponse:
    """The rows a claim's balances are computed from: its judgments, their awards and the
    awards' debtors, the payments, and the legal-rate table (not the computation itself)."""
    as_of = dt.date.fromisoformat(request.GET["as_of"])
    claim = CivilClaim.objects.filter(pk=pk).values("id", "case_id").get()
    judgments = Judgment.objects.filter(claim_id=pk, given_on__lte=as_of)
    awards = Award.objects.filter(judgment__in=judgments).order_by("id")
    payments = Payment.objects.filter(judgment__in=judgments, paid_on__lte=as_of)
    body = {
        **claim,
        "as_of": as_of,
        "judgments": list(
            judgments.order_by("given_on", "id").values(
                "id", "status", "given_on", "appealed_on", "imputation_order", "day_count"
            )
        ),
        "awards": list(awards.values(*AWARD_FIELDS)),
        "debtors": list(
            Award.debtors.through.objects.filter(award__in=awards).values_list(
                "award_id", "party_id"
            )
        ),
        "payments": list(
            payments.order_by("paid_on", "id").values(
                "id", "judgment_id", "paid_on", "amount", "payer_party_id", "reverses_id"
            )
        ),
        "rates": list(
            LegalInterestRate.objects.order_by("valid_from").values(
                "valid_from", "valid_until", "percent"
            )
        ),
    }
    return JsonResponse(body)


urlpatterns: list[object] = [
    path("floor/offices/<int:office>/cases/", case_list, name="floor-case-list"),
    path("floor/cases/<int:pk>/", case_detail, name="floor-case-detail"),
    path("floor/claims/<int:pk>/balances/", claim_balances, name="floor-claim-balances"),
    *project_urlpatterns,
]
