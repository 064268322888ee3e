import pytest

from stakeholders.filters import StakeholderFilterSet
from stakeholders.models import Stakeholder


@pytest.mark.django_db
def test_choice_filters_on_the_models_own_columns_add_no_distinct(world):
    """DISTINCT over every column would sort all matching rows for one page, and its count too."""
    filtered = StakeholderFilterSet(
        {"sector": ["civil_society", "private"], "level": ["subnational"], "kind": ["organisation"]},
        queryset=Stakeholder.objects.all(),
    ).qs

    assert not filtered.query.distinct
    assert sorted(filtered.values_list("name", flat=True)) == [
        "Asociación Moquegua Transparente",
        "Fundación Energía Wayuu",
    ]


@pytest.mark.django_db
def test_the_filter_instances_of_one_filterset_do_not_leak_into_the_class(world):
    assert StakeholderFilterSet({"sector": ["extractive_energy"]}, queryset=Stakeholder.objects.all()).qs.count() == 1

    assert StakeholderFilterSet.base_filters["sector"].distinct is True  # django-filter's default, untouched
