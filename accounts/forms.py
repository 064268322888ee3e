import django_otp
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.history.recording import recorded_models
from countries.models import Country

from .models import User


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

    country = forms.ModelChoiceField(
        queryset=Country.objects.none(), required=False, label=_("Country team"), empty_label=_("All my countries")
    )
    model = forms.ChoiceField(required=False, label=_("Kind of record"))
    user = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("Who"), empty_label=_("Anyone"))

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
