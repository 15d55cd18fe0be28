from django.urls import path

from common.api.routers import ApiRouter
from dealers.api import views

router = ApiRouter()
router.register("dealers", views.DealerViewSet, basename="dealer")
router.register("dealer-contacts", views.DealerContactViewSet, basename="dealer-contact")
router.register("contact-logs", views.ContactLogViewSet, basename="contact-log")
router.register("prospects", views.ProspectViewSet, basename="prospect")
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("violations", views.ViolationViewSet, basename="violation")
router.register("dealer-applications", views.DealerApplicationViewSet, basename="dealer-application")
router.register("evaluation-criteria", views.EvaluationCriterionViewSet, basename="evaluation-criterion")

evaluations = views.DealerEvaluationViewSet

urlpatterns = [
    path("dealers/<int:dealer_pk>/evaluations/", evaluations.as_view({"get": "list", "post": "create"}),
         name="dealer-evaluation-list"),
    path("dealers/<int:dealer_pk>/evaluations/<int:pk>/", evaluations.as_view({"get": "retrieve"}),
         name="dealer-evaluation-detail"),
    *router.urls,
]
