from django.contrib import admin

from .models import Delivery, Suppression


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "campaign_id", "period", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["recipient", "subject"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ["address_hash", "reason", "created_at"]
    list_filter = ["reason"]
