"""Benchmark of the claims ledger: its arithmetic (claims/ledger.py), and the read path of the
API's balances endpoint (claims.selectors.claim_ledger) on SQLite and PostgreSQL.

One claim: 10 debtors (the pimp and 9 clients) in 3 joint groups — the pimp is in each — with a
joint damages award and a joint costs award per group, plus individual awards (the pimp's own,
some clients'); compensatory, moratory and fixed-rate interest; 1,000 payments over 12 years
(instalments by each debtor, a few by the state fund and an insurer).

Arithmetic (no database): the time to compute every balance (per award, per debtor, totals, the
interest statement) at the end of 2026, repeated; the floor, in the same run, is summing the
1,000 payment amounts. Goal: p95 ≤ 20 ms.

Database (one subprocess per backend, each in a fresh, migrated database): the same claim is
written once — the case, its parties, the claim, the judgment and its 13 awards through the
services; the first 5 instalments and every lump sum through `payment_record`, the others
bulk-created as the same rows (and audit rows) the service writes, checked against the ones it
wrote — with "today" frozen at the ledger's date. Then `claim_ledger(claim, as_of=...)` is
timed, repeated, with its queries per call; its result must equal the pure computation of the
same rows (checked, else the run fails). Floors in the same run: the pure computation of those
rows, and a bare SELECT of the claim's payment rows.

    .venv/bin/python benchmarks/ledger.py                           # SQLite, and PostgreSQL
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres ...  # if DATABASE_URL unset
    BENCH_SIZE=tiny .venv/bin/python benchmarks/ledger.py           # smoke test (CI)
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h

sys.path.insert(0, str(h.ROOT))
from claims.ledger import (
    Award,
    AwardKind,
    Interest,
    Ledger,
    Payment,
    RatePeriod,
    combine,
    compute,
)

if TYPE_CHECKING:
    from claims import models as rows
    from legalaid.models import AuditEvent, Party, User

PAYMENTS, REPEATS = (100, 20) if h.TINY else (1_000, 300)
# Payments recorded through `payment_record` (the others are bulk-created as the same rows): the
# first few instalments and every lump sum (state fund, insurer).
SERVICE_INSTALMENTS = 5
QUERY_SAMPLES = 5  # calls of claim_ledger whose queries are counted (not timed)
GOAL_P95_MS = 20.0
AS_OF = dt.date(2026, 12, 31)
DAMAGE = dt.date(2015, 1, 10)
JUDGMENT = dt.date(2015, 3, 16)
PIMP = 1
GROUPS = [frozenset({PIMP, 2, 3, 4}), frozenset({PIMP, 5, 6, 7}), frozenset({PIMP, 8, 9, 10})]
# The legal rate per calendar year (DOMAIN.md §5): data, as the ledger expects it.
LEGAL_PERCENT = {
    2015: "2.50",
    2016: "2.25",
    2017: "2.00",
    2018: "2.00",
    2019: "2.00",
    2020: "1.75",
    2021: "1.75",
    2022: "1.50",
    2023: "5.25",
    2024: "5.75",
    2025: "4.50",
    2026: "4.50",
}
RATES = [
    RatePeriod(dt.date(year, 1, 1), dt.date(year, 12, 31), Decimal(percent))
    for year, percent in LEGAL_PERCENT.items()
]
# The payers without a party: every 70th payment is a lump sum, by an insurer (for nobody in
# particular) for payments 70, 210, 350…, by the state fund for the others.
INSURER_EVERY, INSURER_AT = 140, 70


def build_awards() -> list[Award]:
    compensatory = Interest("compensatory", DAMAGE)
    moratory = Interest("moratory", JUDGMENT)
    awards: list[Award] = []
    for group, (moral, costs) in zip(
        GROUPS,
        [("25000.00", "3600.00"), ("18000.00", "2400.00"), ("12000.00", "1800.00")],
        strict=True,
    ):
        awards.append(Award(len(awards) + 1, "damages", Decimal(moral), group, compensatory))
        awards.append(Award(len(awards) + 1, "costs", Decimal(costs), group, moratory))
    individual: list[tuple[AwardKind, int, str, Interest | None]] = [
        ("damages", PIMP, "40000.00", moratory),  # lost income, the pimp alone
        ("damages", PIMP, "8000.00", Interest("compensatory", DAMAGE, Decimal("6.00"))),
        ("costs", PIMP, "1440.00", None),  # enforcement costs
        ("damages", 2, "2500.00", moratory),
        ("damages", 5, "1800.00", moratory),
        ("damages", 8, "3000.00", None),
        ("damages", 10, "1200.00", moratory),
    ]
    for kind, debtor, amount, interest in individual:
        awards.append(Award(len(awards) + 1, kind, Decimal(amount), frozenset({debtor}), interest))
    return awards


def build_payments(count: int, rng: random.Random) -> list[Payment]:
    """Instalments of 10-90 euros by the debtors (the pimp most often); every 70th payment is
    a lump sum of 1,000-6,000 euros from the state fund or an insurer. In random order."""
    span = (AS_OF - JUDGMENT).days
    payments = []
    for number in range(1, count + 1):
        paid_on = JUDGMENT + dt.timedelta(days=rng.randint(1, span))
        if number % 70 == 0:
            payer, cents = None, rng.randint(100_000, 600_000)
        else:
            payer, cents = rng.choice([PIMP] * 3 + list(range(2, 11))), rng.randint(1_000, 9_000)
        payments.append(Payment(number, paid_on, Decimal(cents).scaleb(-2), payer))
    rng.shuffle(payments)
    return payments


def measure(awards: list[Award], payments: list[Payment]) -> tuple[list[float], Ledger]:
    durations = []
    ledger = compute(awards, payments, as_of=AS_OF, rates=RATES)  # warm-up, not measured
    for _ in range(REPEATS):
        started = time.perf_counter()
        ledger = compute(awards, payments, as_of=AS_OF, rates=RATES)
        durations.append(time.perf_counter() - started)
    return durations, ledger


def measure_floor(payments: list[Payment]) -> list[float]:
    """Summing the payment amounts: the least any balance computation must do."""
    durations = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        sum((payment.amount for payment in payments), Decimal(0))
        durations.append(time.perf_counter() - started)
    return durations


def data() -> tuple[list[Award], list[Payment]]:
    """The claim's awards and payments: the same in the parent and in every backend's run."""
    return build_awards(), build_payments(PAYMENTS, random.Random(2015))


# --- The database path (in a subprocess per backend) ---------------------------------------------


def check(condition: bool, message: str) -> None:
    """An assertion that survives `python -O`: the run fails rather than measure the wrong thing."""
    if not condition:
        raise SystemExit(f"ledger benchmark: {message}")


@contextmanager
def today_is(day: dt.date) -> Iterator[None]:
    """Every service reads "today" through `timezone.localdate()` (as tests/claims/conftest.py
    freezes it): the claim is recorded as of the ledger's date, so that no payment lies in the
    future and the legal-rate table covers every year up to "today"."""
    with mock.patch("django.utils.timezone.localdate", lambda *args, **kwargs: day):
        yield


@dataclass(frozen=True)
class Stored:
    """The claim in the database, and the ids its pure data got there."""

    claim_id: int
    judgment_id: int
    awards: dict[int, int]  # pure award id → Award row id
    parties: dict[int, int]  # pure debtor id → Party row id
    payments: dict[int, int]  # pure payment id → Payment row id
    service_payments: int  # how many of them payment_record wrote


def payment_row(
    payment: Payment, *, judgment: rows.Judgment, parties: dict[int, Party], actor: User
) -> rows.Payment:
    """The row `payment_record` writes for this payment (no idempotency key, no reversal)."""
    from django.utils import timezone

    from claims.models import PayerKind, PaymentDestination
    from claims.models import Payment as PaymentRow

    party = None if payment.payer is None else parties[payment.payer]
    kind = PayerKind.DEFENDANT if party is not None else PayerKind.STATE_FUND
    if party is None and payment.id % INSURER_EVERY == INSURER_AT:
        kind = PayerKind.INSURER
    return PaymentRow(
        judgment=judgment,
        amount=payment.amount,
        paid_on=payment.paid_on,
        payer_kind=kind,
        payer_party=party,
        destination=PaymentDestination.BLOCKED_ACCOUNT_MINOR,
        reference=f"Transfer {payment.id}",
        state_aid_application=None,
        idempotency_key=None,
        reverses=None,
        reason="",
        recorded_by=actor,
        recorded_at=timezone.now(),
    )


def payment_audit_row(row: rows.Payment, *, claim: rows.CivilClaim, actor: User) -> AuditEvent:
    """The audit row `payment_record` writes with it (`claims.services._common.audit`)."""
    from django.utils import timezone

    from claims.services._common import created
    from claims.services.payments import PAYMENT_FIELDS
    from legalaid.models import AuditEvent

    return AuditEvent(
        at=timezone.now(),
        actor=actor,
        action="payment.create",
        target_type=row._meta.label_lower,
        target_id=str(row.pk),
        case_id=claim.case_id,
        office_id=claim.case.office_id,
        changes=created(row, PAYMENT_FIELDS),
    )


def same_as_service(built: rows.Payment, written: rows.Payment, audit: AuditEvent) -> None:
    """The row and audit row built for the bulk insert equal those the service wrote."""
    skip = {"id", "recorded_at"}
    fields = [f.attname for f in type(written)._meta.concrete_fields if f.attname not in skip]
    for name in fields:
        check(
            getattr(built, name) == getattr(written, name),
            f"payment field {name}: built {getattr(built, name)!r}, "
            f"payment_record wrote {getattr(written, name)!r}",
        )
    built.pk = written.pk
    expected = payment_audit_row(built, claim=built.judgment.claim, actor=built.recorded_by)
    for name in ("actor_id", "action", "target_type", "target_id", "case_id", "office_id"):
        check(getattr(expected, name) == getattr(audit, name), f"payment audit field {name}")
    check(expected.changes == audit.changes, "payment audit changes")
    built.pk = None


def store(awards: list[Award], payments: list[Payment]) -> Stored:
    """Write the claim (not measured). The structure through the services; the payments in the
    order of their pure ids, so that the database's ids sort same-day payments the same way."""
    from django.db import connection

    from claims.models import AwardKind as AwardKindRow
    from claims.models import ClaimStage, ClaimStatus, InterestKind
    from claims.models import Payment as PaymentRow
    from claims.services.claims import claim_constitute, claim_status_change
    from claims.services.judgments import award_record, judgment_record
    from claims.services.payments import payment_record
    from legalaid.models import (
        AuditEvent,
        Bar,
        District,
        Language,
        LegalAidOffice,
        PartyRole,
        Role,
        User,
    )
    from legalaid.services.cases import case_intake
    from legalaid.services.parties import party_add

    district = District.objects.get(pk="antwerpen")
    bar = Bar.objects.create(name="Bar antwerpen", district=district)
    office = LegalAidOffice.objects.create(bar=bar, name="BJB antwerpen")
    staff = User.objects.create_user("staff-antwerpen", role=Role.OFFICE, office=office)
    lawyer = User.objects.create_user("lawyer-antwerpen", role=Role.LAWYER)
    case = case_intake(
        actor=staff,
        office=office,
        given_names="Lena",
        family_name="Benchmark",
        date_of_birth=dt.date(1999, 6, 1),
        victim_language=Language.objects.get(pk="nl"),
        district=district,
        intake_on=dt.date(2014, 12, 1),
        auto_designate=False,
    )
    debtors = sorted(set().union(*(award.debtors for award in awards)))
    parties = {
        debtor: party_add(
            actor=staff,
            case=case,
            role=PartyRole.PIMP if debtor == PIMP else PartyRole.CLIENT,
            full_name=f"Defendant {chr(ord('A') + debtor)}",
        )
        for debtor in debtors
    }
    claim = claim_constitute(
        actor=lawyer,
        case=case,
        stage=ClaimStage.HEARING,
        court="Correctionele rechtbank Antwerpen",
        defendants=list(parties.values()),
        constituted_on=dt.date(2015, 2, 2),
    )
    judgment = judgment_record(
        actor=lawyer,
        claim=claim,
        given_on=JUDGMENT,
        court="Correctionele rechtbank Antwerpen",
        final_on=JUDGMENT + dt.timedelta(days=16),
    )
    award_ids = {}
    for award in awards:
        row = award_record(
            actor=lawyer,
            judgment=judgment,
            kind=AwardKindRow(award.kind),
            amount=award.amount,
            debtors=[parties[debtor] for debtor in sorted(award.debtors)],
            description=f"Award {award.id}",
            interest_kind=InterestKind.NONE if award.interest is None else award.interest.kind,
            interest_from=None if award.interest is None else award.interest.start,
            fixed_percent=None if award.interest is None else award.interest.fixed_percent,
        )
        award_ids[award.id] = row.pk
    claim_status_change(actor=lawyer, claim=claim, status=ClaimStatus.COLLECTING)
    claim.refresh_from_db()

    payment_ids: dict[int, int] = {}
    service_payments: list[int] = []
    pending: list[tuple[Payment, rows.Payment]] = []

    def flush() -> None:
        bulk = [row for _, row in pending]
        PaymentRow.objects.bulk_create(bulk, batch_size=500)
        AuditEvent.objects.bulk_create(
            (payment_audit_row(row, claim=claim, actor=lawyer) for row in bulk), batch_size=500
        )
        payment_ids.update((payment.id, row.pk) for payment, row in pending)
        pending.clear()

    for payment in sorted(payments, key=lambda payment: payment.id):
        built = payment_row(payment, judgment=judgment, parties=parties, actor=lawyer)
        if payment.id > SERVICE_INSTALMENTS and payment.payer is not None:
            pending.append((payment, built))
            continue
        flush()  # the rows before it first: the ids follow the pure ids
        written = payment_record(
            actor=lawyer,
            judgment=judgment,
            amount=payment.amount,
            paid_on=payment.paid_on,
            payer_kind=built.payer_kind,
            destination=built.destination,
            payer_party=built.payer_party,
            reference=built.reference,
        )
        audit = AuditEvent.objects.get(action="payment.create", target_id=str(written.pk))
        same_as_service(built, PaymentRow.objects.get(pk=written.pk), audit)
        payment_ids[payment.id] = written.pk
        service_payments.append(written.pk)
    flush()
    check(
        list(payment_ids.values()) == sorted(payment_ids.values()),
        "the payments' ids do not follow the order of their pure ids",
    )
    with connection.cursor() as cursor:  # statistics, as a production database has them
        cursor.execute("ANALYZE")
    return Stored(
        claim_id=claim.pk,
        judgment_id=judgment.pk,
        awards=award_ids,
        parties={debtor: party.pk for debtor, party in parties.items()},
        payments=payment_ids,
        service_payments=len(service_payments),
    )


