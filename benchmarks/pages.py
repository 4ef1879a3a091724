"""Benchmark of the office's pages at 100,000 cases, on SQLite and PostgreSQL.

The designation benchmark's world (2,000 lawyers over 12 bars, 100,000 cases with their
designations and parties), plus, in the busiest office (Brussels), a working day's queues: 50
proposals awaiting acceptance, 20 escalations and 30 recent declines. Each page is asked 200
times by a signed-in office user (second factor set up) through Django's test client, so the
time is the server's: middleware, view, queries, template. Reported per page: p50/p95 ms and
queries per request; the panel's queries at two page sizes (they must not grow with the list).
The floor, measured in the same run: the same rows fetched with one plain query each and put
through a bare `render()` of a template that only loops over them.

    .venv/bin/python benchmarks/pages.py                           # SQLite, and PostgreSQL
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres ...  # if DATABASE_URL unset
    BENCH_SIZE=tiny .venv/bin/python benchmarks/pages.py           # smoke test (CI)
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h
import designation

SIZE = (2_000, 100_000)
TINY_SIZE = (60, 600)
REQUESTS, TINY_REQUESTS = 200, 10
BARE = (
    "<!DOCTYPE html><title>floor</title>{% for rows in lists %}<table>{% for row in rows %}"
    "<tr>{% for value in row %}<td>{{ value }}</td>{% endfor %}</tr>{% endfor %}</table>"
    "{% endfor %}"
)


def queues(world: dict[str, Any], rng: random.Random) -> tuple[Any, Any]:
    """A working day in the Brussels office: proposals waiting, escalations, recent declines."""
    from django.utils import timezone

    from legalaid.models import (
        Case,
        Designation,
        DesignationMethod,
        DesignationStatus,
        Escalation,
        Lawyer,
    )

    office = world["offices"]["brussel"]
    staff = world["staff"]["brussel"]
    now = timezone.now()
    cases = list(Case.objects.filter(office=office, status="closed").order_by("pk")[:100])
    lawyers = list(Lawyer.objects.filter(bar=office.bar)[:40])
    explanation = {
        "engine": 2, "evaluated_on": str(now.date()), "chosen": None, "considered": len(lawyers),
        "eligible": 0, "exclusion_counts": {"at_capacity": len(lawyers)}, "ranked": [],
        "excluded": [[lawyer.pk, ["at_capacity"]] for lawyer in lawyers],
    }  # fmt: skip
    rows = []
    for index, case in enumerate(cases):
        lawyer = rng.choice(lawyers)
        if index < 50:
            status, decided = DesignationStatus.PROPOSED, None
        elif index < 80:
            status, decided = DesignationStatus.DECLINED, now - dt.timedelta(days=index % 30)
        else:
            Escalation.objects.create(case=case, opened_at=now, explanation=explanation)
            continue
        rows.append(
            Designation(
                case=case, lawyer=lawyer, status=status, method=DesignationMethod.AUTOMATIC,
                proposed_at=now - dt.timedelta(hours=1), respond_by=now + dt.timedelta(hours=3),
                decided_at=decided, reason="Hearing elsewhere." if decided else "",
                explanation={**explanation, "chosen": lawyer.pk},
            )
        )  # fmt: skip
    Designation.objects.bulk_create(rows)
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(status="awaiting_designation")
    return office, staff


def signed_in(staff: Any) -> Any:
    from allauth.mfa.totp.internal.auth import TOTP
    from django.test import Client

    TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff)
    return client


def timed(call: Any, requests: int, after: Any) -> tuple[list[float], int]:
    """Time `requests` calls; `after` runs between them, untimed, as the web server runs the
    garbage collection once a response is sent (config/memory.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm the templates and the query plans
    durations = []
    queries = 0
    for _ in range(requests):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            durations.append(time.perf_counter() - started)
        queries = len(captured.captured_queries)
        after()
    return durations, queries


def floors(office: Any) -> dict[str, Any]:
    """Per page, the same rows by plain queries, rendered by a bare template."""
    from django.template import engines

    from legalaid.models import AuditEvent, Case, Designation, Escalation, Lawyer

    template = engines["django"].from_string(BARE)
    case = Case.objects.filter(office=office).order_by("pk").first()
    assert case is not None
    designations = Designation.objects.filter(case__office=office)
    lists = {
        "home": lambda: [
            designations.filter(status="proposed").values_list(
                "case__reference", "lawyer__family_name", "respond_by"
            ),
            Escalation.objects.filter(case__office=office, resolved_at__isnull=True).values_list(
                "case__reference", "explanation"
            ),
            designations.filter(status="declined").values_list(
                "case__reference", "lawyer__family_name", "decided_at"
            ),
        ],
        "case": lambda: [
            Case.objects.filter(pk=case.pk).values_list("reference", "status", "intake_on"),
            designations.filter(case=case).values_list("lawyer__family_name", "status"),
            AuditEvent.objects.filter(case_id=case.pk).values_list("at", "action")[:200],
        ],
        "panel": lambda: [
            Lawyer.objects.filter(bar=office.bar)
            .order_by("family_name", "given_name", "pk")
            .values_list("family_name", "given_name", "open_designations", "capacity")[:50]
        ],
    }
    return {
        name: (lambda build=build: template.render({"lists": [list(rows) for rows in build()]}))
        for name, build in lists.items()
    }


def backend_run() -> None:
    h.setup_django()
    from django.db import connection

    lawyers, cases = TINY_SIZE if h.TINY else SIZE
    requests = TINY_REQUESTS if h.TINY else REQUESTS
    figures: dict[str, Any] = {"backend": connection.vendor, "cases": cases, "lawyers": lawyers}
    rng = random.Random(2019)
    with h.fresh_database("pages") as vendor:
        started = time.perf_counter()
        world = designation.build(lawyers, cases, rng)
        office, staff = queues(world, rng)
        setup_s = time.perf_counter() - started
        client = signed_in(staff)
        from legalaid.models import Case

        case = Case.objects.filter(office=office).order_by("pk").first()
        assert case is not None
        pages = {
            "home": "/office/",
            "case": f"/office/cases/{case.pk}/",
            "panel": "/office/panel/",
            "panel_page_2": "/office/panel/?page=2",
            "intake": "/office/intake/",
            "fairness": "/office/fairness/",
        }
        for url in pages.values():  # each page once, then the heap as a web process has it
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        from config.memory import start_up

        collector = start_up()  # as config/wsgi.py does
        for name, url in pages.items():
            durations, queries = timed(
                lambda url=url: client.get(url), requests, collector.after_response
            )
            result = h.summary_ms(durations)
            figures |= {f"{name}_{key}": value for key, value in result.items()}
            figures[f"{name}_queries"] = queries
            print(f"{vendor} {name}: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
                  f"{queries} queries")  # fmt: skip
        for name, render in floors(office).items():
            durations, queries = timed(render, requests, collector.after_response)
            result = h.summary_ms(durations)
            figures |= {f"{name}_floor_{key}": value for key, value in result.items()}
            figures[f"{name}_p95_over_floor_p95"] = round(
                figures[f"{name}_p95_ms"] / result["p95_ms"], 2
            )
            print(f"{vendor} {name} floor (bare render of the same rows): p50 "
                  f"{result['p50_ms']} ms, p95 {result['p95_ms']} ms")  # fmt: skip
        figures["panel_queries_constant"] = (
            figures["panel_queries"] == figures["panel_page_2_queries"]
        )
        figures["setup_s"] = round(setup_s, 1)
    print(h.json.dumps(figures, sort_keys=True))


def main() -> None:
    if "--backend" in sys.argv:
        backend_run()
        return
    postgres = os.environ.get("DATABASE_URL") or os.environ.get("BENCH_POSTGRES_URL")
    figures: dict[str, Any] = {"size": "tiny" if h.TINY else "full"}
    for result in h.run_per_backend(Path(__file__), postgres):
        backend = result.pop("backend")
        figures |= {f"{backend}_{key}": value for key, value in result.items()}
    h.publish("pages", figures)


if __name__ == "__main__":
    main()
