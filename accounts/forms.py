import django_otp
from django import forms
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


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
        model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
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
        if not (code.isdigit() and self.device.verify_token(code)):
            raise forms.ValidationError(
                _("That code does not match. Check that the time on your phone is right, then type the newest code.")
            )
        return code
