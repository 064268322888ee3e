"""Forms for stakeholders, their contacts and their relationships."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from countries.models import Country, Region

from .models import Contact, Relationship, Stakeholder


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def https_urls(field, **kwargs):
    """Model form fields as usual, but a URL typed without a scheme gets https:// (Django 6 default)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class StakeholderForm(forms.ModelForm):
    """A stakeholder; staff may place it only in the countries of their teams."""

    class Meta:
        model = Stakeholder
        formfield_callback = https_urls
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
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        countries = Country.objects.editable_by(user)
        self.fields["country"].queryset = countries
        self.fields["regions"].queryset = Region.objects.filter(country__in=countries).select_related("country")
        self.fields["regions"].label_from_instance = lambda region: f"{region.name} · {region.country.code}"
        self.fields["regions"].required = False
        self.fields["regions"].help_text = _("Hold Ctrl (or Cmd) to choose more than one.")
        organisations = Stakeholder.objects.visible_to(user).filter(kind=Stakeholder.Kind.ORGANISATION)
        if self.instance.pk:
            organisations = organisations.exclude(pk=self.instance.pk)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        cleaned = super().clean()
        country, regions = cleaned.get("country"), cleaned.get("regions")
        if country and regions:
            elsewhere = [region.name for region in regions if region.country_id != country.pk]
            if elsewhere:
                self.add_error(
                    "regions",
                    _("These regions are not in %(country)s: %(regions)s.")
                    % {"country": country, "regions": ", ".join(elsewhere)},
                )
        return cleaned


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "position", "email", "phone", "preferred_language", "consent_given_at", "consent_source"]
        widgets = {"consent_given_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}


class RelationshipForm(forms.ModelForm):
    """A tie from one stakeholder (fixed by the page) to another."""

    class Meta:
        model = Relationship
        fields = ["target", "kind", "strength", "since", "notes"]
        widgets = {
            "since": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "strength": forms.Select(choices=[(1, _("1 · weak")), (2, _("2 · medium")), (3, _("3 · strong"))]),
        }

    def __init__(self, *args, source: Stakeholder, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.instance.source = source
        self.fields["target"].queryset = (
            Stakeholder.objects.visible_to(user).exclude(pk=source.pk).select_related("country").order_by("name")
        )
        self.fields["target"].label_from_instance = lambda stakeholder: f"{stakeholder} · {stakeholder.country.code}"

    def clean(self):
        # The source is not a form field, so model validation skips the constraints that name it.
        cleaned = super().clean()
        target, kind = cleaned.get("target"), cleaned.get("kind")
        if target and kind:
            duplicates = Relationship.objects.filter(source=self.source, target=target, kind=kind)
            if self.instance.pk:
                duplicates = duplicates.exclude(pk=self.instance.pk)
            if duplicates.exists():
                raise forms.ValidationError(_("This relationship already exists."))
        return cleaned
