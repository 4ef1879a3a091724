"""Shapes of the API: input serializers check form only (types, lengths, known ids); the rules live
in the services. Output serializers never put identity data in a list."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import engine
from ..models import (
    AssessmentStrength,
    AuditEvent,
    Bar,
    Case,
    CaseNote,
    Defendant,
    Designation,
    DesignationEvent,
    District,
    Escalation,
    EvidenceItem,
    EvidenceKind,
    ExploitationIndicator,
    ExploitationLink,
    Guardian,
    GuardianAccess,
    GuardianRelationship,
    Language,
    Lawyer,
    LeavePeriod,
    LegalAidOffice,
    Matter,
    NonPunishmentDecision,
    NonPunishmentLegalBasis,
    NonPunishmentRecord,
    NonPunishmentRequest,
    NoteKind,
    OffenceCategory,
    Party,
    PartyRole,
    RequestAddressee,
    RequestedMeasure,
    Victim,
)

# The largest id a 64-bit primary key holds. A larger number names nothing; passed on to a query
# it would overflow the database's integer (an error, not an empty answer).
MAX_ID = 2**63 - 1


def object_id(**kwargs: Any) -> serializers.IntegerField:
    """The id of an object named in a request (input only): a positive 64-bit integer."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


# --- The caller -----------------------------------------------------------------------------


class MeSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    role = serializers.CharField(read_only=True)
    office = serializers.IntegerField(source="office_id", read_only=True, allow_null=True)


# --- Reference ------------------------------------------------------------------------------


class DistrictSerializer(serializers.ModelSerializer):
    languages = serializers.SerializerMethodField()
    default_language = serializers.SerializerMethodField()

    class Meta:
        model = District
        fields = ["code", "name_nl", "name_fr", "name_de", "court_of_appeal", "languages",
                  "default_language"]  # fmt: skip

    def _valid(self, district: District) -> list[Any]:
        day = self.context["today"]
        return [
            item
            for item in district.languages.all()
            if item.valid_from <= day and (item.valid_until is None or item.valid_until >= day)
        ]

    def get_languages(self, district: District) -> list[str]:
        return sorted(item.language_id for item in self._valid(district))

    def get_default_language(self, district: District) -> str | None:
        defaults = [item.language_id for item in self._valid(district) if item.is_default]
        return defaults[0] if len(defaults) == 1 else None


# --- Panel ------------------------------------------------------------------------------------


class LeavePeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeavePeriod
        fields = ["id", "starts_on", "ends_on", "note"]


class LawyerSerializer(serializers.ModelSerializer):
    languages = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Language.objects.all()
    )
    districts = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=District.objects.all()
    )
    matters = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Matter.objects.all(), required=False
    )
    capacity = serializers.IntegerField(min_value=0, max_value=500)
    leaves = LeavePeriodSerializer(many=True, read_only=True)
    bar: serializers.PrimaryKeyRelatedField[Bar] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    office = serializers.PrimaryKeyRelatedField(
        queryset=LegalAidOffice.objects.all(),
        write_only=True,
        required=False,
        help_text="Administrators only: the office whose bar's panel the lawyer joins.",
    )

    class Meta:
        model = Lawyer
        fields = ["id", "bar", "office", "given_name", "family_name", "email", "phone",
                  "languages", "districts", "matters", "youth_certified", "capacity", "active",
                  "leaves"]  # fmt: skip


# --- Intake and cases -----------------------------------------------------------------------


class VictimInputSerializer(serializers.Serializer):
    given_names = serializers.CharField(max_length=120)
    family_name = serializers.CharField(max_length=120)
    date_of_birth = serializers.DateField()
    national_number = serializers.CharField(
        max_length=20, required=False, allow_blank=True, allow_null=True
    )
    nationality = serializers.RegexField(r"^[A-Za-z]{2}$", required=False, allow_blank=True)
    language = serializers.SlugRelatedField(slug_field="code", queryset=Language.objects.all())


class PartyInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices)
    full_name = serializers.CharField(max_length=160, required=False, allow_blank=True)
    defendant = object_id(
        required=False, help_text="An already known defendant (one pimp in several cases)."
    )
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=160), required=False, max_length=50
    )
    handles = serializers.ListField(
        child=serializers.CharField(max_length=160), required=False, max_length=50
    )
    represented_by = serializers.PrimaryKeyRelatedField(
        queryset=Lawyer.objects.all(), required=False, allow_null=True
    )
    represented_by_name = serializers.CharField(max_length=160, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("full_name") and attrs.get("defendant") is None:
            raise serializers.ValidationError(
                {"full_name": [_("Give a name or a known defendant.")]}
            )
        return attrs


class IntakeSerializer(serializers.Serializer):
    office = serializers.PrimaryKeyRelatedField(
        queryset=LegalAidOffice.objects.all(),
        required=False,
        help_text="Administrators only; office staff always register in their own office.",
    )
    victim = VictimInputSerializer()
    district = serializers.SlugRelatedField(slug_field="code", queryset=District.objects.all())
    language = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Language.objects.all(),
        required=False,
        help_text="Language of the proceedings; defaults to the district's.",
    )
    matters = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Matter.objects.all(), required=False
    )
    intake_on = serializers.DateField(required=False)
    adult_at_intake_reason = serializers.CharField(max_length=300, required=False, allow_blank=True)
    prosecutor_notice_number = serializers.CharField(
        max_length=40, required=False, allow_blank=True
    )
    investigating_judge = serializers.CharField(max_length=120, required=False, allow_blank=True)
    court = serializers.CharField(max_length=120, required=False, allow_blank=True)
    facts_started_on = serializers.DateField(required=False, allow_null=True)
    chosen_lawyer = object_id(
        required=False, help_text="The lawyer the minor chose (a lawyer of the panel)."
    )
    parties = PartyInputSerializer(
        many=True, required=False, help_text="Defendants known at intake (checked for conflicts)."
    )


class CaseListSerializer(serializers.ModelSerializer):
    victim = serializers.CharField(source="victim.pseudonym", read_only=True)

    class Meta:
        model = Case
        fields = ["id", "reference", "victim", "district", "language", "status", "intake_on",
                  "is_repeat_victimisation", "adult_at_intake"]  # fmt: skip

    def to_representation(self, instance: Case) -> dict[str, Any]:
        """What the fields above give, written out: a page of 50 is read in a third of the time
        that DRF's field-by-field representation takes (benchmarks/api_load.py; the tests check
        that both give the same for every case)."""
        return {
            "id": instance.pk,
            "reference": instance.reference,
            "victim": instance.victim.pseudonym,
            "district": instance.district_id,
            "language": instance.language_id,
            "status": instance.status,
            "intake_on": instance.intake_on.isoformat(),
            "is_repeat_victimisation": instance.is_repeat_victimisation,
            "adult_at_intake": instance.adult_at_intake,
        }


class VictimSerializer(serializers.ModelSerializer):
    earlier_record = serializers.CharField(
        source="earlier_record.pseudonym", default=None, allow_null=True
    )

    class Meta:
        model = Victim
        fields = ["pseudonym", "given_names", "family_name", "date_of_birth", "national_number",
                  "nationality", "language", "earlier_record"]  # fmt: skip


class DesignationSummarySerializer(serializers.ModelSerializer):
    lawyer_name = serializers.CharField(source="lawyer.__str__", read_only=True)

    class Meta:
        model = Designation
        fields = ["id", "lawyer", "lawyer_name", "status", "method", "proposed_at", "respond_by"]


# DRF's own fields, for their formats of dates and moments (ISO 8601, in the current time zone).
_DATE = serializers.DateField()
_MOMENT = serializers.DateTimeField()


def _date(value: Any) -> str | None:
    return None if value is None else cast(str, _DATE.to_representation(value))


