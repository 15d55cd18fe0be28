from django.urls import path

from accounts.api import views
from common.api.routers import ApiRouter

router = ApiRouter()
router.register("users", views.UserViewSet, basename="user")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("me/", views.CurrentUserView.as_view(), name="me"),
    *router.urls,
]
