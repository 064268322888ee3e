import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import BaseFilterSet

from .models import BudgetExecution, DevelopmentPlan, EntryPoint, FundingSource, PlanObjective, ResourceFlow


class EntryPointFilterSet(BaseFilterSet):
    search_fields = ("title", "challenge", "opportunity")
    status = django_filters.MultipleChoiceFilter(choices=EntryPoint.Status.choices, distinct=False)

    class Meta:
        model = EntryPoint
        fields = ["country", "status", "regions"]


class DevelopmentPlanFilterSet(BaseFilterSet):
    search_fields = ("name",)
    level = django_filters.MultipleChoiceFilter(choices=DevelopmentPlan.Level.choices, distinct=False)
    year = django_filters.NumberFilter(method="filter_year", label=_("In force in year"))

    class Meta:
        model = DevelopmentPlan
        fields = ["country", "region", "level"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_year__lte=value, end_year__gte=value)


class PlanObjectiveFilterSet(BaseFilterSet):
    search_fields = ("code", "title", "description")
    country = django_filters.NumberFilter(field_name="plan__country", label=_("Country"))
    region = django_filters.NumberFilter(field_name="plan__region", label=_("Region"))

    class Meta:
        model = PlanObjective
        fields = ["plan", "code"]


class ResourceFlowFilterSet(BaseFilterSet):
    search_fields = ("region__name", "note")
    source = django_filters.MultipleChoiceFilter(choices=FundingSource.choices, distinct=False)
    fiscal_year = django_filters.RangeFilter()
    region_code = django_filters.CharFilter(field_name="region__code", lookup_expr="iexact", label=_("Region code"))
    country = django_filters.NumberFilter(field_name="region__country", label=_("Country"))

    class Meta:
        model = ResourceFlow
        fields = ["region", "municipality", "source", "month", "is_sample"]


class BudgetExecutionFilterSet(BaseFilterSet):
    search_fields = ("project_code", "project_name")
    funding_source = django_filters.MultipleChoiceFilter(choices=FundingSource.choices, distinct=False)
    fiscal_year = django_filters.RangeFilter()
    region_code = django_filters.CharFilter(field_name="region__code", lookup_expr="iexact", label=_("Region code"))
    country = django_filters.NumberFilter(field_name="region__country", label=_("Country"))
    has_objective = django_filters.BooleanFilter(
        field_name="objective", lookup_expr="isnull", exclude=True, label=_("Serves a plan objective")
    )

    class Meta:
        model = BudgetExecution
        fields = ["region", "objective", "funding_source", "is_sample"]
