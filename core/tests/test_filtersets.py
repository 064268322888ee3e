"""BaseFilterSet: built with the request on pages and in the API, scoped to what the request's user sees."""

import datetime

import django_filters
import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.text import capfirst
from rest_framework.test import APIClient

from coalitions.filters import CoalitionFilterSet, MembershipFilterSet
from coalitions.models import Coalition, Engagement, Membership
from core.filters import BaseFilterSet, DateRangeFilter, RowIdFilter, ShortListChoiceField, visible
from countries.models import Country
from stakeholders.filters import StakeholderFilterSet
from stakeholders.models import Stakeholder

from .filtersets import all_filtersets, api_lists, filterset_spy, pages_by_filterset


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize("persona", ["staff_co", "partner_co"])
def test_every_api_list_and_page_builds_its_filterset_with_the_request(world, persona):
    user = getattr(world, persona)
    api, page = APIClient(), Client()
    api.force_authenticate(user)
    page.force_login(user)
    urls = [(api, url) for url in api_lists().values()]
    if persona.startswith("staff"):  # partners get a 403 before any FilterSet is built
        urls += [(page, url) for urls in pages_by_filterset(world.admin).values() for url in urls]
    assert len(urls) > 20
    with filterset_spy() as built:
        for client, url in urls:
            response = client.get(url)
            if response.status_code == 403:
                continue
            assert built, f"{url} built no FilterSet"
            assert [getattr(request, "user", None) for _filterset, request in built] == [user] * len(built), url
            built.clear()


def test_the_staff_pages_that_filter_are_found(world):
    from coalitions.filters import InitiativeFilterSet
    from explorers_network.filters import ExplorerFilterSet

    pages = pages_by_filterset(world.admin)
    assert pages[StakeholderFilterSet] == ("/stakeholders/", "/stakeholders/export.csv")
    assert pages[CoalitionFilterSet] == ("/coalitions/",)
    assert pages[InitiativeFilterSet] == ("/initiatives/",)
    assert pages[ExplorerFilterSet] == ("/outreach/explorers/", "/outreach/explorers/export/")


def test_every_page_names_its_filterset_filterset(staff_client, world):
    for urls in pages_by_filterset(world.admin).values():
        for url in urls:
            context = staff_client.get(url).context
            if context is not None:  # the CSV export has no template
                assert isinstance(context["filterset"], BaseFilterSet), url
                assert "filter" not in context, url


def test_without_a_request_no_row_may_be_chosen(world):
    """Nobody is the user, and nobody sees a row: a FilterSet built without a request fails closed."""
    filterset = StakeholderFilterSet({"country": world.co.pk}, queryset=Stakeholder.objects.all())
    assert not filterset.is_valid()
    assert "country" in filterset.errors


def test_choices_belong_to_the_request_they_were_built_for(world):
    """Peru's partner cannot choose a Colombian organisation; the next FilterSet, for Colombia's, can."""
    peru = StakeholderFilterSet(
        {"organisation": world.co_org.pk}, queryset=Stakeholder.objects.all(), request=request_of(world.partner_pe)
    )
    colombia = StakeholderFilterSet(
        {"organisation": world.co_org.pk}, queryset=Stakeholder.objects.all(), request=request_of(world.partner_co)
    )
    assert not peru.is_valid()
    assert peru.errors["organisation"] == ["Select a valid choice. That choice is not one of the available choices."]
    assert colombia.is_valid(), colombia.errors
    assert list(colombia.qs) == []  # nobody belongs to the foundation


def test_a_hidden_row_and_a_missing_row_get_the_same_error(world):
    hidden = CoalitionFilterSet({"parent": world.pe_coalition.pk}, request=request_of(world.partner_co))
    missing = CoalitionFilterSet({"parent": 987654}, request=request_of(world.partner_co))
    assert hidden.errors == missing.errors
    assert "parent" in hidden.errors


class EngagementsByIds(BaseFilterSet):
    """Filters declared without a method, whose values name rows of other tables."""

    participant = django_filters.NumberFilter(field_name="participants")
    country = django_filters.NumberFilter(field_name="coalition__initiative__country")

    class Meta:
        model = Engagement
        fields = []


def test_an_id_of_another_table_is_looked_up_among_the_rows_the_user_sees(world):
    outsider = Stakeholder.objects.create(country=world.co, name="Gobernación", sector="media", level="local")
    world.co_engagement.participants.add(outsider)
    everything = Engagement.objects.all()  # the list's own scope aside: the filter's subquery is scoped

    def titles(user, **data):
        return list(EngagementsByIds(data, queryset=everything, request=request_of(user)).qs.values_list("title"))

    assert titles(world.staff_pe, participant=outsider.pk) == [("Taller Uribia",)]
    assert titles(world.partner_co, participant=outsider.pk) == []  # not a member of its coalitions
    assert titles(world.staff_pe, country=world.co.pk) == [("Taller Uribia",)]
    assert titles(world.partner_pe, country=world.co.pk) == []  # Colombian coalitions are not its to see
    assert titles(world.partner_co, country=world.co.pk) == [("Taller Uribia",)]


