from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ScopedAdmin, TabularInline

from .models import BudgetExecution, DevelopmentPlan, EntryPoint, PlanObjective, ResourceFlow
from .services import entry_point_select


@admin.register(EntryPoint)
class EntryPointAdmin(ScopedAdmin):
    list_display = ["title", "country", "feasibility", "impact", "added_value", "status", "analysed_on"]
    list_filter = ["country", "status"]
    list_select_related = ["country"]
    search_fields = ["title", "challenge", "opportunity"]
    autocomplete_fields = ["country", "regions", "stakeholders", "analysed_by"]
    date_hierarchy = "analysed_on"
    actions = ["select"]

    @admin.action(description=_("Select: create the initiative from each"))
    def select(self, request, queryset) -> None:
        """The Select button of the staff page, for the rows checked (those the user may change)."""
        editable = EntryPoint.objects.editable_by(request.user).filter(pk__in=queryset.values("pk"))
        names = [
            str(entry_point_select(entry_point_id=pk, user=request.user))
            for pk in editable.values_list("pk", flat=True)
        ]
        self.message_user(
            request,
            ngettext(
                "Selected; initiative created or kept: %(names)s.",
                "Selected; initiatives created or kept: %(names)s.",
                len(names),
            )
            % {"names": ", ".join(names)},
            messages.SUCCESS,
        )


class PlanObjectiveInline(TabularInline):
    model = PlanObjective
    extra = 0
    fields = ["code", "title"]


@admin.register(DevelopmentPlan)
class DevelopmentPlanAdmin(ScopedAdmin):
    list_display = ["name", "country", "region", "level", "start_year", "end_year"]
    list_filter = ["country", "level"]
    list_select_related = ["country", "region"]
    search_fields = ["name"]
    autocomplete_fields = ["country", "region"]
    inlines = [PlanObjectiveInline]


@admin.register(PlanObjective)
class PlanObjectiveAdmin(ScopedAdmin):
    list_display = ["code", "title", "plan"]
    list_filter = ["plan__country"]
    list_select_related = ["plan"]
    search_fields = ["code", "title", "plan__name"]
    autocomplete_fields = ["plan"]


@admin.register(ResourceFlow)
class ResourceFlowAdmin(ScopedAdmin):
    list_display = ["region", "municipality", "fiscal_year", "month", "source", "amount", "currency", "is_sample"]
    list_filter = ["source", "fiscal_year", "is_sample", "region__country"]
    list_select_related = ["region", "municipality"]
    search_fields = ["region__name", "region__code", "municipality__name", "municipality__code", "note"]
    autocomplete_fields = ["region", "municipality"]


@admin.register(BudgetExecution)
class BudgetExecutionAdmin(ScopedAdmin):
    list_display = [
        "project_code",
        "project_name",
        "region",
        "fiscal_year",
        "funding_source",
        "objective",
        "allocated",
        "executed",
        "is_sample",
    ]
    list_filter = ["funding_source", "fiscal_year", "is_sample", "region__country"]
    list_select_related = ["region", "objective"]
    search_fields = ["project_code", "project_name", "region__name"]
    autocomplete_fields = ["region", "objective"]