def with_row_ids(
    awards: list[Award], payments: list[Payment], stored: Stored
) -> tuple[list[Award], list[Payment]]:
    """The pure data under the ids the rows got in the database."""
    return (
        [
            replace(
                award,
                id=stored.awards[award.id],
                debtors=frozenset(stored.parties[debtor] for debtor in award.debtors),
            )
            for award in awards
        ],
        [
            replace(
                payment,
                id=stored.payments[payment.id],
                payer=None if payment.payer is None else stored.parties[payment.payer],
            )
            for payment in payments
        ],
    )


def check_same_result(from_rows: Ledger, reference: Ledger, pure: Ledger) -> None:
    """claim_ledger on the rows equals the pure computation of the same data: all of it under
    the rows' ids, and the id-free figures of the pure run under the benchmark's own ids."""
    check(from_rows == reference, "claim_ledger differs from the pure ledger of the same rows")
    check(from_rows.totals == pure.totals, "the totals differ from the pure computation")
    for name in ("received", "credit", "received_from_other_sources"):
        check(getattr(from_rows, name) == getattr(pure, name), f"{name} differs")
    check(
        list(from_rows.awards.values()) == list(pure.awards.values()),
        "the awards' balances differ from the pure computation",
    )
    check(
        [replace(line, award_id=0) for line in from_rows.interest_lines]
        == [replace(line, award_id=0) for line in pure.interest_lines],
        "the interest statement differs from the pure computation",
    )


