from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(AuditlogHistoryAdminMixin, DjangoUserAdmin):
    """Users, with the audit trail of their role, dealer, regions and activity
    (the "Audit trail" link of a user's page, for HQ admin)."""

    show_auditlog_history_link = True
    list_display = ["username", "get_full_name", "role", "dealer", "email", "is_active"]
    list_filter = ["role", "is_active", "is_superuser", "regions"]
    search_fields = ["username", "first_name", "last_name", "email", "phone"]
    autocomplete_fields = ["dealer"]
    filter_horizontal = ["regions", "groups", "user_permissions"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Dealer CRM"), {"fields": ("role", "regions", "dealer", "phone", "language")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Dealer CRM"), {"fields": ("role", "regions", "dealer", "email")}),
    )
