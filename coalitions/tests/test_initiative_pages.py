"""Initiative list and detail, with the stakeholder map drawn on the server."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalitions.charts import MapPoint, stakeholder_map_svg
from coalitions.models import Assessment, Coalition, CoalitionQuerySet, Engagement, Initiative, LearningNote
from countries.models import Region
from results.models import Indicator
from stakeholders.models import Stakeholder

from .conftest import add_coalitions, add_stakeholders, assess

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 2, 1)


def detail(world) -> str:
    return reverse("coalitions:initiative_detail", kwargs={"pk": world.co_initiative.pk})


def map_panel(world) -> str:
    """The initiative page's stakeholder map, a panel the page loads after its first paint."""
    return reverse("coalitions:initiative_map", kwargs={"pk": world.co_initiative.pk})


def activity_panel(world) -> str:
    return reverse("coalitions:initiative_activity", kwargs={"pk": world.co_initiative.pk})


def test_map_places_each_actor_at_its_latest_assessment(staff_client, world):
    Assessment.objects.create(
        stakeholder=world.co_mayor,
        initiative=world.co_initiative,
        assessed_on=DAY,
        power=5,
        capabilities=4,
        interest=5,
        stance=2,
    )
    response = staff_client.get(map_panel(world))
    points = response.context["points"]
    assert [(p.name, p.power, p.interest, p.stance) for p in points] == [("Alcaldía de Uribia", 5, 5, 2)]
    assert (points[0].previous_power, points[0].previous_interest) == (4, 2)
    svg = response.context["map_svg"]
    assert f'href="{world.co_mayor.get_absolute_url()}"' in svg
    assert 'data-power="5" data-interest="5"' in svg
    assert 'class="map-move"' in svg  # the arrow from the previous position


def test_map_draws_no_arrow_for_a_first_assessment(staff_client, world):
    svg = staff_client.get(map_panel(world)).context["map_svg"]
    assert 'class="map-move"' not in svg


def test_initiative_page_lists_its_own_engagements_and_notes(staff_client, world):
    Engagement.objects.create(
        initiative=world.co_initiative, occurred_on=DAY, kind="call", title="Call with the ministry"
    )
    LearningNote.objects.create(initiative=world.co_initiative, title="Talk to the ministry early", body="b")
    content = staff_client.get(activity_panel(world)).content.decode()
    assert "Call with the ministry" in content and "Talk to the ministry early" in content


def test_map_filters_by_sector(staff_client, world):
    assess(world.co_initiative, [world.co_org], DAY)
    response = staff_client.get(map_panel(world), {"sector": Stakeholder.Sector.CIVIL_SOCIETY})
    assert [p.stakeholder_id for p in response.context["points"]] == [world.co_org.pk]
    response = staff_client.get(map_panel(world), {"sector": "not-a-sector"})
    assert response.status_code == 200
    assert len(response.context["points"]) == 2  # an unknown sector is reported and ignored


def test_map_has_a_table_alternative(staff_client, world):
    content = staff_client.get(map_panel(world)).content.decode()
    assert "<table>" in content
    assert "Alcaldía de Uribia" in content


def test_map_sizes_actors_by_capabilities():
    def point(pk, capabilities, interest):
        return MapPoint(
            stakeholder_id=pk,
            name=f"A{pk}",
            url="/",
            sector="",
            assessed_on=DAY,
            power=3,
            interest=interest,
            capabilities=capabilities,
            stance=0,
        )

    svg = str(stakeholder_map_svg([point(1, 1, 1), point(2, 5, 5)], title="t"))
    radii = re.findall(r'<circle class="[^"]+" cx="[^"]+" cy="[^"]+" r="([^"]+)"', svg)
    assert float(radii[0]) < float(radii[1])


def test_map_escapes_actor_names():
    point = MapPoint(
        stakeholder_id=1,
        name='<script>alert("x")</script>',
        url="/stakeholders/1/",
        sector="",
        assessed_on=DAY,
        power=3,
        interest=3,
        capabilities=3,
        stance=0,
    )
    svg = stakeholder_map_svg([point], title="T & <b>")
    assert "<script>" not in svg
    assert "T &amp; &lt;b&gt;" in svg


def test_map_renders_500_actors_in_the_queries_it_needs_for_5_and_none_of_them_once_kept(
    staff_client, world, django_assert_num_queries
):
    actors = add_stakeholders(world.co, 500)
    assess(world.co_initiative, actors[:4], DAY)
    cache.clear()  # drawn afresh, as after any write to the assessments or the stakeholders
    with CaptureQueriesContext(connection) as small:
        staff_client.get(map_panel(world))
    assess(world.co_initiative, actors[4:], DAY)
    assess(world.co_initiative, actors, DAY + datetime.timedelta(days=30), power=5)
    cache.clear()
    with django_assert_num_queries(len(small)):
        response = staff_client.get(map_panel(world))
    assert len(response.context["points"]) == 501
    assert response.content.count(b'class="map-actor"') == 501
    # Kept: the session, the user, the user's teams and the initiative; no assessment is read again.
    with django_assert_num_queries(4):
        assert staff_client.get(map_panel(world)).content.count(b'class="map-actor"') == 501


