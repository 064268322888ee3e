"""Hot API lists built from `.values()` rows, planned from each serializer's own fields.

The hot lists (stakeholders, a coalition's members, an initiative's map) answer thousands of
rows a minute; DRF builds a model instance, a manager per many-to-many and a bound field per
value for each row (bench/README.md has the measurement). `row_plan(SerializerClass)` reads the
serializer's `fields` once per class and derives the `.values()` columns and, per field, the
field's own `to_representation`, so a field is declared once, on the serializer.

What a plan can build (anything else, such as a method field, a dotted source or a serializer
overriding `to_representation`, makes `row_plan` return None and the list uses the serializer):

- a model column (`to_representation` of the serializer's field, None stays None);
- a foreign key as an id, and a nested ModelSerializer of plain columns on it (a brief); for a
  relation the viewset scopes (`ScopedModelViewSet.scoped_relations`, partners) the related rows
  come through `visible_to(user)` in one query, so one out of sight is null as in the serializer;
  otherwise they are joined;
- a many-to-many of ids, in id order (or of a column of the related rows, in their order), carried
  by the page's own query as a list per row (`Linked`: a correlated subquery on the through table's
  index, evaluated for the page's rows only), so a page costs no query per many-to-many (not for
  scoped ones). Read the rows through `RowPlan.page_rows`, which asks for these lists.

`core/tests/test_api_rows.py` checks every list that uses a plan against its serializer.
"""

import copy
import datetime
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property, partial

from django.db import models
from django.db.models import F, Func
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

Convert = Callable[[object], object]


@dataclass(frozen=True)
class _Relation:
    """A foreign key the serializer shows as an id (`id_fields`) and/or as briefs (`briefs`)."""

    name: str
    model: type[models.Model]
    id_fields: tuple[str, ...] = ()
    #: (output name, ((brief field, column on the related model, convert), ...))
    briefs: tuple[tuple[str, tuple[tuple[str, str, Convert], ...]], ...] = ()

    @cached_property
    def columns(self) -> tuple[str, ...]:
        """The related model's columns the briefs read (the plan is built once per serializer, so are these)."""
        return tuple(dict.fromkeys(column for _, fields in self.briefs for _, column, _ in fields))


@dataclass
class RowPlan:
    model: type[models.Model]
    order: tuple[str, ...]  # output names, in the serializer's order
    values: dict[str, tuple[str, Convert]] = field(default_factory=dict)  # name -> (column, convert)
    relations: dict[str, _Relation] = field(default_factory=dict)
    many: dict[str, str] = field(default_factory=dict)  # name -> many-to-many field
    #: For a many-to-many shown by a column of the related rows (a SlugRelatedField: tags by name).
    many_slugs: dict[str, str] = field(default_factory=dict)  # name -> the related rows' column

    def usable(self, scoped: Iterable[str]) -> bool:
        """Whether the plan can build the rows when these relations are scoped (a scoped many-to-many cannot)."""
        return not set(self.many.values()) & set(scoped)

    def columns(self, scoped: Iterable[str]) -> tuple[str, ...]:
        """The `.values()` columns; relations not in `scoped` are joined for their briefs."""
        scoped = set(scoped)
        columns = [column for column, _ in self.values.values()]
        for relation in self.relations.values():
            columns.append(relation.name)
            if relation.name not in scoped:
                columns += [f"{relation.name}__{column}" for column in relation.columns]
        return tuple(dict.fromkeys(columns))

    def page_rows(self, queryset: models.QuerySet, scoped: Iterable[str]) -> models.QuerySet:
        """`queryset` as the `.values()` rows `rows()` builds from: the columns, and each many-to-many's
        list (`Linked`) in the same query."""
        return queryset.values(*self.columns(scoped), **self._linked)

    @cached_property
    def _linked(self) -> dict[str, "Linked"]:
        # Built once per plan (a plan is built once per serializer): a query copies an expression as
        # it resolves it, never changes it.
        return {
            _linked_name(name): _linked(self.model, source, self.many_slugs.get(name))
            for name, source in self.many.items()
        }

    def rows(self, page: list[dict], user, scoped: Iterable[str]) -> list[dict]:
        """The serializer's JSON for a page of `self.page_rows(queryset, scoped)` rows."""
        scoped = set(scoped)
        visible = {
            relation.name: _visible(user, relation, (row[relation.name] for row in page))
            for relation in self.relations.values()
            if relation.name in scoped
        }
        many = [(name, _linked_name(name)) for name in self.many]
        values = [(name, column, _for_page(convert)) for name, (column, convert) in self.values.items()]
        relations = [
            (
                relation,
                [(name, [(f, c, _for_page(convert)) for f, c, convert in fields]) for name, fields in relation.briefs],
            )
            for relation in self.relations.values()
        ]
        built = []
        for row in page:
            out = {}
            for name, column, convert in values:
                value = row[column]
                out[name] = None if value is None else convert(value)
            for relation, briefs in relations:
                pk = row[relation.name]
                if relation.name in scoped:
                    related = visible[relation.name].get(pk)
                    pk = related["id"] if related else None
                else:
                    related = {column: row[f"{relation.name}__{column}"] for column in relation.columns}
                for name in relation.id_fields:
                    out[name] = pk
                for name, fields in briefs:
                    out[name] = None if pk is None else _brief(related, fields)
            for name, column in many:
                out[name] = row[column]
            built.append({name: out[name] for name in self.order})
        return built


