from django.contrib import admin

from dealers.models import Dealer


@admin.register(Dealer)
class DealerAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "tier", "status", "rep", "credit_limit"]
    list_filter = ["status", "tier"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["region", "rep"]
    list_select_related = ["region", "rep"]
