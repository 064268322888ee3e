from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.history.recording import recorded_models
from countries.models import Country

from .models import User


class ActivityFilterForm(forms.Form):
    """The activity feed's filters: a country team (among the reader's), a kind of record, a person."""

    country = forms.ModelChoiceField(
        queryset=Country.objects.none(), required=False, label=_("Country team"), empty_label=_("All my countries")
    )
    model = forms.ChoiceField(required=False, label=_("Kind of record"))
    user = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("Who"), empty_label=_("Anyone"))

    def __init__(self, *args, reader: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        countries = Country.objects.order_by("name")
        self.fields["country"].queryset = (
            countries if reader.is_admin else countries.filter(pk__in=reader.team_country_ids)
        )
        if reader.is_admin:
            self.fields["country"].empty_label = _("Every country, and records of none")
        models = sorted(recorded_models(), key=lambda model: str(model._meta.verbose_name_plural).casefold())
        self.fields["model"].choices = [("", _("Every kind"))] + [
            (model._meta.label_lower, capfirst(model._meta.verbose_name_plural)) for model in models
        ]
        self.fields["user"].queryset = User.objects.exclude(role=User.Role.PARTNER).order_by("username")
