from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import ScopedQuerySet, TimeStampedModel

from . import content, registry
from .storage import attachment_storage, storage_name, thumbnail_name


class AttachmentQuerySet(ScopedQuerySet):
    """An attachment is seen by whoever sees its record, and changed by whoever may change it."""

    def _on_targets(self, pick) -> "AttachmentQuerySet":
        conditions = [
            # The kind of record by its names (a join), not a ContentType looked up first: the query
            # count stays the same whether or not this process has cached the content types.
            Q(
                target_type__app_label=entry.model._meta.app_label,
                target_type__model=entry.model._meta.model_name,
                target_id__in=pick(entry.model._default_manager.all()).values("pk"),
            )
            for entry in registry.attachables()
        ]
        return self.filter(reduce(or_, conditions)) if conditions else self.none()

    def visible_to(self, user) -> "AttachmentQuerySet":
        return self._on_targets(lambda records: records.visible_to(user))

    def editable_by(self, user) -> "AttachmentQuerySet":
        return self._on_targets(lambda records: records.editable_by(user))

    def without_thumbnail(self) -> "AttachmentQuerySet":
        """Images whose thumbnail is not made yet (`attachment_thumbnail_due_idx`)."""
        return self.filter(thumbnail="", mime_type__in=sorted(content.IMAGES))

    def on(self, record: models.Model) -> "AttachmentQuerySet":
        return self.filter(target_type=ContentType.objects.get_for_model(type(record)), target_id=record.pk)

    def country_pks_of(self, objs: list[models.Model]) -> list[int | None]:
        """Each attachment's country is its record's, asked of the record's own queryset."""
        by_type: dict[int, list] = {}
        for obj in objs:
            by_type.setdefault(obj.target_type_id, []).append(obj)
        countries: dict[tuple[int, int], int | None] = {}
        for type_id, group in by_type.items():
            model = ContentType.objects.get_for_id(type_id).model_class()
            manager = getattr(model, "_default_manager", None) if model is not None else None
            if manager is None or not hasattr(manager, "country_pks_of"):
                continue
            targets = list(manager.filter(pk__in={obj.target_id for obj in group}))
            for target, country in zip(targets, manager.country_pks_of(targets), strict=True):
                countries[type_id, target.pk] = country
        return [countries.get((obj.target_type_id, obj.target_id)) for obj in objs]


class AttachmentKind(models.TextChoices):
    """What an attached file is evidence of."""

    ATTENDANCE_SHEET = "attendance_sheet", _("Attendance sheet")
    PHOTO = "photo", _("Photo")
    MINUTES = "minutes", _("Minutes")
    AGREEMENT = "agreement", _("Agreement")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


class Attachment(TimeStampedModel):
    """A file attached to a record as its evidence: an attendance sheet, a photo, minutes, an agreement."""

    Kind = AttachmentKind

    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("kind of record")
    )
    target_id = models.PositiveBigIntegerField(_("record"))
    target = GenericForeignKey("target_type", "target_id")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    file = models.FileField(_("file"), upload_to=storage_name, storage=attachment_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=thumbnail_name, storage=attachment_storage, max_length=255, blank=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("uploaded by"),
    )

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [
            models.Index(fields=["target_type", "target_id", "-created_at"], name="attachment_target_idx"),
            models.Index(fields=["kind"], name="attachment_kind_idx"),
            # The thumbnail sweep's images still without one: a few rows, whatever the table's size.
            models.Index(
                fields=["created_at"],
                condition=Q(thumbnail="", mime_type__in=sorted(content.IMAGES)),
                name="attachment_thumbnail_due_idx",
            ),
        ]
        constraints = [
            # The title, the kind and the file are the fields' own rules (required, choices); the
            # database holds the one a direct write could break unseen: only allowed types.
            models.CheckConstraint(
                condition=Q(mime_type__in=sorted(content.ALLOWED)),
                name="attachment_type_allowed",
                violation_error_message=_("Files of this type cannot be attached."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("attachments:attachment_download", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.target_type_id is None or self.target_id is None:
            return
        model = self.target_type.model_class()
        if model is None or registry.attachable_for(model) is None:
            raise ValidationError({"target_type": _("Files cannot be attached to this kind of record.")})
        if not model._default_manager.filter(pk=self.target_id).exists():
            raise ValidationError({"target_id": _("The record does not exist.")})
        if self.size is not None and self.size > settings.ATTACHMENT_MAX_BYTES:
            raise ValidationError({"file": _("The file is larger than the limit.")})

    @property
    def is_image(self) -> bool:
        return self.mime_type in content.IMAGES

    @property
    def is_pdf(self) -> bool:
        return self.mime_type == content.PDF

    @property
    def opens_inline(self) -> bool:
        return self.mime_type in content.INLINE
