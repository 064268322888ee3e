import django_otp
from django import forms
from django.contrib.auth import password_validation
from django.core import signing
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.forms import RowChoiceField, ValidatedModelForm
from core.history.recording import recorded_models
from countries.models import Country
from stakeholders.models import Stakeholder

from .models import Invitation, SavedFilter, User


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))


def normalise_code(value: str) -> str:
    """Codes as people type them: spaces and dashes dropped, recovery codes in any case."""
    return "".join(value.split()).replace("-", "").lower()


class CodeField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Code"))
        kwargs.setdefault("max_length", 20)
        widget = forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True})
        super().__init__(widget=widget, **kwargs)


class TwoFactorCodeForm(forms.Form):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""

    code = CodeField(help_text=_("The 6-digit code your authenticator app shows, or one of your recovery codes."))

    error_messages = {
        "invalid": _("That code is not valid. Check the time on your phone, or use a recovery code."),
        "throttled": _("Too many wrong codes in a row: wait a few seconds, then try again."),
    }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        # Six digits are an authenticator code; anything else can only be a recovery code.
        model = TOTPDevice if code.isascii() and code.isdigit() and len(code) == 6 else StaticDevice
        throttled = False
        for device in model.objects.devices_for_user(self.user, confirmed=True):
            if not device.verify_is_allowed()[0]:
                throttled = True
                continue
            self.device = django_otp.verify_token(self.user, device.persistent_id, code)
            if self.device is not None:
                return code
        raise forms.ValidationError(self.error_messages["throttled" if throttled else "invalid"])


