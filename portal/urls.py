from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("questions/", views.question_list_page, name="question_list"),
    path("questions/new/", views.question_create, name="question_create"),
    path("questions/<int:pk>/", views.question_detail_page, name="question_detail"),
    path("questions/<int:pk>/reply/", views.question_reply, name="question_reply"),
    path("questions/<int:pk>/close/", views.question_close, name="question_close"),
]
