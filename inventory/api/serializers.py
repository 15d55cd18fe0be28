from __future__ import annotations

from operator import itemgetter
from types import SimpleNamespace

from rest_framework import serializers

from common.api.rows import RowFormat
from inventory import catalogue
from inventory.models import (
    Order,
    OrderLine,
    OrderTransition,
    Payment,
    Product,
    ProductCategory,
    Shipment,
    ShipmentLine,
    TierPrice,
)


class ProductCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductCategory
        fields = ["id", "name", "sort_order"]
        validators = []  # the name's uniqueness (case-insensitive) is the service's

    def create(self, validated_data):
        return catalogue.category_create(**validated_data)

    def update(self, instance, validated_data):
        return catalogue.category_update(category=instance, **validated_data)


class ProductSerializer(serializers.ModelSerializer):
    """A product. `category` is optional on write: left out or null, the product goes
    to a default category (created on demand). The floor resale price may not be
    above the guideline retail price; no price may be negative."""

    category = serializers.PrimaryKeyRelatedField(
        queryset=ProductCategory.objects.all(), required=False, allow_null=True,
        help_text="The category's id; left out or null: a default category.",
    )
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Product
        fields = [
            "id", "sku", "name", "category", "category_name", "specification", "unit", "units_per_case",
            "shelf_life_days", "guideline_price", "floor_price", "safety_coefficient", "is_active",
        ]

    def create(self, validated_data):
        return catalogue.product_create(by=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return catalogue.product_update(product=instance, by=self.context["request"].user, **validated_data)


class TierPriceSerializer(serializers.ModelSerializer):
    product_sku = serializers.CharField(source="product.sku", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = TierPrice
        fields = ["id", "tier", "product", "product_sku", "product_name", "price", "updated_at"]
        read_only_fields = ["updated_at"]

    def create(self, validated_data):
        price, _outcome = catalogue.tier_price_set(by=self.context["request"].user, **validated_data)
        return price

    def update(self, instance, validated_data):
        return catalogue.tier_price_update(tier_price=instance, by=self.context["request"].user, **validated_data)


class OrderLineSerializer(serializers.ModelSerializer):
    product_sku = serializers.CharField(source="product.sku", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = OrderLine
        fields = [
            "id", "product", "product_sku", "product_name", "quantity", "unit_price", "line_total",
            "suggested_quantity", "change_reason",
        ]
        read_only_fields = fields


class OrderTransitionSerializer(serializers.ModelSerializer):
    from_status = serializers.CharField(read_only=True, help_text="The status before; empty for the order's placement.")
    by_name = serializers.CharField(source="by.__str__", read_only=True)
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, read_only=True,
        help_text="The payment recorded at this step (a partial payment is a step that keeps the status); "
                  "null for the other steps.",
    )

    class Meta:
        model = OrderTransition
        fields = ["from_status", "to_status", "by", "by_name", "at", "note", "amount"]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "order", "amount", "at", "reference", "recorded_by"]
        read_only_fields = fields


class ShipmentLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ShipmentLine
        fields = ["product", "quantity"]
        read_only_fields = fields


class ShipmentSerializer(serializers.ModelSerializer):
    lines = ShipmentLineSerializer(many=True, read_only=True)

    class Meta:
        model = Shipment
        fields = ["id", "order", "dealer", "shipped_at", "shipped_by", "reference", "lines"]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    """An order as listed: its lines included (prefetched), no history."""

    number = serializers.CharField(read_only=True)
    dealer_name = serializers.CharField(source="dealer.name", read_only=True)
    amount_due = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    lines = OrderLineSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id", "number", "dealer", "dealer_name", "placed_by", "source", "status", "submitted_at",
            "total", "amount_paid", "amount_due", "confirmed_at", "payment_due_date", "paid_at",
            "shipped_at", "received_at", "reason", "note", "lines",
        ]
        read_only_fields = fields


class OrderDetailSerializer(OrderSerializer):
    """One order with its history (every transition: who, when, from, to), payments and shipments."""

    history = OrderTransitionSerializer(source="transitions", many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)
    shipments = ShipmentSerializer(many=True, read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "history", "payments", "shipments"]
        read_only_fields = fields


class OrderLineInputSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    # Validated by the service, which names the line in its message.
    quantity = serializers.IntegerField()


class OrderCreateSerializer(serializers.Serializer):
    dealer = serializers.IntegerField(
        required=False, help_text="The dealer ordering; a dealer user may omit it (or must give its own)."
    )
    lines = OrderLineInputSerializer(many=True, allow_empty=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class PaymentInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class ShipInputSerializer(serializers.Serializer):
    reference = serializers.CharField(
        required=False, allow_blank=True, max_length=100, default="",
        help_text="The waybill or vehicle number: required to ship (400 with a message when empty).",
    )


# The order list reads values (inventory.order_rows) and represents them exactly as
# OrderSerializer represents the instances (common.api.rows); a test holds the two equal.
def _amount_due(row: dict):
    return Order.amount_due.fget(SimpleNamespace(total=row["total"], amount_paid=row["amount_paid"]))


def _number(row: dict) -> str:
    return Order.number.fget(SimpleNamespace(pk=row["id"]))


ORDER_LINE_ROW_FORMAT = RowFormat(
    OrderLineSerializer, attributes={"product_sku": itemgetter("product__sku"), "product_name": itemgetter("product__name")}
)
ORDER_ROW_FORMAT = RowFormat(
    OrderSerializer,
    attributes={"number": _number, "dealer_name": itemgetter("dealer__name"), "amount_due": _amount_due},
    nested={"lines": ORDER_LINE_ROW_FORMAT},
)


def order_rows_data(rows) -> list[dict]:
    """Rows of inventory.order_rows (with their lines) as OrderSerializer represents them."""
    return ORDER_ROW_FORMAT.format(rows)