def test_initiative_list_filters_and_counts_queries(staff_client, world, count_queries, django_assert_num_queries):
    url = reverse("coalitions:initiative_list")
    response = staff_client.get(url, {"country": world.pe.pk})
    assert list(response.context["page"].object_list) == [world.pe_initiative]
    small = count_queries(lambda: staff_client.get(url))
    Initiative.objects.bulk_create(
        Initiative(country=world.co, level="national", name=f"Initiative {i}", shared_objective="x") for i in range(40)
    )
    with django_assert_num_queries(small):
        staff_client.get(url)


def test_staff_create_an_initiative_in_their_country_only(staff_client, world):
    url = reverse("coalitions:initiative_create")
    data = {
        "name": "Agua Cesar",
        "country": world.co.pk,
        "level": "subnational",
        "phase": "exploring",
        "shared_objective": "Water",
    }
    response = staff_client.post(url, data)
    created = Initiative.objects.get(name="Agua Cesar")
    assert response["Location"] == created.get_absolute_url()
    response = staff_client.post(url, {**data, "name": "Peru", "country": world.pe.pk})
    assert response.status_code == 200
    assert "country" in response.context["form"].errors
    assert not Initiative.objects.filter(name="Peru").exists()


def test_initiative_edit_shows_inline_errors(staff_client, world):
    url = reverse("coalitions:initiative_update", kwargs={"pk": world.co_initiative.pk})
    data = {
        "name": "",
        "country": world.co.pk,
        "level": "national",
        "phase": "exploring",
        "shared_objective": "x",
        "starts_on": "2026-05-01",
        "ends_on": "2026-01-01",
        "regions": [world.moquegua.pk],
    }
    response = staff_client.post(url, data)
    errors = response.context["form"].errors
    assert "name" in errors and "regions" in errors and "__all__" in errors
    assert b"An initiative cannot end before it starts." in response.content


def _map_parts(response) -> tuple[str, str]:
    """The drawn map and the map table's rows, as served (the panel is kept in the cache)."""
    content = response.content.decode()
    start = content.index('<svg class="stakeholder-map"')
    drawing = content[start : content.index("</svg>", start) + len("</svg>")]
    rows = content.split('<details class="map-table">')[1].split("<tbody>")[1].split("</tbody>")[0]
    return drawing, rows


def test_map_and_its_table_from_the_cache_equal_a_fresh_rendering_and_follow_every_change(
    staff_client, other_staff_client, world, settings
):
    url = map_panel(world)
    first = _map_parts(staff_client.get(url))
    assert _map_parts(staff_client.get(url)) == first
    assert "Reassess" in first[1] and "Reassess" not in _map_parts(other_staff_client.get(url))[1]
    # A changed assessment (even through update()) and a renamed actor are drawn at once.
    Assessment.objects.filter(pk=world.co_assessment.pk).update(power=1, interest=1)
    Stakeholder.objects.filter(pk=world.co_assessment.stakeholder_id).update(name="Renamed actor")
    changed = _map_parts(staff_client.get(url))
    assert changed != first
    assert 'data-power="1" data-interest="1"' in changed[0] and "Renamed actor" in changed[0]
    assert "Renamed actor" in changed[1]
    # In Spanish, the kept English drawing is not reused.
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert "poder" in _map_parts(staff_client.get(url))[0]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert _map_parts(staff_client.get(url)) == changed


def test_map_download_draws_500_actors_in_the_queries_it_needs_for_5(staff_client, world, django_assert_num_queries):
    url = reverse("coalitions:initiative_map_svg", kwargs={"pk": world.co_initiative.pk})
    actors = add_stakeholders(world.co, 500)
    assess(world.co_initiative, actors[:4], DAY)
    # The session, the user, the initiative and the points (the drawing is then kept in the cache).
    with django_assert_num_queries(4):
        staff_client.get(url)
    assess(world.co_initiative, actors[4:], DAY)
    with django_assert_num_queries(4):
        response = staff_client.get(url)
    assert response.content.count(b'class="map-actor"') == 501
    # Kept until the next write to the assessments or the stakeholders: the points are not read again.
    with django_assert_num_queries(3):
        assert staff_client.get(url).content == response.content


#: The panels an initiative's page loads after its first paint (coalitions.views.initiatives.PANELS).
PANELS = ["initiative_map", "initiative_indicators", "initiative_activity"]


def indicators_panel(world) -> str:
    return reverse("coalitions:initiative_indicators", kwargs={"pk": world.co_initiative.pk})


