"""The Django admin, as a superuser's window on the data — never a way around the
app's rules.

Everything HQ maintains has a page in the app (Setup) that goes through the
services; the admin only shows. So every model is registered read-only (no add,
change, delete or bulk action, inlines included), the tables that are internal
plumbing (API tokens, Celery beat schedules, groups) are not shown at all, and
only superusers get in. One site class does it for every app's admin.py, so an
app that registers a model cannot forget.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.db.models.base import ModelBase

# Internal tables: not shown at all.
HIDDEN = frozenset({
    "auth.group",
    "authtoken.token",
    "authtoken.tokenproxy",
    "django_celery_beat.clockedschedule",
    "django_celery_beat.crontabschedule",
    "django_celery_beat.intervalschedule",
    "django_celery_beat.periodictask",
    "django_celery_beat.solarschedule",
    "hq.importrow",
})
# Plain reference data with no workflow and no page of its own yet: still editable here.
EDITABLE = frozenset({
    "scorecards.marketsize",
})


def _refuse(*args, **kwargs) -> bool:
    return False


def read_only(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """`admin_class` with every write taken away (its inlines' too); viewing stays."""

    class ReadOnlyAdmin(admin_class):
        def has_add_permission(self, request, *args, **kwargs) -> bool:
            return False

        def has_change_permission(self, request, obj=None) -> bool:
            return False

        def has_delete_permission(self, request, obj=None) -> bool:
            return False

        def get_actions(self, request):
            return {}

        def get_inline_instances(self, request, obj=None):
            inlines = super().get_inline_instances(request, obj)
            for inline in inlines:
                inline.has_add_permission = inline.has_change_permission = inline.has_delete_permission = _refuse
            return inlines

    ReadOnlyAdmin.__name__ = ReadOnlyAdmin.__qualname__ = f"ReadOnly{admin_class.__name__}"
    ReadOnlyAdmin.__module__ = admin_class.__module__
    return ReadOnlyAdmin


class DealerCrmAdminSite(admin.AdminSite):
    site_header = "Dealer CRM"
    site_title = "Dealer CRM"
    index_title = "Data (read-only; HQ setup is in the app)"

    def has_permission(self, request) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def register(self, model_or_iterable, admin_class=None, **options) -> None:
        models = [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else list(model_or_iterable)
        for model in models:
            label = model._meta.label_lower
            if label in HIDDEN:
                continue
            admin_class_for_model = admin_class or admin.ModelAdmin
            if label not in EDITABLE:
                admin_class_for_model = read_only(admin_class_for_model)
            super().register(model, admin_class_for_model, **options)


class DealerCrmAdminConfig(AdminConfig):
    default_site = "dealer_crm.admin.DealerCrmAdminSite"
