"""How django-allauth fits the product: accounts are created by the office or an administrator
(no sign-up), and the second factor of the roles that need one cannot be removed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.app_settings import REAUTHENTICATION_TIMEOUT
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """The first set-up of the second factor follows the password just typed, and its
        recovery codes follow the set-up: asking for the password again would only be in the
        way. Changing a factor set up earlier asks for it, as usual."""
        user = getattr(context.request, "user", None)
        if app.endswith("mfa") and user is not None and user.is_authenticated:
            recent = timezone.now() - dt.timedelta(seconds=REAUTHENTICATION_TIMEOUT)
            factors = Authenticator.objects.filter(user=user)
            if not factors.exclude(created_at__gte=recent).exists():
                return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        user: Any = authenticator.user
        if getattr(user, "role", None) in settings.SECOND_FACTOR_ROLES:
            return False
        return bool(super().can_delete_authenticator(authenticator))
