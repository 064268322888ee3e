from django import forms

from countries.models import Region

from .models import Indicator, IndicatorValue


class IndicatorForm(forms.ModelForm):
    """The owner (plan objective, initiative or coalition) comes from the URL."""

    OWNER_FIELDS = {"objective", "initiative", "coalition"}

    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "region",
            "direction",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
        ]

    def __init__(self, *args, owner_field: str, owner, country, **kwargs):
        super().__init__(*args, **kwargs)
        setattr(self.instance, owner_field, owner)
        self.fields["region"].queryset = Region.objects.filter(country=country)

    def _get_validation_exclusions(self):
        # The owner is part of the unique keys and the one-owner rule: validate it too.
        return super()._get_validation_exclusions() - self.OWNER_FIELDS


class IndicatorValueForm(forms.ModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["period_end", "value", "source", "note"]
        widgets = {"period_end": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.indicator = indicator

    def _get_validation_exclusions(self):
        # The indicator comes from the URL; validate the (indicator, period) key anyway.
        return super()._get_validation_exclusions() - {"indicator"}
