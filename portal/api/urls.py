from rest_framework.routers import SimpleRouter

from portal.api import views

router = SimpleRouter()
router.register("questions", views.QuestionViewSet, basename="question")
urlpatterns = router.urls
