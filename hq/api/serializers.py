"""Bodies of the ERP sync endpoints (upsert by code, API.md "Upsert by code").

Every field but the key (in the path, or in each bulk item) may be left out: a
field left out keeps its current value (a new record: its default). The
validation that matters — prices not negative, floor not above guideline, a rep
who is a rep, a status the lifecycle allows — is the services', the same as for
the pages and the imports; these serializers only check types."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import User
from dealers.models import ChannelType, DealerStatus, DealerTier, OperatingModel
from inventory.models import ProductCategory, ProductUnit
from regions.models import Region

MAX_BULK_ITEMS = 1000
UPSERT_OUTCOMES = [("create", "create"), ("update", "update"), ("unchanged", "unchanged")]
PRICE = {"max_digits": 12, "decimal_places": 2}


class ProductUpsertSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=200)
    category = serializers.PrimaryKeyRelatedField(
        queryset=ProductCategory.objects.all(), required=False, allow_null=True,
        help_text="The category's id. Left out or null: unchanged (a new product: a default category).",
    )
    category_name = serializers.CharField(
        required=False, max_length=100,
        help_text="Instead of `category`: the category's name, created if there is none of that name.",
    )
    specification = serializers.CharField(required=False, allow_blank=True, max_length=100)
    unit = serializers.ChoiceField(choices=ProductUnit.choices, required=False)
    units_per_case = serializers.IntegerField(required=False, min_value=-(2**31), max_value=2**31 - 1)
    shelf_life_days = serializers.IntegerField(required=False, min_value=-(2**31), max_value=2**31 - 1)
    guideline_price = serializers.DecimalField(required=False, **PRICE)
    floor_price = serializers.DecimalField(required=False, **PRICE)
    safety_coefficient = serializers.DecimalField(required=False, allow_null=True, max_digits=4, decimal_places=2)
    is_active = serializers.BooleanField(required=False)


class ProductBulkItemSerializer(ProductUpsertSerializer):
    sku = serializers.CharField(max_length=32)


class TierPriceUpsertSerializer(serializers.Serializer):
    price = serializers.DecimalField(**PRICE, help_text="Price of one unit (case) for this tier; above zero.")


class TierPriceBulkItemSerializer(TierPriceUpsertSerializer):
    tier = serializers.ChoiceField(choices=DealerTier.choices)
    sku = serializers.CharField(max_length=32)


class DealerUpsertSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=200)
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), required=False, help_text="The region's id (or give `region_path`)."
    )
    region_path = serializers.CharField(
        required=False, max_length=500, help_text='Instead of `region`: its path, e.g. "China/Zhejiang/Hangzhou".'
    )
    tier = serializers.ChoiceField(choices=DealerTier.choices, required=False)
    status = serializers.ChoiceField(
        choices=DealerStatus.choices, required=False,
        help_text="A new dealer: `active` when left out. A change must be one the lifecycle allows.",
    )
    rep = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False,
        help_text="The responsible rep's id (or give `rep_username`). Left out: unchanged.",
    )
    rep_username = serializers.CharField(required=False, max_length=150, help_text="Instead of `rep`: the rep's username.")
    credit_limit = serializers.DecimalField(required=False, max_digits=14, decimal_places=2)
    legal_entity = serializers.CharField(required=False, allow_blank=True, max_length=200)
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32)
    decision_maker = serializers.CharField(required=False, allow_blank=True, max_length=100)
    decision_maker_phone = serializers.CharField(required=False, allow_blank=True, max_length=32)
    channel_types = serializers.ListField(child=serializers.ChoiceField(choices=ChannelType.choices), required=False)
    operating_model = serializers.ChoiceField(choices=OperatingModel.choices, required=False, allow_blank=True)
    carried_products = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, max_length=1000,
        help_text="SKUs of products the dealer carries; added to what it already carries.",
    )


class DealerBulkItemSerializer(DealerUpsertSerializer):
    code = serializers.CharField(max_length=32)


def bulk_request(item_serializer: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """`{"items": [...], "dry_run": false}` for a bulk endpoint."""
    return type(name, (serializers.Serializer,), {
        "items": item_serializer(many=True, max_length=MAX_BULK_ITEMS, allow_empty=False),
        "dry_run": serializers.BooleanField(
            default=False, help_text="Only check: answer what each item would do, save nothing."),
        "__doc__": f"Up to {MAX_BULK_ITEMS} items, saved all together or not at all.",
    })


ProductBulkSerializer = bulk_request(ProductBulkItemSerializer, "ProductBulkSerializer")
TierPriceBulkSerializer = bulk_request(TierPriceBulkItemSerializer, "TierPriceBulkSerializer")
DealerBulkSerializer = bulk_request(DealerBulkItemSerializer, "DealerBulkSerializer")


class BulkItemResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The item's position in `items`, from 0.")
    key = serializers.CharField(help_text="The item's code (SKU; tier/SKU; dealer code).")
    id = serializers.IntegerField(allow_null=True, help_text="The record's id (null in a dry run of a new one).")
    outcome = serializers.ChoiceField(choices=UPSERT_OUTCOMES)
    changed = serializers.ListField(child=serializers.CharField(), help_text="The fields an update changes.")


class BulkResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    items = BulkItemResultSerializer(many=True)


class BulkErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="How many items are invalid; nothing was saved.")
    items = serializers.DictField(
        child=serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
        help_text='{"<index>": {"<field>": ["message", ...]}} for each invalid item.',
    )
