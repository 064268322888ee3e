"""A stakeholder's page: profile, contacts, coalitions, assessments with a chart, ties, engagements."""

import datetime

import pytest
from django.urls import reverse

from coalitions.models import Assessment, Engagement, Membership
from stakeholders.models import Contact, Relationship, Stakeholder


def panel_url(name: str, stakeholder) -> str:
    return reverse(f"stakeholders:stakeholder_{name}", kwargs={"pk": stakeholder.pk})


PANELS = ["duplicates", "ties", "involvement"]


def page_and_panels(client, stakeholder) -> str:
    """The stakeholder page with the panels it loads after its first paint, as a browser shows it."""
    html = client.get(stakeholder.get_absolute_url()).content.decode()
    return html + "".join(
        client.get(panel_url(name, stakeholder), headers={"HX-Request": "true"}).content.decode() for name in PANELS
    )


def test_anonymous_is_sent_to_login(client, world):
    assert client.get(world.co_mayor.get_absolute_url())["Location"].startswith("/accounts/login/")


def test_page_shows_every_section(staff_client, world):
    world.co_engagement.participants.add(world.co_mayor)
    Relationship.objects.create(source=world.co_mayor, target=world.co_org, kind="alliance")
    Membership.objects.filter(stakeholder=world.co_mayor).update(role="champion")
    response = staff_client.get(world.co_mayor.get_absolute_url())
    assert response.status_code == 200
    html = page_and_panels(staff_client, world.co_mayor)
    assert "Ana Pérez" in html and "ana@example.org" in html  # contacts, staff only
    assert "Coalición La Guajira" in html and "Champion" in html
    assert "<svg" in html and "polyline" in html  # the stance chart
    assert "Fundación Energía Wayuu" in html  # relationship
    assert "Taller Uribia" in html  # engagement timeline
    assert f'href="/stakeholders/{world.co_mayor.pk}/edit/"' in html


def test_former_membership_is_shown_with_its_dates(staff_client, world):
    Membership.objects.filter(stakeholder=world.co_mayor).update(left_on=datetime.date(2026, 3, 2))
    html = page_and_panels(staff_client, world.co_mayor)
    assert "3/2/2026" in html or "03/02/2026" in html or "2026" in html
    assert "Current member" not in html


def test_other_country_staff_read_without_edit_links(other_staff_client, world):
    response = other_staff_client.get(world.co_mayor.get_absolute_url())
    assert response.status_code == 200
    Relationship.objects.create(source=world.co_mayor, target=world.co_org, kind="alliance")
    html = page_and_panels(other_staff_client, world.co_mayor)
    assert "/edit/" not in html and "/merge/" not in html


def test_unknown_stakeholder_is_404(staff_client, world):
    assert staff_client.get("/stakeholders/999999/").status_code == 404
    for name in PANELS:
        assert staff_client.get(f"/stakeholders/999999/{name}/").status_code == 404


def test_partner_gets_403(partner_client, world):
    assert partner_client.get(world.co_org.get_absolute_url()).status_code == 403
    for name in PANELS:
        assert partner_client.get(panel_url(name, world.co_org)).status_code == 403


def test_the_page_loads_its_panels_after_its_first_paint_and_links_them_without_script(staff_client, world):
    html = staff_client.get(world.co_mayor.get_absolute_url()).content.decode()
    for name in PANELS:
        url = panel_url(name, world.co_mayor)
        assert f'hx-get="{url}"' in html and f'href="{url}"' in html
    assert "Taller Uribia" not in html  # the engagements are the panel's


@pytest.mark.parametrize("name", PANELS)
def test_a_panel_is_a_page_of_its_own_and_bare_for_htmx(staff_client, world, name):
    page = staff_client.get(panel_url(name, world.co_mayor)).content.decode()
    assert "<html" in page and world.co_mayor.name in page
    panel = staff_client.get(panel_url(name, world.co_mayor), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in panel


def test_possible_duplicates_are_offered_to_those_who_may_merge_them(staff_client, other_staff_client, world):
    twin = Stakeholder.objects.create(
        country=world.co, name=f"{world.co_mayor.name} ", sector="government", level="local"
    )
    staff_html = page_and_panels(staff_client, world.co_mayor)
    assert f"/stakeholders/{world.co_mayor.pk}/merge/{twin.pk}/" in staff_html
    other_html = page_and_panels(other_staff_client, world.co_mayor)
    assert (
        "Possible duplicates" not in other_html
        and reverse("stakeholders:stakeholder_duplicates", kwargs={"pk": world.co_mayor.pk}) not in other_html
    )


def test_names_are_escaped(staff_client, world):
    world.co_mayor.name = "<script>alert(1)</script>"
    world.co_mayor.save()
    html = page_and_panels(staff_client, world.co_mayor)
    assert "<script>alert(1)" not in html


def add_history(world, n: int) -> None:
    for index in range(n):
        other = Stakeholder.objects.create(country=world.co, name=f"Other {index}", sector="media", level="local")
        Relationship.objects.create(source=world.co_mayor, target=other, kind="alliance")
        Relationship.objects.create(source=other, target=world.co_mayor, kind="influence")
        Contact.objects.create(stakeholder=world.co_mayor, name=f"Contact {index}")
        Assessment.objects.create(
            stakeholder=world.co_mayor,
            initiative=world.co_initiative,
            assessed_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=index),
            power=3,
            capabilities=3,
            interest=3,
            stance=index % 5 - 2,
        )
        engagement = Engagement.objects.create(
            coalition=world.co_coalition, occurred_on=datetime.date(2025, 6, 1), kind="call", title=f"Call {index}"
        )
        engagement.participants.add(world.co_mayor, other)


@pytest.mark.parametrize("extra", [0, 8])
@pytest.mark.parametrize("name", [None, *PANELS])
def test_the_page_and_each_panel_stay_within_eight_queries(staff_client, world, django_assert_num_queries, extra, name):
    world.co_engagement.participants.add(world.co_mayor)
    add_history(world, extra)
    url = world.co_mayor.get_absolute_url() if name is None else panel_url(name, world.co_mayor)
    # The page: session, user, the user's teams, the stakeholder (with whether they may change it),
    # its regions, tags, people and contacts. The duplicates panel: session, user, teams, the
    # stakeholder, its look-alikes. Ties: the same four, the relationships both ways, the files and
    # whether they may attach. Involvement: session, user, the stakeholder, assessments, memberships,
    # engagements and their participants.
    expected = {None: 8, "duplicates": 5, "ties": 7, "involvement": 7}[name]
    with django_assert_num_queries(expected):
        staff_client.get(url)
