from django.contrib import admin

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
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
