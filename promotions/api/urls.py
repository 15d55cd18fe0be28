from common.api.routers import ApiRouter
from promotions.api import views

router = ApiRouter()
router.register("promotions/leads", views.LeadViewSet, basename="promotion-lead")
router.register("promotions", views.CampaignViewSet, basename="promotion")
urlpatterns = router.urls
