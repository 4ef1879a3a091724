"""Load benchmark of the API under gunicorn on loopback, at 100,000 cases on PostgreSQL.

The designation benchmark's world (2,000 lawyers over 12 bars, 100,000 cases with their
designations and parties, bulk-created), plus civil claims written through the services on
accepted cases of the busiest office (Brussels, about 16,700 cases): two defendants, a final
judgment with three awards (in solidum damages with legal interest, damages, costs) and two years
of monthly instalments each. 100 office users of that office authenticate with DRF tokens, in
turn (the API allows 300 requests a minute per user; the throttles count in Redis when
BENCH_REDIS_URL is given, as in production).

Measured through gunicorn as deploy/web starts it (deploy/gunicorn.conf.py: 2 sync workers) by a
client process with CONCURRENCY connections, each request on a new connection (a sync worker
does not keep connections alive): the case list (a page of 50, pages 1-10 in turn), a case's
file (200 cases in turn, each read recorded in the audit trail), and a claim's balances (the
claims in turn). Reported: p50/p95 latency as the client sees it, requests per second, and the
queries per request, counted in the benchmark's own process (CaptureQueriesContext) — the list's
at page sizes 10 and 50, which must be equal (else the run fails). The floor, same run, same
server, same client, in alternate batches: bare Django views returning the same rows with
`.values()` and `JsonResponse` (benchmarks/_api_floor.py). Goals: p95 ≤ 50 ms, throughput at
least half the floor's.

    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
        BENCH_REDIS_URL=redis://127.0.0.1:6379/15 .venv/bin/python benchmarks/api_load.py
    BENCH_SIZE=tiny ...                                             # smoke test (CI)

Without BENCH_POSTGRES_URL or DATABASE_URL it runs on a SQLite file and says so.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h
import designation

SIZE, TINY_SIZE = (2_000, 100_000), (60, 600)  # lawyers, cases
CLAIMS, TINY_CLAIMS = 20, 2
INSTALMENTS, TINY_INSTALMENTS = 24, 3
REQUESTS, TINY_REQUESTS = 2_000, 40  # measured per endpoint, API and floor alike
WARM_UP, TINY_WARM_UP = 60, 8
# The API's requests and the floor's alternate in batches, so that both see the same machine
# (one shared with other work drifts within a run).
ROUNDS, TINY_ROUNDS = 10, 1
DETAIL_CASES = 200
# Office users of the Brussels office, each with a token, taking turns: the API's throttle allows
# 300 requests a minute per user (counted in the cache: Redis when BENCH_REDIS_URL is given).
USERS, TINY_USERS = 100, 4
LIST_PAGES = 10
# The web process as deploy/web starts it (deploy/gunicorn.conf.py: sync workers, one per core,
# WEB_CONCURRENCY=2), on a loopback port and without replacing its workers every 1,000 requests:
# a worker's start-up (1-2 s of CPU) would land inside the measured requests. The two cores are
# shared with PostgreSQL and with the client. Three connections keep both workers busy (a
# request is always waiting when one finishes) without a long queue in front of them.
WORKERS = 2
CONCURRENCY = 3
BENCH = Path(__file__).resolve().parent


# --- The data ----------------------------------------------------------------------------------


def claims(world: dict[str, Any], count: int, instalments: int, rng: random.Random) -> list[int]:
    """`count` civil claims through the services, on accepted cases of the Brussels office old
    enough for their instalments (monthly, from 260 days after the intake; not measured)."""
    from django.utils import timezone

    from claims.models import (
        AwardKind,
        ClaimStage,
        InterestKind,
        JudgmentStatus,
        PayerKind,
        PaymentDestination,
    )
    from claims.selectors import legal_interest_rate_gap_years
    from claims.services.claims import claim_constitute
    from claims.services.judgments import award_record, judgment_record, judgment_status_change
    from claims.services.payments import payment_record
    from legalaid.models import Designation, DesignationStatus, PartyRole, Role, User
    from legalaid.services.parties import party_add

    office, staff = world["offices"]["brussel"], world["staff"]["brussel"]
    today = timezone.localdate()
    accepted = (
        Designation.objects.filter(
            case__office=office,
            status=DesignationStatus.ACCEPTED,
            case__intake_on__lte=today - dt.timedelta(days=270 + 30 * instalments),
        )
        .select_related("case", "lawyer")
        .order_by("case_id")[:count]
    )
    ids = []
    users: dict[int, User] = {}  # a lawyer may have accepted several of these cases
    for index, row in enumerate(accepted):
        case, lawyer = row.case, row.lawyer
        if lawyer.pk not in users:
            lawyer.user = User.objects.create_user(f"bench-lawyer-{lawyer.pk}", role=Role.LAWYER)
            lawyer.save(update_fields=["user"])
            users[lawyer.pk] = lawyer.user
        actor = users[lawyer.pk]
        pimp, client = (
            party_add(actor=staff, case=case, role=role, full_name=f"{name} {index}")
            for role, name in ((PartyRole.PIMP, "Bench Pimp"), (PartyRole.CLIENT, "Bench Client"))
        )

        def day(offset: int, start: dt.date = case.intake_on) -> dt.date:
            return start + dt.timedelta(days=offset)

        claim = claim_constitute(
            actor=actor, case=case, stage=ClaimStage.HEARING, court="Correctionele rechtbank",
            defendants=[pimp, client], constituted_on=day(30),
        )  # fmt: skip
        judgment = judgment_record(
            actor=actor, claim=claim, given_on=day(200), court="Correctionele rechtbank",
            reference=f"BENCH/{index}",
        )  # fmt: skip
        judgment_status_change(
            actor=actor, judgment=judgment, status=JudgmentStatus.FINAL, on=day(230)
        )
        interest: dict[str, Any] = {"interest_from": day(100)}
        if legal_interest_rate_gap_years(day(100), today):  # a year the rate table lacks
            interest["fixed_percent"] = Decimal("4.50")
        for kind, amount, debtors, interest_kind in (
            (AwardKind.DAMAGES, "6000.00", [pimp, client], InterestKind.MORATORY),
            (AwardKind.DAMAGES, "1200.00", [pimp], InterestKind.COMPENSATORY),
            (AwardKind.COSTS, "1440.00", [pimp], InterestKind.NONE),
        ):
            award_record(
                actor=actor, judgment=judgment, kind=kind, amount=Decimal(amount),
                debtors=debtors, interest_kind=interest_kind,
                **(interest if interest_kind != InterestKind.NONE else {}),
            )  # fmt: skip
        for month in range(instalments):
            payment_record(
                actor=actor, judgment=judgment, amount=Decimal(rng.choice(["150.00", "250.00"])),
                paid_on=day(260 + 30 * month), payer_kind=PayerKind.DEFENDANT,
                payer_party=pimp if month % 3 else client,
                destination=PaymentDestination.BLOCKED_ACCOUNT_MINOR,
                reference=f"Instalment {month + 1}",
            )  # fmt: skip
        ids.append(claim.pk)
    if len(ids) < count:
        raise SystemExit(f"Only {len(ids)} accepted cases old enough for {count} claims.")
    return ids


def office_tokens(office: Any, count: int) -> list[str]:
    """`count` office users of the office, each with an API token (bulk-created)."""
    from django.contrib.auth.hashers import make_password
    from rest_framework.authtoken.models import Token

    from legalaid.models import Role, User

    users = User.objects.bulk_create(
        User(username=f"bench-office-{index}", role=Role.OFFICE, office=office,
             password=make_password(None))
        for index in range(count)
    )  # fmt: skip
    tokens = Token.objects.bulk_create(Token(key=Token.generate_key(), user=u) for u in users)
    return [token.key for token in tokens]


# --- Queries per request, in this process ------------------------------------------------------


def queries(client: Any, url: str) -> tuple[int, Any]:
    """The queries one request makes (asked once before, so that nothing is loaded lazily)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return len(captured.captured_queries), json.loads(response.content)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"api_load: {message}")


