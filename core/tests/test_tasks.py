"""`enqueue_after_commit`: the one way a service starts a task, by name, once its transaction commits."""

import ast
import logging

import pytest
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError

from core.tasks import enqueue_after_commit, registered_task

from .test_architecture import ALLOWED, ROOT

TASK = "outbox.tasks.deliveries_send"


@pytest.fixture
def published(monkeypatch) -> list[dict]:
    calls = []
    monkeypatch.setattr(registered_task(TASK), "apply_async", lambda **options: calls.append(options))
    return calls


@pytest.mark.django_db
def test_the_task_is_published_once_the_transaction_commits_with_its_keyword_arguments(
    published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_after_commit(TASK, delivery_ids=[1, 2])
        assert published == []
    assert published == [
        {"kwargs": {"delivery_ids": [1, 2]}, "retry": True, "retry_policy": settings.OUTBOX_PUBLISH_RETRY}
    ]


@pytest.mark.django_db
def test_a_rolled_back_transaction_starts_nothing(published, django_capture_on_commit_callbacks):
    class Rollback(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Rollback), transaction.atomic():
        enqueue_after_commit(TASK, delivery_ids=[1])
        raise Rollback
    assert callbacks == []
    assert published == []


@pytest.mark.django_db
def test_a_broker_outage_is_logged_for_the_sweeper_not_raised(
    monkeypatch, settings, caplog, django_capture_on_commit_callbacks
):
    def refuse(**options):
        raise OperationalError("connection refused")

    monkeypatch.setattr(registered_task(TASK), "apply_async", refuse)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with caplog.at_level(logging.WARNING, logger="core.tasks"), django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(TASK, delivery_ids=[7])
    assert "left for the periodic sweep" in caplog.text
    settings.CELERY_TASK_ALWAYS_EAGER = True  # in-process (make run, tests): a failing task is a failure
    with pytest.raises(OperationalError), django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(TASK, delivery_ids=[7])


def enqueued_names() -> set[str]:
    """Every task name the code passes to enqueue_after_commit."""
    names = set()
    for app in ALLOWED:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "enqueue_after_commit":
                    names.add(node.args[0].value)
    return names


def test_every_task_the_code_enqueues_or_beat_schedules_is_registered():
    names = enqueued_names() | {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"outbox.tasks.deliveries_send", "explorers_network.tasks.campaign_start"} <= names
    for name in names:
        assert registered_task(name).name == name
