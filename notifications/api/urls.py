from common.api.routers import ApiRouter
from notifications.api import views

router = ApiRouter()
router.register("notifications", views.NotificationViewSet, basename="notification")
urlpatterns = router.urls
