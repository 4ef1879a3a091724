"""Shared plumbing for the benchmarks: a fresh database per run, timing, and the result file.

Every benchmark prints its figures and, as its last line, one JSON object (snake_case names with
units), also written to benchmarks/results/<name>.json. BENCH_SIZE=tiny runs a smoke-sized
version (CI) and writes <name>.tiny.json instead, so that it never replaces real figures."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
TINY = os.environ.get("BENCH_SIZE", "full") == "tiny"


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def tasks_queued_not_run() -> None:
    """Tasks go to the broker and are not run in this process (the settings' embedded default
    runs them inline): what a service sends after commit, such as the e-mail of a proposal, costs
    here what it costs a web process, the message, not the worker's task. Without REDIS_URL the
    broker is in memory, and the messages stay there."""
    from config.celery import app

    app.conf.task_always_eager = False


@contextmanager
def fresh_database(label: str) -> Iterator[str]:
    """Create an empty, migrated database (a file for SQLite), yield its vendor, drop it. On
    PostgreSQL it is named `bench_<label>`, never the `test_…` name a test run may be using."""
    from django.db import connection

    if connection.vendor == "sqlite":
        path = ROOT / "var" / f"bench-{label}.sqlite3"
        path.parent.mkdir(exist_ok=True)
        connection.settings_dict["TEST"]["NAME"] = str(path)
    else:
        connection.settings_dict["TEST"]["NAME"] = f"bench_{label}".replace("-", "_")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield connection.vendor
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(values) * 1000, 3),
        "p95_ms": round(percentile(values, 95) * 1000, 3),
        "mean_ms": round(statistics.fmean(values) * 1000, 3),
    }


def run_per_backend(script: Path, postgres_url: str | None) -> list[dict[str, Any]]:
    """Run `script --backend` once on SQLite and, when given, once on PostgreSQL."""
    runs = [("sqlite", {"DATABASE_URL": ""})]
    if postgres_url:
        runs.append(("postgresql", {"DATABASE_URL": postgres_url}))
    results = []
    for backend, extra in runs:
        env = {**os.environ, **extra}
        if not env["DATABASE_URL"]:
            env.pop("DATABASE_URL")
        process = subprocess.run(
            [sys.executable, str(script), "--backend"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        sys.stdout.write(process.stdout[: process.stdout.rstrip().rfind("\n") + 1])
        if process.returncode != 0:
            sys.stderr.write(process.stderr)
            raise SystemExit(f"The {backend} run failed (exit {process.returncode}).")
        results.append(json.loads(process.stdout.strip().splitlines()[-1]))
    return results


def publish(name: str, figures: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"{name}{'.tiny' if TINY else ''}.json"
    line = json.dumps(figures, sort_keys=True)
    target.write_text(line + "\n")
    print(line)
