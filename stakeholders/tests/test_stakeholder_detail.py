"""A stakeholder's page: profile, contacts, coalitions, assessments with a chart, ties, engagements."""

import datetime

import pytest

from coalitions.models import Assessment, Engagement, Membership
from stakeholders.models import Contact, Relationship, Stakeholder


def test_anonymous_is_sent_to_login(client, world):
    assert client.get(world.co_mayor.get_absolute_url())["Location"].startswith("/accounts/login/")


def test_page_shows_every_section(staff_client, world):
    world.co_engagement.participants.add(world.co_mayor)
    Relationship.objects.create(source=world.co_mayor, target=world.co_org, kind="alliance")
    Membership.objects.filter(stakeholder=world.co_mayor).update(role="champion")
    response = staff_client.get(world.co_mayor.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ana Pérez" in html and "ana@example.org" in html  # contacts, staff only
    assert "Coalición La Guajira" in html and "Champion" in html
    assert "<svg" in html and "polyline" in html  # the stance chart
    assert "Fundación Energía Wayuu" in html  # relationship
    assert "Taller Uribia" in html  # engagement timeline
    assert f'href="/stakeholders/{world.co_mayor.pk}/edit/"' in html


def test_former_membership_is_shown_with_its_dates(staff_client, world):
    Membership.objects.filter(stakeholder=world.co_mayor).update(left_on=datetime.date(2026, 3, 2))
    html = staff_client.get(world.co_mayor.get_absolute_url()).content.decode()
    assert "3/2/2026" in html or "03/02/2026" in html or "2026" in html
    assert "Current member" not in html


def test_other_country_staff_read_without_edit_links(other_staff_client, world):
    response = other_staff_client.get(world.co_mayor.get_absolute_url())
    assert response.status_code == 200
    assert "/edit/" not in response.content.decode()


def test_unknown_stakeholder_is_404(staff_client, world):
    assert staff_client.get("/stakeholders/999999/").status_code == 404


def test_partner_gets_403(partner_client, world):
    assert partner_client.get(world.co_org.get_absolute_url()).status_code == 403


def test_names_are_escaped(staff_client, world):
    world.co_mayor.name = "<script>alert(1)</script>"
    world.co_mayor.save()
    html = staff_client.get(world.co_mayor.get_absolute_url()).content.decode()
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
def test_query_count_is_constant(staff_client, world, django_assert_num_queries, extra):
    world.co_engagement.participants.add(world.co_mayor)
    add_history(world, extra)
    # two of them: the attachments panel; one: its possible duplicates; one: its tags
    with django_assert_num_queries(18):
        staff_client.get(world.co_mayor.get_absolute_url())
