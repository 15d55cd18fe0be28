"""A URL configuration for the error-page tests: the app's URLs plus a page that fails."""

from django.db import OperationalError
from django.urls import path

from dealer_crm.urls import urlpatterns as app_urlpatterns


def broken(request):
    raise OperationalError("the database went away")


urlpatterns = [*app_urlpatterns, path("broken/", broken)]
