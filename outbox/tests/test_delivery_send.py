import datetime

import pytest
from django.core import mail
from django.utils import timezone

from outbox.models import Delivery, Suppression, email_hash
from outbox.services import (
    Mail,
    deliveries_create_many,
    deliveries_send,
    delivery_create,
    outbox_sweep,
    suppression_add,
)

pytestmark = pytest.mark.django_db


def make(recipient="ana@example.org", kind=Delivery.Kind.OUTREACH, **kw) -> Delivery:
    mail_ = Mail(recipient=recipient, subject="Hello", body_text="Body", body_html="<p>Body</p>")
    if kind == Delivery.Kind.OUTREACH:
        kw.setdefault("campaign_id", 1)
    return delivery_create(mail=mail_, kind=kind, **kw)


def test_a_second_row_for_the_same_campaign_and_address_is_not_written():
    assert make() is not None
    assert make(recipient="ANA@example.org") is None
    assert Delivery.objects.count() == 1


def test_a_second_row_for_the_same_kind_and_period_is_not_written():
    assert make(kind=Delivery.Kind.DIGEST, period="2026-W47") is not None
    assert make(kind=Delivery.Kind.DIGEST, period="2026-W47") is None
    assert make(kind=Delivery.Kind.DIGEST, period="2026-W48") is not None


def test_sending_marks_the_row_sent_with_a_message_id_derived_from_it():
    delivery = make()
    result = deliveries_send(ids=[delivery.pk])
    delivery.refresh_from_db()
    assert result["sent"] == 1
    assert delivery.state == Delivery.State.SENT
    assert delivery.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<delivery-{delivery.pk}@127.0.0.1>"


def test_a_sent_row_is_never_sent_again():
    delivery = make()
    deliveries_send(ids=[delivery.pk])
    deliveries_send(ids=[delivery.pk])
    assert len(mail.outbox) == 1


def test_a_row_leased_by_another_worker_is_left_alone():
    delivery = make()
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.SENDING, lease_until=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert deliveries_send(ids=[delivery.pk])["sent"] == 0
    assert mail.outbox == []


def test_a_row_whose_lease_expired_is_sent_by_the_next_worker():
    delivery = make()
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.SENDING, attempts=1, lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert deliveries_send(ids=[delivery.pk])["sent"] == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2


def test_outreach_to_an_unsubscribed_address_is_cancelled_not_sent():
    delivery = make()
    suppression_add(address="Ana@Example.org", reason=Suppression.Reason.UNSUBSCRIBED)
    deliveries_send(ids=[delivery.pk])
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.CANCELLED
    assert mail.outbox == []


def test_an_unsubscribe_does_not_stop_a_confirmation_but_a_bounce_does():
    suppression_add(address="ana@example.org", reason=Suppression.Reason.UNSUBSCRIBED)
    first = make(kind=Delivery.Kind.CONFIRMATION, period="a")
    deliveries_send(ids=[first.pk])
    assert len(mail.outbox) == 1
    suppression_add(address="ana@example.org", reason=Suppression.Reason.BOUNCED)
    second = make(kind=Delivery.Kind.CONFIRMATION, period="b")
    deliveries_send(ids=[second.pk])
    assert len(mail.outbox) == 1


def test_suppressions_keep_only_a_hash_of_the_address():
    suppression_add(address="ana@example.org", reason=Suppression.Reason.ERASED)
    assert Suppression.objects.get().address_hash == email_hash("ANA@example.org ")
    assert "ana" not in Suppression.objects.get().address_hash


