"""The designation engine: which lawyer of the panel gets a minor victim's case.

Read it top to bottom; it follows DOMAIN.md §3-4.

1. **The pool.** The lawyers of the case's bar (those who do not serve the case's district are
   considered too, so that their exclusion is recorded), plus the minor's own chosen lawyer and
   the lawyers who assisted the same victim before, wherever they are.
2. **Hard rules.** Each failed rule excludes the lawyer and is recorded by its reason code
   (`Exclusion`). The minor's chosen lawyer is excluded only by a conflict of interest or by having
   declined or let expire this very case: a free choice overrides everything else.
3. **Ranking.** The eligible lawyers are ordered by, in turn: the minor's choice; continuity (the
   lawyer who assisted the same victim before); speaking the victim's own language; the lowest
   load relative to capacity; the longest time since their last designation (rotation); and the
   lowest id, so that equal candidates always come out in the same order.
4. **Claim.** The best candidate's place is taken with a conditional update of their row
   (`open_designations < capacity`), which locks it until the designation is committed, so that
   capacity holds even when intakes run in parallel; if someone else filled the last place
   meanwhile, the next candidate is tried.
5. **Escalation.** Nobody eligible: the case goes to the office's escalation queue with the
   reasons.

Every outcome stores its `explanation`: each candidate considered, with exclusions or scores.
The evaluation costs a fixed number of queries, whatever the size of the panel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    AliasKind,
    Case,
    Defendant,
    DefendantAlias,
    Designation,
    DesignationStatus,
    Lawyer,
    LeavePeriod,
    Party,
    Victim,
)
from .normalise import normalise_name

ENGINE_VERSION = 2

# The stored explanation keeps one row per candidate (a few dozen bytes, not a dictionary each:
# a panel of 300 took 76 kB and 4 ms to store); `explanation_candidates` reads it back.
SCORE_COLUMNS = (
    "chosen_by_minor", "assisted_victim_before", "speaks_victim_language", "open_designations",
    "capacity", "last_designated_at",
)  # fmt: skip


class Exclusion(StrEnum):
    INACTIVE = "inactive"
    NOT_LISTED_FOR_MATTERS = "not_listed_for_matters"
    LANGUAGE_OF_PROCEEDINGS = "does_not_speak_language_of_proceedings"
    DISTRICT = "does_not_serve_district"
    ON_LEAVE = "on_leave"
    AT_CAPACITY = "at_capacity"
    CONFLICT_OF_INTEREST = "conflict_of_interest"
    DECLINED_OR_EXPIRED = "declined_or_expired_this_case"


# Why an office override is refused, one sentence per rule (lazy: `str()` them in the request).
# The stored explanation keeps the codes, never these sentences.
EXCLUSION_MESSAGES = {
    Exclusion.INACTIVE: _("This lawyer is not active on the panel."),
    Exclusion.NOT_LISTED_FOR_MATTERS: _("This lawyer is not listed for the case's matters."),
    Exclusion.LANGUAGE_OF_PROCEEDINGS: _(
        "This lawyer does not speak the language of the proceedings."
    ),
    Exclusion.DISTRICT: _("This lawyer does not serve the case's district."),
    Exclusion.ON_LEAVE: _("This lawyer is on leave today."),
    Exclusion.AT_CAPACITY: _("This lawyer has reached their capacity of open designations."),
    Exclusion.CONFLICT_OF_INTEREST: _(
        "Conflict of interest: this lawyer represents or represented a defendant of this case "
        "(matched on name, alias or handle), here or in a linked proceeding."
    ),
    Exclusion.DECLINED_OR_EXPIRED: _("This lawyer already declined or let expire this case."),
}

# What even the minor's own choice cannot override.
BINDING_FOR_CHOSEN = frozenset({Exclusion.CONFLICT_OF_INTEREST, Exclusion.DECLINED_OR_EXPIRED})


@dataclass
class Candidate:
    lawyer_id: int
    capacity: int
    open_count: int
    last_designated_at: dt.datetime | None
    chosen: bool = False
    continuity: bool = False
    speaks_victim_language: bool = False
    exclusions: list[Exclusion] = field(default_factory=list)

    @property
    def load(self) -> float:
        """Open designations over capacity; infinite for a capacity of 0 (ranks last)."""
        return self.open_count / self.capacity if self.capacity else float("inf")

    @property
    def eligible(self) -> bool:
        return not self.exclusions

    def sort_key(self) -> tuple[Any, ...]:
        never = dt.datetime.min.replace(tzinfo=dt.UTC)
        return (
            not self.chosen,
            not self.continuity,
            not self.speaks_victim_language,
            self.load,
            self.last_designated_at or never,
            self.lawyer_id,
        )

    def score_row(self) -> list[Any]:
        """`[lawyer, *SCORE_COLUMNS]`: what the ranking used, in the stored explanation."""
        last = self.last_designated_at.isoformat() if self.last_designated_at else None
        return [
            self.lawyer_id, self.chosen, self.continuity, self.speaks_victim_language,
            self.open_count, self.capacity, last,
        ]  # fmt: skip


@dataclass
class Evaluation:
    case: Case
    day: dt.date
    candidates: list[Candidate]

    def ranked(self) -> list[Candidate]:
        return sorted((c for c in self.candidates if c.eligible), key=Candidate.sort_key)

    def explanation(self, *, chosen: Candidate | None = None) -> dict[str, Any]:
        """What is stored with the outcome: every candidate considered, the eligible ones in rank
        order with their scores (`ranked`), the others with their reasons (`excluded`)."""
        ranked = self.ranked()
        excluded = [c for c in self.candidates if not c.eligible]
        counts: dict[str, int] = {}
        for candidate in excluded:
            for reason in candidate.exclusions:
                counts[reason] = counts.get(reason, 0) + 1
        return {
            "engine": ENGINE_VERSION,
            "evaluated_on": self.day.isoformat(),
            "chosen": chosen.lawyer_id if chosen else None,
            "considered": len(self.candidates),
            "eligible": len(ranked),
            "exclusion_counts": dict(sorted(counts.items())),
            "ranked": [c.score_row() for c in ranked],
            "excluded": [[c.lawyer_id, [str(r) for r in c.exclusions]] for c in excluded],
        }


def explanation_candidates(explanation: dict[str, Any]) -> list[dict[str, Any]]:
    """The stored explanation's candidates, one readable entry each: eligible ones first, in rank
    order, with their scores (and the load they were ranked on), then the excluded ones with
    their reasons. Explanations of engine version 1 stored these entries as they are."""
    if "candidates" in explanation:
        return list(explanation["candidates"])
    entries: list[dict[str, Any]] = []
    for rank, (lawyer, *values) in enumerate(explanation.get("ranked", []), start=1):
        scores = dict(zip(SCORE_COLUMNS, values, strict=True))
        open_count, capacity = scores["open_designations"], scores["capacity"]
        # JSON has no infinity: a lawyer without capacity (chosen by the minor) has no ratio.
        scores["load"] = round(open_count / capacity, 4) if capacity else None
        entries.append({"lawyer": lawyer, "rank": rank, "scores": scores})
    for lawyer, reasons in explanation.get("excluded", []):
        entries.append({"lawyer": lawyer, "excluded": list(reasons)})
    return entries


# --- 1. Facts about the case that the rules need (a fixed number of queries) ---------------


def _continuity_lawyer_ids(case: Case) -> set[int]:
    """Lawyers who assisted the same victim before: an accepted (and maybe since ended)
    designation in another case of the same person (any record linked to the same first one)."""
    first = case.victim.first_record_id
    records = Victim.objects.filter(Q(pk=first) | Q(earlier_record_id=first)).values("pk")
    cases = Case.objects.filter(victim_id__in=records).exclude(pk=case.pk).values("pk")
    helped = (DesignationStatus.ACCEPTED, DesignationStatus.ENDED)
    # Nested sub-queries on indexes, one round trip. The status is checked here rather than in
    # SQL, so that no planner prefers the (unselective) status index to the case's.
    return {
        lawyer
        for lawyer, status in Designation.objects.filter(case_id__in=cases).values_list(
            "lawyer_id", "status"
        )
        if status in helped
    }


def _conflicted_lawyer_ids(case: Case) -> tuple[set[int], set[str]]:
    """Lawyers who represent or represented any defendant (pimp, co-accused, client, recruiter)
    in this case or in a linked proceeding: a case where one of this case's defendants is a party
    too, found by the same defendant or one matching on normalised name, alias or handle (by their
    blind indexes: the names are encrypted). Returns the panel ids and the normalised names of
    lawyers known only by name."""
    defendants: set[int] = set()
    names: set[str] = set()
    handles: set[str] = set()
    for defendant, name, kind, value in case.parties.values_list(
        "defendant_id", "defendant__name_index", "defendant__aliases__kind",
        "defendant__aliases__value_index",
    ):  # fmt: skip
        defendants.add(defendant)
        names.add(name)
        if value:
            (handles if kind == AliasKind.HANDLE else names).add(value)
    if not defendants:
        return set(), set()
    # The matching defendants first, each side on its own index (one OR across the joins would
    # read every party with its defendant and aliases).
    by_defendant = Defendant.objects.filter(Q(pk__in=defendants) | Q(name_index__in=names))
    by_alias = DefendantAlias.objects.filter(
        Q(kind=AliasKind.ALIAS, value_index__in=names)
        | Q(kind=AliasKind.HANDLE, value_index__in=handles)
    )
    matching = (
        by_defendant.order_by()
        .values_list("pk", flat=True)
        .union(by_alias.order_by().values_list("defendant_id", flat=True))
    )
    linked_cases = Party.objects.filter(defendant_id__in=list(matching)).values("case_id")
    # Every party of the linked proceedings (this case among them), not only the matching ones.
    parties = Party.objects.filter(case_id__in=linked_cases).order_by()
    ids: set[int] = set()
    named: set[str] = set()
    for lawyer_id, lawyer_name in parties.values_list("represented_by_id", "represented_by_name"):
        if lawyer_id is not None:
            ids.add(lawyer_id)
        if lawyer_name:
            named.add(normalise_name(lawyer_name))
    return ids, named


POOL_FIELDS = (
    "pk", "given_name", "family_name", "capacity", "active", "open_designations",
    "last_designated_at", "speaks_proceedings", "speaks_victim", "serves_district",
    "matters_listed", "on_leave", "declined_this_case",
)  # fmt: skip
_BOOLEANS = ("active", "speaks_proceedings", "speaks_victim", "serves_district", "on_leave",
             "declined_this_case")  # fmt: skip


def _placeholders(values: list[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _pool(
    case: Case, day: dt.date, matter_ids: list[str], extra_ids: set[int]
) -> list[dict[str, Any]]:
    """The candidates with every fact the rules need, in one query, as plain rows. The load
    figures come from the lawyer's row (`open_designations`, `last_designated_at`).

    Written in SQL: built by the ORM, this query with its six correlated sub-queries cost more
    Python to build and compile, and its rows more to convert, than the database took to run it
    (benchmarks/designation.py). The tables come from the models; every value is a parameter."""
    connection = transaction.get_connection()
    ops = connection.ops
    table = {
        "lawyer": Lawyer._meta.db_table,
        "languages": Lawyer.languages.through._meta.db_table,
        "districts": Lawyer.districts.through._meta.db_table,
        "matters": Lawyer.matters.through._meta.db_table,
        "leave": LeavePeriod._meta.db_table,
        "designation": Designation._meta.db_table,
    }
    extra = sorted(extra_ids)
    day_value = ops.adapt_datefield_value(day)
    closed = [DesignationStatus.DECLINED.value, DesignationStatus.EXPIRED.value]
    listed = (
        f"(SELECT COUNT(*) FROM {table['matters']} m WHERE m.lawyer_id = l.id "  # noqa: S608
        f"AND m.matter_id IN ({_placeholders(matter_ids)}))"
        if matter_ids
        else "0"
    )
    sql = f"""
        SELECT l.id, l.given_name, l.family_name, l.capacity, l.active, l.open_designations,
            l.last_designated_at,
            EXISTS (SELECT 1 FROM {table["languages"]} x
                    WHERE x.lawyer_id = l.id AND x.language_id = %s),
            EXISTS (SELECT 1 FROM {table["languages"]} x
                    WHERE x.lawyer_id = l.id AND x.language_id = %s),
            EXISTS (SELECT 1 FROM {table["districts"]} x
                    WHERE x.lawyer_id = l.id AND x.district_id = %s),
            {listed},
            EXISTS (SELECT 1 FROM {table["leave"]} x
                    WHERE x.lawyer_id = l.id AND x.starts_on <= %s AND x.ends_on >= %s),
            EXISTS (SELECT 1 FROM {table["designation"]} x
                    WHERE x.lawyer_id = l.id AND x.case_id = %s AND x.status IN (%s, %s))
        FROM {table["lawyer"]} l
        WHERE l.bar_id = %s {f"OR l.id IN ({_placeholders(extra)})" if extra else ""}
        ORDER BY l.id
    """  # noqa: S608 (table names from the models, values as parameters)
    params: list[Any] = [
        case.language_id, case.victim.language_id, case.district_id, *matter_ids,
        day_value, day_value, case.pk, *closed, case.office.bar_id, *extra,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [dict(zip(POOL_FIELDS, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:  # SQLite gives 0/1 and text where PostgreSQL gives booleans and datetimes
        for name in _BOOLEANS:
            row[name] = bool(row[name])
        row["last_designated_at"] = _moment(row["last_designated_at"])
    return rows


def _moment(value: dt.datetime | str | None) -> dt.datetime | None:
    """A stored moment as an aware datetime (SQLite keeps UTC as text)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


