from common.api.routers import ApiRouter
from regions.api import views

router = ApiRouter()
router.register("regions", views.RegionViewSet, basename="region")
urlpatterns = router.urls
