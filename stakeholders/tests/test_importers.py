import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.short_tables import table_version
from stakeholders.importers import stakeholders_import_csv
from stakeholders.models import Stakeholder

HEADER = "name,acronym,kind,sector,level,country,regions,website,description\n"


def csv_of(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode()


def good_rows(count: int, prefix: str = "Fundación") -> list[str]:
    return [
        f"{prefix} {i},F{i},organisation,civil_society,local,CO,CO-LAG,https://example.org/{i}," for i in range(count)
    ]


@pytest.mark.django_db
def test_valid_file_creates_every_stakeholder_with_its_regions():
    result = stakeholders_import_csv(
        file=csv_of(
            'Alcaldía de Uribia,,organisation,subnational_government,local,CO,CO-LAG;CO-CES,,"Mayor\'s office"',
            "Ana Epieyú,,Person,Civil society organisation,Local,pe,,,",
        )
    )

    assert result.ok, result.errors
    assert result.created == 2
    uribia = Stakeholder.objects.get(name="Alcaldía de Uribia")
    assert sorted(uribia.regions.values_list("code", flat=True)) == ["CO-CES", "CO-LAG"]
    assert uribia.description == "Mayor's office"
    ana = Stakeholder.objects.get(name="Ana Epieyú")
    assert (ana.kind, ana.sector, ana.level, ana.country.code) == ("person", "civil_society", "local", "PE")


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_every_bad_row_is_reported_with_its_line():
    rows = good_rows(3)
    rows.insert(1, "Bad sector,,organisation,bakery,local,CO,,,")
    rows.append(",,organisation,civil_society,nowhere,XX,,,")

    result = stakeholders_import_csv(file=csv_of(*rows))

    assert not result.ok
    assert [error.line for error in result.errors] == [3, 6]
    assert "unknown sector 'bakery'" in result.errors[0].message
    assert "name is required" in result.errors[1].message
    assert "unknown level 'nowhere'" in result.errors[1].message
    assert "unknown country 'XX'" in result.errors[1].message
    assert str(result.errors[0]).startswith("Line 3:")
    assert not Stakeholder.objects.exists()


@pytest.mark.django_db
def test_every_field_is_checked_against_the_model_limits():
    result = stakeholders_import_csv(
        file=csv_of(
            f"{'x' * 201},,organisation,civil_society,local,CO,,,",
            f"Long acronym,{'A' * 31},organisation,civil_society,local,CO,,,",
            "Bad site,,organisation,civil_society,local,CO,,not a url,",
            "Bad kind,,robot,civil_society,local,CO,,,",
            "Foreign region,,organisation,civil_society,local,CO,PE-MOQ,,",
            "Unknown region,,organisation,civil_society,local,CO,CO-XXX,,",
            "Short row,organisation",
            "Nul\x00byte,,organisation,civil_society,local,CO,,,",
        )
    )

    messages = {error.line: error.message for error in result.errors}
    assert "longer than 200" in messages[2]
    assert "acronym is longer than 30" in messages[3]
    assert "not a valid URL" in messages[4]
    assert "unknown kind 'robot'" in messages[5]
    assert messages[6] == "These regions are not in Colombia: Moquegua."  # the rule of Stakeholder.clean
    assert "“CO-XXX” is not a known region" in messages[7]
    assert "Expected 9 columns, found 2" in messages[8]
    assert "NUL" in messages[9]
    assert not Stakeholder.objects.exists()


@pytest.mark.django_db
def test_a_name_twice_in_the_file_for_one_country_is_an_error_on_the_second_line():
    result = stakeholders_import_csv(
        file=csv_of(
            "Red Andina,,organisation,civil_society,local,CO,,,",
            "Red Andina,,organisation,civil_society,local,PE,,,",
            "RED ANDINA,,organisation,civil_society,local,CO,,,",
        )
    )

    assert [(error.line, error.message) for error in result.errors] == [
        (4, "'RED ANDINA' is already on line 2 for this country")
    ]
    assert not Stakeholder.objects.exists()


@pytest.mark.django_db
def test_a_name_that_already_exists_in_the_country_is_an_error_so_a_second_import_adds_nothing(world):
    content = csv_of(
        "fundación energía wayuu,,organisation,civil_society,local,CO,,,",  # world.co_org, other case
        "Fundación Energía Wayuu,,organisation,civil_society,local,PE,,,",  # same name, other country: fine
    )

    result = stakeholders_import_csv(file=content)

    assert [(error.line, error.message) for error in result.errors] == [
        (2, "a stakeholder with this name already exists in Colombia")
    ]
    assert Stakeholder.objects.filter(name__iexact="Fundación Energía Wayuu").count() == 1


@pytest.mark.django_db
def test_header_problems_are_reported_on_line_one():
    result = stakeholders_import_csv(file=csv_of("x,y", header="name,colour,colour\n"))

    assert [error.line for error in result.errors] == [1, 1, 1]
    text = " ".join(error.message for error in result.errors)
    assert "Missing columns: sector, level, country" in text
    assert "Unknown columns: colour, colour" in text
    assert "Repeated columns: colour" in text


@pytest.mark.django_db
def test_lines_are_counted_in_the_file_even_with_line_breaks_inside_quoted_cells_and_blank_lines():
    result = stakeholders_import_csv(
        file=csv_of(
            'Good,,organisation,civil_society,local,CO,,,"first\nsecond\nthird"',
            "",
            "Bad,,organisation,civil_society,local,ZZ,,,",
        )
    )

    assert [error.line for error in result.errors] == [6]


@pytest.mark.django_db
def test_files_that_are_not_text_or_are_empty_are_refused():
    assert "looks like" in stakeholders_import_csv(file=b"\x00\x01\x02name\xff\n").errors[0].message
    assert "empty" in stakeholders_import_csv(file=b"").errors[0].message
    assert "no stakeholders" in stakeholders_import_csv(file=csv_of()).errors[0].message


@pytest.mark.django_db
def test_a_byte_order_mark_from_a_spreadsheet_is_accepted():
    result = stakeholders_import_csv(file=b"\xef\xbb\xbf" + csv_of(*good_rows(1)))

    assert result.ok, result.errors


@pytest.mark.django_db
def test_staff_may_import_only_into_the_countries_of_their_team(world):
    content = csv_of(*good_rows(1), "Minera Nueva,,organisation,extractive_energy,local,PE,,,")

    result = stakeholders_import_csv(file=content, user=world.staff_co)

    assert [(error.line, error.message) for error in result.errors] == [(3, "you may not add stakeholders in Peru")]
    assert stakeholders_import_csv(file=content, user=world.admin).created == 2


@pytest.mark.django_db
def test_dry_run_validates_and_writes_nothing():
    result = stakeholders_import_csv(file=csv_of(*good_rows(2)), dry_run=True)

    assert result.ok
    assert not Stakeholder.objects.exists()


@pytest.mark.django_db
def test_rows_are_written_in_batches_not_one_query_per_row():
    with CaptureQueriesContext(connection) as captured:
        assert stakeholders_import_csv(file=csv_of(*good_rows(600))).created == 600

    # A handful of lookups, then bulk inserts (SQLite caps the rows per INSERT; PostgreSQL does not).
    assert len(captured) < 600 / 20


@pytest.mark.django_db
def test_a_bad_row_after_thousands_of_good_ones_still_imports_nothing():
    # Enough rows that the first ones are already streamed to the database when the bad one is read.
    rows = [*good_rows(6000), "Last,,organisation,civil_society,local,CO,CO-ZZZ,,"]

    result = stakeholders_import_csv(file=csv_of(*rows))

    assert [(error.line, error.message) for error in result.errors] == [
        (6002, "“CO-ZZZ” is not a known region (an ISO 3166-2 code such as PE-MOQ, its name, or its official code).")
    ]
    assert not Stakeholder.objects.exists()
    assert not Stakeholder.regions.through.objects.exists()


@pytest.mark.django_db
def test_a_file_with_old_mac_line_endings_is_imported_whole():
    content = csv_of(*good_rows(3)).replace(b"\n", b"\r")

    result = stakeholders_import_csv(file=content)

    assert result.created == 3
    assert Stakeholder.objects.filter(regions__code="CO-LAG").count() == 3


@pytest.mark.parametrize(
    "website",
    [
        "https://example.org/actors/1",
        "http://sub.example.co/path?q=1#top",
        "https://user:pass@example.org:8080/",
        "ftp://example.org",
        "https://localhost/",
        "http://192.168.0.1/",
        "http://[::1]/",
        "http://[::zz]/",
        "https://münchen.de/",
        "https://xn--mnchen-3ya.de/",
        "example.org",
        "mailto:someone@example.org",
        "https://exa mple.org/",
        "https://example.org/a b",
        "https://example.org/\n",
        "https://-example.org/",
        "https://example.-org/",
        "https://example",
        "https://" + "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 60 + ".org/",
        "javascript://example.org/%0Aalert(1)",
        "HTTPS://EXAMPLE.ORG/",
        "https://example.org:99999/",
    ],
)
def test_websites_are_judged_exactly_as_djangos_url_validator_judges_them(website):
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    from stakeholders.importers import _URLCheck

    try:
        URLValidator()(website)
        expected = True
    except ValidationError:
        expected = False

    assert _URLCheck(max_length=2048)(website) is expected


@pytest.mark.django_db
def test_rows_with_ids_update_their_stakeholders_read_a_batch_of_lines_at_a_time(monkeypatch):
    from stakeholders import importers

    monkeypatch.setattr(importers, "BATCH_SIZE", 2)
    assert stakeholders_import_csv(file=csv_of(*good_rows(5, prefix="Veeduría"))).created == 5
    pks = list(Stakeholder.objects.filter(name__startswith="Veeduría").order_by("pk").values_list("pk", flat=True))
    rows = [f"{pk},{row}" for pk, row in zip(pks, good_rows(5, prefix="Veeduría"), strict=True)]
    rows[3] = rows[3].replace(",F3,", ",VV3,")

    result = stakeholders_import_csv(file=csv_of(*rows, header="id," + HEADER))

    assert result.ok, result.errors
    assert (result.updated, result.unchanged, result.created) == (1, 4, 0)
    assert Stakeholder.objects.get(pk=pks[3]).acronym == "VV3"
    assert Stakeholder.objects.filter(name__startswith="Veeduría").count() == 5


@pytest.mark.django_db
def test_an_import_drops_the_stakeholder_tables_version_so_cached_drawings_are_redrawn():
    before = table_version(Stakeholder)

    assert stakeholders_import_csv(file=csv_of(*good_rows(3))).created == 3

    assert table_version(Stakeholder) != before
