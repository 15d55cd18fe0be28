from common.api.routers import ApiRouter
from scorecards.api import views

router = ApiRouter()
router.register("scorecards/region", views.RegionScorecardViewSet, basename="scorecard-region")
router.register("scorecards/dealers", views.DealerKpiViewSet, basename="scorecard-dealer")
router.register("scorecards/market-sizes", views.MarketSizeViewSet, basename="market-size")
urlpatterns = router.urls
