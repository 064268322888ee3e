from django.urls import path

from . import views

app_name = "website"
urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("work/<str:code>/", views.country_work, name="country_work"),
]
