"""Staff forms. Every choice of initiative or coalition is limited to what the user may edit."""

from dataclasses import dataclass, field

from django import forms
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


class InitiativeForm(forms.ModelForm):
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
        self.fields["regions"].queryset = Region.objects.filter(country__in=countries).order_by("country", "name")
        self.fields["lead"].queryset = Stakeholder.objects.visible_to(user).filter(country__in=countries)

    def clean(self):
        cleaned = super().clean()
        country, regions = cleaned.get("country"), cleaned.get("regions")
        if country and regions and any(region.country_id != country.pk for region in regions):
            self.add_error("regions", _("Choose regions of the initiative's country."))
        return cleaned


class CoalitionForm(forms.ModelForm):
    class Meta:
        model = Coalition
        fields = ["name", "initiative", "level", "status", "shared_goal", "regions", "parent", "formed_on", "is_public"]
        widgets = {"formed_on": DateInput, "shared_goal": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _editable_scope(self, user)
        self.fields["regions"].queryset = Region.objects.editable_by(user).order_by("country", "name")
        parents = Coalition.objects.editable_by(user)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents

    def clean(self):
        cleaned = super().clean()
        initiative, regions, parent = cleaned.get("initiative"), cleaned.get("regions"), cleaned.get("parent")
        if initiative and regions and any(region.country_id != initiative.country_id for region in regions):
            self.add_error("regions", _("Choose regions of the initiative's country."))
        if parent and self.instance.pk:
            ancestor, seen = parent, set()
            while ancestor is not None and ancestor.pk not in seen:
                if ancestor.pk == self.instance.pk:
                    self.add_error("parent", _("A coalition cannot be linked under one of its own local coalitions."))
                    break
                seen.add(ancestor.pk)
                ancestor = ancestor.parent
        return cleaned


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


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["stakeholder", "role", "joined_on"]
        widgets = {"joined_on": DateInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = Stakeholder.objects.visible_to(user).select_related("country")
        self.fields["joined_on"].initial = timezone.localdate

    def clean_stakeholder(self):
        stakeholder = self.cleaned_data["stakeholder"]
        if Membership.objects.open().filter(coalition=self.instance.coalition, stakeholder=stakeholder).exists():
            raise forms.ValidationError(_("This stakeholder is already a member of this coalition."))
        return stakeholder


class MembershipRoleForm(forms.ModelForm):
    """A member's role changes over time (a member becomes a champion); the join date can be corrected."""

    class Meta:
        model = Membership
        fields = ["role", "joined_on"]
        widgets = {"joined_on": DateInput}

    def clean_joined_on(self):
        joined_on = self.cleaned_data["joined_on"]
        if self.instance.left_on and joined_on > self.instance.left_on:
            raise forms.ValidationError(_("A member cannot leave before joining."))
        return joined_on


class MembershipEndForm(forms.ModelForm):
    """Ending a membership keeps the row, so the coalition's history shows who left and when."""

    class Meta:
        model = Membership
        fields = ["left_on"]
        widgets = {"left_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].required = True
        self.fields["left_on"].initial = timezone.localdate

    def clean_left_on(self):
        left_on = self.cleaned_data["left_on"]
        if left_on < self.instance.joined_on:
            raise forms.ValidationError(_("A member cannot leave before joining."))
        return left_on


class CommitmentForm(forms.ModelForm):
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
        self.fields["owner"].queryset = (
            Stakeholder.objects.visible_to(user)
            .filter(Q(country_id=coalition.initiative.country_id) | Q(memberships__coalition=coalition))
            .distinct()
        )


class EngagementForm(forms.ModelForm):
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

    def clean(self):
        cleaned = super().clean()
        coalition, initiative = cleaned.get("coalition"), cleaned.get("initiative")
        if coalition and initiative and coalition.initiative_id != initiative.pk:
            self.add_error("initiative", _("This coalition belongs to another initiative."))
        occurred_on, follow_up_on = cleaned.get("occurred_on"), cleaned.get("follow_up_on")
        if occurred_on and follow_up_on and follow_up_on < occurred_on:
            self.add_error("follow_up_on", _("The follow-up cannot be due before the engagement took place."))
        return cleaned


def _https_by_default(model_field, **kwargs):
    """Links typed without a scheme are taken as https (Django 6's default, chosen now)."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class OutcomeForm(forms.ModelForm):
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


class LearningNoteForm(forms.ModelForm):
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
    """Actors of the initiative's country, and any actor already assessed in it."""
    return (
        Stakeholder.objects.visible_to(user)
        .filter(Q(country_id=initiative.country_id) | Q(assessments__initiative=initiative))
        .distinct()
    )


class AssessmentForm(forms.ModelForm):
    power = forms.TypedChoiceField(
        label=_("Power"), choices=SCORE_CHOICES, coerce=int, help_text=_("Ability to make or block change.")
    )
    interest = forms.TypedChoiceField(
        label=_("Interest"),
        choices=SCORE_CHOICES,
        coerce=int,
        help_text=_("How much the shared objective matters to the actor."),
    )
    capabilities = forms.TypedChoiceField(
        label=_("Capabilities"), choices=SCORE_CHOICES, coerce=int, help_text=_("Resources, skills and reach.")
    )

    class Meta:
        model = Assessment
        fields = ["stakeholder", "assessed_on", "power", "interest", "capabilities", "stance", "rationale"]
        widgets = {"assessed_on": DateInput, "rationale": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = assessable_stakeholders(initiative=self.instance.initiative, user=user)
        self.fields["assessed_on"].initial = timezone.localdate

    def clean(self):
        cleaned = super().clean()
        stakeholder, assessed_on = cleaned.get("stakeholder"), cleaned.get("assessed_on")
        if (
            stakeholder
            and assessed_on
            and Assessment.objects.filter(
                stakeholder=stakeholder, initiative=self.instance.initiative, assessed_on=assessed_on
            ).exists()
        ):
            self.add_error(
                "assessed_on", _("This stakeholder already has an assessment in this initiative on that date.")
            )
        return cleaned


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
    ids = []
    for value in values or ():
        value = getattr(value, "pk", value)
        if str(value).isdigit():
            ids.append(int(value))
    return ids


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
