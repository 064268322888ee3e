from django.urls import path

from . import views

app_name = "website"
urlpatterns = [
    path("work/<str:code>/", views.country_work, name="country_work"),
]
