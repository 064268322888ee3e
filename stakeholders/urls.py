from django.urls import path

from . import views

app_name = "stakeholders"
urlpatterns = [
    path("stakeholders/", views.stakeholder_list, name="stakeholder_list"),
    path("stakeholders/export.csv", views.stakeholder_export, name="stakeholder_export"),
    path("stakeholders/new/", views.stakeholder_create, name="stakeholder_create"),
    path("stakeholders/<int:pk>/", views.stakeholder_detail, name="stakeholder_detail"),
    path("stakeholders/<int:pk>/duplicates/", views.stakeholder_duplicates, name="stakeholder_duplicates"),
    path("stakeholders/<int:pk>/ties/", views.stakeholder_ties, name="stakeholder_ties"),
    path("stakeholders/<int:pk>/involvement/", views.stakeholder_involvement, name="stakeholder_involvement"),
    path("stakeholders/<int:pk>/edit/", views.stakeholder_edit, name="stakeholder_edit"),
    path("stakeholders/<int:pk>/merge/<int:other>/", views.stakeholder_merge, name="stakeholder_merge"),
    path("stakeholders/<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("stakeholders/<int:pk>/relationships/new/", views.relationship_create, name="relationship_create"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("relationships/<int:pk>/edit/", views.relationship_edit, name="relationship_edit"),
    path("relationships/<int:pk>/delete/", views.relationship_delete, name="relationship_delete"),
]