def _moment(value: Any) -> str | None:
    return None if value is None else cast(str, _MOMENT.to_representation(value))


class CaseDetailSerializer(serializers.ModelSerializer):
    victim = VictimSerializer(read_only=True)
    matters: serializers.SlugRelatedField[Matter] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    active_designation = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "reference", "office", "victim", "district", "language",
                  "language_change_reason", "matters", "status", "intake_on", "facts_started_on",
                  "closed_on", "close_reason", "prosecutor_notice_number", "investigating_judge",
                  "court", "adult_at_intake", "adult_at_intake_reason", "is_repeat_victimisation",
                  "active_designation", "created_at", "updated_at"]  # fmt: skip

    def get_active_designation(self, case: Case) -> dict[str, Any] | None:
        designation = self.context.get("active_designation")
        return DesignationSummarySerializer(designation).data if designation else None

    def to_representation(self, instance: Case) -> dict[str, Any]:
        """What the fields above give, written out: DRF builds a model serializer's fields anew
        for every object, a third of a case file's time (benchmarks/api_load.py; the tests check
        that both give the same, for cases with and without a designation or an earlier
        record)."""
        victim = instance.victim
        earlier = victim.earlier_record
        designation = self.context.get("active_designation")
        return {
            "id": instance.pk,
            "reference": instance.reference,
            "office": instance.office_id,
            "victim": {
                "pseudonym": victim.pseudonym,
                "given_names": victim.given_names,
                "family_name": victim.family_name,
                "date_of_birth": _date(victim.date_of_birth),
                "national_number": victim.national_number,
                "nationality": victim.nationality,
                "language": victim.language_id,
                "earlier_record": earlier.pseudonym if earlier else None,
            },
            "district": instance.district_id,
            "language": instance.language_id,
            "language_change_reason": instance.language_change_reason,
            "matters": [matter.code for matter in instance.matters.all()],
            "status": instance.status,
            "intake_on": _date(instance.intake_on),
            "facts_started_on": _date(instance.facts_started_on),
            "closed_on": _date(instance.closed_on),
            "close_reason": instance.close_reason,
            "prosecutor_notice_number": instance.prosecutor_notice_number,
            "investigating_judge": instance.investigating_judge,
            "court": instance.court,
            "adult_at_intake": instance.adult_at_intake,
            "adult_at_intake_reason": instance.adult_at_intake_reason,
            "is_repeat_victimisation": instance.is_repeat_victimisation,
            "active_designation": None
            if designation is None
            else {
                "id": designation.pk,
                "lawyer": designation.lawyer_id,
                "lawyer_name": str(designation.lawyer),
                "status": designation.status,
                "method": designation.method,
                "proposed_at": _moment(designation.proposed_at),
                "respond_by": _moment(designation.respond_by),
            },
            "created_at": _moment(instance.created_at),
            "updated_at": _moment(instance.updated_at),
        }


