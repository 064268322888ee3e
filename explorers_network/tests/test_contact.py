import pytest
from django.core import mail
from django.test import Client

from explorers_network.models import ContactRequest
from notifications.models import Notification

pytestmark = pytest.mark.django_db
URL = "/contact/"


def form(**overrides):
    data = {
        "name": "Nadia Tan",
        "organisation": "Bantay Kita",
        "country": "CO",
        "email": "nadia@example.org",
        "message": "We would like to explore working together.",
        "website": "",
    }
    data.update(overrides)
    return data


def send(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(URL, form(**overrides), REMOTE_ADDR="203.0.113.9")


def test_a_contact_request_is_stored_and_the_countrys_staff_are_notified(
    world, client, django_capture_on_commit_callbacks
):
    world.staff_co.email = "staff-co@example.org"
    world.staff_co.save()
    response = send(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    assert request.message.startswith("We would like")
    assert "203.0.113.9" not in request.ip_hash
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["staff-co"]
    staff_mail = next(m for m in mail.outbox if m.to == ["staff-co@example.org"])
    assert "Nadia Tan" in staff_mail.subject
    # The other mail is the sender's acknowledgement (test_contact_workflow.py).
    assert sorted(m.to[0] for m in mail.outbox) == ["nadia@example.org", "staff-co@example.org"]


def test_a_country_without_a_team_notifies_all_staff(world, client, django_capture_on_commit_callbacks):
    send(client, django_capture_on_commit_callbacks, country="PH")
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == ["staff-co", "staff-pe"]


def test_the_honeypot_swallows_bots_silently(world, client, django_capture_on_commit_callbacks):
    response = send(client, django_capture_on_commit_callbacks, website="http://spam.example")
    assert response.status_code == 302
    assert not ContactRequest.objects.exists()
    assert not Notification.objects.exists()


def test_more_than_five_messages_an_hour_from_one_address_are_refused(
    world, client, django_capture_on_commit_callbacks
):
    for _attempt in range(5):
        assert send(client, django_capture_on_commit_callbacks).status_code == 302
    response = send(client, django_capture_on_commit_callbacks)
    assert response.status_code == 429
    assert ContactRequest.objects.count() == 5


def test_missing_fields_are_form_errors_not_rows(world, client, django_capture_on_commit_callbacks):
    response = send(client, django_capture_on_commit_callbacks, email="", message="")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "message"}
    assert not ContactRequest.objects.exists()


def test_the_contact_form_is_csrf_protected(world):
    assert Client(enforce_csrf_checks=True).post(URL, form()).status_code == 403


def test_contact_requests_are_staff_only(world, staff_client, partner_client, client):
    request = ContactRequest.objects.create(name="N", email="n@example.org", country="CO", message="Hi", ip_hash="x")
    assert staff_client.get(f"/outreach/contact-requests/{request.pk}/").status_code == 200
    assert partner_client.get(f"/outreach/contact-requests/{request.pk}/").status_code == 403
    assert client.get("/outreach/contact-requests/").status_code == 302


@pytest.mark.parametrize("size", [2, 9])
def test_the_contact_request_list_runs_a_constant_number_of_queries(
    world, staff_client, size, django_assert_num_queries
):
    for number in range(size):
        ContactRequest.objects.create(
            name=f"N{number}", email="n@example.org", country="CO", message="Hi", ip_hash="x", owner=world.staff_co
        )
    # session, user, the owner filter's choices, the page count, the page (with its owners); the
    # saved-filters panel loads after the page, in its own request
    with django_assert_num_queries(5):
        response = staff_client.get("/outreach/contact-requests/")
    assert response.status_code == 200
    assert "N1" in response.content.decode()


def test_a_forged_forwarded_for_does_not_reset_the_limit(world, client, settings, django_capture_on_commit_callbacks):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            headers = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}
            assert client.post(URL, form(), **headers).status_code == 302
    assert send(client, django_capture_on_commit_callbacks).status_code == 429  # the same address, no header
