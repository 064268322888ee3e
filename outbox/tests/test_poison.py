"""No single bad row stops mail: user text cannot break a header, a row the mail library refuses
is failed with its error while the rest of its batch goes out, and the attempt cap holds where
rows are claimed."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from outbox.models import Delivery
from outbox.services import Mail, deliveries_send, delivery_create, error_text, header_value, outbox_sweep

pytestmark = pytest.mark.django_db

INJECTIONS = [
    "Ana\r\nBcc: victim@example.org",
    "Ana\nBcc: victim@example.org",
    "Ana\rBcc: victim@example.org",
    "Ana\r\n\r\n<html>body injected</html>",
    "Ana\x00\x0b\x0c\x1b\x7f",
    "Ana\u2028Bcc: victim@example.org\u2029\u0085",
]


def notification(recipient: str, subject: str = "Hello", **headers) -> Delivery:
    return delivery_create(
        mail=Mail(recipient=recipient, subject=subject, body_text="Body", headers=headers),
        kind=Delivery.Kind.NOTIFICATION,
        period=recipient,
    )


@pytest.mark.parametrize("text", INJECTIONS)
def test_header_value_leaves_no_line_break_or_control_character(text):
    value = header_value(text)
    assert value.startswith("Ana")
    assert all(ord(char) >= 0x20 and char not in "\x7f\x85\u2028\u2029" for char in value)


@pytest.mark.parametrize("text", INJECTIONS)
def test_an_injection_attempt_in_a_subject_or_a_header_is_sent_as_one_clean_header(text, smtp_sink):
    delivery = notification("ana@example.org", subject=f"New contact request from {text}", **{"Reply-To": text})
    assert deliveries_send(ids=[delivery.pk])["sent"] == 1
    [message] = smtp_sink.messages
    assert message["Bcc"] is None
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert message["Subject"].startswith("New contact request from Ana")
    assert message["Reply-To"].startswith("Ana")
    assert "injected" not in message.get_payload()
    assert smtp_sink.to("victim@example.org") == []


def test_a_row_written_without_the_cleaning_is_cleaned_when_its_message_is_built():
    # A bulk path or a row older than the cleaning: the message is built from the row itself.
    delivery = notification("ana@example.org")
    Delivery.objects.filter(pk=delivery.pk).update(
        subject="Hi\r\nBcc: victim@example.org", headers={"X-Name": "Ana\nBcc: victim@example.org"}
    )
    assert deliveries_send(ids=[delivery.pk])["sent"] == 1
    [message] = mail.outbox
    assert message.subject == "Hi Bcc: victim@example.org"
    assert message.extra_headers["X-Name"] == "Ana Bcc: victim@example.org"
    assert message.bcc == []


def test_an_overlong_subject_is_cut_to_the_column():
    delivery = notification("ana@example.org", subject="x" * 1000)
    assert len(delivery.subject) == Delivery._meta.get_field("subject").max_length


def test_a_poison_row_between_200_good_ones_fails_alone_with_its_error(smtp_sink, settings, monkeypatch):
    settings.OUTBOX_BATCH_SIZE = 500
    good = [notification(f"good{n}@example.org") for n in range(100)]
    # An address the mail library refuses to encode: no cleaning of user text could fix it.
    poison = notification("poison@example.org")
    Delivery.objects.filter(pk=poison.pk).update(recipient="poison@example.org@example.org")
    good += [notification(f"good{n}@example.org") for n in range(100, 200)]
    ids = sorted([row.pk for row in good] + [poison.pk])

    assert deliveries_send(ids=ids) == {"sent": 200, "retry": 0, "failed": 1, "cancelled": 0}

    assert {message["To"] for message in smtp_sink.messages} == {f"good{n}@example.org" for n in range(200)}
    assert Delivery.objects.filter(pk__in=[row.pk for row in good], state=Delivery.State.SENT).count() == 200
    poison.refresh_from_db()
    assert poison.state == Delivery.State.FAILED
    assert poison.last_error.startswith("ValueError: Invalid address")
    assert poison.lease_until is None

    enqueued = []
    monkeypatch.setattr("outbox.services.deliveries_enqueue", lambda *, ids: enqueued.extend(ids))
    later = timezone.now() + datetime.timedelta(seconds=settings.OUTBOX_STUCK_SECONDS + 1)
    assert outbox_sweep(now=later) == 0
    assert enqueued == []
    assert deliveries_send(ids=[poison.pk]) == {"sent": 0, "retry": 0, "failed": 0, "cancelled": 0}


def test_a_row_at_the_attempt_cap_is_not_claimed_and_the_sweep_fails_it(settings, monkeypatch):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    # Sent three times by a worker that was killed each time: no outcome was ever recorded.
    delivery = notification("ana@example.org")
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.SENDING, attempts=3, lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert deliveries_send(ids=[delivery.pk])["sent"] == 0
    assert mail.outbox == []
    enqueued = []
    monkeypatch.setattr("outbox.services.deliveries_enqueue", lambda *, ids: enqueued.extend(ids))
    assert outbox_sweep() == 0
    assert enqueued == []
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert delivery.last_error == "Gave up after 3 attempts without an outcome"
    assert delivery.lease_until is None


def test_a_row_below_the_cap_is_still_claimed(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    delivery = notification("ana@example.org")
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.SENDING, attempts=2, lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert deliveries_send(ids=[delivery.pk])["sent"] == 1


def test_the_stored_error_is_one_line_cut_to_the_column_and_never_holds_the_smtp_password(settings):
    settings.EMAIL_HOST_PASSWORD = "s3cret-pass"
    text = error_text(RuntimeError("login s3cret-pass refused\r\n" + "x" * 1000))
    assert "s3cret-pass" not in text
    assert text.startswith("RuntimeError: login *** refused x")
    assert "\n" not in text
    assert len(text) == Delivery._meta.get_field("last_error").max_length
