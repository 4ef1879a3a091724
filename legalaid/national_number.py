"""The Belgian national register number (rijksregisternummer / numéro de registre national).

Eleven digits: birth date YYMMDD, a serial of three digits, and a check of two: 97 minus the
first nine digits modulo 97 (for births from 2000, the nine digits are prefixed with a 2), so the
check also tells the century.

People not in the national register (many foreign minors) get a BIS number of the same shape,
with 20 added to the month (40 when their sex was known): the check is computed the same way."""

from __future__ import annotations

import datetime as dt
import re

_DIGITS = re.compile(r"\d{11}")


def clean_national_number(raw: str) -> str:
    return re.sub(r"[\s.\-]", "", raw)


def _check_for(body: str, *, born_from_2000: bool) -> int:
    return 97 - int(("2" + body) if born_from_2000 else body) % 97


def national_number_is_valid(number: str) -> bool:
    if not _DIGITS.fullmatch(number):
        return False
    body, check = number[:9], int(number[9:])
    return check in (_check_for(body, born_from_2000=False), _check_for(body, born_from_2000=True))


def national_number_for(born: dt.date, serial: int, *, bis_offset: int = 0) -> str:
    """Build a valid number for a birth date and serial (used for fictional demo data and tests);
    `bis_offset` 20 or 40 builds a BIS number."""
    body = f"{born:%y}{born.month + bis_offset:02d}{born:%d}{serial:03d}"
    return f"{body}{_check_for(body, born_from_2000=born.year >= 2000):02d}"


def national_number_birth_date_matches(number: str, born: dt.date) -> bool:
    """True unless the number's birth-date part plainly contradicts `born` (00 months and days,
    for a birth date the register does not know, are allowed). The century is read from the
    check, so a number of someone born in 1910 does not match a child born in 2010."""
    if not _DIGITS.fullmatch(number):
        return False
    yymmdd = number[:6]
    if yymmdd[2:4] in ("00", "20", "40") or yymmdd[4:6] == "00":
        return True
    month = int(yymmdd[2:4])
    if month > 40:
        month -= 40
    elif month > 20:
        month -= 20
    if f"{yymmdd[:2]}{month:02d}{yymmdd[4:6]}" != f"{born:%y%m%d}":
        return False
    return int(number[9:]) == _check_for(number[:9], born_from_2000=born.year >= 2000)
