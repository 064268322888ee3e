"""What is recorded, and the paths django-auditlog's signals do not see.

Every model of `settings.PROJECT_APPS` is recorded except the logs and queues that say so with a
`history_not_recorded = "<why>"` class attribute (`not_recorded()` lists them).
django-auditlog writes one `ObjectChange` per `save()` and `delete()` (its signals; the old values
come from one query before the save). Here, each in bulk (a few queries and one insert, whatever
the number of rows):

- many-to-many changes, from either side (`m2m_changed`), with the related rows' names and ids;
- `QuerySet.update()`, `bulk_update()` and `bulk_create()` of `core.models.RecordedQuerySet`;
- rows written with COPY: `record_created` (`core.bulk.bulk_insert`), `record_copied` (the stakeholder
  import, from the values it wrote).

A model leaves fields out with `history_exclude_fields` and hides values with `history_mask_fields`
(a password: the change is recorded, the value is not).
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring_ascii
from typing import Any

from auditlog.context import auditlog_disabled
from auditlog.diff import get_field_value, is_primitive, model_instance_diff
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import prefetch_related_objects
from django.db.models.signals import m2m_changed
from django.utils import timezone
from django.utils.encoding import smart_str

from .context import current

#: The row's own timestamps: the history row has its own, and `updated_at` changes on every save.
IGNORED_FIELDS = frozenset({"created_at", "updated_at"})
HIDDEN = "••••••"


def _chunk_size() -> int:
    # SQLite turns a long IN list into a tree of ORs with a depth limit; PostgreSQL takes thousands.
    return 500 if connection.vendor == "sqlite" else 5_000


CREATE, UPDATE, DELETE = 0, 1, 2

# through model -> (the model that declares the many-to-many field, that field)
_M2M: dict[type[models.Model], tuple[type[models.Model], models.ManyToManyField]] = {}
_FIELDS: dict[type[models.Model], list[models.Field]] = {}


def hide(value: str) -> str:
    """auditlog's mask for `history_mask_fields`: the change is recorded, the value is not."""
    return HIDDEN


def _project_models() -> list[type[models.Model]]:
    return [model for label in settings.PROJECT_APPS for model in apps.get_app_config(label).get_models()]


def not_recorded() -> dict[str, str]:
    """The models that are themselves logs or queues (recording them would log the log), and why.

    Each model says so itself (`history_not_recorded`), so this module names no model of the apps
    above it.
    """
    return {
        model._meta.label: model.history_not_recorded
        for model in _project_models()
        if getattr(model, "history_not_recorded", "")
    }


def recorded_models() -> list[type[models.Model]]:
    return [model for model in _project_models() if not getattr(model, "history_not_recorded", "")]


def is_recorded(model: type[models.Model]) -> bool:
    return auditlog.contains(model)


def register() -> None:
    """Register every recorded model with auditlog and listen to its many-to-many changes (app ready)."""
    for model in recorded_models():
        excluded = IGNORED_FIELDS | set(getattr(model, "history_exclude_fields", ()))
        fields = [
            field for field in model._meta.concrete_fields if field.name not in excluded and not field.primary_key
        ]
        _FIELDS[model] = fields
        auditlog.register(
            model,
            include_fields=[field.name for field in fields],
            mask_fields=list(getattr(model, "history_mask_fields", ())),
            mask_callable="core.history.recording.hide",
        )
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                _M2M[through] = (model, field)
                m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"history:{through._meta.label}")


def attribution_for(model: type[models.Model], objs: list[models.Model]) -> list[dict[str, Any]]:
    """Who, through what, and each row's country (from its QuerySet's `country_pks_of`)."""
    base = current().attribution()
    queryset = model._default_manager.all()
    country_pks = queryset.country_pks_of(objs) if hasattr(queryset, "country_pks_of") else [None] * len(objs)
    return [{**base, "country_pk": country_pk} for country_pk in country_pks]


