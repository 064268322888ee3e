from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/coalitions/<int:pk>/", views.coalition_detail, name="coalition_detail"),
    path("portal/coalitions/<int:pk>/<slug:section>/", views.coalition_section, name="coalition_section"),
    path("portal/coalitions/<int:pk>/engagements/new/", views.engagement_create, name="engagement_create"),
    path("portal/coalitions/<int:pk>/outcomes/new/", views.outcome_create, name="outcome_create"),
    path("portal/commitments/", views.commitment_list, name="commitment_list"),
    path("portal/commitments/<int:pk>/", views.commitment_update, name="commitment_update"),
    path("portal/files/<str:model>/<int:pk>/", views.record_attachments, name="record_attachments"),
    path("portal/learning/", views.learningnote_list, name="learningnote_list"),
]
