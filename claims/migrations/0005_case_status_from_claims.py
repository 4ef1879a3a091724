"""Cases catch up with their civil claims: until now nothing moved a case past "lawyer designated",
so a case with a final judgment still said so. Each case that is not closed moves forward to the
furthest stage its claims show, by the rules the services now apply as events are recorded:

- recovery: a payment recorded (not a reversal), a claim in collection, or, on or after the day of
  a judgment on the claim, a state-aid payment or an enforcement step;
- judgment: a judgment recorded on a claim;
- civil party constituted: a claim filed (it has a constitution date).

Forward only (a case already further on stays), and each move is audited as the services do
(`case.status_change`, no actor, `event` naming this migration). Backwards nothing is undone: the
stages set are facts (legalaid's 0012 maps them back onto the old list), and audit rows are never
deleted."""

from django.db import migrations
from django.utils import timezone

# The case statuses in order, as of legalaid's 0012 (a migration keeps its own copy).
STAGES = [
    "intake",
    "awaiting_designation",
    "lawyer_designated",
    "civil_party_constituted",
    "judgment",
    "recovery",
    "closed",
]
EVENT = "migration claims.0005_case_status_from_claims"


def _stage_of_claim(claim, models):
    Judgment, Payment, StateAidApplication, EnforcementStep = models
    judged_on = (
        Judgment.objects.filter(claim=claim).order_by("given_on").values_list("given_on", flat=True)
    ).first()
    if claim.status == "collecting" or Payment.objects.filter(
        judgment__claim=claim, reverses__isnull=True
    ).exists():
        return "recovery"
    if judged_on is not None:
        if (
            StateAidApplication.objects.filter(
                claim=claim, status="paid", paid_on__gte=judged_on
            ).exists()
            or EnforcementStep.objects.filter(claim=claim, taken_on__gte=judged_on).exists()
        ):
            return "recovery"
        return "judgment"
    if claim.constituted_on is not None:
        return "civil_party_constituted"
    return None


def forward(apps, schema_editor):
    Case = apps.get_model("legalaid", "Case")
    AuditEvent = apps.get_model("legalaid", "AuditEvent")
    CivilClaim = apps.get_model("claims", "CivilClaim")
    models = tuple(
        apps.get_model("claims", name)
        for name in ("Judgment", "Payment", "StateAidApplication", "EnforcementStep")
    )
    now = timezone.now()
    case_ids = CivilClaim.objects.values_list("case_id", flat=True).distinct()
    for case in Case.objects.filter(pk__in=case_ids).exclude(status="closed").order_by("pk"):
        reached = [
            stage
            for claim in CivilClaim.objects.filter(case=case)
            if (stage := _stage_of_claim(claim, models)) is not None
        ]
        if not reached:
            continue
        furthest = max(reached, key=STAGES.index)
        if STAGES.index(furthest) <= STAGES.index(case.status):
            continue
        before = case.status
        Case.objects.filter(pk=case.pk).update(status=furthest, updated_at=now)
        AuditEvent.objects.create(
            at=now,
            actor=None,
            action="case.status_change",
            target_type="legalaid.case",
            target_id=str(case.pk),
            case_id=case.pk,
            office_id=case.office_id,
            changes={"status": [before, furthest], "event": [None, EVENT]},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0004_judgment_day_count"),
        ("legalaid", "0012_case_status_stages"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
