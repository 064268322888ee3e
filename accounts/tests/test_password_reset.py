"""Password reset: mails go through the outbox, limits per address and per client address, and
the same answer and the same work whether or not an account uses the address."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outbox.models import Delivery


@pytest.fixture
def staff_with_email(world):
    world.staff_co.email = "staff-co@example.org"
    world.staff_co.save()
    return world.staff_co


def ask_reset(client, email, django_capture_on_commit_callbacks, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("password_reset"), {"email": email}, **extra)


def test_reset_mail_is_written_to_the_outbox_and_sent_from_there(
    client, staff_with_email, django_capture_on_commit_callbacks
):
    response = ask_reset(client, "staff-co@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    delivery = Delivery.objects.get()
    assert (delivery.kind, delivery.recipient, delivery.state) == ("password_reset", "staff-co@example.org", "sent")
    assert [m.to for m in mail.outbox] == [["staff-co@example.org"]]
    assert mail.outbox[0].extra_headers["Message-ID"] == delivery.message_id


def test_reset_is_not_sent_inside_the_request(client, staff_with_email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("password_reset"), {"email": "staff-co@example.org"})
    assert mail.outbox == []
    assert not Delivery.objects.exists()
    assert len(callbacks) == 1  # one task published after the request's transaction


def test_reset_link_points_at_the_site_url_and_works(
    client, settings, staff_with_email, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://coalitions.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "other-name.example.org"]
    ask_reset(
        client, "staff-co@example.org", django_capture_on_commit_callbacks, headers={"host": "other-name.example.org"}
    )
    link = re.search(r"https://coalitions\.example\.org(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert b"new_password1" in response.content
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Another-long-pass-42", "new_password2": "Another-long-pass-42"},
    )
    assert response.status_code == 302
    assert client.login(username="staff-co", password="Another-long-pass-42")


def test_reset_mail_is_in_the_language_of_the_page(client, staff_with_email, django_capture_on_commit_callbacks):
    ask_reset(client, "staff-co@example.org", django_capture_on_commit_callbacks, headers={"accept-language": "es"})
    assert mail.outbox[0].subject.startswith("Restablezca su contraseña")
    assert "Elija una nueva contraseña aquí:" in mail.outbox[0].body


def test_unknown_address_gets_the_same_answer_and_no_mail(client, staff_with_email, django_capture_on_commit_callbacks):
    known = ask_reset(client, "staff-co@example.org", django_capture_on_commit_callbacks)
    unknown = ask_reset(Client(), "nobody@example.org", django_capture_on_commit_callbacks)
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert Delivery.objects.filter(recipient="nobody@example.org").count() == 0
    assert len(mail.outbox) == 1


def test_known_and_unknown_addresses_take_the_same_work_in_the_request(
    staff_with_email, django_capture_on_commit_callbacks
):
    """The request runs the same queries and publishes the same task either way; only the
    worker looks the address up (timing is measured by bench/password_reset_timing.py)."""

    def work(email):
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=False) as callbacks,
        ):
            response = Client().post(reverse("password_reset"), {"email": email})
        # The statements, without their values (a timestamp differs from one request to the next).
        return response.status_code, [re.sub(r"'[^']*'", "?", q["sql"]) for q in queries], len(callbacks)

    assert work("staff-co@example.org") == work("nobody@example.org")


def test_one_address_gets_at_most_the_limit_per_hour(settings, staff_with_email, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 2
    answers = [
        ask_reset(Client(REMOTE_ADDR=f"10.0.0.{n}"), "Staff-CO@example.org", django_capture_on_commit_callbacks)
        for n in range(4)
    ]
    assert [a.status_code for a in answers] == [302] * 4  # the page never tells
    assert Delivery.objects.filter(kind="password_reset").count() == 2


def test_one_client_address_may_ask_at_most_the_limit_per_hour(settings, world, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 3
    client = Client(REMOTE_ADDR="203.0.113.9")
    answers = [ask_reset(client, f"someone{n}@example.org", django_capture_on_commit_callbacks) for n in range(4)]
    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    assert "Too many reset requests from your network" in answers[-1].content.decode()
    other = ask_reset(Client(REMOTE_ADDR="203.0.113.10"), "someone@example.org", django_capture_on_commit_callbacks)
    assert other.status_code == 302


def test_the_limits_are_counted_in_the_shared_cache(settings, world, django_capture_on_commit_callbacks):
    """Counters live in Django's cache (shared by the web processes once a shared cache is set),
    not in the process: clearing the cache starts a new window."""
    from django.core.cache import cache

    settings.PASSWORD_RESET_LIMIT_PER_IP = 1
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert ask_reset(client, "a@example.org", django_capture_on_commit_callbacks).status_code == 302
    assert ask_reset(client, "b@example.org", django_capture_on_commit_callbacks).status_code == 429
    cache.clear()
    assert ask_reset(client, "c@example.org", django_capture_on_commit_callbacks).status_code == 302


def test_inactive_users_and_users_without_a_password_get_no_mail(client, world, django_capture_on_commit_callbacks):
    world.staff_co.email = "off@example.org"
    world.staff_co.is_active = False
    world.staff_co.save()
    world.staff_pe.email = "nopass@example.org"
    world.staff_pe.set_unusable_password()
    world.staff_pe.save()
    for email in ("off@example.org", "nopass@example.org"):
        ask_reset(client, email, django_capture_on_commit_callbacks)
    assert not Delivery.objects.exists()
