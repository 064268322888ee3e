from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("history/<str:model>/<int:pk>/", views.history, name="history"),
    path("pickers/<str:model>/", views.picker, name="picker"),
]
