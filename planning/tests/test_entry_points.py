"""Entry points: staff-only, ranked by their three scores, and selecting one creates the initiative."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from coalitions.models import Initiative
from core import demo
from countries.models import Country, Region
from planning.models import EntryPoint
from planning.services import entry_point_select

from .conftest import PLANNING, make_entry_point


@pytest.fixture
def ranked(world):
    make_entry_point(world.co, "Middle", (3, 3, 3))
    make_entry_point(world.co, "Best", (5, 4, 5))
    make_entry_point(world.co, "Tie, more impact", (2, 5, 2))
    make_entry_point(world.co, "Tie, less impact", (3, 2, 4))
    return reverse("planning:entrypoint_list", kwargs={"code": "co"})


def test_staff_see_candidates_ranked_by_their_scores(other_staff_client, ranked):
    response = other_staff_client.get(ranked)
    titles = [ep.title for ep in response.context["entry_points"]]
    assert titles == ["Best", "Tie, more impact", "Middle", "Tie, less impact"]
    assert response.context["entry_points"][0].total_score == 14


def test_only_team_staff_get_the_select_button(staff_client, other_staff_client, ranked):
    assert "Select" in staff_client.get(ranked).content.decode()
    assert 'action="/entry-points/' not in other_staff_client.get(ranked).content.decode()


@pytest.mark.parametrize("fixture", ["partner_client", "other_partner_client"])
def test_partners_never_see_entry_points(request, fixture, ranked, world):
    client = request.getfixturevalue(fixture)
    entry_point = EntryPoint.objects.first()
    assert client.get(ranked).status_code == 403
    assert client.get(entry_point.get_absolute_url()).status_code == 403
    assert client.post(reverse("planning:entrypoint_select", kwargs={"pk": entry_point.pk})).status_code == 403


def test_ranked_list_query_count_is_constant(staff_client, ranked, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        staff_client.get(ranked)
    for i in range(10):
        ep = make_entry_point(world.co, f"More {i}", (1, 2, 3))
        ep.regions.add(world.guajira)
    entry_point_select(entry_point_id=ep.pk, user=world.staff_co)
    with django_assert_num_queries(len(few)):
        staff_client.get(ranked)


def test_selecting_creates_the_initiative_and_keeps_the_link(staff_client, world):
    entry_point = make_entry_point(world.co, "Energy communities in Cesar", (4, 4, 4))
    entry_point.regions.add(Region.objects.get(code="CO-CES"))
    response = staff_client.post(reverse("planning:entrypoint_select", kwargs={"pk": entry_point.pk}))
    initiative = Initiative.objects.get(entry_point=entry_point)
    assert response.status_code == 302 and response["Location"] == initiative.get_absolute_url()
    assert initiative.name == "Energy communities in Cesar"
    assert initiative.country == world.co and initiative.level == Initiative.Level.SUBNATIONAL
    assert list(initiative.regions.values_list("code", flat=True)) == ["CO-CES"]
    entry_point.refresh_from_db()
    assert entry_point.status == EntryPoint.Status.SELECTED
    assert entry_point.initiative == initiative


def test_selecting_twice_creates_one_initiative(world):
    entry_point = make_entry_point(world.co, "Once", (4, 4, 4))
    first = entry_point_select(entry_point_id=entry_point.pk, user=world.staff_co)
    second = entry_point_select(entry_point_id=entry_point.pk, user=world.staff_co)
    assert first == second
    assert Initiative.objects.filter(entry_point=entry_point).count() == 1


def test_staff_of_another_country_cannot_select(other_staff_client, world):
    entry_point = make_entry_point(world.co, "Not yours", (4, 4, 4))
    response = other_staff_client.post(reverse("planning:entrypoint_select", kwargs={"pk": entry_point.pk}))
    assert response.status_code == 403
    assert not Initiative.objects.filter(entry_point=entry_point).exists()


def test_select_asks_first_and_a_get_creates_nothing(staff_client, world):
    entry_point = make_entry_point(world.co, "Get", (4, 4, 4))
    response = staff_client.get(reverse("planning:entrypoint_select", kwargs={"pk": entry_point.pk}))
    assert response.status_code == 200
    assert response.templates[0].name == "core/confirm_action.html"
    assert any("A new initiative “Get”" in line for line in response.context["consequences"])
    entry_point.refresh_from_db()
    assert entry_point.status != "selected"
    assert not Initiative.objects.filter(entry_point=entry_point).exists()


def test_staff_create_an_entry_point_in_their_country(staff_client, world):
    url = reverse("planning:entrypoint_create", kwargs={"code": "co"})
    data = {
        "title": "Royalties in La Guajira",
        "regions": [world.guajira.pk],
        "challenge": "Royalties are not reaching Wayuu communities",
        "stakeholders": [world.co_org.pk],
        "feasibility": 4,
        "impact": 5,
        "added_value": 3,
        "status": "candidate",
    }
    response = staff_client.post(url, data)
    entry_point = EntryPoint.objects.get(title="Royalties in La Guajira")
    assert response.status_code == 302
    assert entry_point.country == world.co and entry_point.analysed_by == world.staff_co


def test_scores_outside_1_5_and_set_aside_without_reason_are_form_errors(staff_client, world):
    url = reverse("planning:entrypoint_create", kwargs={"code": "co"})
    data = {"title": "Bad", "challenge": "x", "feasibility": 6, "impact": 0, "added_value": 3, "status": "set_aside"}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"feasibility", "impact"} or response.context["form"].errors
    assert not EntryPoint.objects.exists()
    data.update(feasibility=3, impact=3)
    response = staff_client.post(url, data)
    assert "Say why the entry point was set aside." in response.content.decode()


def test_regions_of_another_country_are_refused(staff_client, world):
    url = reverse("planning:entrypoint_create", kwargs={"code": "co"})
    data = {"title": "X", "challenge": "x", "feasibility": 3, "impact": 3, "added_value": 3, "status": "candidate"}
    response = staff_client.post(url, data | {"regions": [world.moquegua.pk]})
    assert response.status_code == 200 and "regions" in response.context["form"].errors


def test_staff_of_another_country_get_403_on_create_and_edit(other_staff_client, world):
    entry_point = make_entry_point(world.co, "Colombian", (3, 3, 3))
    assert other_staff_client.get(reverse("planning:entrypoint_create", kwargs={"code": "co"})).status_code == 403
    assert other_staff_client.get(reverse("planning:entrypoint_edit", kwargs={"pk": entry_point.pk})).status_code == 403
    assert other_staff_client.get(reverse("planning:entrypoint_create", kwargs={"code": "pe"})).status_code == 200


def test_duplicate_title_in_a_country_is_refused_by_the_database(world):
    make_entry_point(world.co, "Same", (3, 3, 3))
    with pytest.raises(IntegrityError):
        make_entry_point(world.co, "Same", (3, 3, 3))


def test_philippine_demo_candidates_can_be_ranked_and_selected(admin_client, world):
    demo.load([*demo.data_files("countries", "stakeholders"), PLANNING / "demo" / "entry_points.yaml"])
    response = admin_client.get(reverse("planning:entrypoint_list", kwargs={"code": "ph"}))
    entry_points = list(response.context["entry_points"])
    assert len(entry_points) == 3 and entry_points[0].title.startswith("Sharing of mining revenue")
    admin_client.post(reverse("planning:entrypoint_select", kwargs={"pk": entry_points[0].pk}))
    assert Initiative.objects.get(entry_point=entry_points[0]).country == Country.objects.get(code="PH")


def test_duplicate_title_in_the_form_is_a_form_error(staff_client, world):
    make_entry_point(world.co, "Same", (3, 3, 3))
    url = reverse("planning:entrypoint_create", kwargs={"code": "co"})
    data = {"title": "Same", "challenge": "x", "feasibility": 3, "impact": 3, "added_value": 3, "status": "candidate"}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "already has an entry point with this title" in response.content.decode()


def render_entry_points_for(user, country) -> str:
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load planning %}{% entry_points_for country %}")
    return template.render(Context({"request": request, "country": country}))


def test_entry_points_for_ranks_candidates_for_staff_and_shows_nothing_to_partners(world):
    make_entry_point(world.co, "Lower", (1, 1, 1))
    make_entry_point(world.co, "Higher", (5, 5, 5))
    html = render_entry_points_for(world.staff_pe, world.co)
    assert html.index("Higher") < html.index("Lower")
    assert "Higher" not in render_entry_points_for(world.partner_co, world.co)


def test_the_form_cannot_mark_an_entry_point_selected_without_creating_the_initiative(staff_client, world):
    url = reverse("planning:entrypoint_create", kwargs={"code": "co"})
    data = {
        "title": "Shortcut",
        "challenge": "x",
        "feasibility": 3,
        "impact": 3,
        "added_value": 3,
        "status": "selected",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 200 and "status" in response.context["form"].errors
    assert not EntryPoint.objects.exists()


def test_the_admin_action_selects_through_the_same_service_as_the_page(world):
    from django.test import Client

    colombian = make_entry_point(world.co, "Regalías en La Guajira", (4, 4, 4))
    peruvian = make_entry_point(world.pe, "Canon en Moquegua", (4, 4, 4))
    admin = Client()
    admin.force_login(world.admin)
    url = reverse("admin:planning_entrypoint_changelist")
    response = admin.post(url, {"action": "select", "_selected_action": [colombian.pk, peruvian.pk]})
    assert response.status_code == 302
    assert Initiative.objects.get(entry_point=colombian).name == "Regalías en La Guajira"
    assert Initiative.objects.get(entry_point=peruvian).country == world.pe
    assert set(EntryPoint.objects.values_list("status", flat=True)) == {EntryPoint.Status.SELECTED}
