import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import BaseFilterSet
from countries.models import Country, Region

from .models import Contact, Relationship, Stakeholder


class StakeholderFilterSet(BaseFilterSet):
    search_fields = ("name", "acronym")

    country = django_filters.ModelChoiceFilter(queryset=Country.objects.all(), label=_("Country"))
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.all(), method="filter_region", label=_("Region"))
    sector = django_filters.MultipleChoiceFilter(choices=Stakeholder.Sector.choices, label=_("Sector"))
    level = django_filters.MultipleChoiceFilter(choices=Stakeholder.Level.choices, label=_("Level"))
    kind = django_filters.MultipleChoiceFilter(choices=Stakeholder.Kind.choices, label=_("Kind"))
    coalition = django_filters.NumberFilter(method="filter_coalition", label=_("Member of coalition"))
    initiative = django_filters.NumberFilter(method="filter_initiative", label=_("Assessed in initiative"))
    stance = django_filters.MultipleChoiceFilter(
        choices=[
            (-2, _("Strongly opposed")),
            (-1, _("Opposed")),
            (0, _("Neutral")),
            (1, _("Supportive")),
            (2, _("Champion")),
        ],
        method="filter_stance",
        label=_("Latest stance in the initiative"),
    )

    class Meta:
        model = Stakeholder
        fields = ["country", "sector", "level", "kind", "organisation"]

    def filter_region(self, queryset, name, value: Region):
        # A subquery rather than a join, so a stakeholder in two regions is listed once.
        return queryset.filter(pk__in=Stakeholder.regions.through.objects.filter(region=value).values("stakeholder"))

    def filter_coalition(self, queryset, name, value):
        return queryset.filter(
            pk__in=Stakeholder.objects.filter(
                memberships__coalition_id=value, memberships__left_on__isnull=True
            ).values("pk")
        )

    def filter_initiative(self, queryset, name, value):
        if self.data.get("stance") not in (None, "", []):
            return queryset  # filter_stance applies the initiative together with the stance
        return queryset.filter(pk__in=Stakeholder.objects.filter(assessments__initiative_id=value).values("pk"))

    def filter_stance(self, queryset, name, value):
        """Stakeholders whose latest assessment (in `initiative`, when given) has one of these stances."""
        from django.apps import apps  # coalitions sits above this app; resolve it lazily, not by import

        if not value:
            return queryset
        assessments = apps.get_model("coalitions", "Assessment").objects.latest()
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
    kind = django_filters.MultipleChoiceFilter(choices=Relationship.Kind.choices)
    stakeholder = django_filters.NumberFilter(method="filter_stakeholder", label=_("Either end"))
    country = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(), field_name="source__country", label=_("Country")
    )

    class Meta:
        model = Relationship
        fields = ["source", "target", "kind", "strength"]

    def filter_stakeholder(self, queryset, name, value):
        return queryset.filter(Q(source_id=value) | Q(target_id=value))
