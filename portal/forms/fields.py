"""Fields the portal's forms share."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

THOUSANDS = re.compile(r"\d+|\d{1,3}([.,]\d{3})+")


class AmountField(forms.DecimalField):
    """An amount in euros as Belgians type it: `1.234,56`, `1 234,56`, `1234,56` or `1234.56`.
    The last comma or dot is the decimal mark when followed by one or two digits; the others
    (and spaces) separate thousands."""

    default_error_messages = {"invalid": _("Give an amount in euros, for example 1.234,56.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0.01"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            text = value.strip().replace("€", "").replace("\N{NO-BREAK SPACE}", "")
            text = text.replace("\N{NARROW NO-BREAK SPACE}", "").replace(" ", "")
            cut = max(text.rfind(","), text.rfind("."))
            if cut >= 0 and 1 <= len(text) - cut - 1 <= 2:
                whole, cents = text[:cut], text[cut + 1 :]
            elif "," in text:  # a decimal comma with three decimals is no amount
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            else:
                whole, cents = text, ""
            if not THOUSANDS.fullmatch(whole):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            whole = whole.replace(".", "").replace(",", "")
            value = f"{whole}.{cents}" if cents else whole
        return super().to_python(value)
