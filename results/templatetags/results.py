"""`{% indicators_for initiative %}` / `{% indicators_for coalition %}` for the initiative and coalition pages."""

from django import template

from coalitions.models import Coalition, Initiative

from ..models import Indicator

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
