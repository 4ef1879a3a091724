"""Template filters: Belgian amounts, countdowns, names in the reader's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext, ngettext

from ..forms.office import district_name as _district_name
from ..forms.office import language_name as _language_name
from ..phrases import audit_action as _audit_action

register = template.Library()


@register.filter
def money(value: Decimal | int | str | None) -> str:
    """`1.234,56 €` in nl, `1 234,56 €` in fr (Belgian usage), `€1,234.56` in en."""
    if value is None or value == "":
        return ""
    amount = formats.number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)
    if (get_language() or "en").startswith("en"):
        return f"€{amount}"
    return f"{amount}\N{NO-BREAK SPACE}€"


@register.filter
def time_left(deadline: dt.datetime | None) -> str:
    """How long until the deadline, in words ("3 h 20 min left", "overdue by 12 min")."""
    if deadline is None:
        return ""
    seconds = int((deadline - timezone.now()).total_seconds())
    minutes = abs(seconds) // 60
    hours, minutes = divmod(minutes, 60)
    if hours:
        span = gettext("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    else:
        span = ngettext("%(minutes)d minute", "%(minutes)d minutes", minutes) % {"minutes": minutes}
    if seconds >= 0:
        return gettext("%(span)s left") % {"span": span}
    return gettext("overdue by %(span)s") % {"span": span}


@register.filter
def district_name(district: Any) -> str:
    return _district_name(district) if district is not None else ""


@register.filter
def language_name(language: Any) -> str:
    return _language_name(language) if language is not None else ""


@register.filter
def audit_action(code: str) -> str:
    """An audit row's action, said for people ("proposed a lawyer")."""
    return _audit_action(code)
