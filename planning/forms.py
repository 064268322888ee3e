from django import forms

from core.forms import ValidatedModelForm, offer_only
from countries.models import Region
from stakeholders.forms import stakeholder_picker
from stakeholders.models import Stakeholder

from .models import DevelopmentPlan, EntryPoint, PlanObjective


class EntryPointForm(ValidatedModelForm):
    """The country comes from the URL (and the user's team); regions and actors must be in it (the model's rule)."""

    class Meta:
        model = EntryPoint
        fields = [
            "title",
            "regions",
            "challenge",
            "opportunity",
            "stakeholders",
            "feasibility",
            "feasibility_rationale",
            "impact",
            "impact_rationale",
            "added_value",
            "added_value_rationale",
            "status",
            "status_reason",
            "analysed_on",
        ]
        # The actors of the entry point's country (`EntryPoint.clean`).
        widgets = {"stakeholders": stakeholder_picker(multiple=True, limit=("country",))}

    def __init__(self, *args, country, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.country = country
        self.fields["regions"].queryset = Region.objects.visible_to(user)
        offer_only(self.fields["regions"], Region.objects.filter(country=country))
        self.fields["stakeholders"].queryset = Stakeholder.objects.visible_to(user)
        self.fields["stakeholders"].widget.limit_values = {"country": country.pk}
        for name in ("feasibility", "impact", "added_value"):
            self.fields[name].widget = forms.NumberInput(attrs={"min": 1, "max": 5})
        if self.instance.status != EntryPoint.Status.SELECTED:
            # Selecting creates the initiative (the Select button), so the choice is not offered here.
            self.fields["status"].widget.choices = [
                choice for choice in self.fields["status"].choices if choice[0] != EntryPoint.Status.SELECTED
            ]


class DevelopmentPlanForm(ValidatedModelForm):
    class Meta:
        model = DevelopmentPlan
        fields = ["name", "level", "region", "start_year", "end_year", "source_url"]

    def __init__(self, *args, country, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.country = country
        self.fields["region"].queryset = Region.objects.visible_to(user)
        offer_only(self.fields["region"], Region.objects.filter(country=country))


class PlanObjectiveForm(ValidatedModelForm):
    class Meta:
        model = PlanObjective
        fields = ["code", "title", "description"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
