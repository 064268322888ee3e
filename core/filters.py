"""The base of every FilterSet: free-text `q`, `updated_since`, and filters that see only what the user sees.

A filter is a query like any other: every table it reads beyond the list's own rows is read through
that table's `visible_to(user)`, so a filter value never tells a user more than the list may show.
For a hidden row the answer is the one a row that does not exist gets:

- a filter that takes a row (`?coalition=ID`, a ModelChoiceFilter) chooses among the rows the user
  may see (`queryset=visible(Model)`, a callable of the request, as django-filter documents), so a
  hidden id is "not one of the available choices", exactly like an id that does not exist; the
  filters Meta.fields generates for foreign keys get the same queryset;
- any other filter whose `field_name` reaches into another table (`initiative__country`), or that
  takes an id for a relation (`NumberFilter(field_name="participants")`), is applied as a subquery
  over the visible rows of each table it crosses;
- `q` searches a field of another table (`stakeholder__name`) among that table's visible rows;
- a filter with a `method` names the path it reads in `field_name` (`memberships__coalition`), and
  its method builds its subquery from `self.visible_rows(Model)`.

Without a request nobody is the user, who sees nothing: such a FilterSet accepts no row's id.
"""

import copy
import datetime
import hashlib
from collections.abc import Callable
from functools import lru_cache, partial

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db.models import Model, Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField
from django_filters.filters import FilterMethod
from django_filters.utils import label_for_filter

from . import short_tables
from .forms import DateInput
from .models import ScopedQuerySet
from .parsing import is_decimal, is_integer
from .pickers import Picker
from .search import ranked, search_condition
from .versions import code_version


def _scoped(rows: type[Model] | QuerySet) -> ScopedQuerySet:
    queryset = rows._default_manager.all() if isinstance(rows, type) else rows
    if not isinstance(queryset, ScopedQuerySet):
        raise ImproperlyConfigured(f"{queryset.model.__name__} has no visible_to(user): no filter may read it.")
    return queryset


def visible(rows: type[Model] | QuerySet) -> Callable[[HttpRequest | None], QuerySet]:
    """A ModelChoiceFilter's `queryset=`: the rows (of a model, or of a queryset) the request's user may see."""
    queryset = _scoped(rows)

    def visible_rows(request: HttpRequest | None) -> QuerySet:
        return queryset.visible_to(getattr(request, "user", None))

    return visible_rows


#: Lookups on a relation that compare with rows of the other table (`coalition=ID`); others, such as
#: `isnull`, are about the relation's own column.
_ROW_LOOKUPS = ("exact", "in")


def through_visible(model: type[Model], path: str, value, user) -> Q:
    """The condition `path=value` on `model` (`path` may end in a lookup), other tables read through their visible rows.

    `initiative__country=3` on coalitions becomes "initiative among the visible initiatives, of a
    visible country whose id is 3". A to-many step is a `pk__in` subquery, so a row that matches
    through two related rows is listed once.
    """
    name, _sep, rest = path.partition(LOOKUP_SEP)
    field = _field(model, name)
    if field is None or not field.is_relation:
        return Q(**{path: value})  # a column of this table
    there = field.related_model
    if not rest or _field(there, rest.partition(LOOKUP_SEP)[0]) is None:  # only a lookup is left
        lookup = rest or "exact"
        if lookup not in _ROW_LOOKUPS:
            return Q(**{path: value})
        inner = Q(**{f"pk__{lookup}": _ids(value)})
    else:
        inner = through_visible(there, rest, value, user)
    related = _scoped(there).visible_to(user).filter(inner)
    if field.many_to_one or field.one_to_one:
        return Q(**{f"{name}__in": related})
    return Q(pk__in=model._default_manager.filter(**{f"{name}__in": related}).values("pk"))


def _ids(value):
    """A chosen row (or rows) as the id(s) a `pk` lookup takes."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [getattr(item, "pk", item) for item in value]
    return value


def _field(model: type[Model], name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def reads_another_table(filter_: django_filters.Filter, model: type[Model]) -> bool:
    """Whether the filter (without a method) reads rows of a table other than `model`'s.

    A field_name that reaches into another table (`initiative__country`) does; so does a relation
    of `model` itself given an id (`NumberFilter(field_name="coalition")`), but not a
    ModelChoiceFilter on it: its value is already one of the rows the user may see.
    """
    name, _sep, rest = filter_.field_name.partition(LOOKUP_SEP)
    field = _field(model, name)
    if field is None or not field.is_relation:
        return False
    if rest and _field(field.related_model, rest.partition(LOOKUP_SEP)[0]) is not None:
        return True
    chosen = isinstance(filter_, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter)
    return not chosen and (rest or filter_.lookup_expr) in _ROW_LOOKUPS


class _ShortListIterator(forms.models.ModelChoiceIterator):
    """The field's choices from the rows it read once."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for row in self.field.rows():
            yield self.choice(row)

    def __len__(self) -> int:
        return len(self.field.rows()) + (self.field.empty_label is not None) + (self.field.null_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.rows())


