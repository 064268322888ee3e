"""One validation for every write path: the model's `full_clean()`, with the many-to-many values about to be saved.

A rule that compares a row with its many-to-many values (a stakeholder's regions must be in its
country) cannot be a database constraint, and Django's `full_clean()` never sees those values:
they are saved after the row. So each path hands them to the model first, as netbox's
`ValidatedModelSerializer` does (`instance._m2m_values`), and the model's `clean()` reads them
through `m2m_values()`:

- staff pages and the admin: `core.forms.ValidatedModelForm`;
- the API: `core.api.serializers.ValidatedModelSerializer`;
- services, importers and the demo loader: `full_clean()`, `save_valid()`, `get_or_create_valid()` and
  `update_or_create_valid()` here.
"""

import contextlib
from collections.abc import Iterable, Iterator, Mapping

from django.db import models, transaction


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
