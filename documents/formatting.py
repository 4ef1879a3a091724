"""Amounts and dates written the way each language of the proceedings writes them.

nl, de: `1.234,56 €`; fr: `1 234,56 €` with a narrow no-break space (U+202F) between thousands, as
the French typographic rule (and the Belgian federal style guide) has it. The euro sign follows
after a no-break space (U+00A0) in all three, so an amount never breaks over two lines. Both
spaces have their own glyph in the shipped DejaVu fonts, so a PDF reader extracts and searches
them as written here. No locale of the machine is used.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
NNBSP = "\u202f"
LANGUAGES = ("nl", "fr", "de")

_GROUP = {"nl": ".", "de": ".", "fr": NNBSP}
_MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"],
}  # fmt: skip


def number(value: Decimal | str | int, language: str, places: int = 2) -> str:
    """`Decimal("1234.5")` → `1.234,50` (nl, de) or `1 234,50` (fr); half-up to `places`."""
    amount = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = _GROUP[language].join(groups or ["0"])
    return f"{sign}{text},{fraction}" if places else f"{sign}{text}"


def quantity(value: Decimal | str | int, language: str) -> str:
    """A count of days or hours: `121` → `121`, `35.50` → `35,5`."""
    amount = Decimal(value).normalize()
    places = max(0, -amount.as_tuple().exponent)  # type: ignore[operator]
    return number(amount, language, places)


def money(value: Decimal | str | int, language: str) -> str:
    return f"{number(value, language)}{NBSP}€"


def percent(value: Decimal | str, language: str) -> str:
    return f"{number(value, language)}{NBSP}%"


def day(value: dt.date | str, language: str) -> str:
    """`2026-11-28` → `28 november 2026` (nl), `28 novembre 2026` (fr), `28. November 2026` (de);
    the first of the month in French is `1er`."""
    date = dt.date.fromisoformat(value) if isinstance(value, str) else value
    month = _MONTHS[language][date.month - 1]
    if language == "de":
        return f"{date.day}.{NBSP}{month} {date.year}"
    first = "1er" if language == "fr" and date.day == 1 else str(date.day)
    return f"{first}{NBSP}{month} {date.year}"
