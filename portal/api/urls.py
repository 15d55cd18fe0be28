from common.api.routers import ApiRouter
from portal.api import views

router = ApiRouter()
router.register("questions", views.QuestionViewSet, basename="question")
urlpatterns = router.urls
