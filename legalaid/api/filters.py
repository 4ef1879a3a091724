"""Filters on scoped lists. A filter naming another object (a case, a lawyer, a user) takes a plain
id. A model choice filter would check the id against every row in the database, so it would answer
400 for a missing id but an empty 200 for one outside the caller's scope, telling the two apart.
The browsable API's filter form would also list every row there is (every case reference, every
lawyer, every username) as its choices."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.widgets import BooleanWidget
from drf_spectacular.utils import extend_schema_field

from ..models import AuditEvent, Designation, Escalation, EvidenceItem, NonPunishmentRecord
from .serializers import MAX_ID


class StrictBooleanWidget(BooleanWidget):
    """django-filter's widget reads anything but true/false/1/0 as "no filter" (`?open=-5442`
    listed everything); this one hands such a value on, for the field to refuse."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        known = super().value_from_datadict(data, files, name)
        raw = data.get(name)
        return raw if known is None and raw not in (None, "") else known


class StrictBooleanField(forms.NullBooleanField):
    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if isinstance(value, str):  # what the widget did not know
            raise ValidationError(_("Use true or false."), code="invalid")
        return value if isinstance(value, bool) else None

    def validate(self, value: Any) -> None:
        pass


class StrictBooleanFilter(filters.BooleanFilter):
    """A yes/no filter: true, false, 1 or 0 (400 otherwise); absent or empty: no filter."""

    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", StrictBooleanWidget)
        super().__init__(*args, **kwargs)


class StrictFilterSet(filters.FilterSet):
    """The filter sets of the API: a boolean field's filter refuses a value it does not know."""

    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
    }


class FilterBackend(filters.DjangoFilterBackend):
    """django-filter's backend with two savings on every list request: the filter set that a
    view's `filterset_fields` describe is built once per view (django-filter builds the class
    anew for each request), and a request that names none of the filters is not put through the
    filter set's form (it would filter nothing)."""

    filterset_base = StrictFilterSet
    _built: ClassVar[dict[tuple[type, type], Any]] = {}

    def get_filterset_class(self, view: Any, queryset: Any = None) -> Any:
        if getattr(view, "filterset_class", None) or queryset is None:
            return super().get_filterset_class(view, queryset)
        key = (type(view), queryset.model)
        if key not in self._built:
            self._built[key] = super().get_filterset_class(view, queryset)
        return self._built[key]

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or request.query_params.keys().isdisjoint(
            filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """An object's id: a whole number from 1 to the largest 64-bit id (400 otherwise). A larger
    number names nothing, and would overflow the database's integer in the query."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class DesignationFilter(StrictFilterSet):
    case = IdFilter(field_name="case_id")
    lawyer = IdFilter(field_name="lawyer_id")

    class Meta:
        model = Designation
        fields = ["status", "method", "case", "lawyer"]


class EscalationFilter(StrictFilterSet):
    case = IdFilter(field_name="case_id")
    open = StrictBooleanFilter(
        field_name="resolved_at", lookup_expr="isnull", label="Still waiting for a lawyer."
    )

    class Meta:
        model = Escalation
        fields = ["case", "open"]


class AuditEventFilter(StrictFilterSet):
    actor = IdFilter(field_name="actor_id")
    case_id = IdFilter(field_name="case_id")

    class Meta:
        model = AuditEvent
        fields = ["action", "case_id", "target_type", "actor"]


class NonPunishmentRecordFilter(StrictFilterSet):
    case = IdFilter(field_name="case_id")
    category = filters.CharFilter(field_name="category_id")

    class Meta:
        model = NonPunishmentRecord
        fields = ["case", "category", "decision"]


class EvidenceItemFilter(StrictFilterSet):
    case = IdFilter(field_name="case_id")

    class Meta:
        model = EvidenceItem
        fields = ["case", "kind"]
