"""Creating and editing through the staff forms: inline errors, scoped choices, nothing half-written."""

import datetime
from unittest import mock

import pytest
from django.db import IntegrityError
from django.urls import reverse

from coalitions.models import Assessment, Coalition, Commitment, Engagement, LearningNote, Membership, Outcome

from .conftest import page_and_panels

pytestmark = pytest.mark.django_db

DAY = "2026-03-10"


def coalition_data(world, **extra) -> dict:
    return {
        "name": "Coalición Cesar",
        "initiative": world.co_initiative.pk,
        "level": "local",
        "status": "forming",
        "shared_goal": "Clean energy for Cesar",
        "member_role": "member",
        **extra,
    }


def test_create_a_coalition_with_its_first_members(staff_client, world):
    members = [world.co_org.pk, world.co_mayor.pk, world.pe_org.pk]
    response = staff_client.post(
        reverse("coalitions:coalition_create"), coalition_data(world, members=members, formed_on=DAY)
    )
    coalition = Coalition.objects.get(name="Coalición Cesar")
    assert response["Location"] == coalition.get_absolute_url()
    memberships = coalition.memberships.all()
    assert sorted(m.stakeholder_id for m in memberships) == sorted(members)
    assert {m.joined_on for m in memberships} == {datetime.date(2026, 3, 10)}


def test_coalition_choices_are_limited_to_editable_initiatives(staff_client, world):
    response = staff_client.post(
        reverse("coalitions:coalition_create"), coalition_data(world, initiative=world.pe_initiative.pk)
    )
    assert "initiative" in response.context["form"].errors
    assert not Coalition.objects.filter(name="Coalición Cesar").exists()


def test_a_failed_member_write_leaves_no_coalition_behind(staff_client, world):
    with mock.patch.object(Membership.objects, "bulk_create", side_effect=IntegrityError("boom")):
        response = staff_client.post(
            reverse("coalitions:coalition_create"), coalition_data(world, members=[world.co_org.pk])
        )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Coalition.objects.filter(name="Coalición Cesar").exists()


def test_picker_search_without_javascript_keeps_what_was_typed(staff_client, world):
    data = coalition_data(world, members=[world.co_org.pk], members_q="uribia", _picker_search="members")
    response = staff_client.post(reverse("coalitions:coalition_create"), data)
    assert response.status_code == 200
    assert not Coalition.objects.filter(name="Coalición Cesar").exists()
    html = response.content.decode()
    assert f'name="members" value="{world.co_org.pk}" checked' in html
    assert f'name="members" value="{world.co_mayor.pk}">' in html  # the match of "uribia", not chosen yet
    assert f'name="members" value="{world.pe_org.pk}"' not in html
    assert 'value="Coalición Cesar"' in html
    assert not response.context["form"].errors


def picker_search(client, name: str, params: dict, **kwargs):
    """The stakeholder picker's search (core:picker), as the coalition forms' pickers send it."""
    url = reverse("core:picker", kwargs={"model": "stakeholders.stakeholder"})
    return client.get(url, {"name": name, "multiple": 1, "suggest": "coalition", **params}, **kwargs)


