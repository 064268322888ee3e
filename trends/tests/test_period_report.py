"""Period reports: the roll-up's figures with the period's rows, as a print-ready page and an XLSX workbook."""

import datetime
import io
import itertools
from pathlib import Path

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from coalitions.models import Assessment, Coalition, Commitment, Engagement, LearningNote, Outcome
from coalitions.rollup import Period, coalition_rollup_coalitions, coalitions_of, rollup
from results.models import Indicator, IndicatorValue
from trends.report_xlsx import report_workbook
from trends.reports import SECTIONS, report, section

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
QUERY = "?start=2026-01-01&end=2026-12-31"
COUNTRY = "/reports/country/co/"
BATCH = itertools.count()
SHEETS = [
    "Summary",
    "Engagements",
    "Commitments",
    "Outcomes",
    "Learning notes",
    "Assessments that moved",
    "Indicators",
    "Resource execution",
]


def _more(world, n: int) -> None:
    """n more of everything in Colombia within the period, and a local coalition linked to the national one."""
    batch = next(BATCH)
    national = Coalition.objects.create(initiative=world.co_initiative, name=f"Nacional {batch}", level="national")
    Coalition.objects.filter(pk=world.co_coalition.pk).update(parent=national)
    # The fixture's commitment, undated, was made before the period.
    Commitment.objects.filter(pk=world.co_commitment.pk).update(
        created_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)
    )
    for i in range(n):
        engagement = Engagement.objects.create(
            coalition=world.co_coalition, occurred_on=datetime.date(2026, 3, 1 + i), kind="meeting", title=f"M{i}"
        )
        engagement.participants.set([world.co_org, world.co_mayor])
        Commitment.objects.create(
            coalition=national, owner=world.co_org, description=f"C{i}", due_on=datetime.date(2026, 4, 1 + i)
        )
        Outcome.objects.create(
            coalition=world.co_coalition,
            description=f"O{i}",
            observed_on=datetime.date(2026, 5, 1 + i),
            significance="Matters",
            contribution="We helped",
        )
        note = LearningNote.objects.create(coalition=world.co_coalition, title=f"N{i}", body="b")
        LearningNote.objects.filter(pk=note.pk).update(created_at=datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC))
        indicator = Indicator.objects.create(
            coalition=world.co_coalition,
            name=f"I{batch}-{i}",
            unit="u",
            baseline_value=0,
            target_value=10,
            baseline_year=2025,
            target_year=2027,
        )
        IndicatorValue.objects.create(indicator=indicator, period_end=datetime.date(2026, 6, 30), value=5)
    Assessment.objects.create(
        stakeholder=world.co_mayor,
        initiative=world.co_initiative,
        assessed_on=datetime.date(2026, 6, 1) + datetime.timedelta(days=batch),
        power=5,
        capabilities=3,
        interest=4,
        stance=1,
    )


@pytest.mark.parametrize("scope", ["coalition", "initiative", "country"])
def test_the_reports_figures_are_the_rollups_for_the_same_range(world, scope):
    _more(world, 2)
    user = world.staff_co
    period = Period(START, END)
    coalition = world.co_coalition
    coalition.refresh_from_db()
    subject, coalitions = {
        "coalition": (coalition.parent, lambda: coalition_rollup_coalitions(coalition.parent, user)),
        "initiative": (world.co_initiative, lambda: coalitions_of(user, initiative=world.co_initiative)),
        "country": (world.co, lambda: coalitions_of(user, initiative__country=world.co)),
    }[scope]
    made = report(scope=scope, subject=subject, period=period, user=user)
    expected = rollup(coalitions(), period)
    assert made.rollup.total == expected.total
    assert [c.figures for c in made.rollup.columns] == [c.figures for c in expected.columns]
    assert made.engagements_total == expected.total.engagements == 3
    assert len(made.outcomes) == expected.total.outcomes == 3
    assert {row.kind: row.by_sector for row in made.kinds} == {
        "meeting": {"civil_society": 1, "subnational_government": 1},
        "workshop": {},  # the fixture's workshop has no participants
    }
    assert [move.stakeholder for move in made.moves] == [world.co_mayor]
    assert [note.title for note in made.notes] == ["N0", "N1"]
    assert {c.description for c in made.commitments} == {"C0", "C1"}  # due in the period
    assert len(made.indicators) == 2 and made.indicator_rows[0][1].percent == 50


