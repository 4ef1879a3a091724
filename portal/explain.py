"""The engine's stored explanation, told in sentences for the office: who was chosen and why,
the runners-up and what ranked them, and the lawyers left out grouped by reason.

Reads what `legalaid.engine` stored (`explanation_candidates`); names come from one query for
every explanation shown on a page, whatever the number of lawyers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from legalaid.engine import Exclusion, explanation_candidates
from legalaid.models import Lawyer

RUNNERS_UP = 3

EXCLUSION_HEADINGS = {
    Exclusion.INACTIVE: _("Not active on the panel"),
    Exclusion.NOT_LISTED_FOR_MATTERS: _("Not listed for the case's matters"),
    Exclusion.LANGUAGE_OF_PROCEEDINGS: _("Does not speak the language of the proceedings"),
    Exclusion.DISTRICT: _("Does not serve the case's district"),
    Exclusion.ON_LEAVE: _("On leave that day"),
    Exclusion.AT_CAPACITY: _("At capacity: no place for another designation"),
    Exclusion.CONFLICT_OF_INTEREST: _(
        "Conflict of interest: represents or represented a defendant (name, alias or handle)"
    ),
    Exclusion.DECLINED_OR_EXPIRED: _("Already declined or let this case expire"),
}


@dataclass
class Ranked:
    lawyer: int
    name: str
    rank: int
    reasons: list[str]


@dataclass
class ExcludedGroup:
    heading: str
    names: list[str]

    @property
    def count(self) -> int:
        return len(self.names)


@dataclass
class Explained:
    considered: int
    eligible: int
    chosen: Ranked | None
    runners_up: list[Ranked] = field(default_factory=list)
    excluded: list[ExcludedGroup] = field(default_factory=list)


def _reasons(scores: dict[str, Any]) -> list[str]:
    reasons = []
    if scores.get("chosen_by_minor"):
        reasons.append(str(_("Chosen by the minor: the minor's choice comes first.")))
    if scores.get("assisted_victim_before"):
        reasons.append(str(_("Assisted this victim before (continuity).")))
    if scores.get("speaks_victim_language"):
        reasons.append(str(_("Speaks the victim's own language.")))
    open_count, capacity = scores.get("open_designations", 0), scores.get("capacity", 0)
    reasons.append(
        ngettext(
            "Load: %(open)s open designation for a capacity of %(capacity)s.",
            "Load: %(open)s open designations for a capacity of %(capacity)s.",
            open_count,
        )
        % {"open": open_count, "capacity": capacity}
    )
    last = (
        parse_datetime(scores["last_designated_at"]) if scores.get("last_designated_at") else None
    )
    if last is None:
        reasons.append(str(_("Never designated before (rotation).")))
    else:
        day = formats.date_format(last.date() if isinstance(last, dt.datetime) else last)
        reasons.append(str(_("Last designated on %(day)s (rotation).") % {"day": day}))
    return reasons


def lawyer_names(explanations: Iterable[dict[str, Any]]) -> dict[int, str]:
    """The names of every lawyer the explanations mention, in one query."""
    ids: set[int] = set()
    for explanation in explanations:
        ids.update(entry["lawyer"] for entry in explanation_candidates(explanation))
    return {
        pk: f"{given} {family}"
        for pk, given, family in Lawyer.objects.filter(pk__in=ids).values_list(
            "pk", "given_name", "family_name"
        )
    }


def explain(explanation: dict[str, Any], names: dict[int, str]) -> Explained:
    candidates = explanation_candidates(explanation)
    ranked = [
        Ranked(e["lawyer"], names.get(e["lawyer"], "?"), e["rank"], _reasons(e["scores"]))
        for e in candidates
        if "rank" in e
    ]
    chosen_id = explanation.get("chosen")
    chosen = next((r for r in ranked if r.lawyer == chosen_id), None)
    by_reason: dict[str, list[str]] = {}
    for entry in candidates:
        for reason in entry.get("excluded", []):
            by_reason.setdefault(reason, []).append(names.get(entry["lawyer"], "?"))
    headings = {str(code): heading for code, heading in EXCLUSION_HEADINGS.items()}
    groups = [
        ExcludedGroup(str(headings.get(reason, reason)), sorted(found))
        for reason, found in by_reason.items()
    ]
    groups.sort(key=lambda group: (-group.count, group.heading))
    return Explained(
        considered=explanation.get("considered", len(candidates)),
        eligible=explanation.get("eligible", len(ranked)),
        chosen=chosen,
        runners_up=[r for r in ranked if r is not chosen][:RUNNERS_UP],
        excluded=groups,
    )