def test_the_sweeper_enqueues_stuck_pending_rows_and_expired_leases_but_not_fresh_ones(settings, monkeypatch):
    fresh = make(recipient="fresh@example.org")
    stuck = make(recipient="stuck@example.org")
    expired = make(recipient="expired@example.org")
    held = make(recipient="held@example.org")
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.OUTBOX_STUCK_SECONDS + 1)
    Delivery.objects.filter(pk=stuck.pk).update(updated_at=long_ago)
    Delivery.objects.filter(pk=expired.pk).update(
        state=Delivery.State.SENDING, lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    Delivery.objects.filter(pk=held.pk).update(
        state=Delivery.State.SENDING, lease_until=timezone.now() + datetime.timedelta(minutes=5)
    )
    enqueued = []
    monkeypatch.setattr("outbox.services.deliveries_enqueue", lambda *, ids: enqueued.extend(ids))
    assert outbox_sweep() == 2
    assert sorted(enqueued) == sorted([stuck.pk, expired.pk])
    assert fresh.pk not in enqueued


def test_a_swept_row_is_not_enqueued_again_until_the_stuck_window_passes(settings, monkeypatch):
    stuck = make(recipient="stuck@example.org")
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.OUTBOX_STUCK_SECONDS + 1)
    Delivery.objects.filter(pk=stuck.pk).update(updated_at=long_ago)
    enqueued = []
    monkeypatch.setattr("outbox.services.deliveries_enqueue", lambda *, ids: enqueued.extend(ids))
    assert outbox_sweep() == 1
    assert outbox_sweep() == 0
    later = timezone.now() + datetime.timedelta(seconds=settings.OUTBOX_STUCK_SECONDS + 1)
    assert outbox_sweep(now=later) == 1


def test_a_retry_is_swept_once_it_falls_due(monkeypatch):
    delivery = make()
    failed_at = timezone.now() - datetime.timedelta(seconds=30)
    Delivery.objects.filter(pk=delivery.pk).update(
        attempts=1, updated_at=failed_at, not_before=failed_at + datetime.timedelta(seconds=60)
    )
    enqueued = []
    monkeypatch.setattr("outbox.services.deliveries_enqueue", lambda *, ids: enqueued.extend(ids))
    assert outbox_sweep() == 0
    assert outbox_sweep(now=timezone.now() + datetime.timedelta(seconds=31)) == 1
    assert enqueued == [delivery.pk]


@pytest.mark.parametrize("connections", [1, 3])
def test_every_mail_of_a_batch_over_several_connections_gets_its_own_outcome(settings, smtp_sink, connections):
    settings.OUTBOX_SMTP_CONNECTIONS = connections
    rows = [make(recipient=f"r{n}@example.org") for n in range(10)]
    smtp_sink.defer["r3@example.org"] = 1
    smtp_sink.reject.add("r7@example.org")
    result = deliveries_send(ids=[row.pk for row in rows])
    assert result == {"sent": 8, "retry": 1, "failed": 1, "cancelled": 0}
    states = dict(Delivery.objects.values_list("recipient", "state"))
    assert states.pop("r3@example.org") == Delivery.State.PENDING
    assert states.pop("r7@example.org") == Delivery.State.FAILED
    assert set(states.values()) == {Delivery.State.SENT}
    assert sorted(message["To"] for message in smtp_sink.messages) == sorted(states)
    assert Suppression.objects.filter(address_hash=email_hash("r7@example.org")).exists()


def test_deliveries_written_in_bulk_skip_the_addresses_the_campaign_has_already():
    make(recipient="ana@example.org", campaign_id=5)
    mails = [Mail(recipient=address, subject="Hello", body_text="Body") for address in ("ANA@example.org", "Ben@x.org")]
    deliveries_create_many(mails=mails, kind=Delivery.Kind.OUTREACH, campaign_id=5)
    deliveries_create_many(mails=mails, kind=Delivery.Kind.OUTREACH, campaign_id=5)
    rows = Delivery.objects.filter(campaign_id=5).order_by("recipient")
    assert [(row.recipient, row.state, row.attempts) for row in rows] == [
        ("ana@example.org", Delivery.State.PENDING, 0),
        ("ben@x.org", Delivery.State.PENDING, 0),
    ]
    assert rows[1].subject == "Hello" and rows[1].headers == {} and rows[1].lease_until is None