class GuardianCaseSummarySerializer(serializers.ModelSerializer):
    """What a guardian sees: where the case stands and who the lawyer is. No identities of
    defendants, no notes, no identity data beyond what the guardian already knows."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    district_name = serializers.CharField(source="district.__str__", read_only=True)
    lawyer = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "reference", "status", "status_label", "district_name", "lawyer"]

    def get_lawyer(self, case: Case) -> dict[str, str] | None:
        designation = self.context.get("active_designation")
        if designation is None or designation.status != "accepted":
            return None
        lawyer = designation.lawyer
        return {"name": f"{lawyer.given_name} {lawyer.family_name}", "email": lawyer.email,
                "phone": lawyer.phone}  # fmt: skip


class LanguageChangeSerializer(serializers.Serializer):
    language = serializers.SlugRelatedField(slug_field="code", queryset=Language.objects.all())
    reason = serializers.CharField(max_length=300)


class CaseNoteSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=NoteKind.choices)

    class Meta:
        model = CaseNote
        fields = ["id", "kind", "body", "author", "created_at"]
        read_only_fields = ["author", "created_at"]


# --- Parties --------------------------------------------------------------------------------


class DefendantSerializer(serializers.ModelSerializer):
    aliases = serializers.SerializerMethodField()
    handles = serializers.SerializerMethodField()

    class Meta:
        model = Defendant
        fields = ["id", "full_name", "aliases", "handles"]

    def get_aliases(self, defendant: Defendant) -> list[str]:
        return [a.value for a in defendant.aliases.all() if a.kind == "alias"]

    def get_handles(self, defendant: Defendant) -> list[str]:
        return [a.value for a in defendant.aliases.all() if a.kind == "handle"]


class PartySerializer(serializers.ModelSerializer):
    defendant = DefendantSerializer(read_only=True)

    class Meta:
        model = Party
        fields = ["id", "role", "defendant", "represented_by", "represented_by_name", "created_at"]


# --- Guardians ------------------------------------------------------------------------------


class GuardianInputSerializer(serializers.Serializer):
    relationship = serializers.ChoiceField(choices=GuardianRelationship.choices)
    full_name = serializers.CharField(max_length=160)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    preferred_language = serializers.SlugRelatedField(
        slug_field="code", queryset=Language.objects.all()
    )


class GuardianAccessInputSerializer(serializers.Serializer):
    guardian = object_id(required=False, help_text="A guardian already known in a case you manage.")
    new_guardian = GuardianInputSerializer(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("guardian" in attrs) == ("new_guardian" in attrs):
            raise serializers.ValidationError(
                {"guardian": [_("Give either an existing guardian or a new_guardian, not both.")]}
            )
        return attrs


class GuardianSerializer(serializers.ModelSerializer):
    class Meta:
        model = Guardian
        fields = ["id", "relationship", "full_name", "email", "phone", "preferred_language"]


class GuardianAccessSerializer(serializers.ModelSerializer):
    guardian = GuardianSerializer(read_only=True)

    class Meta:
        model = GuardianAccess
        fields = ["id", "case", "guardian", "granted_by", "granted_at", "ends_on", "revoked_at",
                  "revoked_by", "revoke_reason"]  # fmt: skip


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


# --- Designations ---------------------------------------------------------------------------


class DesignationInputSerializer(serializers.Serializer):
    """Office staff choose the lawyer themselves, overriding the engine: always with a reason."""

    case = object_id()
    lawyer = object_id()
    reason = serializers.CharField(max_length=300)
    cross_district = serializers.BooleanField(
        default=False,
        help_text=(
            "A cross-district override: the lawyer may be of another bar and not serve the "
            "case's district (audited); every other rule, a conflict of interest first, binds."
        ),
    )


class DesignationEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = DesignationEvent
        fields = ["from_status", "to_status", "actor", "at", "reason"]


class DesignationSerializer(serializers.ModelSerializer):
    """Output only (input is DesignationInputSerializer). Every field is read-only: a writable
    `case` or `lawyer` would make the browsable API's form list every case and lawyer there is."""

    case_reference = serializers.CharField(source="case.reference", read_only=True)
    lawyer_name = serializers.CharField(source="lawyer.__str__", read_only=True)
    events = DesignationEventSerializer(many=True, read_only=True)

    class Meta:
        model = Designation
        fields = ["id", "case", "case_reference", "lawyer", "lawyer_name", "status", "method",
                  "proposed_at", "respond_by", "decided_at", "reason", "events"]  # fmt: skip
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.OBJECT)
class ExplanationField(serializers.Field):
    """The engine's stored explanation, read back for people: the figures of the evaluation and
    `candidates`, one entry per lawyer considered (name, rank and scores, or the exclusions).
    Names are looked up once per response, whatever the number of rows."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: dict[str, Any]) -> dict[str, Any]:
        candidates = engine.explanation_candidates(value)
        context = cast(dict[str, Any], self.context)  # the root serializer's own dict
        names: dict[int, str] = context.setdefault("lawyer_names", {})
        missing = {entry["lawyer"] for entry in candidates} - set(names)
        if missing:
            for pk, family, given in Lawyer.objects.filter(pk__in=missing).values_list(
                "pk", "family_name", "given_name"
            ):
                names[pk] = f"{family}, {given}"
        summary = {k: v for k, v in value.items() if k not in ("ranked", "excluded", "candidates")}
        return {
            **summary,
            "candidates": [
                {"lawyer": entry["lawyer"], "name": names.get(entry["lawyer"], ""), **entry}
                for entry in candidates
            ],
        }


class DesignationWithExplanationSerializer(DesignationSerializer):
    """For office staff: why this lawyer — every candidate considered, exclusions and scores."""

    explanation = ExplanationField()

    class Meta(DesignationSerializer.Meta):
        fields = [*DesignationSerializer.Meta.fields, "explanation"]
        read_only_fields = fields


class EscalationSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    explanation = ExplanationField()

    class Meta:
        model = Escalation
        fields = ["id", "case", "case_reference", "opened_at", "resolved_at", "resolved_by",
                  "resolution", "explanation"]  # fmt: skip
        read_only_fields = fields


class FairnessQuerySerializer(serializers.Serializer):
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)
    office = serializers.PrimaryKeyRelatedField(
        queryset=LegalAidOffice.objects.all(),
        required=False,
        help_text="Administrators only; office staff always read their own office's report.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and until < since:
            raise serializers.ValidationError({"until": [_("The period ends before it starts.")]})
        return attrs


class FairnessLawyerSerializer(serializers.Serializer):
    lawyer = serializers.IntegerField()
    name = serializers.CharField()
    capacity = serializers.IntegerField()
    open_load = serializers.IntegerField()
    load_ratio = serializers.FloatField(allow_null=True)
    designated_in_period = serializers.IntegerField()
    accepted_in_period = serializers.IntegerField()


class FairnessDistributionSerializer(serializers.Serializer):
    lawyers = serializers.IntegerField()
    designations = serializers.IntegerField()
    min = serializers.IntegerField()
    median = serializers.FloatField()
    max = serializers.IntegerField()
    gini = serializers.FloatField(help_text="0 when every lawyer got as many designations.")


class FairnessReportSerializer(serializers.Serializer):
    """Output only: documents `selectors.fairness_report`."""

    office = serializers.IntegerField()
    since = serializers.DateField()
    until = serializers.DateField()
    lawyers = FairnessLawyerSerializer(many=True)
    distribution = FairnessDistributionSerializer()


# --- Audit ----------------------------------------------------------------------------------


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor", "action", "target_type", "target_id", "case_id",
                  "office_id", "changes"]  # fmt: skip


# --- Non-punishment records -------------------------------------------------------------------
# One serializer per audience: office staff and administrators get the summary (that a record
# exists, its category, dates and outcome); the designated lawyer the whole record; a guardian
# the neutral line only. Never one serializer with fields blanked.


class ReferenceEntrySerializer(serializers.Serializer):
    """An entry of a list (output only): its stable code and its labels."""

    code = serializers.CharField()
    label_nl = serializers.CharField()
    label_fr = serializers.CharField()
    label_de = serializers.CharField()
    label_en = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)


class LegalBasisSerializer(ReferenceEntrySerializer):
    notes = serializers.CharField()


class NonPunishmentReferenceSerializer(serializers.Serializer):
    """The lists a record chooses from, as they stand today."""

    offence_categories = ReferenceEntrySerializer(many=True)
    exploitation_indicators = ReferenceEntrySerializer(many=True)
    legal_bases = LegalBasisSerializer(many=True)


class EvidenceItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceItem
        fields = ["id", "case", "kind", "description", "reference", "dated_on", "created_at"]
        read_only_fields = fields


class EvidenceItemInputSerializer(serializers.Serializer):
    case = object_id()
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    description = serializers.CharField(max_length=300)
    reference = serializers.CharField(max_length=120, required=False, allow_blank=True)
    dated_on = serializers.DateField(required=False, allow_null=True)


class NonPunishmentRecordSummarySerializer(serializers.ModelSerializer):
    """For office staff and administrators (and every list): no description, no proceeding
    reference, no assessment, no indicators, no evidence, no requests."""

    case_reference = serializers.CharField(source="case.reference", read_only=True)
    category: serializers.SlugRelatedField[OffenceCategory] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = NonPunishmentRecord
        fields = ["id", "case", "case_reference", "category", "committed_from",
                  "committed_until", "decision", "decided_on", "created_at"]  # fmt: skip
        read_only_fields = fields


class ExploitationLinkSerializer(serializers.ModelSerializer):
    indicator: serializers.SlugRelatedField[ExploitationIndicator] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    evidence: serializers.PrimaryKeyRelatedField[EvidenceItem] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = ExploitationLink
        fields = ["id", "indicator", "note", "evidence", "created_at"]
        read_only_fields = fields


class NonPunishmentRequestSerializer(serializers.ModelSerializer):
    legal_bases: serializers.SlugRelatedField[NonPunishmentLegalBasis] = (
        serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    )

    class Meta:
        model = NonPunishmentRequest
        fields = ["id", "addressee", "measure", "requested_on", "legal_bases", "created_at"]
        read_only_fields = fields


class NonPunishmentRecordSerializer(NonPunishmentRecordSummarySerializer):
    """The whole record, for the designated lawyer alone. The victim's age is derived from their
    date of birth and the offence's dates."""

    victim_age_at_offence = serializers.IntegerField(read_only=True)
    victim_age_at_end = serializers.IntegerField(read_only=True)
    links = ExploitationLinkSerializer(many=True, read_only=True)
    requests = NonPunishmentRequestSerializer(many=True, read_only=True)

    class Meta(NonPunishmentRecordSummarySerializer.Meta):
        fields = [*NonPunishmentRecordSummarySerializer.Meta.fields, "description",
                  "proceeding_reference", "victim_age_at_offence", "victim_age_at_end",
                  "assessment", "assessment_reasoning", "assessed_at", "shared_with_guardian",
                  "links", "requests", "updated_at"]  # fmt: skip
        read_only_fields = fields


