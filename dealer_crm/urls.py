from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts import views as account_views

admin.site.site_header = "Dealer CRM"
admin.site.site_title = "Dealer CRM"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("dealers/", include("dealers.urls")),
    path("apply/", include("dealers.urls_public")),
    path("inventory/", include("inventory.urls")),
    path("rebates/", include("rebates.urls")),
    path("portal/", include("portal.urls")),
    path("promotions/", include("promotions.urls")),
    path("visits/", include("visits.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("dealer_crm.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
