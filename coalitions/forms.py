"""Staff forms. Every choice of initiative or coalition is limited to what the user may edit."""

from dataclasses import dataclass, field

from django import forms
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ValidatedModelForm, offer_only
from core.parsing import parse_id
from core.validation import constraint_message
from countries.models import Country, Region
from stakeholders.models import Stakeholder

from .models import Assessment, Coalition, Commitment, Engagement, Initiative, LearningNote, Membership, Outcome

#: How many stakeholders one picker search shows; people refine the search rather than scroll.
PICKER_LIMIT = 25
#: Form fields that use the stakeholder picker; the search endpoint accepts only these names.
PICKER_FIELDS = ("members", "participants", "actors")


class DateInput(forms.DateInput):
    """The browser's date picker; the value is ISO, which every locale's input formats accept."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class StakeholderPickerField(forms.ModelMultipleChoiceField):
    """Stakeholders chosen with the search picker (coalitions/includes/picker.html).

    The template lists only the chosen ones, suggestions and search matches, never the whole
    directory; validation still accepts any stakeholder in the queryset.
    """

    widget = forms.CheckboxSelectMultiple


def _editable_scope(form: forms.Form, user) -> None:
    """Limit the initiative and coalition choices of a form to those the user may edit."""
    if "initiative" in form.fields:
        form.fields["initiative"].queryset = Initiative.objects.editable_by(user).select_related("country")
    if "coalition" in form.fields:
        form.fields["coalition"].queryset = Coalition.objects.editable_by(user)


class InitiativeForm(ValidatedModelForm):
    class Meta:
        model = Initiative
        fields = [
            "name",
            "country",
            "level",
            "phase",
            "shared_objective",
            "regions",
            "starts_on",
            "ends_on",
            "lead",
            "is_public",
        ]
        widgets = {"starts_on": DateInput, "ends_on": DateInput, "shared_objective": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        countries = Country.objects.editable_by(user)
        self.fields["country"].queryset = countries
        self.fields["regions"].queryset = Region.objects.visible_to(user)
        offer_only(self.fields["regions"], Region.objects.filter(country__in=countries).order_by("country", "name"))
        self.fields["lead"].queryset = Stakeholder.objects.visible_to(user).filter(country__in=countries)


class CoalitionForm(ValidatedModelForm):
    class Meta:
        model = Coalition
        fields = ["name", "initiative", "level", "status", "shared_goal", "regions", "parent", "formed_on", "is_public"]
        widgets = {"formed_on": DateInput, "shared_goal": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _editable_scope(self, user)
        self.fields["regions"].queryset = Region.objects.visible_to(user)
        offer_only(self.fields["regions"], Region.objects.editable_by(user).order_by("country", "name"))
        parents = Coalition.objects.editable_by(user)
        self.fields["parent"].queryset = parents
        if self.instance.pk:
            offer_only(self.fields["parent"], parents.exclude(pk=self.instance.pk))


class CoalitionCreateForm(CoalitionForm):
    """A coalition and its first members on one page."""

    members = StakeholderPickerField(queryset=Stakeholder.objects.none(), required=False, label=_("First members"))
    member_role = forms.ChoiceField(
        label=_("Role of these members"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
    joined_on = forms.DateField(
        label=_("Joined on"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty to use the formation date, or today."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["members"].queryset = Stakeholder.objects.visible_to(user)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("joined_on"):
            cleaned["joined_on"] = cleaned.get("formed_on") or timezone.localdate()
        return cleaned


class MembershipForm(ValidatedModelForm):
    class Meta:
        model = Membership
        fields = ["stakeholder", "role", "joined_on"]
        widgets = {"joined_on": DateInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = Stakeholder.objects.visible_to(user).select_related("country")
        self.fields["joined_on"].initial = timezone.localdate


class MembershipRoleForm(ValidatedModelForm):
    """A member's role changes over time (a member becomes a champion); the join date can be corrected."""

    class Meta:
        model = Membership
        fields = ["role", "joined_on"]
        widgets = {"joined_on": DateInput}


