"""Django's own answers under /api/, in the API's error body.

A URL under /api/ that no route matches (`/api/v1/claims/abc/`: the route takes a number; an
unknown path) is refused by Django's resolver before any API view runs, with the portal's HTML
page. An API client reads the one error body of `legalaid.api.errors` instead; every other
path keeps the page. (`config/urls.py` names this view as `handler404`.)"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        body = {"status": 404, "code": "not_found", "message": _("Not found."), "fields": {}}
        return JsonResponse({"error": body}, status=404)
    return defaults.page_not_found(request, exception)
