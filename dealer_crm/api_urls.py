"""The REST API, version 1 (API.md). Each app contributes its `api/urls.py`."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    # First: its fixed paths (products/bulk/, dealers/by-code/...) sit beside the apps' {id} routes.
    path("", include("hq.api.urls")),
    path("", include("accounts.api.urls")),
    path("", include("regions.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("dealers.api.urls")),
    path("", include("inventory.api.urls")),
    path("", include("rebates.api.urls")),
    path("", include("portal.api.urls")),
    path("", include("promotions.api.urls")),
    path("", include("visits.api.urls")),
    path("", include("scorecards.api.urls")),
    path("", include("common.api.urls")),  # the audit trail (issue #12)
]
