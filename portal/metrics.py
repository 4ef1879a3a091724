"""/metrics for Prometheus: who may read it, and the figures read when it is asked.

Only a caller whose address is in METRICS_ALLOWED_NETWORKS (loopback by default), or one that
sends `Authorization: Bearer <METRICS_TOKEN>`, is answered; anyone else gets the same 404 as a
URL that does not exist, so that the endpoint's existence is not disclosed to whoever probes the
site (the address is REMOTE_ADDR, the peer's: a proxy's X-Forwarded-For is never trusted here).

The in-process histograms come from config/metrics.py. The business figures are read from the
database at each scrape (a few counts, the deadline's through its index), the queue from Redis,
beat's last run from the cache (`beat_heartbeat`, a periodic task, stamps it): whichever process
did the work, the figures are the same, and they need no shared state between processes.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import time
from collections.abc import Iterator

import redis
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)

from config.metrics import LATENCY_BUCKETS, in_process_registry
from documents.selectors import document_render_figures
from legalaid.selectors import designation_figures

logger = logging.getLogger(__name__)

BEAT_HEARTBEAT_KEY = "lanzarote:beat-heartbeat"
# kombu's Redis transport keeps a queue's messages of priority 0 under the queue's name and those
# of the other priority steps under `name\x06\x16<step>`.
PRIORITY_SEPARATOR = "\x06\x16"
PRIORITY_STEPS = (0, 3, 6, 9)


def caller_allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "")
        if hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


def queue_length(broker_url: str, queue: str) -> int | None:
    """Messages waiting in the queue (Redis LLEN); None when the broker is not Redis, or does not
    answer within a second (the figure is then absent from the scrape: alert on its absence)."""
    if not broker_url.startswith(("redis://", "rediss://")):
        return None
    client = redis.Redis.from_url(broker_url, socket_connect_timeout=1, socket_timeout=1)
    try:
        with client.pipeline(transaction=False) as pipe:
            for step in PRIORITY_STEPS:
                pipe.llen(queue if step == 0 else f"{queue}{PRIORITY_SEPARATOR}{step}")
            return sum(pipe.execute())
    except redis.RedisError as error:
        logger.warning("Queue length unavailable: %s", type(error).__name__)
        return None
    finally:
        client.close()


def beat_heartbeat_record() -> None:
    cache.set(BEAT_HEARTBEAT_KEY, time.time(), timeout=None)


def beat_last_run_age() -> float | None:
    stamped = cache.get(BEAT_HEARTBEAT_KEY)
    return None if stamped is None else max(0.0, time.time() - float(stamped))


class Figures:
    """The figures read at each scrape."""

    def collect(self) -> Iterator[Metric]:
        designations = designation_figures(now=timezone.now())
        made = CounterMetricFamily(
            "lanzarote_designations",
            "Lawyers proposed to cases, by method (automatic, by the engine; manual override).",
            labels=["method"],
        )
        for method, count in sorted(designations["made_by_method"].items()):
            made.add_metric([method], count)
        yield made
        yield CounterMetricFamily(
            "lanzarote_escalations",
            "Cases escalated to the office: the engine found no eligible lawyer.",
            value=designations["escalated"],
        )
        yield GaugeMetricFamily(
            "lanzarote_designations_past_deadline",
            "Cases whose lawyer's acceptance deadline has passed and whose proposal still waits.",
            value=designations["past_deadline"],
        )
        documents = document_render_figures(buckets=LATENCY_BUCKETS)
        yield CounterMetricFamily(
            "lanzarote_documents_rendered", "Documents rendered.", value=documents["rendered"]
        )
        yield CounterMetricFamily(
            "lanzarote_documents_failed", "Documents that failed.", value=documents["failed"]
        )
        buckets: list[tuple[str, float]] = [
            (str(bound), count)
            for bound, count in zip(LATENCY_BUCKETS, documents["at_most"], strict=True)
        ]
        buckets.append(("+Inf", documents["timed"]))
        yield HistogramMetricFamily(
            "lanzarote_document_render_duration_seconds",
            "Time a worker took to render a document (from its claim of the render to its end).",
            buckets=buckets,
            sum_value=documents["seconds_total"],
        )
        name = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
        waiting = queue_length(settings.CELERY_BROKER_URL, name)
        if waiting is not None:
            queue = GaugeMetricFamily(
                "lanzarote_celery_queue_length",
                "Tasks waiting in the broker's queue.",
                labels=["queue"],
            )
            queue.add_metric([name], waiting)
            yield queue
        age = beat_last_run_age()
        if age is not None:
            yield GaugeMetricFamily(
                "lanzarote_beat_last_run_age_seconds",
                "Seconds since beat last ran its heartbeat task (absent until it has once).",
                value=age,
            )


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus' text format, for an allowed caller only (404 to anyone else)."""
    if not caller_allowed(request):
        raise Http404
    registry = in_process_registry()
    registry.register(Figures())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
