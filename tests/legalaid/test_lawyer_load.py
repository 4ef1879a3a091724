"""The load figures on a lawyer's row (`open_designations`, `last_designated_at`), which the
engine ranks and claims on, always agree with the designations themselves, whatever sequence of
proposals, acceptances, declines, withdrawals, expiries and ends produced them."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from legalaid.errors import Conflict
from legalaid.models import ACTIVE_DESIGNATION_STATUSES, Designation, DesignationStatus, Lawyer
from legalaid.services.designations import (
    designation_accept,
    designation_auto,
    designation_decline,
    designation_end,
    designation_expire_overdue,
    designation_withdraw,
)
from tests.legalaid.engine_world import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def recounted(lawyer: Lawyer) -> tuple[int, dt.datetime | None]:
    designations = Designation.objects.filter(lawyer=lawyer)
    return (
        designations.filter(status__in=ACTIVE_DESIGNATION_STATUSES).count(),
        designations.aggregate(latest=Max("proposed_at"))["latest"],
    )


def on_the_row(lawyer: Lawyer) -> tuple[int, dt.datetime | None]:
    lawyer.refresh_from_db()
    return lawyer.open_designations, lawyer.last_designated_at


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_load_on_a_lawyers_row_equals_the_recount_after_any_sequence_of_steps(
    world: World, seed: int
) -> None:
    rng = random.Random(seed)
    lawyers = [world.lawyer(name, capacity=2) for name in ("Anke", "Bert", "Cleo")]
    steps = 0
    for _ in range(40):
        step = rng.choice(["intake", "intake", "accept", "decline", "withdraw", "end", "expire"])
        proposed = list(Designation.objects.filter(status=DesignationStatus.PROPOSED))
        accepted = list(Designation.objects.filter(status=DesignationStatus.ACCEPTED))
        try:
            if step == "intake":
                designation_auto(actor=None, case=world.intake())
            elif step == "accept" and proposed:
                designation_accept(actor=world.staff, designation=rng.choice(proposed))
            elif step == "decline" and proposed:
                designation_decline(
                    actor=world.staff, designation=rng.choice(proposed), reason="No time"
                )
            elif step == "withdraw" and (proposed or accepted):
                designation_withdraw(
                    actor=world.staff, designation=rng.choice(proposed + accepted), reason="Moved"
                )
            elif step == "end" and accepted:
                designation_end(actor=world.staff, designation=rng.choice(accepted), reason="Done")
            elif step == "expire":
                designation_expire_overdue(now=timezone.now() + dt.timedelta(days=3))
            else:
                continue
        except Conflict:
            continue
        steps += 1
        for lawyer in lawyers:
            assert on_the_row(lawyer) == recounted(lawyer), (step, lawyer)

    assert steps >= 20
    assert Designation.objects.exclude(status=DesignationStatus.PROPOSED).exists()


def test_an_office_override_beyond_capacity_is_counted_and_given_back(world: World) -> None:
    lawyer = world.lawyer("Anke", capacity=1)
    first, second = world.propose(lawyer), world.propose(lawyer)  # the second waives capacity

    assert on_the_row(lawyer)[0] == 2
    designation_withdraw(actor=world.staff, designation=first, reason="Moved")
    designation_withdraw(actor=world.staff, designation=second, reason="Moved")
    assert on_the_row(lawyer) == recounted(lawyer) == (0, second.proposed_at)


def test_ending_needs_an_accepted_designation_and_a_reason(world: World) -> None:
    lawyer = world.lawyer("Anke")
    designation = world.propose(lawyer)

    with pytest.raises(Conflict):
        designation_end(actor=world.staff, designation=designation, reason="Done")
    designation_accept(actor=world.staff, designation=designation)
    with pytest.raises(ValidationError):
        designation_end(actor=world.staff, designation=designation, reason="  ")
    designation.refresh_from_db()
    assert (designation.status, on_the_row(lawyer)[0]) == (DesignationStatus.ACCEPTED, 1)
