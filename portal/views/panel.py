"""The office's panel: the lawyers (filtered), a lawyer's page, and the import of the yearly
list from a CSV file (upload, a preview with each line's errors, then all or nothing)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from legalaid import selectors
from legalaid.errors import ApplicationError
from legalaid.models import Role
from legalaid.services.lawyers import lawyer_update, leave_period_add
from legalaid.services.panel_import import TEMPLATE, panel_import_apply, panel_import_plan

from ..forms.office import LawyerForm, LeaveForm, PanelFilterForm, PanelImportForm
from .base import apply_service_errors, for_roles, office_view, submit, user_of

PAGE_SIZE = 50
IMPORT_SESSION_KEY = "panel_import"
MAX_IMPORT_BYTES = 2 * 1024 * 1024


@office_view
def panel(request: HttpRequest) -> HttpResponse:
    filters = PanelFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    lawyers = selectors.lawyer_panel_for_user(
        user_of(request),
        district=chosen.get("district"),
        language=chosen.get("language"),
        matter=chosen.get("matter"),
        load=chosen.get("load") or "",
    )
    page = Paginator(lawyers, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/office/panel/list.html",
        {"filters": filters, "page": page, "query": query.urlencode()},
    )


@office_view
def lawyer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _lawyer_page(request, pk)


def _lawyer_page(request: HttpRequest, pk: int, *, status: int = 200, **bound: Any) -> HttpResponse:
    lawyer = selectors.lawyer_get_for_user(user_of(request), pk)
    initial = {
        "capacity": lawyer.capacity,
        "active": lawyer.active,
        "languages": list(lawyer.languages.all()),
        "districts": list(lawyer.districts.all()),
        "matters": list(lawyer.matters.all()),
    }
    forms = {"lawyer_form": LawyerForm(initial=initial), "leave_form": LeaveForm(), **bound}
    return render(
        request,
        "portal/office/panel/lawyer.html",
        {
            "lawyer": lawyer,
            **forms,
            "refused_forms": [f for f in bound.values() if f.errors],
            "has_errors": any(f.errors for f in bound.values()),
        },
        status=status,
    )


@require_POST
@office_view
def lawyer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    lawyer = selectors.lawyer_get_for_user(user, pk)
    form = LawyerForm(request.POST)
    return submit(
        request,
        form,
        lambda data: lawyer_update(actor=user, lawyer=lawyer, **data),
        done=_("The lawyer's details were saved."),
        then=lambda: redirect("portal:office:lawyer", pk=lawyer.pk),
        refused=lambda: _lawyer_page(request, pk, status=400, lawyer_form=form),
    )


@require_POST
@office_view
def lawyer_leave(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    lawyer = selectors.lawyer_get_for_user(user, pk)
    form = LeaveForm(request.POST)
    return submit(
        request,
        form,
        lambda data: leave_period_add(actor=user, lawyer=lawyer, **data),
        done=_("The leave period was added."),
        then=lambda: redirect("portal:office:lawyer", pk=lawyer.pk),
        refused=lambda: _lawyer_page(request, pk, status=400, leave_form=form),
    )


@for_roles(Role.OFFICE)
def panel_template(request: HttpRequest) -> HttpResponse:
    """A CSV file with the columns and one example line, to fill in."""
    response = HttpResponse(TEMPLATE, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="panel-template.csv"'
    return response


@for_roles(Role.OFFICE)
def panel_import(request: HttpRequest) -> HttpResponse:
    """Upload: check every line and show the plan, writing nothing. The file waits in the
    session (never in a URL) until it is confirmed."""
    user = user_of(request)
    assert user.office is not None
    posted = request.method == "POST"
    form = PanelImportForm(request.POST, request.FILES) if posted else PanelImportForm()
    plan, sha256 = None, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            form.add_error("file", _("The file is larger than 2 MB."))
        else:
            try:
                plan = panel_import_plan(office=user.office, content=upload.read())
            except ApplicationError as error:
                apply_service_errors(form, error)
            else:
                upload.seek(0)
                text = upload.read().decode("utf-8-sig")
                request.session[IMPORT_SESSION_KEY] = text
                sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    status = 400 if request.method == "POST" and (form.errors or (plan and not plan.ok)) else 200
    return render(
        request,
        "portal/office/panel/import.html",
        {"form": form, "plan": plan, "sha256": sha256, "has_errors": bool(form.errors)},
        status=status,
    )


@require_POST
@for_roles(Role.OFFICE)
def panel_import_confirm(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    assert user.office is not None
    content = str(request.session.get(IMPORT_SESSION_KEY, "")).encode("utf-8")
    if not content or request.POST.get("sha256") != hashlib.sha256(content).hexdigest():
        messages.error(request, _("Upload the file again: nothing was imported."))
        return redirect("portal:office:panel_import")
    try:
        plan = panel_import_apply(actor=user, office=user.office, content=content)
    except (ValidationError, ApplicationError):
        messages.error(request, _("The file has errors: nothing was imported."))
        return redirect("portal:office:panel_import")
    del request.session[IMPORT_SESSION_KEY]
    messages.success(
        request,
        _("The list was imported: %(created)d new, %(updated)d updated, %(gone)d taken off.")
        % {
            "created": plan.count("create"),
            "updated": plan.count("update"),
            "gone": len(plan.deactivate),
        },
    )
    return redirect("portal:office:panel")
