from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/values/new/", views.value_create, name="value_create"),
    path("indicators/new/<str:kind>/<int:owner_pk>/", views.indicator_create, name="indicator_create"),
    path("indicators/region/<str:code>.csv", views.region_indicators_csv, name="region_indicators_csv"),
]
