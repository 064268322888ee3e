"""A contact request as a work item: received and acknowledged in the sender's language, assigned,
noted, answered by mail through the outbox, closed; made a stakeholder; invited to the Explorers."""

import re

import pytest
from django.conf import settings
from django.test import Client

from core.models import ActionRecord
from explorers_network.models import ConsentEvent, ContactRequest, ContactRequestNote, Explorer
from outbox.models import Delivery
from stakeholders.models import Contact, Stakeholder

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Nadia Tan",
    "organisation": "Bantay Kita",
    "country": "CO",
    "email": "Nadia@example.org",
    "message": "Queremos explorar un trabajo conjunto.\nSomos una red de la sociedad civil.",
    "website": "",
}


def url(name: str, request: ContactRequest) -> str:
    suffix = {
        "detail": "",
        "update": "edit/",
        "note": "notes/new/",
        "reply": "reply/",
        "send": "reply/send/",
        "stakeholder": "stakeholder/",
        "invite": "invite/",
    }[name]
    return f"/outreach/contact-requests/{request.pk}/{suffix}"


def submit(client, capture, *, language: str, **overrides) -> ContactRequest:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with capture(execute=True):
        response = client.post("/contact/", {**FORM, **overrides}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    return ContactRequest.objects.latest("pk")


def colombian_request(**fields) -> ContactRequest:
    values = {"name": "Rita Uriana", "email": "rita@example.org", "country": "CO", "message": "Hola", "ip_hash": "x"}
    return ContactRequest.objects.create(**{**values, **fields})


def test_the_workflow_from_message_to_closed(world, client, staff_client, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    request = submit(client, capture, language="es")
    assert (request.status, request.language, request.owner) == ("new", "es", None)

    ack = Delivery.objects.get(kind=Delivery.Kind.CONTACT_ACK)
    assert (ack.recipient, ack.language, ack.state) == ("nadia@example.org", "es", Delivery.State.SENT)
    assert ack.subject == "Hemos recibido su mensaje"
    assert "Hola, Nadia Tan" in ack.body_text
    assert "Queremos explorar" not in ack.body_text  # a receipt quotes nothing else the sender typed
    assert "/contact/privacy/" in ack.body_text

    listing = staff_client.get("/outreach/contact-requests/", {"status": "new"}).content.decode()
    assert "Nadia Tan" in listing

    response = staff_client.post(url("update", request), {"status": "in_progress", "owner": world.staff_co.pk})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.owner) == ("in_progress", world.staff_co)

    staff_client.post(url("note", request), {"body": "Bantay Kita works on mining revenue in the Philippines."})
    note = ContactRequestNote.objects.get()
    assert (note.kind, note.author, note.contact_request) == ("note", world.staff_co, request)

    response = staff_client.post(url("reply", request), {"reply_draft": "Gracias, Nadia. ¿Hablamos el martes?"})
    assert response["Location"] == url("send", request)
    page = staff_client.get(url("send", request))
    assert page.templates[0].name == "core/confirm_action.html"
    assert "Gracias, Nadia" in page.content.decode()
    assert not Delivery.objects.filter(kind=Delivery.Kind.CONTACT_REPLY).exists()  # asking sends nothing
    with capture(execute=True):
        assert staff_client.post(url("send", request)).status_code == 302

    reply = Delivery.objects.get(kind=Delivery.Kind.CONTACT_REPLY)
    assert (reply.recipient, reply.language, reply.state) == ("nadia@example.org", "es", Delivery.State.SENT)
    assert reply.body_text.startswith("Gracias, Nadia. ¿Hablamos el martes?")
    assert "> Queremos explorar un trabajo conjunto." in reply.body_text  # the message is quoted
    assert "Nos escribió el" in reply.body_text
    request.refresh_from_db()
    assert (request.status, request.reply_draft) == ("answered", "")
    assert request.answered_at is not None
    assert list(request.notes.values_list("kind", "body")) == [
        ("note", "Bantay Kita works on mining revenue in the Philippines."),
        ("reply", "Gracias, Nadia. ¿Hablamos el martes?"),
    ]
    record = ActionRecord.objects.get(action=ActionRecord.Action.REPLY)
    assert (record.actor, record.model, record.object_pk) == (
        world.staff_co,
        "explorers_network.ContactRequest",
        str(request.pk),
    )

    staff_client.post(url("update", request), {"status": "closed", "owner": world.staff_co.pk})
    request.refresh_from_db()
    assert request.status == "closed"
    detail = staff_client.get(url("detail", request)).content.decode()
    assert "Gracias, Nadia" in detail and "mining revenue" in detail


def test_the_acknowledgement_is_in_the_language_of_the_page_it_was_sent_from(
    world, client, django_capture_on_commit_callbacks
):
    request = submit(client, django_capture_on_commit_callbacks, language="en")
    ack = Delivery.objects.get(kind=Delivery.Kind.CONTACT_ACK)
    assert (request.language, ack.language, ack.subject) == ("en", "en", "We have received your message")


def test_an_address_gets_a_few_acknowledgements_a_day_at_most(world, client, django_capture_on_commit_callbacks):
    for number in range(5):
        submit(client, django_capture_on_commit_callbacks, language="en", message=f"Message {number}")
    assert ContactRequest.objects.count() == 5
    assert Delivery.objects.filter(kind=Delivery.Kind.CONTACT_ACK).count() == 3


def test_the_form_shows_the_privacy_notice_in_both_languages(world, client):
    english = client.get("/contact/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What happens to your message" in english
    assert "erase what we hold about you" in english
    spanish = Client().get("/contact/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Qué pasa con su mensaje" in spanish
    assert "What happens to your message" not in spanish
    assert Client().get("/contact/privacy/").status_code == 200


def test_a_request_becomes_a_stakeholder_from_a_filled_in_form(world, staff_client):
    request = colombian_request(name="Nadia Tan", organisation="Bantay Kita", email="nadia@example.org", language="es")
    form = staff_client.get(url("stakeholder", request)).context["form"]
    assert (form["name"].value(), form["kind"].value(), form["country"].value()) == (
        "Bantay Kita",
        "organisation",
        world.co.pk,
    )
    data = {"name": "Bantay Kita", "kind": "organisation", "sector": "civil_society", "level": "national"}
    response = staff_client.post(url("stakeholder", request), {**data, "country": world.co.pk})
    stakeholder = Stakeholder.objects.get(name="Bantay Kita")
    assert response["Location"] == stakeholder.get_absolute_url()
    contact = Contact.objects.get(stakeholder=stakeholder)
    assert (contact.name, contact.email, contact.preferred_language) == ("Nadia Tan", "nadia@example.org", "es")
    assert contact.consent_given_at is None  # writing to us is not consent to anything else
    request.refresh_from_db()
    assert (request.stakeholder, request.status) == (stakeholder, "in_progress")
    assert stakeholder.get_absolute_url() in staff_client.get(url("detail", request)).content.decode()
    # Made once: the page now leads to the stakeholder.
    assert staff_client.get(url("stakeholder", request))["Location"] == stakeholder.get_absolute_url()


def test_a_person_without_an_organisation_becomes_a_person(world, staff_client):
    request = colombian_request()
    form = staff_client.get(url("stakeholder", request)).context["form"]
    assert (form["name"].value(), form["kind"].value()) == ("Rita Uriana", "person")


def test_an_invalid_stakeholder_form_writes_nothing(world, staff_client):
    request = colombian_request(organisation="Bantay Kita")
    data = {"name": "Bantay Kita", "kind": "organisation", "country": world.co.pk}
    response = staff_client.post(url("stakeholder", request), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"sector", "level"}
    assert not Stakeholder.objects.filter(name="Bantay Kita").exists()
    request.refresh_from_db()
    assert (request.stakeholder, request.status) == (None, "new")


def test_an_invitation_to_the_explorers_leaves_joining_to_the_person(
    world, staff_client, django_capture_on_commit_callbacks
):
    request = colombian_request(name="Nadia Tan", email="nadia@example.org", organisation="Bantay Kita", language="es")
    page = staff_client.get(url("invite", request))
    assert page.templates[0].name == "core/confirm_action.html"
    assert not Delivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(url("invite", request)).status_code == 302

    invitation = Delivery.objects.get(kind=Delivery.Kind.NETWORK_INVITATION)
    assert (invitation.recipient, invitation.language) == ("nadia@example.org", "es")
    assert not Explorer.objects.exists()  # nobody joins on someone else's word
    request.refresh_from_db()
    assert request.invited_at is not None and request.status == "in_progress"
    assert ActionRecord.objects.get(action=ActionRecord.Action.INVITE).object_pk == str(request.pk)

    link = re.search(r"https?://\S+/network/join/\?invitation=\S+", invitation.body_text).group(0)
    visitor = Client()
    form = visitor.get("/" + link.split("://", 1)[1].split("/", 1)[1]).context["form"]
    assert (form["name"].value(), form["email"].value(), form["country"].value()) == (
        "Nadia Tan",
        "nadia@example.org",
        "CO",
    )
    assert (form["preferred_language"].value(), form["consent"].value()) == ("es", None)

    # Joining is the person's own act: the consent box, then the confirmation link, as for everyone.
    joined = {"name": "Nadia Tan", "email": "nadia@example.org", "country": "CO", "preferred_language": "es"}
    with django_capture_on_commit_callbacks(execute=True):
        assert visitor.post("/network/join/", joined).status_code == 200  # no consent: refused
    assert not Explorer.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert visitor.post("/network/join/", {**joined, "consent": "on"}).status_code == 302
    explorer = Explorer.objects.get()
    assert explorer.status == Explorer.Status.PENDING
    assert list(explorer.consent_events.values_list("action", "source")) == [
        (ConsentEvent.Action.GRANT, ConsentEvent.Source.JOIN_FORM)
    ]
    assert Delivery.objects.filter(kind=Delivery.Kind.CONFIRMATION, recipient="nadia@example.org").exists()


def test_a_bad_invitation_link_fills_in_nothing(world, client):
    form = client.get("/network/join/", {"invitation": "forged"}).context["form"]
    assert form["name"].value() is None


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("active", "This address is already in the Explorers network."),
        ("pending", "This address is already in the Explorers network."),
        ("unsubscribed", "This address withdrew from the Explorers: only the person can join again."),
    ],
)
def test_someone_in_the_network_or_who_withdrew_is_not_invited(world, staff_client, make_explorer, status, reason):
    make_explorer("rita@example.org", status=status)
    request = colombian_request(email="RITA@example.org")
    before = Delivery.objects.count()
    for method in (staff_client.get, staff_client.post):
        response = method(url("invite", request), follow=True)
        assert reason in response.content.decode()
    assert Delivery.objects.count() == before
    assert not ActionRecord.objects.exists()


def test_a_person_is_invited_once(world, staff_client, django_capture_on_commit_callbacks):
    request = colombian_request()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url("invite", request))
        response = staff_client.post(url("invite", request), follow=True)
    assert "This person has already been invited." in response.content.decode()
    assert Delivery.objects.filter(kind=Delivery.Kind.NETWORK_INVITATION).count() == 1


