from rest_framework.routers import SimpleRouter

from regions.api import views

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
urlpatterns = router.urls
