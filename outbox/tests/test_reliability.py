"""Nothing lost, nothing sent twice: a real worker process, real Redis and a real SMTP server.

These need PostgreSQL (the worker is another process and must see committed rows) and Redis;
they skip without them and fail under REQUIRE_SERVICES=1. Redis DB 6 of the machine's Redis
is used for the worker, DB 7 for counting published tasks; the outage test starts its own
redis-server on port 6390 and never touches the main one.
"""

import base64
import json
import time
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from core.testing import require_service
from explorers_network.models import Campaign, ConsentEvent, Explorer
from explorers_network.services import campaign_send
from outbox.models import Delivery
from outbox.services import Mail, delivery_create, outbox_sweep
from outbox.testing import celery_worker, real_broker, redis_available, redis_server, start_sink

pytestmark = [pytest.mark.services, pytest.mark.real_broker, pytest.mark.django_db(transaction=True)]

WORKER_BROKER = "redis://127.0.0.1:6379/6"
COUNTING_BROKER = "redis://127.0.0.1:6379/7"
OUTAGE_PORT = 6390
OUTAGE_BROKER = f"redis://127.0.0.1:{OUTAGE_PORT}/0"


def require_postgres_and_redis(url: str = WORKER_BROKER) -> None:
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    require_service("Redis", redis_available(url), url)


def flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


# Short enough for a test to watch the sweeper recover rows; the test process sweeps with these too.
FAST_RECOVERY = {"OUTBOX_BATCH_SIZE": 50, "OUTBOX_LEASE_SECONDS": 5, "OUTBOX_STUCK_SECONDS": 3}


@pytest.fixture(autouse=True)
def fast_recovery(settings):
    for name, value in FAST_RECOVERY.items():
        setattr(settings, name, value)


def worker_env(broker: str, smtp_port: int) -> dict[str, str]:
    db = connection.settings_dict
    return {
        **{name: str(value) for name, value in FAST_RECOVERY.items()},
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": broker,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "CONN_MAX_AGE": "0",
        "LOG_LEVEL": "WARNING",
    }


def audience(size: int, *, extra_pending: int = 0, extra_unsubscribed: int = 0) -> Campaign:
    now = timezone.now()
    explorers = [
        Explorer(name=f"E{n}", email=f"e{n}@example.org", status="active", confirmed_at=now, preferred_language="en")
        for n in range(size)
    ]
    explorers += [Explorer(name=f"P{n}", email=f"p{n}@example.org", status="pending") for n in range(extra_pending)]
    explorers += [
        Explorer(name=f"U{n}", email=f"u{n}@example.org", status="unsubscribed", confirmed_at=now)
        for n in range(extra_unsubscribed)
    ]
    explorers = Explorer.objects.bulk_create(explorers)
    # The sender reads the ledger: the active ones consented and confirmed, the others did not.
    ConsentEvent.objects.bulk_create(
        ConsentEvent(
            explorer=explorer, action=action, text_version="2026-11" if action == "grant" else "", source="join_form"
        )
        for explorer in explorers
        if explorer.status == "active"
        for action in ("grant", "confirm")
    )
    return Campaign.objects.create(subject="Governance Explorers news", body="Hello **explorers**", language="en")


def summary() -> dict:
    """Rows by (purpose, state), for the message of a failing wait."""
    from django.db.models import Max, Min

    counts = {
        f"{row['kind']}/{row['state']}": row["n"]
        for row in Delivery.objects.values("kind", "state").annotate(n=Count("pk")).order_by()
    }
    counts["pending"] = Delivery.objects.filter(state="pending").aggregate(
        Min("updated_at"), Max("updated_at"), Min("not_before"), Max("not_before"), Max("attempts")
    )
    counts["now"] = timezone.now()
    return counts


def sent_count(campaign: Campaign) -> int:
    return Delivery.objects.filter(campaign_id=campaign.pk, state=Delivery.State.SENT).count()