def test_initiative_page_loads_its_map_indicators_and_activity_as_panels_linked_for_a_browser_without_script(
    staff_client, world
):
    Indicator.objects.create(initiative=world.co_initiative, name="Households with solar power", unit="households")
    html = staff_client.get(detail(world), {"sector": Stakeholder.Sector.CIVIL_SOCIETY}).content.decode()
    assert 'class="map-actor"' not in html  # the map is not drawn with the page
    assert "Households with solar power" not in html  # nor are the indicators
    query = f"?sector={Stakeholder.Sector.CIVIL_SOCIETY}"
    for url in (map_panel(world) + query, indicators_panel(world), activity_panel(world)):
        assert f'hx-get="{url}"' in html and f'href="{url}"' in html
    assert 'hx-trigger="load"' in html
    assert "Households with solar power" in staff_client.get(indicators_panel(world)).content.decode()


def test_initiative_page_reads_six_queries_whatever_its_assessments_activity_and_coalitions_and_four_once_kept(
    staff_client, world, django_assert_num_queries
):
    actors = add_stakeholders(world.co, 50)
    assess(world.co_initiative, actors, DAY)
    add_coalitions(world.co_initiative, 30)
    for day in range(5):
        Engagement.objects.create(initiative=world.co_initiative, occurred_on=DAY, kind="call", title=f"Call {day}")
    cache.clear()
    # The session, the user, the user's teams, the initiative; its regions and its coalitions.
    with django_assert_num_queries(6):
        assert staff_client.get(detail(world)).status_code == 200
    # Kept: the regions and the coalitions are not read again.
    with django_assert_num_queries(4):
        assert "Coalition 029" in staff_client.get(detail(world)).content.decode()


def _kept_parts(response) -> tuple[str, str]:
    """The kept parts of an initiative's page: its regions, and its list of coalitions."""
    content = response.content.decode()
    regions = content.split('<dl class="facts">')[1].split("</dl>")[0]
    coalitions = content.split('<section aria-labelledby="coalitions-heading">')[1].split("</section>")[0]
    return regions, coalitions


#: Each write that changes what the kept parts of an initiative's page show.
PAGE_WRITES = {
    "coalition renamed": lambda world: Coalition.objects.filter(pk=world.co_coalition.pk).update(name="Renombrada"),
    "coalition's status changed": lambda world: Coalition.objects.filter(pk=world.co_coalition.pk).update(
        status=Coalition.Status.DORMANT
    ),
    "coalition added": lambda world: Coalition.objects.create(
        initiative=world.co_initiative, name="Coalición Cesar", level="local", shared_goal="Goal"
    ),
    "coalition linked to another": lambda world: Coalition.objects.filter(pk=world.co_coalition.pk).update(
        parent=Coalition.objects.create(initiative=world.pe_initiative, name="Nacional", level="national")
    ),
    "linked coalition renamed": lambda world: Coalition.objects.filter(pk=world.co_coalition.parent_id).update(
        name="Nacional renombrada"
    ),
    "coalition moved to another initiative": lambda world: Coalition.objects.filter(pk=world.co_coalition.pk).update(
        initiative=world.pe_initiative
    ),
    "initiative's regions changed": lambda world: world.co_initiative.regions.add(Region.objects.get(code="CO-CES")),
    "region renamed": lambda world: Region.objects.filter(code="CO-LAG").update(name="Guajira"),
}


@pytest.mark.parametrize("write", PAGE_WRITES.values(), ids=PAGE_WRITES.keys())
def test_the_kept_parts_of_the_initiative_page_follow_every_write(
    staff_client, world, write, django_capture_on_commit_callbacks
):
    world.co_initiative.regions.add(world.guajira)
    world.co_coalition.parent = Coalition.objects.create(initiative=world.co_initiative, name="Red", level="national")
    world.co_coalition.save()
    kept = _kept_parts(staff_client.get(detail(world)))
    assert _kept_parts(staff_client.get(detail(world))) == kept  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        write(world)
    shown = _kept_parts(staff_client.get(detail(world)))
    cache.clear()
    assert shown == _kept_parts(staff_client.get(detail(world))) != kept  # as read afresh


def test_the_kept_parts_of_the_initiative_page_are_kept_per_language_and_scope(
    staff_client, other_staff_client, world, settings, monkeypatch
):
    world.co_initiative.regions.add(world.guajira)
    english = _kept_parts(staff_client.get(detail(world)))
    assert "Local · Forming" in english[1]
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    spanish = _kept_parts(staff_client.get(detail(world)))
    assert "Local · En conformación" in spanish[1]
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # Two users whose `visible_to` differ never read each other's kept list.
    everything = CoalitionQuerySet.visible_to
    monkeypatch.setattr(
        CoalitionQuerySet,
        "visible_to",
        lambda self, user: self.none() if user == world.staff_pe else everything(self, user),
    )
    assert world.co_coalition.name not in _kept_parts(other_staff_client.get(detail(world)))[1]
    assert _kept_parts(staff_client.get(detail(world))) == english
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert _kept_parts(staff_client.get(detail(world))) == english


