from django.urls import path

from . import views

app_name = "countries"
urlpatterns = [
    path("countries/", views.country_list, name="country_list"),
    path("countries/<str:code>/", views.country_detail, name="country_detail"),
    path("regions/<int:pk>/", views.region_detail, name="region_detail"),
]
