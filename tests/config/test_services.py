"""The real services behind the product: Redis as cache and Celery broker with a real worker,
and the API's schema and locally served docs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.redis
def test_cache_is_redis_when_redis_url_is_set(redis_url: str) -> None:
    key = f"lanzarote-test-{uuid.uuid4()}"
    cache.set(key, "ok", timeout=30)
    assert cache.get(key) == "ok"
    assert isinstance(caches["default"], RedisCache)  # with its fallback (config/cache.py)
    cache.delete(key)


@pytest.mark.redis
def test_a_real_celery_worker_answers_over_redis(redis_url: str) -> None:
    from config.celery import app

    name = f"ci-{uuid.uuid4().hex[:8]}@localhost"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-n",
            name,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        replies: list[dict[str, object]] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not replies:
            replies = app.control.ping(destination=[name], timeout=1.0) or []
        assert replies == [{name: {"ok": "pong"}}]
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_openapi_schema_and_docs_are_served_without_a_cdn(db: None) -> None:
    client = Client()
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/intake/" in paths
    assert "/api/v1/designations/{id}/accept/" in paths
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html


def test_the_web_process_keeps_its_start_up_objects_out_of_full_garbage_collections() -> None:
    """Importing the WSGI application (what gunicorn does) freezes what start-up loaded."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    script = (
        "import gc; assert gc.get_freeze_count() == 0; import config.wsgi; "
        "print(gc.get_freeze_count())"
    )
    frozen = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True, timeout=60,
    )  # fmt: skip

    assert int(frozen.stdout) > 10_000  # Django, the apps, the URL patterns, the settings


def test_the_web_process_collects_garbage_after_each_response_not_during_one() -> None:
    """Automatic passes are off in the web process; sending a response (its body closed by the
    server) collects the young generations."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    script = """
import gc, wsgiref.util
import config.wsgi
assert not gc.isenabled()
environ = {"PATH_INFO": "/static/portal/site.css", "HTTP_HOST": "127.0.0.1"}
wsgiref.util.setup_testing_defaults(environ)
body = config.wsgi.application(environ, lambda status, headers: None)
b"".join(body)
for _ in range(5000):  # cycles: only the collector frees them
    loop = []
    loop.append(loop)
before = gc.get_count()[0]
body.close()
print(before, gc.get_count()[0])
"""
    counted = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True, timeout=60,
    )  # fmt: skip
    before, after = (int(n) for n in counted.stdout.split())
    assert before >= 5000
    assert after < 100