# --- The server and the client -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def gunicorn(database_url: str, redis_url: str) -> Iterator[int]:
    """gunicorn with deploy/gunicorn.conf.py (WORKERS sync workers, its access log) on a free
    loopback port, on this run's database, with the benchmark's settings (the floor's URLs
    beside the project's); the cache (the API's throttles count there) on Redis when given, else
    in each worker's memory."""
    port = free_port()
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "_api_settings",
        "WEB_CONCURRENCY": str(WORKERS),
        "PYTHONPATH": os.pathsep.join([str(h.ROOT), str(BENCH)]),
    }
    (h.ROOT / "var").mkdir(exist_ok=True)
    log = open(h.ROOT / "var" / "bench-api-load-gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--max-requests", "0"],
        env=env, cwd=h.ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                sys.stderr.write((h.ROOT / "var" / "bench-api-load-gunicorn.log").read_text())
                raise SystemExit("api_load: gunicorn did not start.")
            time.sleep(0.2)
        yield port
    finally:
        server.send_signal(signal.SIGTERM)  # graceful: the workers finish and close their
        try:  # database connections, so that the database can be dropped
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def load(port: int, paths: list[str], tokens: list[str], requests: int, warm_up: int) -> Any:
    """Run the client in its own small process (no Django, no large heap) and return what it
    measured: each request's latency and the wall time of the measured requests."""
    spec = {"port": port, "paths": paths, "tokens": tokens, "requests": requests,
            "warm_up": warm_up, "concurrency": CONCURRENCY}  # fmt: skip
    process = subprocess.run(
        [sys.executable, __file__, "--client"],
        input=json.dumps(spec), capture_output=True, text=True, check=False,
    )  # fmt: skip
    if process.returncode != 0:
        sys.stderr.write(process.stderr)
        raise SystemExit("api_load: the client failed.")
    return json.loads(process.stdout)


