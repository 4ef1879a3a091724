"""The legal interest rate per calendar year, as DOMAIN.md §5 gives it. The ledger's tests pass
it in as data: the ledger itself knows no rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from claims.ledger import RatePeriod

PERCENT_BY_YEAR = {
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


def legal_rates(*, without: int | None = None) -> list[RatePeriod]:
    """One period per calendar year, 2015-2026 (optionally leaving one year out)."""
    return [
        RatePeriod(dt.date(year, 1, 1), dt.date(year, 12, 31), Decimal(percent))
        for year, percent in PERCENT_BY_YEAR.items()
        if year != without
    ]
