"""Benchmark of the designation engine, on SQLite and PostgreSQL.

A panel of 2,000 lawyers over the 12 judicial districts (one bar per district), 100,000 existing
cases (most closed, a few open, some with defendants represented by panel lawyers), then 10,000
new intakes, each followed by the engine's automatic designation. Reported per backend: p50/p95
milliseconds per designation, designations per second, queries per designation at 200 and at
2,000 lawyers, and two floors measured in the same run: a bare indexed SELECT plus INSERT of one
designation row, committed; and the engine's own SQL replayed raw — the statements it sends for
one designation, captured, then executed again through the database cursor in one transaction,
rolled back (what the database alone costs, without the engine's Python).

    .venv/bin/python benchmarks/designation.py                      # SQLite, and PostgreSQL
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres ...  # if DATABASE_URL unset
    BENCH_SIZE=tiny .venv/bin/python benchmarks/designation.py      # smoke test (CI)
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h

SIZES = {
    # label: (lawyers, existing cases, new intakes)
    "small": (200, 10_000, 1_000),
    "full": (2_000, 100_000, 10_000),
}
TINY_SIZES = {"small": (24, 300, 40), "full": (60, 600, 40)}
DISTRICT_WEIGHT = {"brussel": 3, "antwerpen": 2, "oost-vlaanderen": 2, "henegouwen": 2, "luik": 2}
GIVEN = ["Lena", "Sara", "Ioana", "Amina", "Mia", "Noor", "Yasmine", "Julie", "Eva", "Lina"]
FAMILY = ["Peeters", "Janssens", "Dubois", "Lambert", "Maes", "Schmitz", "Claes", "Leclercq"]
PIMPS = ["Kevin", "Dylan", "Bryan", "Jordy", "Mehdi", "Steven", "Nicolas", "Ilias"]


def build(lawyers: int, cases: int, rng: random.Random) -> dict[str, Any]:
    """Bulk-create the panel and the existing cases (not measured)."""
    from django.utils import timezone

    from legalaid.crypto import name_index
    from legalaid.models import (
        Bar,
        Case,
        CaseStatus,
        Defendant,
        Designation,
        DesignationMethod,
        DesignationStatus,
        District,
        DistrictLanguage,
        Lawyer,
        LeavePeriod,
        LegalAidOffice,
        Matter,
        Party,
        PartyRole,
        Role,
        User,
        Victim,
    )

    now = timezone.now()
    today = timezone.localdate()
    districts = list(District.objects.order_by("code"))
    language = {
        dl.district_id: dl.language_id
        for dl in DistrictLanguage.objects.order_by("-language_id")  # Brussels: nl
    }
    offices = {}
    for district in districts:
        bar = Bar.objects.create(name=f"Bar {district.code}", district=district)
        offices[district.code] = LegalAidOffice.objects.create(bar=bar, name=f"BJB {district.code}")
    staff = {
        code: User.objects.create_user(f"staff-{code}", role=Role.OFFICE, office=office)
        for code, office in offices.items()
    }
    weights = [DISTRICT_WEIGHT.get(d.code, 1) for d in districts]
    homes = rng.choices(districts, weights=weights, k=lawyers)
    panel = Lawyer.objects.bulk_create(
        Lawyer(
            bar=offices[home.code].bar,
            given_name=rng.choice(GIVEN),
            family_name=f"{rng.choice(FAMILY)} {index}",
            email=f"lawyer{index}@example.be",
            capacity=rng.randint(8, 20),
            active=rng.random() > 0.05,
            youth_certified=rng.random() > 0.3,
        )
        for index, home in enumerate(homes)
    )
    matters = {m.code: m for m in Matter.objects.all()}
    through_lang, through_district, through_matter, leaves = [], [], [], []
    for lawyer, home in zip(panel, homes, strict=True):
        spoken = {language[home.code], *rng.sample(["en", "ar", "ro", "tr", "fr", "nl"], 2)}
        through_lang += [Lawyer.languages.through(lawyer=lawyer, language_id=c) for c in spoken]
        through_district.append(Lawyer.districts.through(lawyer=lawyer, district=home))
        listed = ["youth", "victims", "criminal"] if rng.random() > 0.1 else ["criminal"]
        through_matter += [Lawyer.matters.through(lawyer=lawyer, matter=matters[c]) for c in listed]
        if rng.random() < 0.05:
            leaves.append(
                LeavePeriod(lawyer=lawyer, starts_on=today - dt.timedelta(days=2), ends_on=today)
            )
    Lawyer.languages.through.objects.bulk_create(through_lang)
    Lawyer.districts.through.objects.bulk_create(through_district)
    Lawyer.matters.through.objects.bulk_create(through_matter)
    LeavePeriod.objects.bulk_create(leaves)

    by_district: dict[str, list[Lawyer]] = {}
    for lawyer, home in zip(panel, homes, strict=True):
        by_district.setdefault(home.code, []).append(lawyer)
    victims = Victim.objects.bulk_create(
        Victim(
            pseudonym=f"B-{index:07d}",
            given_names=rng.choice(GIVEN),
            family_name=f"{rng.choice(FAMILY)} {index}",
            date_of_birth=today - dt.timedelta(days=rng.randint(13 * 365, 17 * 365)),
            language_id=rng.choice(["nl", "fr", "ro", "ar"]),
        )
        for index in range(cases)
    )
    case_districts = rng.choices(districts, weights=weights, k=cases)
    case_rows = Case.objects.bulk_create(
        Case(
            reference=f"BENCH-{index:07d}",
            office=offices[district.code],
            victim=victim,
            district=district,
            language_id=language[district.code],
            status=CaseStatus.CLOSED if index % 20 else CaseStatus.LAWYER_DESIGNATED,
            intake_on=today - dt.timedelta(days=rng.randint(30, 3000)),
        )
        for index, (victim, district) in enumerate(zip(victims, case_districts, strict=True))
    )
    Case.matters.through.objects.bulk_create(
        Case.matters.through(case=case, matter=matters[code])
        for case in case_rows
        for code in ("youth", "victims")
    )
    open_load: dict[int, int] = {}
    designations = []
    for index, case in enumerate(case_rows):
        pool = by_district.get(case.district_id) or panel
        lawyer = rng.choice(pool)
        status = DesignationStatus.ENDED
        if index % 20 == 0 and open_load.get(lawyer.pk, 0) < lawyer.capacity // 3:
            status = DesignationStatus.ACCEPTED
            open_load[lawyer.pk] = open_load.get(lawyer.pk, 0) + 1
        proposed = now - dt.timedelta(days=rng.randint(30, 3000), minutes=rng.randint(0, 1440))
        designations.append(
            Designation(
                case=case,
                lawyer=lawyer,
                status=status,
                method=DesignationMethod.AUTOMATIC,
                proposed_at=proposed,
                respond_by=proposed + dt.timedelta(hours=4),
                decided_at=proposed + dt.timedelta(hours=1),
            )
        )
    Designation.objects.bulk_create(designations, batch_size=5000)
    # The load figures the designation services keep on the lawyer's row (bulk_create skips them).
    latest: dict[int, dt.datetime] = {}
    for designation in designations:
        previous = latest.get(designation.lawyer_id)
        if previous is None or designation.proposed_at > previous:
            latest[designation.lawyer_id] = designation.proposed_at
    for lawyer in panel:
        lawyer.open_designations = open_load.get(lawyer.pk, 0)
        lawyer.last_designated_at = latest.get(lawyer.pk)
    Lawyer.objects.bulk_update(panel, ["open_designations", "last_designated_at"], batch_size=5000)
    pimps = Defendant.objects.bulk_create(
        Defendant(full_name=name, name_index=name_index(name))
        for name in (
            f"{rng.choice(PIMPS)} {rng.choice(FAMILY)}" for _ in range(max(10, cases // 20))
        )
    )
    parties = []
    for case in rng.sample(case_rows, k=cases // 3):
        defendant = rng.choice(pimps)
        represented = rng.choice(panel) if rng.random() < 0.2 else None
        parties.append(
            Party(case=case, defendant=defendant, role=PartyRole.PIMP, represented_by=represented)
        )
    # one party per (case, defendant)
    unique = {(p.case_id, p.defendant_id): p for p in parties}
    Party.objects.bulk_create(unique.values(), batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:  # statistics, as a production database has them
        cursor.execute("ANALYZE")
    return {
        "offices": offices,
        "staff": staff,
        "districts": districts,
        "weights": weights,
        "language": language,
        "pimps": [p.full_name for p in pimps],
    }


def new_intake(world: dict[str, Any], index: int, rng: random.Random) -> Any:
    """A new case taken in through the service, not yet designated (30 % name a pimp)."""
    from django.utils import timezone

    from legalaid.models import Language, PartyRole
    from legalaid.services.cases import case_intake

    languages = world.setdefault(
        "languages",
        {code: Language.objects.get(pk=code) for code in ("nl", "fr", "de", "ro", "ar")},
    )
    today = timezone.localdate()
    district = rng.choices(world["districts"], weights=world["weights"])[0]
    office = world["offices"][district.code]
    parties = []
    if rng.random() < 0.3:
        parties.append(
            {"role": PartyRole.PIMP, "full_name": rng.choice(world["pimps"]), "handles": []}
        )
    return case_intake(
        actor=world["staff"][district.code],
        office=office,
        given_names=rng.choice(GIVEN),
        family_name=f"Intake {index}",
        date_of_birth=today - dt.timedelta(days=rng.randint(13 * 365, 17 * 365)),
        victim_language=languages[rng.choice(["nl", "fr", "ro", "ar"])],
        district=district,
        language=languages[world["language"][district.code]],
        parties=parties,
        auto_designate=False,
    )


def measure_intakes(world: dict[str, Any], intakes: int, rng: random.Random) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from legalaid.models import Designation
    from legalaid.services.designations import designation_auto

    durations: list[float] = []
    queries: list[int] = []
    pool_sizes: list[int] = []
    designated = 0
    for index in range(intakes):
        case = new_intake(world, index, rng)
        connection.queries_log.clear()  # the log keeps 9,000 queries; the capture must not hit it
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            outcome = designation_auto(actor=None, case=case)
            durations.append(time.perf_counter() - started)
        queries.append(len(captured.captured_queries))
        explanation = outcome.explanation
        pool_sizes.append(explanation["considered"])
        designated += isinstance(outcome, Designation)
    return {
        **h.summary_ms(durations),
        "designations_per_s": round(len(durations) / sum(durations), 1),
        "queries_per_designation_max": max(queries),
        "queries_per_designation_min": min(queries),
        "pool_size_mean": round(sum(pool_sizes) / len(pool_sizes), 1),
        "designated_share": round(designated / intakes, 4),
    }


def measure_floor(iterations: int) -> dict[str, float]:
    """A bare indexed SELECT of a lawyer plus an INSERT of one designation row, committed."""
    from django.db import connection, transaction
    from django.utils import timezone

    from legalaid.models import Case, Lawyer

    lawyer_ids = list(Lawyer.objects.values_list("pk", flat=True)[:500])
    case_ids = list(Case.objects.values_list("pk", flat=True)[:500])
    jsonb = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    durations = []
    for index in range(iterations):
        now = timezone.now()
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, capacity FROM legalaid_lawyer WHERE id = %s",
                [lawyer_ids[index % len(lawyer_ids)]],
            )
            cursor.fetchone()
            cursor.execute(
                "INSERT INTO legalaid_designation (case_id, lawyer_id, status, method, "
                "proposed_at, respond_by, reason, explanation) "
                f"VALUES (%s, %s, 'ended', 'manual', %s, %s, '', {jsonb})",
                [
                    case_ids[index % len(case_ids)],
                    lawyer_ids[index % len(lawyer_ids)],
                    now,
                    now,
                    "{}",
                ],
            )
        durations.append(time.perf_counter() - started)
    return h.summary_ms(durations)


Statement = tuple[str, Any, bool]  # SQL, parameters, executemany


def engine_statements(case: Any) -> list[Statement]:
    """The statements `designation_auto` sends for this case, as Django hands them to the
    database cursor (with their parameters), from a run that is rolled back afterwards. Inside
    this transaction the engine's own one became a savepoint: its SAVEPOINT and RELEASE, which a
    committed run does not send, are left out; savepoints of its own inside are kept."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from legalaid.services.designations import designation_auto

    statements: list[Statement] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if many:
            params = list(params)
        statements.append((sql, params, many))
        return execute(sql, params, many, context)

    connection.queries_log.clear()  # the log keeps 9,000 queries; the capture must not hit it
    with transaction.atomic():
        with connection.execute_wrapper(record), CaptureQueriesContext(connection) as captured:
            designation_auto(actor=None, case=case)
        transaction.set_rollback(True)
    assert len(statements) == len(captured.captured_queries)
    first, last = statements[0][0], statements[-1][0]
    if first.startswith("SAVEPOINT ") and last == f"RELEASE {first}":
        statements = statements[1:-1]
    return statements


