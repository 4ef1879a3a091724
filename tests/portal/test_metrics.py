"""/metrics (portal/metrics.py): the figures, to an allowed caller only.

Rule: a caller outside METRICS_ALLOWED_NETWORKS without the METRICS_TOKEN bearer gets the 404 of
a URL that does not exist; the figures are the database's (designations, escalations, documents
rendered and failed, render latency, cases past their deadline), the queue's (Redis), beat's last
run (its heartbeat task) and this process's request and designation latencies, by route name."""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from documents.models import Document, DocumentStatus
from legalaid.models import Designation, DesignationMethod, DesignationStatus, Escalation
from portal.metrics import BEAT_HEARTBEAT_KEY, queue_length
from portal.tasks import beat_heartbeat

TOKEN = "metrics-token-for-the-tests-0123456789"


def scrape(client: Client, **headers: str) -> Any:
    return client.get("/metrics", headers=headers)


def samples(response: Any) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = response.content.decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: dict[Any, float], name: str, **labels: str) -> float:
    return found[(name, tuple(sorted(labels.items())))]


# --- Who may read it ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_caller_from_loopback_is_answered_in_prometheus_format() -> None:
    response = scrape(Client(REMOTE_ADDR="127.0.0.1"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["10.0.0.7", "192.168.1.20", "203.0.113.9", "::ffff:10.0.0.1"])
def test_a_caller_from_another_network_without_the_token_gets_404(address: str) -> None:
    response = scrape(Client(REMOTE_ADDR=address))
    assert response.status_code == 404
    assert b"lanzarote_" not in response.content


@pytest.mark.django_db
def test_a_forwarded_for_header_does_not_make_an_outside_caller_internal() -> None:
    response = scrape(Client(REMOTE_ADDR="203.0.113.9"), **{"X-Forwarded-For": "127.0.0.1"})
    assert response.status_code == 404


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
def test_an_outside_caller_with_the_token_is_answered_and_with_another_is_not() -> None:
    outside = Client(REMOTE_ADDR="203.0.113.9")
    assert scrape(outside, Authorization=f"Bearer {TOKEN}").status_code == 200
    for wrong in (f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", TOKEN, "Bearer ", f"Basic {TOKEN}"):
        assert scrape(outside, Authorization=wrong).status_code == 404, wrong


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="")
def test_without_a_token_set_an_empty_bearer_opens_nothing() -> None:
    assert scrape(Client(REMOTE_ADDR="203.0.113.9"), Authorization="Bearer ").status_code == 404


@pytest.mark.django_db
def test_the_networks_setting_decides_who_is_internal(settings: Any) -> None:
    from ipaddress import ip_network

    settings.METRICS_ALLOWED_NETWORKS = [ip_network("10.0.0.0/8")]
    assert scrape(Client(REMOTE_ADDR="10.1.2.3")).status_code == 200
    assert scrape(Client(REMOTE_ADDR="127.0.0.1")).status_code == 404


# --- The figures --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_figures_are_the_databases(django_capture_on_commit_callbacks: Any) -> None:
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    cache.delete(BEAT_HEARTBEAT_KEY)
    now = timezone.now()
    late = Designation.objects.filter(status=DesignationStatus.PROPOSED).order_by("pk").first()
    assert late is not None
    Designation.objects.filter(pk=late.pk).update(respond_by=now - dt.timedelta(minutes=5))
    client = Client(REMOTE_ADDR="127.0.0.1")

    found = samples(scrape(client))

    for method in (DesignationMethod.AUTOMATIC, DesignationMethod.MANUAL):
        expected = Designation.objects.filter(method=method).count()
        if expected:
            assert value(found, "lanzarote_designations_total", method=method) == expected
    assert value(found, "lanzarote_escalations_total") == Escalation.objects.count()
    assert value(found, "lanzarote_designations_past_deadline") == 1
    rendered = Document.objects.exclude(file_sha256="").count()
    assert value(found, "lanzarote_documents_rendered_total") == rendered
    assert value(found, "lanzarote_documents_failed_total") == (
        Document.objects.filter(status=DocumentStatus.FAILED).count()
    )
    # The embedded default's broker is in memory: no queue to measure, the figure is absent;
    # with Redis as the broker (CI's PostgreSQL run), its queue's length is there.
    queue_figures = [labels for name, labels in found if name == "lanzarote_celery_queue_length"]
    if settings.CELERY_BROKER_URL.startswith("redis"):
        assert len(queue_figures) == 1
    else:
        assert queue_figures == []
    # Beat has not run: no age yet. Its heartbeat task gives one.
    assert not any(name == "lanzarote_beat_last_run_age_seconds" for name, _ in found)
    beat_heartbeat.delay()
    age = value(samples(scrape(client)), "lanzarote_beat_last_run_age_seconds")
    assert 0 <= age < 5


@pytest.mark.django_db
def test_render_latency_counts_each_render_once_in_the_buckets_of_its_duration(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from documents.services import document_request

    client = Client(REMOTE_ADDR="127.0.0.1")
    with django_capture_on_commit_callbacks(execute=True):
        document, _ = document_request(
            actor=cast.office_a, case=cast.case_a, kind="designation_letter"
        )
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    # Two more renders of other versions (copies of the row), then known durations for the three.
    started = timezone.now() - dt.timedelta(hours=1)
    for version, seconds in ((1, 0.03), (2, 0.3), (3, 3.0)):
        if version > 1:
            document.pk = None
            document.version = version
            document.snapshot_sha256 = f"{version:064d}"
            document.save()
        Document.objects.filter(pk=document.pk).update(
            rendering_started_at=started, finished_at=started + dt.timedelta(seconds=seconds)
        )
    failed = Document.objects.filter(pk=document.pk)
    # The 3-second one failed.
    failed.update(status=DocumentStatus.FAILED, file_sha256="", file="", error="Broken.")

    found = samples(scrape(client))

    bucket = "lanzarote_document_render_duration_seconds_bucket"
    assert value(found, bucket, le="0.025") == 0
    assert value(found, bucket, le="0.05") == 1
    assert value(found, bucket, le="0.25") == 1
    assert value(found, bucket, le="0.5") == 2
    assert value(found, bucket, le="10.0") == 2
    assert value(found, bucket, le="+Inf") == 2
    assert value(found, "lanzarote_document_render_duration_seconds_count") == 2
    assert value(found, "lanzarote_document_render_duration_seconds_sum") == pytest.approx(0.33)
    assert value(found, "lanzarote_documents_rendered_total") == 2
    assert value(found, "lanzarote_documents_failed_total") == 1


@pytest.mark.django_db
def test_request_latency_is_counted_by_route_name_never_by_path(cast: Any) -> None:
    client = Client(REMOTE_ADDR="127.0.0.1")
    client.force_login(cast.guardian_a)  # no second factor needed
    assert client.get(f"/api/v1/cases/{cast.case_a.pk}/").status_code == 200
    client.get("/healthz")
    client.get("/no/such/page/")

    text = scrape(Client(REMOTE_ADDR="127.0.0.1")).content.decode()

    assert re.search(
        r'lanzarote_http_request_duration_seconds_count\{method="GET",route="case-detail",'
        r'status="2xx"\} [1-9]',
        text,
    ), text
    assert 'route="portal:healthz"' in text
    assert 'route="unmatched"' in text
    assert f"/cases/{cast.case_a.pk}" not in text


@pytest.mark.django_db
def test_designation_latency_is_observed_for_each_engine_run(cast: Any) -> None:
    from legalaid.services.designations import designation_auto

    client = Client(REMOTE_ADDR="127.0.0.1")

    def count() -> float:
        return samples(scrape(client)).get(
            ("lanzarote_designation_duration_seconds_count", (("outcome", "designated"),)), 0.0
        )

    before = count()
    case = cast.case_a
    Designation.objects.filter(case=case, status__in=["proposed", "accepted"]).update(
        status=DesignationStatus.WITHDRAWN
    )
    result = designation_auto(actor=cast.office_a, case=case)
    assert isinstance(result, Designation)
    assert count() == before + 1


@pytest.mark.redis
def test_the_queue_length_is_the_default_queues_llen(redis_url: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    client.rpush("celery", "a", "b")
    client.rpush("celery\x06\x163", "c")
    try:
        assert queue_length(redis_url, "celery") == 3
        assert queue_length("redis://127.0.0.1:1/0", "celery") is None  # unreachable: absent
        assert queue_length("memory://", "celery") is None
    finally:
        client.delete("celery", "celery\x06\x163")