class MembershipEndForm(ValidatedModelForm):
    """Ending a membership keeps the row, so the coalition's history shows who left and when."""

    class Meta:
        model = Membership
        fields = ["left_on"]
        widgets = {"left_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].required = True
        self.fields["left_on"].initial = timezone.localdate


class CommitmentForm(ValidatedModelForm):
    class Meta:
        model = Commitment
        fields = ["owner", "description", "due_on", "status", "evidence"]
        widgets = {
            "due_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, coalition: Coalition, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Stakeholder.objects.visible_to(user)
        self.fields["owner"].queryset = visible
        offer_only(
            self.fields["owner"],
            visible.filter(
                Q(country_id=coalition.initiative.country_id) | Q(memberships__coalition=coalition)
            ).distinct(),
        )


class EngagementForm(ValidatedModelForm):
    participants = StakeholderPickerField(queryset=Stakeholder.objects.none(), required=False, label=_("Participants"))

    class Meta:
        model = Engagement
        fields = [
            "title",
            "kind",
            "occurred_on",
            "coalition",
            "initiative",
            "participants",
            "summary",
            "agreements",
            "follow_up_on",
            "follow_up",
        ]
        widgets = {
            "occurred_on": DateInput,
            "follow_up_on": DateInput,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "agreements": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _editable_scope(self, user)
        self.fields["participants"].queryset = Stakeholder.objects.visible_to(user)
        self.fields["occurred_on"].initial = timezone.localdate
        # Choosing the coalition refreshes the picker with its members (HTMX; a no-op without JavaScript).
        self.fields["coalition"].widget.attrs.update(
            {
                "hx-get": reverse("coalitions:stakeholder_picker", kwargs={"field": "participants"}),
                "hx-trigger": "change",
                "hx-target": "#participants-options",
                "hx-swap": "outerHTML",
                "hx-include": "#participants-picker",
            }
        )


def _https_by_default(model_field, **kwargs):
    """Links typed without a scheme are taken as https (Django 6's default, chosen now)."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class OutcomeForm(ValidatedModelForm):
    actors = StakeholderPickerField(queryset=Stakeholder.objects.none(), required=False, label=_("Actors who changed"))

    class Meta:
        model = Outcome
        fields = ["description", "change_type", "observed_on", "actors", "significance", "contribution", "evidence_url"]
        formfield_callback = _https_by_default
        widgets = {
            "observed_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
            "significance": forms.Textarea(attrs={"rows": 2}),
            "contribution": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actors"].queryset = Stakeholder.objects.visible_to(user)


class LearningNoteForm(ValidatedModelForm):
    class Meta:
        model = LearningNote
        fields = ["title", "body", "coalition", "initiative", "shared_with"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _editable_scope(self, user)
        self.fields["shared_with"].queryset = Coalition.objects.visible_to(user)


SCORE_CHOICES = [
    ("", "---------"),
    (1, _("1 · very low")),
    (2, _("2 · low")),
    (3, _("3 · medium")),
    (4, _("4 · high")),
    (5, _("5 · very high")),
]


def assessable_stakeholders(*, initiative: Initiative, user):
    """Actors of the initiative's country, and any actor already assessed in it (`Assessment.clean`)."""
    return (
        Stakeholder.objects.visible_to(user)
        .filter(Q(country_id=initiative.country_id) | Q(assessments__initiative=initiative))
        .distinct()
    )


def score_field(name: str, label, help_text) -> forms.TypedChoiceField:
    """A 1-5 score as a choice; a value off the scale gets the message of the model's constraint."""
    message = constraint_message(Assessment, f"assessment_{name}_1_5")
    return forms.TypedChoiceField(
        label=label, choices=SCORE_CHOICES, coerce=int, help_text=help_text, error_messages={"invalid_choice": message}
    )


class AssessmentForm(ValidatedModelForm):
    power = score_field("power", _("Power"), _("Ability to make or block change."))
    interest = score_field("interest", _("Interest"), _("How much the shared objective matters to the actor."))
    capabilities = score_field("capabilities", _("Capabilities"), _("Resources, skills and reach."))

    class Meta:
        model = Assessment
        fields = ["stakeholder", "assessed_on", "power", "interest", "capabilities", "stance", "rationale"]
        widgets = {"assessed_on": DateInput, "rationale": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = Stakeholder.objects.visible_to(user)
        offer_only(self.fields["stakeholder"], assessable_stakeholders(initiative=self.instance.initiative, user=user))
        self.fields["assessed_on"].initial = timezone.localdate


class MapFilterForm(forms.Form):
    """The sector filter of the stakeholder map (GET)."""

    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Stakeholder.Sector.choices]
    )


@dataclass
class Picker:
    """What the picker template needs: its field, the options to show and the search as typed."""

    name: str
    label: str
    options: list[tuple[Stakeholder, bool]]
    query: str = ""
    suggest: int | None = None
    errors: list = field(default_factory=list)
    help_text: str = ""


def picker_ids(values) -> list[int]:
    ids = (parse_id(getattr(value, "pk", value)) for value in values or ())
    return [id_ for id_ in ids if id_ is not None]


def picker_options(
    *, user, selected_ids: list[int], query: str = "", suggest_coalition_id: int | None = None
) -> list[tuple[Stakeholder, bool]]:
    """Chosen stakeholders first (checked), then search matches, or the coalition's members as suggestions.

    Three queries at most, whatever the size of the directory.
    """
    visible = Stakeholder.objects.visible_to(user).select_related("country")
    chosen = list(visible.filter(pk__in=selected_ids)) if selected_ids else []
    others = visible.none()
    query = query.strip()
    if query:
        others = visible.filter(Q(name__icontains=query) | Q(acronym__icontains=query))
    elif suggest_coalition_id and Coalition.objects.visible_to(user).filter(pk=suggest_coalition_id).exists():
        others = visible.filter(
            memberships__coalition_id=suggest_coalition_id, memberships__left_on__isnull=True
        ).distinct()
    others = list(others.exclude(pk__in=selected_ids)[:PICKER_LIMIT]) if query or suggest_coalition_id else []
    return [(stakeholder, True) for stakeholder in chosen] + [(stakeholder, False) for stakeholder in others]


def build_picker(form: forms.BaseForm, name: str, *, user, query: str = "", suggest: int | None = None) -> Picker:
    bound = form[name]
    return Picker(
        name=name,
        label=str(bound.label),
        options=picker_options(
            user=user, selected_ids=picker_ids(bound.value()), query=query, suggest_coalition_id=suggest
        ),
        query=query,
        suggest=suggest,
        errors=bound.errors,
        help_text=str(bound.help_text or ""),
    )


def initial_from_data(form_class: type[forms.BaseForm], data) -> dict:
    """Turn posted data into `initial`, to redisplay a form after a picker search without showing errors."""
    initial = {}
    for name, form_field in form_class.base_fields.items():
        if isinstance(form_field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            initial[name] = data.getlist(name)
        elif name in data:
            initial[name] = data.get(name)
    return initial
