import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.access import is_staff_member
from core.filters import BaseFilterSet, DateRangeFilter, ShortListChoiceFilter, visible
from countries.models import Country
from stakeholders.models import Stakeholder

from .models import Assessment, Coalition, Commitment, Engagement, Initiative, LearningNote, Membership, Outcome


class InitiativeFilterSet(BaseFilterSet):
    search_fields = ("name", "shared_objective", "shared_objective_es")
    page_filters = ("q", "country", "level", "phase")
    country = ShortListChoiceFilter(queryset=visible(Country), label=_("Country"))
    phase = django_filters.MultipleChoiceFilter(
        choices=Initiative.Phase.choices, distinct=False, widget=forms.CheckboxSelectMultiple
    )
    starts_on = DateRangeFilter()

    class Meta:
        model = Initiative
        fields = ["country", "level", "phase", "is_public", "lead"]


class AssessmentFilterSet(BaseFilterSet):
    search_fields = ("stakeholder__name", "rationale")
    assessed_on = DateRangeFilter()
    stance = django_filters.MultipleChoiceFilter(choices=Assessment.Stance.choices, distinct=False)
    latest = django_filters.BooleanFilter(method="filter_latest", label=_("Latest per stakeholder only"))

    class Meta:
        model = Assessment
        fields = ["stakeholder", "initiative", "stance"]

    def filter_latest(self, queryset, name, value):
        return queryset.latest() if value else queryset


class CoalitionFilterSet(BaseFilterSet):
    search_fields = ("name", "shared_goal", "shared_goal_es")
    page_filters = ("q", "country", "initiative", "status", "level")
    status = django_filters.MultipleChoiceFilter(
        choices=Coalition.Status.choices, distinct=False, widget=forms.CheckboxSelectMultiple
    )
    level = django_filters.MultipleChoiceFilter(
        choices=Coalition.Level.choices, distinct=False, widget=forms.CheckboxSelectMultiple
    )
    country = ShortListChoiceFilter(
        field_name="initiative__country",
        queryset=visible(Country),
        empty_label=_("All countries"),
        label=_("Country"),
    )
    formed_on = DateRangeFilter()

    class Meta:
        model = Coalition
        fields = ["initiative", "status", "level", "parent", "is_public"]


class MembershipFilterSet(BaseFilterSet):
    search_fields = ("stakeholder__name",)
    role = django_filters.MultipleChoiceFilter(choices=Membership.Role.choices, distinct=False)
    is_open = django_filters.BooleanFilter(field_name="left_on", lookup_expr="isnull", label=_("Open"))
    joined_on = DateRangeFilter()

    class Meta:
        model = Membership
        fields = ["coalition", "stakeholder", "role"]


class CommitmentFilterSet(BaseFilterSet):
    search_fields = ("description", "evidence")
    page_filters = ("q", "status")  # the partner portal's list of its own commitments
    status = django_filters.MultipleChoiceFilter(choices=Commitment.Status.choices, distinct=False)
    due_on = DateRangeFilter()

    class Meta:
        model = Commitment
        fields = ["coalition", "owner", "status"]


class EngagementFilterSet(BaseFilterSet):
    search_fields = ("title", "summary")
    kind = django_filters.MultipleChoiceFilter(choices=Engagement.Kind.choices, distinct=False)
    occurred_on = DateRangeFilter()
    follow_up_on = DateRangeFilter()
    participant = django_filters.NumberFilter(
        field_name="participants", method="filter_participant", label=_("Participant")
    )

    class Meta:
        model = Engagement
        fields = ["coalition", "initiative", "kind"]

    def filter_participant(self, queryset, name, value):
        """Engagements with this participant, if the user may see the participant (else none, as for no one)."""
        participant = self.visible_rows(Stakeholder).filter(pk=value)
        return queryset.filter(
            pk__in=Engagement.participants.through.objects.filter(stakeholder__in=participant).values("engagement")
        )


class OutcomeFilterSet(BaseFilterSet):
    search_fields = ("description", "significance", "contribution")
    change_type = django_filters.MultipleChoiceFilter(choices=Outcome.ChangeType.choices, distinct=False)
    observed_on = DateRangeFilter()

    class Meta:
        model = Outcome
        fields = ["coalition", "change_type"]


def note_authors(request: HttpRequest | None) -> QuerySet:
    """The `author` choices: who wrote the notes the user may read, for staff; for anyone else, nobody.

    The API shows no author, so a partner may not learn who wrote a note (or which user ids exist)
    through the filter either.
    """
    user = getattr(request, "user", None)
    User = get_user_model()
    if not is_staff_member(user):
        return User.objects.none()
    return User.objects.filter(pk__in=LearningNote.objects.visible_to(user).values("author"))


class LearningNoteFilterSet(BaseFilterSet):
    search_fields = ("title", "body")
    page_filters = ("q", "coalition")  # the partner portal's learning shared with them
    author = django_filters.ModelChoiceFilter(queryset=note_authors)
    created_at = DateRangeFilter()

    class Meta:
        model = LearningNote
        fields = ["coalition", "initiative", "author"]
