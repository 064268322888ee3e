"""Accent- and case-blind search (core.search) on every path that searches stakeholders and contacts:
the directory, the API's `q`, the pickers, the admin search and searches through another table.
Runs on SQLite and, with DATABASE_URL, on PostgreSQL; the query-plan test needs PostgreSQL."""

import re
import sys
import unicodedata

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from coalitions.filters import MembershipFilterSet
from coalitions.models import Membership
from core.bulk import bulk_insert
from core.search import RANK, fold, search_ordering
from core.testing import require_service
from core.tests.test_picker_limits import offered
from stakeholders.filters import StakeholderFilterSet
from stakeholders.importers import stakeholders_import_csv
from stakeholders.models import Contact, Stakeholder

pytestmark = pytest.mark.django_db

DECOMPOSED = "Fundacio\u0301n Sol Wayuu"  # as a Mac types it: "o" and a combining acute accent
COMPOSED = "Fundación Sol Wayuu"


def actor(world, name, country=None, **fields) -> Stakeholder:
    return Stakeholder.objects.create(
        country=country or world.co, name=name, sector="civil_society", level="local", **fields
    )


@pytest.fixture
def names(world):
    return {
        "alcaldias": [
            world.co_mayor,
            actor(world, "Alcaldía de Riohacha"),
            actor(world, "ALCALDÍA DE MANAURE"),
            actor(world, "Alcaldía Provincial de Ilo", world.pe),
        ],
        "cerrejon": actor(world, "Cerrejón"),
        "fundacion": world.co_org,  # Fundación Energía Wayuu
    }


def test_fold_takes_accents_case_and_spacing_away():
    assert fold("Alcaldía  de  Uribia") == "alcaldia de uribia"
    assert fold("CERREJÓN") == fold("cerrejon") == "cerrejon"
    assert fold(DECOMPOSED) == fold(COMPOSED) == "fundacion sol wayuu"
    assert fold("Peña") == "pena"
    assert fold("") == fold(None) == ""


def test_fold_removes_the_marks_of_every_script_as_its_plain_definition_does():
    """The Latin marks are removed by one regular expression (core.search._LATIN_MARKS): the result is still
    NFKD without any combining character, case-folded, single-spaced, for every code point."""

    def plain(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text)
        return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).casefold().split())

    points = [chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF]
    for start in range(0, len(points), 500):
        text = "a" + "a".join(points[start : start + 500])  # each mark after a letter, as typed
        assert fold(text) == plain(text)
    assert fold("Cafe\u0301 \u0915\u093c") == plain("Cafe\u0301 \u0915\u093c") == "cafe \u0915"


def directory(client, q: str) -> set[int]:
    response = client.get(reverse("stakeholders:stakeholder_list"), {"q": q})
    assert response.status_code == 200
    return {row.pk for row in response.context["stakeholders"]}


def test_the_directory_finds_names_without_their_accents(staff_client, names):
    alcaldias = {row.pk for row in names["alcaldias"]}
    assert directory(staff_client, "alcaldia") == alcaldias
    assert directory(staff_client, "ALCALDIA") == alcaldias
    assert directory(staff_client, "Fundacion") == {names["fundacion"].pk}
    assert directory(staff_client, "CERREJON") == {names["cerrejon"].pk}
    assert directory(staff_client, "cerrejón") == {names["cerrejon"].pk}


def test_the_api_q_finds_stakeholders_and_contacts_without_accents(world, names):
    client = APIClient()
    client.force_authenticate(world.staff_co)
    found = client.get("/api/v1/stakeholders/", {"q": "alcaldia"}).json()["results"]
    assert {row["id"] for row in found} == {row.pk for row in names["alcaldias"]}
    found = client.get("/api/v1/stakeholders/", {"q": "CERREJON"}).json()["results"]
    assert [row["name"] for row in found] == ["Cerrejón"]
    found = client.get("/api/v1/contacts/", {"q": "perez"}).json()["results"]
    assert [row["name"] for row in found] == ["Ana Pérez"]


def test_the_picker_finds_names_without_accents(staff_client, world, names):
    url = reverse("stakeholders:relationship_create", kwargs={"pk": world.co_org.pk})
    rows = offered(staff_client, url, "target", query="cerrejon")
    assert rows == [names["cerrejon"]]


def test_a_search_through_another_table_is_accent_blind(rf, world, names):
    request = rf.get("/")
    request.user = world.staff_co
    filterset = MembershipFilterSet({"q": "alcaldia"}, queryset=Membership.objects.all(), request=request)
    assert [row.stakeholder for row in filterset.qs] == [world.co_mayor]


def test_the_admin_search_is_accent_blind(admin_client, names):
    response = admin_client.get(reverse("admin:stakeholders_stakeholder_changelist"), {"q": "cerrejon"})
    assert list(response.context["cl"].result_list) == [names["cerrejon"]]
    response = admin_client.get(reverse("admin:stakeholders_contact_changelist"), {"q": "PEREZ"})
    assert [row.name for row in response.context["cl"].result_list] == ["Ana Pérez"]


