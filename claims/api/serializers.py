"""Shapes of the claims API. Input serializers check form only (types, lengths, at most two
decimals); the rules live in the services. Money goes out as strings with two decimals. Debtors
are party ids with their role in the case, never names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import serializers

from legalaid.api.serializers import object_id

from ..models import (
    Award,
    AwardKind,
    CivilClaim,
    ClaimStage,
    ClaimStatus,
    DamageHead,
    DamageKind,
    DayCount,
    EnforcementKind,
    EnforcementStep,
    ImputationOrder,
    IndicativeTableEdition,
    IndicativeTableItem,
    InterestKind,
    Judgment,
    JudgmentStatus,
    PayerKind,
    Payment,
    PaymentDestination,
    StateAidApplication,
    StateAidKind,
)


def money(**kwargs: Any) -> serializers.DecimalField:
    """An amount in euro: a string with two decimals out; in, at most two decimals."""
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)


def money_out(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, **kwargs)


def party_ids(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=object_id(), max_length=100, **kwargs)


# --- Claims ------------------------------------------------------------------------------------


class ClaimConstituteSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=ClaimStage.choices)
    court = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")
    constituted_on = serializers.DateField(
        required=False, allow_null=True, help_text="Empty: the claim is only prepared."
    )
    defendants = party_ids(
        required=False, default=list, help_text="Parties (defendants) of the case."
    )


class ClaimFileSerializer(serializers.Serializer):
    constituted_on = serializers.DateField()


class ClaimStatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[ClaimStatus.COLLECTING, ClaimStatus.CLOSED])
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class FlatRateSerializer(serializers.Serializer):
    edition = serializers.CharField(source="flat_rate.edition_id")
    item = serializers.CharField(source="flat_rate.item")
    unit = serializers.CharField(source="flat_rate.unit")
    unit_amount = money_out()
    quantity = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)


class DamageHeadSerializer(serializers.ModelSerializer):
    amount_claimed = money_out()
    flat_rate = serializers.SerializerMethodField()

    class Meta:
        model = DamageHead
        fields = ["id", "claim", "kind", "description", "amount_claimed", "evidence", "flat_rate",
                  "created_at"]  # fmt: skip
        read_only_fields = fields

    def get_flat_rate(self, head: DamageHead) -> dict[str, Any] | None:
        return FlatRateSerializer(head).data if head.is_flat_rate else None


class DamageHeadInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DamageKind.choices)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    evidence = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    amount_claimed = money(required=False, help_text="Leave out for a flat-rate head.")
    item = serializers.ChoiceField(
        choices=IndicativeTableItem.choices,
        required=False,
        help_text="A flat-rate head: the Indicative Table item (amount = quantity x rate).",
    )
    quantity = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, help_text="Days or hours."
    )
    edition = serializers.SlugRelatedField(
        slug_field="code",
        queryset=IndicativeTableEdition.objects.all(),
        required=False,
        help_text="The Indicative Table edition; default: the latest one on the claim's date.",
    )


class ClaimSerializer(serializers.ModelSerializer):
    defendants = serializers.SerializerMethodField()

    class Meta:
        model = CivilClaim
        fields = ["id", "case", "stage", "court", "constituted_on", "status", "defendants",
                  "created_at", "updated_at"]  # fmt: skip
        read_only_fields = fields

    def get_defendants(self, claim: CivilClaim) -> list[int]:
        return sorted(party.pk for party in claim.defendants.all())


# --- Judgments and awards ------------------------------------------------------------------------


class AwardSerializer(serializers.ModelSerializer):
    amount = money_out()
    debtors = serializers.SerializerMethodField()
    joint = serializers.SerializerMethodField(
        help_text="Owed jointly and severally (in solidum) by several debtors."
    )
    fixed_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, read_only=True, allow_null=True
    )

    class Meta:
        model = Award
        fields = ["id", "judgment", "kind", "damage_head", "description", "amount", "debtors",
                  "joint", "interest_kind", "interest_from", "fixed_percent",
                  "created_at"]  # fmt: skip
        read_only_fields = fields

    def get_debtors(self, award: Award) -> list[int]:
        return sorted(party.pk for party in award.debtors.all())

    def get_joint(self, award: Award) -> bool:
        return len(award.debtors.all()) > 1


class AwardInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AwardKind.choices)
    amount = money()
    debtors = party_ids(
        min_length=1, help_text="One party, or several owing the amount jointly (in solidum)."
    )
    damage_head = object_id(required=False, allow_null=True)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    interest_kind = serializers.ChoiceField(
        choices=InterestKind.choices, required=False, default=InterestKind.NONE
    )
    interest_from = serializers.DateField(required=False, allow_null=True)
    fixed_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="A rate set by the court; empty: the legal rate of each year.",
    )


class JudgmentSerializer(serializers.ModelSerializer):
    awards = AwardSerializer(many=True, read_only=True)

    class Meta:
        model = Judgment
        fields = ["id", "claim", "given_on", "court", "reference", "status", "appeal_due_on",
                  "appealed_on", "final_on", "imputation_order", "day_count", "awards",
                  "created_at"]  # fmt: skip
        read_only_fields = fields


class JudgmentInputSerializer(serializers.Serializer):
    given_on = serializers.DateField()
    court = serializers.CharField(max_length=160)
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
    final_on = serializers.DateField(required=False, allow_null=True)
    appeal_due_on = serializers.DateField(
        required=False, allow_null=True, help_text="Default: 15 days after the judgment."
    )
    imputation_order = serializers.ChoiceField(choices=ImputationOrder.choices, required=False)
    day_count = serializers.ChoiceField(choices=DayCount.choices, required=False)


class JudgmentStatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[JudgmentStatus.UNDER_APPEAL, JudgmentStatus.FINAL, JudgmentStatus.REPLACED]
    )
    on = serializers.DateField(help_text="The day of the appeal, of finality, or of replacement.")


class ClaimDetailSerializer(ClaimSerializer):
    """A claim with its heads of damage and its judgments (with their awards); reads a claim
    from `claims.selectors.claim_with_details`."""

    damage_heads = DamageHeadSerializer(many=True, read_only=True)
    judgments = JudgmentSerializer(many=True, read_only=True)

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "damage_heads", "judgments"]
        read_only_fields = fields


# --- Payments ----------------------------------------------------------------------------------


class PaymentSerializer(serializers.ModelSerializer):
    amount = money_out()
    reversed_by = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = ["id", "judgment", "amount", "paid_on", "payer_kind", "payer_party",
                  "destination", "reference", "state_aid_application", "reverses", "reversed_by",
                  "reason", "recorded_by", "recorded_at"]  # fmt: skip
        read_only_fields = fields

    def get_reversed_by(self, payment: Payment) -> int | None:
        reversal = getattr(payment, "reversal", None)
        return reversal.pk if reversal is not None else None


class PaymentInputSerializer(serializers.Serializer):
    amount = money()
    paid_on = serializers.DateField()
    payer_kind = serializers.ChoiceField(choices=PayerKind.choices)
    payer_party = object_id(
        required=False,
        allow_null=True,
        help_text="The debtor who paid, or on whose behalf an insurer or another payer paid.",
    )
    destination = serializers.ChoiceField(choices=PaymentDestination.choices)
    reference = serializers.CharField(max_length=140, required=False, allow_blank=True)
    state_aid_application = object_id(required=False, allow_null=True)


class PaymentReverseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    reversed_on = serializers.DateField(required=False, allow_null=True)


# --- Balances ----------------------------------------------------------------------------------


class BalanceQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False, help_text="Default: today.")


class BalanceSerializer(serializers.Serializer):
    principal = money_out()
    interest = money_out(help_text="Accrued up to and including the date.")
    costs = money_out()
    due = money_out()
    paid = money_out()
    paid_costs = money_out()
    paid_interest = money_out()
    paid_principal = money_out()
    outstanding = money_out()
    outstanding_costs = money_out()
    outstanding_interest = money_out()
    outstanding_principal = money_out()


class AwardBalanceSerializer(BalanceSerializer):
    award = serializers.IntegerField()
    judgment = serializers.IntegerField()
    kind = serializers.CharField()
    debtors = serializers.ListField(child=serializers.IntegerField())


class DebtorBalanceSerializer(serializers.Serializer):
    party = serializers.IntegerField(source="debtor")
    role = serializers.CharField(help_text="The party's role in the case (no names).")
    awards = serializers.ListField(child=serializers.IntegerField(), source="award_ids")
    outstanding = money_out(help_text="Joint awards counted in full for each of their debtors.")
    outstanding_costs = money_out()
    outstanding_interest = money_out()
    outstanding_principal = money_out()
    paid = money_out(help_text="What this debtor paid (or was paid on their behalf).")
    credit = money_out(help_text="The part of it that found nothing left to pay.")


class InterestLineSerializer(serializers.Serializer):
    award = serializers.IntegerField(source="award_id")
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    days = serializers.IntegerField()
    base = money_out()
    percent = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)
    year_days = serializers.IntegerField()
    amount = money_out()


class LedgerSerializer(serializers.Serializer):
    """Output only: `claims.selectors.claim_ledger` at a date."""

    claim = serializers.IntegerField()
    as_of = serializers.DateField()
    totals = BalanceSerializer(help_text="Each award once.")
    awards = AwardBalanceSerializer(many=True)
    debtors = DebtorBalanceSerializer(many=True)
    interest_lines = InterestLineSerializer(many=True)
    received = money_out()
    credit = money_out()
    received_from_other_sources = money_out()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """What the fields above give, written out, each value formatted by the same DRF field
        as above: DRF walks every nested serializer's fields again for each line, and a claim
        with two years of instalments has a hundred interest lines (benchmarks/api_load.py; the
        tests check that both give the same, for every ledger of the claims' test worlds)."""
        money, day = _optional(_MONEY.to_representation), _optional(_DAY.to_representation)
        percent = _optional(_PERCENT.to_representation)

        def balance(row: Any) -> dict[str, Any]:
            return {name: money(_get(row, name)) for name in BALANCE_NAMES}

        return {
            "claim": instance["claim"],
            "as_of": day(instance["as_of"]),
            "totals": balance(instance["totals"]),
            "awards": [
                balance(row)
                | {
                    "award": row["award"],
                    "judgment": row["judgment"],
                    "kind": str(row["kind"]),
                    "debtors": list(row["debtors"]),
                }
                for row in instance["awards"]
            ],
            "debtors": [
                {
                    "party": row["debtor"],
                    "role": str(row["role"]),
                    "awards": list(row["award_ids"]),
                    **{name: money(row[name]) for name in DEBTOR_MONEY_NAMES},
                }
                for row in instance["debtors"]
            ],
            "interest_lines": [
                {
                    "award": line.award_id,
                    "first_day": day(line.first_day),
                    "last_day": day(line.last_day),
                    "days": line.days,
                    "base": money(line.base),
                    "percent": percent(line.percent),
                    "year_days": line.year_days,
                    "amount": money(line.amount),
                }
                for line in instance["interest_lines"]
            ],
            "received": money(instance["received"]),
            "credit": money(instance["credit"]),
            "received_from_other_sources": money(instance["received_from_other_sources"]),
        }


_MONEY = money_out()
_PERCENT = InterestLineSerializer().fields["percent"]
_DAY = serializers.DateField()
BALANCE_NAMES = tuple(BalanceSerializer().fields)
DEBTOR_MONEY_NAMES = ("outstanding", "outstanding_costs", "outstanding_interest",
                      "outstanding_principal", "paid", "credit")  # fmt: skip


def _optional(represent: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A field's output, and None for None, as a serializer gives it."""
    return lambda value: None if value is None else represent(value)


def _get(row: Any, name: str) -> Any:
    return row[name] if isinstance(row, dict) else getattr(row, name)


class CompensationSummarySerializer(serializers.Serializer):
    """What a guardian sees of the claims of their ward's case: totals, nothing per debtor."""

    case = serializers.IntegerField()
    as_of = serializers.DateField()
    awarded = money_out(help_text="Principal and costs awarded (interest not included).")
    received = money_out(help_text="Everything received, whoever paid.")


# --- State aid and enforcement -----------------------------------------------------------------


class StateAidApplicationSerializer(serializers.ModelSerializer):
    amount_requested = money_out()
    amount_granted = money_out(allow_null=True)
    amount_paid = money_out(allow_null=True)

    class Meta:
        model = StateAidApplication
        fields = ["id", "claim", "kind", "reference", "filed_on", "amount_requested", "status",
                  "decided_on", "amount_granted", "paid_on", "amount_paid",
                  "created_at"]  # fmt: skip
        read_only_fields = fields


class StateAidApplyInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=StateAidKind.choices)
    filed_on = serializers.DateField()
    amount_requested = money()
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True)


