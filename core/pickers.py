"""The record picker: a related row (or several) chosen with a search box, on every page that picks one.

A form field or a filter choosing among many rows (stakeholders, regions, coalitions) declares
`widget=Picker(...)` (one row) or `widget=Picker(multiple=True, ...)` (several); the field's own
queryset, which the form or the FilterSet scopes with `visible_to(user)`, is what it reads. The page
shows the chosen rows and the matches of a search, never the whole table:

- without JavaScript, the Search button sends the form (`_picker_search`), and the page comes back
  with everything typed so far and the matches (`ValidatedModelForm` saves nothing then);
- with HTMX, the options follow the search box through `picker_options` (`core:picker`), which reads
  the model's FilterSet (its `q`, and the filters named in `suggest`) over `visible_to(user)`, so a
  hidden row is never offered and gets the answer a row that does not exist gets.

A model rule that allows only some rows (the lead of an initiative is an actor of its country, an
organisation is an organisation) is offered as a `limit`: the model's own columns every offered row
matches, with values fixed by the form (`limit_values`) or read from the form's field of the same
name. The rule itself stays in the model, which refuses any other row with its message.
"""

from collections.abc import Iterable
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Model, Q, QuerySet, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .parsing import parse_id

#: How many matches one search shows; people refine the search rather than scroll.
PICKER_LIMIT = 25
#: The button of the no-JavaScript search; a form sent with it is redisplayed, not saved.
SEARCH_BUTTON = "_picker_search"


