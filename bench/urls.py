from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/baseline/minimal/", views.minimal, name="bench_minimal"),
    path("bench/baseline/values/", views.values, name="bench_values"),
    path("", include("config.urls")),
]
