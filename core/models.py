"""Pieces every model shares: timestamps, the one place that scopes rows to a user, and the history."""

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import is_staff_member
from core.search import folded_fields, normalise, normalised_update_fields, normalised_update_values


class TimeStampedModel(models.Model):
    """Abstract base adding creation and modification times."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        # Searched names in NFC, their folded copies current (core.search), whatever the path.
        normalise(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and folded_fields(type(self)):
            kwargs["update_fields"] = normalised_update_fields(type(self), update_fields)
        super().save(*args, **kwargs)


#: Rows per statement of `bulk_update` (see there).
BULK_UPDATE_BATCH = 200


class RecordedQuerySet(models.QuerySet):
    """A queryset whose bulk writes reach the history as single saves do (core/history).

    `update()`, `bulk_update()` and `bulk_create()` write their history rows in bulk: a few
    queries whatever the number of rows. Every recorded model's manager is built on this
    (a test checks it), so no call site can forget. They also tell `core.short_tables` that the
    table changed (a short table kept in the cache is read again).
    """

    def update(self, **kwargs) -> int:
        from core.history.recording import recorded_update
        from core.short_tables import table_changed

        count = recorded_update(self, normalised_update_values(self.model, kwargs), super().update)
        table_changed(self.model, self.db)
        return count

    def bulk_update(self, objs, fields, batch_size=None) -> int:
        from core.history.recording import recorded_bulk_update
        from core.short_tables import table_changed

        # Django writes each field as one CASE with a WHEN per row, which the database evaluates for
        # every row it updates: one statement of n rows costs n squared (a re-run of the month's
        # 20,000 coalition snapshots took minutes). Batches keep it in proportion to the rows.
        batch_size = batch_size or BULK_UPDATE_BATCH
        objs, fields = list(objs), normalised_update_fields(self.model, fields)
        for obj in objs:
            normalise(obj)
        count = recorded_bulk_update(
            self,
            objs,
            fields,
            lambda objs: super(RecordedQuerySet, self).bulk_update(objs, fields, batch_size=batch_size),
        )
        table_changed(self.model, self.db)
        return count

    def bulk_create(self, objs, *args, **kwargs) -> list:
        from core.history.recording import recorded_bulk_create
        from core.short_tables import table_changed

        objs = list(objs)
        for obj in objs:
            normalise(obj)
        created = recorded_bulk_create(
            self, objs, kwargs, lambda objs: super(RecordedQuerySet, self).bulk_create(objs, *args, **kwargs)
        )
        table_changed(self.model, self.db)
        return created


class ScopedQuerySet(RecordedQuerySet):
    """A queryset that knows who may read and who may change its rows.

    Every view, API endpoint and admin page reaches rows through `visible_to(user)`
    or `editable_by(user)`, so the access rules live here and in the per-model
    `visible_to_partner` overrides, nowhere else.

    - admin: everything;
    - program staff: read everything, change rows of their country teams;
    - partner: read what `visible_to_partner` allows (nothing by default), change nothing
      through this method (partner writes are narrow and checked by the API);
    - anyone else: nothing.
    """

    #: Lookups from this model to the Country a row belongs to; a row counts as in a
    #: country when any of them matches.
    country_lookups: tuple[str, ...] = ("country",)
    #: A table of a few rows, rarely written, that filters list whole (the countries): kept in the
    #: cache between requests until it changes (core.short_tables).
    short_table: bool = False

    def visible_to(self, user) -> "ScopedQuerySet":
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if is_staff_member(user):
            return self.all()
        if user.is_partner:
            return self.visible_to_partner(user.organisation_id)
        return self.none()

    def visible_to_partner(self, organisation_id: int) -> "ScopedQuerySet":
        return self.none()

    def editable_by(self, user) -> "ScopedQuerySet":
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_program_staff:
            return self.in_countries(user.team_country_ids)
        return self.none()

    def in_countries(self, country_ids) -> "ScopedQuerySet":
        condition = Q()
        for lookup in self.country_lookups:
            condition |= Q(**{f"{lookup}__in": country_ids})
        return self.filter(condition)

    def country_pks_of(self, objs: list[models.Model]) -> list[int | None]:
        """The Country id each row belongs to (the first of `country_lookups` that has one).

        Read from the rows in memory and their parents (one query per level for all of them),
        so it also works for a row that was just deleted. The history stores it with each change
        so a country team's activity feed is one indexed filter.
        """
        from django.db.models import prefetch_related_objects

        parents = sorted({lookup.rsplit("__", 1)[0] for lookup in self.country_lookups if "__" in lookup})
        if parents and objs:
            prefetch_related_objects(objs, *parents)
        return [_first_country(obj, self.country_lookups) for obj in objs]


def _first_country(obj: models.Model, lookups: tuple[str, ...]) -> int | None:
    for lookup in lookups:
        *hops, last = lookup.split("__")
        target = obj
        for hop in hops:
            target = getattr(target, hop, None)
            if target is None:
                break
        else:
            if last == "pk":
                value = target.pk
            else:
                field = target._meta.get_field(last)
                value = getattr(target, field.attname)
            if value is not None:
                return value
    return None


class HttpsURLField(models.URLField):
    """A URL field whose form field assumes https:// when the scheme is left out.

    Django 6 makes this the default; saying it here keeps forms and admin free of the
    deprecation warning (the test suite treats warnings as errors).
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class FieldCheckConstraint(models.CheckConstraint):
    """A check constraint about one field: every path (forms, the admin, the API, the importers) shows
    its message beside that field rather than for the whole row.

    `field` names the field a person changes to satisfy it (the organisation of a partner's
    invitation), so no form repeats the rule to place the message itself.
    """

    def __init__(self, *args, field: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.field = field

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS) -> None:
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            raise ValidationError({self.field: error.error_list}) from None

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "field": self.field}

    def __eq__(self, other) -> bool:
        return super().__eq__(other) and getattr(other, "field", None) == self.field

    __hash__ = models.CheckConstraint.__hash__