# --- 2 and 3. Hard rules and ranking --------------------------------------------------------


def evaluate(case: Case, *, day: dt.date | None = None, only: Lawyer | None = None) -> Evaluation:
    """Apply the hard rules and compute the scores, for the whole pool or for one lawyer."""
    day = day or timezone.localdate()
    continuity = _continuity_lawyer_ids(case)
    conflicted, conflicted_names = _conflicted_lawyer_ids(case)
    matter_ids = list(case.matters.values_list("pk", flat=True))
    extra = {*continuity, *([case.chosen_lawyer_id] if case.chosen_lawyer_id else [])}
    if only is not None:
        extra = {only.pk}
    rows = _pool(case, day, matter_ids, extra)
    if only is not None:
        rows = [row for row in rows if row["pk"] == only.pk]

    candidates = []
    for row in rows:
        candidate = Candidate(
            lawyer_id=row["pk"],
            capacity=row["capacity"],
            open_count=row["open_designations"],
            last_designated_at=row["last_designated_at"],
            chosen=row["pk"] == case.chosen_lawyer_id,
            continuity=row["pk"] in continuity,
            speaks_victim_language=row["speaks_victim"],
        )
        rules = [
            (not row["active"], Exclusion.INACTIVE),
            (row["matters_listed"] < len(matter_ids), Exclusion.NOT_LISTED_FOR_MATTERS),
            (not row["speaks_proceedings"], Exclusion.LANGUAGE_OF_PROCEEDINGS),
            (not row["serves_district"], Exclusion.DISTRICT),
            (row["on_leave"], Exclusion.ON_LEAVE),
            (row["open_designations"] >= row["capacity"], Exclusion.AT_CAPACITY),
            (
                row["pk"] in conflicted
                or (
                    bool(conflicted_names)
                    and normalise_name(f"{row['given_name']} {row['family_name']}")
                    in conflicted_names
                ),
                Exclusion.CONFLICT_OF_INTEREST,
            ),
            (row["declined_this_case"], Exclusion.DECLINED_OR_EXPIRED),
        ]
        candidate.exclusions = [
            reason
            for failed, reason in rules
            if failed and (not candidate.chosen or reason in BINDING_FOR_CHOSEN)
        ]
        candidates.append(candidate)
    return Evaluation(case=case, day=day, candidates=candidates)


