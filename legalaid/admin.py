"""The Django admin. Reference data (districts, their languages, matters, languages, offices) is
edited here, each change written to the audit trail. Case files are read-only here — they change
only through the services behind the API — and identity data is never shown, in lists or forms."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.http import HttpRequest

from .audit import audit_record, changes_between, snapshot
from .models import (
    AuditEvent,
    Bar,
    Case,
    CaseNote,
    CourtOfAppeal,
    Defendant,
    DefendantAlias,
    Designation,
    DesignationEvent,
    District,
    DistrictLanguage,
    EvidenceItem,
    ExploitationIndicator,
    Guardian,
    GuardianAccess,
    GuardianNoticeText,
    Language,
    Lawyer,
    LeavePeriod,
    LegalAidOffice,
    Matter,
    NonPunishmentLegalBasis,
    NonPunishmentRecord,
    OffenceCategory,
    Party,
    User,
    Victim,
)


class AuditedAdmin(admin.ModelAdmin):
    """Editable reference data: every save and delete leaves an audit row (same transaction)."""

    def _fields(self, obj: models.Model) -> list[str]:
        return [f.name for f in obj._meta.concrete_fields if f.name != "id"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = snapshot(type(obj).objects.get(pk=obj.pk), self._fields(obj)) if change else {}
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user if isinstance(request.user, User) else None,
            action=f"{obj._meta.model_name}.{'update' if change else 'create'}",
            target=obj,
            changes=changes_between(before, snapshot(obj, self._fields(obj))),
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (a district's languages) are audited like the page's own object."""
        actor = request.user if isinstance(request.user, User) else None
        # Fresh from the database: the forms have already written their data onto the instances.
        ids = [f.instance.pk for f in formset.forms if f.instance.pk is not None]
        before = {
            obj.pk: snapshot(obj, self._fields(obj))
            for obj in formset.model.objects.filter(pk__in=ids)
        }
        for deleted in formset.deleted_forms:  # recorded before the row and its id are gone
            obj = deleted.instance
            if obj.pk is not None:
                audit_record(
                    actor=actor,
                    action=f"{obj._meta.model_name}.delete",
                    target=obj,
                    changes=changes_between(before.get(obj.pk, {}), {}),
                )
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects + [obj for obj, _ in formset.changed_objects]:
            audit_record(
                actor=actor,
                action=f"{obj._meta.model_name}.{'update' if obj.pk in before else 'create'}",
                target=obj,
                changes=changes_between(before.get(obj.pk, {}), snapshot(obj, self._fields(obj))),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(
            actor=request.user if isinstance(request.user, User) else None,
            action=f"{obj._meta.model_name}.delete",
            target=obj,
            changes=changes_between(snapshot(obj, self._fields(obj)), {}),
        )
        super().delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Case data: visible to administrators, changed only through the services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DistrictLanguageInline(admin.TabularInline):
    model = DistrictLanguage
    extra = 0


@admin.register(District)
class DistrictAdmin(AuditedAdmin):
    list_display = ["code", "name_nl", "name_fr", "court_of_appeal"]
    list_filter = ["court_of_appeal"]
    search_fields = ["code", "name_nl", "name_fr", "name_de"]
    inlines = [DistrictLanguageInline]


@admin.register(DistrictLanguage)
class DistrictLanguageAdmin(AuditedAdmin):
    list_display = ["district", "language", "is_default", "valid_from", "valid_until"]
    list_filter = ["language", "is_default"]
    search_fields = ["district__name_nl", "district__name_fr"]


@admin.register(Language)
class LanguageAdmin(AuditedAdmin):
    list_display = ["code", "name", "proceedings"]
    list_filter = ["proceedings"]
    search_fields = ["code", "name"]


@admin.register(CourtOfAppeal)
class CourtOfAppealAdmin(AuditedAdmin):
    list_display = ["code", "name_nl", "name_fr"]
    search_fields = ["name_nl", "name_fr"]


@admin.register(Matter)
class MatterAdmin(AuditedAdmin):
    list_display = ["code", "name", "section"]
    search_fields = ["code", "name"]


@admin.register(Bar)
class BarAdmin(AuditedAdmin):
    list_display = ["name", "district"]
    list_filter = ["district"]
    search_fields = ["name"]


@admin.register(LegalAidOffice)
class LegalAidOfficeAdmin(AuditedAdmin):
    list_display = ["name", "bar", "acceptance_deadline_hours"]
    search_fields = ["name", "bar__name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "role", "office", "is_active", "last_login"]
    list_filter = ["role", "office", "is_active"]
    search_fields = ["username"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Role", {"fields": ("role", "office")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Role", {"fields": ("role", "office")}),
    )


class LeavePeriodInline(admin.TabularInline):
    model = LeavePeriod
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Lawyer)
class LawyerAdmin(ReadOnlyAdmin):
    list_display = ["family_name", "given_name", "bar", "capacity", "youth_certified", "active"]
    list_filter = ["bar", "active", "youth_certified", "districts", "languages", "matters"]
    search_fields = ["family_name", "given_name", "email"]
    inlines = [LeavePeriodInline]


