from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coalitions.models import Coalition, Initiative
from core.access import staff_required
from core.exports import table_download
from core.parsing import parse_id
from core.views import get_editable_or_403, get_visible_or_404
from countries.models import Region
from planning.models import PlanObjective

from .forms import IndicatorForm, IndicatorValueForm
from .models import Indicator, plan_indicators_of

# What an indicator can belong to: the URL names the kind, the model's queryset decides who may edit.
OWNERS = {
    "objective": (PlanObjective, "plan__country"),
    "initiative": (Initiative, "country"),
    "coalition": (Coalition, "initiative__country"),
}


@login_required
def indicator_detail(request, pk: int):
    indicator = get_visible_or_404(
        Indicator.objects.select_related("objective__plan", "initiative", "coalition", "region").with_values(),
        request.user,
        pk=pk,
    )
    can_edit = Indicator.objects.editable_by(request.user).filter(pk=pk).exists()
    return render(
        request,
        "results/indicator_detail.html",
        {"indicator": indicator, "indicator_list": [indicator], "can_edit": can_edit},
    )


@staff_required
def value_create(request, pk: int):
    indicator = get_editable_or_403(Indicator.objects, request.user, pk=pk)
    form = IndicatorValueForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Value saved."))
        return redirect(indicator)
    return render(request, "results/indicatorvalue_form.html", {"form": form, "indicator": indicator})


def _owner_country(owner, kind: str):
    if kind == "objective":
        return owner.plan.country
    if kind == "initiative":
        return owner.country
    return owner.initiative.country


@staff_required
def indicator_create(request, kind: str, owner_pk: int):
    if kind not in OWNERS:
        raise Http404
    model, country_lookup = OWNERS[kind]
    owner = get_editable_or_403(model.objects.select_related(country_lookup), request.user, pk=owner_pk)
    form = IndicatorForm(
        request.POST or None, owner_field=kind, owner=owner, country=_owner_country(owner, kind), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        indicator = form.save()
        messages.success(request, _("Indicator saved."))
        return redirect(indicator)
    return render(request, "results/indicator_form.html", {"form": form, "owner": owner})


@staff_required
def indicator_edit(request, pk: int):
    indicator = get_editable_or_403(
        Indicator.objects.select_related(
            "objective__plan__country", "initiative__country", "coalition__initiative__country"
        ),
        request.user,
        pk=pk,
    )
    kind = next(name for name in OWNERS if getattr(indicator, f"{name}_id"))
    owner = indicator.owner
    form = IndicatorForm(
        request.POST or None,
        instance=indicator,
        owner_field=kind,
        owner=owner,
        country=_owner_country(owner, kind),
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Indicator saved."))
        return redirect(indicator)
    return render(request, "results/indicator_form.html", {"form": form, "owner": owner, "object": indicator})


@login_required
def region_indicators_csv(request, code: str):
    """The indicators of a region's development plans as CSV (the region's resources page links here)."""
    region_id = parse_id(code)
    lookup = {"pk": region_id} if region_id is not None else {"code": code.upper()}
    region = get_visible_or_404(Region.objects.all(), request.user, **lookup)
    header = [
        _("Objective"),
        _("Indicator"),
        _("Unit"),
        _("Baseline"),
        _("Target"),
        _("Latest"),
        _("Progress"),
        _("Status"),
    ]
    rows = []
    for indicator in plan_indicators_of(request.user, region):
        progress, latest = indicator.progress(), indicator.latest_value
        rows.append(
            [
                indicator.objective.code,
                indicator.name,
                indicator.unit,
                indicator.baseline_value,
                indicator.target_value,
                latest.value if latest else None,
                progress.share,
                progress.status_label,
            ]
        )
    return table_download(request, f"{(region.code or region.pk)}-indicators".lower(), header, rows)
