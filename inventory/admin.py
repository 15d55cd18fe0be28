from django.contrib import admin

from inventory.models import (
    DealerProduct,
    Order,
    OrderLine,
    OrderTransition,
    Payment,
    Product,
    ProductCategory,
    Shipment,
    ShipmentLine,
    StockCount,
    StockCountLine,
    SuggestedOrderLine,
    TierPrice,
)


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name"]


class TierPriceInline(admin.TabularInline):
    model = TierPrice
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = [
        "sku", "name", "category", "specification", "unit", "units_per_case", "shelf_life_days",
        "guideline_price", "floor_price", "safety_coefficient", "is_active",
    ]
    list_filter = ["is_active", "category", "unit"]
    search_fields = ["sku", "name"]
    list_select_related = ["category"]
    inlines = [TierPriceInline]


@admin.register(TierPrice)
class TierPriceAdmin(admin.ModelAdmin):
    list_display = ["product", "tier", "price", "updated_at"]
    list_filter = ["tier", "product__category"]
    search_fields = ["product__sku", "product__name"]
    list_select_related = ["product"]
    autocomplete_fields = ["product"]


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    readonly_fields = ["product", "quantity", "unit_price", "line_total", "suggested_quantity", "change_reason"]
    can_delete = False


class OrderTransitionInline(admin.TabularInline):
    model = OrderTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "at", "note"]
    can_delete = False


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    readonly_fields = ["amount", "recorded_by", "at", "reference"]
    can_delete = False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Read-mostly: orders change only through the workflow (pages and API), so history stays true."""

    list_display = ["number", "dealer", "status", "source", "submitted_at", "total", "amount_paid", "payment_due_date"]
    list_filter = ["status", "source"]
    search_fields = ["dealer__name", "dealer__code"]
    date_hierarchy = "submitted_at"
    list_select_related = ["dealer"]
    readonly_fields = [
        "dealer", "placed_by", "source", "status", "submitted_at", "total", "amount_paid", "confirmed_at",
        "payment_due_date", "paid_at", "shipped_at", "received_at", "reason",
    ]
    inlines = [OrderLineInline, PaymentInline, OrderTransitionInline]

    def has_add_permission(self, request) -> bool:
        return False


class ShipmentLineInline(admin.TabularInline):
    model = ShipmentLine
    extra = 0
    readonly_fields = ["product", "quantity"]
    can_delete = False


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ["order", "dealer", "shipped_at", "shipped_by", "reference"]
    search_fields = ["dealer__name", "dealer__code", "reference"]
    date_hierarchy = "shipped_at"
    list_select_related = ["order", "dealer", "shipped_by"]
    readonly_fields = ["order", "dealer", "shipped_at", "shipped_by"]
    inlines = [ShipmentLineInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["order", "amount", "at", "recorded_by", "reference"]
    search_fields = ["order__dealer__name", "reference"]
    date_hierarchy = "at"
    list_select_related = ["order", "recorded_by"]
    readonly_fields = ["order", "amount", "recorded_by", "at"]

    def has_add_permission(self, request) -> bool:
        return False


# --- Stock at the dealers: a read-mostly window (counts are saved through the visit pages and the API) ---
@admin.register(DealerProduct)
class DealerProductAdmin(admin.ModelAdmin):
    list_display = ["dealer", "product", "since", "source", "stopped_at"]
    list_filter = ["source"]
    search_fields = ["dealer__name", "product__sku", "product__name"]
    raw_id_fields = ["dealer", "product", "added_by", "stopped_by"]


class StockCountLineInline(admin.TabularInline):
    model = StockCountLine
    extra = 0
    raw_id_fields = ["product"]


class SuggestedOrderLineInline(admin.TabularInline):
    model = SuggestedOrderLine
    extra = 0
    raw_id_fields = ["product"]
    exclude = ["periods"]


@admin.register(StockCount)
class StockCountAdmin(admin.ModelAdmin):
    list_display = ["dealer", "reference", "counted_at", "counted_by", "replaced_at"]
    search_fields = ["dealer__name", "reference"]
    raw_id_fields = ["dealer", "counted_by", "replaces"]
    readonly_fields = ["replaced_at", "lines_digest"]
    inlines = [StockCountLineInline, SuggestedOrderLineInline]
