from django.contrib import admin

from core.admin import ScopedAdmin

from .models import NetworkSnapshot


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
