import datetime
import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from explorers_network.models import ConsentEvent, Explorer
from explorers_network.services import confirmation_url, unsubscribe_url
from outbox.models import Delivery, Suppression

pytestmark = pytest.mark.django_db


def path(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


def row_counts() -> dict:
    return {
        "events": ConsentEvent.objects.count(),
        "active": Explorer.objects.filter(status="active").count(),
        "unsubscribed": Explorer.objects.filter(status="unsubscribed").count(),
        "suppressions": Suppression.objects.count(),
        "deliveries": Delivery.objects.count(),
        "updated": sorted(Explorer.objects.values_list("updated_at", flat=True)),
    }


@pytest.fixture
def pending(make_explorer):
    return make_explorer("pat@example.org", status="pending")


def mailed_confirmation_link() -> str:
    return path(re.search(r"http://\S+/network/confirm/\S+/", mail.outbox[-1].body).group(0))


def test_a_get_of_the_confirmation_link_shows_a_button_and_changes_nothing(client, pending):
    link = mailed_confirmation_link()
    before = row_counts()
    response = client.get(link)
    assert response.status_code == 200
    assert '<form method="post"' in response.content.decode()
    assert row_counts() == before


def test_the_post_confirms_once(client, pending):
    link = mailed_confirmation_link()
    assert client.post(link).status_code == 200
    pending.refresh_from_db()
    assert pending.status == Explorer.Status.ACTIVE
    assert pending.confirmed_at is not None
    assert list(pending.consent_events.values_list("action", "source")) == [
        ("grant", "join_form"),
        ("confirm", "confirmation_link"),
    ]
    # Single use: the same link confirms nothing more, and says the explorer is confirmed already.
    for again in (client.post(link), client.get(link)):
        assert again.status_code == 200
        assert "You are already confirmed" in again.content.decode()
        assert "does not work any more" not in again.content.decode()
    assert pending.consent_events.count() == 2


def test_a_link_of_someone_who_unsubscribed_does_not_say_they_are_confirmed(client, pending):
    from explorers_network.services import explorer_confirm, explorer_unsubscribe

    link = mailed_confirmation_link()
    explorer_confirm(explorer=pending)
    explorer_unsubscribe(explorer=pending, source=ConsentEvent.Source.UNSUBSCRIBE_PAGE)
    response = client.get(link)
    assert response.status_code == 400
    assert "already confirmed" not in response.content.decode()


def test_a_link_older_than_seven_days_does_not_confirm(client, pending, monkeypatch):
    link = mailed_confirmation_link()
    later = timezone.now() + datetime.timedelta(days=7, minutes=1)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())
    assert client.post(link).status_code == 400
    pending.refresh_from_db()
    assert pending.status == Explorer.Status.PENDING


def test_a_forged_link_does_not_confirm(client, pending):
    assert client.post(f"/network/confirm/{pending.pk}-forged/").status_code == 400
    token = signing.dumps({"e": pending.pk, "n": "guess"}, salt="explorer-confirm")
    assert client.post(f"/network/confirm/{token}/").status_code == 400


def test_a_get_of_the_unsubscribe_link_asks_and_changes_nothing(client, make_explorer):
    explorer = make_explorer()
    before = row_counts()
    response = client.get(path(unsubscribe_url(explorer)))
    assert response.status_code == 200
    assert '<form method="post"' in response.content.decode()
    assert row_counts() == before


def test_one_click_unsubscribe_works_without_cookie_session_or_csrf_token(make_explorer):
    explorer = make_explorer()
    client = Client(enforce_csrf_checks=True)
    response = client.post(path(unsubscribe_url(explorer)), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    explorer.refresh_from_db()
    assert explorer.status == Explorer.Status.UNSUBSCRIBED
    assert explorer.consent_events.last().source == "one_click"
    assert Suppression.objects.filter(reason="unsubscribed").count() == 1


def test_the_unsubscribe_page_button_withdraws_consent(client, make_explorer):
    explorer = make_explorer()
    client.post(path(unsubscribe_url(explorer)))
    explorer.refresh_from_db()
    assert explorer.status == Explorer.Status.UNSUBSCRIBED
    assert explorer.consent_events.last().source == "unsubscribe_page"


def test_a_tampered_unsubscribe_link_changes_nothing(client, make_explorer):
    explorer = make_explorer()
    token = unsubscribe_url(explorer).rstrip("/").rsplit("/", 1)[1]
    client.post(f"/network/unsubscribe/{token[:-2]}xx/")
    explorer.refresh_from_db()
    assert explorer.status == Explorer.Status.ACTIVE


def test_a_hundred_scanner_gets_of_confirmation_and_unsubscribe_links_change_no_rows(make_explorer):
    pending = make_explorer("pat@example.org", status="pending")
    active = make_explorer("act@example.org")
    links = [path(confirmation_url(pending)), path(unsubscribe_url(active))]
    before = row_counts()
    scanner = Client()
    for number in range(100):
        assert scanner.get(links[number % 2]).status_code == 200
        scanner.head(links[number % 2])
    assert row_counts() == before
