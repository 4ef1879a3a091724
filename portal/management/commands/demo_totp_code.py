"""Print the current TOTP code of a demo user: a shortcut for trying the product, refused where
demo data is not allowed (production)."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.demo import DEMO_TOTP_SECRETS


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo user (demo settings only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", choices=sorted(DEMO_TOTP_SECRETS))

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo codes are never given with these settings (production).")
        counter = int(time.time()) // app_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRETS[username], counter)))
