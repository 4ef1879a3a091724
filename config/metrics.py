"""The figures measured inside a process: request latency by route and the engine's designation
latency (Prometheus histograms, prometheus-client).

The web runs as several gunicorn processes: each keeps its own histograms, and /metrics must add
them up. With PROMETHEUS_MULTIPROC_DIR set (deploy/gunicorn.conf.py sets it to a fresh directory
at each start of the web) every process writes its values to files there, and /metrics reads them
all (prometheus-client's multiprocess mode); unset (development, tests) they live in the process.

The business figures (designations made and escalated, documents rendered and failed, render
latency, cases past their deadline, the queue, beat's last run) are not counted here: /metrics
reads them from the database and Redis when it is asked (portal/metrics.py), so they hold whatever
process did the work (a worker, another web process, a command) and survive restarts.
"""

from __future__ import annotations

import os
from typing import Any

from django.http import HttpRequest, HttpResponse
from prometheus_client import REGISTRY, CollectorRegistry, Histogram
from prometheus_client.multiprocess import MultiProcessCollector

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUEST_LATENCY = Histogram(
    "lanzarote_http_request_duration_seconds",
    "Time to answer a request, by route (the URL pattern's name), method and status class.",
    ["route", "method", "status"],
    buckets=LATENCY_BUCKETS,
)
DESIGNATION_LATENCY = Histogram(
    "lanzarote_designation_duration_seconds",
    "Time the engine takes to designate a lawyer or escalate a case (in the web processes).",
    ["outcome"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)


def route_of(request: HttpRequest) -> str:
    """The matched URL pattern's name (never the path: it holds ids), or what matched nothing."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or match.route or "unnamed"


def request_observe(request: HttpRequest, response: HttpResponse, seconds: float) -> None:
    REQUEST_LATENCY.labels(
        route=route_of(request),
        method=request.method if request.method in KNOWN_METHODS else "other",
        status=f"{response.status_code // 100}xx",
    ).observe(seconds)


KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def designation_observe(*, outcome: str, seconds: float) -> None:
    DESIGNATION_LATENCY.labels(outcome=outcome).observe(seconds)


class _InProcess:
    """This process's own registry, as a collector of a scrape's registry."""

    def collect(self) -> Any:
        return REGISTRY.collect()


def in_process_registry() -> CollectorRegistry:
    """A new registry for one scrape holding the in-process figures: every process's (multiprocess
    mode) or this one's."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_InProcess())
    return registry
