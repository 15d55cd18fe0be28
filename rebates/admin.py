"""HQ sets rebate plans here (tiers and dealers inline); statements are read-only:
they change only through accrual and settlement (rebates.services)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from rebates import calculations, services
from rebates.models import PlanKind, RebateAssignment, RebatePlan, RebateStatement, RebateTier


class RebateTierFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        tiers = [
            calculations.Tier(form.cleaned_data["threshold"], form.cleaned_data["rate"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("threshold") is not None and form.cleaned_data.get("rate") is not None
        ]
        kind = self.instance.kind
        if kind == PlanKind.TIERED and not tiers:
            raise ValidationError(services.TIERS_REQUIRED)
        if kind != PlanKind.TIERED and tiers:
            raise ValidationError(services.TIERS_ONLY_FOR_TIERED)
        if not calculations.tiers_are_consistent(tiers):
            raise ValidationError(services.TIERS_INCONSISTENT)


class RebateTierInline(admin.TabularInline):
    model = RebateTier
    formset = RebateTierFormSet
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

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, RebateAssignment) and instance.created_by_id is None:
                instance.created_by = request.user
        formset.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Bring the plan's statements up to date with its new terms (after commit, in the background).
        services.schedule_accrual(dealer_ids=form.instance.assignments.values_list("dealer_id", flat=True))


@admin.register(RebateAssignment)
class RebateAssignmentAdmin(admin.ModelAdmin):
    list_display = ["plan", "dealer", "starts_on", "ends_on", "created_by", "created_at"]
    list_filter = ["plan"]
    search_fields = ["dealer__name", "dealer__code", "plan__name"]
    autocomplete_fields = ["plan", "dealer"]
    list_select_related = ["plan", "dealer", "created_by"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        services.schedule_accrual(dealer_ids=[obj.dealer_id])


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
