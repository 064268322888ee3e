"""Against a real SMTP server on loopback: temporary refusals are retried, permanent ones suppress."""

import datetime

import pytest
from django.utils import timezone

from outbox.models import Delivery, Suppression, email_hash
from outbox.services import Mail, deliveries_send, delivery_create

pytestmark = pytest.mark.django_db


def outreach(recipient: str) -> Delivery:
    return delivery_create(
        mail=Mail(recipient=recipient, subject="News", body_text="Hello"), kind=Delivery.Kind.OUTREACH, campaign_id=7
    )


def due_again(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(not_before=timezone.now() - datetime.timedelta(seconds=1))


def test_a_451_is_retried_later_and_then_delivered(smtp_sink):
    smtp_sink.defer["slow@example.org"] = 2
    delivery = outreach("slow@example.org")
    for _attempt in range(2):
        assert deliveries_send(ids=[delivery.pk])["retry"] == 1
        delivery.refresh_from_db()
        assert delivery.state == Delivery.State.PENDING
        assert delivery.not_before > timezone.now()
        assert "451" in delivery.last_error
        # Not due yet: a worker that sees it early leaves it alone.
        assert deliveries_send(ids=[delivery.pk])["retry"] == 0
        due_again(delivery)
    assert deliveries_send(ids=[delivery.pk])["sent"] == 1
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT
    assert delivery.attempts == 3
    assert len(smtp_sink.to("slow@example.org")) == 1


def test_the_backoff_doubles_with_each_attempt(smtp_sink, settings):
    smtp_sink.defer["slow@example.org"] = 5
    delivery = outreach("slow@example.org")
    waits = []
    for _attempt in range(3):
        before = timezone.now()
        deliveries_send(ids=[delivery.pk])
        delivery.refresh_from_db()
        waits.append(round((delivery.not_before - before).total_seconds() / settings.OUTBOX_RETRY_BASE_SECONDS))
        due_again(delivery)
    assert waits == [1, 2, 4]


def test_temporary_failures_stop_after_the_attempt_cap(smtp_sink, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    smtp_sink.defer["slow@example.org"] = 99
    delivery = outreach("slow@example.org")
    for _attempt in range(3):
        deliveries_send(ids=[delivery.pk])
        due_again(delivery)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert not Suppression.objects.exists()


def test_a_550_fails_at_once_and_suppresses_the_address(smtp_sink):
    smtp_sink.reject.add("gone@example.org")
    delivery = outreach("gone@example.org")
    assert deliveries_send(ids=[delivery.pk])["failed"] == 1
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert delivery.attempts == 1
    assert Suppression.objects.filter(address_hash=email_hash("gone@example.org"), reason="bounced").exists()
    due_again(delivery)
    assert deliveries_send(ids=[delivery.pk]) == {"sent": 0, "retry": 0, "failed": 0, "cancelled": 0}


def test_one_batch_uses_one_connection_and_a_bad_address_does_not_stop_the_rest(smtp_sink):
    smtp_sink.reject.add("gone@example.org")
    smtp_sink.defer["slow@example.org"] = 1
    rows = [outreach(address) for address in ("a@example.org", "gone@example.org", "slow@example.org", "b@example.org")]
    result = deliveries_send(ids=[row.pk for row in rows])
    assert result == {"sent": 2, "retry": 1, "failed": 1, "cancelled": 0}
    assert {m["To"] for m in smtp_sink.messages} == {"a@example.org", "b@example.org"}
    assert all(m["Message-ID"].startswith("<delivery-") for m in smtp_sink.messages)


def test_a_server_that_is_down_leaves_rows_pending_for_a_retry(settings):
    from outbox.testing import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    delivery = outreach("a@example.org")
    assert deliveries_send(ids=[delivery.pk])["retry"] == 1
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.PENDING
