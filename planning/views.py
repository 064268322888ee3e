"""Pages for entry-point analysis, development plans and a region's public resources."""

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import is_staff_member, staff_required
from core.exports import table_download, table_response
from core.parsing import parse_id
from core.short_tables import kept, query_text, table_version
from core.versions import rendering_key
from core.views import confirm_action, get_editable_or_403, get_visible_or_404
from countries.models import Country, Municipality, Region

from . import figures
from .charts import grouped_bar_chart
from .forms import DevelopmentPlanForm, EntryPointForm, PlanObjectiveForm
from .importers import EXECUTION_FIELDS, FLOW_FIELDS
from .models import BudgetExecution, DevelopmentPlan, EntryPoint, PlanObjective, ResourceFlow
from .services import entry_point_select


def _editable_country(user, code: str) -> Country:
    """The country if the user may add records to it: 404 when unseen, 403 when outside their teams."""
    return get_editable_or_403(Country.objects, user, code=code.upper())


def _region(user, code: str) -> Region:
    if parse_id(code):
        return get_visible_or_404(Region.objects.select_related("country"), user, pk=parse_id(code))
    return get_visible_or_404(Region.objects.select_related("country"), user, code=code.upper())


# --- Entry points --------------------------------------------------------------------------


@staff_required
def entrypoint_index(request):
    """The way in from the navigation: each country with its entry points, the user's teams first."""
    teams = set(getattr(request.user, "team_country_ids", ()) or ())
    countries = Country.objects.visible_to(request.user).annotate(
        entry_point_count=Count("entry_points", filter=Q(entry_points__in=EntryPoint.objects.visible_to(request.user)))
    )
    countries = sorted(countries, key=lambda country: (country.pk not in teams, country.display_name))
    if len(teams) == 1:
        (only,) = teams
        return redirect("planning:entrypoint_list", code=Country.objects.get(pk=only).code.lower())
    return render(request, "planning/entrypoint_index.html", {"countries": countries})


@staff_required
def entrypoint_list(request, code: str):
    country = get_visible_or_404(Country.objects, request.user, code=code.upper())
    entry_points = (
        EntryPoint.objects.visible_to(request.user)
        .filter(country=country)
        .ranked()
        .select_related("initiative", "analysed_by")
        .prefetch_related("regions")
    )
    can_edit = Country.objects.editable_by(request.user).filter(pk=country.pk).exists()
    return render(
        request,
        "planning/entrypoint_list.html",
        {"country": country, "entry_points": entry_points, "can_edit": can_edit},
    )


@staff_required
def entrypoint_detail(request, pk: int):
    entry_point = get_visible_or_404(
        EntryPoint.objects.select_related("country", "analysed_by", "initiative").prefetch_related(
            "regions", "stakeholders"
        ),
        request.user,
        pk=pk,
    )
    can_edit = EntryPoint.objects.editable_by(request.user).filter(pk=pk).exists()
    return render(request, "planning/entrypoint_detail.html", {"entry_point": entry_point, "can_edit": can_edit})


@staff_required
def entrypoint_create(request, code: str):
    country = _editable_country(request.user, code)
    form = EntryPointForm(request.POST or None, country=country, user=request.user)
    if request.method == "POST" and form.is_valid():
        if form.instance.analysed_by_id is None:
            form.instance.analysed_by = request.user
        entry_point = form.save()
        messages.success(request, _("Entry point saved."))
        return redirect(entry_point)
    return render(request, "planning/entrypoint_form.html", {"form": form, "country": country})