def wait_until(condition, timeout: float, sweep: bool = True) -> bool:
    """Poll, running the periodic sweeper as beat would (every second here, every minute in production)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if sweep:
            outbox_sweep()  # with the broker down it logs and leaves the rows for the next round
        time.sleep(1)
    return condition()


def duplicates_report(sink, recipients: set[str]) -> dict:
    by_recipient: dict[str, set[str]] = {}
    for message in sink.messages:
        by_recipient.setdefault(message["To"], set()).add(message["Message-ID"])
    per_id = Counter(message["Message-ID"] for message in sink.messages)
    return {
        "messages": len(sink.messages),
        "recipients_reached": len(set(by_recipient) & recipients),
        "lost": len(recipients - set(by_recipient)),
        "duplicates": sum(count - 1 for count in per_id.values()),
        "recipients_with_two_message_ids": sum(1 for ids in by_recipient.values() if len(ids) > 1),
        "unexpected_recipients": sorted(set(by_recipient) - recipients),
    }


def test_a_campaign_survives_three_sigkills_of_the_worker(artifact):
    require_postgres_and_redis()
    flush(WORKER_BROKER)
    controller, sink = start_sink(delay=0.01)
    campaign = audience(1000, extra_pending=25, extra_unsubscribed=25)
    worker = celery_worker(worker_env(WORKER_BROKER, controller.port), log=artifact("worker-sigkill.log")).start()
    kills = 0
    try:
        with real_broker(WORKER_BROKER):
            campaign_send(campaign=campaign)
            for threshold in (150, 400, 650):
                assert wait_until(lambda t=threshold: len(sink.messages) >= t, 60, sweep=False)
                worker.kill()
                kills += 1
                worker.start()
            assert wait_until(lambda: sent_count(campaign) == 1000, 120), summary()
    finally:
        worker.stop()
        controller.stop()
    recipients = {f"e{n}@example.org" for n in range(1000)}
    report = duplicates_report(sink, recipients)
    report["kills"] = kills
    print("\nSIGKILL reliability:", json.dumps(report))
    with open(artifact("reliability-sigkill.json"), "w") as out:
        json.dump(report, out, indent=2)
    assert kills == 3
    assert report["lost"] == 0
    assert report["unexpected_recipients"] == []  # no pending or unsubscribed address was mailed
    # A duplicate happens only between the server's 250 and the row being marked sent, and then
    # carries the same Message-ID: no recipient ever got two different messages.
    assert report["recipients_with_two_message_ids"] == 0
    # At most the mail in flight on each SMTP connection of each killed child (2 children here).
    assert report["duplicates"] <= 3 * 2 * settings.OUTBOX_SMTP_CONNECTIONS


def test_a_redis_outage_loses_nothing_and_the_web_keeps_answering(artifact):
    require_postgres_and_redis()
    import shutil

    require_service("redis-server", bool(shutil.which("redis-server")), "apt-get install redis-server")
    broker = redis_server(OUTAGE_PORT, log=artifact("redis-outage.log")).start()
    assert wait_until(lambda: redis_available(OUTAGE_BROKER), 10, sweep=False)
    controller, sink = start_sink(delay=0.02)
    campaign = audience(300)
    worker = celery_worker(worker_env(OUTAGE_BROKER, controller.port), log=artifact("worker-outage.log")).start()
    statuses = []
    try:
        with real_broker(OUTAGE_BROKER):
            campaign_send(campaign=campaign)
            assert wait_until(lambda: len(sink.messages) >= 60, 60, sweep=False)
            broker.stop()
            outage_ends = time.monotonic() + 30
            web = Client()
            number = 0
            while time.monotonic() < outage_ends:
                number += 1
                statuses.append(web.get("/network/join/").status_code)
                join = {
                    "name": f"Outage {number}",
                    "email": f"outage{number}@example.org",
                    "country": "CO",
                    "preferred_language": "en",
                    "consent": "on",
                }
                statuses.append(web.post("/network/join/", join).status_code)
                outbox_sweep()
                time.sleep(1)
            broker.start()
            assert wait_until(lambda: redis_available(OUTAGE_BROKER), 10, sweep=False)
            joined = Explorer.objects.filter(email__startswith="outage").count()
            assert wait_until(
                lambda: (
                    sent_count(campaign) == 300
                    and Delivery.objects.filter(kind="confirmation", state="sent").count() == joined
                ),
                120,
            ), repr(summary())
    finally:
        worker.stop()
        controller.stop()
        broker.stop()
    report = duplicates_report(
        sink, {f"e{n}@example.org" for n in range(300)} | {f"outage{n}@example.org" for n in range(1, joined + 1)}
    )
    report["web_requests_during_outage"] = len(statuses)
    print("\nRedis outage reliability:", json.dumps(report))
    assert statuses and max(statuses) < 500
    assert report["lost"] == 0
    assert report["recipients_with_two_message_ids"] == 0


def task_kwargs(raw: bytes) -> dict:
    """The keyword arguments of a task message as Celery's Redis transport stores it."""
    envelope = json.loads(raw)
    return json.loads(base64.b64decode(envelope["body"]))[1]


def test_rolled_back_transactions_enqueue_nothing_and_committed_ones_exactly_one_task_each():
    require_service("Redis", redis_available(COUNTING_BROKER), COUNTING_BROKER)
    import redis

    flush(COUNTING_BROKER)
    queue = redis.Redis.from_url(COUNTING_BROKER)

    class Rollback(Exception):
        pass

    def write(number: int):
        return delivery_create(
            mail=Mail(recipient=f"r{number}@example.org", subject="s", body_text="b"),
            kind=Delivery.Kind.NOTIFICATION,
            period=str(number),
        )

    with real_broker(COUNTING_BROKER):
        for number in range(100):
            with pytest.raises(Rollback), transaction.atomic():
                write(number)
                raise Rollback
        assert queue.llen("celery") == 0
        assert not Delivery.objects.exists()
        ids = []
        for number in range(100):
            with transaction.atomic():
                ids.append(write(number).pk)
        assert queue.llen("celery") == 100
        published = [task_kwargs(raw)["delivery_ids"] for raw in queue.lrange("celery", 0, -1)]
    flush(COUNTING_BROKER)
    assert sorted(batch[0] for batch in published) == sorted(ids)
