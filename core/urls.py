from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("history/<str:model>/<int:pk>/", views.history, name="history"),
    path("personal-data/", views.personal_data, name="personal_data"),
    path("personal-data/<slug:kind>/<int:pk>/export/", views.personal_data_export, name="personal_data_export"),
    path("personal-data/<slug:kind>/<int:pk>/erase/", views.personal_data_erase, name="personal_data_erase"),
    path("pickers/<str:model>/", views.picker, name="picker"),
]