def test_a_decomposed_name_is_stored_composed(world):
    stakeholder = actor(world, DECOMPOSED)
    stakeholder.refresh_from_db()
    assert stakeholder.name == COMPOSED
    assert stakeholder.search_name == "fundacion sol wayuu"
    contact = Contact.objects.create(stakeholder=stakeholder, name="Jose\u0301 Uriana")
    contact.refresh_from_db()
    assert (contact.name, contact.search_name) == ("José Uriana", "jose uriana")


def test_an_imported_decomposed_name_is_the_existing_one_not_a_look_alike(world):
    actor(world, COMPOSED)
    report = stakeholders_import_csv(file=f"name,sector,level,country\n{DECOMPOSED},civil_society,local,CO\n")
    assert report.errors and "already exists" in str(report.errors[0])
    assert Stakeholder.objects.filter(search_name="fundacion sol wayuu").count() == 1


def test_an_imported_name_is_stored_composed_and_searchable(world):
    report = stakeholders_import_csv(file=f"name,sector,level,country\n{DECOMPOSED},civil_society,local,CO\n")
    assert not report.errors
    imported = Stakeholder.objects.get(search_name="fundacion sol wayuu")
    assert imported.name == COMPOSED


def test_every_bulk_path_keeps_the_folded_copy_current(world):
    created = Stakeholder.objects.bulk_create(
        [Stakeholder(country=world.co, name="Corporación Cerrejón", sector="private", level="local")]
    )[0]
    assert Stakeholder.objects.get(pk=created.pk).search_name == "corporacion cerrejon"
    inserted = bulk_insert(
        Stakeholder, [Stakeholder(country=world.co, name="ÁREA Metropolitana", sector="private", level="local")]
    )[0]
    assert Stakeholder.objects.get(pk=inserted.pk).search_name == "area metropolitana"
    created.name = "Asociación Wayuu"
    Stakeholder.objects.bulk_update([created], ["name"])
    assert Stakeholder.objects.get(pk=created.pk).search_name == "asociacion wayuu"
    Stakeholder.objects.filter(pk=created.pk).update(name=DECOMPOSED)
    row = Stakeholder.objects.get(pk=created.pk)
    assert (row.name, row.search_name) == (COMPOSED, "fundacion sol wayuu")
    row.name = "Gobernación"
    row.save(update_fields=["name"])
    assert Stakeholder.objects.get(pk=row.pk).search_name == "gobernacion"