class ObjectChangeManager(LogEntryManager):
    def log_create(self, instance, force_log: bool = False, **kwargs):
        """The library's entry for one saved or deleted row, with who, the channel and the country."""
        from core.history.recording import attribution_for

        for key, value in attribution_for(type(instance), [instance])[0].items():
            kwargs.setdefault(key, value)
        return super().log_create(instance, force_log=force_log, **kwargs)


class ObjectChange(AbstractLogEntry):
    """One create, update or delete of a recorded row: who, when, through what, each field's old and new value.

    django-auditlog's log entry (`changes` holds `{field: [old, new]}` as JSON, many-to-many
    changes as `{field: {"type": "m2m", "operation": ..., "objects": [...], "pks": [...]}}`),
    plus the channel it came through and the country team it belongs to. Written by
    core/history, never edited: the admin shows it read-only.
    """

    history_not_recorded = "the history itself"

    ACTIONS = [
        (AbstractLogEntry.Action.CREATE, _("Created")),
        (AbstractLogEntry.Action.UPDATE, _("Changed")),
        (AbstractLogEntry.Action.DELETE, _("Deleted")),
    ]

    class Channel(models.TextChoices):
        PAGE = "page", _("Staff pages")
        API = "api", _("API")
        ADMIN = "admin", _("Admin")
        COMMAND = "command", _("Command")
        SHELL = "shell", _("Shell")
        TASK = "task", _("Background task")
        SYSTEM = "system", _("System")

    # The library's fields, with the indexes the history pages use instead of one per column.
    object_pk = models.CharField(_("record id"), max_length=255)
    object_id = models.BigIntegerField(_("record id"), blank=True, null=True)
    object_repr = models.TextField(_("record"))
    action = models.PositiveSmallIntegerField(_("action"), choices=ACTIONS)
    changes = models.JSONField(_("changes"), null=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        blank=True,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    cid = models.CharField(_("request id"), max_length=255, blank=True, null=True)
    remote_addr = models.GenericIPAddressField(_("IP address"), blank=True, null=True)
    timestamp = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    channel = models.CharField(_("through"), max_length=10, choices=Channel, default=Channel.SYSTEM)
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("The API token's prefix, the command, the task or the page."),
    )
    # An id, not a foreign key: core sits below `countries`, and the history outlives the country.
    country_pk = models.PositiveBigIntegerField(_("country"), null=True, blank=True)

    objects = ObjectChangeManager()

    class Meta:
        ordering = ["-timestamp", "-pk"]
        get_latest_by = "timestamp"
        verbose_name = _("change")
        verbose_name_plural = _("history of changes")
        indexes = [
            models.Index(fields=["content_type", "object_id", "-timestamp"], name="objectchange_object_idx"),
            models.Index(fields=["country_pk", "-timestamp"], name="objectchange_country_idx"),
            models.Index(fields=["actor", "-timestamp"], name="objectchange_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.object_repr}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("admin:core_objectchange_change", args=[self.pk])


class ActionRecord(models.Model):
    """One destructive, outward or personal-data action (erase, export, delete, send, reply, invite): who, what, which.

    Its own small log rather than an `ObjectChange`: an export or a send changes no field, and
    the history of an erased row is scrubbed, while this record must outlive the erasure. So it
    holds no personal data at all: the row by model and id only, and counts of what was done.
    """

    history_not_recorded = "the log of erasures, exports, deletions and sends: a log itself"

    class Action(models.TextChoices):
        ERASE = "erase", _("Erased personal data")
        EXPORT = "export", _("Exported personal data")
        DELETE = "delete", _("Deleted")
        SEND = "send", _("Sent a campaign")
        REPLY = "reply", _("Replied by mail")
        INVITE = "invite", _("Invited to the Explorers")
        MERGE = "merge", _("Merged into another record")

    action = models.CharField(_("action"), max_length=10, choices=Action)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    channel = models.CharField(_("through"), max_length=10, choices=ObjectChange.Channel, default="system")
    model = models.CharField(_("kind of record"), max_length=100, help_text=_("app_label.ModelName"))
    object_pk = models.CharField(_("record id"), max_length=64)
    summary = models.JSONField(
        _("what was done"), default=dict, blank=True, help_text=_("Counts of rows by kind; never personal data.")
    )
    timestamp = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-timestamp", "-pk"]
        verbose_name = _("action record")
        verbose_name_plural = _("action records")
        indexes = [models.Index(fields=["model", "object_pk"], name="actionrecord_object_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.model} #{self.object_pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:personal_data")

    @property
    def model_verbose_name(self) -> str:
        from django.apps import apps

        try:
            return str(apps.get_model(self.model)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.model