def record(model: type[models.Model], action: int, items: list[tuple[models.Model, dict]]) -> int:
    """Write one history row per (row, changes) pair, in one insert; return how many."""
    items = [(obj, changes) for obj, changes in items if changes]
    if not items:
        return 0
    content_type = ContentType.objects.get_for_model(model)
    parents = [field.name for field in model._meta.concrete_fields if field.many_to_one]
    entries = []
    size = _chunk_size()
    for start in range(0, len(items), size):
        chunk = items[start : start + size]
        objs = [obj for obj, _changes in chunk]
        if len(objs) > 1:
            # Names such as "Ana · Coalición" come from the rows' parents: load them all at once.
            prefetch_related_objects(objs, *parents)
        entries += [
            {
                "content_type_id": content_type.pk,
                "object_pk": str(obj.pk),
                "object_id": obj.pk if isinstance(obj.pk, int) else None,
                "object_repr": smart_str(obj),
                "action": action,
                "changes": changes,
                **attribution,
            }
            for (obj, changes), attribution in zip(chunk, attribution_for(model, objs), strict=True)
        ]
    _insert(entries)
    return len(entries)


def _insert(entries: list[dict[str, Any]]) -> None:
    """Insert history rows: straight into COPY on PostgreSQL (no model instance per row), else bulk_create."""
    from core.bulk import can_copy, copy_rows
    from core.models import ObjectChange

    now = timezone.now()
    for entry in entries:
        actor = entry.pop("actor")
        entry["actor_id"] = actor.pk if actor is not None else None
        entry.setdefault("timestamp", now)
    if not can_copy():
        ObjectChange.objects.bulk_create([ObjectChange(**entry) for entry in entries], batch_size=1000)
        return
    columns = [*entries[0], "changes_text"]
    rows = ([*(json.dumps(v) if k == "changes" else v for k, v in entry.items()), ""] for entry in entries)
    fields = {field.attname: field for field in ObjectChange._meta.concrete_fields}
    nullable = [name for name in columns if fields[name].null]
    with connection.cursor() as cursor:
        copy_rows(cursor, ObjectChange._meta.db_table, columns, rows, nullable=nullable)


def created_changes(model: type[models.Model], obj: models.Model) -> dict[str, list]:
    """`{field: [None, value]}` for a new row: what auditlog's diff gives, without its per-row overhead.

    Plain columns and foreign keys are read directly; other types (date-times, JSON) through
    auditlog's own `get_field_value`. A test checks both give the same.
    """
    masked = set(getattr(model, "history_mask_fields", ()))
    changes = {}
    for field, attname, plain in _getters(model):
        value = getattr(obj, attname) if plain else get_field_value(obj, field, True)
        if value is None:
            continue
        if field.name in masked:
            changes[field.name] = [HIDDEN, HIDDEN]
        else:
            changes[field.name] = [None, value if is_primitive(value) else smart_str(value)]
    return changes


_GETTERS: dict[type[models.Model], list[tuple[models.Field, str, bool]]] = {}


def _getters(model: type[models.Model]) -> list[tuple[models.Field, str, bool]]:
    if model not in _GETTERS:
        _GETTERS[model] = [
            (field, field.attname, not isinstance(field, models.DateTimeField | models.JSONField))
            for field in _FIELDS[model]
        ]
    return _GETTERS[model]


def m2m_change(operation: str, related: dict[Any, str]) -> dict[str, Any]:
    """One many-to-many change: which rows were added or removed, by name and id."""
    pks = sorted(related, key=lambda pk: related[pk])
    return {"type": "m2m", "operation": operation, "objects": [related[pk] for pk in pks], "pks": pks}


def _names(model: type[models.Model], pks: Iterable, using: str | None = None) -> dict[Any, str]:
    return {pk: smart_str(obj) for pk, obj in _by_pk(model, list(pks), using).items()}


