"""Filters on scoped lists. A filter naming another object (a case, a lawyer, a user) takes a plain
id. A model choice filter would check the id against every row in the database, so it would answer
400 for a missing id but an empty 200 for one outside the caller's scope, telling the two apart.
The browsable API's filter form would also list every row there is (every case reference, every
lawyer, every username) as its choices."""

from __future__ import annotations

from django_filters import rest_framework as filters

from ..models import AuditEvent, Designation, Escalation, EvidenceItem, NonPunishmentRecord


class DesignationFilter(filters.FilterSet):
    case = filters.NumberFilter(field_name="case_id")
    lawyer = filters.NumberFilter(field_name="lawyer_id")

    class Meta:
        model = Designation
        fields = ["status", "method", "case", "lawyer"]


class EscalationFilter(filters.FilterSet):
    case = filters.NumberFilter(field_name="case_id")
    open = filters.BooleanFilter(
        field_name="resolved_at", lookup_expr="isnull", label="Still waiting for a lawyer."
    )

    class Meta:
        model = Escalation
        fields = ["case", "open"]


class AuditEventFilter(filters.FilterSet):
    actor = filters.NumberFilter(field_name="actor_id")

    class Meta:
        model = AuditEvent
        fields = ["action", "case_id", "target_type", "actor"]


class NonPunishmentRecordFilter(filters.FilterSet):
    case = filters.NumberFilter(field_name="case_id")
    category = filters.CharFilter(field_name="category_id")

    class Meta:
        model = NonPunishmentRecord
        fields = ["case", "category", "decision"]


class EvidenceItemFilter(filters.FilterSet):
    case = filters.NumberFilter(field_name="case_id")

    class Meta:
        model = EvidenceItem
        fields = ["case", "kind"]
