from django.urls import path

from scorecards import views

app_name = "scorecards"

urlpatterns = [
    path("", views.region, name="region"),
    path("export/", views.export, name="export"),
    path("dashboards/", views.dashboard, name="dashboards"),
    path("dealers/<int:pk>/", views.dealer, name="dealer"),
]
