from django.contrib import admin

from scorecards import services
from scorecards.models import MarketSize


@admin.register(MarketSize)
class MarketSizeAdmin(admin.ModelAdmin):
    list_display = ["region", "period_start", "category", "amount", "updated_at"]
    list_filter = ["category", "period_start"]
    search_fields = ["region__name"]
    raw_id_fields = ["region"]
    readonly_fields = ["updated_by", "updated_at"]
    date_hierarchy = "period_start"

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in services.MARKET_SIZE_FIELDS}
        if change:
            saved = services.market_size_update(market_size=obj, by=request.user, **fields)
        else:
            saved = services.market_size_create(by=request.user, **fields)
        obj.pk, obj.updated_by, obj.updated_at = saved.pk, saved.updated_by, saved.updated_at
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.market_size_delete(market_size=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for market_size in queryset:
            services.market_size_delete(market_size=market_size, by=request.user)