@pytest.mark.services
def test_postgresql_serves_the_search_from_the_trigram_index(world, names):
    """The directory's `q` reads the GIN trigram index on the folded column, not the whole table."""
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    bulk_insert(
        Stakeholder,
        [
            Stakeholder(country=world.co, name=f"Organización {n}", sector="community", level="local")
            for n in range(3000)
        ],
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE stakeholders_stakeholder")
        # Deterministic at a test's size: no table scan, and no walk of the name index in order that
        # filters every row; only an index that serves the LIKE itself can then answer cheaply.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    request = type("Request", (), {"user": world.staff_co})()
    for term in ("alcaldia", "CERREJON"):
        rows = StakeholderFilterSet({"q": term}, queryset=Stakeholder.objects.all(), request=request).qs
        plan = rows.explain()
        assert "Bitmap Index Scan on stakeholder_search_name_trgm_idx" in plan, plan
        assert "Seq Scan" not in plan, plan


def test_every_word_is_found_in_any_order_case_and_accents_aside(staff_client, world, names):
    uribia = {world.co_mayor.pk}
    assert directory(staff_client, "uribia alcaldia") == uribia
    assert directory(staff_client, "URIBIA ALCALDÍA") == uribia
    assert directory(staff_client, "Alcaldi\u0301a Uribia") == uribia  # a decomposed accent, as a Mac types it
    assert directory(staff_client, "alcaldia riohacha uribia") == set()  # every word must be found
    assert directory(staff_client, '"de uribia"') == uribia  # a quoted phrase is one word
    assert directory(staff_client, '"uribia de"') == set()


def test_a_short_word_starts_a_word_of_the_name(staff_client, world, names):
    pena = actor(world, "Asociación Peña Colorada")
    assert directory(staff_client, "asociacion pe") == {pena.pk}  # "Peña" starts with "pe"
    assert directory(staff_client, "asociacion na") == set()  # "na" is inside "Peña", not at its start
    assert directory(staff_client, "pena") == directory(staff_client, "PEÑA") == {pena.pk}


def test_a_search_of_short_words_only_is_the_start_of_the_name_or_the_acronym(staff_client, world, names):
    acronym = actor(world, "Agencia Nacional de Minería", acronym="ANM")
    assert directory(staff_client, "al") == {row.pk for row in names["alcaldias"]}
    assert directory(staff_client, "anm") == {acronym.pk}  # an acronym is matched whole
    assert directory(staff_client, "an") == set()


def test_the_best_matches_come_first(staff_client, world):
    actor(world, "Observatorio Cerrejón")
    exact = actor(world, "Cerrejón")
    starts = actor(world, "Cerrejón Limited")
    response = staff_client.get(reverse("stakeholders:stakeholder_list"), {"q": "cerrejon"})
    assert [row.name for row in response.context["stakeholders"]] == [
        exact.name,
        starts.name,
        "Observatorio Cerrejón",
    ]


def test_the_api_contacts_and_admin_search_every_word_in_any_order(admin_client, world, names):
    client = APIClient()
    client.force_authenticate(world.staff_co)
    found = client.get("/api/v1/stakeholders/", {"q": "uribia alcaldia"}).json()["results"]
    assert [row["id"] for row in found] == [world.co_mayor.pk]
    found = client.get("/api/v1/contacts/", {"q": "perez ana"}).json()["results"]
    assert [row["name"] for row in found] == ["Ana Pérez"]
    response = admin_client.get(reverse("admin:stakeholders_stakeholder_changelist"), {"q": "uribia alcaldía"})
    assert list(response.context["cl"].result_list) == [world.co_mayor]


def test_the_picker_finds_every_word_in_any_order(staff_client, world, names):
    url = reverse("stakeholders:relationship_create", kwargs={"pk": world.co_org.pk})
    assert offered(staff_client, url, "target", query="uribia alcaldia") == [world.co_mayor]


def test_a_chosen_order_sorts_within_the_ranks_of_a_search(staff_client, world):
    actor(world, "Asociación Cerrejón")
    exact = actor(world, "Cerrejón")
    response = staff_client.get(reverse("stakeholders:stakeholder_list"), {"q": "cerrejon", "sort": "-name"})
    assert [row.name for row in response.context["stakeholders"]] == [exact.name, "Asociación Cerrejón"]
    client = APIClient()
    client.force_authenticate(world.staff_co)
    found = client.get("/api/v1/stakeholders/", {"q": "cerrejon", "ordering": "-name"}).json()["results"]
    assert [row["name"] for row in found] == [exact.name, "Asociación Cerrejón"]


def test_a_page_of_a_search_is_the_page_of_the_plain_query(world):
    """A page of a ranked search picks its ids first, then reads them with the joins (core.search.RankedPages):
    the same rows in the same order as the one query, whatever the page selects or is sorted by."""
    for n in range(12):
        actor(world, f"Alcaldía {'Municipal ' if n % 3 else ''}de Pueblo {n:02}", organisation=world.co_org)
        actor(world, f"Red Alcaldía {n:02}", acronym="RA" if n == 5 else "")
    actor(world, "Alcaldía")
    request = type("Request", (), {"user": world.staff_co})()
    found = StakeholderFilterSet({"q": "alcaldia"}, queryset=Stakeholder.objects.all(), request=request).qs
    plain = list(found)  # iterating runs the one query, unsliced
    assert len(plain) > 20
    assert plain[0].name == "Alcaldía"  # the exact name first: the rank is kept
    for start, stop in ((0, 10), (10, 20), (20, 50)):
        page = found.select_related("country", "organisation")[start:stop]
        assert list(page) == plain[start:stop]
        assert [row.organisation for row in page] == [row.organisation for row in plain[start:stop]]
        sql = str(page.query)  # the page's ids are chosen in a subquery; the query that joins has no LIMIT
        assert re.search(r"IN \(SELECT .* LIMIT \d+", sql) and not re.search(r"LIMIT \d+( OFFSET \d+)?\s*$", sql), sql
        columns = ("pk", "name", "country__code", "organisation__name")
        assert list(found.values(*columns)[start:stop]) == list(found.values(*columns))[start:stop]
    # Conditions through other tables: the ids query joins what they need; the query that reads the
    # page's rows repeats none of them and joins only what it shows.
    narrowed = found.filter(organisation__country__code=world.co_org.country.code)
    assert 0 < narrowed.count() < len(plain)
    assert list(narrowed.values("pk", "name")[0:10]) == list(narrowed.values("pk", "name"))[0:10]
    rows_sql = str(narrowed.values("pk", "name")[0:10].query).split(" IN (SELECT ")[0]
    assert "JOIN" not in rows_sql and "LIKE" not in rows_sql, rows_sql
    # A chosen order without the id: ties come in id order on both paths, so pages never overlap.
    by_sector = found.order_by(*search_ordering(found, ["-sector"]))
    assert RANK in by_sector.query.order_by
    assert list(by_sector[5:15]) == list(found.order_by(RANK, "-sector", "pk"))[5:15]
    # Only ids (the picker's subquery) have nothing to join: one query, as before.
    assert str(found.values("pk")[:5].query).count("SELECT") == 1
    contacts = Contact.objects.filter(search_name__contains="a").order_by("name", "pk")
    assert str(contacts[:5].query).count("SELECT") == 1  # not a search's rank: the plain slice