def client_run() -> None:
    """The load client: CONCURRENCY threads, each asking the next path in turn on a new
    connection and timing it from connect to the last byte of the body. Prints JSON."""
    import http.client
    import itertools

    gc.disable()  # a small process; no pause of the collector inside a request's time
    spec = json.load(sys.stdin)
    headers = {"Accept": "application/json", "Accept-Language": "en"}
    paths, tokens = spec["paths"], spec["tokens"]

    def run(total: int) -> tuple[list[float], float]:
        tickets = itertools.count()
        durations: list[float] = []
        failures: list[str] = []

        def worker() -> None:
            while (ticket := next(tickets)) < total:
                path = paths[ticket % len(paths)]
                sent = headers
                if tokens:
                    sent = {**headers, "Authorization": f"Token {tokens[ticket % len(tokens)]}"}
                started = time.perf_counter()
                connection = http.client.HTTPConnection("127.0.0.1", spec["port"], timeout=30)
                connection.request("GET", path, headers=sent)
                response = connection.getresponse()
                body = response.read()
                durations.append(time.perf_counter() - started)
                connection.close()
                if response.status != 200:
                    failures.append(f"{path}: {response.status} {body[:200]!r}")

        threads = [threading.Thread(target=worker) for _ in range(spec["concurrency"])]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        if failures:
            raise SystemExit(f"{len(failures)} failed requests, e.g. {failures[0]}")
        return durations, wall

    run(spec["warm_up"])
    durations, wall = run(spec["requests"])
    print(json.dumps({"durations": durations, "wall_s": wall}))


# --- The run -----------------------------------------------------------------------------------


