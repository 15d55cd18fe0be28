from django.urls import path

from promotions import views

app_name = "promotions"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("leads/", views.my_leads, name="my_leads"),
    path("leads/<int:lead_id>/", views.lead_detail, name="lead"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/<str:action>/do/", views.campaign_transition, name="transition"),
    path("<int:pk>/tasks/", views.task_add, name="task_add"),
    path("<int:pk>/tasks/<int:task_id>/toggle/", views.task_toggle, name="task_toggle"),
    path("<int:pk>/attendees/", views.attendees, name="attendees"),
    path("<int:pk>/attendees/<int:attendee_id>/edit/", views.attendee_edit, name="attendee_edit"),
    path("<int:pk>/attendees/import/", views.attendees_import, name="import"),
    path("<int:pk>/attendees/export/", views.leads_export, name="export"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/effect/", views.effect, name="effect"),
]
