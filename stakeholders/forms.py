"""Forms for stakeholders, their contacts and their relationships."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ValidatedModelForm
from core.pickers import Picker
from countries.models import Country, Region

from .models import Contact, Relationship, Stakeholder


def stakeholder_picker(**kwargs) -> Picker:
    """How every form picks stakeholders (the directory is too long for a select)."""
    return Picker(search_label=_("Search stakeholders by name or acronym"), **kwargs)


class StakeholderForm(ValidatedModelForm):
    """A stakeholder; staff may place it only in the countries of their teams."""

    class Meta:
        model = Stakeholder
        fields = [
            "name",
            "acronym",
            "kind",
            "sector",
            "level",
            "country",
            "regions",
            "organisation",
            "website",
            "description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            # The organisations the model allows (`Stakeholder.clean`, `stakeholder_not_own_organisation`).
            "organisation": stakeholder_picker(limit=("kind",), any_label=_("No organisation")),
            # The regions of the actor's country (`Stakeholder.clean`), refreshed when it changes.
            "regions": Picker(multiple=True, search_label=_("Find a region by name"), limit=("country",)),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        countries = Country.objects.editable_by(user)
        self.fields["country"].queryset = countries
        regions = self.fields["regions"]
        regions.queryset = Region.objects.visible_to(user)
        regions.widget.followed_values = {"country": self["country"].value()}
        regions.required = False
        self.fields["organisation"].queryset = Stakeholder.objects.visible_to(user)
        self.fields["organisation"].widget.limit_values = {
            "kind": Stakeholder.Kind.ORGANISATION,
            "exclude": [self.instance.pk] if self.instance.pk else [],
        }


class ContactForm(ValidatedModelForm):
    class Meta:
        model = Contact
        fields = ["name", "position", "email", "phone", "preferred_language", "consent_given_at", "consent_source"]
        widgets = {"consent_given_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}


class RelationshipForm(ValidatedModelForm):
    """A tie from one stakeholder (fixed by the page) to another."""

    class Meta:
        model = Relationship
        fields = ["target", "kind", "strength", "since", "notes"]
        widgets = {
            "target": stakeholder_picker(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "strength": forms.Select(choices=[(1, _("1 · weak")), (2, _("2 · medium")), (3, _("3 · strong"))]),
        }

    def __init__(self, *args, source: Stakeholder, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.source = source
        self.fields["target"].queryset = Stakeholder.objects.visible_to(user)
