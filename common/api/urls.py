from rest_framework.routers import SimpleRouter

from common.api import audit

router = SimpleRouter()
router.register("audit", audit.AuditEntryViewSet, basename="audit")
urlpatterns = router.urls
