from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("imports/", views.import_start, name="start"),
    path("imports/<int:pk>/", views.import_map, name="map"),
]
