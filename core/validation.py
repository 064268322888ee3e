"""One validation for every write path: the model's `full_clean()`, with the many-to-many values about to be saved.

A rule that compares a row with its many-to-many values (a stakeholder's regions must be in its
country) cannot be a database constraint, and Django's `full_clean()` never sees those values:
they are saved after the row. So each path hands them to the model first, as netbox's
`ValidatedModelSerializer` does (`instance._m2m_values`), and the model's `clean()` reads them
through `m2m_values()`:

- staff pages and the admin: `core.forms.ValidatedModelForm`;
- the API: `core.api.serializers.ValidatedModelSerializer`;
- services, importers and the demo loader: `full_clean()`, `save_valid()`, `get_or_create_valid()` and
  `update_or_create_valid()` here;
- paths that write thousands of rows (the resources import, COPY): `validate_row()`, the same rules
  without a query per row.
"""

import contextlib
import operator
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.constants import LOOKUP_SEP


def m2m_values(instance: models.Model, name: str) -> list:
    """The values of many-to-many field `name` that are about to be saved; else those saved (none on a new row)."""
    pending = getattr(instance, "_m2m_values", None) or {}
    if name in pending:
        return list(pending[name])
    if instance.pk is None:
        return []
    # Read fresh rather than from a prefetch, which may hold ids only (the API's lean prefetches).
    field = instance._meta.get_field(name)
    return list(field.related_model._base_manager.filter(**{field.related_query_name(): instance.pk}))


@contextlib.contextmanager
def handing_m2m(instance: models.Model, m2m: Mapping[str, Iterable] | None) -> Iterator[None]:
    """Hand many-to-many values to the model's `clean()` for the duration of a validation."""
    previous = getattr(instance, "_m2m_values", None)
    instance._m2m_values = {name: list(values) for name, values in (m2m or {}).items()}
    try:
        yield
    finally:
        if previous is None:
            del instance._m2m_values
        else:
            instance._m2m_values = previous


def full_clean(instance: models.Model, *, m2m: Mapping[str, Iterable] | None = None, **kwargs) -> None:
    """`instance.full_clean(**kwargs)`, with the many-to-many values about to be saved handed to `clean()`."""
    with handing_m2m(instance, m2m):
        instance.full_clean(**kwargs)


@transaction.atomic
def save_valid(instance: models.Model, *, m2m: Mapping[str, Iterable] | None = None) -> models.Model:
    """Validate the row and its many-to-many values like every other path, then save both."""
    m2m = {name: list(values) for name, values in (m2m or {}).items()}
    full_clean(instance, m2m=m2m)
    instance.save()
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    return instance


def get_or_create_valid(
    model: type[models.Model], *, defaults: dict | None = None, m2m: Mapping[str, Iterable] | None = None, **lookup
) -> tuple[models.Model, bool]:
    """`get_or_create` for loaders: a new row is validated (with its many-to-many values) before it is saved."""
    found = model._default_manager.filter(**lookup).first()
    if found is not None:
        return found, False
    return save_valid(model(**lookup, **(defaults or {})), m2m=m2m), True


def update_or_create_valid(
    model: type[models.Model], *, defaults: dict | None = None, m2m: Mapping[str, Iterable] | None = None, **lookup
) -> tuple[models.Model, bool]:
    """`update_or_create` for loaders: the row, new or changed, is validated before it is saved."""
    found = model._default_manager.filter(**lookup).first()
    row = found if found is not None else model(**lookup)
    for name, value in (defaults or {}).items():
        setattr(row, name, value)
    return save_valid(row, m2m=m2m), found is None


def constraint_message(model: type[models.Model], name: str):
    """The (lazily translated) violation message of one of the model's named constraints.

    For the places that speak for a constraint before or after the model does: a number field
    bounded by one (its bounds shown in a form or the API schema), a race the database caught.
    """
    return next(constraint for constraint in model._meta.constraints if constraint.name == name).violation_error_message


