"""The Django admin of the civil-claims ledger. Reference data (legal interest rates, the Indicative
Table, the state-aid rules) is edited here, each change written to the audit trail; everything
about a claim is read-only here and changes only through the services. The description and the
evidence of a head of damage (a minor's health) are not shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from legalaid.admin import AuditedAdmin, ReadOnlyAdmin

from .models import (
    Award,
    CivilClaim,
    DamageHead,
    EnforcementStep,
    IndicativeTableEdition,
    IndicativeTableRate,
    Judgment,
    LegalInterestRate,
    Payment,
    StateAidApplication,
    StateAidRule,
)

# --- Reference data (editable, audited) -------------------------------------------------------


@admin.register(LegalInterestRate)
class LegalInterestRateAdmin(AuditedAdmin):
    list_display = ["valid_from", "valid_until", "percent"]
    date_hierarchy = "valid_from"


class IndicativeTableRateInline(admin.TabularInline):
    """Shown with their edition; edited on their own page, where each change is audited."""

    model = IndicativeTableRate
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["item", "unit", "amount"]
    readonly_fields = ["item", "unit", "amount"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IndicativeTableEdition)
class IndicativeTableEditionAdmin(AuditedAdmin):
    list_display = ["code", "name", "valid_from"]
    search_fields = ["code", "name"]
    inlines = [IndicativeTableRateInline]


@admin.register(IndicativeTableRate)
class IndicativeTableRateAdmin(AuditedAdmin):
    list_display = ["edition", "item", "unit", "amount"]
    list_filter = ["edition", "unit"]
    search_fields = ["item"]


@admin.register(StateAidRule)
class StateAidRuleAdmin(AuditedAdmin):
    list_display = [
        "valid_from",
        "valid_until",
        "main_aid_ceiling",
        "emergency_aid_ceiling",
        "minimum_damage",
        "application_deadline_years",
    ]


# --- Case data (read-only) --------------------------------------------------------------------


@admin.register(CivilClaim)
class CivilClaimAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "case", "stage", "court", "constituted_on", "status"]
    list_filter = ["status", "stage"]
    search_fields = ["case__reference", "court"]
    date_hierarchy = "constituted_on"


@admin.register(DamageHead)
class DamageHeadAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "claim", "kind", "amount_claimed", "flat_rate", "quantity"]
    list_filter = ["kind", "flat_rate__edition"]
    search_fields = ["claim__case__reference"]
    fields = ["claim", "kind", "amount_claimed", "flat_rate", "quantity", "unit_amount"]


@admin.register(Judgment)
class JudgmentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "claim", "court", "given_on", "status", "appeal_due_on", "final_on"]
    list_filter = ["status", "imputation_order"]
    search_fields = ["claim__case__reference", "court", "reference"]
    date_hierarchy = "given_on"


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "judgment", "kind", "amount", "interest_kind", "interest_from"]
    list_filter = ["kind", "interest_kind"]
    search_fields = ["judgment__claim__case__reference", "description"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "judgment",
        "amount",
        "paid_on",
        "payer_kind",
        "destination",
        "reverses",
        "recorded_by",
    ]
    list_filter = ["payer_kind", "destination"]
    search_fields = ["judgment__claim__case__reference", "reference", "idempotency_key"]
    date_hierarchy = "paid_on"


@admin.register(StateAidApplication)
class StateAidApplicationAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "claim",
        "kind",
        "filed_on",
        "amount_requested",
        "amount_granted",
        "amount_paid",
        "status",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["claim__case__reference", "reference"]
    date_hierarchy = "filed_on"


@admin.register(EnforcementStep)
class EnforcementStepAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "claim", "debtor", "kind", "taken_on", "outcome_on"]
    list_filter = ["kind"]
    search_fields = ["claim__case__reference", "reference"]
    date_hierarchy = "taken_on"
