"""Erase, export, delete, send, select, and a contact request's reply and invitation: behind the
staff gate, scoped by `editable_by` (out of scope is refused), asked on a GET page that changes
nothing, performed by a POST, and recorded (erasures, exports, deletions and sends without personal
data in `ActionRecord`; a selection or a resent invitation in the row's own history).

`ACTIONS` is the registry of the irreversible or outward actions of the pages: a view that answers
with `core.views.confirm_action` is missing from it, or a page that acts on a POST and refuses a GET
(so it cannot ask first) is not named in `ACTS_WITHOUT_ASKING` with why it need not ask, fails here.
"""

import inspect
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
    #: Staff of another country: a 404 when they cannot see the row, a 403 when they see it but may not change it.
    out_of_scope: int = 404
    #: What the POST did, when it is recorded in the row's own history rather than an `ActionRecord`.
    performed: Callable | None = None


def colombian_explorer(world):
    return Explorer.objects.create(name="Eva Quispe", email="eva@example.org", country="CO")


def colombian_duplicate(world):
    """A duplicate of the Colombian mayor's office, to merge into it (the URL names both)."""
    from stakeholders.models import Stakeholder

    duplicate = Stakeholder.objects.create(
        country=world.co, name="Alcaldia de Uribia", sector="subnational_government", level="local"
    )
    duplicate.merge_into = world.co_mayor
    return duplicate


def colombian_relationship(world):
    return Relationship.objects.create(source=world.co_mayor, target=world.co_org, kind="alliance")


def colombian_campaign(world):
    return Campaign.objects.create(subject="News", body="Hello", language="en", audience_countries=["CO"])


def colombian_attachment(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from attachments.services import attachments_create

    upload = SimpleUploadedFile("acta.txt", b"Acta del taller\n")
    return attachments_create(target=world.co_engagement, uploads=[upload], kind="minutes", title="", user=None)[0]


def colombian_contact_request(world):
    """With its reply written: sending is the outward step that asks first."""
    return ContactRequest.objects.create(
        name="Rita Uriana", email="rita@example.org", country="CO", message="Hola", ip_hash="x", reply_draft="Gracias"
    )


def colombian_entry_point(world):
    from planning.models import EntryPoint

    return EntryPoint.objects.create(
        country=world.co, title="Solar schools", challenge="No power", feasibility=4, impact=4, added_value=4
    )


def colombian_invitation(world):
    from accounts.services import invitation_create

    return invitation_create(by=world.staff_co, email="rosa@example.org", role="staff", country=world.co)


def colombian_saved_filter(world):
    from accounts.models import SavedFilter

    return SavedFilter.objects.create(
        owner=world.staff_co, name="Mayors", path="stakeholders:stakeholder_list", shared_with_country=world.co
    )


def entry_point_selected(entry_point) -> bool:
    entry_point.refresh_from_db()
    return entry_point.status == "selected" and entry_point.initiative is not None


def invitation_sent_again(invitation) -> bool:
    from outbox.models import Delivery

    return Delivery.objects.filter(kind=Delivery.Kind.INVITATION, recipient=invitation.email).count() == 2


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
    "merge a duplicate stakeholder": Action(
        "merge", colombian_duplicate, lambda o: f"/stakeholders/{o.merge_into.pk}/merge/{o.pk}/"
    ),
    "delete a relationship": Action("delete", colombian_relationship, lambda o: f"/relationships/{o.pk}/delete/"),
    "delete an attachment": Action("delete", colombian_attachment, lambda o: f"/attachments/{o.pk}/delete/"),
    "send a campaign": Action("send", colombian_campaign, lambda o: f"/outreach/campaigns/{o.pk}/send/"),
    "reply to a contact request": Action(
        "reply", colombian_contact_request, lambda o: f"/outreach/contact-requests/{o.pk}/reply/send/"
    ),
    "invite a contact request's sender to the Explorers": Action(
        "invite", colombian_contact_request, lambda o: f"/outreach/contact-requests/{o.pk}/invite/"
    ),
    "select an entry point": Action(
        "select",
        colombian_entry_point,
        lambda o: f"/entry-points/{o.pk}/select/",
        out_of_scope=403,
        performed=entry_point_selected,
    ),
    "delete a saved filter": Action("delete", colombian_saved_filter, lambda o: f"/saved-filters/{o.pk}/delete/"),
    "send an invitation again": Action(
        "resend", colombian_invitation, lambda o: f"/invitations/{o.pk}/resend/", performed=invitation_sent_again
    ),
}

