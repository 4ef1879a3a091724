"""The production stack, without Docker: the same deploy/ scripts as docker-compose.yml (gunicorn
after guarded migrations, a Celery worker, beat) with the production settings, their secrets in
files (`*_FILE`, made by deploy/make-secrets), on a fresh PostgreSQL database and a Redis
database of their own; static files collected first, as the image does. Then, over HTTP as
through the TLS-terminating proxy: the first administrator (deploy/create_admin.py) signs in and
sets up the second factor, adds a bar, its office and an office account in the admin; the office
signs in (second factor too), adds a lawyer and takes in a case through the API, asks for the
designation letter, the worker renders it, and the PDF comes back.

Run with `make smoke` (CI's own step). STACK_POSTGRES_URL names the PostgreSQL server (a database
is created in it and dropped after), STACK_REDIS_URL the Redis database to use (emptied before
and after: not the tests' 15)."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import redis
from django.conf import settings
from django.test import override_settings

from documents import files
from tests.cast import current_code
from tests.conftest import service_missing
from tests.stack.browser import Browser, inputs
from tests.stack.conftest import TIMINGS
from tests.stack.smtp import smtp_sink

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
POSTGRES_SERVER = os.environ.get(
    "STACK_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379/14")
ADMIN_PASSWORD = "smoke-admin-Passw0rd-7341"
OFFICE_PASSWORD = "smoke-office-Passw0rd-2958"
START_SECONDS = 180
RENDER_SECONDS = 120

pytestmark = pytest.mark.stack


@dataclass
class Stack:
    base_url: str
    env: dict[str, str]
    logs: Path
    media_root: Path
    mail: list[bytes]
    began: float
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def mark(self, stage: str) -> None:
        """Seconds from the stack's start to the end of `stage`."""
        self.timings[stage] = time.monotonic() - self.began

    def start(self, name: str, *command: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [*command], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with all its children
        )  # fmt: skip
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def run(self, *command: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command], cwd=ROOT, env=self.env, input=stdin, capture_output=True, text=True,
            timeout=120, check=False,
        )  # fmt: skip

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def _wait_until(check: object, seconds: float, what: str, stack: Stack) -> None:
    deadline = time.monotonic() + seconds
    while not callable(check) or not check():
        for name, process in stack.processes.items():
            if name != "migrate" and process.poll() is not None:
                pytest.fail(f"{name} stopped ({process.returncode}):\n{stack.log(name)[-3000:]}")
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {n}\n{stack.log(n)[-2000:]}" for n in stack.processes)
            pytest.fail(f"{what}: not within {seconds} s\n{logs}")
        time.sleep(0.25)


