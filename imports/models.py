"""Named column mappings (import profiles) and the files waiting between the steps of an import."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import OwnedQuerySet, shared_with_own_team, signed_in
from core.imports import Profile, get_kind
from core.models import ScopedQuerySet, TimeStampedModel

#: The largest file the import page keeps between its steps (the form refuses larger ones).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class DecimalMark(models.TextChoices):
    GUESS = "", _("as the file's figures show")
    DOT = ".", _("dot (1,234.56)")
    COMMA = ",", _("comma (1.234,56)")


class ImportProfile(TimeStampedModel):
    """A column mapping kept under a name: which header of a file goes to which column, and the
    values to add where the file has none (the built-in profiles of the portals are code)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_profiles", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind of file"), max_length=40)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True, help_text=_("Header → column."))
    fixed = models.JSONField(_("fixed values"), default=dict, blank=True, help_text=_("Column → value."))
    values = models.JSONField(
        _("values translated"), default=dict, blank=True, help_text=_("Column → {value in the file: value read}.")
    )
    decimal_mark = models.CharField(_("decimal mark"), max_length=1, choices=DecimalMark, blank=True, default="")
    aggregate = models.BooleanField(
        _("sum equal rows"), default=False, help_text=_("Rows equal once mapped (one per district) are summed.")
    )
    shared_with_country = models.ForeignKey(
        "countries.Country",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared with the country team"),
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("import profile")
        verbose_name_plural = _("import profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "kind", "name"],
                name="importprofile_unique_name_per_kind",
                violation_error_message=_("You already saved a profile with this name for this kind of file."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("imports:start") + f"?kind={self.kind}&profile={self.pk}"

    def clean(self) -> None:
        super().clean()
        kind = get_kind(self.kind)
        if kind is None:
            raise ValidationError({"kind": _("There is no such kind of file.")})
        targets = {target.name for target in kind.targets}
        unknown = sorted({target for target in self.mapping.values() if target and target not in targets})
        unknown += sorted(name for name in self.fixed if name not in targets)
        if unknown:
            raise ValidationError({"mapping": _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}})
        shared_with_own_team(self, _("You can share a profile only with a country team you belong to."))

    def as_profile(self) -> Profile:
        return Profile(
            name=self.name,
            kind=self.kind,
            label=self.name,
            mapping=dict(self.mapping),
            fixed=dict(self.fixed),
            values={name: dict(found) for name, found in self.values.items()},
            decimal_mark=self.decimal_mark,
            aggregate=self.aggregate,
            pk=self.pk,
        )


class ImportUploadQuerySet(ScopedQuerySet):
    """A file being imported is its uploader's alone, staff included: it may hold personal data."""

    def visible_to(self, user) -> "ImportUploadQuerySet":
        return self.filter(owner=user) if signed_in(user) else self.none()

    def editable_by(self, user) -> "ImportUploadQuerySet":
        return self.visible_to(user)


class ImportUpload(TimeStampedModel):
    """A file kept between the steps of an import (mapping, dry run, import), removed once imported
    and a day after it was uploaded at the latest."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_uploads", verbose_name=_("owner")
    )
    kind = models.CharField(_("kind of file"), max_length=40)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    profile = models.CharField(_("profile"), max_length=120, blank=True)

    objects = ImportUploadQuerySet.as_manager()
    history_not_recorded = "a file waiting between the steps of an import, deleted once it is imported"

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("imports:map", kwargs={"pk": self.pk})
