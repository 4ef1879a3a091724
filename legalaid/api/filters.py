"""Filters on scoped lists. A filter naming another object (a case, a lawyer, a user) takes a plain
id. A model choice filter would check the id against every row in the database, so it would answer
400 for a missing id but an empty 200 for one outside the caller's scope, telling the two apart.
The browsable API's filter form would also list every row there is (every case reference, every
lawyer, every username) as its choices."""

from __future__ import annotations

from typing import Any

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from ..models import AuditEvent, Designation, Escalation, EvidenceItem, NonPunishmentRecord
from .serializers import MAX_ID


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """An object's id: a whole number from 1 to the largest 64-bit id (400 otherwise). A larger
    number names nothing, and would overflow the database's integer in the query."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class DesignationFilter(filters.FilterSet):
    case = IdFilter(field_name="case_id")
    lawyer = IdFilter(field_name="lawyer_id")

    class Meta:
        model = Designation
        fields = ["status", "method", "case", "lawyer"]


class EscalationFilter(filters.FilterSet):
    case = IdFilter(field_name="case_id")
    open = filters.BooleanFilter(
        field_name="resolved_at", lookup_expr="isnull", label="Still waiting for a lawyer."
    )

    class Meta:
        model = Escalation
        fields = ["case", "open"]


class AuditEventFilter(filters.FilterSet):
    actor = IdFilter(field_name="actor_id")
    case_id = IdFilter(field_name="case_id")

    class Meta:
        model = AuditEvent
        fields = ["action", "case_id", "target_type", "actor"]


class NonPunishmentRecordFilter(filters.FilterSet):
    case = IdFilter(field_name="case_id")
    category = filters.CharFilter(field_name="category_id")

    class Meta:
        model = NonPunishmentRecord
        fields = ["case", "category", "decision"]


class EvidenceItemFilter(filters.FilterSet):
    case = IdFilter(field_name="case_id")

    class Meta:
        model = EvidenceItem
        fields = ["case", "kind"]
