"""Rebate plans (tiers and dealers inline), assignments and statements in the admin,
read-only like every admin page (dealer_crm.admin): HQ sets plans and assignments on
the app's pages and API, and statements change only through accrual and settlement,
all through rebates.services."""

from django.contrib import admin

from rebates.models import RebateAssignment, RebatePlan, RebateStatement, RebateTier


class RebateTierInline(admin.TabularInline):
    model = RebateTier
    extra = 0


class RebateAssignmentInline(admin.TabularInline):
    model = RebateAssignment
    extra = 0
    autocomplete_fields = ["dealer"]
    fields = ["dealer", "starts_on", "ends_on", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(RebatePlan)
class RebatePlanAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "period_kind", "rate", "starts_on", "ends_on", "is_active"]
    list_filter = ["kind", "period_kind", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["products"]
    inlines = [RebateTierInline, RebateAssignmentInline]


@admin.register(RebateAssignment)
class RebateAssignmentAdmin(admin.ModelAdmin):
    list_display = ["plan", "dealer", "starts_on", "ends_on", "created_by", "created_at"]
    list_filter = ["plan"]
    search_fields = ["dealer__name", "dealer__code", "plan__name"]
    autocomplete_fields = ["plan", "dealer"]
    list_select_related = ["plan", "dealer", "created_by"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(RebateStatement)
class RebateStatementAdmin(admin.ModelAdmin):
    """Read-only: statements are computed from shipments and settled by finance in the app."""

    list_display = ["dealer", "plan", "period_start", "period_end", "basis", "rate", "amount", "status", "settled_at"]
    list_filter = ["status", "plan"]
    search_fields = ["dealer__name", "dealer__code", "plan__name", "settlement_reference"]
    date_hierarchy = "period_start"
    list_select_related = ["dealer", "plan"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