def record_created(
    model: type[models.Model], objs: Iterable[models.Model], *, m2m: dict[str, dict[Any, list]] | None = None
) -> int:
    """History rows for rows inserted without `save()` (COPY, `bulk_create`): one "created" each.

    `m2m` maps a many-to-many field to `{row pk: [related pks]}` written with the rows, so each
    row's history starts with its regions (say) rather than with a second change.
    """
    if _bypass(model):
        return 0
    objs = [obj for obj in objs if obj.pk is not None]
    items = [(obj, created_changes(model, obj)) for obj in objs]
    for name, links in (m2m or {}).items():
        related = model._meta.get_field(name).related_model
        names = _names(related, {pk for pks in links.values() for pk in pks})
        for obj, changes in items:
            if links.get(obj.pk):
                changes[name] = m2m_change("add", {pk: names.get(pk, str(pk)) for pk in links[obj.pk]})
    return record(model, CREATE, items)


#: Field types whose values `record_copied` writes into the history's JSON as they are (a string, a
#: number, true or false), as `created_changes` gives them; a model with a recorded field of another
#: type is recorded with `record_created`.
_JSON_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def _json_value(value) -> str:
    if isinstance(value, str):
        return encode_basestring_ascii(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(int(value))


def record_copied(
    model: type[models.Model],
    columns: Iterable[str],
    rows: Iterable[tuple[Any, str, tuple, dict[str, list]]],
    *,
    m2m: Iterable[str] = (),
) -> int:
    """History rows for rows just written with COPY, from the values written: one "created" each.

    The same entries as `record_created` (a test holds them equal), without an instance per row
    and without reading the rows back: each of `rows` is (pk, `str()` of the row, its values in
    `columns` order (attnames), {m2m field: related pks written with it}). The entries stream into
    one COPY; for the hundreds of thousands of rows of an import, a statement that read the new
    rows back to build their JSON cost the database more than the COPY. Only for models whose
    recorded fields are text, numbers, booleans or foreign keys, and whose country is a column of
    their own.
    """
    if _bypass(model):
        return 0
    from core.bulk import copy_lines
    from core.models import ObjectChange

    rows = list(rows)
    if not rows:
        return 0
    position = {column: index for index, column in enumerate(columns)}
    masked = set(getattr(model, "history_mask_fields", ()))
    fields = []
    for field in _FIELDS[model]:
        if not isinstance(field, _JSON_AS_IS):
            raise TypeError(f"{model._meta.label}.{field.name} is not recorded from copied values; use record_created.")
        fields.append((position[field.attname], json.dumps(field.name), field.name in masked))
    hidden = json.dumps([HIDDEN, HIDDEN])
    lookups = [lookup for lookup in getattr(model._default_manager.all(), "country_lookups", ()) if "__" not in lookup]
    countries = [position[model._meta.get_field(lookup).attname] for lookup in lookups]
    related = {}
    for name in m2m:
        pks = {pk for _pk, _repr, _values, links in rows for pk in links.get(name, ())}
        related[name] = (json.dumps(name), _names(model._meta.get_field(name).related_model, pks), {})

    def changes(values: tuple, links: dict[str, list]) -> str:
        parts = []
        for index, key, hide_value in fields:
            value = values[index]
            if value is not None:
                parts.append(f"{key}: {hidden}" if hide_value else f"{key}: [null, {_json_value(value)}]")
        for name, (key, names, known) in related.items():
            pks = tuple(links.get(name, ()))
            if pks:
                if pks not in known:  # most rows share a few sets of related rows (a region or two)
                    change = m2m_change("add", {pk: names.get(pk, str(pk)) for pk in pks})
                    known[pks] = f"{key}: {json.dumps(change)}"
                parts.append(known[pks])
        return "{" + ", ".join(parts) + "}"

    attribution = current().attribution()
    actor = attribution.pop("actor")
    constants = {
        "content_type_id": ContentType.objects.get_for_model(model).pk,
        "action": CREATE,
        "changes_text": "",
        "timestamp": timezone.now(),
        **attribution,
        "actor_id": actor.pk if actor is not None else None,
    }
    columns_out = ["object_pk", "object_id", "object_repr", "changes", "country_pk", *constants]
    # Each entry is one CSV line written here, not through csv.writer: all but five of its values
    # are the same on every line, formatted once.
    tail = "".join("," + ("" if value is None else _csv_quoted(str(value))) for value in constants.values())

    def lines():
        for pk, name, values, links in rows:
            country = next((values[index] for index in countries if values[index] is not None), None)
            country = "" if country is None else str(int(country))
            yield f'"{pk}",{pk},{_csv_quoted(name)},{_csv_quoted(changes(values, links))},{country}{tail}\n'

    with connection.cursor() as cursor:
        return copy_lines(cursor, ObjectChange._meta.db_table, columns_out, lines())


def _csv_quoted(text: str) -> str:
    """A value as COPY's CSV format reads a quoted one (an empty string stays a string, not NULL)."""
    return '"' + text.replace('"', '""') + '"'


def record_links(through: type[models.Model], links: Iterable[models.Model]) -> int:
    """History rows for many-to-many links inserted directly into their table (COPY, `seed_scale`)."""
    if through not in _M2M or auditlog_disabled.get():
        return 0
    owner_model, field = _M2M[through]
    source = through._meta.get_field(field.m2m_field_name()).attname
    target = through._meta.get_field(field.m2m_reverse_field_name()).attname
    by_owner: dict[Any, list] = defaultdict(list)
    for link in links:
        by_owner[getattr(link, source)].append(getattr(link, target))
    if not by_owner:
        return 0
    names = _names(field.related_model, {pk for pks in by_owner.values() for pk in pks})
    owners = _by_pk(owner_model, list(by_owner))
    items = [
        (owners[pk], {field.name: m2m_change("add", {target_pk: names.get(target_pk, "") for target_pk in targets})})
        for pk, targets in by_owner.items()
        if pk in owners
    ]
    return record(owner_model, UPDATE, items)


def _by_pk(model: type[models.Model], pks: list, using: str | None = None) -> dict[Any, models.Model]:
    manager = model._base_manager.using(using) if using else model._base_manager
    rows, size = {}, _chunk_size()
    for start in range(0, len(pks), size):
        rows.update((obj.pk, obj) for obj in manager.filter(pk__in=pks[start : start + size]))
    return rows


def _recorded_field_names(model: type[models.Model], names: Iterable[str]) -> list[str]:
    included = {field.name for field in _FIELDS.get(model, ())}
    return [name for name in {model._meta.get_field(name).name for name in names} if name in included]


def _bypass(model: type[models.Model]) -> bool:
    return not is_recorded(model) or auditlog_disabled.get()


def recorded_update(queryset: models.QuerySet, values: dict[str, Any], update: Callable[..., int]) -> int:
    """`QuerySet.update()` and one history row per changed row: the rows before, the update, the rows after."""
    model = queryset.model
    fields = [] if _bypass(model) else _recorded_field_names(model, values)
    if not fields:
        return update(**values)
    with transaction.atomic(using=queryset.db, savepoint=False):
        before = {obj.pk: obj for obj in queryset._chain()}
        count = update(**values)
        after = _by_pk(model, list(before), queryset.db)
        items = [
            (after[pk], model_instance_diff(old, after[pk], fields_to_check=fields, use_json_for_changes=True))
            for pk, old in before.items()
            if pk in after
        ]
        record(model, UPDATE, items)
    return count


def recorded_bulk_update(
    queryset: models.QuerySet, objs: Iterable[models.Model], fields: Iterable[str], bulk_update: Callable
) -> int:
    """`bulk_update()` and one history row per changed row (the old values read in one query)."""
    model = queryset.model
    objs, fields = list(objs), list(fields)
    names = [] if _bypass(model) else _recorded_field_names(model, fields)
    if not names:
        return bulk_update(objs)
    with transaction.atomic(using=queryset.db, savepoint=False):
        before = _by_pk(model, [obj.pk for obj in objs], queryset.db)
        token = auditlog_disabled.set(True)  # Django's bulk_update calls update(): recorded here instead
        try:
            count = bulk_update(objs)
        finally:
            auditlog_disabled.reset(token)
        items = [
            (obj, model_instance_diff(before[obj.pk], obj, fields_to_check=names, use_json_for_changes=True))
            for obj in objs
            if obj.pk in before
        ]
        record(model, UPDATE, items)
    return count


def recorded_bulk_create(
    queryset: models.QuerySet, objs: Iterable[models.Model], options: dict, bulk_create: Callable
) -> list:
    """`bulk_create()` and one "created" history row per row.

    With `ignore_conflicts` or `update_conflicts` the database does not say which rows it wrote,
    so nothing is recorded: no recorded model is written that way.
    """
    model = queryset.model
    if _bypass(model) or options.get("ignore_conflicts") or options.get("update_conflicts"):
        return bulk_create(objs)
    with transaction.atomic(using=queryset.db, savepoint=False):
        created = bulk_create(objs)
        record_created(model, created)
    return created


def _m2m_changed(sender, instance, action, reverse, model, pk_set, using, **kwargs) -> None:
    """A many-to-many change, from either side, recorded on the rows that declare the field."""
    if auditlog_disabled.get():
        return
    owner_model, field = _M2M[sender]
    if action == "pre_clear":
        # clear() does not say what it removes: remember it before it is gone.
        mine, theirs = (field.m2m_reverse_field_name(), field.m2m_field_name())
        if not reverse:
            mine, theirs = theirs, mine
        cleared = sender._base_manager.using(using).filter(**{mine: instance.pk}).values_list(f"{theirs}_id", flat=True)
        instance.__dict__.setdefault("_history_clearing", {})[sender] = set(cleared)
        return
    if action == "post_clear":
        pk_set = instance.__dict__.get("_history_clearing", {}).pop(sender, set())
    elif action not in ("post_add", "post_remove"):
        return
    if not pk_set:
        return
    operation = "add" if action == "post_add" else "delete"
    if reverse:
        owners = _by_pk(owner_model, list(pk_set), using)
        change = m2m_change(operation, {instance.pk: smart_str(instance)})
        record(owner_model, UPDATE, [(owner, {field.name: change}) for owner in owners.values()])
    else:
        record(owner_model, UPDATE, [(instance, {field.name: m2m_change(operation, _names(model, pk_set, using))})])


def scrub_history(
    target: models.Model | None = None,
    *,
    fields: Iterable[str],
    model: type[models.Model] | None = None,
    pk: Any = None,
    replacement: str = "[erased]",
) -> int:
    """Take a person's data out of the history of one row (a model instance, or `model` and `pk`).

    In every change of that row, the old and new values of `fields` and the row's name
    (`object_repr`, usually the person's name) become `replacement`; wherever a many-to-many
    change of another row names it, its name does too. Works after the row is deleted. The
    changes themselves stay: who changed what, and when. Returns how many history rows changed.
    """
    from core.models import ObjectChange

    if target is not None:
        model, pk = type(target), target.pk
    if model is None or pk is None:
        raise ValueError("scrub_history needs a row, or a model and a primary key.")
    fields = set(fields)
    key = {"object_id": pk} if isinstance(pk, int) else {"object_pk": str(pk)}
    own = list(ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(model), **key))
    for entry in own:
        changes = entry.changes or {}
        for name in fields & changes.keys():
            if isinstance(changes[name], list):
                changes[name] = [replacement if value not in (None, "") else value for value in changes[name]]
        entry.object_repr, entry.serialized_data, entry.changes_text = replacement, None, ""
        if entry.actor_id is None:
            # Written by nobody signed in: the person themself (the join or contact form), from their address.
            entry.remote_addr = None
    ObjectChange.objects.bulk_update(own, ["changes", "object_repr", "serialized_data", "changes_text", "remote_addr"])
    others = []
    for owner_model, field in _M2M.values():
        if field.related_model is not model:
            continue
        owner_changes = ObjectChange.objects.filter(
            content_type=ContentType.objects.get_for_model(owner_model), changes__has_key=field.name
        )
        for entry in owner_changes:
            change = entry.changes[field.name]
            if isinstance(change, dict) and pk in change.get("pks", ()):
                change["objects"][change["pks"].index(pk)] = replacement
                others.append(entry)
    ObjectChange.objects.bulk_update(others, ["changes"])
    return len(own) + len(others)
