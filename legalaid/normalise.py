"""Normal forms used to match people across records: case, accents, punctuation and word order
do not matter ("Éric DUPONT" = "dupont eric", "N'Diaye" = "Ndiaye"); handles ignore a leading @
and case. Letters of every script are kept (Cyrillic, Arabic… names are matched too, never
reduced to nothing); the few Latin letters Unicode does not decompose are spelled plainly."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\W_]+")
# The apostrophe and its typographic variants (right and left quotes, modifier letter, accents).
_APOSTROPHES = re.compile("['\u2019\u02bc\u2018`\u00b4]")
# Latin letters with no Unicode decomposition into a base letter and an accent (and the dotless i).
_PLAIN = str.maketrans(
    {
        "\u0142": "l",  # ł
        "\u00f8": "o",  # ø
        "\u0111": "d",  # đ
        "\u00f0": "d",  # ð
        "\u0127": "h",  # ħ
        "\u0131": "i",  # dotless i
        "\u0140": "l",  # ŀ
        "\u00fe": "th",  # þ
        "\u00e6": "ae",  # æ
        "\u0153": "oe",  # œ
    }
)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.translate(_PLAIN)


def normalise_name(name: str) -> str:
    words = _SEPARATORS.sub(" ", _APOSTROPHES.sub("", _fold(name))).split()
    return " ".join(sorted(words))


def normalise_handle(handle: str) -> str:
    return _SEPARATORS.sub("", _fold(handle.strip().lstrip("@")))