class ShortListChoiceField(ModelChoiceField):
    """A ModelChoiceField over a few rows: read once, both to list the options and to check the value."""

    iterator = _ShortListIterator

    def rows(self) -> list[Model]:
        # A form's field is a copy with a queryset of its own (Django copies it): each form reads once,
        # from the cache when its queryset is a whole short table (core.short_tables).
        if getattr(self, "_rows_of", None) is not self.queryset:
            self._rows = short_tables.rows(self.queryset)
            self._rows_of = self.queryset
        return self._rows

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.null_label is not None and value == self.null_value:
            return value
        self.validate_no_null_characters(value)
        key = self.to_field_name or "pk"
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        for row in self.rows():
            if str(getattr(row, key)) == str(value):
                return row
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class ShortListChoiceFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter for a short table (countries): a page that lists the options pays one query, not two."""

    field_class = ShortListChoiceField


#: What a yes/no filter accepts, in any case: the API's `true`/`false` (`1`/`0`), and the pages' select
#: (Django's NullBooleanSelect) sends `unknown` for "either".
_BOOLEAN_VALUES = frozenset({"", "true", "false", "1", "0", "unknown"})


#: Form fields whose value is read as a number by Python's lenient parsers (or a regular
#: expression's `\d`, for dates), and the plain form a value must have for each.
_NUMERIC_FIELDS = (
    (forms.ModelChoiceField, is_integer),  # and ModelMultipleChoiceField, a subclass: an id each
    (forms.IntegerField, is_integer),
    (forms.DecimalField, is_decimal),
    (forms.FloatField, is_decimal),
    (forms.DateField, str.isascii),
    (forms.DateTimeField, str.isascii),
    (forms.TimeField, str.isascii),
)


class StrictValuesForm(forms.Form):
    """A FilterSet's form refuses a value it does not know, rather than reading it loosely or dropping it.

    A number, an id or a date must be written in ASCII digits, plainly: Django's fields accept other
    scripts' digits ("١٢" is 12), "1_000" and exponents. A yes/no filter's widget turns any value it
    does not know into "either", so `?is_public=maybe` would list every row as if nothing had been asked.
    """

    def clean(self):
        for name, field in self.fields.items():
            if isinstance(field, forms.NullBooleanField):
                raw = self.data.get(self.add_prefix(name))
                if isinstance(raw, str) and raw.strip().lower() not in _BOOLEAN_VALUES:
                    self.add_error(name, _("Use true or false."))
                continue
            check = next((check for kind, check in _NUMERIC_FIELDS if isinstance(field, kind)), None)
            if check is None or name in self._errors:
                continue
            key = self.add_prefix(name)
            raw = self.data.getlist(key) if hasattr(self.data, "getlist") else [self.data.get(key)]
            values = [str(value).strip() for value in raw if value not in (None, "")]
            if getattr(field, "null_label", None) is not None:
                values = [value for value in values if value != field.null_value]  # "no row" is a choice too
            if isinstance(field, forms.ModelChoiceField) and field.to_field_name not in (None, "pk", "id"):
                continue  # chosen by another column (a country code): its own field checks it
            if any(not check(value) for value in values):
                self.add_error(name, forms.ValidationError(_("Enter a value in digits 0-9."), code="invalid"))
        return super().clean()


class DateRangeWidget(django_filters.widgets.DateRangeWidget):
    """A date range (`_after`, `_before`) of two of the one date input (`core.forms.DateInput`)."""

    def __init__(self, attrs=None):
        widgets = (DateInput(attrs={"aria-label": _("From")}), DateInput(attrs={"aria-label": _("To")}))
        django_filters.widgets.SuffixedMultiWidget.__init__(self, widgets, attrs)


class DateRangeFilter(django_filters.DateFromToRangeFilter):
    """Rows whose date lies in a range, entered with the one date input."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DateRangeWidget)
        super().__init__(*args, **kwargs)


class RowIdFilter(django_filters.NumberFilter):
    """The id of a row of another table, for a method filter; chosen on the page with a picker.

    Any number is taken (the method reads the visible rows), so an id the user may not see answers
    as an id that does not exist, with an empty list; `queryset=visible(Model)` gives the page's
    picker the rows it may offer.
    """

    def __init__(self, *args, queryset, **kwargs) -> None:
        self.rows = queryset
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        field.widget.queryset = self.rows(getattr(getattr(self, "parent", None), "request", None))
        return field


