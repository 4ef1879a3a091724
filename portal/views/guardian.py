"""The guardian's pages. Their portal is its own issue; for now their home says, in plain
words, at which stage their ward's case is."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from legalaid import selectors
from legalaid.models import Role

from .base import for_roles, user_of


@for_roles(Role.GUARDIAN)
def home(request: HttpRequest) -> HttpResponse:
    cases = selectors.case_list_for_user(user_of(request))
    return render(request, "portal/guardian/home.html", {"cases": list(cases)})