@contextmanager
def full_collections() -> Iterator[list[float]]:
    """The durations (s) of the garbage collector's full (generation 2) collections meanwhile."""
    pauses: list[float] = []
    started = time.perf_counter()

    def callback(phase: str, info: dict[str, int]) -> None:
        nonlocal started
        if info["generation"] == 2 and phase == "start":
            started = time.perf_counter()
        elif info["generation"] == 2:
            pauses.append(time.perf_counter() - started)

    gc.callbacks.append(callback)
    try:
        yield pauses
    finally:
        gc.callbacks.remove(callback)


def timed_calls(claim: rows.CivilClaim) -> list[float]:
    from claims.selectors import claim_ledger

    durations = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        claim_ledger(claim, as_of=AS_OF)
        durations.append(time.perf_counter() - started)
    return durations


def measure_claim_ledger(claim: rows.CivilClaim) -> tuple[dict[str, Any], Ledger]:
    """claim_ledger timed as a server process runs it (the garbage collector's full collections
    included, counted), then again with the start-up heap frozen (`gc.freeze()`), and its
    queries per call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims.selectors import claim_ledger

    ledger = claim_ledger(claim, as_of=AS_OF)  # warm-up, not measured
    with full_collections() as pauses:
        durations = timed_calls(claim)
    gc.collect()
    gc.freeze()
    try:
        frozen = timed_calls(claim)
    finally:
        gc.unfreeze()
    queries = []
    for _ in range(QUERY_SAMPLES):
        with CaptureQueriesContext(connection) as captured:
            claim_ledger(claim, as_of=AS_OF)
        queries.append(len(captured.captured_queries))
    figures: dict[str, Any] = {
        **{f"claim_ledger_{key}": value for key, value in h.summary_ms(durations).items()},
        "claim_ledger_full_collections": len(pauses),
        "claim_ledger_full_collection_mean_ms": round(
            statistics.fmean(pauses) * 1000 if pauses else 0.0, 1
        ),
        **{f"claim_ledger_gc_frozen_{key}": value for key, value in h.summary_ms(frozen).items()},
        "claim_ledger_queries_per_call": max(queries),
        "claim_ledger_queries_per_call_min": min(queries),
    }
    return figures, ledger


def measure_payments_read(judgment_id: int) -> list[float]:
    """Floor: a bare SELECT of the claim's payment rows (the columns the ledger needs)."""
    from django.db import connection

    from claims.models import Payment as PaymentRow

    sql = (
        f"SELECT id, paid_on, amount, payer_party_id FROM {PaymentRow._meta.db_table} "
        "WHERE judgment_id = %s ORDER BY paid_on, id"
    )
    durations = []
    for _ in range(REPEATS + 1):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, [judgment_id])
            fetched = cursor.fetchall()
        durations.append(time.perf_counter() - started)
    check(len(fetched) == PAYMENTS, f"the floor read {len(fetched)} payments")
    return durations[1:]  # the first one warms up


