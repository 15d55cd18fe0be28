"""Admin of promotions: a read-mostly window for HQ admin. Status, assignment
and the review change through the pages and the API (the services), so the
history and the follow-up clock stay true."""

from django.contrib import admin

from promotions.models import (
    Attendee,
    Campaign,
    CampaignProduct,
    CampaignReview,
    CampaignTransition,
    LeadFollowUp,
    PreparationTask,
    ThankYou,
)


class CampaignProductInline(admin.TabularInline):
    model = CampaignProduct
    extra = 0
    autocomplete_fields = ["product"]


class PreparationTaskInline(admin.TabularInline):
    model = PreparationTask
    extra = 0
    fields = ["title", "owner", "due_date", "done_at", "done_by"]
    readonly_fields = ["done_at", "done_by"]
    raw_id_fields = ["owner"]


class CampaignTransitionInline(admin.TabularInline):
    model = CampaignTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "at", "note"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "status", "start_date", "end_date", "objective_kind", "objective_target", "owner"]
    list_filter = ["status", "type", "objective_kind"]
    search_fields = ["name", "theme"]
    date_hierarchy = "start_date"
    list_select_related = ["owner"]
    autocomplete_fields = ["regions", "dealers"]
    raw_id_fields = ["owner", "created_by", "approved_by"]
    readonly_fields = ["status", "approved_by", "approved_at", "created_by", "created_at", "updated_at"]
    inlines = [CampaignProductInline, PreparationTaskInline, CampaignTransitionInline]


@admin.register(Attendee)
class AttendeeAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "company", "interest", "campaign", "assigned_to", "recorded_at"]
    list_filter = ["interest", "campaign__type"]
    search_fields = ["name", "phone", "company", "email", "campaign__name"]
    list_select_related = ["campaign", "assigned_to"]
    raw_id_fields = ["campaign", "recorded_by", "assigned_to", "assigned_by"]
    readonly_fields = ["assigned_to", "assigned_at", "assigned_by"]


@admin.register(LeadFollowUp)
class LeadFollowUpAdmin(admin.ModelAdmin):
    list_display = ["attendee", "by", "at", "channel", "outcome"]
    list_filter = ["channel", "outcome"]
    search_fields = ["attendee__name", "attendee__phone", "note"]
    list_select_related = ["attendee", "by"]
    raw_id_fields = ["attendee", "by"]


@admin.register(ThankYou)
class ThankYouAdmin(admin.ModelAdmin):
    list_display = ["attendee", "status", "email", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["attendee__name", "email"]
    list_select_related = ["attendee"]
    readonly_fields = ["attendee", "message", "email", "status", "created_at", "sent_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(CampaignReview)
class CampaignReviewAdmin(admin.ModelAdmin):
    list_display = ["campaign", "objective_actual", "written_by", "written_at"]
    search_fields = ["campaign__name"]
    list_select_related = ["campaign", "written_by"]
    readonly_fields = ["campaign", "written_by", "written_at"]

    def has_add_permission(self, request) -> bool:
        return False
