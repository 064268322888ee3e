"""`validate_row`, the bulk paths' validation: the same answer as the database for every check
constraint of every model, the model's clean() and field rules, and no query per row."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from core.validation import condition_holds, constraint_fields, validate_row
from planning.models import ResourceFlow

from .test_architecture import ALLOWED

CHECKS = [
    (model, constraint)
    for model in apps.get_models()
    if model._meta.app_label in ALLOWED
    for constraint in model._meta.constraints
    if isinstance(constraint, models.CheckConstraint)
]
#: Enough combinations of each constraint's fields to meet every branch of the conditions in use.
MAX_CASES = 300


def named_values(condition: Q, field_name: str) -> list:
    """The literal values the condition names for a field (`mime_type__in=[...]`), so the samples meet them."""
    values = []
    for child in condition.children:
        if isinstance(child, Q):
            values += named_values(child, field_name)
        elif child[0].split("__")[0] == field_name and isinstance(child[1], list | tuple | set | frozenset):
            values += list(child[1])[:2]
        elif child[0].split("__")[0] == field_name and isinstance(child[1], int) and not isinstance(child[1], bool):
            values += [child[1] - 1, child[1], child[1] + 1]  # either side of a bound (`progress__lte=100`)
    return values


def samples(model_field: models.Field, condition: Q | None = None) -> list:
    named = named_values(condition, model_field.name) if condition is not None else []
    if named and all(isinstance(value, int) for value in named):
        return [None, -1, 0, *named]
    if named:
        return ["", "x", *named]
    if model_field.primary_key or model_field.is_relation:
        return [None, 1, 2]
    if isinstance(model_field, models.BooleanField):
        return [True, False]
    if model_field.choices:
        outside = [-3, 3, 6] if isinstance(model_field, models.IntegerField) else ["", "x"]
        return [*outside, *(value for value, _label in model_field.flatchoices)][:9]
    if isinstance(model_field, models.DecimalField):
        return [None, Decimal("-1"), Decimal("0"), Decimal("2.50"), Decimal("3")]
    if isinstance(model_field, models.IntegerField):
        return [None, -3, -2, 0, 1, 2, 3, 5, 6, 12, 13]
    if isinstance(model_field, models.DateTimeField):
        return [
            None,
            datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
            datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC),
        ]
    if isinstance(model_field, models.DateField):
        return [None, datetime.date(2026, 1, 1), datetime.date(2026, 1, 2)]
    return ["", "abc", "ABC", "AB", "ABCD", "A1C", "123", "1234", "12345678901"]  # digits: official codes


def row_values(instance: models.Model) -> dict:
    values = {field.name: getattr(instance, field.attname) for field in instance._meta.concrete_fields}
    return {**values, "pk": instance.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "constraint"), CHECKS, ids=lambda item: getattr(item, "name", ""))
def test_the_python_answer_for_every_check_constraint_is_the_databases(model, constraint):
    names = sorted(constraint_fields(model, constraint))
    fields = [model._meta.get_field(name) for name in names]
    cases = itertools.islice(itertools.product(*(samples(field, constraint.condition) for field in fields)), MAX_CASES)
    outcomes = set()
    for case in cases:
        instance = model()
        for model_field, value in zip(fields, case, strict=True):
            setattr(instance, model_field.attname, value)
        database = Q(constraint.condition).check(instance._get_field_expression_map(meta=model._meta))
        assert condition_holds(constraint.condition, row_values(instance)) == database, dict(
            zip(names, case, strict=True)
        )
        outcomes.add(database)
    assert outcomes == {True, False}  # the samples reach both answers, or the comparison proves little


@pytest.mark.django_db
def test_validate_row_reports_fields_clean_rules_and_constraints_without_a_query(world, django_assert_num_queries):
    bad = ResourceFlow(region=world.guajira, fiscal_year=2024, month=13, source="gold", amount=Decimal("-1"))
    bad.period_months = []  # the other rows' months, which a bulk path gives each row (ResourceFlow.clean)
    with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
        validate_row(bad, resolved=["region"])
    assert refused.value.message_dict == {
        "source": ["Value 'gold' is not a valid choice."],
        "__all__": ["The month must be between 1 and 12.", "The amount cannot be negative."],
    }
    good = ResourceFlow(region=world.guajira, fiscal_year=2024, source="mining_canon", amount=Decimal("1"))
    good.period_months = []
    with django_assert_num_queries(0):
        validate_row(good, resolved=["region"])


def test_an_unknown_lookup_is_left_to_the_database():
    with pytest.raises(NotImplementedError):
        condition_holds(Q(name__icontains="x"), {"name": "X"})
