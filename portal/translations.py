"""The translations' two chores, in Python alone (no GNU gettext needed to run the product):

    python -m portal.translations compile   # every locale/*/LC_MESSAGES/django.po → .mo
    python -m portal.translations check     # exits 1 naming each empty or fuzzy entry of nl, fr

The .mo files are built, never committed: `make run`, `make test` and the container image compile
them. `make messages` (developers, with GNU gettext) collects new strings into the .po files."""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"
COMPLETE = ("nl", "fr")  # the staff's languages besides English: every entry translated


def catalogues() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def compile_all() -> int:
    for po_path in catalogues():
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
    return 0


def check() -> int:
    problems = []
    for po_path in catalogues():
        language = po_path.parent.parent.name
        if language not in COMPLETE:
            continue
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                problems.append(f"{language}: fuzzy: {entry.msgid!r}")
            elif not entry.translated():
                problems.append(f"{language}: empty: {entry.msgid!r}")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} translation(s) missing or fuzzy.")
    return 1 if problems else 0


if __name__ == "__main__":
    commands = {"compile": compile_all, "check": check}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit("usage: python -m portal.translations compile|check")
    sys.exit(commands[sys.argv[1]]())
