from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("entry-points/", views.entrypoint_index, name="entrypoint_index"),
    path("entry-points/country/<str:code>/", views.entrypoint_list, name="entrypoint_list"),
    path("entry-points/country/<str:code>/new/", views.entrypoint_create, name="entrypoint_create"),
    path("entry-points/<int:pk>/", views.entrypoint_detail, name="entrypoint_detail"),
    path("entry-points/<int:pk>/edit/", views.entrypoint_edit, name="entrypoint_edit"),
    path("entry-points/<int:pk>/select/", views.entrypoint_select, name="entrypoint_select"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/country/<str:code>/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:plan_pk>/objectives/new/", views.objective_create, name="objective_create"),
    path("objectives/<int:pk>/", views.objective_detail, name="objective_detail"),
    path("objectives/<int:pk>/edit/", views.objective_edit, name="objective_edit"),
    path("resources/", views.resources_index, name="resources_index"),
    path("resources/import/", views.resources_import_view, name="resources_import"),
    path("resources/export/<slug:kind>/", views.resources_export, name="resources_export"),
    path("resources/<str:code>/", views.region_resources, name="region_resources"),
    path("resources/<str:code>/<str:table>.csv", views.region_resources_csv, name="region_resources_csv"),
]
