from legalaid.models import AuditEvent, CaseStatus, DesignationStatus
from tests.cast import Cast


def test_cast_is_built_through_services_and_audited(cast: Cast) -> None:
    assert cast.case_a.status == CaseStatus.LAWYER_DESIGNATED
    assert cast.designation_a2.status == DesignationStatus.PROPOSED
    assert AuditEvent.objects.filter(case_id=cast.case_a.pk, action="case.create").count() == 1
