"""Starting a Celery task once the surrounding transaction commits: the one way services start tasks.

A task takes ids, loads rows and calls a service (STYLE.md 9); so `tasks.py` imports
`services.py`, and a service that starts a task names it instead of importing it. The name is
looked up in the Celery app's registry when the transaction commits, so a worker never looks
for a row that does not exist yet and a rolled-back transaction starts nothing.
"""

import importlib
import logging

from celery import current_app
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_after_commit(task_name: str, **kwargs) -> None:
    """Publish the task `task_name` ("outbox.tasks.deliveries_send") with `kwargs` after the commit.

    Without a broker (`CELERY_TASK_ALWAYS_EAGER`, `make run` and the tests) the task runs
    in-process then, and its errors propagate. With one, publishing is retried briefly
    (`OUTBOX_PUBLISH_RETRY`); a broker that stays down is logged, never a 500, because the work
    has a database row that a periodic job (config/settings.py, CELERY_BEAT_SCHEDULE) picks up
    again:

    - `outbox.tasks.deliveries_send`: the Delivery rows, swept by `outbox.tasks.outbox_sweep`;
    - `explorers_network.tasks.start_campaign`: the campaign, scheduled, started by
      `campaigns_start_due`;
    - `notifications.tasks.contact_request_notify`: the ContactRequest without
      `staff_notified_at`, told by `contact_requests_notify_missed`;
    - `attachments.tasks.attachment_thumbnail_create`: the image Attachment without a thumbnail,
      made by `attachment_thumbnails_sweep`;
    - `trends.tasks.report_run_build`: the ReportRun still queued, queued again by
      `report_runs_expire`;
    - reminders and digests are beat's own jobs, hourly and once per period, so a run the
      broker missed is made up by the next.

    One exception, on purpose: `accounts.tasks.send_password_reset` has no row. Keeping one
    would mean storing every address anyone types into the form, also of people with no account
    (the task decides that, so the request does the same work either way), to send a link
    that is stale by the time an outage ends; the person is at the screen and asks again.
    """

    def publish() -> None:
        task = registered_task(task_name)
        try:
            task.apply_async(kwargs=kwargs, retry=True, retry_policy=settings.OUTBOX_PUBLISH_RETRY)
        except Exception:
            if settings.CELERY_TASK_ALWAYS_EAGER:
                raise
            # The names of the arguments only: their values can be personal data (an address).
            logger.warning(
                "Broker unavailable; %s(%s) left for the periodic sweep", task_name, ", ".join(kwargs), exc_info=True
            )

    transaction.on_commit(publish)


def registered_task(task_name: str):
    """The task registered under `task_name`, importing its module first if no one has yet."""
    tasks = current_app.tasks
    if task_name not in tasks:
        importlib.import_module(task_name.rpartition(".")[0])  # registers its @shared_task functions
    return tasks[task_name]
