"""Benchmark of the claims ledger's arithmetic (claims/ledger.py), no database.

One claim: 10 debtors (the pimp and 9 clients) in 3 joint groups — the pimp is in each — with a
joint damages award and a joint costs award per group, plus individual awards (the pimp's own,
some clients'); compensatory, moratory and fixed-rate interest; 1,000 payments over 12 years
(instalments by each debtor, a few by the state fund and an insurer). Measured: the time to
compute every balance (per award, per debtor, totals, the interest statement) at the end of
2026, repeated; the floor, in the same run, is summing the 1,000 payment amounts. Goal: p95
≤ 20 ms.

    .venv/bin/python benchmarks/ledger.py
    BENCH_SIZE=tiny .venv/bin/python benchmarks/ledger.py      # smoke test (CI)
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h

sys.path.insert(0, str(h.ROOT))
from claims.ledger import Award, AwardKind, Interest, Ledger, Payment, RatePeriod, compute

PAYMENTS, REPEATS = (100, 20) if h.TINY else (1_000, 300)
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


def main() -> None:
    rng = random.Random(2015)
    awards = build_awards()
    payments = build_payments(PAYMENTS, rng)
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
    h.publish("ledger", figures)


if __name__ == "__main__":
    main()
