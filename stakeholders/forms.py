"""Forms for stakeholders, their contacts and their relationships."""

import html
from dataclasses import dataclass, field

from django import forms
from django.db import models
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.forms import ValidatedModelForm, offer_only
from core.parsing import parse_id
from countries.models import Country, Region

from .models import Contact, Relationship, Stakeholder


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def escape(value) -> str:
    """HTML-escape like Django's `escape` (quotes included), without its lazy-string check per call."""
    return html.escape(str(value))


class PlainCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes rendered in Python, with the markup of Django's template (a div per option)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        attrs = self.build_attrs(self.attrs, attrs or {})
        base_id = attrs.get("id", "")
        items = []
        for index, (option, label) in enumerate(self.choices):
            option_id = f"{base_id}_{index}" if base_id else ""
            checked = " checked" if str(option) in chosen else ""
            items.append(
                f'<div><label for="{escape(option_id)}"><input type="checkbox" name="{escape(name)}"'
                f' value="{escape(option)}" id="{escape(option_id)}"{checked}> {escape(label)}</label></div>'
            )
        return mark_safe(f'<div id="{escape(base_id)}">{"".join(items)}</div>')  # every part is escaped above


def https_urls(field, **kwargs):
    """Model form fields as usual, but a URL typed without a scheme gets https:// (Django 6 default)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class StakeholderForm(ValidatedModelForm):
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
        regions = self.fields["regions"]
        regions.queryset = Region.objects.visible_to(user)
        regions.label_from_instance = lambda region: f"{region.name} · {region.country.code}"
        offer_only(regions, Region.objects.filter(country__in=countries).select_related("country"))
        regions.required = False
        regions.help_text = _("Hold Ctrl (or Cmd) to choose more than one.")
        visible = Stakeholder.objects.visible_to(user)
        self.fields["organisation"].queryset = visible
        organisations = visible.filter(kind=Stakeholder.Kind.ORGANISATION)
        offer_only(self.fields["organisation"], organisations.exclude(pk=self.instance.pk or None))


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
            "since": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "strength": forms.Select(choices=[(1, _("1 · weak")), (2, _("2 · medium")), (3, _("3 · strong"))]),
        }

    def __init__(self, *args, source: Stakeholder, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.source = source
        visible = Stakeholder.objects.visible_to(user).select_related("country")
        self.fields["target"].queryset = visible
        self.fields["target"].label_from_instance = lambda stakeholder: f"{stakeholder} · {stakeholder.country.code}"
        offer_only(self.fields["target"], visible.exclude(pk=source.pk).order_by("name"))


#: How many matches one directory picker search shows; people refine the search rather than scroll.
PICKER_LIMIT = 25
#: The directory filters chosen with a picker: the path from Stakeholder to the model picked from,
#: the search label and the "any" choice. (Coalitions sit above this app: their models are reached
#: through Stakeholder's reverse relations, never named.)
DIRECTORY_PICKERS = {
    "region": ("regions", _("Find a region by name"), _("Any region")),
    "coalition": ("memberships__coalition", _("Find a coalition by name"), _("Any coalition")),
    "initiative": ("assessments__initiative", _("Find an initiative by name"), _("Any initiative")),
}


def _picked_model(path: str) -> type[models.Model]:
    model = Stakeholder
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


@dataclass
class ChoicePicker:
    """One choice made with a search box (templates/includes/choice_picker.html).

    The same mechanism as the coalition forms' stakeholder picker: the chosen option, then the
    matches of the search; never the whole list. Without JavaScript the search is a submit of
    the form; with HTMX the options are refreshed as one types.
    """

    name: str
    label: str
    search_label: str
    any_label: str
    options: list[tuple[int, str, bool]]
    query: str = ""
    errors: list = field(default_factory=list)

    @property
    def search_url(self) -> str:
        return reverse("stakeholders:directory_picker", kwargs={"field": self.name})

    @property
    def chosen(self) -> bool:
        return any(checked for _pk, _label, checked in self.options)

    @property
    def found(self) -> bool:
        return any(not checked for _pk, _label, checked in self.options)


def _picker_label(obj) -> str:
    country = getattr(getattr(obj, "initiative", obj), "country", None)
    return f"{obj.name} · {country.code}" if country else obj.name


def build_choice_picker(name: str, *, user, selected, query: str = "", label: str = "", errors=()) -> ChoicePicker:
    """The chosen row (if the user may see it) and up to PICKER_LIMIT name matches: two queries at most."""
    path, search_label, any_label = DIRECTORY_PICKERS[name]
    model = _picked_model(path)
    country = "initiative__country" if hasattr(model, "initiative") else "country"
    visible = model.objects.visible_to(user).select_related(country).order_by("name", "pk")
    selected = parse_id(getattr(selected, "pk", selected))
    query = query.strip()
    if selected and query:
        chosen_first = models.Case(models.When(pk=selected, then=0), default=1)
        both = visible.filter(models.Q(pk=selected) | models.Q(name__icontains=query)).order_by(chosen_first, "name")
        rows = list(both[: PICKER_LIMIT + 1])
    elif selected:
        rows = list(visible.filter(pk=selected))
    elif query:
        rows = list(visible.filter(name__icontains=query)[:PICKER_LIMIT])
    else:
        rows = []
    chosen = [row for row in rows if row.pk == selected]
    matches = [row for row in rows if row.pk != selected][:PICKER_LIMIT]
    return ChoicePicker(
        name=name,
        label=label,
        search_label=str(search_label),
        any_label=str(any_label),
        options=[(row.pk, _picker_label(row), True) for row in chosen]
        + [(row.pk, _picker_label(row), False) for row in matches],
        query=query,
        errors=list(errors),
    )


def directory_pickers(request, form: forms.BaseForm) -> dict[str, ChoicePicker]:
    """The directory's pickers, from the filter form's values and the searches typed (`<name>_q`)."""
    return {
        name: build_choice_picker(
            name,
            user=request.user,
            selected=form[name].value(),
            query=request.GET.get(f"{name}_q", ""),
            label=str(form[name].label),
            errors=form[name].errors,
        )
        for name in DIRECTORY_PICKERS
    }
