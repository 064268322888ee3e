from django.contrib import admin

from core.admin import ScopedAdmin

from .models import CoalitionHealthSnapshot, HealthThresholds, NetworkSnapshot


class SnapshotAdmin(ScopedAdmin):
    """Snapshots are taken by `trends.services`, never written by hand: the admin only shows them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NetworkSnapshot)
class NetworkSnapshotAdmin(SnapshotAdmin):
    list_display = ["period", "country", "initiative", "actors", "ties", "connected", "density", "components"]
    list_filter = ["period", "country"]
    search_fields = ["initiative__name", "country__name"]
    list_select_related = ["country", "initiative"]
    date_hierarchy = "period"


@admin.register(CoalitionHealthSnapshot)
class CoalitionHealthSnapshotAdmin(SnapshotAdmin):
    list_display = [
        "period",
        "coalition",
        "members_active",
        "engagements_last_90_days",
        "commitments_done",
        "commitments_overdue",
        "last_met_on",
    ]
    list_filter = ["period"]
    search_fields = ["coalition__name"]
    list_select_related = ["coalition"]
    date_hierarchy = "period"


@admin.register(HealthThresholds)
class HealthThresholdsAdmin(ScopedAdmin):
    """The one row of thresholds: added once, then changed; an empty value keeps the settings' default."""

    list_display = ["__str__", "members_lost", "overdue_commitments", "days_without_meeting", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not HealthThresholds.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