@staff_required
def entrypoint_edit(request, pk: int):
    entry_point = get_editable_or_403(EntryPoint.objects.select_related("country"), request.user, pk=pk)
    form = EntryPointForm(request.POST or None, instance=entry_point, country=entry_point.country, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Entry point saved."))
        return redirect(entry_point)
    return render(
        request, "planning/entrypoint_form.html", {"form": form, "country": entry_point.country, "object": entry_point}
    )


@staff_required
def entrypoint_select(request, pk: int):
    """Confirm, then select the entry point: the initiative that carries it is created (once)."""
    entry_point = get_editable_or_403(EntryPoint.objects.select_related("country"), request.user, pk=pk)

    def perform():
        initiative = entry_point_select(entry_point_id=entry_point.pk, user=request.user)
        messages.success(
            request, _("Entry point selected: the initiative “%(name)s” now carries it.") % {"name": initiative}
        )
        return redirect(initiative)

    regions = [region.display_name for region in entry_point.regions.all()]
    return confirm_action(
        request,
        title=_("Select “%(title)s”") % {"title": entry_point.title},
        consequences=[
            _("The entry point is marked selected, and the other entry points of %(country)s keep their status.")
            % {"country": entry_point.country.display_name},
            _(
                "A new initiative “%(name)s” is created from its title, challenge and regions (%(regions)s), "
                "in the coalition-building phase, starting today."
            )
            % {"name": entry_point.title[:200], "regions": ", ".join(regions) or _("national")},
            _("An entry point stays selected: selecting it again only opens its initiative."),
        ],
        button=_("Select and create the initiative"),
        cancel_url=entry_point.get_absolute_url(),
        perform=perform,
        danger=False,
    )


# --- Development plans ---------------------------------------------------------------------


@login_required
def plan_list(request):
    plans = (
        DevelopmentPlan.objects.visible_to(request.user)
        .select_related("country", "region")
        .annotate(objective_count=Count("objectives"))
    )
    editable_countries = Country.objects.editable_by(request.user)
    return render(
        request, "planning/developmentplan_list.html", {"plans": plans, "editable_countries": editable_countries}
    )


@login_required
def plan_detail(request, pk: int):
    plan = get_visible_or_404(DevelopmentPlan.objects.select_related("country", "region"), request.user, pk=pk)
    objectives = PlanObjective.objects.visible_to(request.user).filter(plan=plan)
    can_edit = DevelopmentPlan.objects.editable_by(request.user).filter(pk=pk).exists()
    return render(
        request,
        "planning/developmentplan_detail.html",
        {"plan": plan, "objectives": objectives, "can_edit": can_edit},
    )


@staff_required
def plan_create(request, code: str):
    country = _editable_country(request.user, code)
    form = DevelopmentPlanForm(request.POST or None, country=country, user=request.user)
    if request.method == "POST" and form.is_valid():
        plan = form.save()
        messages.success(request, _("Plan saved."))
        return redirect(plan)
    return render(request, "planning/developmentplan_form.html", {"form": form, "country": country})


@staff_required
def plan_edit(request, pk: int):
    plan = get_editable_or_403(DevelopmentPlan.objects.select_related("country"), request.user, pk=pk)
    form = DevelopmentPlanForm(request.POST or None, instance=plan, country=plan.country, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Plan saved."))
        return redirect(plan)
    return render(
        request, "planning/developmentplan_form.html", {"form": form, "country": plan.country, "object": plan}
    )


@login_required
def objective_detail(request, pk: int):
    objective = get_visible_or_404(PlanObjective.objects.select_related("plan__region"), request.user, pk=pk)
    can_edit = PlanObjective.objects.editable_by(request.user).filter(pk=pk).exists()
    return render(
        request,
        "planning/planobjective_detail.html",
        {"objective": objective, "can_edit": can_edit},
    )


@staff_required
def objective_create(request, plan_pk: int):
    plan = get_editable_or_403(DevelopmentPlan.objects, request.user, pk=plan_pk)
    form = PlanObjectiveForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Objective saved."))
        return redirect(plan)
    return render(request, "planning/planobjective_form.html", {"form": form, "plan": plan})


@staff_required
def objective_edit(request, pk: int):
    objective = get_editable_or_403(PlanObjective.objects.select_related("plan"), request.user, pk=pk)
    form = PlanObjectiveForm(request.POST or None, instance=objective, plan=objective.plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Objective saved."))
        return redirect(objective)
    return render(
        request, "planning/planobjective_form.html", {"form": form, "plan": objective.plan, "object": objective}
    )


# --- Public resources ----------------------------------------------------------------------


@login_required
def resources_index(request):
    """Regions that have transfer or budget data, with how much of each."""
    regions = (
        Region.objects.visible_to(request.user)
        .annotate(
            flow_count=Count("resource_flows", distinct=True),
            execution_count=Count("budget_executions", distinct=True),
        )
        .filter(Q(flow_count__gt=0) | Q(execution_count__gt=0))
        .select_related("country")
        .order_by("country__name", "name")
    )
    can_import = is_staff_member(request.user)
    return render(request, "planning/resources_index.html", {"regions": regions, "can_import": can_import})


#: The tables a region's resource figures read: a write to any of them drops the kept figures.
FIGURE_TABLES = (ResourceFlow, BudgetExecution, PlanObjective, Municipality, Region)


def _resources_context(request, region: Region) -> dict:
    """A region's figures, from the cache while none of the tables they read has changed: the key
    holds the tables' versions and the user's scope as the queries say it (`visible_to`)."""
    flows = figures.flows_for(request.user, region)
    executions = figures.executions_for(request.user, region)
    asked = parse_id(request.GET.get("year"))
    key = "region-resources:" + rendering_key(
        table_version(*FIGURE_TABLES), region.pk, query_text(flows), query_text(executions), asked
    )
    return {"region": region, **kept(key, lambda: _figures_of(region, flows, executions, asked))}


def _figures_of(region: Region, flows, executions, asked: int | None) -> dict:
    years = figures.execution_years(executions)
    year = asked or (years[0] if years else 0)
    if year not in years and years:
        year = years[0]
    transfers = figures.transfers_by_year(flows)
    by_objective = figures.execution_by_objective(executions.filter(fiscal_year=year))
    return {
        "transfers": transfers,
        "municipal_transfers": figures.transfers_by_municipality(flows, transfers.sources),
        "execution_years": years,
        "year": year,
        "by_objective": by_objective,
        "mining": figures.mining_revenue_use(flows, executions),
        "currencies": figures.region_currencies(flows, executions),
        "transfers_chart": grouped_bar_chart(
            title=_("Transfers by year and source"),
            categories=[str(row.year) for row in transfers.rows],
            series=[
                (label, [row.amounts[i] for row in transfers.rows]) for i, (_v, label) in enumerate(transfers.sources)
            ],
        ),
        "execution_chart": grouped_bar_chart(
            title=_("Allocated and executed by plan objective"),
            categories=[row.code for row in by_objective],
            series=[
                (_("Allocated"), [r.allocated for r in by_objective]),
                (_("Executed"), [r.executed for r in by_objective]),
            ],
        ),
    }


@login_required
def region_resources(request, code: str):
    region = _region(request.user, code)
    return render(request, "planning/region_resources.html", _resources_context(request, region))


@login_required
def region_resources_csv(request, code: str, table: str):
    region = _region(request.user, code)
    context = _resources_context(request, region)
    if table == "transfers":
        transfers = context["transfers"]
        header = [_("Fiscal year"), *[label for _v, label in transfers.sources], _("Total")]
        rows = [[row.year, *row.amounts, row.total] for row in transfers.rows]
    elif table == "execution":
        header = [_("Fiscal year"), _("Objective code"), _("Objective"), _("Allocated"), _("Executed"), _("Rate")]
        rows = [
            [context["year"], r.code, r.title, r.allocated, r.executed, r.execution_rate]
            for r in context["by_objective"]
        ]
    elif table == "mining":
        header = [
            _("Fiscal year"),
            _("Mining revenue transferred"),
            _("Allocated"),
            _("Executed"),
            _("Executed on plan objectives"),
            _("Share of spending on plan objectives"),
            _("Share of transfers spent on plan objectives"),
        ]
        rows = [
            [
                m.year,
                m.use.transferred,
                m.use.allocated,
                m.use.executed,
                m.use.executed_on_objectives,
                m.use.share_of_spending_on_objectives,
                m.use.share_of_transfers_on_objectives,
            ]
            for m in context["mining"]
        ]
    else:
        raise Http404
    return table_download(request, f"{(region.code or region.pk)}-{table}".lower(), header, rows)


EXPORTS = {"flows": (ResourceFlow, FLOW_FIELDS), "execution": (BudgetExecution, EXECUTION_FIELDS)}


@staff_required
def resources_export(request, kind: str):
    """Every resource flow or budget-execution row of the user's countries (of one region with
    `?region=CODE`), in the import's columns with their names and labels in the active language and
    each row's id: the file imports back unchanged (`?sep=;` for Excel with Spanish settings, which
    also writes decimal commas; `?format=xlsx` for a workbook)."""
    if kind not in EXPORTS:
        raise Http404
    model, fields = EXPORTS[kind]
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    separator = ";" if request.GET.get("sep") == ";" else ","
    rows = model.objects.editable_by(request.user).select_related(
        "region", *(["objective"] if kind == "execution" else ["municipality"])
    )
    if request.GET.get("region"):
        rows = rows.filter(region__code__iexact=request.GET["region"])
    header = [_("Id"), *(str(model._meta.get_field(name).verbose_name).capitalize() for name in fields.values())]

    def cell(row, column: str, name: str):
        value = getattr(row, name)
        if name == "region":
            return value.code or value.name
        if name in ("objective", "municipality"):
            return value.code if value else ""
        if name in ("source", "funding_source"):
            return getattr(row, f"get_{name}_display")()
        if name == "is_sample":
            return _("Yes") if value else _("No")
        if isinstance(value, Decimal):
            return (
                float(value)
                if file_format == "xlsx"
                else (str(value).replace(".", ",") if separator == ";" else str(value))
            )
        return "" if value is None else value

    body = ([row.pk, *(cell(row, column, name) for column, name in fields.items())] for row in rows)
    stamp = timezone.localdate().isoformat()
    return table_response(f"{kind}-{stamp}", header, body, file_format=file_format, separator=separator)


@staff_required
def resources_import_view(request):
    """The former one-step upload: every kind of file now goes through the import page and its
    mapping step (imports), so an old bookmark lands there."""
    return redirect(f"{reverse('imports:start')}?{urlencode({'kind': request.GET.get('kind', 'flows')})}")
