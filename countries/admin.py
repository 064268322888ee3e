from django.contrib import admin

from core.admin import ReferenceDataAdmin

from .models import Country, Municipality, Region


@admin.register(Country)
class CountryAdmin(ReferenceDataAdmin):
    list_display = ["name", "code", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["name", "code"]


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    list_display = ["name", "code", "kind", "country", "parent"]
    list_filter = ["country", "kind"]
    list_select_related = ["country", "parent"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["country", "parent"]


@admin.register(Municipality)
class MunicipalityAdmin(ReferenceDataAdmin):
    list_display = ["name", "code", "kind", "region", "country"]
    list_filter = ["country", "kind"]
    list_select_related = ["country", "region"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["country", "region"]
