"""Reads of the civil-claims ledger that the services (and later the API) need: the reference
data in force on a day, gaps in the legal-rate table, and due dates derived from data. Scoping to
the actor stays with `legalaid.selectors` (`case_get_managed_by` …): a claim is reached through
its case."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from legalaid.models import Party

from .models import (
    CivilClaim,
    IndicativeTableEdition,
    Judgment,
    JudgmentStatus,
    LegalInterestRate,
    StateAidRule,
)


def legal_interest_rates_between(start: dt.date, end: dt.date) -> QuerySet[LegalInterestRate]:
    """The rows of the legal-rate table that apply to at least one day of [start, end]."""
    return LegalInterestRate.objects.overlapping(start, end).order_by("valid_from")


def legal_interest_rate_gap_years(start: dt.date, end: dt.date) -> list[int]:
    """The calendar years with at least one day of [start, end] that no legal rate covers."""
    years: set[int] = set()
    day = start
    for rate in legal_interest_rates_between(start, end):
        if rate.valid_from > day:
            years.update(range(day.year, min(rate.valid_from - dt.timedelta(days=1), end).year + 1))
        if rate.valid_until is None:
            return sorted(years)
        day = max(day, rate.valid_until + dt.timedelta(days=1))
        if day > end:
            return sorted(years)
    years.update(range(day.year, end.year + 1))
    return sorted(years)


def indicative_edition_on(day: dt.date) -> IndicativeTableEdition | None:
    """The default edition on a day: the latest one that can be chosen then."""
    return (
        IndicativeTableEdition.objects.filter(valid_from__lte=day)
        .order_by("-valid_from", "-code")
        .first()
    )


def state_aid_rule_on(day: dt.date) -> StateAidRule | None:
    return StateAidRule.objects.valid_on(day).first()


def claim_final_decision_on(claim: CivilClaim) -> dt.date | None:
    """The day the claim's first judgment became final. With several final judgments (one on
    damage reserved earlier, say) the earliest counts: the due date shown is never too late."""
    judgment = (
        claim.judgments.filter(status=JudgmentStatus.FINAL).order_by("final_on", "id").first()
    )
    return None if judgment is None else judgment.final_on


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February: the earlier day, never too late
        return day.replace(year=day.year + years, day=28)


def state_aid_deadline(claim: CivilClaim) -> dt.date | None:
    """The last day to apply for main or complementary aid: the final decision plus the years the
    rules in force on that day allow (DOMAIN.md §6). None before a final decision or without
    rules for that day."""
    final_on = claim_final_decision_on(claim)
    if final_on is None:
        return None
    rule = state_aid_rule_on(final_on)
    if rule is None:
        return None
    return _add_years(final_on, rule.application_deadline_years)


def judgment_debtors(judgment: Judgment) -> QuerySet[Party]:
    """Every party that owes something under the judgment, alone or jointly."""
    return Party.objects.filter(claim_awards__judgment=judgment).distinct()