#: Pages that act on a POST without a confirmation page of their own, and why they need none.
ACTS_WITHOUT_ASKING = {
    "logout": "signing out: nothing is lost, signing in again undoes it",
    "coalitions:commitment_done": "marks a commitment done: the edit form sets it back, and the history keeps both",
    "notifications:mark_read": "marks the reader's own notifications read: nothing leaves, nothing is lost",
    "trends:snapshot_take": "retakes this month's snapshots: figures computed from recorded rows, the monthly "
    "job would write the same",
    "trends:report_run_start": "builds a period report's workbook in the background: nothing is changed or lost, "
    "and the kept file expires by itself",
    "set_language": "switches the pages' language (and the signed-in user's preference): switching back undoes it",
    "explorers_network:campaign_test": "a test copy to the person who clicks, and to no one else",
    "accounts:savedfilter_create": "saves the reader's own filter under a name: nothing is lost, and it can be "
    "removed (asking first)",
    "attachments:attachment_upload": "adds files to a record: nothing is lost, each can be deleted (asking first)",
}


@pytest.fixture(params=list(ACTIONS), ids=list(ACTIONS))
def action(request, world, django_capture_on_commit_callbacks):
    spec = ACTIONS[request.param]
    with django_capture_on_commit_callbacks(execute=True):
        row = spec.make(world)
    return spec, row, spec.url(row)


def url_of(action) -> str:
    return action[2]


@pytest.mark.parametrize(
    "persona",
    # Staff of another country: the row is out of their scope (the action's `out_of_scope`). Partners
    # never reach a staff page: the staff gate answers first, with its 403 page (core.access).
    ["other_staff_client", "partner_client", "other_partner_client"],
)
def test_out_of_scope_is_refused_on_the_page_and_the_post_and_changes_nothing(
    request, action, persona, django_capture_on_commit_callbacks
):
    url = url_of(action)
    status = action[0].out_of_scope if persona == "other_staff_client" else 403
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
    if spec.performed is not None:
        assert spec.performed(row)
        return
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


def _view_function(callback):
    while hasattr(callback, "__wrapped__"):
        callback = callback.__wrapped__
    return callback


def test_every_page_that_confirms_an_action_is_in_the_registry():
    from django.urls import resolve

    from core.tests.test_staff_gate import _pages

    confirming = {
        name for name, pattern in _pages() if "confirm_action(" in inspect.getsource(_view_function(pattern.callback))
    }
    registered = {resolve(spec.url(_Row())).view_name for spec in ACTIONS.values()}
    assert confirming - registered == set()
    assert len(confirming) >= 6


class _Row:
    pk = 1

    @property
    def merge_into(self) -> "_Row":  # a merge names the record kept too
        return self


def test_no_page_acts_on_a_post_it_cannot_ask_about_first(world, django_user_model):
    """A page that refuses a GET (405) acts in one click: it must ask first, or say why it need not."""
    from django.test import Client
    from django.urls import reverse

    from core.tests.test_staff_gate import SAMPLE_VALUES, _pages

    client = Client()
    client.force_login(world.staff_co)
    post_only = set()
    for name, pattern in _pages():
        if name is None:
            continue
        kwargs = {key: SAMPLE_VALUES[type(converter).__name__] for key, converter in pattern.pattern.converters.items()}
        if client.get(reverse(name, kwargs=kwargs)).status_code == 405:
            post_only.add(name)
    assert post_only == set(ACTS_WITHOUT_ASKING)
