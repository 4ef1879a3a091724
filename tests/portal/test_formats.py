"""Belgian formats per language: amounts, dates and amount inputs with a decimal comma."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from portal.forms.fields import AmountField
from portal.templatetags.portal import money


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("nl", "1.234,56\xa0€"),
        ("fr", "1\xa0234,56\xa0€"),
        ("de", "1.234,56\xa0€"),
        ("en", "€1,234.56"),
    ],
)
def test_amounts_are_written_the_belgian_way(language: str, shown: str) -> None:
    with translation.override(language):
        assert money(Decimal("1234.56")) == shown


@pytest.mark.parametrize(
    ("language", "shown"),
    [("nl", "2 december 2026"), ("fr", "2 décembre 2026"), ("en", "2 December 2026"),
     ("de", "2. Dezember 2026")],
)  # fmt: skip
def test_dates_are_written_in_full_in_the_readers_language(language: str, shown: str) -> None:
    with translation.override(language):
        assert Template("{{ day|date }}").render(Context({"day": dt.date(2026, 12, 2)})) == shown


class AmountForm(forms.Form):
    amount = AmountField()


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("1.234,56", "1234.56"), ("1234,56", "1234.56"), ("1 234,56", "1234.56"),
     ("1\xa0234,5", "1234.50"), ("1234.56", "1234.56"), ("1,234.56", "1234.56"),
     ("1.234", "1234"), ("12 €", "12")],
)  # fmt: skip
def test_an_amount_input_accepts_a_decimal_comma(typed: str, amount: str) -> None:
    form = AmountForm({"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal(amount)


@pytest.mark.parametrize("typed", ["abc", "1,2,3,4", "12,345", "0", "-5"])
def test_an_amount_that_is_not_one_is_refused_with_a_message(typed: str) -> None:
    form = AmountForm({"amount": typed})
    assert not form.is_valid()
    assert form.errors["amount"]


@pytest.mark.parametrize("typed", ["02/12/2026", "2026-12-02"])
def test_a_date_input_accepts_the_belgian_order(typed: str) -> None:
    class DayForm(forms.Form):
        day = forms.DateField()

    with translation.override("nl"):
        form = DayForm({"day": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == dt.date(2026, 12, 2)
