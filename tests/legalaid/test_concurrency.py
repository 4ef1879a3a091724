"""Designation stays correct under parallel intakes (PostgreSQL: real row locks, real threads)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from legalaid.models import (
    ACTIVE_DESIGNATION_STATUSES,
    Case,
    Designation,
    Escalation,
    Language,
    Role,
)
from legalaid.services.cases import case_intake
from tests.cast import make_lawyer, make_office, make_user

PARALLEL_INTAKES = 16
CAPACITY = 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_intakes_never_exceed_a_lawyers_capacity_and_lose_no_case(postgres: None) -> None:
    office = make_office("Concurrency", "antwerpen")
    staff = make_user("staff", Role.OFFICE, office)
    lawyer = make_lawyer(staff, office, "Solo", capacity=CAPACITY)
    nl = Language.objects.get(pk="nl")
    born = timezone.localdate() - dt.timedelta(days=15 * 365)
    start = threading.Barrier(PARALLEL_INTAKES)
    errors: list[BaseException] = []

    def intake(number: int) -> None:
        try:
            start.wait(timeout=30)
            case_intake(
                actor=staff,
                office=office,
                given_names=f"Parallel {chr(ord('A') + number)}",
                family_name="Victim",
                date_of_birth=born,
                victim_language=nl,
                district=office.bar.district,
            )
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=intake, args=(n,)) for n in range(PARALLEL_INTAKES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    cases = Case.objects.filter(office=office)
    assert cases.count() == PARALLEL_INTAKES
    active = Designation.objects.filter(status__in=ACTIVE_DESIGNATION_STATUSES)
    assert active.filter(lawyer=lawyer).count() == CAPACITY
    assert active.exclude(lawyer=lawyer).count() == 0  # the only lawyer on this panel
    lawyer.refresh_from_db()
    assert lawyer.open_designations == CAPACITY  # the row's count agrees with the designations
    escalated = Escalation.objects.filter(case__in=cases, resolved_at__isnull=True)
    assert escalated.count() == PARALLEL_INTAKES - CAPACITY
    for case in cases:  # none lost: every case has exactly one outcome
        outcomes = active.filter(case=case).count() + escalated.filter(case=case).count()
        assert outcomes == 1, case.reference
    for escalation in escalated:
        assert escalation.explanation["exclusion_counts"] == {"at_capacity": 1}
