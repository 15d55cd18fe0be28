from django.contrib import admin

from dealers.models import (
    CommunicationMemo,
    ContactLog,
    Contract,
    CooperationProposal,
    Dealer,
    DealerApplication,
    DealerContact,
    DealerStatusChange,
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    GradeSettings,
    Onboarding,
    RepAssignment,
    SamplesInvitation,
    Violation,
    ViolationPhoto,
)


class DealerContactInline(admin.TabularInline):
    model = DealerContact
    extra = 0


class OnboardingInline(admin.StackedInline):
    model = Onboarding
    extra = 0


class StatusChangeInline(admin.TabularInline):
    model = DealerStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "changed_by", "changed_at", "reason"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class RepAssignmentInline(admin.TabularInline):
    model = RepAssignment
    fk_name = "dealer"
    extra = 0
    readonly_fields = ["from_rep", "to_rep", "assigned_by", "assigned_at", "reason"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Dealer)
class DealerAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "tier", "status", "rep", "current_grade", "credit_limit"]
    list_filter = ["status", "tier", "current_grade", "operating_model", "other_industries"]
    search_fields = ["code", "name", "legal_entity", "decision_maker", "phone"]
    autocomplete_fields = ["region", "rep"]
    list_select_related = ["region", "rep"]
    readonly_fields = ["current_grade", "current_score", "last_evaluated_at", "created_at", "updated_at"]
    inlines = [DealerContactInline, OnboardingInline, StatusChangeInline, RepAssignmentInline]


@admin.register(DealerStatusChange)
class DealerStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["dealer", "from_status", "to_status", "changed_by", "changed_at"]
    list_filter = ["to_status"]
    search_fields = ["dealer__name", "dealer__code", "reason"]
    list_select_related = ["dealer", "changed_by"]
    raw_id_fields = ["dealer", "changed_by"]


@admin.register(RepAssignment)
class RepAssignmentAdmin(admin.ModelAdmin):
    list_display = ["dealer", "from_rep", "to_rep", "assigned_by", "assigned_at"]
    search_fields = ["dealer__name", "dealer__code", "reason"]
    list_select_related = ["dealer", "from_rep", "to_rep", "assigned_by"]
    raw_id_fields = ["dealer", "from_rep", "to_rep", "assigned_by"]


@admin.register(DealerContact)
class DealerContactAdmin(admin.ModelAdmin):
    list_display = ["name", "dealer", "position", "phone", "is_primary"]
    search_fields = ["name", "phone", "dealer__name"]
    raw_id_fields = ["dealer"]


@admin.register(ContactLog)
class ContactLogAdmin(admin.ModelAdmin):
    list_display = ["dealer", "contacted_at", "channel", "logged_by"]
    list_filter = ["channel"]
    search_fields = ["dealer__name", "summary"]
    raw_id_fields = ["dealer", "logged_by"]


@admin.register(Onboarding)
class OnboardingAdmin(admin.ModelAdmin):
    list_display = ["dealer", "stage", "source", "last_contact_on", "next_follow_up_on"]
    list_filter = ["stage", "source"]
    search_fields = ["dealer__name", "dealer__code"]
    raw_id_fields = ["dealer"]


@admin.register(CommunicationMemo, CooperationProposal, SamplesInvitation)
class OnboardingDocumentAdmin(admin.ModelAdmin):
    list_display = ["dealer", "written_on", "author", "updated_at"]
    search_fields = ["dealer__name"]
    raw_id_fields = ["dealer", "author"]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["__str__", "dealer", "status", "start_date", "end_date", "signed_by"]
    list_filter = ["status"]
    search_fields = ["number", "dealer__name", "dealer__code"]
    date_hierarchy = "end_date"
    raw_id_fields = ["dealer", "created_by", "signed_by"]


@admin.register(EvaluationCriterion)
class EvaluationCriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "weight", "active", "order"]
    list_editable = ["weight", "active", "order"]


@admin.register(GradeSettings)
class GradeSettingsAdmin(admin.ModelAdmin):
    """The one row of grade thresholds (A ≥ 4.0, B ≥ 3.0, C ≥ 2.0 by default)."""

    list_display = ["__str__", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return not GradeSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class EvaluationScoreInline(admin.TabularInline):
    model = EvaluationScore
    extra = 0
    readonly_fields = ["criterion", "score", "weight"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    """Evaluations are history: read here, written through the app (which computes the grade)."""

    list_display = ["dealer", "created_at", "total", "grade", "evaluator"]
    list_filter = ["grade"]
    search_fields = ["dealer__name", "dealer__code"]
    readonly_fields = ["dealer", "evaluator", "created_at", "total", "grade"]
    inlines = [EvaluationScoreInline]

    def has_add_permission(self, request) -> bool:
        return False


class ViolationPhotoInline(admin.TabularInline):
    model = ViolationPhoto
    extra = 0
    readonly_fields = ["uploaded_by", "uploaded_at"]


@admin.register(Violation)
class ViolationAdmin(admin.ModelAdmin):
    list_display = ["dealer", "type", "severity", "outcome", "found_at", "reported_by"]
    list_filter = ["type", "severity", "outcome"]
    search_fields = ["dealer__name", "evidence", "found_where"]
    raw_id_fields = ["dealer", "reported_by", "decided_by"]
    inlines = [ViolationPhotoInline]


@admin.register(DealerApplication)
class DealerApplicationAdmin(admin.ModelAdmin):
    list_display = ["company_name", "region", "status", "submitted_at", "reviewed_by", "decided_by"]
    list_filter = ["status"]
    search_fields = ["company_name", "contact_name", "email", "phone"]
    raw_id_fields = ["region", "reviewed_by", "decided_by", "dealer"]
