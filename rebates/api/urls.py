from common.api.routers import ApiRouter
from rebates.api import views

router = ApiRouter()
router.register("rebates/statements", views.RebateStatementViewSet, basename="rebate-statement")
router.register("rebates/plans", views.RebatePlanViewSet, basename="rebate-plan")
router.register("rebates/assignments", views.RebateAssignmentViewSet, basename="rebate-assignment")
urlpatterns = router.urls
