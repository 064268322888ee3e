"""A filter never tells a user more than the list may show: generated from every FilterSet.

For each filter whose value points into another table, as each partner persona, a value taken from
a row the persona may not see gets exactly the answer of a value that names nothing: same status,
same body, from the API list and from every staff page that builds the FilterSet. What points into
another table is read off the FilterSet itself, so a new filter is checked the day it is added:

- a ModelChoiceFilter: the rows it chooses among (a hidden row's id);
- a `field_name` that reaches another table (`initiative__country`, `memberships__coalition`,
  `assessments__stance`): the table where it ends (a hidden row's id, or its value of the field);
- a search field of another table (`stakeholder__name`): a hidden row's value of it;
- a table on the way that the persona may not read at all (assessments, for a partner): any value
  one of its rows gives.

A table without `visible_to` counts as hidden from partners. A filter with a method and a
`field_name` that names no path must read only its list's own table (checked on its SQL).
"""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Max
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from coalitions.models import Assessment, LearningNote, Membership
from core.models import ScopedQuerySet
from results.models import Indicator, IndicatorValue
from stakeholders.models import Relationship, Stakeholder

from .api_resources import RESOURCES, make_rows
from .filtersets import all_filtersets, api_lists, pages_by_filterset

PERSONAS = ("partner_co", "partner_pe")
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
#: A text no row holds.
NO_SUCH_TEXT = "zz-nothing-is-called-this"


@dataclass(frozen=True)
class Probe:
    """A filter parameter, and where values for it come from: a table and the way from a row to a value."""

    param: str
    table: type[models.Model]
    #: Attribute names from a row of `table` to the filter value ("pk" last for an id).
    read: tuple[str, ...]
    #: The table whose field the last name of `read` is (a value that names nothing is found there).
    holder: type[models.Model] | None = None
    #: A table on the way: probed only as a persona who may read none of its rows.
    on_the_way: bool = False

    def __str__(self) -> str:
        return f"?{self.param}= from {self.table.__name__}.{'.'.join(self.read)}"


def path_fields(model: type[models.Model], path: str) -> list[models.Field] | None:
    """The fields a lookup path walks (`initiative__country`: Coalition.initiative, Initiative.country)."""
    fields = []
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        fields.append(field)
        if field.is_relation:
            model = field.related_model
    return fields


def _along(param: str, fields: list[models.Field]) -> list[Probe]:
    """Probes for a path: the table where it ends, and every other table on the way."""
    last = fields[-1]
    if last.is_relation:
        steps = [*fields, None]
        end = Probe(param, last.related_model, ("pk",), holder=last.related_model)
    elif len(fields) > 1:
        steps = fields
        end = Probe(param, last.model, (last.name,), holder=last.model)
    else:
        return []  # a column of the list's own table
    probes = [end]
    for index in range(1, len(fields)):
        table = fields[index].model
        if table is not end.table:
            read = tuple(field.name if field else "pk" for field in steps[index:])
            probes.append(Probe(param, table, read, holder=end.holder, on_the_way=True))
    return probes


def chosen_model(filter_) -> type[models.Model]:
    queryset = filter_.get_queryset(None)  # a callable queryset= of the request answers too
    return queryset.model