class NonPunishmentRecordInputSerializer(serializers.Serializer):
    case = object_id()
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=OffenceCategory.objects.all()
    )
    description = serializers.CharField(max_length=5000)
    proceeding_reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
    committed_from = serializers.DateField(help_text="The day of the offence, or the first day.")
    committed_until = serializers.DateField(
        required=False, allow_null=True, help_text="The last day, for a period."
    )


class ExploitationLinkInputSerializer(serializers.Serializer):
    indicator = serializers.SlugRelatedField(
        slug_field="code", queryset=ExploitationIndicator.objects.all()
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    evidence = serializers.ListField(
        child=object_id(),
        required=False,
        max_length=50,
        help_text="Ids of evidence items of the same case.",
    )


class NonPunishmentRequestInputSerializer(serializers.Serializer):
    addressee = serializers.ChoiceField(choices=RequestAddressee.choices)
    measure = serializers.ChoiceField(choices=RequestedMeasure.choices)
    requested_on = serializers.DateField()
    legal_bases = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=NonPunishmentLegalBasis.objects.all()
    )


class NonPunishmentDecisionInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=NonPunishmentDecision.choices)
    decided_on = serializers.DateField(
        required=False, allow_null=True, help_text="Required unless the outcome is pending."
    )


class NonPunishmentAssessmentInputSerializer(serializers.Serializer):
    assessment = serializers.ChoiceField(choices=AssessmentStrength.choices)
    reasoning = serializers.CharField(max_length=5000)


class GuardianNoticeSerializer(serializers.Serializer):
    """What a guardian reads of the non-punishment work: one neutral line, or nothing."""

    notice = serializers.CharField(allow_null=True)
    language = serializers.CharField(allow_null=True)
