import re

import pytest
from django.core import mail
from django.urls import reverse

from explorers_network.consent import CURRENT_CONSENT_VERSION
from explorers_network.models import ConsentEvent, Explorer
from outbox.models import Delivery

pytestmark = pytest.mark.django_db
URL = "/network/join/"


def form(**overrides):
    data = {
        "name": "Eva Ruiz",
        "email": "eva@example.org",
        "country": "PE",
        "organisation": "Red Muqui",
        "role": "Researcher",
        "preferred_language": "es",
        "consent": "on",
    }
    data.update(overrides)
    return data


def join(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(URL, form(**overrides))


def test_the_join_page_needs_no_login_and_shows_the_consent_text(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "I agree that the program stores my name" in response.content.decode()


def test_the_join_page_is_in_spanish_for_spanish_visitors(client):
    response = client.get(URL, headers={"accept-language": "es"})
    assert "Únete a los Governance Explorers" in response.content.decode()


def test_joining_creates_a_pending_explorer_with_a_consent_grant_and_mails_a_confirmation(
    client, topics, django_capture_on_commit_callbacks
):
    response = join(client, django_capture_on_commit_callbacks, interests=[topics[0].pk])
    assert response.status_code == 302
    explorer = Explorer.objects.get()
    assert explorer.status == Explorer.Status.PENDING
    assert list(explorer.interests.all()) == [topics[0]]
    event = explorer.consent_events.get()
    assert (event.action, event.text_version, event.source) == ("grant", CURRENT_CONSENT_VERSION, "join_form")
    assert event.text.startswith("Acepto")  # the text as shown, in the language chosen
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["eva@example.org"]
    assert "Confirma" in mail.outbox[0].subject  # sent in the explorer's language
    assert re.search(r"http://127\.0\.0\.1:8000/network/confirm/\S+/", mail.outbox[0].body)


def test_without_consent_nothing_is_stored(client, django_capture_on_commit_callbacks):
    response = join(client, django_capture_on_commit_callbacks, consent="")
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors
    assert not Explorer.objects.exists()
    assert mail.outbox == []


def test_a_bad_address_is_a_form_error(client, django_capture_on_commit_callbacks):
    response = join(client, django_capture_on_commit_callbacks, email="not-an-address")
    assert response.status_code == 200
    assert "email" in response.context["form"].errors


def test_a_known_address_gets_the_same_answer_as_a_new_one(client, make_explorer, django_capture_on_commit_callbacks):
    new = join(client, django_capture_on_commit_callbacks, email="new@example.org")
    make_explorer("known@example.org")
    known = join(client, django_capture_on_commit_callbacks, email="KNOWN@example.org")
    assert (new.status_code, new["Location"]) == (known.status_code, known["Location"])
    assert Explorer.objects.filter(email__iexact="known@example.org").count() == 1


def test_at_most_three_confirmation_mails_per_address_per_day(client, django_capture_on_commit_callbacks):
    for _attempt in range(5):
        response = join(client, django_capture_on_commit_callbacks)
        assert response.status_code == 302
    assert len(mail.outbox) == 3
    assert Delivery.objects.filter(kind=Delivery.Kind.CONFIRMATION).count() == 3
    assert ConsentEvent.objects.count() == 1


def test_the_form_is_csrf_protected(django_capture_on_commit_callbacks):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, form())
    assert response.status_code == 403
    assert not Explorer.objects.exists()


def test_join_thanks_page_renders(client):
    assert client.get(reverse("explorers_network:join_thanks")).status_code == 200


def test_more_than_ten_sign_ups_an_hour_from_one_address_are_refused(client, django_capture_on_commit_callbacks):
    for n in range(10):
        assert join(client, django_capture_on_commit_callbacks, email=f"eva{n}@example.org").status_code == 302
    response = join(client, django_capture_on_commit_callbacks, email="eva-again@example.org")
    assert response.status_code == 429
    assert "Too many sign-ups from your network" in response.content.decode()
    assert Explorer.objects.count() == 10


def test_behind_a_trusted_proxy_each_visitor_has_their_own_limit(client, settings, django_capture_on_commit_callbacks):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]

    def join_from(visitor: str, n: int) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            data = form(email=f"{visitor}-{n}@example.org")
            return client.post(URL, data, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=visitor).status_code

    assert [join_from("198.51.100.1", n) for n in range(11)][-2:] == [302, 429]
    assert join_from("198.51.100.2", 0) == 302
