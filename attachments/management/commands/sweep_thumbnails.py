"""Make the thumbnails the Celery task never made, now: what beat's sweep does every 5 minutes."""

import datetime

from django.conf import settings

from attachments import services
from core.management.base import RecordedCommand


class Command(RecordedCommand):
    help = (
        "Make the missing thumbnails of image attachments (their task was lost, e.g. while the broker "
        "was down), in batches until none is left; what beat's attachment-thumbnails-sweep does."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--min-age",
            type=int,
            default=settings.ATTACHMENT_THUMBNAIL_SWEEP_AGE_SECONDS,
            help="Only images attached at least this many seconds ago (default: %(default)s; 0 for all).",
        )
        parser.add_argument(
            "--batch", type=int, default=settings.ATTACHMENT_THUMBNAIL_SWEEP_BATCH, help="Images per batch."
        )

    def handle(self, *args, min_age: int, batch: int, **options) -> None:
        total = 0
        while True:
            made = services.attachment_thumbnails_sweep(
                older_than=datetime.timedelta(seconds=min_age), batch=max(batch, 1)
            )
            total += made
            if made < max(batch, 1):  # the rest are done, or could not be made (logged)
                break
        self.stdout.write(f"{total} thumbnails made.")