def test_a_chosen_row_along_a_path_is_looked_up_among_the_visible_rows(world):
    """`country` on coalitions is a ModelChoiceFilter on initiative__country: a country, then visible initiatives."""

    def names(user, country):
        filterset = CoalitionFilterSet({"country": country.pk}, request=request_of(user))
        assert filterset.is_valid(), filterset.errors
        return list(filterset.qs.values_list("name", flat=True))

    assert names(world.staff_co, world.pe) == [world.pe_coalition.name]
    assert names(world.partner_pe, world.pe) == [world.pe_coalition.name]
    assert names(world.partner_co, world.pe) == []  # Peru is a country it sees, Peru's initiative is not


def test_search_reads_another_tables_fields_among_its_visible_rows(world):
    former = Stakeholder.objects.create(country=world.co, name="Antiguo Socio", sector="media", level="local")
    Membership.objects.create(
        coalition=world.co_coalition,
        stakeholder=former,
        joined_on=datetime.date(2025, 1, 1),
        left_on=datetime.date(2025, 6, 1),
    )

    def found(user):
        memberships = Membership.objects.visible_to(user)
        return MembershipFilterSet({"q": "antiguo"}, queryset=memberships, request=request_of(user)).qs.count()

    assert found(world.staff_co) == 1
    assert found(world.partner_co) == 0  # the membership is in its coalition, the former member is not its to see


def test_a_multiple_choice_filter_into_another_table_needs_a_method():
    class Unscoped(BaseFilterSet):
        regions = django_filters.MultipleChoiceFilter(field_name="coalition__regions__kind", choices=[("a", "A")])

        class Meta:
            model = Engagement
            fields = []

    with pytest.raises(ImproperlyConfigured, match="reads another table"):
        Unscoped({})


def test_a_short_list_reads_its_rows_once_to_list_and_to_check(world, django_assert_num_queries):
    class Both(forms.Form):
        plain = forms.ModelChoiceField(queryset=Country.objects.all(), required=False)
        short = ShortListChoiceField(queryset=Country.objects.all(), required=False)

    for value in (world.pe.pk, "999999", "abc", ""):
        form = Both({"plain": value, "short": value})
        form.is_valid()
        assert form.errors.get("short") == form.errors.get("plain"), value
        assert form.cleaned_data.get("short") == form.cleaned_data.get("plain"), value
        assert str(form["short"]).replace("short", "plain") == str(form["plain"]), value
    cache.clear()  # the countries are a short table, kept in the cache (core.short_tables)
    form = Both({"short": world.pe.pk})
    with django_assert_num_queries(1):
        assert form.is_valid()
        str(form["short"])
    again = Both({"short": world.pe.pk})
    with django_assert_num_queries(0):
        assert again.is_valid()
        str(again["short"])


def test_visible_is_a_callable_queryset_of_the_request(world):
    chosen = visible(Coalition)
    assert list(chosen(request_of(world.partner_pe))) == [world.pe_coalition]
    assert list(chosen(None)) == []
    with pytest.raises(ImproperlyConfigured):
        visible(get_user_model())


def test_each_filterset_shares_the_class_choices_and_still_refuses_an_unknown_one(world):
    """A FilterSet's copies of its filters share the class's choices (nothing changes them), and its
    form is one class that still checks values strictly (StrictValuesForm)."""
    one, other = (StakeholderFilterSet({"sector": ["nonsense"]}, request=request_of(world.staff_co)) for _ in range(2))
    for name in ("sector", "level", "kind", "stance"):
        choices = one.filters[name].extra["choices"]
        assert (
            choices is other.filters[name].extra["choices"] is StakeholderFilterSet.base_filters[name].extra["choices"]
        )
    assert [value for value, _label in one.filters["sector"].extra["choices"]] == Stakeholder.Sector.values
    assert not one.is_valid()
    assert "sector" in one.errors
    bad_bool = CoalitionFilterSet({"is_public": "maybe"}, request=request_of(world.staff_co))
    assert issubclass(type(bad_bool.form), forms.Form) and not bad_bool.is_valid()
    good = StakeholderFilterSet({"sector": ["civil_society"]}, request=request_of(world.staff_co))
    assert good.is_valid(), good.errors
    assert set(good.qs) == set(Stakeholder.objects.filter(sector="civil_society"))


