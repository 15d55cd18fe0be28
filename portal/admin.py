from django.contrib import admin

from portal.models import Question, QuestionMessage


class QuestionMessageInline(admin.TabularInline):
    model = QuestionMessage
    extra = 0
    fields = ["created_at", "author", "from_dealer", "body"]
    readonly_fields = ["created_at", "author", "from_dealer", "body"]
    can_delete = False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Read-mostly: questions and answers are written in the portal, where the other side is told."""

    list_display = ["subject", "dealer", "asked_by", "status", "created_at", "last_message_at"]
    list_filter = ["status"]
    search_fields = ["subject", "dealer__name", "dealer__code"]
    date_hierarchy = "created_at"
    list_select_related = ["dealer", "asked_by"]
    readonly_fields = ["dealer", "asked_by", "subject", "created_at", "last_message_at", "closed_at", "closed_by"]
    inlines = [QuestionMessageInline]

    def has_add_permission(self, request) -> bool:
        return False
