"""Staff forms. Every choice of initiative or coalition is limited to what the user may edit."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import is_staff_member
from core.forms import DateField, RowChoiceField, RowsChoiceField, ValidatedModelForm, offer_only
from core.pickers import Picker
from core.validation import constraint_message
from countries.models import Country, Region
from stakeholders.forms import stakeholder_picker
from stakeholders.models import Stakeholder

from .models import Assessment, Coalition, Commitment, Engagement, Initiative, LearningNote, Membership, Outcome
from .moves import dates_error
from .rollup import Period, period_error, period_of


def stakeholders_field(label, **kwargs) -> RowsChoiceField:
    """Stakeholders chosen with the record picker; the form scopes its queryset to the visible ones."""
    return RowsChoiceField(
        queryset=Stakeholder.objects.none(),
        required=False,
        label=label,
        widget=stakeholder_picker(multiple=True, **kwargs),
    )


def regions_picker(**kwargs) -> Picker:
    """Regions are a long list (every department and municipality): chosen with the record picker."""
    return Picker(multiple=True, search_label=_("Find a region by name"), **kwargs)


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
            "shared_objective_es",
            "regions",
            "starts_on",
            "ends_on",
            "lead",
            "is_public",
        ]
        widgets = {
            "shared_objective": forms.Textarea(attrs={"rows": 3}),
            "shared_objective_es": forms.Textarea(attrs={"rows": 3, "lang": "es"}),
            # The actors of the country chosen above (`Initiative.clean`), refreshed when it changes.
            "lead": stakeholder_picker(limit=("country",), any_label=_("No lead yet")),
            # The regions of the country chosen above (`Initiative.clean`), refreshed when it changes.
            "regions": regions_picker(limit=("country",)),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        countries = Country.objects.editable_by(user)
        self.fields["country"].queryset = countries
        self.fields["regions"].queryset = Region.objects.visible_to(user)
        self.fields["regions"].widget.followed_values = {"country": self["country"].value()}
        self.fields["lead"].queryset = Stakeholder.objects.visible_to(user)
        self.fields["lead"].widget.followed_values = {"country": self["country"].value()}


class CoalitionForm(ValidatedModelForm):
    class Meta:
        model = Coalition
        fields = [
            "name",
            "initiative",
            "level",
            "status",
            "shared_goal",
            "shared_goal_es",
            "regions",
            "parent",
            "formed_on",
            "is_public",
        ]
        widgets = {
            "shared_goal": forms.Textarea(attrs={"rows": 3}),
            "shared_goal_es": forms.Textarea(attrs={"rows": 3, "lang": "es"}),
            # The regions of the initiative's country (`Coalition.clean`); before an initiative is
            # known, those of the countries the user may edit.
            "regions": regions_picker(limit=("country",)),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _editable_scope(self, user)
        self.fields["regions"].queryset = Region.objects.visible_to(user)
        countries = (
            [self.instance.initiative.country_id]
            if self.instance.initiative_id
            else list(Country.objects.editable_by(user).values_list("pk", flat=True))
        )
        self.fields["regions"].widget.limit_values = {"country": countries}
        parents = Coalition.objects.editable_by(user)
        self.fields["parent"].queryset = parents
        if self.instance.pk:
            offer_only(self.fields["parent"], parents.exclude(pk=self.instance.pk))


class CoalitionCreateForm(CoalitionForm):
    """A coalition and its first members on one page."""

    members = stakeholders_field(_("First members"))
    member_role = forms.ChoiceField(
        label=_("Role of these members"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
    joined_on = DateField(
        label=_("Joined on"),
        required=False,
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
        widgets = {"stakeholder": stakeholder_picker()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = Stakeholder.objects.visible_to(user)
        self.fields["joined_on"].initial = timezone.localdate


class MembershipRoleForm(ValidatedModelForm):
    """A member's role changes over time (a member becomes a champion); the join date can be corrected."""

    class Meta:
        model = Membership
        fields = ["role", "joined_on"]


