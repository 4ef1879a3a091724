"""Pages every visitor shares: the landing page and the choice of language."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from legalaid.models import Role

from ..context import languages_for
from ..health import readiness_failures

HOME_OF_ROLE = {
    Role.OFFICE: "portal:office:home",
    Role.ADMIN: "portal:office:home",
    Role.LAWYER: "portal:lawyer:home",
    Role.GUARDIAN: "portal:guardian:home",
}


def landing(request: HttpRequest) -> HttpResponse:
    """Signed out: the sign-in page. Signed in: the home page of one's role."""
    user = request.user
    if not user.is_authenticated:
        return redirect(reverse("account_login"))
    return redirect(reverse(HOME_OF_ROLE[Role(user.role)]))


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Remember the chosen language: on the user (pages and e-mails) and in a cookie."""
    code = request.POST.get("language", "")
    if code not in dict(languages_for(request.user)):
        return HttpResponseBadRequest("Unknown language.")
    if request.user.is_authenticated and request.user.language != code:
        request.user.language = code
        request.user.save(update_fields=["language"])
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response


def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: the process answers. No data, no database, no session."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: the database and the broker answer (200); else 503 naming the failed
    checks, and nothing else."""
    failed = readiness_failures()
    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed}, status=503)
    return JsonResponse({"status": "ok"})