def test_the_kept_map_panel_shows_the_filter_as_typed_and_its_errors(staff_client, world):
    def panel(**query) -> str:
        return staff_client.get(map_panel(world), query, headers={"HX-Request": "true"}).content.decode()

    unfiltered = panel()
    assert 'class="errorlist"' not in unfiltered
    wrong = panel(as_of="not-a-date")
    assert 'class="errorlist"' in wrong and 'value="not-a-date"' in wrong
    assert panel(as_of="not-a-day") != wrong  # another value typed, another rendering
    assert panel() == unfiltered


@pytest.mark.parametrize("name", PANELS)
def test_a_panel_is_a_page_of_its_own_without_htmx_and_bare_with_it(staff_client, world, name):
    url = reverse(f"coalitions:{name}", kwargs={"pk": world.co_initiative.pk})
    page = staff_client.get(url).content.decode()
    panel = staff_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" in page and "<html" not in panel
    assert world.co_initiative.name in page


@pytest.mark.parametrize("name", PANELS)
def test_a_panel_checks_scope_as_the_page_does(client, staff_client, partner_client, world, name):
    def url(pk):
        return reverse(f"coalitions:{name}", kwargs={"pk": pk})

    def page(pk):
        return reverse("coalitions:initiative_detail", kwargs={"pk": pk})

    assert staff_client.get(url(999999)).status_code == staff_client.get(page(999999)).status_code == 404
    pk = world.co_initiative.pk
    assert partner_client.get(url(pk)).status_code == partner_client.get(page(pk)).status_code == 403
    assert world.co_initiative.name not in partner_client.get(url(pk)).content.decode()
    assert client.get(url(pk))["Location"].startswith("/accounts/login/")


def test_the_activity_panel_counts_the_participants_of_its_latest_engagements_in_constant_queries(staff_client, world):
    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            content = staff_client.get(activity_panel(world), headers={"HX-Request": "true"}).content.decode()
        return len(captured), content

    few, _content = queries()
    for day in range(25):
        engagement = Engagement.objects.create(
            initiative=world.co_initiative, occurred_on=DAY + datetime.timedelta(days=day), kind="call", title=f"C{day}"
        )
        engagement.participants.set([world.co_org, world.co_mayor][: day % 3])
        LearningNote.objects.create(
            initiative=world.co_initiative, title=f"Note {day}", body="b", author=world.staff_co
        )
    many, content = queries()
    assert many == few <= 8
    shown = re.findall(r">C(\d+)</a> <span class=\"muted\">· (\d+) participant", content)
    assert shown == [(str(day), str(day % 3)) for day in range(24, 4, -1)]  # the latest twenty, newest first
    assert content.count("Note ") == 20 and "staff-co" in content


def test_the_kept_activity_panel_shows_every_change_to_what_it_shows(staff_client, world):
    engagement = Engagement.objects.create(initiative=world.co_initiative, occurred_on=DAY, kind="call", title="Uno")
    LearningNote.objects.create(initiative=world.co_initiative, title="Nota", body="b", author=world.staff_co)

    def panel() -> str:
        return staff_client.get(activity_panel(world), headers={"HX-Request": "true"}).content.decode()

    before = panel()
    assert panel() == before  # kept
    engagement.participants.add(world.co_org)
    assert "1 participant" in panel()
    Engagement.objects.filter(pk=engagement.pk).update(title="Dos")
    assert ">Dos</a>" in panel()
    world.staff_co.first_name, world.staff_co.last_name = "Ana", "Gómez"
    world.staff_co.save()
    assert "Ana Gómez" in panel()


def test_the_kept_map_panel_names_who_assessed_each_move_as_they_are_named_now(staff_client, world):
    Assessment.objects.filter(pk=world.co_assessment.pk).update(assessed_by=world.staff_co)
    Assessment.objects.create(
        stakeholder=world.co_mayor,
        initiative=world.co_initiative,
        assessed_on=DAY,
        power=5,
        capabilities=4,
        interest=5,
        stance=2,
        assessed_by=world.staff_co,
    )

    def panel() -> str:
        since = world.co_assessment.assessed_on.isoformat()
        return staff_client.get(map_panel(world), {"since": since}, headers={"HX-Request": "true"}).content.decode()

    assert "staff-co" in panel()
    assert panel() == panel()  # kept
    world.staff_co.first_name, world.staff_co.last_name = "Ana", "Gómez"
    world.staff_co.save()
    assert "Ana Gómez" in panel()