def database_url(vendor: str) -> str:
    from django.db import connection

    settings = connection.settings_dict
    if vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{user}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def run() -> dict[str, Any]:
    postgres = os.environ.get("DATABASE_URL") or os.environ.get("BENCH_POSTGRES_URL")
    if postgres:
        os.environ["DATABASE_URL"] = postgres
    else:
        os.environ.pop("DATABASE_URL", None)
        print("api_load: no BENCH_POSTGRES_URL or DATABASE_URL: running on SQLite.")
    # Redis serves the server's cache only; this process sends its tasks to a broker in memory.
    redis_url = os.environ.get("BENCH_REDIS_URL") or os.environ.pop("REDIS_URL", "")
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "_api_settings"
    h.setup_django()
    h.tasks_queued_not_run()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from legalaid.models import Case

    lawyers, cases = TINY_SIZE if h.TINY else SIZE
    requests, warm_up, rounds = (
        (TINY_REQUESTS, TINY_WARM_UP, TINY_ROUNDS) if h.TINY else (REQUESTS, WARM_UP, ROUNDS)
    )
    figures: dict[str, Any] = {"size": "tiny" if h.TINY else "full", "cases": cases,
                               "lawyers": lawyers, "workers": WORKERS,
                               "concurrency": CONCURRENCY, "requests": requests,
                               "cache": "redis" if redis_url else "memory"}  # fmt: skip
    rng = random.Random(2019)
    with h.fresh_database("api_load") as vendor:
        figures["backend"] = vendor
        started = time.perf_counter()
        world = designation.build(lawyers, cases, rng)
        claim_ids = claims(
            world, TINY_CLAIMS if h.TINY else CLAIMS,
            TINY_INSTALMENTS if h.TINY else INSTALMENTS, rng,
        )  # fmt: skip
        with connection.cursor() as cursor:  # as autovacuum leaves a production database:
            # statistics, and the visibility map that lets a count read the index alone
            cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
        office = world["offices"]["brussel"]
        tokens = office_tokens(office, TINY_USERS if h.TINY else USERS)
        token = tokens[0]
        figures["setup_s"] = round(time.perf_counter() - started, 1)
        as_of = timezone.localdate().isoformat()
        office_case_ids = list(
            Case.objects.filter(office=office).order_by("pk").values_list("pk", flat=True)
        )
        case_ids = rng.sample(office_case_ids, min(DETAIL_CASES, len(office_case_ids)))
        figures["office_cases"] = len(office_case_ids)
        pages = range(1, min(LIST_PAGES, len(office_case_ids) // 50) + 1)
        endpoints = {
            "case_list": (
                [f"/api/v1/cases/?page={page}" for page in pages],
                [f"/floor/offices/{office.pk}/cases/?page={page}" for page in pages],
            ),
            "case_detail": (
                [f"/api/v1/cases/{pk}/" for pk in case_ids],
                [f"/floor/cases/{pk}/" for pk in case_ids],
            ),
            "claim_balances": (
                [f"/api/v1/claims/{pk}/balances/?as_of={as_of}" for pk in claim_ids],
                [f"/floor/claims/{pk}/balances/?as_of={as_of}" for pk in claim_ids],
            ),
        }

        # Queries per request, in this process, and the floor's rows against the API's.
        client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token}")
        small, page_10 = queries(client, "/api/v1/cases/?page_size=10")
        large, page_50 = queries(client, "/api/v1/cases/?page_size=50")
        floor_count, floor_page = queries(client, f"/floor/offices/{office.pk}/cases/")
        check(len(page_10["results"]) == 10 and len(page_50["results"]) == 50, "short pages")
        check(
            [row["id"] for row in page_50["results"]] == [r["id"] for r in floor_page["results"]]
            and page_50["count"] == floor_page["count"],
            "the floor's page is not the API's",
        )
        figures |= {"case_list_queries_page_size_10": small,
                    "case_list_queries_page_size_50": large,
                    "case_list_queries_constant": small == large,
                    "case_list_floor_queries": floor_count}  # fmt: skip
        check(small == large, f"the case list's queries grow with the page: {small} → {large}")
        for name, (api_paths, floor_paths) in endpoints.items():
            if name == "case_list":
                figures[f"{name}_queries"] = large
                continue
            count, api_body = queries(client, api_paths[0])
            floor_count, floor_body = queries(client, floor_paths[0])
            check(api_body.get("id", api_body.get("claim")) == floor_body["id"], name)
            figures[f"{name}_queries"] = count
            figures[f"{name}_floor_queries"] = floor_count
        for name in endpoints:
            print(f"{vendor} {name}: {figures[f'{name}_queries']} queries per request "
                  f"(floor {figures[f'{name}_floor_queries']})")  # fmt: skip
        print(f"{vendor} case_list: queries at page size 10 and 50: {small}, {large}")
        connection.close()

        # Under load, through gunicorn.
        figures["load_average_1_min_before"] = round(os.getloadavg()[0], 2)
        with gunicorn(database_url(vendor), redis_url) as port:
            for name, (api_paths, floor_paths) in endpoints.items():
                sides: tuple[tuple[str, list[str], list[str]], ...] = (
                    ("", api_paths, tokens),
                    ("floor_", floor_paths, []),
                )
                durations: dict[str, list[float]] = {kind: [] for kind, _, _ in sides}
                walls = dict.fromkeys(durations, 0.0)
                for _kind, paths, keys in sides:
                    load(port, paths, keys, 0, warm_up)
                for _ in range(rounds):
                    for kind, paths, keys in sides:
                        measured = load(port, paths, keys, requests // rounds, 0)
                        durations[kind] += measured["durations"]
                        walls[kind] += measured["wall_s"]
                for kind, _, _ in sides:
                    result = h.summary_ms(durations[kind])
                    result["rps"] = round(len(durations[kind]) / walls[kind], 1)
                    figures |= {f"{name}_{kind}{k}": v for k, v in result.items()}
                    print(f"{vendor} {name}{' floor' if kind else ''}: p50 {result['p50_ms']} ms, "
                          f"p95 {result['p95_ms']} ms, {result['rps']} requests/s")  # fmt: skip
                ratio = round(figures[f"{name}_rps"] / figures[f"{name}_floor_rps"], 2)
                figures[f"{name}_rps_over_floor_rps"] = ratio
                figures[f"{name}_p95_goal_met"] = figures[f"{name}_p95_ms"] <= 50
                figures[f"{name}_rps_goal_met"] = ratio >= 0.5
                print(f"{vendor} {name}: throughput {ratio} of the floor's (goal ≥ 0.5), "
                      f"p95 {'≤' if figures[f'{name}_p95_goal_met'] else '>'} 50 ms")  # fmt: skip
        figures["load_average_1_min_after"] = round(os.getloadavg()[0], 2)
    return figures


def main() -> None:
    if "--client" in sys.argv:
        client_run()
        return
    h.publish("api_load", run())


if __name__ == "__main__":
    main()
