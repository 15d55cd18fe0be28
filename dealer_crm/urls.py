from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated

from accounts import views as account_views
from common import views as common_views

admin.site.site_header = "Dealer CRM"
admin.site.site_title = "Dealer CRM"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("favicon.ico", common_views.favicon, name="favicon"),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("dealers/", include("dealers.urls")),
    path("apply/", include("dealers.urls_public")),
    path("inventory/", include("inventory.urls")),
    path("rebates/", include("rebates.urls")),
    path("portal/", include("portal.urls")),
    path("promotions/", include("promotions.urls")),
    path("visits/", include("visits.urls")),
    path("scorecards/", include("scorecards.urls")),
    path("setup/", include("hq.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("dealer_crm.api_urls")),
    # The schema and the docs are for signed-in users (session or token), like the API itself.
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    path("api/docs/", account_views.api_docs, name="api-docs"),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

# JSON for the API, the pages' own templates otherwise (common/views.py).
handler404 = "common.views.not_found"
handler500 = "common.views.server_error"
