"""Admin of visits: a read-mostly window for HQ admin. Visits start, complete and
requests get decided through the pages and the API (the services)."""

from django.contrib import admin

from visits.models import (
    DealerRequest,
    MarketCheck,
    MarketObservation,
    Visit,
    VisitComment,
    VisitPhoto,
    VisitPlan,
)


@admin.register(VisitPlan)
class VisitPlanAdmin(admin.ModelAdmin):
    list_display = ["dealer", "rule", "month_days", "weekdays", "interval_days", "cycle_days", "is_active"]
    list_filter = ["rule", "is_active"]
    search_fields = ["dealer__name", "dealer__code"]
    raw_id_fields = ["dealer", "created_by"]


class VisitPhotoInline(admin.TabularInline):
    model = VisitPhoto
    extra = 0
    fields = ["stage", "image", "caption", "taken_at", "uploaded_by"]
    readonly_fields = ["taken_at", "uploaded_by"]


class VisitCommentInline(admin.TabularInline):
    model = VisitComment
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["dealer", "rep", "scheduled_for", "status", "started_at", "completed_at"]
    list_filter = ["status"]
    search_fields = ["dealer__name", "dealer__code", "rep__username"]
    date_hierarchy = "scheduled_for"
    raw_id_fields = ["dealer", "rep", "plan", "order", "created_by"]
    readonly_fields = ["started_at", "completed_at", "cancelled_at", "missed_at", "created_at", "updated_at"]
    inlines = [VisitPhotoInline, VisitCommentInline]


class MarketObservationInline(admin.StackedInline):
    model = MarketObservation
    extra = 0
    raw_id_fields = ["product", "violation"]


@admin.register(MarketCheck)
class MarketCheckAdmin(admin.ModelAdmin):
    list_display = ["visit", "checked_at", "outlets_walked", "skipped_reason"]
    search_fields = ["visit__dealer__name"]
    raw_id_fields = ["visit", "recorded_by"]
    inlines = [MarketObservationInline]


@admin.register(DealerRequest)
class DealerRequestAdmin(admin.ModelAdmin):
    list_display = ["dealer", "description", "owner", "due_on", "status", "escalated_to"]
    list_filter = ["status", "beyond_authority"]
    search_fields = ["dealer__name", "description"]
    raw_id_fields = ["dealer", "visit", "owner", "escalated_to", "decided_by", "created_by"]
