"""The issue's "done when": join, confirm from the mail, receive staff-co's campaign, unsubscribe in one click."""

import re

import pytest
from django.core import mail
from django.test import Client

from explorers_network.models import Campaign, Explorer

pytestmark = pytest.mark.django_db


def link(pattern: str, text: str) -> str:
    return re.search(pattern, text).group(0).removeprefix("http://127.0.0.1:8000")


def test_a_newcomer_joins_confirms_gets_a_campaign_and_unsubscribes_in_one_click(
    staff_client, django_capture_on_commit_callbacks
):
    visitor = Client(enforce_csrf_checks=False)
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(
            "/network/join/",
            {"name": "Eva", "email": "eva@example.org", "country": "CO", "preferred_language": "en", "consent": "on"},
        )
    confirm = link(r"http://\S+/network/confirm/\S+/", mail.outbox[-1].body)
    assert "Yes, I want to join" in visitor.get(confirm).content.decode()
    visitor.post(confirm)
    assert Explorer.objects.get().status == Explorer.Status.ACTIVE

    staff_client.post(
        "/outreach/campaigns/new/",
        {"subject": "Hello explorers", "body": "News", "language": "en", "audience_countries": ["CO"]},
    )
    campaign = Campaign.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/outreach/campaigns/{campaign.pk}/send/")
    message = mail.outbox[-1]
    assert message.subject == "Hello explorers"
    one_click = message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000")

    mail_client = Client(enforce_csrf_checks=True)  # no cookie, no session, no token
    assert mail_client.post(one_click, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Explorer.objects.get().status == Explorer.Status.UNSUBSCRIBED

    second = Campaign.objects.create(subject="Second", body="More news", language="en", audience_countries=["CO"])
    sent_before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/outreach/campaigns/{second.pk}/send/")
    assert len(mail.outbox) == sent_before
