from django.urls import path

from . import views

app_name = "trends"
urlpatterns = [
    path("network/history/", views.network_history, name="network_history"),
    path("coalition-health/", views.coalition_health, name="coalition_health"),
    path("countries/<str:code>/dashboard/", views.country_dashboard, name="country_dashboard"),
    path("reports/<str:scope>/<str:key>/", views.period_report, name="period_report"),
    path("snapshots/take/", views.snapshot_take, name="snapshot_take"),
]