def test_htmx_picker_endpoint_returns_matches_and_keeps_the_chosen(staff_client, world):
    response = picker_search(
        staff_client,
        "participants",
        {"participants": [world.co_org.pk], "participants_q": "minera"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert f'value="{world.co_org.pk}" checked' in content
    assert f'value="{world.pe_company.pk}"' in content
    assert "Alcaldía" not in content
    assert "<html" not in content  # a fragment, not a page


def test_picker_endpoint_suggests_coalition_members(staff_client, world):
    response = picker_search(staff_client, "participants", {"coalition": world.co_coalition.pk})
    assert [row for row, _checked in response.context["picker"]["options"]] == [world.co_mayor, world.co_org]


def test_picker_endpoint_suggests_no_former_member(staff_client, world):
    Membership.objects.filter(coalition=world.co_coalition, stakeholder=world.co_mayor).update(left_on=DAY)
    response = picker_search(staff_client, "participants", {"coalition": world.co_coalition.pk})
    assert [row for row, _checked in response.context["picker"]["options"]] == [world.co_org]


def test_engagement_form_picker_follows_the_coalition_chosen_in_the_form(staff_client, world):
    html = staff_client.get(reverse("coalitions:engagement_create")).content.decode()
    assert 'hx-trigger="load, change from:[name=&#x27;coalition&#x27;]"' in html


def test_outcome_form_picker_suggests_the_coalitions_members(staff_client, world):
    html = staff_client.get(reverse("coalitions:outcome_create", kwargs={"pk": world.co_coalition.pk})).content.decode()
    assert f"coalition={world.co_coalition.pk}" in html and 'hx-trigger="load"' in html


def test_log_an_engagement_with_participants(staff_client, world):
    response = staff_client.post(
        reverse("coalitions:engagement_create"),
        {
            "title": "Diálogo con la alcaldía",
            "kind": "dialogue",
            "occurred_on": DAY,
            "coalition": world.co_coalition.pk,
            "participants": [world.co_org.pk, world.co_mayor.pk],
            "follow_up_on": "2026-03-20",
            "follow_up": "Share the minutes",
        },
    )
    engagement = Engagement.objects.get(title="Diálogo con la alcaldía")
    assert response["Location"] == engagement.get_absolute_url()
    assert set(engagement.participants.all()) == {world.co_org, world.co_mayor}
    assert engagement.recorded_by == world.staff_co


def test_engagement_needs_a_coalition_or_initiative_and_a_sane_follow_up(staff_client, world):
    response = staff_client.post(
        reverse("coalitions:engagement_create"),
        {"title": "Call", "kind": "call", "occurred_on": DAY, "follow_up_on": "2026-01-01"},
    )
    form = response.context["form"]
    assert form.non_field_errors() == [
        "Say which coalition or initiative this engagement belongs to.",
        "The follow-up cannot be due before the engagement took place.",
    ]
    assert not Engagement.objects.filter(title="Call").exists()


def test_engagement_coalition_choices_are_editable_ones_only(staff_client, world):
    response = staff_client.post(
        reverse("coalitions:engagement_create"),
        {"title": "Call", "kind": "call", "occurred_on": DAY, "coalition": world.pe_coalition.pk},
    )
    assert "coalition" in response.context["form"].errors


def test_edit_an_engagement_replaces_its_participants(staff_client, world):
    world.co_engagement.participants.set([world.co_org])
    url = reverse("coalitions:engagement_update", kwargs={"pk": world.co_engagement.pk})
    staff_client.post(
        url,
        {
            "title": "Taller Uribia",
            "kind": "workshop",
            "occurred_on": DAY,
            "coalition": world.co_coalition.pk,
            "participants": [world.co_mayor.pk],
        },
    )
    assert list(world.co_engagement.participants.all()) == [world.co_mayor]


def test_add_a_member_and_refuse_a_second_open_membership(staff_client, world):
    url = reverse("coalitions:membership_create", kwargs={"pk": world.co_coalition.pk})
    response = staff_client.post(url, {"stakeholder": world.pe_org.pk, "role": "observer", "joined_on": DAY})
    assert response.status_code == 302
    response = staff_client.post(url, {"stakeholder": world.pe_org.pk, "role": "member", "joined_on": DAY})
    assert response.context["form"].non_field_errors() == ["This stakeholder is already a member of this coalition."]


def test_end_a_membership_keeps_its_history(staff_client, world):
    membership = world.co_coalition.memberships.get(stakeholder=world.co_mayor)
    url = reverse("coalitions:membership_end", kwargs={"pk": membership.pk})
    response = staff_client.post(url, {"left_on": "2025-01-01"})
    assert response.context["form"].non_field_errors() == ["A member cannot leave before joining."]
    staff_client.post(url, {"left_on": DAY})
    membership.refresh_from_db()
    assert membership.left_on == datetime.date(2026, 3, 10)
    assert staff_client.get(url).status_code == 404  # an ended membership cannot be ended again


def test_commitments_are_added_and_updated(staff_client, world):
    create = reverse("coalitions:commitment_create", kwargs={"pk": world.co_coalition.pk})
    staff_client.post(create, {"owner": world.co_mayor.pk, "description": "Fund panels", "status": "planned"})
    commitment = Commitment.objects.get(description="Fund panels")
    update = reverse("coalitions:commitment_update", kwargs={"pk": commitment.pk})
    staff_client.post(
        update, {"owner": world.co_mayor.pk, "description": "Fund panels", "status": "done", "evidence": "Decree 12"}
    )
    commitment.refresh_from_db()
    assert (commitment.status, commitment.evidence) == ("done", "Decree 12")


def test_commitment_owner_from_another_country_is_refused(staff_client, world):
    create = reverse("coalitions:commitment_create", kwargs={"pk": world.co_coalition.pk})
    response = staff_client.post(create, {"owner": world.pe_company.pk, "description": "x", "status": "planned"})
    assert "owner" in response.context["form"].errors


def test_record_an_outcome_with_actors(staff_client, world):
    url = reverse("coalitions:outcome_create", kwargs={"pk": world.co_coalition.pk})
    staff_client.post(
        url,
        {
            "description": "The mayor co-funds the project",
            "change_type": "policy",
            "observed_on": DAY,
            "actors": [world.co_mayor.pk],
            "evidence_url": "example.org/decree",
        },
    )
    outcome = Outcome.objects.get(description="The mayor co-funds the project")
    assert list(outcome.actors.all()) == [world.co_mayor]
    assert outcome.evidence_url == "https://example.org/decree"
    assert outcome.recorded_by == world.staff_co


def test_learning_notes_are_written_shared_and_read(staff_client, other_staff_client, world):
    staff_client.post(
        reverse("coalitions:learningnote_create"),
        {
            "title": "Listen first",
            "body": "Start with the Wayuu authorities.",
            "coalition": world.co_coalition.pk,
            "shared_with": [world.pe_coalition.pk],
        },
    )
    note = LearningNote.objects.get(title="Listen first")
    assert note.author == world.staff_co
    assert other_staff_client.get(note.get_absolute_url()).status_code == 200
    edit = reverse("coalitions:learningnote_update", kwargs={"pk": note.pk})
    assert (
        other_staff_client.post(edit, {"title": "x", "body": "y", "coalition": world.co_coalition.pk}).status_code
        == 403
    )
    assert "Listen first" in page_and_panels(other_staff_client, world.pe_coalition)


def test_record_an_assessment_and_the_map_shows_the_move(staff_client, world):
    url = reverse("coalitions:assessment_create", kwargs={"pk": world.co_initiative.pk})
    data = {
        "stakeholder": world.co_mayor.pk,
        "assessed_on": DAY,
        "power": 5,
        "interest": 4,
        "capabilities": 3,
        "stance": 1,
    }
    response = staff_client.post(url, data)
    assert response["Location"].endswith("#map")
    assessment = Assessment.objects.get(stakeholder=world.co_mayor, assessed_on=DAY)
    assert assessment.assessed_by == world.staff_co
    map_panel = reverse("coalitions:initiative_map", kwargs={"pk": world.co_initiative.pk})
    point = staff_client.get(map_panel).context["points"][0]
    assert (point.power, point.interest, point.previous_power, point.previous_interest) == (5, 4, 4, 2)
    response = staff_client.post(url, data)
    assert response.context["form"].non_field_errors() == [
        "This stakeholder already has an assessment in this initiative on that date."
    ]


def test_assessment_scores_must_be_on_the_scale(staff_client, world):
    url = reverse("coalitions:assessment_create", kwargs={"pk": world.co_initiative.pk})
    data = {
        "stakeholder": world.co_mayor.pk,
        "assessed_on": DAY,
        "power": 9,
        "interest": 0,
        "capabilities": "",
        "stance": 7,
    }
    errors = staff_client.post(url, data).context["form"].errors
    assert {"power", "interest", "capabilities", "stance"} <= set(errors)


def test_assessment_form_prefills_the_stakeholder(staff_client, world):
    url = reverse("coalitions:assessment_create", kwargs={"pk": world.co_initiative.pk})
    response = staff_client.get(url, {"stakeholder": world.co_mayor.pk})
    assert response.context["form"]["stakeholder"].value() == str(world.co_mayor.pk)


def test_a_coalition_cannot_be_linked_under_its_own_local_coalition(staff_client, world):
    local = Coalition.objects.create(
        initiative=world.co_initiative, name="Local", level="local", shared_goal="x", parent=world.co_coalition
    )
    url = reverse("coalitions:coalition_update", kwargs={"pk": world.co_coalition.pk})
    data = coalition_data(world, name="Coalición La Guajira", parent=local.pk, regions=[world.moquegua.pk])
    errors = staff_client.post(url, data).context["form"].errors
    assert errors["parent"] == ["A coalition cannot be linked under one of its own local coalitions."]
    assert "regions" in errors  # Moquegua is not in Colombia
    world.co_coalition.refresh_from_db()
    assert world.co_coalition.parent is None