def constraint_fields(model: type[models.Model], constraint: models.BaseConstraint) -> set[str]:
    """The names of the model fields a constraint reads (its fields, condition and expressions)."""
    names = set(getattr(constraint, "fields", ()))
    pending = [getattr(constraint, "condition", None), *getattr(constraint, "expressions", ())]
    while pending:
        node = pending.pop()
        if node is None:
            continue
        if isinstance(node, Q):
            pending.extend(node.children)
        elif isinstance(node, tuple):
            names.add(node[0].split(LOOKUP_SEP)[0])
            pending.append(node[1])
        elif isinstance(node, F):
            names.add(node.name.split(LOOKUP_SEP)[0])
        elif hasattr(node, "get_source_expressions"):
            pending.extend(node.get_source_expressions())
    return {model._meta.pk.name if name == "pk" else model._meta.get_field(name).name for name in names}


def validate_row(instance: models.Model, *, resolved: Iterable[str] = ()) -> None:
    """The model's rules for one row of a bulk write, without a query per row.

    Its field values (`clean_fields`), its `clean()` and its check constraints, evaluated in
    Python by `condition_holds` (a test holds it equal to the database's own answer for every
    constraint); `full_clean()` asks the database once per constraint, which a 50,000-row file
    cannot afford. Uniqueness is left to the bulk path, which matches rows on their natural key
    (and the database holds it). `resolved` names the foreign keys the caller looked up itself,
    whose existence is not checked again.
    """
    errors: dict = {}
    for check in (lambda: instance.clean_fields(exclude=set(resolved)), instance.clean):
        try:
            check()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    model = type(instance)
    values = {field.name: getattr(instance, field.attname) for field in model._meta.concrete_fields}
    values["pk"] = instance.pk
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            continue
        # Only a row with errors needs the constraint's fields (walking its condition per row cost
        # about 9 % of seeding 10,000 stakeholders).
        if errors and constraint_fields(model, constraint) & set(errors):
            continue
        try:
            holds = condition_holds(constraint.condition, values)
        except NotImplementedError:  # a lookup the evaluator does not know: ask the database
            try:
                constraint.validate(model, instance)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
            continue
        if not holds:
            message = ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
            errors.setdefault(getattr(constraint, "field", NON_FIELD_ERRORS), []).append(message)
    if errors:
        raise ValidationError(errors)


_OPERATORS = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "in": lambda value, choices: value in choices,
    "regex": lambda value, pattern: re.search(pattern, value) is not None,
}


def condition_holds(condition: Q, values: Mapping[str, Any]) -> bool:
    """Whether a check constraint's condition holds for one row's values, as the database decides it:
    SQL's three-valued logic, an unknown (NULL) outcome counting as holding, as in a CHECK.

    Knows the lookups the project's constraints use; any other raises NotImplementedError.
    """
    return _truth(condition, values) is not False


def _truth(node, values: Mapping[str, Any]) -> bool | None:
    if isinstance(node, Q):
        outcomes = [_truth(child, values) for child in node.children]
        if node.connector == Q.AND:
            outcome = False if False in outcomes else None if None in outcomes else True
        elif node.connector == Q.OR:
            outcome = True if True in outcomes else None if None in outcomes else False
        else:
            raise NotImplementedError(node.connector)
        return None if outcome is None else outcome != node.negated
    lookup, right = node
    name, _, lookup_name = lookup.partition(LOOKUP_SEP)
    lookup_name = lookup_name or "exact"
    if lookup_name not in {*_OPERATORS, "isnull"}:
        raise NotImplementedError(lookup)
    left = values[name]
    if isinstance(right, F):
        right = values[right.name]  # a NULL there is SQL's NULL: the comparison is unknown
    elif hasattr(right, "resolve_expression"):
        raise NotImplementedError(lookup)
    elif lookup_name == "exact" and right is None:
        return left is None  # Django turns a literal "= None" into IS NULL
    if lookup_name == "isnull":
        return (left is None) == bool(right)
    if left is None or right is None:
        return None
    return _OPERATORS[lookup_name](left, right)
