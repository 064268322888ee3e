"""No filter on a column of the list's own model adds DISTINCT (generated from every FilterSet).

django-filter makes a multiple-choice filter DISTINCT in case it crosses a to-many join. On a column
of the model itself no row can repeat, and DISTINCT over every column turns a 50-row page and its
count into a sort of every matching row: such a filter declares `distinct=False`.
"""

import django_filters
import pytest

from stakeholders.filters import StakeholderFilterSet
from stakeholders.models import Stakeholder

from .filtersets import all_filtersets

OWN_COLUMN_CHOICES = [
    (filterset, name)
    for filterset in all_filtersets()
    for name, filter_ in filterset.base_filters.items()
    if isinstance(filter_, django_filters.MultipleChoiceFilter)
    and not isinstance(filter_, django_filters.ModelMultipleChoiceFilter)
    and filter_.method is None
    and "__" not in filter_.field_name
]


def test_the_project_has_such_filters():
    assert len(OWN_COLUMN_CHOICES) >= 10


@pytest.mark.django_db
@pytest.mark.parametrize(("filterset", "name"), OWN_COLUMN_CHOICES, ids=lambda value: getattr(value, "__name__", value))
def test_a_choice_filter_on_an_own_column_adds_no_distinct(world, filterset, name):
    choices = [value for value, _label in filterset.base_filters[name].extra["choices"]]
    filtered = filterset({name: choices[:2]}, queryset=filterset._meta.model.objects.all())

    assert filtered.is_valid(), filtered.errors
    assert not filtered.qs.query.distinct


@pytest.mark.django_db
def test_several_values_of_one_choice_filter_each_list_their_rows_once(world):
    filtered = StakeholderFilterSet(
        {"sector": ["civil_society", "private"], "level": ["subnational"], "kind": ["organisation"]},
        queryset=Stakeholder.objects.all(),
    ).qs

    assert sorted(filtered.values_list("name", flat=True)) == [
        "Asociación Moquegua Transparente",
        "Fundación Energía Wayuu",
    ]
