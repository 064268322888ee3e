from django.urls import path

from . import views

app_name = "stakeholders"
urlpatterns = [
    path("stakeholders/", views.stakeholder_list, name="stakeholder_list"),
    path("stakeholders/<int:pk>/", views.stakeholder_detail, name="stakeholder_detail"),
    path("relationships/", views.relationship_network, name="relationship_network"),
]
