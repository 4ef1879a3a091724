"""Normal forms used to match people across records: case, accents, punctuation and word order
do not matter ("Éric DUPONT" = "dupont eric"); handles ignore a leading @ and case."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_name(name: str) -> str:
    words = _NON_ALNUM.sub(" ", _fold(name)).split()
    return " ".join(sorted(words))


def normalise_handle(handle: str) -> str:
    return _NON_ALNUM.sub("", _fold(handle.strip().lstrip("@")))
