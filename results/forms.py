from core.forms import ValidatedModelForm, offer_only
from countries.models import Region

from .models import Indicator, IndicatorValue


class IndicatorForm(ValidatedModelForm):
    """The owner (plan objective, initiative or coalition) comes from the URL."""

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

    def __init__(self, *args, owner_field: str, owner, country, user, **kwargs):
        super().__init__(*args, **kwargs)
        setattr(self.instance, owner_field, owner)
        self.fields["region"].queryset = Region.objects.visible_to(user)
        offer_only(self.fields["region"], Region.objects.filter(country=country))


class IndicatorValueForm(ValidatedModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["period_end", "value", "source", "note"]

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.indicator = indicator