def backend_run() -> None:
    h.setup_django()
    from claims.models import CivilClaim
    from claims.selectors import legal_rate_periods

    awards, payments = data()
    pure = compute(awards, payments, as_of=AS_OF, rates=RATES)
    with h.fresh_database("ledger") as vendor:
        check(
            legal_rate_periods() == RATES,
            "the seeded legal-rate table differs from the benchmark's",
        )
        started = time.perf_counter()
        with today_is(AS_OF):
            stored = store(awards, payments)
        setup_s = time.perf_counter() - started
        claim = CivilClaim.objects.get(pk=stored.claim_id)
        result, from_rows = measure_claim_ledger(claim)
        floor = h.summary_ms(measure_payments_read(stored.judgment_id))
    row_awards, row_payments = with_row_ids(awards, payments, stored)
    reference = combine([compute(row_awards, row_payments, as_of=AS_OF, rates=RATES)], as_of=AS_OF)
    check_same_result(from_rows, reference, pure)
    arithmetic, _ = measure(row_awards, row_payments)
    compute_ms = h.summary_ms(arithmetic)
    print(
        f"{vendor}: claim_ledger of the claim ({len(payments)} payment rows, built in "
        f"{setup_s:.1f} s), {REPEATS} calls: p50 {result['claim_ledger_p50_ms']} ms, p95 "
        f"{result['claim_ledger_p95_ms']} ms ({result['claim_ledger_full_collections']} full "
        f"garbage collections of {result['claim_ledger_full_collection_mean_ms']} ms on "
        f"average); with gc.freeze() p50 {result['claim_ledger_gc_frozen_p50_ms']} ms, p95 "
        f"{result['claim_ledger_gc_frozen_p95_ms']} ms; {result['claim_ledger_queries_per_call']} "
        f"queries per call; the arithmetic alone, same process: p50 {compute_ms['p50_ms']} ms, "
        f"p95 {compute_ms['p95_ms']} ms; floor (bare SELECT of the payment rows) p50 "
        f"{floor['p50_ms']} ms, p95 {floor['p95_ms']} ms; same result as the pure computation: "
        f"yes (outstanding {from_rows.totals.outstanding})"
    )
    figures: dict[str, Any] = {
        "backend": vendor,
        **result,
        **{f"claim_ledger_compute_{key}": value for key, value in compute_ms.items()},
        **{f"claim_ledger_floor_{key}": value for key, value in floor.items()},
        "claim_ledger_p50_over_compute_p50": round(
            result["claim_ledger_p50_ms"] / compute_ms["p50_ms"], 2
        ),
        "claim_ledger_matches_compute": True,  # else check_same_result has stopped the run
        "claim_ledger_setup_s": round(setup_s, 1),
        "claim_ledger_payment_rows": len(stored.payments),
        "claim_ledger_service_payments": stored.service_payments,
    }
    print(h.json.dumps(figures, sort_keys=True))