# --- 4. Claim the best candidate under a row lock --------------------------------------------


def claim(candidate: Candidate, *, now: dt.datetime) -> bool:
    """Take one of the lawyer's places with a conditional update of their row, and say whether
    one was still free. The row stays locked until the caller's transaction commits, so parallel
    intakes take turns and capacity holds; the caller then creates the designation. A free choice
    of the minor is not bound by capacity."""
    lawyer = Lawyer.objects.filter(pk=candidate.lawyer_id)
    if not candidate.chosen:
        lawyer = lawyer.filter(open_designations__lt=F("capacity"))
    return bool(lawyer.update(**place_taken(now)))


def place_taken(now: dt.datetime) -> dict[str, Any]:
    """The update of a lawyer's row when a designation is proposed to them."""
    return {
        "open_designations": F("open_designations") + 1,
        "last_designated_at": Greatest(Coalesce(F("last_designated_at"), Value(now)), Value(now)),
    }


def place_given_back() -> dict[str, Any]:
    """The update of a lawyer's row when a designation leaves the active statuses."""
    return {"open_designations": F("open_designations") - 1}


def pick(evaluation: Evaluation, *, now: dt.datetime) -> Candidate | None:
    """The best candidate who still has a free place, claimed; None when nobody is left. Runs
    inside the caller's transaction, which must create the designation before it commits."""
    assert transaction.get_connection().in_atomic_block, "pick() needs the caller's transaction"
    for candidate in evaluation.ranked():
        if claim(candidate, now=now):
            return candidate
        candidate.exclusions.append(Exclusion.AT_CAPACITY)  # filled meanwhile by another intake
    return None


__all__ = [
    "EXCLUSION_MESSAGES",
    "Candidate",
    "Evaluation",
    "Exclusion",
    "claim",
    "evaluate",
    "explanation_candidates",
    "pick",
    "place_given_back",
    "place_taken",
]
