"""BaseFilterSet copies its filters and builds its form without django-filter's deepcopies: each
FilterSet still has filters and form fields of its own, so one request never changes another's."""

import pytest
from django.test import RequestFactory

from stakeholders.filters import StakeholderFilterSet
from stakeholders.models import Stakeholder


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.django_db
def test_two_filtersets_search_each_with_its_own_method(world):
    wayuu = StakeholderFilterSet({"q": "wayuu"}, queryset=Stakeholder.objects.all())
    minera = StakeholderFilterSet({"q": "minera"}, queryset=Stakeholder.objects.all())

    assert list(minera.qs.values_list("name", flat=True)) == ["Minera del Sur"]
    assert list(wayuu.qs.values_list("name", flat=True)) == ["Fundación Energía Wayuu"]


@pytest.mark.django_db
def test_a_request_scoped_choice_list_stays_with_its_request(world):
    """Peru's partner cannot choose a Colombian organisation; the next FilterSet, for Colombia's, can."""
    peru = StakeholderFilterSet(
        {"organisation": world.co_org.pk}, queryset=Stakeholder.objects.all(), request=_request(world.partner_pe)
    )
    assert not peru.is_valid()
    assert "organisation" in peru.errors

    colombia = StakeholderFilterSet(
        {"organisation": world.co_org.pk}, queryset=Stakeholder.objects.all(), request=_request(world.partner_co)
    )
    assert colombia.is_valid(), colombia.errors
    assert list(colombia.qs) == []  # nobody belongs to the foundation

    # The class keeps its own filter: an unscoped queryset, no field built, django-filter's DISTINCT.
    base = StakeholderFilterSet.base_filters
    assert isinstance(base["organisation"].queryset, type(Stakeholder.objects.all()))
    assert (
        "queryset" not in base["organisation"].extra
        or base["organisation"].extra["queryset"] is base["organisation"].queryset
    )
    assert not hasattr(base["organisation"], "parent")
    assert base["sector"].distinct is True


@pytest.mark.django_db
def test_the_form_has_every_filter_in_order_and_fields_of_its_own(world):
    # The API schema builds the class's own fields (`base_filters[name].field`): no form may share them.
    class_fields = {name: filter_.field for name, filter_ in StakeholderFilterSet.base_filters.items()}
    first = StakeholderFilterSet({"sector": ["nonsense"]}, queryset=Stakeholder.objects.all())
    second = StakeholderFilterSet(None, queryset=Stakeholder.objects.all())

    assert list(first.form.fields) == list(StakeholderFilterSet.base_filters)
    assert not first.is_valid()
    assert "sector" in first.errors
    assert not second.form.is_bound
    first.form.fields["sector"].label = "Changed"
    assert second.form.fields["sector"].label != "Changed"
    assert not any(first.form.fields[name] is field for name, field in class_fields.items())
    assert not any(second.form.fields[name] is field for name, field in class_fields.items())
