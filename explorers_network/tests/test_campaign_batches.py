"""A campaign is planned in batches of its audience; each batch writes and sends its own mails."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from explorers_network.models import Campaign, ConsentEvent
from explorers_network.services import (
    campaign_batch_send,
    campaign_start,
    campaigns_finish,
    campaigns_start_due,
    explorer_from_unsubscribe_token,
    explorer_unsubscribe,
    unsubscribe_url,
)
from outbox.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(world):
    return Campaign.objects.create(
        subject="News",
        body="Hello",
        language="en",
        state=Campaign.State.SCHEDULED,
        scheduled_for=timezone.now(),
    )


@pytest.fixture
def members(make_explorer):
    return [make_explorer(f"m{number}@example.org") for number in range(5)]


@pytest.fixture
def batches_of_two(settings):
    settings.OUTBOX_BATCH_SIZE = 2


def campaign_mails(campaign: Campaign) -> list[str]:
    return sorted(message.to[0] for message in mail.outbox if message.subject == campaign.subject)


def test_every_member_is_mailed_once_across_the_batches(
    campaign, members, batches_of_two, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert campaign_start(campaign_id=campaign.pk) == 5
    assert len(callbacks) >= 3  # one task per batch of two, not one per member
    assert campaign_mails(campaign) == [member.email for member in members]
    campaign.refresh_from_db()
    assert (campaign.state, campaign.batches_unwritten) == (Campaign.State.SENT, [])


def test_a_campaign_is_not_sent_while_a_batch_is_unwritten(campaign, members, batches_of_two):
    campaign_start(campaign_id=campaign.pk)  # the batch tasks have not run yet
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENDING
    assert len(campaign.batches_unwritten) == 3
    assert not Delivery.objects.filter(campaign_id=campaign.pk).exists()
    assert campaigns_finish() == 0
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENDING


def test_a_batch_run_twice_sends_nothing_twice(campaign, members, batches_of_two, django_capture_on_commit_callbacks):
    campaign_start(campaign_id=campaign.pk)
    batch = [members[0].pk, members[1].pk]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert campaign_batch_send(campaign_id=campaign.pk, explorer_ids=batch)["sent"] == 2
        assert campaign_batch_send(campaign_id=campaign.pk, explorer_ids=batch)["sent"] == 0
    assert campaign_mails(campaign) == [members[0].email, members[1].email]
    assert Delivery.objects.filter(campaign_id=campaign.pk).count() == 2


def test_starting_a_campaign_again_sends_nothing_twice(campaign, members, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        campaign_start(campaign_id=campaign.pk)
    Campaign.objects.filter(pk=campaign.pk).update(state=Campaign.State.SENDING)  # as a retried start finds it
    with django_capture_on_commit_callbacks(execute=True):
        campaign_start(campaign_id=campaign.pk)
    assert campaign_mails(campaign) == [member.email for member in members]
    assert Delivery.objects.filter(campaign_id=campaign.pk).count() == 5
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENT


def test_a_member_who_withdraws_after_the_start_is_not_mailed(
    campaign, members, batches_of_two, django_capture_on_commit_callbacks
):
    campaign_start(campaign_id=campaign.pk)
    explorer_unsubscribe(explorer=members[0], source=ConsentEvent.Source.UNSUBSCRIBE_PAGE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        campaign_batch_send(campaign_id=campaign.pk, explorer_ids=[members[0].pk, members[1].pk])
    assert campaign_mails(campaign) == [members[1].email]


def test_a_batch_of_a_campaign_not_sending_writes_nothing(campaign, members):
    assert campaign_batch_send(campaign_id=campaign.pk, explorer_ids=[members[0].pk]) == {}
    assert not Delivery.objects.filter(campaign_id=campaign.pk).exists()


def test_beat_plans_again_a_campaign_whose_batches_stopped(
    campaign, members, batches_of_two, django_capture_on_commit_callbacks
):
    campaign_start(campaign_id=campaign.pk)  # the batch tasks are lost (the broker went down)
    assert campaigns_start_due() == []
    mail.outbox.clear()
    later = timezone.now() + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        campaigns_start_due(now=later)
    assert campaign_mails(campaign) == [member.email for member in members]
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENT


def test_the_batch_unsubscribe_link_is_the_one_the_page_reads(campaign, members, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        campaign_start(campaign_id=campaign.pk)
    delivery = Delivery.objects.get(campaign_id=campaign.pk, recipient=members[2].email)
    link = delivery.headers["List-Unsubscribe"].strip("<>")
    assert link.split("/")[:-2] == unsubscribe_url(members[2]).split("/")[:-2]
    assert explorer_from_unsubscribe_token(link.rstrip("/").rsplit("/", 1)[-1]) == members[2]
