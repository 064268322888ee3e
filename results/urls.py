from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/values/new/", views.value_create, name="value_create"),
]
