"""What every page's layout needs: the languages offered, and whether the second factor is due."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from legalaid.models import Role

from .middleware import needs_second_factor

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def languages_for(user: Any) -> list[tuple[str, str]]:
    """Staff and lawyers read nl, fr or en; guardians (and visitors) also de."""
    codes = list(settings.STAFF_LANGUAGES)
    if not user.is_authenticated or user.role == Role.GUARDIAN:
        codes.append("de")
    return [(code, LANGUAGE_NAMES[code]) for code in codes]


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "portal": {
            "languages": languages_for(request.user),
            "needs_second_factor": needs_second_factor(request),
        }
    }
