from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import RowChoiceField
from core.imports import ImportKind, Profile, kinds
from countries.models import Country

from .models import MAX_UPLOAD_BYTES, DecimalMark, ImportProfile


def kind_choices(user) -> list[tuple[str, str]]:
    return [(kind.name, kind.label) for kind in kinds().values() if kind.may_import(user)]


def profiles_for(user, kind_name: str | None = None) -> list[Profile]:
    """The profiles a user may use: the built-in ones, their own and their country teams' shared ones."""
    found = [profile for kind in kinds().values() for profile in kind.profiles]
    saved = ImportProfile.objects.visible_to(user).order_by("name", "pk")
    found += [row.as_profile() for row in saved]
    return [profile for profile in found if kind_name is None or profile.kind == kind_name]


def find_profile(user, key: str) -> Profile | None:
    return next((profile for profile in profiles_for(user) if profile.key == key), None) if key else None


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    profile = forms.ChoiceField(
        label=_("Import profile"), required=False, help_text=_("The file's layout, if it has a profile.")
    )
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("CSV in any common encoding and separator (comma, semicolon, tab), or an Excel workbook (.xlsx)."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices(user)
        self.profiles = profiles_for(user)
        labels = {kind.name: kind.label for kind in kinds().values()}
        self.fields["profile"].choices = [("", _("none: the file's headers name the columns"))] + [
            (profile.key, f"{labels.get(profile.kind, profile.kind)} · {profile.label or profile.name}")
            for profile in self.profiles
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB; split it by year."))
        return upload

    def clean(self):
        data = super().clean()
        profile = next((p for p in self.profiles if p.key == data.get("profile")), None)
        if profile is not None and data.get("kind") and profile.kind != data["kind"]:
            self.add_error("profile", _("This profile is for another kind of file."))
        return data


class MappingForm(forms.Form):
    """One menu per header of the file (the column it goes to, or none), the fixed values, and a name
    to save the mapping under."""

    decimal_mark = forms.ChoiceField(label=_("Decimal mark"), choices=DecimalMark.choices, required=False)
    aggregate = forms.BooleanField(
        label=_("Sum the rows that are equal once mapped (a file per district or municipality)"), required=False
    )
    save_as = forms.CharField(label=_("Save this mapping as a profile named"), max_length=100, required=False)
    share_with = RowChoiceField(
        label=_("Share the profile with the country team"), queryset=Country.objects.none(), required=False
    )

    def __init__(self, *args, kind: ImportKind, header: list[str], samples: list[list[str]], user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind, self.header = kind, header
        choices = [("", _("(ignore this column)"))] + [
            (target.name, f"{target.name} · {target.label}" if str(target.label) != target.name else target.name)
            for target in kind.targets
        ]
        self.columns = []
        for position, name in enumerate(header):
            field_name = f"column_{position}"
            self.fields[field_name] = forms.ChoiceField(label=name or "—", choices=choices, required=False)
            self.columns.append((self[field_name], samples[position]))
        self.fixed_fields = []
        for target in kind.targets:
            if target.derive is None and target.name != "id":
                field_name = f"fixed_{target.name}"
                self.fields[field_name] = forms.CharField(label=target.name, max_length=250, required=False)
                self.fixed_fields.append(self[field_name])
        self.fields["share_with"].queryset = Country.objects.filter(pk__in=user.team_country_ids)

    @property
    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"column_{position}", "") for position in range(len(self.header))]

    @property
    def fixed(self) -> dict[str, str]:
        return {
            name.removeprefix("fixed_"): value.strip()
            for name, value in self.cleaned_data.items()
            if name.startswith("fixed_") and value and value.strip()
        }
