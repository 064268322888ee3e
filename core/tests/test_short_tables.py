"""Short tables kept in the cache: read once, read again after any write, never narrowed by a user's scope."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import short_tables
from core.bulk import bulk_insert
from countries.models import Country, CountryQuerySet
from stakeholders.models import Contact, Stakeholder


def read(queryset) -> tuple[list[str], int]:
    with CaptureQueriesContext(connection) as queries:
        names = [country.name for country in short_tables.rows(queryset)]
    return names, len(queries)


def test_a_whole_short_table_is_read_once(world):
    names, queries = read(Country.objects.all())
    assert queries == 1 and names == list(Country.objects.values_list("name", flat=True))
    assert read(Country.objects.all()) == (names, 0)
    assert read(Country.objects.order_by("-code")) == (
        list(Country.objects.order_by("-code").values_list("name", flat=True)),
        1,
    )


@pytest.mark.parametrize(
    "write",
    [
        lambda: Country.objects.create(code="EC", name="Ecuador"),
        lambda: Country.objects.filter(code="CO").update(name="Colombia renombrada"),
        lambda: Country.objects.bulk_create([Country(code="BO", name="Bolivia")]),
        lambda: Country.objects.bulk_update([Country.objects.get(code="PE")], ["name"]),
        lambda: Country.objects.get(code="PE").save(),
        lambda: Country.objects.filter(code="UY").delete(),
    ],
    ids=["create", "update", "bulk_create", "bulk_update", "save", "delete"],
)
def test_every_write_to_the_table_reads_it_again(world, write, django_capture_on_commit_callbacks):
    Country.objects.create(code="UY", name="Uruguay")  # one nothing else points to, to delete
    read(Country.objects.all())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        write()
    assert callbacks  # and once more after the commit
    names, queries = read(Country.objects.all())
    assert queries == 1 and names == list(Country.objects.values_list("name", flat=True))


def test_a_narrower_queryset_is_read_each_time(world, monkeypatch):
    """A scope that is not the whole table (a partner who sees some countries, nobody) is never kept."""
    monkeypatch.setattr(CountryQuerySet, "visible_to_partner", lambda self, organisation_id: self.filter(code="PE"))
    scoped = Country.objects.visible_to(world.partner_co)
    assert read(scoped) == (["Peru"], 1)
    assert read(Country.objects.visible_to(world.partner_co)) == (["Peru"], 1)
    assert read(Country.objects.visible_to(None)) == ([], 0)
    assert read(Country.objects.all())[1] == 1
    assert read(Country.objects.visible_to(world.partner_co))[1] == 1


def test_other_tables_are_read_each_time(world):
    assert not short_tables.is_short_table(Stakeholder)
    assert read(Stakeholder.objects.all())[1] == 1
    assert read(Stakeholder.objects.all())[1] == 1


def test_every_write_to_a_versioned_table_changes_its_version_and_reads_change_nothing(world):
    assert short_tables.is_versioned(Stakeholder) and not short_tables.is_short_table(Stakeholder)
    (before,) = short_tables.table_version(Stakeholder)
    assert short_tables.table_version(Stakeholder) == (before,)
    list(Stakeholder.objects.all())
    assert short_tables.table_version(Stakeholder) == (before,)
    versions = {before}
    writes = [
        lambda: Stakeholder.objects.filter(pk=world.co_mayor.pk).update(name="Renamed"),
        lambda: world.co_org.save(),
        lambda: Stakeholder.objects.bulk_create([Stakeholder(country=world.co, name="New", level="local")]),
        lambda: Stakeholder.objects.filter(name="New").delete(),
        # seed_scale's writes, through COPY on PostgreSQL and bulk_create elsewhere.
        lambda: bulk_insert(Stakeholder, [Stakeholder(country=world.co, name="Seeded", sector="media", level="local")]),
        # COPY by the table's name (the stakeholder import), its own rows and its links' alike.
        lambda: short_tables.table_written(Stakeholder._meta.db_table),
        lambda: short_tables.table_written(Stakeholder.regions.through._meta.db_table),
    ]
    for write in writes:
        write()
        (version,) = short_tables.table_version(Stakeholder)
        assert version not in versions
        versions.add(version)


def counted(queryset) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        total = short_tables.kept_count(queryset)
    return total, len(queries)


def test_a_count_of_versioned_tables_is_kept_until_one_of_them_is_written(world, django_capture_on_commit_callbacks):
    rows = Stakeholder.objects.visible_to(world.staff_co).filter(country=world.co, regions=world.guajira)
    total = rows.count()
    assert counted(rows) == (total, 1)
    assert counted(rows) == (total, 0)
    with django_capture_on_commit_callbacks(execute=True):
        added = Stakeholder.objects.create(country=world.co, name="Nuevo actor", sector="media", level="local")
    assert counted(rows) == (total, 1)
    assert counted(rows) == (total, 0)
    # The link table is its model's: a region given to a row is a write to the stakeholders.
    with django_capture_on_commit_callbacks(execute=True):
        added.regions.add(world.guajira)
    assert counted(rows) == (total + 1, 1)


def test_a_count_is_never_shared_by_scopes_nor_kept_when_a_table_it_reads_is_not_versioned(world):
    staff = Stakeholder.objects.visible_to(world.staff_co)
    partner = Stakeholder.objects.visible_to(world.partner_co)
    assert counted(staff)[0] == staff.count() and counted(partner)[0] == partner.count() != staff.count()
    # Contacts are not versioned: a count that reads them is counted each time.
    reachable = Stakeholder.objects.filter(contacts__email="ana@example.org")
    assert counted(reachable) == (reachable.count(), 1) and counted(reachable)[1] == 1
    assert counted(Stakeholder.objects.filter(pk__in=[])) == (0, 0)


def test_the_versions_of_a_query_are_those_of_the_tables_it_reads_and_shows(world):
    regions = short_tables.query_text(Stakeholder.objects.filter(regions=world.guajira))
    # The link table is its model's; the shown tables join them, in one order whatever the order given.
    assert short_tables.versions_read_by(regions, Country) == short_tables.table_version(Country, Stakeholder)
    read, shown = short_tables.versions_read_by(regions), short_tables.versions_read_by(regions, Country)
    Country.objects.filter(code="CO").update(name="Colombia renombrada")
    assert short_tables.versions_read_by(regions) == read
    assert short_tables.versions_read_by(regions, Country) != shown
    # A query that reads a table without a version has none; a shown table without one is a mistake.
    reachable = short_tables.query_text(Stakeholder.objects.filter(contacts__email="ana@example.org"))
    assert short_tables.versions_read_by(reachable) is None
    with pytest.raises(ValueError, match=r"stakeholders\.Contact"):
        short_tables.versions_read_by(regions, Contact)


def test_a_reader_scope_tells_apart_readers_who_see_or_may_change_other_rows_and_only_them(world):
    from coalitions.models import Coalition

    def scope(user):
        return short_tables.reader_scope(Coalition.objects.visible_to(user), Coalition.objects.editable_by(user))

    # Staff of two teams read the same coalitions but may change others'; two partners see their own.
    assert scope(world.staff_co) != scope(world.staff_pe)
    assert scope(world.partner_co) != scope(world.partner_pe)
    assert scope(world.staff_co) != scope(world.partner_co)
    # The same scope is the same key, whoever holds it.
    world.staff_pe.country_teams.set([world.co])
    world.staff_pe.__dict__.pop("team_country_ids", None)
    assert scope(world.staff_pe) == scope(world.staff_co)


def test_a_value_filed_with_its_versions_is_taken_until_a_write_to_one_of_its_tables(world):
    tables = (Country, Stakeholder)
    versions, value = short_tables.read_kept("figure", tables)
    assert value is None and versions == short_tables.table_version(*tables)
    short_tables.keep("figure", versions, 41)
    assert short_tables.read_kept("figure", tables) == (versions, 41)
    Stakeholder.objects.filter(pk=world.co_mayor.pk).update(name="Renamed")
    after, value = short_tables.read_kept("figure", tables)
    assert value is None and after != versions  # the figure of before the write is never taken
    short_tables.keep("figure", after, 42)
    assert short_tables.read_kept("figure", tables) == (after, 42)
    assert short_tables.kept_under_versions("figure", tables, lambda: 43) == 42
    assert short_tables.kept_under_versions("figure", (Stakeholder,), lambda: 43) == 43  # other tables, other versions
