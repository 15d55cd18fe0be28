from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "email_status"]
    list_filter = ["kind", "email_status"]
    search_fields = ["title", "key", "recipient__username"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"
