"""The indicator sections of the pages of the apps below `results`.

`{% indicators_for initiative %}` / `{% indicators_for coalition %}` on the initiative and
coalition pages, `{% plan_indicators plan %}` (a plan, an objective or a region) on planning's.
"""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from coalitions.models import Coalition, Initiative
from countries.models import Region

from ..models import Indicator, plan_indicators_of

register = template.Library()


@register.inclusion_tag("results/includes/indicators_for.html", takes_context=True)
def indicators_for(context, owner, can_edit: bool | None = None) -> dict:
    """The owner's indicators with computed progress, and the plan objectives it pursues (2 queries).

    `can_edit`: the page's own answer to "may this user edit the owner" (`editable_by`), when it
    has one; otherwise the tag asks (a third query).
    """
    user = context["request"].user
    indicators = Indicator.objects.visible_to(user).select_related("region").with_values()
    if isinstance(owner, Initiative):
        indicators = indicators.filter(initiative=owner)
    elif isinstance(owner, Coalition):
        indicators = indicators.filter(coalition=owner)
    else:
        raise template.TemplateSyntaxError("indicators_for takes an initiative or a coalition")
    objectives = owner.objectives.select_related("plan")
    if can_edit is None:
        can_edit = type(owner).objects.editable_by(user).filter(pk=owner.pk).exists()
    kind = "initiative" if isinstance(owner, Initiative) else "coalition"
    return {"indicators": indicators, "objectives": objectives, "can_edit": can_edit, "owner": owner, "kind": kind}


@register.inclusion_tag("results/includes/plan_indicators.html", takes_context=True)
def plan_indicators(context, owner) -> dict:
    """The indicators of a development plan, one of its objectives, or a region's plans, with progress."""
    indicators = plan_indicators_of(context["request"].user, owner)
    if isinstance(owner, Region):
        csv_url = reverse("results:region_indicators_csv", kwargs={"code": (owner.code or str(owner.pk)).lower()})
        return {
            "indicators": indicators,
            "csv_url": csv_url,
            "empty": _("No indicators recorded for this region's plan."),
        }
    return {"indicators": indicators, "csv_url": "", "empty": _("No indicators yet.")}
