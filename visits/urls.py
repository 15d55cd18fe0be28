from django.urls import path

from visits import count_urls, offline_views, views

app_name = "visits"

urlpatterns = [
    path("", views.visit_list, name="list"),
    path("today/", views.today, name="today"),
    # The rep's day offline (issue 18): the service worker's scope is /visits/.
    path("offline/", offline_views.offline_day, name="offline"),
    path("sw.js", offline_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline_views.manifest, name="manifest"),
    path("new/", views.visit_create, name="create"),
    path("discipline/", views.discipline, name="discipline"),
    path("<int:pk>/", views.visit_detail, name="detail"),
    path("<int:pk>/market-check/", views.market_check, name="market_check"),
    path("<int:pk>/start/", views.visit_start, name="start"),
    path("<int:pk>/complete/", views.visit_complete, name="complete"),
    path("<int:pk>/notes/<str:step>/", views.visit_notes, name="notes"),
    path("<int:pk>/photos/", views.visit_photo_add, name="photo_add"),
    path("<int:pk>/move/", views.visit_reschedule, name="reschedule"),
    path("<int:pk>/cancel/", views.visit_cancel, name="cancel"),
    path("<int:pk>/review/", views.visit_review, name="review"),
    path("photos/<int:pk>/", views.visit_photo, name="photo"),
    path("observations/<int:pk>/violation/", views.observation_violation, name="observation_violation"),
    path("plans/<int:dealer_id>/", views.plan_edit, name="plan_edit"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/escalate/", views.request_escalate, name="request_escalate"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("requests/<int:pk>/done/", views.request_done, name="request_done"),
    # The stock count and the suggested order of a visit (visits/count_urls.py).
    *count_urls.urlpatterns,
]
