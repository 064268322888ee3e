"""Erase, export, delete, campaign send, and a contact request's reply and invitation: behind the
staff gate, scoped by `editable_by` (out of scope is a 404), asked on a GET page that changes nothing,
performed by a POST, and recorded without personal data."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from core.models import ActionRecord
from core.testing import database_dump
from explorers_network.models import Campaign, ContactRequest, Explorer
from stakeholders.models import Relationship

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Action:
    action: str
    #: The row acted on, made in Colombia (staff-co's team); its URL.
    make: Callable
    url: Callable
    #: A POST by its owner answers this status.
    done: int = 302


def colombian_explorer(world):
    return Explorer.objects.create(name="Eva Quispe", email="eva@example.org", country="CO")


def colombian_relationship(world):
    return Relationship.objects.create(source=world.co_mayor, target=world.co_org, kind="alliance")


def colombian_campaign(world):
    return Campaign.objects.create(subject="News", body="Hello", language="en", audience_countries=["CO"])


def colombian_contact_request(world):
    """With its reply written: sending is the outward step that asks first."""
    return ContactRequest.objects.create(
        name="Rita Uriana", email="rita@example.org", country="CO", message="Hola", ip_hash="x", reply_draft="Gracias"
    )


ACTIONS = {
    "erase an explorer": Action("erase", colombian_explorer, lambda o: f"/personal-data/explorer/{o.pk}/erase/"),
    "export an explorer": Action(
        "export", colombian_explorer, lambda o: f"/personal-data/explorer/{o.pk}/export/", done=200
    ),
    "erase a contact person": Action(
        "erase", lambda w: w.co_contact, lambda o: f"/personal-data/contact/{o.pk}/erase/"
    ),
    "export a contact person": Action(
        "export", lambda w: w.co_contact, lambda o: f"/personal-data/contact/{o.pk}/export/", done=200
    ),
    "delete a relationship": Action("delete", colombian_relationship, lambda o: f"/relationships/{o.pk}/delete/"),
    "send a campaign": Action("send", colombian_campaign, lambda o: f"/outreach/campaigns/{o.pk}/send/"),
    "reply to a contact request": Action(
        "reply", colombian_contact_request, lambda o: f"/outreach/contact-requests/{o.pk}/reply/send/"
    ),
    "invite a contact request's sender to the Explorers": Action(
        "invite", colombian_contact_request, lambda o: f"/outreach/contact-requests/{o.pk}/invite/"
    ),
}


@pytest.fixture(params=list(ACTIONS), ids=list(ACTIONS))
def action(request, world):
    spec = ACTIONS[request.param]
    row = spec.make(world)
    return spec, row, spec.url(row)


def url_of(action) -> str:
    return action[2]


@pytest.mark.parametrize(
    ("persona", "status"),
    # Staff of another country: the row is out of their scope, a 404 like a missing id. Partners
    # never reach a staff page: the staff gate answers first, with its 403 page (core.access).
    [("other_staff_client", 404), ("partner_client", 403), ("other_partner_client", 403)],
)
def test_out_of_scope_is_refused_on_the_page_and_the_post_and_changes_nothing(
    request, action, persona, status, django_capture_on_commit_callbacks
):
    url = url_of(action)
    client = request.getfixturevalue(persona)
    before = database_dump()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == status
        assert client.post(url).status_code == status
    assert database_dump() == before
    assert not ActionRecord.objects.exists()


def test_the_page_says_what_will_happen_and_a_get_changes_nothing(staff_client, action):
    url = url_of(action)
    before = database_dump()
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response.templates[0].name == "core/confirm_action.html"
    assert response.context["consequences"]
    assert b'method="post"' in response.content
    assert database_dump() == before


def test_a_post_performs_the_action_and_records_who_what_and_which(
    staff_client, world, action, django_capture_on_commit_callbacks
):
    spec, row, url = action
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(url).status_code == spec.done
    record = ActionRecord.objects.get(action=spec.action)
    assert (record.actor, record.model, record.object_pk, record.channel) == (
        world.staff_co,
        row._meta.label,
        str(row.pk),
        "page",
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, action):
    url = url_of(action)
    assert client.get(url).status_code == 302
    assert client.post(url).status_code == 302
    assert not ActionRecord.objects.exists()


def test_the_api_delete_is_recorded_and_refused_out_of_scope(world):
    from rest_framework.test import APIClient

    relationship = colombian_relationship(world)
    peru = APIClient()
    peru.force_authenticate(world.staff_pe)
    assert peru.delete(f"/api/v1/relationships/{relationship.pk}/").status_code in (403, 404)
    assert Relationship.objects.filter(pk=relationship.pk).exists()
    colombia = APIClient()
    colombia.force_authenticate(world.staff_co)
    assert colombia.delete(f"/api/v1/relationships/{relationship.pk}/").status_code == 204
    record = ActionRecord.objects.get()
    assert (record.action, record.actor, record.channel) == ("delete", world.staff_co, "api")
