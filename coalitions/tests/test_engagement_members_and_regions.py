"""Issue 16's small things on staff forms: all members at once, the initiative from the coalition,
and regions chosen with the record picker rather than a Ctrl-click list box."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coalitions.models import Engagement, Membership
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db

DAY = "2026-03-10"


def engagement_data(world, **extra) -> dict:
    return {"title": "Asamblea", "kind": "meeting", "occurred_on": DAY, "coalition": world.co_coalition.pk, **extra}


def test_all_members_makes_every_current_member_a_participant(staff_client, world):
    former = Stakeholder.objects.create(country=world.co, name="Ex miembro", sector="civil_society", level="local")
    Membership.objects.create(
        coalition=world.co_coalition,
        stakeholder=former,
        joined_on=datetime.date(2025, 1, 1),
        left_on=datetime.date(2025, 6, 1),
    )
    response = staff_client.post(reverse("coalitions:engagement_create"), engagement_data(world, all_members="on"))
    engagement = Engagement.objects.get(title="Asamblea")
    assert response["Location"] == engagement.get_absolute_url()
    # The current members, not the one who left.
    assert set(engagement.participants.all()) == {world.co_org, world.co_mayor}


def test_all_members_keeps_the_participants_chosen_by_hand(staff_client, world):
    guest = Stakeholder.objects.create(country=world.co, name="Invitada", sector="academia", level="local")
    staff_client.post(
        reverse("coalitions:engagement_create"), engagement_data(world, all_members="on", participants=[guest.pk])
    )
    engagement = Engagement.objects.get(title="Asamblea")
    assert set(engagement.participants.all()) == {world.co_org, world.co_mayor, guest}


def test_all_members_needs_a_coalition(staff_client, world):
    data = engagement_data(world, all_members="on", initiative=world.co_initiative.pk)
    del data["coalition"]
    response = staff_client.post(reverse("coalitions:engagement_create"), data)
    assert "all_members" in response.context["form"].errors
    assert not Engagement.objects.filter(title="Asamblea").exists()


def test_the_engagement_form_offers_all_members_as_a_checkbox(staff_client, world):
    html = staff_client.get(reverse("coalitions:engagement_create")).content.decode()
    assert 'type="checkbox" name="all_members"' in html


def test_an_engagement_takes_its_initiative_from_its_coalition(staff_client, world):
    staff_client.post(reverse("coalitions:engagement_create"), engagement_data(world))
    assert Engagement.objects.get(title="Asamblea").initiative == world.co_initiative


def test_the_model_fills_the_initiative_and_refuses_another(world):
    engagement = Engagement(
        coalition=world.co_coalition, occurred_on=datetime.date(2026, 3, 10), kind="call", title="x"
    )
    engagement.full_clean()
    assert engagement.initiative == world.co_initiative
    engagement.initiative = world.pe_initiative
    with pytest.raises(ValidationError) as error:
        engagement.full_clean()
    assert "initiative" in error.value.message_dict


@pytest.mark.parametrize(
    "url", ["coalitions:initiative_create", "coalitions:coalition_create", "stakeholders:stakeholder_create"]
)
def test_regions_are_chosen_with_the_record_picker(staff_client, world, url):
    html = staff_client.get(reverse(url)).content.decode()
    assert '<select name="regions"' not in html
    assert 'id="regions-picker"' in html and 'name="regions_q"' in html
    assert "Ctrl" not in html


def test_the_regions_picker_offers_only_the_forms_country(staff_client, world):
    # Without JavaScript: the search is sent with the form and the page comes back with its matches.
    data = {"country": world.co.pk, "regions_q": "a", "_picker_search": "regions", "name": "x"}
    response = staff_client.post(reverse("stakeholders:stakeholder_create"), data)
    picker = response.context["form"]["regions"].field.widget
    offered = {row.country_id for row, _checked in picker.get_context("regions", [], {})["picker"]["options"]}
    assert offered == {world.co.pk}


def test_the_coalitions_regions_are_those_of_its_initiatives_country(staff_client, world):
    url = reverse("coalitions:coalition_update", kwargs={"pk": world.co_coalition.pk})
    form = staff_client.get(url).context["form"]
    assert form.fields["regions"].widget.limit_values == {"country": [world.co.pk]}
    response = staff_client.get(url)
    assert world.guajira.name in response.content.decode()
