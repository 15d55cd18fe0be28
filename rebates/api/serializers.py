from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rebates.models import (
    PeriodKind,
    PlanKind,
    RebateAssignment,
    RebatePlan,
    RebateStatement,
    RebateTier,
    SettlementMethod,
    StatementState,
)


class RebateStatementSerializer(serializers.ModelSerializer):
    """A statement per dealer, plan and period: `basis, rate, amount, status` (API.md),
    with how it was computed and where it stands (`state`: running, pending, settled)."""

    dealer_name = serializers.CharField(source="dealer.name", read_only=True)
    plan_name = serializers.CharField(source="plan.name", read_only=True)
    period_kind = serializers.ChoiceField(source="plan.period_kind", choices=PeriodKind.choices, read_only=True)
    period = serializers.CharField(source="period_label", read_only=True)
    state = serializers.ChoiceField(choices=StatementState.CHOICES, read_only=True)
    amount_to_next_tier = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, allow_null=True)
    computation = serializers.SerializerMethodField()

    class Meta:
        model = RebateStatement
        fields = [
            "id", "dealer", "dealer_name", "plan", "plan_name", "period_kind", "period", "period_start", "period_end",
            "basis", "rate", "amount", "status", "state", "tier_threshold", "next_tier_threshold", "next_tier_rate",
            "amount_to_next_tier", "computation", "computed_at", "settled_at", "settled_by", "settlement_method",
            "settlement_reference", "settlement_note",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_computation(self, statement: RebateStatement) -> dict:
        return statement.computation


class SettleInputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=SettlementMethod.choices)
    reference = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
    note = serializers.CharField(max_length=1000, allow_blank=True, required=False, default="")


class RebateTierSerializer(serializers.ModelSerializer):
    class Meta:
        model = RebateTier
        fields = ["threshold", "rate"]


class RebatePlanSerializer(serializers.ModelSerializer):
    """A rebate plan; `tiers` for a tiered plan, `products` (ids) for a campaign. HQ admin writes."""

    tiers = RebateTierSerializer(many=True, required=False)
    products = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    product_ids = serializers.ListField(child=serializers.IntegerField(), write_only=True, required=False)
    kind = serializers.ChoiceField(choices=PlanKind.choices)
    # Left out on create: the model's default (a statement per quarter), documented in the schema.
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices, default=PeriodKind.QUARTER,
                                          help_text="Statement period; quarter when left out.")

    class Meta:
        model = RebatePlan
        fields = [
            "id", "code", "name", "kind", "period_kind", "rate", "tiers", "products", "product_ids", "starts_on",
            "ends_on", "is_active", "description", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "products", "created_at", "updated_at"]
        extra_kwargs = {"code": {"validators": []}}  # uniqueness is the service's full_clean()


class RebateAssignmentSerializer(serializers.ModelSerializer):
    dealer_name = serializers.CharField(source="dealer.name", read_only=True)
    plan_name = serializers.CharField(source="plan.name", read_only=True)

    class Meta:
        model = RebateAssignment
        fields = ["id", "plan", "plan_name", "dealer", "dealer_name", "starts_on", "ends_on", "created_at"]
        read_only_fields = ["id", "created_at"]
        validators = []  # the service checks (plan, dealer) uniqueness with a clear message
