"""Pages anyone may open without signing in: the dealer application form."""

from django.urls import path

from dealers.views import applications

app_name = "apply"

urlpatterns = [
    path("", applications.apply, name="form"),
    path("thanks/", applications.apply_thanks, name="thanks"),
]