class MembershipEndForm(ValidatedModelForm):
    """Ending a membership keeps the row, so the coalition's history shows who left and when."""

    class Meta:
        model = Membership
        fields = ["left_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].required = True
        self.fields["left_on"].initial = timezone.localdate


class CommitmentForm(ValidatedModelForm):
    class Meta:
        model = Commitment
        fields = ["owner", "description", "due_on", "status", "evidence"]
        widgets = {
            # The coalition's current members are suggested.
            "owner": stakeholder_picker(suggest=("coalition",)),
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, coalition: Coalition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Stakeholder.objects.visible_to(user)
        self.fields["owner"].widget.suggest_values = {"coalition": coalition.pk}


class EngagementForm(ValidatedModelForm):
    # The coalition chosen in the form suggests its current members.
    participants = stakeholders_field(_("Participants"), suggest=("coalition",))
    all_members = forms.BooleanField(
        label=_("All current members of the coalition took part"),
        required=False,
        help_text=_("Adds every current member to the participants chosen above."),
    )

    class Meta:
        model = Engagement
        fields = [
            "title",
            "kind",
            "occurred_on",
            "coalition",
            "initiative",
            "participants",
            "all_members",
            "summary",
            "agreements",
            "follow_up_on",
            "follow_up",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "agreements": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _editable_scope(self, user)
        self.user = user
        self.fields["participants"].queryset = Stakeholder.objects.visible_to(user)
        self.fields["occurred_on"].initial = timezone.localdate
        if "initiative" in self.fields:
            self.fields["initiative"].help_text = _(
                "Only for an engagement of the initiative as a whole: with a coalition, its initiative is used."
            )

    def members_coalition(self) -> Coalition | None:
        """The coalition whose members "all members" adds: the one chosen in the form."""
        return self.cleaned_data.get("coalition")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("all_members"):
            coalition = self.members_coalition()
            if coalition is None:
                self.add_error("all_members", _("Choose the coalition whose members took part."))
            else:
                # The members the user may see; the ones chosen by hand stay chosen.
                members = Stakeholder.objects.visible_to(self.user).filter(
                    memberships__in=Membership.objects.filter(coalition=coalition).open()
                )
                cleaned["participants"] = list(
                    {row.pk: row for row in [*cleaned.get("participants", []), *members]}.values()
                )
        return cleaned


class OutcomeForm(ValidatedModelForm):
    actors = stakeholders_field(_("Actors who changed"), suggest=("coalition",))

    class Meta:
        model = Outcome
        fields = [
            "description",
            "change_type",
            "observed_on",
            "actors",
            "significance",
            "contribution",
            "evidence_url",
            "is_public",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "significance": forms.Textarea(attrs={"rows": 2}),
            "contribution": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actors"].queryset = Stakeholder.objects.visible_to(user)
        if not is_staff_member(user):
            # Publishing on the public site is the program team's decision (the API offers it to nobody).
            del self.fields["is_public"]
        # The outcome's coalition suggests its members as the actors.
        self.fields["actors"].widget.suggest_values = {"coalition": self.instance.coalition_id}


class LearningNoteForm(ValidatedModelForm):
    class Meta:
        model = LearningNote
        fields = ["title", "body", "coalition", "initiative", "shared_with", "is_public"]
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
        widgets = {
            "rationale": forms.Textarea(attrs={"rows": 3}),
            # The actors of the initiative's country (`Assessment.clean`).
            "stakeholder": stakeholder_picker(limit=("country",)),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = Stakeholder.objects.visible_to(user)
        self.fields["stakeholder"].widget.limit_values = {"country": self.instance.initiative.country_id}
        self.fields["assessed_on"].initial = timezone.localdate


class MapFilterForm(forms.Form):
    """The stakeholder map's filter (GET): a sector, the date the map shows and the date to compare it with."""

    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Stakeholder.Sector.choices]
    )
    as_of = DateField(
        label=_("As of"),
        required=False,
        help_text=_("Each actor as last assessed on or before this date (today if empty)."),
    )
    since = DateField(
        label=_("Compare with"),
        required=False,
        help_text=_("Show how far each actor moved since this date."),
    )

    def clean(self):
        cleaned = super().clean()
        error = dates_error(as_of=cleaned.get("as_of"), since=cleaned.get("since"))
        if error:
            self.add_error("since", error)
        return cleaned


class RollupPeriodForm(forms.Form):
    """The roll-up's period (GET): both days included, the last 365 days when left empty."""

    start = DateField(label=_("From"), required=False, help_text=_("365 days before the end if empty."))
    end = DateField(label=_("To"), required=False, help_text=_("Today if empty."))

    def clean(self):
        cleaned = super().clean()
        error = period_error(start=cleaned.get("start"), end=cleaned.get("end"))
        if error:
            self.add_error("end", error)
        return cleaned

    def period(self) -> Period:
        """The period asked for: the valid dates, the defaults for the rest."""
        self.is_valid()
        chosen = getattr(self, "cleaned_data", {})
        if self.errors:
            return Period.default()
        return period_of(start=chosen.get("start"), end=chosen.get("end"))


class NetworkScopeForm(forms.Form):
    """The country or initiative whose relationship network a page shows (GET), and the colouring.

    Initiatives are a long list (every country's, growing with the program): chosen with the record
    picker, so the page reads the chosen one and the matches of a search, never the whole table;
    the few countries are a select. Only rendered: the pages read their scope with
    `coalitions.network.network_scope`, which also decides the defaults.
    """

    country = forms.ChoiceField(label=_("Country"))
    initiative = RowChoiceField(
        queryset=Initiative.objects.none(),
        required=False,
        label=_("or initiative"),
        widget=Picker(
            search_label=_("Find an initiative by name"), any_label=_("No initiative: the country's network")
        ),
    )
    colour = forms.ChoiceField(
        label=_("Colour nodes by"),
        choices=[("sector", _("Sector")), ("stance", _("Stance in the initiative"))],
    )

    def __init__(self, *, user, country, initiative, colour_by=None, search: str = "", colours: bool = False):
        # Not bound: the choices show the scope the page shows (the user's team country when none
        # was asked for), and rendering validates nothing (no query for the chosen initiative twice).
        shown = None if initiative or country is None else country.pk
        super().__init__(initial={"country": shown, "initiative": initiative, "colour": colour_by})
        # Listed once (a select of a model's rows reads them twice: for its `required` attribute too).
        self.fields["country"].choices = [(row.pk, row.display_name) for row in Country.objects.visible_to(user)]
        self.fields["initiative"].queryset = Initiative.objects.visible_to(user)
        # The search typed for the no-JavaScript path, which a bound picker reads from the form's data.
        self.fields["initiative"].widget.query = search
        if not colours:
            del self.fields["colour"]
