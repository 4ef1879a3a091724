"""Which roles may call which endpoint, declared once per view. Scope within a role is the
selectors' business (an object outside it answers 404)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from ..models import Role

OFFICE = frozenset({Role.OFFICE, Role.ADMIN})
OFFICE_AND_LAWYER = frozenset({Role.OFFICE, Role.ADMIN, Role.LAWYER})
LAWYER = frozenset({Role.LAWYER})
GUARDIAN = frozenset({Role.GUARDIAN})
EVERYONE = frozenset(Role)


class RoleAllowed(BasePermission):
    """Reads the view's `roles` (for every method) or `roles_by_action` (per viewset action)."""

    message = _("Your role does not give access to this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        by_action = getattr(view, "roles_by_action", None)
        action = getattr(view, "action", None)
        allowed = by_action.get(action) if by_action and action in by_action else view.roles
        return getattr(user, "role", None) in allowed
