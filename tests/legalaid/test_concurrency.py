"""Parallel requests stay correct and never end in a server error (PostgreSQL: real row and
advisory locks, real threads): designation under parallel intakes, the same person taken in
several times at once, the same defendant added to a case several times at once, several
defendants the designated lawyer represents added at once (one escalation)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from legalaid.errors import Conflict
from legalaid.models import (
    ACTIVE_DESIGNATION_STATUSES,
    AuditEvent,
    Case,
    Defendant,
    Designation,
    Escalation,
    Language,
    Party,
    PartyRole,
    Role,
)
from legalaid.national_number import national_number_for
from legalaid.services.audit_chain import audit_chain_verify
from legalaid.services.cases import case_intake
from legalaid.services.parties import party_add
from tests.cast import make_case, make_lawyer, make_office, make_user, victims_named

PARALLEL_INTAKES = 16
CAPACITY = 3
SAME_MOMENT = 4  # requests for the same person or defendant at once


def run_together(count: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run `work(0)` … `work(count - 1)` in threads released at the same moment, each on its own
    database connection; returns what they returned and what they raised."""
    start = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            start.wait(timeout=30)
            results.append(work(number))
        except BaseException as error:  # collected and asserted by the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


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
    # Each intake sealed its audit rows as it committed, the chain's lock taken last: one chain,
    # nothing left unsealed, and no deadlock with the lawyer's row lock (no error above).
    report = audit_chain_verify()
    assert report.intact and report.unsealed == 0 and report.checked == AuditEvent.objects.count()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("with_national_number", [True, False], ids=["number", "names-and-birth"])
def test_the_same_new_person_taken_in_at_the_same_moment_gets_one_first_record_and_repeats(
    postgres: None, with_national_number: bool
) -> None:
    office = make_office("Same person", "antwerpen")
    staff = make_user("staff", Role.OFFICE, office)
    make_lawyer(staff, office, "Roomy", capacity=SAME_MOMENT)
    nl = Language.objects.get(pk="nl")
    born = timezone.localdate() - dt.timedelta(days=15 * 365)
    number = national_number_for(born, 321) if with_national_number else None

    def intake(_: int) -> int:
        return case_intake(
            actor=staff,
            office=office,
            given_names="Lina",
            family_name="Parallel",
            date_of_birth=born,
            national_number=number,
            victim_language=nl,
            district=office.bar.district,
        ).pk

    case_ids, errors = run_together(SAME_MOMENT, intake)

    assert errors == []
    cases = Case.objects.filter(pk__in=case_ids).select_related("victim")
    assert cases.count() == SAME_MOMENT
    named = victims_named("Parallel")
    (first,) = [victim for victim in named if victim.earlier_record_id is None]
    later = [victim for victim in named if victim.pk != first.pk]
    assert len(later) == SAME_MOMENT - 1
    assert {victim.earlier_record_id for victim in later} == {first.pk}
    assert {victim.national_number for victim in named} == {number}
    flags = {case.victim_id: case.is_repeat_victimisation for case in cases}
    assert flags == {first.pk: False, **{victim.pk: True for victim in later}}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_person_with_and_without_national_number_at_once_is_one_person(
    postgres: None,
) -> None:
    """Half the intakes know the number, half do not: each kind is matched on the names and the
    date of birth as well, so all wait for one another and end up linked to one first record."""
    office = make_office("Half known", "antwerpen")
    staff = make_user("staff", Role.OFFICE, office)
    nl = Language.objects.get(pk="nl")
    born = timezone.localdate() - dt.timedelta(days=14 * 365)
    number = national_number_for(born, 654)

    def intake(index: int) -> int:
        return case_intake(
            actor=staff,
            office=office,
            given_names="Noor",
            family_name="Halfknown",
            date_of_birth=born,
            national_number=number if index % 2 else None,
            victim_language=nl,
            district=office.bar.district,
            auto_designate=False,
        ).pk

    case_ids, errors = run_together(SAME_MOMENT, intake)

    assert errors == []
    assert len(case_ids) == SAME_MOMENT
    named = victims_named("Halfknown")
    (first,) = [victim for victim in named if victim.earlier_record_id is None]
    later = [victim for victim in named if victim.pk != first.pk]
    assert [victim.earlier_record_id for victim in later] == [first.pk] * (SAME_MOMENT - 1)
    repeat = Case.objects.filter(pk__in=case_ids, is_repeat_victimisation=True)
    assert repeat.count() == SAME_MOMENT - 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_defendant_added_to_a_case_at_the_same_moment_is_one_party_the_rest_conflict(
    postgres: None,
) -> None:
    office = make_office("Same defendant", "antwerpen")
    staff = make_user("staff", Role.OFFICE, office)
    case = make_case(staff, office)
    other_case = make_case(staff, office)  # the pimp is already known from another victim's case
    defendant = party_add(
        actor=staff, case=other_case, role=PartyRole.PIMP, full_name="Dries Parallel"
    ).defendant
    created_before = AuditEvent.objects.filter(action="party.create", case_id=case.pk).count()

    def add(_: int) -> int:
        return party_add(
            actor=staff,
            case=case,
            role=PartyRole.PIMP,
            defendant=defendant,
            aliases=["Dries P"],
            handles=["@dries.parallel"],
        ).pk

    party_ids, errors = run_together(SAME_MOMENT, add)

    assert len(party_ids) == 1
    assert len(errors) == SAME_MOMENT - 1
    assert all(isinstance(error, Conflict) for error in errors), errors
    assert {error.message for error in errors if isinstance(error, Conflict)} == {
        "This defendant is already a party in this case."
    }
    assert list(Party.objects.filter(case=case).values_list("pk", flat=True)) == party_ids
    assert Defendant.objects.filter(pk=defendant.pk).get().aliases.count() == 2
    created = AuditEvent.objects.filter(action="party.create", case_id=case.pk).count()
    assert created == created_before + 1  # the refused ones wrote nothing


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_defendants_the_designated_lawyer_represents_added_at_once_open_one_escalation(
    postgres: None,
) -> None:
    office = make_office("Two conflicts", "antwerpen")
    staff = make_user("staff", Role.OFFICE, office)
    lawyer = make_lawyer(staff, office, "Solo")
    elsewhere = make_case(staff, office)
    names = [f"Pooier {letter}" for letter in "ABCD"[:SAME_MOMENT]]
    for name in names:
        party_add(
            actor=staff, case=elsewhere, role=PartyRole.PIMP, full_name=name, represented_by=lawyer
        )
    case = make_case(staff, office, auto_designate=True)
    designation = Designation.objects.get(case=case, status__in=ACTIVE_DESIGNATION_STATUSES)
    assert designation.lawyer_id == lawyer.pk

    def add(number: int) -> int:
        return party_add(actor=staff, case=case, role=PartyRole.PIMP, full_name=names[number]).pk

    party_ids, errors = run_together(SAME_MOMENT, add)

    assert errors == []
    assert len(party_ids) == SAME_MOMENT
    escalation = Escalation.objects.get(case=case, resolved_at__isnull=True)
    assert escalation.explanation["active_designation"] == designation.pk
    assert AuditEvent.objects.filter(action="escalation.open", case_id=case.pk).count() == 1
