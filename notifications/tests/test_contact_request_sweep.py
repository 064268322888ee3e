"""A contact request's notification survives a broker outage: beat tells staff of every request
whose own task never ran, once."""

import datetime
import logging

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.tasks import registered_task
from explorers_network.models import ContactRequest
from explorers_network.services import contact_request_create
from notifications.models import Notification
from notifications.services import contact_requests_notify_missed

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch, settings):
    def refuse(**options):
        raise OperationalError("broker down")

    settings.CELERY_TASK_ALWAYS_EAGER = False  # what a worker deployment runs with
    monkeypatch.setattr(registered_task("notifications.tasks.contact_request_notify"), "apply_async", refuse)


def received(django_capture_on_commit_callbacks) -> ContactRequest:
    with django_capture_on_commit_callbacks(execute=True):
        return contact_request_create(
            name="Nadia Tan", email="nadia@example.org", country="CO", message="Hello", ip="203.0.113.9"
        )


def after_the_grace_window(settings) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=settings.OUTBOX_STUCK_SECONDS + 1)


def test_a_request_whose_task_the_broker_dropped_is_notified_by_the_sweep_once(
    world, settings, broker_down, caplog, django_capture_on_commit_callbacks
):
    world.staff_co.email = "staff-co@example.org"
    world.staff_co.save()
    with caplog.at_level(logging.WARNING, logger="core.tasks"):
        request = received(django_capture_on_commit_callbacks)
    assert "left for the periodic sweep" in caplog.text
    assert not Notification.objects.exists()

    assert contact_requests_notify_missed() == 0  # its own task may still be on its way
    with django_capture_on_commit_callbacks(execute=True):
        assert contact_requests_notify_missed(now=after_the_grace_window(settings)) == 1

    assert list(Notification.objects.values_list("user__username", flat=True)) == ["staff-co"]
    # The sender's receipt went when the request was stored; staff hear of it through the sweep.
    assert [message.to for message in mail.outbox] == [["nadia@example.org"], ["staff-co@example.org"]]
    request.refresh_from_db()
    assert request.staff_notified_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert contact_requests_notify_missed(now=after_the_grace_window(settings)) == 0
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 2


def test_a_request_notified_by_its_own_task_is_left_alone_by_the_sweep(
    world, settings, django_capture_on_commit_callbacks
):
    request = received(django_capture_on_commit_callbacks)
    request.refresh_from_db()
    assert request.staff_notified_at is not None
    notified = Notification.objects.count()
    assert notified > 0
    assert contact_requests_notify_missed(now=after_the_grace_window(settings)) == 0
    assert Notification.objects.count() == notified


def test_the_sweep_and_a_late_task_together_notify_each_person_once(
    world, settings, broker_down, django_capture_on_commit_callbacks
):
    from notifications.services import contact_request_notify

    request = received(django_capture_on_commit_callbacks)
    contact_requests_notify_missed(now=after_the_grace_window(settings))
    contact_request_notify(contact_request=request)  # the dropped task, delivered after all
    assert Notification.objects.filter(key=f"contact-{request.pk}").count() == Notification.objects.count()
    assert Notification.objects.values("user").distinct().count() == Notification.objects.count()
