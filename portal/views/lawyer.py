"""The lawyer's pages. Their workspace is its own issue; for now their home lists their
designations (proposals to answer first, with the deadline)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from legalaid import selectors
from legalaid.models import ACTIVE_DESIGNATION_STATUSES, Role

from .base import for_roles, user_of


@for_roles(Role.LAWYER)
def home(request: HttpRequest) -> HttpResponse:
    designations = (
        selectors.designation_list_for_user(user_of(request))
        .filter(status__in=ACTIVE_DESIGNATION_STATUSES)
        .select_related("case__district")
        .order_by("-status", "respond_by")
    )
    return render(request, "portal/lawyer/home.html", {"designations": list(designations)})
