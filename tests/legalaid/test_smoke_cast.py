"""The fixed cast itself: built through the services, as in real use."""

from legalaid.models import (
    AuditEvent,
    CaseStatus,
    DesignationMethod,
    DesignationStatus,
    Escalation,
    Victim,
)
from tests.cast import Cast


def test_cast_is_built_through_services_and_audited(cast: Cast) -> None:
    assert cast.case_a.status == CaseStatus.LAWYER_DESIGNATED
    assert cast.designation_a2.status == DesignationStatus.PROPOSED
    assert AuditEvent.objects.filter(case_id=cast.case_a.pk, action="case.create").count() == 1


def test_cast_designations_are_office_overrides_and_the_engine_never_ran(cast: Cast) -> None:
    designations = (cast.designation_a, cast.designation_a2, cast.designation_b)

    assert [d.method for d in designations] == [DesignationMethod.MANUAL] * 3
    assert [
        (d.explanation["override"]["reason"], d.explanation["override"]["waived"])
        for d in designations
    ] == [("Chosen by the office", [])] * 3
    assert Escalation.objects.count() == 0


def test_cast_victims_are_three_distinct_people(cast: Cast) -> None:
    victims = [case.victim for case in (cast.case_a, cast.case_a2, cast.case_b)]

    assert len({victim.given_names for victim in victims}) == 3
    assert [victim.earlier_record for victim in victims] == [None, None, None]
    assert [case.is_repeat_victimisation for case in (cast.case_a, cast.case_a2, cast.case_b)] == [
        False
    ] * 3
    assert Victim.objects.count() == 3
