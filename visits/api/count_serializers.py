"""Serializers of the stock count and suggested-order endpoints (API.md)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inventory.counting import QUANTITY_MAX
from inventory.models import StockCount, StockCountLine, SuggestedOrderLine
from inventory.selectors import suggestion_working
from visits.services.counting import visit_id_of

LINES_MAX = 2000


class _AsSent(serializers.Field):
    """A value passed to the service as sent: the service checks it and answers per
    line, naming the product (`lines.<index>`), the same way for the page and the API."""

    def to_internal_value(self, data):
        return data

    def to_representation(self, value):
        return value


@extend_schema_field({"type": "integer", "minimum": 1})
class _ProductId(_AsSent):
    """A product id as sent, documented as a positive integer."""


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": QUANTITY_MAX})
class _Quantity(_AsSent):
    """A counted quantity as sent, documented with the column's bounds."""


@extend_schema_field({"type": "string", "format": "date", "nullable": True})
class _Date(_AsSent):
    """A production date as sent, documented as an ISO date or null."""


class StockCountLineInputSerializer(serializers.Serializer):
    product = _ProductId(allow_null=True, help_text="A product the dealer carries (or one found on the shelf, with found_on_shelf).")
    quantity = _Quantity(allow_null=True, help_text=f"Cases counted: a whole number from 0 to {QUANTITY_MAX}.")
    production_date = _Date(required=False, allow_null=True, help_text="YYYY-MM-DD, not after the count.")
    batch = serializers.CharField(required=False, allow_blank=True, default="", help_text="Up to 64 characters.")
    found_on_shelf = serializers.BooleanField(
        required=False, default=False,
        help_text="True for a product the dealer is not recorded as carrying but that was found on its shelf: "
                  "it is carried from this count on.",
    )


class StockCountInputSerializer(serializers.Serializer):
    lines = StockCountLineInputSerializer(many=True, max_length=LINES_MAX)
    counted_at = serializers.DateTimeField(required=False, allow_null=True)
    confirm_implausible = serializers.BooleanField(
        required=False, default=False,
        help_text="A quantity more than 10 × the largest of the product's recent counts plus deliveries is refused "
                  "(400, the line's message says why, and `confirm_implausible` names the remedy) unless this is "
                  "true: the rep has checked it and it is right.",
    )


class StockCountLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = StockCountLine
        fields = ["product", "quantity", "production_date", "batch"]


class StockCountSerializer(serializers.ModelSerializer):
    visit = serializers.SerializerMethodField(help_text="The visit the count was taken at.")
    replaces = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The earlier count of the same visit that this one replaced, or null."
    )
    replaced_at = serializers.DateTimeField(
        read_only=True, help_text="When a recount in the same visit replaced this count (null: it is current)."
    )
    is_current = serializers.BooleanField(
        read_only=True, help_text="False once replaced: the suggested order never reads a replaced count."
    )
    lines = StockCountLineSerializer(many=True, read_only=True)

    class Meta:
        model = StockCount
        fields = ["id", "visit", "dealer", "counted_at", "counted_by", "replaces", "replaced_at", "is_current", "lines"]

    @extend_schema_field(OpenApiTypes.INT)
    def get_visit(self, count: StockCount) -> int | None:
        return visit_id_of(count.reference)


class SuggestionPeriodSerializer(serializers.Serializer):
    """One period of a suggestion's working (inventory.selectors.suggestion_working)."""

    def get_fields(self):
        return {
            "from": serializers.DateField(help_text="Day of the earlier count."),
            "to": serializers.DateField(help_text="Day of the later count."),
            "previous": serializers.IntegerField(help_text="Stock at the earlier count."),
            "delivered": serializers.IntegerField(help_text="Cases shipped to the dealer in between."),
            "current": serializers.IntegerField(help_text="Stock at the later count."),
            "days": serializers.IntegerField(),
            "sales": serializers.IntegerField(help_text="previous + delivered − current."),
            "promotion": serializers.BooleanField(help_text="The period overlapped a promotion."),
            "scaled": serializers.BooleanField(help_text="Sales scaled to the visit cycle (sales × cycle / days)."),
            "cycle_sales": serializers.DecimalField(
                max_digits=14, decimal_places=2, allow_null=True,
                help_text="The sales of one visit cycle this period gave the median (null when left out).",
            ),
            "promotion_excluded": serializers.BooleanField(help_text="Left out because of a promotion."),
            "excluded": serializers.ChoiceField(
                choices=["negative", "promotion", "older"], allow_null=True,
                help_text="Why the period was left out of the median, or null.",
            ),
            "used": serializers.BooleanField(help_text="The period is one of those the median was taken of."),
        }


class SuggestedLineSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)
    periods = serializers.SerializerMethodField(
        help_text="Every period the rule read, newest first: the working in full (empty for suggestions saved "
                  "before it was kept).",
    )
    median_of = serializers.SerializerMethodField(help_text="How many periods the period sales are the median of.")

    class Meta:
        model = SuggestedOrderLine
        fields = [
            "product", "product_name", "previous_stock", "deliveries", "current_stock", "period_sales", "coefficient",
            "coefficient_source", "cycle_days", "median_of", "safety_stock", "suggested_quantity", "flags",
            "ordered_quantity", "change_reason", "periods",
        ]

    def _working(self, line: SuggestedOrderLine) -> list[dict]:
        cache = self.context.setdefault("working", {})
        if line.pk not in cache:
            cache[line.pk] = suggestion_working(line=line, period_dates=line.stock_count.period_dates)
        return cache[line.pk]

    @extend_schema_field(SuggestionPeriodSerializer(many=True))
    def get_periods(self, line: SuggestedOrderLine) -> list[dict]:
        return SuggestionPeriodSerializer(self._working(line), many=True).data

    def get_median_of(self, line: SuggestedOrderLine) -> int:
        return sum(1 for period in self._working(line) if period["used"])


class SuggestedOrderSerializer(serializers.Serializer):
    visit = serializers.IntegerField()
    stock_count = serializers.IntegerField(allow_null=True)
    counted_at = serializers.DateTimeField(allow_null=True)
    coefficient_default = serializers.CharField()
    order = serializers.IntegerField(allow_null=True)
    lines = SuggestedLineSerializer(many=True)


class SuggestedOrderLineInputSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    quantity = serializers.IntegerField(min_value=0, max_value=QUANTITY_MAX)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class SuggestedOrderPlaceSerializer(serializers.Serializer):
    lines = SuggestedOrderLineInputSerializer(
        many=True, help_text="Lines left out are ordered as suggested; a changed quantity needs a reason."
    )