class StateAidDecisionSerializer(serializers.Serializer):
    decided_on = serializers.DateField()
    amount_granted = money(allow_null=True, help_text="null: the application was refused.")


class StateAidPaymentSerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    amount_paid = money()


class HintSerializer(serializers.Serializer):
    code = serializers.CharField()
    met = serializers.BooleanField(allow_null=True, help_text="null: the data does not tell.")
    message = serializers.CharField()


class StateAidEligibilitySerializer(serializers.Serializer):
    """Output only: hints, not decisions (the Commission decides)."""

    as_of = serializers.DateField()
    hints = HintSerializer(many=True)
    damage = money_out()
    minimum_damage = money_out(allow_null=True)
    main_aid_ceiling = money_out(allow_null=True)
    emergency_aid_ceiling = money_out(allow_null=True)
    final_decision_on = serializers.DateField(allow_null=True)
    deadline = serializers.DateField(
        allow_null=True, help_text="Due date to apply for main or complementary aid."
    )


class EnforcementStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnforcementStep
        fields = ["id", "claim", "debtor", "kind", "taken_on", "reference", "outcome",
                  "outcome_on", "created_at"]  # fmt: skip
        read_only_fields = fields


class EnforcementStepInputSerializer(serializers.Serializer):
    debtor = object_id()
    kind = serializers.ChoiceField(choices=EnforcementKind.choices)
    taken_on = serializers.DateField()
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
    outcome = serializers.CharField(max_length=300, required=False, allow_blank=True)
    outcome_on = serializers.DateField(required=False, allow_null=True)


class EnforcementOutcomeSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=300)
    outcome_on = serializers.DateField()
