from rest_framework.routers import SimpleRouter

from promotions.api import views

router = SimpleRouter()
router.register("promotions/leads", views.LeadViewSet, basename="promotion-lead")
router.register("promotions", views.CampaignViewSet, basename="promotion")
urlpatterns = router.urls
