import django_filters
from django import forms
from django.db.models import Model, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.filters import BaseFilterSet, RowIdFilter, ShortListChoiceFilter, visible
from core.pickers import Picker
from core.search import fold
from countries.models import Country, Municipality, Region

from .models import Contact, Relationship, Stakeholder, Tag


def _related(name: str) -> type[Model]:
    """A model of an app above this one (coalitions), reached through a reverse relation of Stakeholder."""
    return Stakeholder._meta.get_field(name).related_model


def _chosen_through(name: str, field: str) -> type[Model]:
    """The model a reverse relation's rows point to (the coalition of a membership)."""
    return _related(name)._meta.get_field(field).related_model


class StakeholderFilterSet(BaseFilterSet):
    """The directory's and the API's filters; region, coalition and initiative are pickers on the page."""

    #: An acronym is a word matched whole ("ANM"): looked for anywhere, every word of every search
    #: would also read the acronyms' trigram index, which doubled the search's time at scale.
    search_fields = ("name", "=acronym")
    page_filters = (
        "q",
        "country",
        "region",
        "municipality",
        "tag",
        "sector",
        "level",
        "kind",
        "coalition",
        "initiative",
        "stance",
    )

    country = ShortListChoiceFilter(queryset=visible(Country), label=_("Country"))
    region = django_filters.ModelChoiceFilter(
        field_name="regions",
        queryset=visible(Region),
        method="filter_region",
        label=_("Region"),
        widget=Picker(search_label=_("Find a region by name"), any_label=_("Any region")),
    )
    municipality = django_filters.ModelChoiceFilter(
        queryset=visible(Municipality),
        label=_("Municipality"),
        widget=Picker(search_label=_("Find a municipality by name"), any_label=_("Any municipality")),
    )
    tag = django_filters.CharFilter(
        field_name="tags", method="filter_tag", label=_("Tag"), help_text=_("Case and accents do not matter.")
    )
    sector = django_filters.MultipleChoiceFilter(
        choices=Stakeholder.Sector.choices, distinct=False, widget=forms.CheckboxSelectMultiple, label=_("Sector")
    )
    level = django_filters.MultipleChoiceFilter(
        choices=Stakeholder.Level.choices, distinct=False, widget=forms.CheckboxSelectMultiple, label=_("Level")
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=Stakeholder.Kind.choices, distinct=False, widget=forms.CheckboxSelectMultiple, label=_("Kind")
    )
    coalition = RowIdFilter(
        field_name="memberships__coalition",
        queryset=visible(_chosen_through("memberships", "coalition")),
        method="filter_coalition",
        label=_("Member of coalition"),
        widget=Picker(search_label=_("Find a coalition by name"), any_label=_("Any coalition")),
    )
    initiative = RowIdFilter(
        field_name="assessments__initiative",
        queryset=visible(_chosen_through("assessments", "initiative")),
        method="filter_initiative",
        label=_("Assessed in initiative"),
        widget=Picker(search_label=_("Find an initiative by name"), any_label=_("Any initiative")),
    )
    stance = django_filters.MultipleChoiceFilter(
        field_name="assessments__stance",
        choices=[
            (-2, pgettext_lazy("stance", "Strongly opposed")),
            (-1, pgettext_lazy("stance", "Opposed")),
            (0, pgettext_lazy("stance", "Neutral")),
            (1, pgettext_lazy("stance", "Supportive")),
            (2, pgettext_lazy("stance", "Champion")),
        ],
        method="filter_stance",
        widget=forms.CheckboxSelectMultiple,
        label=_("Latest stance in the initiative"),
    )

    class Meta:
        model = Stakeholder
        fields = ["country", "sector", "level", "kind", "organisation"]

    def filter_region(self, queryset, name, value: Region):
        # A subquery rather than a join, so a stakeholder in two regions is listed once.
        return queryset.filter(pk__in=Stakeholder.regions.through.objects.filter(region=value).values("stakeholder"))

    def filter_tag(self, queryset, name, value: str):
        """Stakeholders with the tag of this name (folded: `Minería` finds `mineria`), among the visible tags."""
        tags = self.visible_rows(Tag).filter(key=fold(value))
        return queryset.filter(pk__in=Stakeholder.tags.through.objects.filter(tag__in=tags).values("stakeholder"))

    def filter_coalition(self, queryset, name, value):
        """Current members of the coalition, among the memberships the user may see."""
        members = self.visible_rows(_related("memberships")).filter(coalition_id=value, left_on__isnull=True)
        return queryset.filter(pk__in=members.values("stakeholder"))

    def filter_initiative(self, queryset, name, value):
        """Stakeholders assessed in the initiative, among the assessments the user may see (partners: none)."""
        if self.data.get("stance") not in (None, "", []):
            return queryset  # filter_stance applies the initiative together with the stance
        assessed = self.visible_rows(_related("assessments")).filter(initiative_id=value)
        return queryset.filter(pk__in=assessed.values("stakeholder"))

    def filter_stance(self, queryset, name, value):
        """Stakeholders whose latest assessment (in `initiative`, when given) has one of these stances.

        Read among the assessments the user may see: for a partner, none, so the answer is the one an
        initiative that does not exist gets.
        """
        if not value:
            return queryset
        assessments = self.visible_rows(_related("assessments")).latest()
        initiative = self.form.cleaned_data.get("initiative")
        if initiative:
            assessments = assessments.filter(initiative_id=initiative)
        return queryset.filter(pk__in=assessments.filter(stance__in=value).values("stakeholder"))


class ContactFilterSet(BaseFilterSet):
    search_fields = ("name", "email", "position")

    class Meta:
        model = Contact
        fields = ["stakeholder", "preferred_language"]


class RelationshipFilterSet(BaseFilterSet):
    search_fields = ("source__name", "target__name", "notes")
    kind = django_filters.MultipleChoiceFilter(choices=Relationship.Kind.choices, distinct=False)
    stakeholder = django_filters.ModelChoiceFilter(
        field_name="source", queryset=visible(Stakeholder), method="filter_stakeholder", label=_("Either end")
    )
    country = django_filters.ModelChoiceFilter(
        queryset=visible(Country), field_name="source__country", label=_("Country")
    )

    class Meta:
        model = Relationship
        fields = ["source", "target", "kind", "strength"]

    def filter_stakeholder(self, queryset, name, value):
        return queryset.filter(Q(source=value) | Q(target=value))
