"""Template helpers of the coalitions pages, and the coalition sections of a stakeholder's page."""

from django import template
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from core.svg import Series, palette_class, stance_class, time_chart
from stakeholders.models import Stakeholder

from ..forms import NetworkScopeForm
from ..models import Assessment, Engagement, Membership

register = template.Library()


register.filter("stance_class", stance_class)


#: The stakeholder page's timeline shows the latest engagements; older ones are on the coalition pages.
TIMELINE_LENGTH = 50


def stance_chart(assessments: list[Assessment]):
    """Stance over time, one line per initiative, and its legend as (colour, label) pairs."""
    by_initiative: dict[int, list[Assessment]] = {}
    for assessment in assessments:
        by_initiative.setdefault(assessment.initiative_id, []).append(assessment)
    series = [
        Series(
            label=rows[0].initiative.name,
            colour_class=palette_class(index),
            points=[(row.assessed_on, row.stance) for row in rows],
        )
        for index, rows in enumerate(by_initiative.values())
    ]
    chart = time_chart(
        series,
        y_min=-2,
        y_max=2,
        y_labels={value: str(label) for value, label in Assessment.Stance.choices},
        title=_("Stance over time"),
    )
    return chart, [(line.colour_class, line.label) for line in series]


@register.inclusion_tag("coalitions/includes/stakeholder_sections.html", takes_context=True)
def stakeholder_sections(context, stakeholder) -> dict:
    """An actor's coalitions and roles, assessment history and engagement timeline, for the
    stakeholder page (`stakeholders` sits below this app, so its page asks this tag)."""
    user = context["request"].user
    assessments = list(
        Assessment.objects.visible_to(user)
        .filter(stakeholder=stakeholder)
        .select_related("initiative", "assessed_by")
        .order_by("initiative__name", "assessed_on")
    )
    chart, chart_legend = stance_chart(assessments)
    return {
        "stakeholder": stakeholder,
        "memberships": Membership.objects.visible_to(user)
        .filter(stakeholder=stakeholder)
        .select_related("coalition__initiative")
        .order_by("left_on", "-joined_on"),
        "assessments": sorted(assessments, key=lambda a: a.assessed_on, reverse=True),
        "chart": chart,
        "chart_legend": chart_legend,
        "engagements": Engagement.objects.visible_to(user)
        .filter(participants=stakeholder)
        .select_related("coalition", "initiative")
        .prefetch_related(Prefetch("participants", queryset=Stakeholder.objects.only("pk", "name", "acronym")))
        .order_by("-occurred_on", "-pk")[:TIMELINE_LENGTH],
    }


@register.simple_tag(takes_context=True)
def network_scope_form(context, *, colours: bool = False):
    """The choice of a network (coalitions/includes/network_scope_form.html), for every page that shows
    one (the network today and its history): built here from the scope the page shows, so each page
    gets the same record picker without building the form itself."""
    request = context["request"]
    return NetworkScopeForm(
        user=request.user,
        country=context.get("country"),
        initiative=context.get("initiative"),
        colour_by=context.get("colour_by"),
        search=(request.GET.get("initiative_q") or "").strip(),
        colours=colours,
    )
