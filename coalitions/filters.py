import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import BaseFilterSet

from .models import Assessment, Coalition, Commitment, Engagement, Initiative, LearningNote, Membership, Outcome


class InitiativeFilterSet(BaseFilterSet):
    search_fields = ("name", "shared_objective")
    phase = django_filters.MultipleChoiceFilter(choices=Initiative.Phase.choices)
    starts_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Initiative
        fields = ["country", "level", "phase", "is_public", "lead"]


class AssessmentFilterSet(BaseFilterSet):
    search_fields = ("stakeholder__name", "rationale")
    assessed_on = django_filters.DateFromToRangeFilter()
    stance = django_filters.MultipleChoiceFilter(choices=Assessment.Stance.choices)
    latest = django_filters.BooleanFilter(method="filter_latest", label=_("Latest per stakeholder only"))

    class Meta:
        model = Assessment
        fields = ["stakeholder", "initiative", "stance"]

    def filter_latest(self, queryset, name, value):
        return queryset.latest() if value else queryset


class CoalitionFilterSet(BaseFilterSet):
    search_fields = ("name", "shared_goal")
    status = django_filters.MultipleChoiceFilter(choices=Coalition.Status.choices)
    level = django_filters.MultipleChoiceFilter(choices=Coalition.Level.choices)
    country = django_filters.NumberFilter(field_name="initiative__country", label=_("Country"))
    formed_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Coalition
        fields = ["initiative", "status", "level", "parent", "is_public"]


class MembershipFilterSet(BaseFilterSet):
    search_fields = ("stakeholder__name",)
    role = django_filters.MultipleChoiceFilter(choices=Membership.Role.choices)
    is_open = django_filters.BooleanFilter(field_name="left_on", lookup_expr="isnull", label=_("Open"))
    joined_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Membership
        fields = ["coalition", "stakeholder", "role"]


class CommitmentFilterSet(BaseFilterSet):
    search_fields = ("description", "evidence")
    status = django_filters.MultipleChoiceFilter(choices=Commitment.Status.choices)
    due_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Commitment
        fields = ["coalition", "owner", "status"]


class EngagementFilterSet(BaseFilterSet):
    search_fields = ("title", "summary")
    kind = django_filters.MultipleChoiceFilter(choices=Engagement.Kind.choices)
    occurred_on = django_filters.DateFromToRangeFilter()
    follow_up_on = django_filters.DateFromToRangeFilter()
    participant = django_filters.NumberFilter(method="filter_participant", label=_("Participant"))

    class Meta:
        model = Engagement
        fields = ["coalition", "initiative", "kind"]

    def filter_participant(self, queryset, name, value):
        return queryset.filter(
            pk__in=Engagement.participants.through.objects.filter(stakeholder=value).values("engagement")
        )


class OutcomeFilterSet(BaseFilterSet):
    search_fields = ("description", "significance", "contribution")
    change_type = django_filters.MultipleChoiceFilter(choices=Outcome.ChangeType.choices)
    observed_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Outcome
        fields = ["coalition", "change_type"]


class LearningNoteFilterSet(BaseFilterSet):
    search_fields = ("title", "body")
    created_at = django_filters.DateFromToRangeFilter()

    class Meta:
        model = LearningNote
        fields = ["coalition", "initiative", "author"]
