from rest_framework.routers import SimpleRouter

from visits.api import views

router = SimpleRouter()
router.register("visits", views.VisitViewSet, basename="visit")
router.register("visit-plans", views.VisitPlanViewSet, basename="visit-plan")
router.register("requests", views.DealerRequestViewSet, basename="dealer-request")

try:  # the stock count and suggested-order endpoints (visits/api/count_urls.py)
    from visits.api.count_urls import count_urlpatterns
except ImportError:  # pragma: no cover - before the stock-count branch is merged
    def count_urlpatterns() -> list:
        return []

urlpatterns = [*count_urlpatterns(), *router.urls]
