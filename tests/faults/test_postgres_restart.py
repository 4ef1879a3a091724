"""PostgreSQL restarted (`pg_ctl restart -m fast`) in the middle of a write load of intakes and
payments, served by gunicorn as in production, on a throwaway cluster of the test's own
(tests/faults/pgcluster.py; the machine's shared server is never touched). Clients send each
intake and each payment with an Idempotency-Key and send it again, as it is, after a refused
connection, a 5xx or a timeout. Afterwards every intended intake is one case with one
designation, and every intended payment one row: nothing lost, nothing doubled, and each client
holds the id the database kept for its key.

Marked `pgfault`: `make test` runs it on its own when DATABASE_URL is PostgreSQL (CI's second
pass); it does not use that database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import service_missing
from tests.faults.pgcluster import Cluster, ClusterUnavailable, free_port

ROOT = Path(__file__).resolve().parents[2]
INTAKES = 40
PAYMENTS = 40
CLIENTS = 8
AMOUNT = "10.00"
RESTART_AFTER = 20  # answers received before the restart
RETRYABLE = {0, 500, 502, 503, 504}  # 0: no answer (refused, reset, timed out)

pytestmark = pytest.mark.pgfault


@dataclass
class Outcome:
    key: str
    object_id: int
    statuses: list[int] = field(default_factory=list)


@dataclass
class Server:
    url: str
    world: dict[str, Any]
    cluster: Cluster


def _environment(cluster: Cluster, mail: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "DATABASE_URL": cluster.url,
        "EMAIL_FILE_PATH": str(mail),  # the proposals' e-mails, sent inline (no Redis)
        "API_USER_REQUESTS_PER_MINUTE": "100000",
        "LOG_LEVEL": "ERROR",
    }


def _run(command: list[str], env: dict[str, str]) -> str:
    finished = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    return finished.stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The cluster, migrated, with the world (tests/faults/pgload_world.py), behind gunicorn."""
    try:
        cluster = Cluster()
    except ClusterUnavailable as reason:
        service_missing(f"No throwaway PostgreSQL cluster: {reason}")
    gunicorn: subprocess.Popen[bytes] | None = None
    try:
        cluster.start()
        env = _environment(cluster, tmp_path_factory.mktemp("mail"))
        _run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
        world = json.loads(_run([sys.executable, "-m", "tests.faults.pgload_world"], env))
        port = free_port()
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--threads", "4", "--timeout", "30"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while _send("GET", f"{url}/healthz", None, None, None)[0] != 200:
            assert gunicorn.poll() is None, "gunicorn stopped at start"
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
        yield Server(url=url, world=world, cluster=cluster)
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        cluster.stop()


def _send(
    method: str, url: str, token: str | None, key: str | None, body: dict[str, Any] | None
) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    if key:
        headers["Idempotency-Key"] = key
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, text[:200]
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0, None


def _until_recorded(url: str, token: str, key: str, body: dict[str, Any]) -> Outcome:
    """What a careful client does: the same request, same key, until it gets its 201."""
    outcome = Outcome(key=key, object_id=0)
    deadline = time.monotonic() + 45
    while True:
        status, answer = _send("POST", url, token, key, body)
        outcome.statuses.append(status)
        if status == 201:
            outcome.object_id = answer["id"]
            return outcome
        assert status in RETRYABLE, f"{status}: {answer}"
        assert time.monotonic() < deadline, f"not recorded: {outcome.statuses}"
        time.sleep(0.1)


def _intake(server: Server, number: int) -> Outcome:
    body = {
        "victim": {
            "given_names": f"Load {number:03d}",
            "family_name": "Restart",
            "date_of_birth": "2011-03-14",
            "language": "nl",
        },
        "district": "antwerpen",
    }
    key = f"pgfault-intake-{number}-{uuid.uuid4().hex[:8]}"
    token = server.world["office_token"]
    return _until_recorded(f"{server.url}/api/v1/intake/", token, key, body)


def _payment(server: Server, number: int) -> Outcome:
    body = {
        "amount": AMOUNT,
        "paid_on": server.world["given_on"],
        "payer_kind": "defendant",
        "payer_party": server.world["payer"],
        "destination": "blocked_account_minor",
        "reference": f"Load {number}",
    }
    key = f"pgfault-payment-{number}-{uuid.uuid4().hex[:8]}"
    url = f"{server.url}/api/v1/judgments/{server.world['judgment']}/payments/"
    return _until_recorded(url, server.world["lawyer_token"], key, body)


def _rows(cluster: Cluster, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(cluster.url.replace("postgres://", "postgresql://")) as db:
        return list(db.execute(query).fetchall())


def test_a_database_restart_under_load_loses_and_doubles_no_designation_and_no_payment(
    server: Server,
) -> None:
    answered = threading.Semaphore(0)
    restarted = threading.Event()

    def then_count(job: Any, number: int) -> Outcome:
        outcome: Outcome = job(server, number)
        answered.release()
        return outcome

    def restart_in_the_middle() -> None:
        for _ in range(RESTART_AFTER):
            answered.acquire(timeout=60)
        server.cluster.restart()
        restarted.set()

    restarter = threading.Thread(target=restart_in_the_middle)
    restarter.start()
    jobs = [(_intake, n) for n in range(INTAKES)] + [(_payment, n) for n in range(PAYMENTS)]
    jobs = [job for pair in zip(jobs[:INTAKES], jobs[INTAKES:], strict=True) for job in pair]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as clients:
        outcomes = list(clients.map(lambda job: then_count(*job), jobs))
    took = time.monotonic() - started
    restarter.join(timeout=60)

    assert restarted.is_set()
    intakes, payments = outcomes[0::2], outcomes[1::2]
    kept_intakes = dict(
        _rows(server.cluster, "SELECT key, object_id FROM idempotency_idempotencykey")
    )
    designations = _rows(
        server.cluster,
        "SELECT case_id, count(*) FROM legalaid_designation GROUP BY case_id",
    )
    kept_payments = dict(
        _rows(
            server.cluster,
            "SELECT idempotency_key, id FROM claims_payment WHERE idempotency_key LIKE 'pgfault-%'",
        )
    )
    (total,) = _rows(
        server.cluster,
        f"SELECT count(*), sum(amount) FROM claims_payment WHERE judgment_id = "
        f"{server.world['judgment']}",
    )
    (cases,) = _rows(server.cluster, "SELECT count(*) FROM legalaid_case")

    # Every intended intake opened one case, the one its client was answered, with one
    # designation; nothing else was opened (the world's three cases and these).
    assert kept_intakes == {o.key: o.object_id for o in intakes}
    assert cases == (3 + INTAKES,)
    per_case = dict(designations)
    assert [per_case.get(o.object_id) for o in intakes] == [1] * INTAKES
    # Every intended payment is one row, the one its client was answered.
    assert kept_payments == {o.key: o.object_id for o in payments}
    assert total == (PAYMENTS, PAYMENTS * Decimal(AMOUNT))
    # The restart did hit the load: some requests went unanswered or failed and were sent again.
    retried = [o for o in outcomes if len(o.statuses) > 1]
    failures = sorted({s for o in outcomes for s in o.statuses if s != 201})
    print(
        f"\n{INTAKES} intakes and {PAYMENTS} payments in {took:.1f} s; "
        f"{len(retried)} sent more than once ({sum(len(o.statuses) - 1 for o in outcomes)} "
        f"retries; answers before success: {failures})"
    )
    assert retried, "the restart fell between requests: no request had to be sent again"
