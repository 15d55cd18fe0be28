from django.urls import path

from common.api.routers import ApiRouter
from visits.api import count_urls, views

router = ApiRouter()
router.register("visits", views.VisitViewSet, basename="visit")
router.register("visit-plans", views.VisitPlanViewSet, basename="visit-plan")
router.register("requests", views.DealerRequestViewSet, basename="dealer-request")

urlpatterns = [
    # Stock counts and the suggested order of a visit (visits/api/count_urls.py).
    *count_urls.urlpatterns,
    path("visit-discipline/", views.discipline, name="visit-discipline"),
    *router.urls,
]
