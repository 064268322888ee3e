from django.urls import path

from . import views

app_name = "coalitions"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("coalitions/", views.coalition_list, name="coalition_list"),
    path("coalitions/<int:pk>/", views.coalition_detail, name="coalition_detail"),
    path("engagements/<int:pk>/", views.engagement_detail, name="engagement_detail"),
    path("learning/<int:pk>/", views.learningnote_detail, name="learningnote_detail"),
]