def _services() -> tuple[psycopg.Connection, redis.Redis]:
    if settings.REDIS_URL and urlsplit(settings.REDIS_URL)[1:3] == urlsplit(REDIS_URL)[1:3]:
        pytest.fail("STACK_REDIS_URL must name another Redis database than the tests' REDIS_URL")
    try:
        server = psycopg.connect(POSTGRES_SERVER, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError:
        service_missing("PostgreSQL at STACK_POSTGRES_URL is unreachable")
    broker = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        broker.ping()
    except redis.exceptions.ConnectionError:
        service_missing("Redis at STACK_REDIS_URL is unreachable")
    return server, broker


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Iterator[Stack]:
    began = time.monotonic()
    server, broker = _services()
    database = f"lanzarote_stack_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    home = tmp_path_factory.mktemp("stack")
    secrets = home / "secrets"
    port = _free_port()
    timings: dict[str, float] = {}
    with ExitStack() as cleanup:  # undone in reverse order, whatever fails

        @cleanup.callback
        def _report() -> None:  # the last: once everything else is undone
            timings["stopped, database dropped"] = time.monotonic() - began
            pytestconfig.stash[TIMINGS] = timings

        cleanup.callback(server.close)
        cleanup.callback(broker.flushdb)
        broker.flushdb()
        server.execute(f'CREATE DATABASE "{database}"')
        cleanup.callback(server.execute, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        mail_port, mail = cleanup.enter_context(smtp_sink())
        subprocess.run([DEPLOY / "make-secrets", secrets], check=True, capture_output=True)
        stack = Stack(
            base_url=f"http://127.0.0.1:{port}",
            logs=home,
            media_root=home / "media",
            mail=mail,
            began=began,
            timings=timings,
            env={
                # A clean environment: nothing of the tests' own (DATABASE_URL, REDIS_URL, CI…).
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
                "HOME": str(home),
                "LANG": "C.UTF-8",
                "DJANGO_SETTINGS_MODULE": "config.settings.production",
                "DATABASE_URL": urlunsplit(urlsplit(POSTGRES_SERVER)._replace(path=f"/{database}")),
                "DATABASE_PASSWORD_FILE": str(secrets / "db_password"),
                "REDIS_URL": REDIS_URL,
                "SECRET_KEY_FILE": str(secrets / "secret_key"),
                "FIELD_ENCRYPTION_KEYS_FILE": str(secrets / "field_encryption_keys"),
                "BLIND_INDEX_KEY_FILE": str(secrets / "blind_index_key"),
                "AUDIT_CHAIN_KEY_FILE": str(secrets / "audit_chain_key"),
                "ALLOWED_HOSTS": "127.0.0.1",
                "MEDIA_ROOT": str(home / "media"),
                "STATIC_ROOT": str(home / "static"),
                "BEAT_SCHEDULE_FILE": str(home / "beat" / "schedule"),
                "PORT": str(port),
                # Listen on this machine only (the container listens on every interface).
                "GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port}",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(mail_port),
                "DEFAULT_FROM_EMAIL": "lanzarote@stack.example",
                # Beat's tasks every 5 s instead of every minute, to see them run.
                "DESIGNATION_EXPIRY_INTERVAL_SECONDS": "5",
                "DOCUMENT_REQUEUE_INTERVAL_SECONDS": "5",
            },
        )

        cleanup.callback(stack.stop)
        # As the image does.
        collected = stack.run(sys.executable, "manage.py", "collectstatic", "--noinput", "-v0")
        assert collected.returncode == 0, collected.stderr[-2000:]
        stack.mark("collectstatic")
        # Two web processes' migrations at once: deploy/web's, and one more on its own.
        stack.start("web", str(DEPLOY / "web"))
        stack.start("migrate", sys.executable, str(DEPLOY / "migrate.py"))
        _wait_until(lambda: _healthy(stack), START_SECONDS, "web answers /healthz", stack)
        stack.mark("web up (migrated)")
        # As compose's depends_on: the worker and beat once the web process has migrated.
        stack.start("worker", str(DEPLOY / "worker"))
        stack.start("beat", str(DEPLOY / "beat"))
        yield stack


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _healthy(stack: Stack) -> bool:
    try:
        return Browser(stack.base_url).get("/healthz").status == 200
    except OSError:
        return False


def _sign_in(browser: Browser, username: str, password: str) -> str:
    """Password, then (first sign-in) the second factor's set-up: the secret the page shows,
    as an authenticator app would take it, and its current code. Returns the secret."""
    signed = browser.submit("/accounts/login/", {"login": username, "password": password})
    assert (signed.status, signed.location) == (302, "/"), signed.status
    home = browser.get("/")
    assert home.location == "/accounts/2fa/totp/activate/"
    page = browser.get(home.location)
    secret = inputs(page.text).by_id["authenticator_secret"]["value"]
    activated = browser.submit(home.location, {"code": current_code(secret)}, page=page)
    assert activated.location == "/accounts/2fa/recovery-codes/", activated.status
    return secret


def _admin_add(browser: Browser, model: str, fields: dict[str, str]) -> int:
    """Add a row in the Django admin; its id, from the change page the admin sends to."""
    added = browser.submit(f"/admin/legalaid/{model}/add/", {**fields, "_continue": "1"})
    found = re.fullmatch(rf"/admin/legalaid/{model}/(\d+)/change/", added.location)
    assert added.status == 302 and found, (model, added.status)
    return int(found.group(1))


def test_web_answers_over_https_only_and_names_no_software(stack: Stack) -> None:
    browser = Browser(stack.base_url)

    plain = browser.get("/healthz", behind_tls=False)
    health = browser.get("/healthz")
    static = browser.get("/static/portal/site.css")

    assert (plain.status, plain.location) == (
        301,
        f"https://{urlsplit(stack.base_url).netloc}/healthz",
    )
    assert (health.status, health.json()) == (200, {"status": "ok"})
    assert "Strict-Transport-Security" in health.headers
    assert static.status == 200 and static.headers["Content-Type"].startswith("text/css")
    assert (Path(stack.env["STATIC_ROOT"]) / "portal" / "site.css").read_bytes() == static.body
    # gunicorn's own header, replaced by deploy/gunicorn.conf.py: no "gunicorn", no version.
    assert browser.server_headers == {"web"}


def test_the_first_admin_and_the_office_take_in_a_case_and_get_its_document(
    stack: Stack,
) -> None:
    created = stack.run(
        sys.executable, str(DEPLOY / "create_admin.py"), "admin-smoke", stdin=ADMIN_PASSWORD + "\n"
    )
    assert created.returncode == 0, created.stderr
    again = stack.run(
        sys.executable, str(DEPLOY / "create_admin.py"), "admin-smoke", stdin=ADMIN_PASSWORD + "\n"
    )
    assert (again.returncode, again.stderr) == (1, "There is already a user called admin-smoke.\n")

    admin = Browser(stack.base_url)
    _sign_in(admin, "admin-smoke", ADMIN_PASSWORD)
    bar = _admin_add(admin, "bar", {"name": "Balie Rookproef", "district": "antwerpen"})
    office_id = _admin_add(
        admin,
        "legalaidoffice",
        {"bar": str(bar), "name": "BJB Rookproef", "email": "", "acceptance_deadline_hours": "4"},
    )
    _admin_add(
        admin,
        "user",
        {"username": "office-smoke", "usable_password": "true", "password1": OFFICE_PASSWORD,
         "password2": OFFICE_PASSWORD, "role": "office", "office": str(office_id)},
    )  # fmt: skip

    office = Browser(stack.base_url)
    _sign_in(office, "office-smoke", OFFICE_PASSWORD)
    lawyer = office.post(
        "/api/v1/lawyers/",
        json={"given_name": "Rook", "family_name": "Advocaat", "email": "rook@example.be",
              "languages": ["nl"], "districts": ["antwerpen"], "matters": ["youth", "victims"],
              "capacity": 3},
    )  # fmt: skip
    assert lawyer.status == 201, lawyer.text[:500]
    born = dt.date.today() - dt.timedelta(days=15 * 365)
    case = office.post(
        "/api/v1/intake/",
        json={"victim": {"given_names": "Rookje", "family_name": "Proefpersoon",
                         "date_of_birth": born.isoformat(), "language": "nl"},
              "district": "antwerpen", "matters": ["youth", "victims"]},
    )  # fmt: skip
    assert case.status == 201, case.text[:500]
    assert case.json()["active_designation"]["lawyer"] == lawyer.json()["id"]

    asked = office.post(
        "/api/v1/documents/", json={"case": case.json()["id"], "kind": "designation_letter"}
    )
    assert asked.status == 202, asked.text[:500]
    document_id = asked.json()["id"]
    stack.mark("signed in, case taken in")

    def ready() -> bool:
        status = office.get(f"/api/v1/documents/{document_id}/").json()["status"]
        assert status != "failed"
        return status == "ready"

    _wait_until(ready, RENDER_SECONDS, "the worker renders the document", stack)
    stack.mark("document rendered")
    download = office.get(f"/api/v1/documents/{document_id}/download/")

    assert download.status == 200
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.body.startswith(b"%PDF-")
    assert "no-store" in download.headers["Cache-Control"]
    # Written by the worker, read by the web process: the same documents' root (one volume),
    # the file encrypted at rest under the stack's own key (documents/files.py).
    stored = [p for p in stack.media_root.rglob("*") if p.is_file()]
    assert len(stored) == 1 and stored[0].read_bytes().startswith(b"LZF1\n")
    assert b"%PDF-" not in stored[0].read_bytes()
    keys = Path(stack.env["FIELD_ENCRYPTION_KEYS_FILE"]).read_text().strip()
    with override_settings(FIELD_ENCRYPTION_KEYS=keys):
        assert files.unseal(stored[0].read_bytes()) == download.body
    assert admin.server_headers | office.server_headers == {"web"}


def test_beat_sends_the_periodic_tasks_and_the_worker_runs_them(stack: Stack) -> None:
    def ran(task: str) -> bool:
        return f"Sending due task {task}" in stack.log("beat") and bool(
            re.search(rf"Task [a-z.]+{task.replace('-', '_')}\[[0-9a-f-]+\] succeeded",
                      stack.log("worker"))
        )  # fmt: skip

    _wait_until(
        lambda: ran("expire-overdue-designations") and ran("requeue-stuck-documents"),
        60,
        "beat's tasks run on the worker",
        stack,
    )


def test_the_compose_files_health_checks_pass_on_the_running_stack(stack: Stack) -> None:
    _wait_until(
        lambda: any((Path(stack.env["BEAT_SCHEDULE_FILE"]).parent).glob("schedule*")),
        30,
        "beat writes its schedule",
        stack,
    )
    for process in ("web", "worker", "beat"):
        checked = stack.run(sys.executable, str(DEPLOY / "healthcheck.py"), process)
        assert (process, checked.returncode, checked.stderr) == (process, 0, "")


def test_migrations_ran_once_although_two_processes_started_them(stack: Stack) -> None:
    other = stack.processes["migrate"]
    assert other.wait(timeout=60) == 0, stack.log("migrate")[-2000:]
    logs = stack.log("web") + stack.log("migrate")
    assert logs.count("Applying legalaid.0001_initial... OK") == 1


def test_the_application_mails_through_the_server_its_settings_name(stack: Stack) -> None:
    """The production settings send over SMTP, to the server the environment names (the stack's
    mail catcher in docker-compose.yml; here a server of the test's own): the worker told the
    lawyer proposed at intake, and a test e-mail goes the same way."""
    sent = stack.run(sys.executable, "manage.py", "sendtestemail", "office@example.be")

    assert sent.returncode == 0, sent.stderr[-2000:]
    messages = [message_from_bytes(raw) for raw in stack.mail]
    assert sorted((message["From"], message["To"]) for message in messages) == [
        ("lanzarote@stack.example", "office@example.be"),
        ("lanzarote@stack.example", "rook@example.be"),
    ]
