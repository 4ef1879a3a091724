"""Health checks of the production stack's processes (docker-compose.yml's `healthcheck:`).

    python deploy/healthcheck.py web     /readyz answers 200 {"status": "ok"}: the process answers,
                                         and reaches the database and the broker
    python deploy/healthcheck.py worker  this container's Celery worker answers a ping
    python deploy/healthcheck.py beat    beat has written its schedule file lately

Exit status 0 when healthy, 1 (with one line on stderr) when not.

`web` asks as the TLS-terminating proxy does (X-Forwarded-Proto: https, so the production settings
do not redirect it) for the first of ALLOWED_HOSTS. `beat` writes the last run of each periodic task
to its schedule file after sending a task, at most every three minutes (Celery's `sync_every`): a
file older than that plus twice the shortest period means that beat has stopped sending.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEAT_SYNC_SECONDS = 180  # celery.beat.Scheduler.sync_every


def _settings() -> object:
    """The Django settings without loading the apps (cheap enough for a health check)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    from django.conf import settings

    settings.INSTALLED_APPS  # noqa: B018 - reads the settings module
    return settings


def web() -> str | None:
    settings = _settings()
    hosts: list[str] = getattr(settings, "ALLOWED_HOSTS", [])
    host = next((h.lstrip(".") for h in hosts if h.lstrip(".") not in {"", "*"}), "localhost")
    connection = http.client.HTTPConnection(
        "127.0.0.1", int(os.environ.get("PORT") or 8000), timeout=5
    )
    try:
        connection.request("GET", "/readyz", headers={"Host": host, "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        body = response.read()
    except OSError as error:
        return f"/readyz does not answer: {error}"
    finally:
        connection.close()
    answer = json.loads(body or b"{}") if body.startswith(b"{") else {}
    if response.status == 503 and answer.get("failed"):
        return f"/readyz answers 503: {', '.join(map(str, answer['failed']))} cannot be reached"
    if response.status != 200:
        return f"/readyz answers {response.status}"
    if answer.get("status") != "ok":
        return "/readyz does not say ok"
    return None


def worker() -> str | None:
    node = f"worker@{socket.gethostname()}"  # deploy/worker's --hostname worker@%h
    pinged = subprocess.run(  # noqa: S603 - our own command, no outside input
        [sys.executable, "-m", "celery", "-A", "config", "inspect", "ping",
         "--destination", node, "--timeout", "10"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    if pinged.returncode != 0:
        return f"the worker {node} does not answer a ping"
    return None


def beat() -> str | None:
    settings = _settings()
    periods = [
        float(entry["schedule"])
        for entry in getattr(settings, "CELERY_BEAT_SCHEDULE", {}).values()
        if isinstance(entry.get("schedule"), int | float)
    ]
    limit = BEAT_SYNC_SECONDS + 2 * min(periods, default=BEAT_SYNC_SECONDS)
    schedule = ROOT / (os.environ.get("BEAT_SCHEDULE_FILE") or "var/beat/schedule")
    # The file's name may gain an extension, depending on the dbm module behind `shelve`.
    files = list(schedule.parent.glob(f"{schedule.name}*"))
    if not files:
        return f"beat has written no schedule file ({schedule})"
    age = time.time() - max(f.stat().st_mtime for f in files)
    if age > limit:
        return f"beat has not written its schedule for {age:.0f} s (more than {limit:.0f} s)"
    return None


CHECKS = {"web": web, "worker": worker, "beat": beat}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] not in CHECKS:
        sys.stderr.write(f"usage: {argv[0]} {{{','.join(CHECKS)}}}\n")
        return 2
    from django.core.exceptions import ImproperlyConfigured

    try:
        problem = CHECKS[argv[1]]()
    except ImproperlyConfigured as error:
        problem = f"configuration error: {error}"
    if problem:
        sys.stderr.write(f"unhealthy: {problem}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
