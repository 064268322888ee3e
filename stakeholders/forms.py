"""Forms for stakeholders, their contacts and their relationships."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import ValidatedModelForm
from core.pickers import Picker, chosen_ids
from countries.models import Country, Municipality, Region

from .models import Contact, Relationship, Stakeholder, Tag, duplicates_message
from .services import stakeholder_tags_set, tag_names


def stakeholder_picker(**kwargs) -> Picker:
    """How every form picks stakeholders (the directory is too long for a select)."""
    return Picker(search_label=_("Search stakeholders by name or acronym"), **kwargs)


class StakeholderForm(ValidatedModelForm):
    """A stakeholder; staff may place it only in the countries of their teams.

    A new stakeholder whose name is like another's in the same country (`Stakeholder.possible_duplicates`)
    is saved only once the person ticks `confirm_not_duplicate`: the page lists the look-alikes first.
    """

    confirm_not_duplicate = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,  # a checkbox once there are look-alikes to confirm against (clean)
        label=_("It is not one of the possible duplicates above: save it as a new stakeholder"),
    )

    tag_names = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas, e.g. mining, women's groups. New tags are added to the country's."),
    )

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
            "municipality",
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
            # The municipalities of its country and, once it has regions, of those (`Stakeholder.clean`).
            "municipality": Picker(
                search_label=_("Find a municipality by name"), any_label=_("No municipality"), limit=("country",)
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        countries = Country.objects.editable_by(user)
        self.fields["country"].queryset = countries
        regions = self.fields["regions"]
        regions.queryset = Region.objects.visible_to(user)
        regions.widget.followed_values = {"country": self["country"].value()}
        regions.required = False
        municipality = self.fields["municipality"]
        municipality.queryset = Municipality.objects.visible_to(user)
        municipality.widget.followed_values = {"country": self["country"].value()}
        chosen_regions = [value for value in self["regions"].value() or () if value not in (None, "")]
        if chosen_regions:
            # A Philippine municipality lies in a province: offer those of the chosen regions and their provinces.
            within = Region.objects.filter(
                Q(pk__in=chosen_ids(chosen_regions)) | Q(parent__in=chosen_ids(chosen_regions))
            )
            municipality.widget.limit = ("country", "region")
            municipality.widget.limit_values = {"region": list(within.values_list("pk", flat=True))}
        self.fields["organisation"].queryset = Stakeholder.objects.visible_to(user)
        self.fields["organisation"].widget.limit_values = {
            "kind": Stakeholder.Kind.ORGANISATION,
            "exclude": [self.instance.pk] if self.instance.pk else [],
        }
        if self.instance.pk:
            self.fields["tag_names"].initial = ", ".join(tag.name for tag in self.instance.tags.all())
        self.possible_duplicates: list[Stakeholder] = []
        if self.instance.pk:
            del self.fields["confirm_not_duplicate"]  # the check is for new stakeholders

    def clean(self):
        cleaned = super().clean()
        name, country = cleaned.get("name"), cleaned.get("country")
        if "confirm_not_duplicate" in self.fields and name and country:
            self.possible_duplicates = Stakeholder(name=name, country=country).possible_duplicates()
            if self.possible_duplicates and not cleaned.get("confirm_not_duplicate"):
                self.fields["confirm_not_duplicate"].widget = forms.CheckboxInput()
                self.add_error("confirm_not_duplicate", duplicates_message(self.possible_duplicates))
        return cleaned

    def clean_tag_names(self) -> list[str]:
        names = tag_names(self.cleaned_data["tag_names"])
        too_long = [name for name in names if len(name) > Tag._meta.get_field("name").max_length]
        if too_long:
            raise forms.ValidationError(
                _("A tag has at most %(max)d characters: %(names)s.")
                % {"max": Tag._meta.get_field("name").max_length, "names": ", ".join(too_long)}
            )
        return names

    def save(self, commit: bool = True) -> Stakeholder:
        stakeholder = super().save(commit=commit)
        if commit:
            stakeholder_tags_set(stakeholder=stakeholder, names=self.cleaned_data["tag_names"])
        return stakeholder


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