def _for_page(convert: Convert) -> Convert:
    """A field's `to_representation` for one page: a date-time field's time zone (the request's, through
    a thread-local) is read once for the page rather than once per value; the conversion is the field's own."""
    field = getattr(convert, "__self__", None)
    if isinstance(field, serializers.DateTimeField) and not hasattr(field, "timezone"):
        field = copy.copy(field)  # the plan's field is shared by every request
        field.timezone = field.default_timezone()
        if _writes_iso(field) and field.timezone is not None:
            return partial(_iso_datetime, field.timezone, field.to_representation)
        return field.to_representation
    return convert


def _writes_iso(field: serializers.DateTimeField) -> bool:
    return (
        type(field).to_representation is serializers.DateTimeField.to_representation
        and type(field).enforce_timezone is serializers.DateTimeField.enforce_timezone
        and getattr(field, "format", api_settings.DATETIME_FORMAT) == ISO_8601
    )


def _iso_datetime(zone, to_representation: Convert, value) -> object:
    """DRF's ISO 8601 text of an aware date-time (the database's), in `zone`, "Z" for UTC, without
    looking up the format and the zone again for each value; anything else goes to the field itself."""
    if not isinstance(value, datetime.datetime) or value.utcoffset() is None:
        return to_representation(value)
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _brief(related: dict, fields) -> dict:
    return {name: None if related[column] is None else convert(related[column]) for name, column, convert in fields}


