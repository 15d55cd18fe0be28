"""Serializers of the stock count and suggested-order endpoints (API.md)."""

from __future__ import annotations

from rest_framework import serializers

from visits.models import StockCount, StockCountLine, SuggestedOrderLine


class StockCountLineInputSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    quantity = serializers.IntegerField(help_text="Cases counted, 0 or more.")
    production_date = serializers.DateField(required=False, allow_null=True)
    batch = serializers.CharField(required=False, allow_blank=True, default="")


class StockCountInputSerializer(serializers.Serializer):
    lines = StockCountLineInputSerializer(many=True)
    counted_at = serializers.DateTimeField(required=False, allow_null=True)


class StockCountLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = StockCountLine
        fields = ["product", "quantity", "production_date", "batch"]


class StockCountSerializer(serializers.ModelSerializer):
    lines = StockCountLineSerializer(many=True, read_only=True)

    class Meta:
        model = StockCount
        fields = ["id", "visit", "dealer", "counted_at", "counted_by", "lines"]


class SuggestedLineSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = SuggestedOrderLine
        fields = [
            "product", "product_name", "previous_stock", "deliveries", "current_stock", "period_sales", "coefficient",
            "safety_stock", "suggested_quantity", "flags", "ordered_quantity", "change_reason",
        ]


class SuggestedOrderSerializer(serializers.Serializer):
    visit = serializers.IntegerField()
    stock_count = serializers.IntegerField(allow_null=True)
    counted_at = serializers.DateTimeField(allow_null=True)
    coefficient_default = serializers.CharField()
    order = serializers.IntegerField(allow_null=True)
    lines = SuggestedLineSerializer(many=True)


class SuggestedOrderLineInputSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    quantity = serializers.IntegerField(min_value=0)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class SuggestedOrderPlaceSerializer(serializers.Serializer):
    lines = SuggestedOrderLineInputSerializer(
        many=True, help_text="Lines left out are ordered as suggested; a changed quantity needs a reason."
    )