def main() -> None:
    if "--backend" in sys.argv:
        backend_run()
        return
    awards, payments = data()
    debtors = sorted(set().union(*(award.debtors for award in awards)))

    durations, ledger = measure(awards, payments)
    floor = h.summary_ms(measure_floor(payments))
    result = h.summary_ms(durations)
    figures: dict[str, Any] = {
        "size": "tiny" if h.TINY else "full",
        "debtors": len(debtors),
        "joint_groups": len(GROUPS),
        "awards": len(awards),
        "payments": len(payments),
        "repeats": REPEATS,
        **result,
        **{f"floor_{key}": value for key, value in floor.items()},
        "p95_over_floor_p95": round(result["p95_ms"] / floor["p95_ms"], 1),
        "goal_p95_ms": GOAL_P95_MS,
        "meets_goal": result["p95_ms"] <= GOAL_P95_MS,
        "interest_lines": len(ledger.interest_lines),
        "received_eur": str(ledger.received),
        "outstanding_eur": str(ledger.totals.outstanding),
        "credit_eur": str(ledger.credit),
    }
    print(
        f"ledger: {len(debtors)} debtors in {len(GROUPS)} joint groups, {len(awards)} awards, "
        f"{len(payments)} payments, balances at {AS_OF}: p50 {result['p50_ms']} ms, p95 "
        f"{result['p95_ms']} ms (goal {GOAL_P95_MS} ms) over {REPEATS} runs; floor (summing "
        f"the payments) p50 {floor['p50_ms']} ms, p95 {floor['p95_ms']} ms"
    )
    print(
        f"result: received {ledger.received}, applied {ledger.totals.paid}, credit "
        f"{ledger.credit}, outstanding {ledger.totals.outstanding} (interest accrued "
        f"{ledger.totals.interest} in {len(ledger.interest_lines)} statement lines)"
    )
    postgres = os.environ.get("DATABASE_URL") or os.environ.get("BENCH_POSTGRES_URL")
    if not postgres:
        print(
            "note: no BENCH_POSTGRES_URL (or DATABASE_URL): the database path is measured on "
            "SQLite only"
        )
    for backend_figures in h.run_per_backend(Path(__file__), postgres):
        backend = backend_figures.pop("backend")
        figures |= {f"{backend}_{key}": value for key, value in backend_figures.items()}
    h.publish("ledger", figures)


if __name__ == "__main__":
    main()