class _SharedChoices(tuple):
    """A filter's choices, which nothing changes: every copy of the filter shares them.

    django-filter deep-copies every filter of the class for each FilterSet it builds (each request);
    a list of choices would be copied with it, one tuple and lazy label at a time.
    """

    def __deepcopy__(self, memo):
        return self


class _FilterCopies(dict):
    """A FilterSet class's filters, of which django-filter deep-copies every one for each FilterSet it
    builds (each request), with every widget, label and queryset callable it holds.

    What a FilterSet changes on its copy is the copy's own attributes (its `parent`, `model`,
    `method`), and the field a filter builds when asked, so each FilterSet gets a shallow copy of
    each filter, with a field of its own and its method bound to the copy.
    """

    def __deepcopy__(self, memo):
        return _FilterCopies((name, _filter_copy(filter_)) for name, filter_ in self.items())


def _filter_copy(filter_: django_filters.Filter) -> django_filters.Filter:
    copied = copy.copy(filter_)
    copied.extra = dict(filter_.extra)
    copied.__dict__.pop("_field", None)  # built by the copy when asked, as a deep copy's would be its own
    if isinstance(filter_.filter, FilterMethod):
        copied.method = filter_.method  # a FilterMethod calls its filter's parent: this copy's
    return copied


_lazy_label = lazy(label_for_filter, str)


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 moment, compared in UTC: Python reads any offset under a day ("+19:09"), which
    PostgreSQL refuses beyond ±15:59, and the refused query would end the request's transaction."""

    def filter(self, qs, value):
        if isinstance(value, datetime.datetime) and value.utcoffset() is not None:
            value = value.astimezone(datetime.UTC)
        return super().filter(qs, value)


