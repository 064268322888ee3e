from django.contrib import admin

from core.admin import ScopedAdmin, TabularInline

from .models import Indicator, IndicatorValue


class IndicatorValueInline(TabularInline):
    model = IndicatorValue
    extra = 0
    fields = ["period_end", "value", "source", "note"]


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdmin):
    list_display = ["name", "unit", "objective", "initiative", "coalition", "region", "baseline_value", "target_value"]
    list_filter = ["direction", "region"]
    list_select_related = ["objective", "initiative", "coalition", "region"]
    search_fields = ["name", "unit"]
    autocomplete_fields = ["objective", "initiative", "coalition", "region"]
    inlines = [IndicatorValueInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ScopedAdmin):
    list_display = ["indicator", "period_end", "value", "source"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__name", "source", "note"]
    autocomplete_fields = ["indicator"]
    date_hierarchy = "period_end"
