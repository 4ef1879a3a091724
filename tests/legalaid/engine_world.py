"""A small world for the designation engine's tests: one legal-aid office whose bar has no lawyer
until a test adds them, intakes of distinct victims, and the explanation entries the engine is
expected to write (DOMAIN.md section 4). Everything is built through the services."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone

from legalaid.models import (
    Case,
    Designation,
    District,
    Language,
    Lawyer,
    LegalAidOffice,
    Matter,
    Role,
    User,
)
from legalaid.services.cases import case_intake
from legalaid.services.designations import designation_propose, designation_withdraw
from legalaid.services.lawyers import lawyer_create
from tests.cast import make_office, make_user

DISTRICT = "limburg"  # Dutch only: the language of proceedings of every case here is nl


def born_years_ago(years: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=years * 365 + 60)


_letters = ("".join(pair) for pair in itertools.product("ABCDEFGHJKLMNPRSTUVWZ", repeat=2))


@dataclass
class World:
    office: LegalAidOffice
    staff: User

    def lawyer(
        self,
        name: str,
        *,
        languages: Sequence[str] = ("nl",),
        capacity: int = 5,
        matters: Sequence[str] | None = None,
        districts: Sequence[str] = (DISTRICT,),
    ) -> Lawyer:
        """A lawyer of this office's bar, named `Testlawyer, <name>` in explanations."""
        return lawyer_create(
            actor=self.staff,
            bar=self.office.bar,
            given_name=name,
            family_name="Testlawyer",
            email=f"{name.lower()}.{self.office.pk}@example.be",
            capacity=capacity,
            languages=list(Language.objects.filter(code__in=languages)),
            districts=list(District.objects.filter(code__in=districts)),
            matters=list(
                Matter.objects.all() if matters is None else Matter.objects.filter(code__in=matters)
            ),
        )

    def intake(
        self,
        *,
        given_names: str | None = None,
        family_name: str = "Victim",
        born: dt.date | None = None,
        victim_language: str = "nl",
        auto_designate: bool = False,
        **extra: Any,
    ) -> Case:
        """The case of a new victim (distinct names) unless names and birth date are given."""
        return case_intake(
            actor=self.staff,
            office=self.office,
            given_names=given_names or f"Engine {next(_letters)}",
            family_name=family_name,
            date_of_birth=born or born_years_ago(15),
            victim_language=Language.objects.get(pk=victim_language),
            district=District.objects.get(pk=DISTRICT),
            auto_designate=auto_designate,
            **extra,
        )

    def propose(self, lawyer: Lawyer, case: Case | None = None) -> Designation:
        """The office proposes `lawyer` by hand (for another victim's case unless told)."""
        return designation_propose(
            actor=self.staff, case=case or self.intake(), lawyer=lawyer, reason="Set-up"
        )

    def designated_days_ago(self, lawyer: Lawyer, days: int) -> dt.datetime:
        """`lawyer` was proposed for another case `days` ago, then withdrawn: a past designation
        that adds no load. Returns when it was proposed."""
        designation = self.propose(lawyer)
        designation_withdraw(actor=self.staff, designation=designation, reason="Set-up")
        when = timezone.now() - dt.timedelta(days=days)
        Designation.objects.filter(pk=designation.pk).update(proposed_at=when)
        # History written after the fact: the lawyer's row follows, as if it had happened then.
        latest = lawyer.designations.aggregate(latest=Max("proposed_at"))["latest"]
        Lawyer.objects.filter(pk=lawyer.pk).update(last_designated_at=latest)
        return when


def build_world(name: str = "Engine") -> World:
    office = make_office(name, DISTRICT)
    return World(office=office, staff=make_user(f"staff_{name.lower()}", Role.OFFICE, office))


def latest_proposal(lawyer: Lawyer) -> dt.datetime:
    return Designation.objects.filter(lawyer=lawyer).order_by("-proposed_at")[0].proposed_at


def excluded(lawyer: Lawyer, *reasons: str) -> dict[str, Any]:
    return {"lawyer": lawyer.pk, "excluded": [*reasons]}


def ranked(
    lawyer: Lawyer,
    rank: int,
    *,
    chosen: bool = False,
    before: bool = False,
    speaks: bool = True,
    open_designations: int = 0,
    last: dt.datetime | None = None,
) -> dict[str, Any]:
    """The entry of an eligible candidate; `load` is written out by each test where it matters."""
    return {
        "lawyer": lawyer.pk,
        "rank": rank,
        "scores": {
            "chosen_by_minor": chosen,
            "assisted_victim_before": before,
            "speaks_victim_language": speaks,
            "load": round(open_designations / lawyer.capacity, 4),
            "open_designations": open_designations,
            "capacity": lawyer.capacity,
            "last_designated_at": last.isoformat() if last else None,
        },
    }
