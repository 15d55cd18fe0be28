from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from scorecards.models import MarketSize

MONEY = {"max_digits": 16, "decimal_places": 2}


class ScorecardQuerySerializer(serializers.Serializer):
    """Query parameters of the region scorecard (documentation only)."""

    period = serializers.CharField(required=False, help_text="2026-10 (month), 2026-Q4 (quarter) or 2026 (year).")
    grade = serializers.CharField(required=False, help_text="A, B, C, D, or - for not yet evaluated.")
    region = serializers.IntegerField(required=False, help_text="A sub-region: its dealers and those below it.")
    rep = serializers.IntegerField(required=False)
    ordering = serializers.CharField(required=False, help_text="A row field, - first for descending, e.g. -sales.")


class ScorecardRowSerializer(serializers.Serializer):
    dealer_id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField()
    region_id = serializers.IntegerField(allow_null=True)
    region_name = serializers.CharField()
    rep_id = serializers.IntegerField(allow_null=True)
    rep_name = serializers.CharField()
    grade = serializers.CharField()
    score = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    previous_grade = serializers.CharField()
    previous_score = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    trend = serializers.CharField(help_text="up, down, same, or empty without an earlier evaluation.")
    sales = serializers.DecimalField(**MONEY)
    target = serializers.DecimalField(**MONEY)
    achievement = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True, help_text="% of target.")
    sales_previous = serializers.DecimalField(**MONEY)
    growth_previous = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
    sales_last_year = serializers.DecimalField(**MONEY)
    growth_last_year = serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)
    market_size = serializers.DecimalField(**MONEY, allow_null=True)
    penetration = serializers.DecimalField(max_digits=10, decimal_places=4, allow_null=True,
                                           help_text="Sales ÷ market size of the dealer's region (a fraction).")
    visits_planned = serializers.IntegerField()
    visits_completed = serializers.IntegerField()
    visit_compliance = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    stockouts = serializers.IntegerField()
    near_expiry = serializers.IntegerField()
    suggested_quantity = serializers.IntegerField()
    ordered_quantity = serializers.IntegerField()
    suggestions_followed = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    overdue_orders = serializers.IntegerField()
    overdue_amount = serializers.DecimalField(**MONEY)
    violations = serializers.IntegerField()
    open_requests = serializers.IntegerField()
    period_start = serializers.DateField(allow_null=True, help_text="First day counted.")
    period_end = serializers.DateField(
        allow_null=True, help_text="Last day counted: the period's last day, or today for a period still running.")
    previous_start = serializers.DateField(allow_null=True, help_text="First day of the previous period compared with.")
    previous_end = serializers.DateField(
        allow_null=True, help_text="Last day of the previous period compared with: the same number of days (like for like).")


class KpiPeriodSerializer(ScorecardRowSerializer):
    period = serializers.CharField()
    grade_in_force = serializers.CharField()


class DealerKpisSerializer(serializers.Serializer):
    dealer_id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    periods = KpiPeriodSerializer(many=True)


class MarketSizeSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = MarketSize
        fields = ["id", "region", "region_name", "period_start", "category", "category_name", "amount", "updated_at"]
        read_only_fields = ["updated_at"]

    def validate_period_start(self, value):
        if value.day != 1:
            raise serializers.ValidationError(_("The period of a market size is a month: give its first day."))
        return value


class MarketSizeImportRowSerializer(serializers.Serializer):
    region = serializers.IntegerField()
    period_start = serializers.DateField(help_text="The first day of the month.")
    category = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)


class MarketSizeImportSerializer(serializers.Serializer):
    rows = MarketSizeImportRowSerializer(many=True)


class MarketSizeImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