def model_label(model: type[Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def filterset_for(model: type[Model]):
    """The model's FilterSet (one per model, `core.filters.BaseFilterSet` keeps the list)."""
    from core.filters import BaseFilterSet

    return BaseFilterSet.for_model(model)


def chosen_ids(values: Iterable) -> list[int]:
    """The ids among submitted values; anything else is ignored, as a missing row would be."""
    ids = (parse_id(getattr(value, "pk", value)) for value in values or ())
    return [id_ for id_ in ids if id_ is not None]


def limit_fields(model: type[Model]) -> set[str]:
    """The fields a limit may name: the model's own columns, so a limit never reads another table."""
    return {field.name for field in model._meta.concrete_fields}


def limited(rows: QuerySet, limit: dict | None) -> QuerySet:
    """The rows whose own columns have the limit's values (a list: any of them); none while a value is missing.

    A value is missing when the rule depends on a field not filled in yet (the initiative's country).
    """
    if not limit:
        return rows
    allowed = limit_fields(rows.model)
    conditions = {}
    for name, value in limit.items():
        if name == "exclude":
            continue
        if name not in allowed:
            return rows.none()
        values = [
            _column_value(rows.model, name, item) for item in (value if isinstance(value, list | tuple) else [value])
        ]
        values = [item for item in values if item not in (None, "")]
        if not values:
            return rows.none()
        conditions[f"{name}__in"] = values
    return rows.filter(**conditions).exclude(pk__in=chosen_ids(limit.get("exclude") or ()))


def _column_value(model: type[Model], name: str, value):
    """A value as the column holds it, or None for one it cannot hold (an id that is not a number)."""
    try:
        return model._meta.get_field(name).to_python(getattr(value, "pk", value))
    except ValidationError:
        return None


def options(
    rows: QuerySet,
    *,
    selected: list[int],
    query: str = "",
    suggest: dict | None = None,
    limit: dict | None = None,
    request=None,
) -> list[tuple[Model, bool]]:
    """The chosen rows (checked) first, then the matches of the search or, without one, the suggestions.

    `rows` are already the user's visible rows; the search and the suggestions are the model's
    FilterSet applied to them, with the request (without one, only searches of the row's own
    columns can match), among the rows the `limit` allows (`exclude`: ids never offered). One query.
    """
    data = {"q": query} if query else {name: value for name, value in (suggest or {}).items() if value}
    others = rows.none()
    if data:
        filterset = filterset_for(rows.model)(data, queryset=limited(rows, limit), request=request)
        if filterset.is_valid():
            others = filterset.qs.exclude(pk__in=selected)
    if not (selected or data):
        return []
    # One query: the chosen rows first, then the first matches, each in the list's own order.
    order = tuple(rows.query.order_by or rows.model._meta.ordering)
    if selected:
        # Without chosen rows the Case is a constant, which PostgreSQL would read as `ORDER BY 1`:
        # the first column (the id), not the list's order.
        order = (Case(When(pk__in=selected, then=0), default=1), *order)
    matches = others.values("pk")[:PICKER_LIMIT]
    picked = list(rows.filter(Q(pk__in=selected) | Q(pk__in=matches)).order_by(*order))
    chosen = [row for row in picked if row.pk in selected]
    others = [row for row in picked if row.pk not in selected]
    return [(row, True) for row in chosen] + [(row, False) for row in others]


class Picker(forms.Widget):
    """Chooses one row (radio buttons) or several (`multiple=True`, checkboxes) of its field's queryset.

    `suggest` names filters of the model's FilterSet fed from other fields of the same form (the
    coalition chosen in an engagement suggests its members): the options are refreshed when that
    field changes. `limit` names the model's own fields every offered row matches (the model's rule):
    the form fixes their values in `limit_values` (and the ids never offered in `limit_values["exclude"]`),
    or, for a name it leaves out, the value is the form's field of that name, followed like `suggest`.
    `any_label` is the empty choice of a single picker ("Any region"); without it a single picker
    has none (the field is required).
    """

    template_name = "core/widgets/picker.html"
    use_fieldset = True

    def __init__(self, attrs=None, *, multiple: bool = False, search_label=None, any_label=None, suggest=(), limit=()):
        super().__init__(attrs)
        self.multiple = multiple
        self.allow_multiple_selected = multiple
        self.search_label = search_label or _("Search by name")
        self.any_label = any_label
        self.suggest = tuple(suggest)
        #: Suggestions fixed by the form rather than read from another field (the outcome's coalition).
        self.suggest_values: dict[str, object] = {}
        self.limit = tuple(limit)
        #: The limit's values fixed by the form (the initiative's country of an assessment).
        self.limit_values: dict[str, object] = {}
        #: The values of the limit's fields the form follows, as last sent (or as the form starts them).
        self.followed_values: dict[str, object] = {}
        self.query = ""
        #: The rows to choose from: the field's queryset (set by a model choice field), or a filter's.
        self.queryset: QuerySet | None = None

    def value_from_datadict(self, data, files, name):
        # The search typed for the no-JavaScript path travels with the form; keep it for rendering.
        self.query = (data.get(f"{name}_q") or "").strip()
        for field in self.followed:
            self.followed_values[field] = data.get(field)
        if self.multiple:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False if self.multiple else name not in data

    @property
    def followed(self) -> tuple[str, ...]:
        return tuple(field for field in self.limit if field not in self.limit_values)

    @property
    def limit_now(self) -> dict:
        """The limit with its current values, fixed or followed."""
        return {
            **{field: self.followed_values.get(field) for field in self.followed},
            **{key: value for key, value in self.limit_values.items() if key in self.limit or key == "exclude"},
        }

    def format_value(self, value) -> list[str]:
        if value is None or value == "":
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(getattr(item, "pk", item)) for item in values]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # The field's scoped queryset (a ModelChoiceField hands its ModelChoiceIterator to the widget).
        rows = self.queryset if self.queryset is not None else self.choices.queryset
        limit = self.limit_now if self.limit else None
        picked = options(rows, selected=chosen_ids(self.format_value(value)), query=self.query, limit=limit)
        context["picker"] = picker_context(
            name=name,
            model=rows.model,
            multiple=self.multiple,
            suggest=self.suggest,
            suggest_values=self.suggest_values,
            query=self.query,
            picked=picked,
            search_label=self.search_label,
            any_label=self.any_label,
            load_suggestions=True,
            limit=self.limit,
            limit_values=self.limit_values,
        )
        return context


def picker_context(
    *,
    name: str,
    model: type[Model],
    multiple: bool,
    suggest,
    query: str,
    picked,
    suggest_values=None,
    search_label="",
    any_label="",
    load_suggestions=False,
    limit=(),
    limit_values=None,
) -> dict:
    """What core/widgets/picker.html and picker_options.html read, for the widget and the search alike.

    Suggestions come only through the search endpoint, which has the request and so the user the
    FilterSet's filters need: the page asks for them once it is loaded (`load_suggestions`) and
    again when a field they follow changes.
    """
    fixed = {key: value for key, value in (suggest_values or {}).items() if key in suggest}
    limit_values = {key: value for key, value in (limit_values or {}).items() if key in limit or key == "exclude"}
    params = {"name": name, "multiple": int(multiple), **{key: getattr(v, "pk", v) for key, v in fixed.items()}}
    if suggest:
        params["suggest"] = ",".join(suggest)
    if limit:
        params["limit"] = ",".join(limit)
        params.update({f"limit_{key}": _param(value) for key, value in limit_values.items()})
    follows = [field for field in suggest if field not in fixed] + [f for f in limit if f not in limit_values]
    followed = ", ".join(f"[name='{field}']" for field in dict.fromkeys(follows))
    triggers = (["load"] if load_suggestions and suggest else []) + ([f"change from:{followed}"] if followed else [])
    return {
        "name": name,
        "multiple": multiple,
        "search_label": search_label,
        "any_label": any_label,
        "query": query,
        "options": picked,
        "found": any(not checked for _row, checked in picked),
        "chosen": any(checked for _row, checked in picked),
        "search_url": f"{reverse('core:picker', kwargs={'model': model_label(model)})}?{urlencode(params)}",
        "suggest_from": followed,
        "suggest_triggers": ", ".join(triggers),
        "search_button": SEARCH_BUTTON,
    }


def _param(value) -> str:
    values = value if isinstance(value, list | tuple) else [value]
    return ",".join(str(getattr(item, "pk", item)) for item in values if item not in (None, ""))


def limit_from_query(query, limit_names) -> dict:
    """The limit a search request carries: fixed values as `limit_<name>`, followed ones under the field's name."""
    limit = {}
    for name in limit_names:
        fixed = query.get(f"limit_{name}")
        limit[name] = fixed.split(",") if fixed is not None else query.get(name)
    if query.get("limit_exclude"):
        limit["exclude"] = query["limit_exclude"].split(",")
    return limit