def replay(statements: list[Statement]) -> float:
    """Execute the statements again, raw, through the database cursor, reading every row they
    return, in one transaction rolled back at the end. Rows inserted before carry the ids of the
    captured run: the foreign keys are only checked at commit, which never comes."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params, many in statements:
            if many:
                cursor.executemany(sql, params)
                continue
            cursor.execute(sql, params)
            if cursor.description is not None:
                cursor.fetchall()
        transaction.set_rollback(True)
    return time.perf_counter() - started


def measure_replay(world: dict[str, Any], intakes: int, rng: random.Random) -> dict[str, Any]:
    """The floor of the engine's own SQL: for each new intake, its designation's statements
    captured and replayed raw (rolled back: the state stays as the engine left it)."""
    durations: list[float] = []
    counts: list[int] = []
    for index in range(intakes):
        statements = engine_statements(new_intake(world, index, rng))
        durations.append(replay(statements))
        counts.append(len(statements))
    return {
        **h.summary_ms(durations),
        "statements_per_designation_max": max(counts),
        "statements_per_designation_min": min(counts),
    }


def backend_run() -> None:
    h.setup_django()
    h.tasks_queued_not_run()
    from django.db import connection

    sizes = TINY_SIZES if h.TINY else SIZES
    figures: dict[str, Any] = {"backend": connection.vendor}
    for label, (lawyers, cases, intakes) in sizes.items():
        rng = random.Random(2019)
        with h.fresh_database(f"designation-{label}") as vendor:
            started = time.perf_counter()
            world = build(lawyers, cases, rng)
            setup_s = time.perf_counter() - started
            # As a web or worker process does after start-up (config/wsgi.py, config/celery.py).
            gc.collect()
            gc.freeze()
            result = measure_intakes(world, intakes, rng)
            floor = measure_floor(min(1000, intakes * 2))
            replayed = measure_replay(world, min(1000, intakes), rng)
        print(
            f"{vendor} {label}: {lawyers} lawyers, {cases} existing cases (built in "
            f"{setup_s:.0f} s), {intakes} intakes: p50 {result['p50_ms']} ms, p95 "
            f"{result['p95_ms']} ms, {result['designations_per_s']}/s, queries "
            f"{result['queries_per_designation_min']}-{result['queries_per_designation_max']}, "
            f"mean pool {result['pool_size_mean']}; floor p50 {floor['p50_ms']} ms, p95 "
            f"{floor['p95_ms']} ms; the engine's SQL replayed raw p50 {replayed['p50_ms']} ms, "
            f"p95 {replayed['p95_ms']} ms"
        )
        prefix = f"lawyers_{lawyers}_"
        figures |= {f"{prefix}{key}": value for key, value in result.items()}
        figures |= {f"{prefix}floor_{key}": value for key, value in floor.items()}
        figures |= {f"{prefix}sql_replay_{key}": value for key, value in replayed.items()}
        figures[f"{prefix}existing_cases"] = cases
        figures[f"{prefix}intakes"] = intakes
        figures[f"{prefix}sql_replays"] = min(1000, intakes)
        figures[f"{prefix}p95_over_floor_p95"] = round(result["p95_ms"] / floor["p95_ms"], 2)
        figures[f"{prefix}p95_over_sql_replay_p95"] = round(
            result["p95_ms"] / replayed["p95_ms"], 2
        )
    print(h.json.dumps(figures, sort_keys=True))


def main() -> None:
    if "--backend" in sys.argv:
        backend_run()
        return
    postgres = os.environ.get("DATABASE_URL") or os.environ.get("BENCH_POSTGRES_URL")
    figures: dict[str, Any] = {"size": "tiny" if h.TINY else "full"}
    for result in h.run_per_backend(Path(__file__), postgres):
        backend = result.pop("backend")
        figures |= {f"{backend}_{key}": value for key, value in result.items()}
    h.publish("designation", figures)


if __name__ == "__main__":
    main()
