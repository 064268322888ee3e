from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("activity/", views.activity, name="activity"),
]