class BaseFilterSet(django_filters.FilterSet):
    """One FilterSet per model serves both the staff list page and the API, built with the request in both.

    A value a filter does not know is an error (a 400 in the API), never silently ignored.
    """

    #: Fields `q` searches (case-insensitive substring, any of them).
    search_fields: tuple[str, ...] = ()
    #: The filters the staff list page shows, in order (every one when empty); the API takes them all.
    page_filters: tuple[str, ...] = ()

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    updated_since = UtcIsoDateTimeFilter(field_name="updated_at", lookup_expr="gte", label=_("Updated since"))

    #: The filter classes whose `filter()` is a plain `field_name__lookup_expr=value`, so that it can
    #: run as a subquery over the other table when the field_name crosses into one.
    _PLAIN_FILTERS = (
        django_filters.CharFilter,
        django_filters.NumberFilter,
        django_filters.BooleanFilter,
        django_filters.ModelChoiceFilter,
    )

    def get_form_class(self):
        """django-filter's form class (a field per filter, on Meta.form, with StrictValuesForm among its bases).

        Built once per FilterSet class, not per request: its fields follow from the class's filters
        alone, except the rows a field may choose, which `form` gives each request's copy of the
        fields. The class's own fields choose among the rows nobody sees (no request, no user).
        """
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            # From copies of the filters: a base filter that kept its field would copy it for every request.
            fields = {name: filter_.field for name, filter_ in copy.deepcopy(cls.base_filters).items()}
            cls._form_class = type(f"{cls.__name__}Form", (StrictValuesForm, self._meta.form), fields)
        if not self.given_only:
            return cls._form_class
        keys = set(self.data)
        given = []
        for name in cls._form_class.base_fields:
            key = f"{self.form_prefix}-{name}" if self.form_prefix else name
            # A field whose widget reads several keys reads `key_<suffix>` (a range's `_after`, `_before`).
            if key in keys or any(other.startswith(f"{key}_") for other in keys):
                given.append(name)
        return _form_with(cls._form_class, tuple(given))

    @property
    def form(self):
        """The form of this request's data; each field that chooses rows chooses among the rows its user may see."""
        if not hasattr(self, "_form"):
            form = super().form
            for name, filter_ in self.filters.items():
                field = form.fields.get(name)
                if field is None:
                    continue  # not given (`given_only`)
                if isinstance(filter_, django_filters.filters.QuerySetRequestMixin):
                    field.queryset = filter_.get_queryset(self.request)
                elif isinstance(filter_, RowIdFilter):
                    field.widget.queryset = filter_.rows(self.request)
        return self._form

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        model = cls._meta.model
        for filter_ in filters.values():
            if filter_.label is None and model is not None:
                # The model's verbose name in the language of each page that shows it: django-filter
                # would fix it in the language of the first form built from the class's filters.
                filter_.label = _lazy_label(model, filter_.field_name, filter_.lookup_expr, filter_.exclude)
            choices = filter_.extra.get("choices")
            if isinstance(choices, list | tuple) and not isinstance(choices, _SharedChoices):
                filter_.extra["choices"] = _SharedChoices(choices)
        return _FilterCopies(filters)

    @classmethod
    def for_model(cls, model: type[Model]) -> type["BaseFilterSet"] | None:
        """The model's FilterSet (one per model): the record picker's search is its `q`."""
        from importlib import import_module

        try:
            import_module(f"{model._meta.app_config.name}.filters")
        except ModuleNotFoundError:
            return None
        found = [subclass for subclass in _subclasses(BaseFilterSet) if subclass._meta.model is model]
        return found[0] if found else None

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, given_only: bool = False) -> None:
        """`given_only`: the form has a field only for each filter the data gives a value for (the API,
        which never renders the form). A filter without a value filters nothing, so the rows are the
        same; only the fields (and the rows they may choose among) of the other filters are not built."""
        self.given_only = given_only
        super().__init__(data, queryset, request=request, prefix=prefix)
        for name, filter_ in self.filters.items():
            if filter_.method is not None or not reads_another_table(filter_, self._meta.model):
                continue
            if not isinstance(filter_, self._PLAIN_FILTERS):
                raise ImproperlyConfigured(
                    f"{type(self).__name__}.{name} reads another table: give it a method that reads it "
                    "through self.visible_rows()."
                )
            filter_.method = partial(self._filter_through_visible, filter_)

    @classmethod
    def filter_for_lookup(cls, field, lookup_type):
        """A filter Meta.fields generates for a relation chooses among the related rows the user may see."""
        filter_class, params = super().filter_for_lookup(field, lookup_type)
        if filter_class is django_filters.DateFilter:
            params = {**params, "widget": DateInput}
        if isinstance(params.get("queryset"), ScopedQuerySet):
            params = {**params, "queryset": visible(params["queryset"])}
        return filter_class, params

    @property
    def page_fields(self) -> list:
        """The bound fields of `page_filters`, for includes/form.html on the list page."""
        form = self.form
        return [form[name] for name in self.page_filters] if self.page_filters else list(form.visible_fields())

    @property
    def page_form_key(self) -> str | None:
        """The key of the page's rendered filter form in the cache (includes/form.html's `cache_key=`).

        What the form renders follows from the code and catalogues (`core.versions`), the language,
        the values submitted for the fields it shows (their errors follow from them) and the options
        of its short lists, which are rows of the user's scope that the form read anyway to check the
        value: their ids and names are part of the key, so a new or renamed country, or a user who
        sees other countries, gets another key, with no query and no signal. A form that shows rows
        read while rendering (a picker's chosen rows or its search, a select of rows) has no key and
        is rendered each time.
        """
        form = self.form
        data = self.data or {}
        shown = {bound.name: bound for bound in [*self.page_fields, *form.hidden_fields()]}
        parts = [type(self).__qualname__, code_version(), translation.get_language() or "", ",".join(shown)]
        for bound in shown.values():
            field = bound.field
            submitted = sorted(
                (key, str(value)) for key in data if key.startswith(bound.html_name) for value in _values(data, key)
            )
            if isinstance(field.widget, Picker):
                if any(value for _key, value in submitted):
                    return None
            elif isinstance(field, ShortListChoiceField):
                parts.append(repr([(row.pk, str(field.label_from_instance(row))) for row in field.rows()]))
            elif isinstance(field, forms.ModelChoiceField):
                return None
            parts.append(repr((bound.html_name, submitted)))
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    @property
    def user(self):
        """Whom the rows are for: the request's user (without a request, nobody, who sees nothing)."""
        return getattr(self.request, "user", None)

    def visible_rows(self, rows: type[Model] | QuerySet) -> QuerySet:
        """The rows of another table this FilterSet's user may see: every method filter's subqueries start here."""
        return _scoped(rows).visible_to(self.user)

    def _filter_through_visible(self, filter_, queryset, name, value):
        condition = through_visible(self._meta.model, f"{name}{LOOKUP_SEP}{filter_.lookup_expr}", value, self.user)
        return filter_.get_method(queryset)(condition)

    def filter_q(self, queryset, name, value):
        """Every word typed in one of `search_fields`, in any order, best matches first (core.search)."""
        model = self._meta.model
        condition = search_condition(
            model,
            self.search_fields,
            value,
            condition=lambda path, word: through_visible(model, path, word, self.user),
        )
        if condition is None:
            return queryset
        return ranked(queryset.filter(condition), value)


@lru_cache(maxsize=1024)
def _form_with(form_class: type[forms.Form], names: tuple[str, ...]) -> type[forms.Form]:
    """`form_class` with only these of its fields (each form copies its class's fields when it is made)."""
    fields = {name: form_class.base_fields[name] for name in names}
    return type(form_class.__name__, form_class.__bases__, fields)


def _values(data, key: str) -> list:
    return data.getlist(key) if hasattr(data, "getlist") else [data[key]]


def _subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *_subclasses(direct))]
