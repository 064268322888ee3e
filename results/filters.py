import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import BaseFilterSet, DateRangeFilter

from .models import Direction, Indicator, IndicatorValue


class IndicatorFilterSet(BaseFilterSet):
    search_fields = ("name", "unit")
    direction = django_filters.ChoiceFilter(choices=Direction.choices)
    plan = django_filters.NumberFilter(field_name="objective__plan", label=_("Plan"))

    class Meta:
        model = Indicator
        fields = ["objective", "initiative", "coalition", "region", "direction"]


class IndicatorValueFilterSet(BaseFilterSet):
    search_fields = ("source", "note")
    period_end = DateRangeFilter()

    class Meta:
        model = IndicatorValue
        fields = ["indicator"]
