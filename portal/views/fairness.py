"""The office's fairness report: designations per lawyer over a period, as a chart and a table,
the spread (min, median, max, Gini), and the same figures as CSV."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from legalaid import selectors
from legalaid.models import LegalAidOffice, Role

from ..charts import bar_chart
from ..forms.office import FairnessForm
from .base import office_view, user_of


def _report(request: HttpRequest) -> tuple[FairnessForm, dict[str, Any] | None]:
    user = user_of(request)
    today = timezone.localdate()
    data = request.GET if "since" in request.GET else None
    form = FairnessForm(data, initial={"since": today - dt.timedelta(days=365), "until": today})
    if data is not None and not form.is_valid():
        return form, None
    since = form.cleaned_data["since"] if data else today - dt.timedelta(days=365)
    until = form.cleaned_data["until"] if data else today
    office = user.office
    if user.role == Role.ADMIN:
        offices = LegalAidOffice.objects.order_by("pk")
        chosen = request.GET.get("office", "")
        office = (offices.filter(pk=int(chosen)).first() if chosen.isdigit() else None) or (
            offices.first()
        )
    if office is None:
        return form, None
    return form, selectors.fairness_report(office=office, since=since, until=until)


@office_view
def fairness(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    chart = None
    if report is not None:
        chart = bar_chart(
            [(row["name"], row["designated_in_period"]) for row in report["lawyers"]],
            title=_("Designations per lawyer, %(since)s to %(until)s")
            % {"since": report["since"], "until": report["until"]},
            description=_(
                "One bar per active lawyer of the panel; the table below holds the figures."
            ),
        )
    return render(
        request,
        "portal/office/fairness.html",
        {"form": form, "report": report, "chart": chart, "has_errors": bool(form.errors)},
        status=400 if form.errors else 200,
    )


@office_view
def fairness_csv(request: HttpRequest) -> HttpResponse:
    report = _report(request)[1]
    if report is None:
        return HttpResponse(_("Give a valid period."), status=400, content_type="text/plain")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="fairness.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        ["lawyer", "capacity", "open_load", "designated_in_period", "accepted_in_period"]
    )
    for row in report["lawyers"]:
        writer.writerow(
            [
                row["name"],
                row["capacity"],
                row["open_load"],
                row["designated_in_period"],
                row["accepted_in_period"],
            ]
        )
    return response