def probes_of(filterset) -> list[Probe]:
    model = filterset._meta.model
    probes = []
    for name, filter_ in filterset.base_filters.items():
        if name == "q":
            for field in filterset.search_fields:
                probes += _along(name, path_fields(model, field.lstrip("=")))  # "=acronym": matched whole (core.search)
            continue
        fields = path_fields(model, filter_.field_name)
        if isinstance(filter_, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
            chosen = chosen_model(filter_)
            probes.append(Probe(name, chosen, ("pk",), holder=chosen))
            probes += [probe for probe in _along(name, fields or []) if probe.on_the_way]
        elif fields:
            probes += _along(name, fields)
    return probes


FILTERSETS = all_filtersets()


#: FilterSets served by a staff page only, each with the reason there is no API list.
PAGE_ONLY = {
    "ContactRequestFilterSet": "the public's messages to staff, worked on in the staff pages (personal data, no API)",
}


def api_urls(filterset) -> list[str]:
    """The API list serving the FilterSet, if it has one."""
    url = api_lists().get(filterset)
    return [url] if url else []


def test_every_filterset_is_served_by_an_api_list():
    assert {filterset for filterset in FILTERSETS if filterset.__name__ not in PAGE_ONLY} == set(api_lists())


def test_the_probes_cover_the_known_ways_into_other_tables():
    from coalitions.filters import EngagementFilterSet
    from stakeholders.filters import StakeholderFilterSet

    stakeholder = {str(probe) for probe in probes_of(StakeholderFilterSet)}
    assert {
        "?initiative= from Initiative.pk",
        "?initiative= from Assessment.initiative.pk",
        "?stance= from Assessment.stance",
        "?coalition= from Coalition.pk",
        "?region= from Region.pk",
        "?organisation= from Stakeholder.pk",
    } <= stakeholder
    assert "?participant= from Stakeholder.pk" in {str(probe) for probe in probes_of(EngagementFilterSet)}


@pytest.fixture
def linked(world):
    """A row of every kind, and hidden rows tied to rows partners see, where a leaky filter would show."""
    for basename in RESOURCES:
        make_rows(world, basename, 1)
    day = datetime.date(2026, 2, 1)
    outsider = Stakeholder.objects.create(
        country=world.co, name="Gobernación de La Guajira", sector="subnational_government", level="subnational"
    )  # in no coalition now: hidden from partners
    outsider.regions.add(world.guajira)
    world.co_engagement.participants.add(outsider, world.co_org)
    world.pe_engagement.participants.add(world.pe_company)
    world.co_outcome.actors.add(outsider)
    Membership.objects.create(
        coalition=world.co_coalition, stakeholder=outsider, joined_on=day - datetime.timedelta(days=90), left_on=day
    )
    world.co_initiative.lead = outsider
    world.co_initiative.save()
    Assessment.objects.create(
        stakeholder=world.co_org, initiative=world.co_initiative, assessed_on=day, power=3, capabilities=3, interest=4
    )
    Assessment.objects.filter(stakeholder=world.co_mayor).update(stance=Assessment.Stance.CHAMPION)
    LearningNote.objects.create(coalition=world.co_coalition, title="Escuchar", body="b", author=world.staff_co)
    LearningNote.objects.create(
        coalition=world.pe_coalition, title="Canon", body="b", author=world.staff_pe
    ).shared_with.add(world.co_coalition)
    Relationship.objects.create(source=world.co_org, target=outsider, kind="alliance")
    for coalition in (world.co_coalition, world.pe_coalition):
        indicator = Indicator.objects.create(coalition=coalition, name=f"Hogares {coalition.pk}", unit="households")
        IndicatorValue.objects.create(indicator=indicator, period_end=day, value=3)
    return world


def hidden_values(probe: Probe, user) -> list:
    """The values the rows the user may not see give, but no row the user sees gives (two actors can share a name)."""
    rows = probe.table._default_manager.all()
    if not isinstance(rows, ScopedQuerySet):
        return values_of(rows, probe.read)  # a table without a scope is not a partner's to read
    visible = rows.visible_to(user)
    if probe.on_the_way:
        return [] if visible.exists() else values_of(rows, probe.read)
    shown = set(values_of(visible, probe.read))
    return [value for value in values_of(rows.exclude(pk__in=visible.values("pk")), probe.read) if value not in shown]


def values_of(rows, read: tuple[str, ...]) -> list:
    return list(dict.fromkeys(value for row in rows.order_by("pk")[:50] for value in values_from(row, read)))


def values_from(row, read: tuple[str, ...]) -> list:
    """The filter values a row gives (several through a to-many step), None and duplicates left out."""
    current = [row]
    for name in read:
        following = []
        for item in current:
            value = getattr(item, name)
            if isinstance(value, models.Manager):
                following += list(value.all())
            elif value is not None:
                following.append(value)
        current = following
    return sorted({value for value in current if value is not None}, key=str)


def missing_value(probe: Probe):
    """A value that names nothing: an id beyond every row's, or a choice or a text that no row holds."""
    if probe.read[-1] == "pk":
        return (probe.holder._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1000
    field = probe.holder._meta.get_field(probe.read[-1])
    held = set(probe.holder._default_manager.values_list(field.name, flat=True))
    if field.choices:
        free = [value for value, _label in field.flatchoices if value not in held]
        return free[0] if free else None
    if isinstance(field, models.CharField | models.TextField):
        return NO_SUCH_TEXT
    if isinstance(field, models.IntegerField):
        return max(held, default=0) + 1000
    return None


def answer(client, url: str, param: str, value) -> tuple[int, object]:
    """The status and body; in a page, what changes with every request (the CSRF token, the language
    switch's way back to the query) is set aside."""
    response = client.get(url, {param: value})
    if response.get("Content-Type", "").startswith("application/json"):
        return response.status_code, response.json()
    body = CSRF_TOKEN.sub("csrf", response.content.decode())
    return response.status_code, body.replace(urlencode({param: value}), f"{param}=…")


def clients(user) -> tuple[APIClient, Client]:
    api, page = APIClient(), Client()
    api.force_authenticate(user)
    page.force_login(user)
    return api, page


@pytest.mark.parametrize("filterset", FILTERSETS, ids=lambda filterset: filterset.__name__)
def test_a_hidden_value_answers_as_a_value_that_does_not_exist(linked, filterset):
    urls = [
        *(("api", url) for url in api_urls(filterset)),
        *(("page", url) for url in pages_by_filterset(linked.admin).get(filterset, ())),
    ]
    leaks = []
    for persona in PERSONAS:
        user = getattr(linked, persona)
        api, page = clients(user)
        for probe in probes_of(filterset):
            missing = missing_value(probe)
            if missing is None:
                continue
            values = hidden_values(probe, user)
            for kind, url in urls:
                client = api if kind == "api" else page
                expected = answer(client, url, probe.param, missing)
                for value in values:
                    got = answer(client, url, probe.param, getattr(value, "pk", value))
                    if got != expected:
                        leaks.append(f"{persona} {url} {probe}: {value!r} gets {got[0]}, nothing gets {expected[0]}")
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize("filterset", FILTERSETS, ids=lambda filterset: filterset.__name__)
def test_a_value_the_user_sees_is_answered_without_a_server_error(linked, filterset):
    """The other side of the probes: as staff (who see every row), real values filter, on PostgreSQL too."""
    user = linked.staff_co
    api, page = clients(user)
    urls = [(api, url) for url in api_urls(filterset)]
    urls += [(page, url) for url in pages_by_filterset(linked.admin).get(filterset, ())]
    failures = []
    for probe in probes_of(filterset):
        rows = probe.table._default_manager.all()
        seen = rows.visible_to(user) if isinstance(rows, ScopedQuerySet) else rows
        for value in values_of(seen, probe.read)[:3]:
            for client, url in urls:
                status = client.get(url, {probe.param: getattr(value, "pk", value)}).status_code
                if status >= 500:
                    failures.append(f"{url} {probe}: {value!r} gets {status}")
    assert not failures, "\n".join(failures)


def _sample(filter_):
    """A value the filter accepts, to see which tables it reads."""
    if isinstance(filter_, django_filters.BooleanFilter):
        return "true"
    if isinstance(filter_, django_filters.NumberFilter):
        return "2026"
    if isinstance(filter_, django_filters.MultipleChoiceFilter | django_filters.ChoiceFilter):
        return [str(filter_.extra["choices"][0][0])]
    return "x"


PATHLESS_METHODS = [
    (filterset, name)
    for filterset in FILTERSETS
    for name, filter_ in filterset.base_filters.items()
    if filter_.method is not None
    and name != "q"
    and not isinstance(filter_, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter)
    and path_fields(filterset._meta.model, filter_.field_name) is None
]


def test_the_pathless_method_filters_are_found():
    assert {name for _filterset, name in PATHLESS_METHODS} >= {"latest", "year"}


@pytest.mark.parametrize(
    ("filterset", "name"), PATHLESS_METHODS, ids=lambda value: getattr(value, "__name__", str(value))
)
def test_a_method_filter_without_a_path_reads_only_its_own_table(world, filterset, name):
    """Else its field_name must say which table it reads (`memberships__coalition`), so it is probed above."""
    request = RequestFactory().get("/")
    request.user = world.admin
    model = filterset._meta.model
    filtered = filterset({name: _sample(filterset.base_filters[name])}, queryset=model.objects.all(), request=request)
    assert filtered.is_valid(), filtered.errors
    unfiltered = filterset({}, queryset=model.objects.all(), request=request)
    read = tables_in(str(filtered.qs.query)) - tables_in(str(unfiltered.qs.query))
    assert not read, f"{filterset.__name__}.{name} reads {sorted(read)}"


def tables_in(sql: str) -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if re.search(rf'"{model._meta.db_table}"', sql)
    }
