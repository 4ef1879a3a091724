"""The deploy/ scripts' own rules, without starting the stack (tests/stack/test_smoke.py does):
gunicorn's settings and its Server header, and the health checks' verdicts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import gunicorn.http.wsgi
import pytest
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _gunicorn_config(env: dict[str, str]) -> dict[str, object]:
    """deploy/gunicorn.conf.py as gunicorn reads it, in its own process (the file changes
    gunicorn's Server header where it is loaded)."""
    script = (
        "import json, sys; from gunicorn.app.base import Application\n"
        "class App(Application):\n"
        "    def init(self, *a): return {}\n"
        "    def load(self): pass\n"
        "app = App(); app.load_config_from_file('deploy/gunicorn.conf.py')\n"
        "import gunicorn.http.wsgi as w; c = app.cfg\n"
        "print(json.dumps({'bind': c.bind, 'workers': c.workers, 'wsgi_app': c.wsgi_app,\n"
        "  'access_log_format': c.access_log_format, 'accesslog': c.accesslog,\n"
        "  'control_socket_disable': c.control_socket_disable, 'server': w.SERVER}))\n"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"PORT", "WEB_CONCURRENCY"}}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env={**clean, **env},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    import json

    loaded = json.loads(result.stdout)
    assert isinstance(loaded, dict)
    return loaded


def test_gunicorn_serves_the_application_on_every_interface_with_a_worker_per_core() -> None:
    config = _gunicorn_config({})
    assert config["wsgi_app"] == "config.wsgi:application"
    assert (config["bind"], config["workers"]) == (["0.0.0.0:8000"], 2)
    assert config["control_socket_disable"] is True
    assert _gunicorn_config({"PORT": "9000", "WEB_CONCURRENCY": "4"})["bind"] == ["0.0.0.0:9000"]


def test_a_malformed_port_stops_gunicorn_naming_the_variable() -> None:
    with pytest.raises(AssertionError, match="PORT must be a whole number"):
        _gunicorn_config({"PORT": "eighty"})


def test_the_access_log_leaves_out_query_strings_and_addresses() -> None:
    config = _gunicorn_config({})
    log_format = str(config["access_log_format"])
    assert config["accesslog"] == "-"
    assert "%(U)s" in log_format  # the path alone
    for part in ("%(r)s", "%(q)s", "%(h)s", "%(f)s", "%(a)s", "%({"):
        assert part not in log_format, part


def test_gunicorns_server_header_names_no_software_and_no_version() -> None:
    config = _gunicorn_config({})
    assert config["server"] == "web"
    # What gunicorn writes with that constant (here, in this process: the file did not run).
    request = SimpleNamespace(version=(1, 1), method="GET", should_close=lambda: False)
    default = gunicorn.http.wsgi.Response(request, None, Config())
    default.status, default.status_code = "200 OK", 200
    assert "Server: gunicorn\r\n" in default.default_headers()  # why the file replaces it
    original = gunicorn.http.wsgi.SERVER
    try:
        gunicorn.http.wsgi.SERVER = str(config["server"])
        replaced = gunicorn.http.wsgi.Response(request, None, Config())
        replaced.status, replaced.status_code = "200 OK", 200
        assert "Server: web\r\n" in replaced.default_headers()
    finally:
        gunicorn.http.wsgi.SERVER = original


def _beat_health(tmp_path: Path, age_seconds: float | None) -> subprocess.CompletedProcess[str]:
    schedule = tmp_path / "beat" / "schedule"
    schedule.parent.mkdir(parents=True, exist_ok=True)
    if age_seconds is not None:
        written = schedule.with_name("schedule.dat")
        written.write_bytes(b"")
        then = time.time() - age_seconds
        os.utime(written, (then, then))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        {"DJANGO_SETTINGS_MODULE": "config.settings.local", "BEAT_SCHEDULE_FILE": str(schedule)}
    )
    return subprocess.run(
        [sys.executable, str(DEPLOY / "healthcheck.py"), "beat"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_beat_is_healthy_while_it_writes_its_schedule(tmp_path: Path) -> None:
    assert _beat_health(tmp_path, age_seconds=30).returncode == 0


def test_beat_is_unhealthy_once_its_schedule_is_stale_or_missing(tmp_path: Path) -> None:
    # Tasks every 60 s: written at least every 180 + 60 s; unhealthy past 180 s + twice 60 s.
    stale = _beat_health(tmp_path, age_seconds=301)
    assert stale.returncode == 1
    # The age as the check read it: the check's own start-up (seconds on a busy machine) adds.
    said = re.match(r"unhealthy: beat has not written its schedule for (\d+) s", stale.stderr)
    assert said is not None, stale.stderr
    assert 301 <= int(said.group(1)) < 301 + 60
    missing = _beat_health(tmp_path / "none", age_seconds=None)
    assert missing.returncode == 1
    assert missing.stderr.startswith("unhealthy: beat has written no schedule file")


def test_web_is_unhealthy_when_nothing_answers(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.local", "PORT": "1"})
    checked = subprocess.run(
        [sys.executable, str(DEPLOY / "healthcheck.py"), "web"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert checked.returncode == 1
    assert checked.stderr.startswith("unhealthy: /readyz does not answer")


def test_web_is_unhealthy_naming_the_check_readyz_says_failed() -> None:
    import http.server
    import threading

    class NotReady(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b'{"status": "unavailable", "failed": ["broker"]}'
            self.send_response(503 if self.path == "/readyz" else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), NotReady)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.local"})
    env["PORT"] = str(server.server_address[1])
    try:
        checked = subprocess.run(
            [sys.executable, str(DEPLOY / "healthcheck.py"), "web"], cwd=ROOT, env=env,
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    finally:
        server.shutdown()
    assert (checked.returncode, checked.stderr) == (
        1,
        "unhealthy: /readyz answers 503: broker cannot be reached\n",
    )


def test_the_start_scripts_refuse_a_malformed_switch() -> None:
    started = subprocess.run(
        [str(DEPLOY / "web")], cwd=ROOT, env={**os.environ, "MIGRATE_ON_START": "maybe"},
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert (started.returncode, started.stderr) == (
        2,
        "Configuration error: MIGRATE_ON_START must be true or false.\n",
    )