def test_sending_without_a_reply_written_sends_nothing(world, staff_client):
    request = colombian_request()
    response = staff_client.post(url("send", request), follow=True)
    assert "Write the reply first." in response.content.decode()
    assert not Delivery.objects.exists()
    assert staff_client.post(url("reply", request), {"reply_draft": "  "}).status_code == 200
    request.refresh_from_db()
    assert request.status == "new"


def test_the_owner_must_be_of_the_requests_country_team(world, staff_client):
    request = colombian_request()
    offered = staff_client.get(url("update", request)).context["form"]["owner"]
    choices = {choice.data["label"] for choice in offered.subwidgets if choice.data["value"]}
    assert choices == {"staff-co", "admin"}
    response = staff_client.post(url("update", request), {"status": "new", "owner": world.staff_pe.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["owner"] == ["The owner must be on the staff of the request's country team."]
    request.refresh_from_db()
    assert request.owner is None


def test_a_request_from_a_country_no_team_covers_is_every_teams(world, other_staff_client):
    request = colombian_request(country="DE")
    response = other_staff_client.post(url("update", request), {"status": "in_progress", "owner": world.staff_pe.pk})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.owner == world.staff_pe


def test_replying_makes_the_replier_the_owner_of_an_unowned_request(
    world, staff_client, django_capture_on_commit_callbacks
):
    request = colombian_request(reply_draft="Thank you!")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url("send", request))
    request.refresh_from_db()
    assert (request.owner, request.status) == (world.staff_co, "answered")


WRITES = ("update", "note", "reply", "stakeholder")
OUTWARD = ("send", "invite")


@pytest.mark.parametrize("page", ("detail", *WRITES, *OUTWARD))
def test_anonymous_visitors_and_partners_are_refused(world, client, partner_client, other_partner_client, page):
    request = colombian_request(reply_draft="Hi")
    assert client.get(url(page, request)).status_code == 302
    assert client.post(url(page, request)).status_code == 302
    for partner in (partner_client, other_partner_client):
        assert partner.get(url(page, request)).status_code == 403
        assert partner.post(url(page, request)).status_code == 403
    assert partner_client.get("/outreach/contact-requests/").status_code == 403


@pytest.mark.parametrize(("page", "status"), [(page, 403) for page in WRITES] + [(page, 404) for page in OUTWARD])
def test_another_countrys_staff_read_the_request_but_do_not_work_on_it(world, other_staff_client, page, status):
    request = colombian_request(reply_draft="Hi")
    detail = other_staff_client.get(url("detail", request))
    assert detail.status_code == 200
    assert "Only the team of the request's country works on it." in detail.content.decode()
    assert other_staff_client.get(url(page, request)).status_code == status
    assert other_staff_client.post(url(page, request), {"body": "x", "status": "closed"}).status_code == status
    request.refresh_from_db()
    assert (request.status, request.notes.count()) == ("new", 0)
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("page", ("detail", *WRITES, *OUTWARD))
def test_a_missing_request_is_a_404(world, staff_client, page):
    missing = ContactRequest(pk=999_999)
    assert staff_client.get(url(page, missing)).status_code == 404


def test_the_list_filters_by_status_owner_country_and_text(world, staff_client):
    colombian_request(name="Ana", status="new")
    colombian_request(name="Berta", status="closed", owner=world.staff_co)
    colombian_request(name="Carla", country="PE", organisation="Red Muqui", status="in_progress")

    def names(**params) -> set[str]:
        response = staff_client.get("/outreach/contact-requests/", params)
        assert response.status_code == 200
        return {request.name for request in response.context["page"]}

    assert names() == {"Ana", "Berta", "Carla"}
    assert names(status="closed") == {"Berta"}
    assert names(status=["new", "closed"]) == {"Ana", "Berta"}
    assert names(owner=world.staff_co.pk) == {"Berta"}
    assert names(unowned="true") == {"Ana", "Carla"}
    assert names(country="PE") == {"Carla"}
    assert names(q="muqui") == {"Carla"}


@pytest.mark.parametrize("size", [2, 9])
def test_the_filtered_list_runs_a_constant_number_of_queries(world, staff_client, size, django_assert_num_queries):
    for number in range(size):
        owner = (world.staff_co, world.admin)[number % 2]
        colombian_request(name=f"N{number}", status="in_progress", owner=owner)
    # session, user, the owner filter's choices, the page count, the page (with its owners); the
    # saved-filters panel loads after the page, in its own request
    with django_assert_num_queries(5):
        response = staff_client.get("/outreach/contact-requests/", {"status": "in_progress", "q": "N"})
    assert len(response.context["page"]) == size


@pytest.mark.parametrize("size", [1, 6])
def test_the_detail_page_runs_a_constant_number_of_queries(world, staff_client, size, django_assert_num_queries):
    request = colombian_request()
    for number in range(size):
        ContactRequestNote.objects.create(contact_request=request, author=world.staff_co, body=f"Note {number}")
    with django_assert_num_queries(9):
        response = staff_client.get(url("detail", request))
    assert response.content.decode().count("Note ") >= size
