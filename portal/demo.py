"""The demo users' second factor: a TOTP secret each, fixed and published in the README, so that
anyone running `make run` can sign in as any role (any authenticator app, or
`manage.py demo_totp_code USER`). Loaded only with the demo data, never in production."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from legalaid.models import User


def _secret(name: str) -> str:
    """32 base-32 characters (A-Z and 2-7), readable on purpose: these are not secrets."""
    return (f"LANZAROTEDEMO{name}" + "A" * 32)[:32]


DEMO_TOTP_SECRETS = {
    "office": _secret("OFFICEANTWERPEN"),
    "office-bxl": _secret("OFFICEBRUXELLES"),
    "lawyer": _secret("LAWYER"),
    "admin": _secret("ADMINISTRATOR"),
}


def load_demo_second_factors(*, stdout: Any) -> None:
    for username, secret in DEMO_TOTP_SECRETS.items():
        user = User.objects.get(username=username)
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, secret)
    stdout.write("Demo second factors (TOTP secrets) set for: " + ", ".join(DEMO_TOTP_SECRETS))