@admin.register(LeavePeriod)
class LeavePeriodAdmin(ReadOnlyAdmin):
    list_display = ["lawyer", "starts_on", "ends_on"]
    list_filter = ["starts_on"]
    search_fields = ["lawyer__family_name"]


@admin.register(Victim)
class VictimAdmin(ReadOnlyAdmin):
    list_display = ["pseudonym", "language", "created_at"]
    list_filter = ["language"]
    search_fields = ["pseudonym"]
    fields = ["pseudonym", "language", "earlier_record", "created_at"]


@admin.register(Guardian)
class GuardianAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "relationship", "preferred_language"]
    list_filter = ["relationship", "preferred_language"]
    fields = ["relationship", "preferred_language", "user", "created_at"]


@admin.register(GuardianAccess)
class GuardianAccessAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "case", "granted_at", "ends_on", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["case__reference"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "victim", "office", "district", "language", "status", "intake_on"]
    list_filter = ["status", "district", "language", "office", "is_repeat_victimisation"]
    search_fields = ["reference", "victim__pseudonym", "prosecutor_notice_number"]
    date_hierarchy = "intake_on"


@admin.register(CaseNote)
class CaseNoteAdmin(ReadOnlyAdmin):
    """Shows that notes exist, never their text: privileged notes are the lawyer's secret."""

    list_display = ["__str__", "case", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["case__reference"]
    fields = ["case", "kind", "author", "created_at"]


@admin.register(Defendant)
class DefendantAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "created_at"]
    fields = ["created_at"]


@admin.register(DefendantAlias)
class DefendantAliasAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "defendant", "kind"]
    list_filter = ["kind"]
    fields = ["defendant", "kind"]


@admin.register(Party)
class PartyAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "case", "role", "represented_by"]
    list_filter = ["role"]
    search_fields = ["case__reference"]


class DesignationEventInline(admin.TabularInline):
    model = DesignationEvent
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Designation)
class DesignationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "case", "lawyer", "status", "method", "proposed_at", "respond_by"]
    list_filter = ["status", "method"]
    search_fields = ["case__reference", "lawyer__family_name"]
    inlines = [DesignationEventInline]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_id", "case_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "target_id"]
    date_hierarchy = "at"


# --- Non-punishment records -------------------------------------------------------------------


class NonPunishmentListAdmin(AuditedAdmin):
    """The lists a record chooses from. End an entry's period rather than renaming its code:
    statistics count by code."""

    list_display = ["code", "label_en", "label_nl", "label_fr", "valid_from", "valid_until"]
    search_fields = ["code", "label_en", "label_nl", "label_fr", "label_de"]
    ordering = ["position", "code"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("code",) if obj is not None else ()


@admin.register(OffenceCategory)
class OffenceCategoryAdmin(NonPunishmentListAdmin):
    pass


@admin.register(ExploitationIndicator)
class ExploitationIndicatorAdmin(NonPunishmentListAdmin):
    pass


@admin.register(NonPunishmentLegalBasis)
class NonPunishmentLegalBasisAdmin(NonPunishmentListAdmin):
    pass


@admin.register(GuardianNoticeText)
class GuardianNoticeTextAdmin(AuditedAdmin):
    list_display = ["code", "language", "text", "valid_from", "valid_until"]
    list_filter = ["code", "language"]


@admin.register(NonPunishmentRecord)
class NonPunishmentRecordAdmin(ReadOnlyAdmin):
    """That a record exists, its category, dates and outcome; never the description, the
    proceeding reference, the assessment, the indicators or the requests (the lawyer's secret)."""

    list_display = ["__str__", "case", "category", "committed_from", "committed_until",
                    "decision", "decided_on"]  # fmt: skip
    list_filter = ["category", "decision"]
    search_fields = ["case__reference"]
    fields = ["case", "category", "committed_from", "committed_until", "decision", "decided_on",
              "created_at"]  # fmt: skip


@admin.register(EvidenceItem)
class EvidenceItemAdmin(ReadOnlyAdmin):
    """That evidence was registered, never what it is."""

    list_display = ["__str__", "case", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["case__reference"]
    fields = ["case", "kind", "created_at"]
