"""The Belgian national register number (rijksregisternummer / numéro de registre national).

Eleven digits: birth date YYMMDD, a serial of three digits, and a check of two: 97 minus the
first nine digits modulo 97 (for births from 2000, the nine digits are prefixed with a 2)."""

from __future__ import annotations

import datetime as dt
import re

_DIGITS = re.compile(r"\d{11}")


def clean_national_number(raw: str) -> str:
    return re.sub(r"[\s.\-]", "", raw)


def national_number_is_valid(number: str) -> bool:
    if not _DIGITS.fullmatch(number):
        return False
    body, check = int(number[:9]), int(number[9:])
    return check in (97 - body % 97, 97 - int("2" + number[:9]) % 97)


def national_number_for(born: dt.date, serial: int) -> str:
    """Build a valid number for a birth date and serial (used for fictional demo data and tests)."""
    body = f"{born:%y%m%d}{serial:03d}"
    base = int(("2" + body) if born.year >= 2000 else body)
    return f"{body}{97 - base % 97:02d}"


def national_number_birth_date_matches(number: str, born: dt.date) -> bool:
    """True unless the number's birth-date part plainly contradicts `born` (00 months are allowed)."""
    yymmdd = number[:6]
    if yymmdd[2:4] == "00" or yymmdd[4:6] == "00":
        return True
    return yymmdd == f"{born:%y%m%d}"
