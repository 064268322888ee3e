from django import forms

from .models import IndicatorValue


class IndicatorValueForm(forms.ModelForm):
    def _get_validation_exclusions(self):
        # The indicator comes from the URL; validate the (indicator, period) key anyway.
        return super()._get_validation_exclusions() - {"indicator"}

    class Meta:
        model = IndicatorValue
        fields = ["period_end", "value", "source", "note"]
        widgets = {"period_end": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.indicator = indicator
