from importlib import import_module

from django.urls import path
from rest_framework.routers import SimpleRouter

from visits.api import views

router = SimpleRouter()
router.register("visits", views.VisitViewSet, basename="visit")
router.register("visit-plans", views.VisitPlanViewSet, basename="visit-plan")
router.register("requests", views.DealerRequestViewSet, basename="dealer-request")



def count_urlpatterns() -> list:
    """The stock-count and suggested-order endpoints (visits/api/count_urls.py), when present."""
    try:
        module = import_module("visits.api.count_urls")
    except ModuleNotFoundError as error:
        if error.name != "visits.api.count_urls":
            raise
        return []
    provider = getattr(module, "count_urlpatterns", None)
    return list(provider() if callable(provider) else module.urlpatterns)


urlpatterns = [
    *count_urlpatterns(),
    path("visit-discipline/", views.discipline, name="visit-discipline"),
    *router.urls,
]