def test_the_engagements_are_counted_by_kind_and_sector(world):
    _more(world, 2)
    made = report(scope="country", subject=world.co, period=Period(START, END), user=world.staff_co)
    meeting = next(row for row in made.kinds if row.kind == "meeting")
    assert (meeting.engagements, meeting.participants) == (2, 2)
    assert meeting.by_sector == {"civil_society": 1, "subnational_government": 1}
    assert made.sector_totals == {"civil_society": 1, "subnational_government": 1}


def test_an_empty_period_reports_nothing(world):
    empty = Period(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
    made = report(scope="country", subject=world.co, period=empty, user=world.staff_co)
    assert (made.kinds, made.commitments, made.outcomes, made.notes, list(made.moves)) == ([], [], [], [], [])
    assert made.rollup.total.engagements == 0


def test_the_print_stylesheet_hides_the_navigation_and_breaks_pages():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/report.css")).read_text()
    printed = css[css.index("@media print") :]
    assert ".main-nav" in printed and "break-before: page" in printed


def test_the_page_prints_and_links_the_workbook(staff_client, world):
    response = staff_client.get(COUNTRY + QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "css/report.css" in html and "format=xlsx" in html
    assert "Moquegua" not in html  # Peru's work is not in Colombia's report
    assert "<style" not in html and "style=" not in html


def test_the_rollup_pages_link_their_report(staff_client, world):
    html = staff_client.get("/countries/co/rollup/" + QUERY).content.decode()
    assert "/reports/country/CO/?start=2026-01-01&amp;end=2026-12-31" in html
    initiative = world.co_initiative.pk
    html = staff_client.get(f"/initiatives/{initiative}/rollup/" + QUERY).content.decode()
    assert f"/reports/initiative/{initiative}/?start=2026-01-01&amp;end=2026-12-31" in html
    _more(world, 0)  # a national coalition, with the local one linked to it: its page loads the roll-up panel
    national = Coalition.objects.get(pk=Coalition.objects.get(pk=world.co_coalition.pk).parent_id)
    panel = reverse("coalitions:coalition_rollup", kwargs={"pk": national.pk})
    html = staff_client.get(panel + QUERY, HTTP_HX_REQUEST="true").content.decode()
    assert f"/reports/coalition/{national.pk}/?start=2026-01-01&amp;end=2026-12-31" in html


def test_the_workbook_opens_with_a_sheet_per_section_and_totals(staff_client, world):
    _more(world, 2)
    response = staff_client.get(COUNTRY + QUERY + "&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == ('attachment; filename="report-country-colombia-20260101-20261231.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == SHEETS
    summary = list(book["Summary"].values)
    assert summary[0][:4] == ("Coalition", "Members active", "Sectors", "Engagements")
    assert summary[-1][0] == "Total" and summary[-1][3] == 3  # engagements, as in the roll-up
    outcomes = list(book["Outcomes"].values)
    assert outcomes[-1][:2] == ("Total", 3)
    engagements = list(book["Engagements"].values)
    assert engagements[-1][:3] == ("Total", 3, 2)
    moves = list(book["Assessments that moved"].values)
    assert moves[0] == ("Actor", "Initiative", "Assessed on", "Moved by", "Power", "Capabilities", "Interest", "Stance")
    assert moves[1][0] == world.co_mayor.name and moves[-1][:2] == ("Total", 1)


def test_the_workbook_speaks_spanish(staff_client, world):
    with translation.override("es"):
        response = staff_client.get(COUNTRY + QUERY + "&format=xlsx", HTTP_ACCEPT_LANGUAGE="es")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Resumen"
    rows = list(book["Resumen"].values)
    header = rows[0]
    assert header[:2] == ("Coalición", "Miembros activos")
    assert rows[-1][0] == "Total"


def test_the_page_speaks_spanish(staff_client, world):
    html = staff_client.get(COUNTRY + QUERY, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Informe del periodo" in html and "Evaluaciones que cambiaron" in html


def test_partners_get_the_staff_gate_and_the_unknown_a_404(partner_client, staff_client, world):
    assert partner_client.get(COUNTRY).status_code == 403
    assert partner_client.get(f"/reports/coalition/{world.co_coalition.pk}/").status_code == 403
    assert staff_client.get("/reports/country/zz/").status_code == 404
    assert staff_client.get("/reports/coalition/999999/").status_code == 404
    assert staff_client.get("/reports/stakeholder/1/").status_code == 404
    assert staff_client.get("/reports/initiative/abc/").status_code == 404
    assert staff_client.get("/reports/initiative/%C2%B2/").status_code == 404  # a digit to isdigit(), not to int()


def test_other_countries_staff_read_it_as_they_read_every_record(other_staff_client, world):
    """Staff read every country's records (core.models.ScopedQuerySet.visible_to); only writes are by team."""
    assert other_staff_client.get(COUNTRY).status_code == 200


SECTION_NAMES = [name for name, _title in SECTIONS]


def _section(scope_key: str, name: str, query: str = QUERY) -> str:
    return f"/reports/{scope_key}/sections/{name}/{query}"


@pytest.mark.parametrize("scope", ["coalition", "initiative", "country"])
def test_each_section_shows_what_the_whole_report_gathers(world, scope):
    _more(world, 2)
    subject = {"coalition": world.co_coalition, "initiative": world.co_initiative, "country": world.co}[scope]
    period = Period(START, END)
    whole = report(scope=scope, subject=subject, period=period, user=world.staff_co)
    for name in SECTION_NAMES:
        part = section(name=name, scope=scope, subject=subject, period=period, user=world.staff_co)
        assert part.title == whole.title and part.period == whole.period
        if name in ("summary", "engagements", "commitments"):
            assert part.rollup == whole.rollup
        shown = {
            "engagements": ("kinds", "sectors"),
            "commitments": ("commitments",),
            "outcomes": ("outcomes",),
            "notes": ("notes",),
            "moves": ("moves",),
            "indicators": ("indicators",),
            "resources": ("resources",),
        }.get(name, ())
        for attribute in shown:
            shown_part = getattr(part, attribute)
            shown_whole = getattr(whole, attribute)
            if attribute == "moves":  # a page of them and all of them, read when listed (coalitions.moves.Moved)
                shown_part, shown_whole = list(shown_part), list(shown_whole)
            assert shown_part == shown_whole, (name, attribute)


def test_the_page_loads_each_section_after_its_first_paint(staff_client, world):
    _more(world, 2)
    html = staff_client.get(COUNTRY + QUERY).content.decode()
    for name in SECTION_NAMES:
        url = _section("country/CO", name).replace("&", "&amp;")
        assert f'hx-get="{url}" hx-trigger="load"' in html and f'href="{url}"' in html
    outcomes = staff_client.get(_section("country/CO", "outcomes"), HTTP_HX_REQUEST="true").content.decode()
    assert outcomes.startswith('<section class="report-section" id="outcomes"') and "O1" in outcomes
    assert "<html" not in outcomes


def test_a_section_alone_is_a_page_of_its_own(staff_client, world):
    _more(world, 1)
    html = staff_client.get(_section("country/CO", "outcomes")).content.decode()
    assert "<html" in html and "O0" in html
    assert 'href="/reports/country/CO/?start=2026-01-01&amp;end=2026-12-31"' in html  # back to the report


def test_the_sections_check_the_subject_as_the_page_does(partner_client, staff_client, world):
    assert partner_client.get(_section("country/co", "summary"), HTTP_HX_REQUEST="true").status_code == 403
    assert partner_client.get(_section(f"coalition/{world.co_coalition.pk}", "outcomes")).status_code == 403
    assert staff_client.get(_section("country/zz", "summary")).status_code == 404
    assert staff_client.get(_section("coalition/999999", "summary")).status_code == 404
    assert staff_client.get(_section("stakeholder/1", "summary")).status_code == 404
    assert staff_client.get(_section("country/co", "nothing")).status_code == 404


def test_the_query_count_does_not_grow_with_the_data(staff_client, world):
    def queries(url, **headers) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(url, **headers).status_code == 200
        return len(captured)

    sections = [_section("country/co", name) for name in SECTION_NAMES]
    for url in (COUNTRY + QUERY, COUNTRY + QUERY + "&format=xlsx", *sections):
        _more(world, 1)
        small = queries(url, HTTP_HX_REQUEST="true")
        _more(world, 5)
        assert queries(url, HTTP_HX_REQUEST="true") == small
        if "format=xlsx" not in url:
            assert small <= 8, url


@pytest.mark.parametrize("name", ["summary", "commitments", "outcomes", "moves"])
def test_a_kept_section_is_the_plain_rendering_and_a_change_is_another_key(staff_client, world, name):
    _more(world, 2)
    url = _section("country/co", name)
    first = staff_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert staff_client.get(url, HTTP_HX_REQUEST="true").content.decode() == first  # from the cache
    made = section(name=name, scope="country", subject=world.co, period=Period(START, END), user=world.staff_co)
    plain = render_to_string(f"trends/includes/report/{name}.html", {"report": made, "sections": dict(SECTIONS)})
    assert first.strip() == plain.strip()
    renamed = {
        "summary": (Coalition.objects.filter(pk=world.co_coalition.pk), "name"),
        "commitments": (Commitment.objects.filter(coalition__initiative__country=world.co), "description"),
        "outcomes": (Outcome.objects.filter(description="O1"), "description"),
        "moves": (type(world.co_mayor).objects.filter(pk=world.co_mayor.pk), "name"),
    }[name]
    queryset, field_name = renamed
    queryset.update(**{field_name: "Renamed since"})
    assert "Renamed since" in staff_client.get(url, HTTP_HX_REQUEST="true").content.decode()


def test_the_moves_section_shows_a_page_furthest_first_and_the_workbook_all(staff_client, world, monkeypatch):
    monkeypatch.setattr("trends.reports.MOVES_PAGE_SIZE", 2)
    # Hand-counted: the mayor moved (4,3,2,0) -> (5,3,4,1), sqrt(1 + 4 + 1); the three others are new, by name.
    for name, day in (("Zeta", 3), ("beta", 4), ("Alfa", 5)):
        newcomer = type(world.co_mayor).objects.create(country=world.co, name=name, sector="academia", level="local")
        Assessment.objects.create(
            stakeholder=newcomer,
            initiative=world.co_initiative,
            assessed_on=datetime.date(2026, 2, day),
            power=2,
            capabilities=2,
            interest=2,
        )
    Assessment.objects.create(
        stakeholder=world.co_mayor,
        initiative=world.co_initiative,
        assessed_on=datetime.date(2026, 3, 1),
        power=5,
        capabilities=3,
        interest=4,
        stance=1,
    )
    since = "?start=2026-01-20&end=2026-12-31"  # after the fixture's assessment of the mayor
    url = _section("country/co", "moves", since)
    first = staff_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert first.index(world.co_mayor.name) < first.index("Alfa") and "beta" not in first
    assert "2.45" in first and "4 actors moved or were assessed for the first time" in first
    assert 'href="/reports/country/CO/sections/moves/?start=2026-01-20&amp;end=2026-12-31&amp;page=2#moves"' in first
    second = staff_client.get(url + "&page=2", HTTP_HX_REQUEST="true").content.decode()
    assert second.index("beta") < second.index("Zeta") and "Alfa" not in second and "Page 2 of 2" in second
    book = load_workbook(io.BytesIO(staff_client.get(COUNTRY + since + "&format=xlsx").content))
    rows = list(book["Assessments that moved"].values)
    assert [row[0] for row in rows[1:]] == [world.co_mayor.name, "Alfa", "beta", "Zeta", "Total"]
    assert rows[1][3] == 2.45 and rows[-1][1] == 4


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_workbooks_moves_are_the_moves_as_their_changes_show_them(world, language):
    _more(world, 1)
    newcomer = type(world.co_mayor).objects.create(
        country=world.co, name="Nueva", acronym="NV", sector="academia", level="local"
    )
    for day, score, stance in ((datetime.date(2025, 6, 1), 1, 1), (datetime.date(2026, 2, 3), 2, -1)):
        Assessment.objects.create(
            stakeholder=newcomer,
            initiative=world.co_initiative,
            assessed_on=day,
            power=score,
            capabilities=2,
            interest=score,
            stance=stance,
        )
    with translation.override(language):
        new = translation.gettext("new")
        made = report(scope="country", subject=world.co, period=Period(START, END), user=world.staff_co)
        book = load_workbook(io.BytesIO(report_workbook(made)))
        plain = [
            (
                str(move.stakeholder),
                str(move.now.initiative),
                move.now.assessed_on.isoformat(),
                new if move.distance is None else round(move.distance, 2),
                *(
                    f"{change.before_shown} → {change.now_shown}" if change.before is not None else change.now_shown
                    for change in move.changes
                ),
            )
            for move in made.moves
        ]
    rows = list(book.worksheets[SECTION_NAMES.index("moves")].values)[1:]
    # One first assessed in the period, one that moved from where it stood before it.
    assert sorted(row[3] == new for row in plain) == [False, True] and any("→" in row[7] for row in plain)
    assert rows == [*plain, ("Total", 2, None, None, None, None, None, None)]


@pytest.mark.parametrize("scope", ["coalition", "country"])
def test_the_summary_section_shows_a_page_of_coalitions_with_the_total_of_them_all(
    staff_client, world, monkeypatch, scope
):
    monkeypatch.setattr("coalitions.rollup.ROLLUP_PAGE_SIZE", 1)
    monkeypatch.setattr("trends.reports.ROLLUP_PAGE_SIZE", 1)
    _more(world, 2)  # a national coalition, "Nacional …", with the fixture's local coalition linked to it
    national = Coalition.objects.get(pk=Coalition.objects.get(pk=world.co_coalition.pk).parent_id)
    subject, key = {"coalition": (national, f"coalition/{national.pk}"), "country": (world.co, "country/co")}[scope]
    whole = report(scope=scope, subject=subject, period=Period(START, END), user=world.staff_co)
    names = [column.coalition.name for column in whole.rollup.columns]
    assert len(names) == 2
    for number, name in enumerate(names, start=1):
        part = section(
            name="summary", scope=scope, subject=subject, period=Period(START, END), user=world.staff_co, page=number
        )
        assert [column.coalition.name for column in part.rollup.columns] == [name]
        assert part.rollup.columns[0] == whole.rollup.columns[number - 1]
        assert part.rollup.total == whole.rollup.total
        html = staff_client.get(_section(key, "summary") + f"&page={number}", HTTP_HX_REQUEST="true").content.decode()
        assert name in html and names[2 - number] not in html
        assert f"Page {number} of 2" in html and "The total counts all 2 coalitions" in html


def test_the_kept_moves_follow_a_renamed_initiative_and_assessor(staff_client, world, django_user_model):
    _more(world, 1)
    Assessment.objects.filter(stakeholder=world.co_mayor).update(assessed_by=world.staff_co)
    url = _section("country/co", "moves")
    first = staff_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert world.co_initiative.name in first and world.staff_co.username in first
    world.co_initiative.name = "Renamed initiative"
    world.co_initiative.save()
    django_user_model.objects.filter(pk=world.staff_co.pk).update(username="renamed-assessor")
    changed = staff_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Renamed initiative" in changed and "renamed-assessor" in changed


def test_the_kept_summary_follows_a_write_to_a_counted_table(staff_client, world, django_assert_max_num_queries):
    _more(world, 1)
    url = _section("country/co", "summary")
    first = staff_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    with django_assert_max_num_queries(3):  # the session, its user and the country: the drawing is kept
        assert staff_client.get(url, HTTP_HX_REQUEST="true").content.decode() == first
    Outcome.objects.create(
        coalition=world.co_coalition,
        description="Late",
        observed_on=datetime.date(2026, 9, 1),
        significance="Matters",
        contribution="We helped",
    )
    made = section(name="summary", scope="country", subject=world.co, period=Period(START, END), user=world.staff_co)
    assert made.rollup.total.outcomes == 3  # the fixture's, _more's and this one
    plain = render_to_string("trends/includes/report/summary.html", {"report": made, "sections": dict(SECTIONS)})
    assert staff_client.get(url, HTTP_HX_REQUEST="true").content.decode().strip() == plain.strip() != first.strip()