@pytest.mark.parametrize("filterset_class", all_filtersets(), ids=lambda cls: cls.__name__)
def test_the_form_class_is_built_once_and_each_forms_rows_are_its_users(world, filterset_class):
    """Every filter that chooses rows (a ModelChoiceFilter's choices, a picker's rows) offers each
    request's form the rows of that request's user, although the form class is the class's own."""
    requests = [request_of(world.partner_pe), request_of(world.staff_co), None]
    filtersets = [filterset_class({}, request=request) for request in requests]
    assert len({type(filterset.form) for filterset in filtersets}) == 1
    for filterset, request in zip(filtersets, requests, strict=True):
        for name, filter_ in filterset.filters.items():
            field = filterset.form.fields[name]
            if isinstance(filter_, django_filters.filters.QuerySetRequestMixin):
                expected, chosen = filter_.get_queryset(request), field.queryset
            elif isinstance(filter_, RowIdFilter):
                expected, chosen = filter_.rows(request), field.widget.queryset
            else:
                continue
            assert chosen is not None, name
            assert chosen.model is expected.model, name
            assert sorted(chosen.values_list("pk", flat=True)) == sorted(expected.values_list("pk", flat=True)), name


def test_each_filterset_has_filters_of_its_own_that_call_its_own_methods(world):
    """The filters are shallow copies of the class's: each FilterSet's are its own, with fields of
    their own, and a method filter calls the method of the FilterSet that holds it."""
    one = StakeholderFilterSet({"tag": "agua"}, request=request_of(world.staff_co))
    other = StakeholderFilterSet({}, request=request_of(world.partner_pe))
    for name in StakeholderFilterSet.base_filters:
        mine, theirs, base = one.filters[name], other.filters[name], StakeholderFilterSet.base_filters[name]
        assert mine is not theirs and mine is not base
        assert mine.parent is one and theirs.parent is other
        assert mine.extra is not base.extra
        assert mine.field is not theirs.field
        if mine.method is not None:
            assert mine.filter.f is mine
    assert one.is_valid()
    assert "stakeholders_tag" in str(one.qs.query)


@pytest.mark.parametrize("filterset_class", all_filtersets(), ids=lambda cls: cls.__name__)
def test_a_filter_without_a_value_filters_nothing(world, filterset_class):
    """What lets the API build only the fields of the filters a request gives (`given_only`): with
    no value, no filter of any FilterSet narrows, orders or otherwise changes the rows' query."""
    queryset = filterset_class._meta.model._default_manager.all()
    filterset = filterset_class({}, queryset=queryset, request=request_of(world.staff_co))
    assert len(filterset.form.fields) == len(filterset.filters)
    assert filterset.is_valid(), filterset.errors
    assert str(filterset.qs.query) == str(queryset.query)


def test_the_api_form_has_the_given_filters_only_and_filters_as_the_page_does(world):
    request = request_of(world.staff_co)
    data = {"country": str(world.co.pk), "sector": ["civil_society"], "updated_since": "2020-01-01T00:00:00Z"}
    page = StakeholderFilterSet(data, queryset=Stakeholder.objects.all(), request=request)
    api = StakeholderFilterSet(data, queryset=Stakeholder.objects.all(), request=request, given_only=True)

    assert set(api.form.fields) == {"country", "sector", "updated_since"}
    assert len(page.form.fields) == len(page.filters)
    assert api.is_valid() and page.is_valid()
    assert str(api.qs.query) == str(page.qs.query)
    assert set(api.qs) == set(Stakeholder.objects.filter(country=world.co, sector="civil_society"))


def test_the_api_form_refuses_a_bad_value_as_the_page_does(world):
    request = request_of(world.partner_pe)
    data = {"country": str(world.co.pk), "level": ["nonsense"], "municipality": "١٢"}
    page = StakeholderFilterSet(data, request=request)
    api = StakeholderFilterSet(data, request=request, given_only=True)
    assert not api.is_valid() and not page.is_valid()
    assert api.errors == page.errors
    assert set(api.errors) == {"level", "municipality"}


def test_a_range_filter_is_given_by_either_of_its_keys(world):
    from coalitions.filters import EngagementFilterSet

    ranged = [
        name for name, filter_ in EngagementFilterSet.base_filters.items() if isinstance(filter_, DateRangeFilter)
    ]
    assert ranged, "EngagementFilterSet has a date range"
    name = ranged[0]
    api = EngagementFilterSet({f"{name}_after": "2026-01-01"}, request=request_of(world.staff_co), given_only=True)
    assert set(api.form.fields) == {name}
    assert api.is_valid(), api.errors
    assert "2026-01-01" in str(api.qs.query)


def test_every_filter_label_follows_the_language_of_the_page():
    # Labels django-filter derives from a model's verbose names too, though a FilterSet's form
    # class is built once, in whatever language the first request had.
    for filterset in all_filtersets():
        seen = []
        for language in ("en", "es", "en", "es"):
            with translation.override(language):
                seen.append({name: str(field.label) for name, field in filterset(request=None).form.fields.items()})
        assert seen[0] == seen[2] and seen[1] == seen[3], filterset.__name__
    status = Coalition._meta.get_field("status").verbose_name
    for language in ("en", "es"):
        with translation.override(language):
            assert CoalitionFilterSet(request=None).form.fields["status"].label == capfirst(str(status))
    with translation.override("es"):
        assert CoalitionFilterSet(request=None).form.fields["status"].label != "Status"
