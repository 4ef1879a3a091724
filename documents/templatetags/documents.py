"""Template filters of the document templates: `{{ amount|money:lang }}`, `{{ date|day:lang }}`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

from .. import formatting, labels

register = template.Library()


@register.filter
def money(value: Decimal | str | int | None, language: str) -> str:
    return "" if value in (None, "") else formatting.money(value, language)


@register.filter
def number(value: Decimal | str | int | None, language: str) -> str:
    return "" if value in (None, "") else formatting.number(value, language)


@register.filter
def quantity(value: Decimal | str | int | None, language: str) -> str:
    return "" if value in (None, "") else formatting.quantity(value, language)


@register.filter
def percent(value: Decimal | str | None, language: str) -> str:
    return "" if value in (None, "") else formatting.percent(value, language)


@register.filter
def day(value: dt.date | str | None, language: str) -> str:
    return "" if value in (None, "") else formatting.day(value, language)


@register.filter
def label(value: str | None, language: str) -> str:
    return "" if not value else labels.label(value, language)
