from django.urls import path

from . import views

app_name = "trends"
urlpatterns = [
    path("network/history/", views.network_history, name="network_history"),
    path("coalition-health/", views.coalition_health, name="coalition_health"),
    path("countries/<str:code>/dashboard/", views.country_dashboard, name="country_dashboard"),
    path("countries/<str:code>/dashboard/<str:name>/", views.country_dashboard_panel, name="country_dashboard_panel"),
    # The runs first: "reports/runs/5/" would otherwise read as a report of scope "runs".
    path("reports/runs/", views.report_runs, name="report_runs"),
    path("reports/runs/<int:pk>/", views.report_run, name="report_run"),
    path("reports/runs/<int:pk>/file/", views.report_run_file, name="report_run_file"),
    path("reports/<str:scope>/<str:key>/", views.period_report, name="period_report"),
    path("reports/<str:scope>/<str:key>/runs/", views.report_run_start, name="report_run_start"),
    path(
        "reports/<str:scope>/<str:key>/sections/<str:name>/",
        views.period_report_section,
        name="period_report_section",
    ),
    path("snapshots/take/", views.snapshot_take, name="snapshot_take"),
]
