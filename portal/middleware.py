"""The portal's two middlewares: the user's own language, and the mandatory second factor."""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

Handler = Callable[[HttpRequest], HttpResponse]


def user_language(get_response: Handler) -> Handler:
    """A signed-in user's chosen language wins over the browser's (LocaleMiddleware's choice)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        chosen = getattr(request.user, "language", "") if request.user.is_authenticated else ""
        if chosen and chosen != request.LANGUAGE_CODE:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return get_response(request)

    return middleware


def session_renewal(get_response: Handler) -> Handler:
    """A session ends after SESSION_IDLE_MINUTES without a request. Each request pushes the end
    back, but the session is written at most once every SESSION_RENEW_SECONDS: a page read then
    costs no database write (the idle time is exact to within that many seconds)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - int(session.get(RENEWED_KEY, 0)) >= settings.SESSION_RENEW_SECONDS:
                session[RENEWED_KEY] = now  # saved with a new expiry at the response
        return get_response(request)

    return middleware


RENEWED_KEY = "_renewed_at"


# What a user who still has to set up the second factor may reach: its set-up, the recovery
# codes it gives, signing out, the choice of language, and static files.
SET_UP_PATHS = (
    "/accounts/2fa/totp/activate/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/reauthenticate/",
)
# The probes answer whoever may ask (their own rules: portal/health.py, portal/metrics.py).
OPEN_PATHS = ("/accounts/logout/", "/language/", "/static/", "/healthz", "/readyz", "/metrics")


def needs_second_factor(request: HttpRequest) -> bool:
    """A signed-in user whose role needs a second factor and who has none yet (asked once per
    request: the middleware and the layout both want to know)."""
    known = getattr(request, "_needs_second_factor", None)
    if known is None:
        user = request.user
        known = bool(
            user.is_authenticated
            and getattr(user, "role", None) in settings.SECOND_FACTOR_ROLES
            and not is_mfa_enabled(user)
        )
        request._needs_second_factor = known  # type: ignore[attr-defined]
    return known


def second_factor_required(get_response: Handler) -> Handler:
    """Office staff, lawyers and administrators signed in by session reach nothing but the set-up
    of their TOTP second factor until it is done: no page, no admin, no API (a token, used by
    integrations, is not a session and is not concerned)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith(SET_UP_PATHS + OPEN_PATHS) or not needs_second_factor(request):
            return get_response(request)
        if path.startswith("/api/"):
            message = gettext("Set up your second factor before using the API in a browser.")
            body = {
                "error": {
                    "status": 403,
                    "code": "second_factor_required",
                    "message": message,
                    "fields": {},
                }
            }
            return JsonResponse(body, status=403)
        return redirect(reverse("mfa_activate_totp"))

    return middleware


def private_responses(get_response: Handler) -> Handler:
    """What a signed-in user receives (pages and API, by session or token) is never kept by a
    browser or a proxy: on a shared computer the back button shows nothing after signing out.
    Static files never reach this (WhiteNoise answers them first, with long caching)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.user.is_authenticated:  # a token user too: DRF sets it on the request
            add_never_cache_headers(response)
        return response

    return middleware
