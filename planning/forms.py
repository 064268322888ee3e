from django import forms
from django.utils.translation import gettext_lazy as _

from countries.models import Region
from stakeholders.models import Stakeholder

from .importers import KINDS
from .models import DevelopmentPlan, EntryPoint, PlanObjective

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class FixedParentFormMixin:
    """For forms whose parent (country, plan, indicator) comes from the URL, not from a field.

    Django skips the model's constraints on fields that are not in the form; the parent is
    part of the unique keys, so it must be validated too, or a duplicate becomes a 500.
    """

    fixed_fields: tuple[str, ...] = ()

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - set(self.fixed_fields)


class EntryPointForm(FixedParentFormMixin, forms.ModelForm):
    """The country comes from the URL (and the user's team); regions and actors must be in it."""

    fixed_fields = ("country",)

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
        widgets = {"analysed_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.country = country
        self.fields["regions"].queryset = Region.objects.filter(country=country)
        self.fields["stakeholders"].queryset = Stakeholder.objects.filter(country=country)
        for name in ("feasibility", "impact", "added_value"):
            self.fields[name].widget = forms.NumberInput(attrs={"min": 1, "max": 5})
        if self.instance.status != EntryPoint.Status.SELECTED:
            # Selecting creates the initiative (the Select button); a status alone would lose that link.
            self.fields["status"].choices = [
                choice for choice in self.fields["status"].choices if choice[0] != EntryPoint.Status.SELECTED
            ]


class DevelopmentPlanForm(FixedParentFormMixin, forms.ModelForm):
    fixed_fields = ("country",)

    class Meta:
        model = DevelopmentPlan
        fields = ["name", "level", "region", "start_year", "end_year", "source_url"]

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.country = country
        self.fields["region"].queryset = Region.objects.filter(country=country)


class PlanObjectiveForm(FixedParentFormMixin, forms.ModelForm):
    fixed_fields = ("plan",)

    class Meta:
        model = PlanObjective
        fields = ["code", "title", "description"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan


class ResourcesImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=list(KINDS.items()))
    file = forms.FileField(label=_("CSV file (UTF-8, comma-separated)"))
    dry_run = forms.BooleanField(
        label=_("Dry run: check every row and report, import nothing"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB; split it by year."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text; save it as “CSV UTF-8”.")) from None
