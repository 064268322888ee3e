from django import forms

from .models import IndicatorValue


class IndicatorValueForm(forms.ModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["period_end", "value", "source", "note"]
        widgets = {"period_end": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.indicator = indicator