class TwoFactorSetupForm(forms.Form):
    """Enrolment: the first code from the new authenticator proves it was set up right."""

    code = CodeField(label=_("Code from the app"), max_length=10)

    def __init__(self, *args, device: TOTPDevice, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not (code.isascii() and code.isdigit() and self.device.verify_token(code)):
            raise forms.ValidationError(
                _("That code does not match. Check that the time on your phone is right, then type the newest code.")
            )
        return code


class ActivityFilterForm(forms.Form):
    """The activity feed's filters: a country team (among the reader's), a kind of record, a person."""

    country = RowChoiceField(
        queryset=Country.objects.none(), required=False, label=_("Country team"), empty_label=_("All my countries")
    )
    model = forms.ChoiceField(required=False, label=_("Kind of record"))
    user = RowChoiceField(queryset=User.objects.none(), required=False, label=_("Who"), empty_label=_("Anyone"))

    def __init__(self, *args, reader: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        countries = Country.objects.order_by("name")
        self.fields["country"].queryset = (
            countries if reader.is_admin else countries.filter(pk__in=reader.team_country_ids)
        )
        if reader.is_admin:
            self.fields["country"].empty_label = _("Every country, and records of none")
        models = sorted(recorded_models(), key=lambda model: str(model._meta.verbose_name_plural).casefold())
        self.fields["model"].choices = [("", _("Every kind"))] + [
            (model._meta.label_lower, capfirst(model._meta.verbose_name_plural)) for model in models
        ]
        self.fields["user"].queryset = User.objects.exclude(role=User.Role.PARTNER).order_by("username")


class ApiTokenCreateForm(forms.Form):
    """A new token: what it is for, and when it stops working (within `API_TOKEN_MAX_DAYS`)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the script or the tool using it."),
    )
    expires_days = forms.TypedChoiceField(label=_("Expires after"), coerce=int)

    def __init__(self, *args, **kwargs) -> None:
        from .services import api_token_expiry_choices

        super().__init__(*args, **kwargs)
        choices = api_token_expiry_choices()
        self.fields["expires_days"].choices = [
            (days, ngettext("%(days)d day", "%(days)d days", days) % {"days": days}) for days in choices
        ]
        self.fields["expires_days"].initial = 90 if 90 in choices else choices[-1]


class InvitationForm(forms.Form):
    """Whom to invite, and into what: a partner organisation, or (for a colleague) a country team.

    The lists offer only the organisations and countries the inviting staff member may change;
    the service checks that again, whatever the path.
    """

    email = forms.EmailField(label=_("Email"), max_length=254)
    role = forms.ChoiceField(label=_("Invite as"), choices=Invitation.Role.choices, initial=Invitation.Role.PARTNER)
    organisation = RowChoiceField(
        queryset=Stakeholder.objects.none(),
        required=False,
        label=_("Partner organisation"),
        help_text=_("For a person of a partner organisation."),
    )
    country = RowChoiceField(
        queryset=Country.objects.none(),
        required=False,
        label=_("Country team"),
        help_text=_("For a colleague."),
    )
    language = forms.ChoiceField(
        label=_("Language of the mail"), choices=Invitation._meta.get_field("language").choices
    )

    def __init__(self, *args, inviter: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A person is not an organisation anyone works for.
        organisations = Stakeholder.objects.editable_by(inviter).exclude(kind=Stakeholder.Kind.PERSON)
        self.fields["organisation"].queryset = organisations.order_by("name")
        countries = Country.objects.order_by("name")
        self.fields["country"].queryset = (
            countries if inviter.is_admin else countries.filter(pk__in=inviter.team_country_ids)
        )


class InvitationAcceptForm(forms.Form):
    """The invited person's account: a user name, their name, and a password (Django's rules)."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("You sign in with it. Letters, digits and @/./+/-/_ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, invitation: Invitation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields["username"].initial = invitation.email

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            user = User(
                username=data.get("username", ""),
                email=self.invitation.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


#: A saved filter's query string is at most this long (a list page's filters fit many times over).
SAVED_FILTER_QUERY_MAX = 1000
_PAGE_SALT = "accounts.saved-filter-page"


def filter_parameters(filterset) -> list[str]:
    """The names a FilterSet reads from the query string: each filter's, or its widget's suffixed names (a range)."""
    names = []
    for name, field in filterset.form.fields.items():
        widget = field.widget
        if hasattr(widget, "suffixes"):  # django-filter's range widgets: `due_after`, `due_before`
            names += [widget.suffixed(name, suffix) for suffix in widget.suffixes]
        elif hasattr(widget, "widgets_names"):
            names += [name + suffix for suffix in widget.widgets_names]
        else:
            names.append(name)
    return names


def saved_filter_page(view_name: str, parameters: list[str]) -> str:
    """The list page of a saved filter and the parameters its FilterSet reads, signed: a POST cannot change them."""
    return signing.dumps({"path": view_name, "params": sorted(parameters)}, salt=_PAGE_SALT)


def saved_filters_panel_url(view_name: str, parameters: list[str], query: str) -> str:
    """The URL of a list page's saved-filters panel, for the page's filters (`query`, its FilterSet's `parameters`)."""
    page = saved_filter_page(view_name, parameters)
    query = filter_query(query, parameters)
    return f"{reverse('accounts:savedfilter_panel')}?{urlencode({'page': page, 'query': query})}"


def saved_filter_page_read(token: str) -> dict | None:
    """The list page and parameters `saved_filter_page` signed, or None for a token it did not sign or a page gone."""
    try:
        page = signing.loads(token, salt=_PAGE_SALT)
        reverse(page["path"])
    except (signing.BadSignature, NoReverseMatch, KeyError, TypeError):
        return None
    return page


def filter_query(query: str, parameters) -> str:
    """The query string with only these parameters' non-empty values, in a stable order."""
    data = QueryDict(query)
    kept = [(key, value) for key in sorted(set(data) & set(parameters)) for value in data.getlist(key) if value != ""]
    return urlencode(kept)


class SavedFilterForm(ValidatedModelForm):
    """Save a list page's filters under a name, for oneself or one's country team.

    Sharing needs no list of countries: the reader's one team, or, for someone on several, the
    team of the country the page is filtered by.
    """

    page = forms.CharField(widget=forms.HiddenInput)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=SAVED_FILTER_QUERY_MAX)
    share = forms.BooleanField(required=False, label=_("Share with my country team"))

    class Meta:
        model = SavedFilter
        fields = ["name"]
        labels = {"name": _("Name")}

    def __init__(self, *args, user, **kwargs) -> None:
        kwargs.setdefault("prefix", "saved_filter")
        super().__init__(*args, **kwargs)
        self.user = user
        self.instance.owner = user

    def clean_page(self) -> dict:
        page = saved_filter_page_read(self.cleaned_data["page"])
        if page is None:
            raise forms.ValidationError(_("This page's filters cannot be saved."))
        return page

    def clean(self) -> dict:
        cleaned = super().clean()
        page = cleaned.get("page")
        if page is not None:
            self.instance.path = page["path"]
            self.instance.query = filter_query(cleaned.get("query", ""), page["params"])
        self.instance.shared_with_country_id = self._shared_with() if cleaned.get("share") else None
        return cleaned

    def _shared_with(self) -> int | None:
        teams = set() if self.user.is_partner else set(self.user.team_country_ids)
        if len(teams) == 1:
            return next(iter(teams))
        if not teams:
            self.add_error("share", _("You are on no country team to share it with."))
            return None
        chosen = QueryDict(self.instance.query or "").get("country", "")
        if chosen.isdigit() and int(chosen) in teams:
            return int(chosen)
        self.add_error(
            "share", _("You are on several country teams: filter the page by one country to share with its team.")
        )
        return None