def _visible(user, relation: _Relation, ids: Iterable[int | None]) -> dict[int, dict]:
    """`{id: columns}` for the related rows among `ids` that `user` may see (one query, none without ids)."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    rows = relation.model.objects.visible_to(user).filter(pk__in=wanted).order_by().values("id", *relation.columns)
    return {row["id"]: row for row in rows}


class _List(models.Field):
    """A list read from the database: an array on PostgreSQL, JSON text on SQLite."""

    def get_db_converters(self, connection):
        # PostgreSQL's driver already gives an array as a list: only SQLite's JSON text is read.
        return [] if connection.vendor == "postgresql" else [self.from_db_value]

    def from_db_value(self, value, expression, connection):
        return json.loads(value) if isinstance(value, str) else value


#: The id the links' subquery is compiled with, where each page puts the outer row's id.
_OUTER_ID = 0


class Linked(Func):
    """The one column (`linked`) of a correlated subquery's rows, as a list in the subquery's order.

    In the select list of a page query it is evaluated for the page's rows alone (PostgreSQL puts it
    after the sort and the limit), one index lookup each, instead of a query of its own per relation.

    The subquery is the ORM's (`links`, filtered on the outer row's id): compiled once per database,
    with the id as its one parameter, and each page puts the outer row's id (`F("pk")`) in that
    parameter's place. Resolving and compiling a correlated subquery again for every page cost as
    much as the rest of the page's query. Its tables are named unaliased, so none of them may be the
    outer model's (`row_plan` leaves such a relation to the serializer).
    """

    output_field = _List()

    def __init__(self, links: models.QuerySet) -> None:
        super().__init__(F("pk"))
        self.links = links
        self._templates: dict[str, str] = {}

    def _template(self, connection) -> str:
        template = self._templates.get(connection.alias)
        if template is None:
            sql, params = self.links.query.get_compiler(connection=connection).as_sql()
            if tuple(params) != (_OUTER_ID,) or sql.count("%") != 1:
                raise ValueError(f"Links with parameters of their own cannot be a page's column: {sql}")
            subquery = sql.replace("%s", "%(expressions)s")
            if connection.vendor == "sqlite":
                # SQLite has no arrays; its JSON aggregate reads the rows in the subquery's order.
                template = f'(SELECT json_group_array("linked") FROM ({subquery}))'  # noqa: S608 - the ORM's SQL
            else:
                template = f"ARRAY({subquery})"
            self._templates[connection.alias] = template
        return template

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template=self._template(connection), **extra_context)


def _linked_name(name: str) -> str:
    return f"{name}_linked"  # not a field's name: a `.values()` annotation may not shadow one


def _linked(model: type[models.Model], source: str, slug: str | None = None) -> Linked:
    """The many-to-many `source` of each row: the related ids in id order, or with `slug`, that column
    of the related rows in the related model's own order (the order its viewset prefetches them in,
    as a SlugRelatedField lists them)."""
    m2m = model._meta.get_field(source)
    through = m2m.remote_field.through
    own = through._meta.get_field(m2m.m2m_field_name()).attname
    other = through._meta.get_field(m2m.m2m_reverse_field_name()).attname
    order: list[str] = [other]
    if slug is not None:
        target = m2m.m2m_reverse_field_name()
        ordering = m2m.related_model._meta.ordering or ["pk"]
        order = [f"-{target}__{o[1:]}" if o.startswith("-") else f"{target}__{o}" for o in ordering]
        other = f"{target}__{slug}"
    links = through.objects.filter(**{own: _OUTER_ID}).order_by(*order).values(linked=F(other))
    return Linked(links)


def _plain_column(model: type[models.Model], field: serializers.Field) -> str | None:
    """The column a serializer field reads when it is a plain model column, else None."""
    if isinstance(field, (serializers.BaseSerializer, serializers.RelatedField, serializers.ManyRelatedField)):
        return None
    if isinstance(field, (serializers.SerializerMethodField, serializers.HiddenField)) or "." in field.source:
        return None
    try:
        model_field = model._meta.get_field(field.source)
    except Exception:  # a property or a method of the model, not a column
        return None
    if not model_field.concrete or model_field.is_relation:
        return None
    return model_field.attname


def _builds_itself(serializer_class: type[serializers.BaseSerializer]) -> bool:
    return (
        issubclass(serializer_class, serializers.ModelSerializer)
        and serializer_class.to_representation is serializers.Serializer.to_representation
    )


@cache
def row_plan(serializer_class: type[serializers.ModelSerializer]) -> RowPlan | None:
    """The plan of `serializer_class`'s list rows, or None when a field needs the serializer."""
    if not _builds_itself(serializer_class):
        return None
    model = serializer_class.Meta.model
    readable = [f for f in serializer_class().fields.values() if not f.write_only]
    plan = RowPlan(model=model, order=tuple(f.field_name for f in readable))
    ids: dict[str, list[str]] = {}
    briefs: dict[str, list] = {}
    for bound in readable:
        column = _plain_column(model, bound)
        if column is not None:
            plan.values[bound.field_name] = (column, bound.to_representation)
            continue
        try:
            model_field = model._meta.get_field(bound.source) if "." not in bound.source else None
        except Exception:
            model_field = None
        if model_field is None or not model_field.is_relation:
            return None
        if isinstance(bound, serializers.ManyRelatedField) and model_field.many_to_many and model_field.concrete:
            child = bound.child_relation
            if (
                isinstance(child, serializers.SlugRelatedField)
                and type(child).to_representation is serializers.SlugRelatedField.to_representation
                and "__" not in child.slug_field
                and model_field.related_model._meta.db_table != model._meta.db_table  # see Linked
            ):
                plan.many_slugs[bound.field_name] = child.slug_field
            elif (
                type(child).to_representation is not serializers.PrimaryKeyRelatedField.to_representation
                or child.pk_field is not None
            ):
                return None
            plan.many[bound.field_name] = bound.source
        elif not model_field.many_to_one:
            return None
        elif isinstance(bound, serializers.PrimaryKeyRelatedField) and bound.pk_field is None:
            if type(bound).to_representation is not serializers.PrimaryKeyRelatedField.to_representation:
                return None
            ids.setdefault(bound.source, []).append(bound.field_name)
        elif isinstance(bound, serializers.ModelSerializer) and _builds_itself(type(bound)):
            related = model_field.related_model
            fields = []
            for inner in bound.fields.values():
                if inner.write_only:
                    continue
                inner_column = _plain_column(related, inner)
                if inner_column is None:
                    return None
                fields.append((inner.field_name, inner_column, inner.to_representation))
            briefs.setdefault(bound.source, []).append((bound.field_name, tuple(fields)))
        else:
            return None
    for name in dict.fromkeys([*ids, *briefs]):
        plan.relations[name] = _Relation(
            name=name,
            model=model._meta.get_field(name).related_model,
            id_fields=tuple(ids.get(name, ())),
            briefs=tuple(briefs.get(name, ())),
        )
    return plan
