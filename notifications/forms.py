from django import forms

from .models import Kind


class PreferencesForm(forms.Form):
    """Two checkboxes per kind: in the app, by email."""

    def __init__(self, *args, preferences: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            pref = preferences.get(kind)
            self.fields[f"{kind}__in_app"] = forms.BooleanField(
                label=label, required=False, initial=pref.in_app if pref else True
            )
            self.fields[f"{kind}__by_email"] = forms.BooleanField(
                label=label, required=False, initial=pref.by_email if pref else True
            )

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(label, self[f"{kind}__in_app"], self[f"{kind}__by_email"]) for kind, label in Kind.choices]
