"""Writing mails to the outbox and sending them: claim, send over one connection, record the result."""

import contextlib
import datetime
import functools
import logging
import re
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.tasks import enqueue_after_commit

from .models import Delivery, Suppression, email_hash

logger = logging.getLogger(__name__)


#: Line breaks and every other control character: in a header value they would end the header
#: (an injected `Bcc:`) or make the whole message invalid.
_HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
SUBJECT_MAX_LENGTH = Delivery._meta.get_field("subject").max_length


def header_value(text: str, *, max_length: int | None = None) -> str:
    """`text` made safe for one header line: control characters become one space, ends are trimmed.

    Every value built from user text (a contact's name in a subject, an engagement's title,
    a reply-to address) goes through this where the mail is built, so no row can carry a header
    that splits in two or that the mail library refuses.
    """
    value = _HEADER_UNSAFE.sub(" ", str(text)).strip()
    return value[:max_length].rstrip() if max_length else value


@dataclass
class Mail:
    """What to send to one address; rendered by the caller, in the recipient's language.

    The recipient, the subject and every header are cleaned here (`header_value`): callers put
    user text in them (names, titles), and this is where every mail is built.
    """

    recipient: str
    subject: str
    body_text: str
    body_html: str = ""
    language: str = "en"
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.recipient = header_value(self.recipient)
        self.subject = header_value(self.subject, max_length=SUBJECT_MAX_LENGTH)
        self.headers = {header_value(name): header_value(value) for name, value in self.headers.items()}


def mail_rendered(
    *,
    recipient: str,
    language: str,
    subject: str,
    template: str,
    context: dict,
    headers: dict[str, str] | None = None,
) -> Mail:
    """A mail whose subject (a lazy translation or plain text) and bodies (`<template>.txt` and
    `<template>.html`) are rendered in the recipient's language, whatever language this request speaks."""
    with translation.override(language):
        return Mail(
            recipient=recipient,
            language=language,
            subject=str(subject),
            body_text=render_to_string(f"{template}.txt", context),
            body_html=render_to_string(f"{template}.html", context),
            headers=headers or {},
        )


def _batches(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def deliveries_enqueue(*, ids: Iterable[int]) -> None:
    """Hand rows to the workers once the surrounding transaction commits, in batches of a few hundred.

    Enqueued after commit so a worker never looks for a row that does not exist yet, and a
    rolled-back transaction sends nothing.
    """
    ids = sorted(ids)
    for batch in _batches(ids, settings.OUTBOX_BATCH_SIZE):
        enqueue_after_commit("outbox.tasks.deliveries_send", delivery_ids=batch)


def delivery_create(*, mail: Mail, kind: str, campaign_id: int | None = None, period: str = "") -> Delivery | None:
    """Write one mail to the outbox; None when the (recipient, campaign) or (recipient, kind, period) exists."""
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                recipient=mail.recipient.strip().lower(),
                language=mail.language,
                kind=kind,
                campaign_id=campaign_id,
                period=period,
                subject=mail.subject,
                body_text=mail.body_text,
                body_html=mail.body_html,
                headers=mail.headers,
            )
    except IntegrityError:
        return None
    deliveries_enqueue(ids=[delivery.pk])
    return delivery


def suppression_add(*, address: str, reason: str) -> None:
    Suppression.objects.get_or_create(address_hash=email_hash(address), reason=reason)


def suppression_remove(*, address: str, reasons: Iterable[str]) -> None:
    """Lift a suppression after fresh, confirmed consent (a new double opt-in)."""
    Suppression.objects.filter(address_hash=email_hash(address), reason__in=list(reasons)).delete()


def _suppressed_hashes(deliveries: list[Delivery]) -> dict[str, set[str]]:
    hashes = {email_hash(d.recipient) for d in deliveries}
    found: dict[str, set[str]] = {}
    for address_hash, reason in Suppression.objects.filter(address_hash__in=hashes).values_list(
        "address_hash", "reason"
    ):
        found.setdefault(address_hash, set()).add(reason)
    return found


def _is_suppressed(delivery: Delivery, reasons: set[str]) -> bool:
    if Suppression.Reason.BOUNCED in reasons:
        return True
    return delivery.kind in Delivery.OUTREACH_KINDS and bool(reasons)


def _claim(ids: list[int]) -> list[Delivery]:
    """Take the rows no other worker holds; the lease lets the sweeper recover them if this worker dies."""
    now = timezone.now()
    lease = now + datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True).filter(pk__in=ids).claimable(now).order_by("pk")
        )
        # One UPDATE with the same values for every row: bulk_update would build a CASE per
        # row and field, which costs more CPU than sending the batch.
        Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
            state=Delivery.State.SENDING, lease_until=lease, attempts=F("attempts") + 1, updated_at=now
        )
        for row in rows:
            row.state = Delivery.State.SENDING
            row.lease_until = lease
            row.attempts += 1
            row.updated_at = now
    return rows


def _message(delivery: Delivery, smtp) -> EmailMultiAlternatives:
    # Cleaned again for rows written without a `Mail` (bulk paths, rows older than the cleaning).
    headers = {"Message-ID": delivery.message_id}
    headers.update((header_value(name), header_value(value)) for name, value in delivery.headers.items())
    message = EmailMultiAlternatives(
        subject=header_value(delivery.subject),
        body=delivery.body_text,
        to=[delivery.recipient],
        headers=headers,
        connection=smtp,
    )
    if delivery.body_html:
        message.attach_alternative(delivery.body_html, "text/html")
    return message


def _smtp_code(error: Exception) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        return max(codes) if codes else None
    return getattr(error, "smtp_code", None)


def _finish(delivery: Delivery, **fields) -> None:
    # Only the holder of the lease writes the outcome, so a late worker cannot undo a newer one.
    fields["lease_until"] = None
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING, attempts=delivery.attempts).update(
        updated_at=timezone.now(), **fields
    )


@functools.cache
def _mark_sent_sql() -> str:
    table = connection.ops.quote_name(Delivery._meta.db_table)
    return (
        f"UPDATE {table} SET state = %s, sent_at = %s, updated_at = %s, last_error = '', lease_until = NULL "  # noqa: S608 - the model's own table
        "WHERE id = %s AND state = %s AND attempts = %s"
    )


def _mark_sent(delivery: Delivery) -> None:
    """`_finish(delivery, state=SENT, ...)` for the outcome of almost every mail, as one prepared
    statement: building the same UPDATE through the ORM costs more CPU than sending the mail."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _mark_sent_sql(), [Delivery.State.SENT, now, now, delivery.pk, Delivery.State.SENDING, delivery.attempts]
        )


@contextlib.contextmanager
def _asynchronous_commit():
    """Record outcomes without waiting for each commit to reach the disk (PostgreSQL).

    Each mail's outcome is its own short transaction, so a killed worker resends at most the
    mail in flight; waiting for a WAL flush after every one of them took longer than the SMTP
    transaction. Without the wait, only a crash of the database server itself can forget the
    last fraction of a second of outcomes: those rows are still leased, the sweeper hands them
    out again, and the recipients get the same message (same Message-ID) once more. Nothing is
    ever marked sent that was not sent.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError:  # a broken connection is discarded anyway, and the setting with it
            logger.debug("Could not reset synchronous_commit", exc_info=True)


def error_text(error: BaseException) -> str:
    """What `last_error` keeps of an exception: its type and message, one line, without the SMTP
    password should a server or a library ever echo it, cut to the column's length."""
    text = header_value(f"{type(error).__name__}: {error}")
    if settings.EMAIL_HOST_PASSWORD:
        text = text.replace(settings.EMAIL_HOST_PASSWORD, "***")
    return text[: Delivery._meta.get_field("last_error").max_length]


def _retry_later(delivery: Delivery, error: str) -> None:
    if delivery.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        _finish(delivery, state=Delivery.State.FAILED, last_error=error[:500])
        return
    delay = min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (delivery.attempts - 1), 3600)
    _finish(
        delivery,
        state=Delivery.State.PENDING,
        not_before=timezone.now() + datetime.timedelta(seconds=delay),
        last_error=error[:500],
    )


#: A batch of deliveries reached an end (sent, failed or cancelled); `campaign_ids` are the campaigns
#: they belong to (answered by explorers_network, whose campaign is done when none of its mails is left).
deliveries_sent = Signal()


def deliveries_send(*, ids: list[int]) -> dict[str, int]:
    """Send the claimable rows among `ids` over one SMTP connection; returns counts by result."""
    rows = _claim(ids)
    result = {"sent": 0, "retry": 0, "failed": 0, "cancelled": 0}
    logger.debug("Claimed %d of %d deliveries", len(rows), len(ids))
    if not rows:
        return result
    suppressed = _suppressed_hashes(rows)
    smtp = get_connection()
    lease = _Lease(rows)
    needs_open = True
    with _asynchronous_commit(), contextlib.closing(smtp):
        for delivery in rows:
            lease.renew_if_due()
            if _is_suppressed(delivery, suppressed.get(email_hash(delivery.recipient), set())):
                _finish(delivery, state=Delivery.State.CANCELLED, last_error="suppressed")
                result["cancelled"] += 1
                lease.done(delivery)
                continue
            try:
                # Opened here, not by send_messages, which would close it after each message.
                if needs_open:
                    smtp.open()
                    needs_open = False
                smtp.send_messages([_message(delivery, smtp)])
            except (smtplib.SMTPException, OSError) as error:
                code = _smtp_code(error)
                if code is not None and 500 <= code < 600:
                    _finish(delivery, state=Delivery.State.FAILED, last_error=f"{code} {error}"[:500])
                    suppression_add(address=delivery.recipient, reason=Suppression.Reason.BOUNCED)
                    result["failed"] += 1
                else:
                    # 4xx or a broken connection: try again later, on a fresh connection.
                    _retry_later(delivery, f"{code or ''} {error}".strip())
                    result["retry"] += 1
                    smtp.close()
                    needs_open = True
                lease.done(delivery)
                continue
            except Exception as error:  # one bad row must not stop the batch
                # Not the server's answer but this row (a header the mail library refuses, an
                # address it cannot encode): sending it again would fail the same way.
                logger.warning("Delivery %s cannot be sent: %s", delivery.pk, type(error).__name__, exc_info=True)
                _finish(delivery, state=Delivery.State.FAILED, last_error=error_text(error))
                result["failed"] += 1
                # The session may be mid-transaction; the next row starts on a fresh one.
                smtp.close()
                needs_open = True
                lease.done(delivery)
                continue
            _mark_sent(delivery)
            result["sent"] += 1
            lease.done(delivery)
    campaign_ids = sorted({delivery.campaign_id for delivery in rows if delivery.campaign_id is not None})
    if campaign_ids:
        deliveries_sent.send(sender=Delivery, campaign_ids=campaign_ids)
    return result


class _Lease:
    """Keeps the claim on a batch alive while it is being sent, so a slow SMTP server does not
    let the sweeper hand rows this worker still holds to another worker."""

    def __init__(self, rows: list[Delivery]) -> None:
        self.pending = {row.pk: row.attempts for row in rows}
        self.renew_at = timezone.now() + datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS / 2)

    def done(self, delivery: Delivery) -> None:
        self.pending.pop(delivery.pk, None)

    def renew_if_due(self) -> None:
        now = timezone.now()
        if now < self.renew_at or not self.pending:
            return
        self.renew_at = now + datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS / 2)
        Delivery.objects.filter(pk__in=list(self.pending), state=Delivery.State.SENDING, lease_until__gte=now).update(
            lease_until=now + datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
        )


def outbox_sweep(*, now: datetime.datetime | None = None) -> int:
    """Enqueue rows no task will pick up: due retries, rows stuck pending, expired leases.

    A swept row's `updated_at` is touched, so a row still waiting in a long queue is enqueued
    again at most once per OUTBOX_STUCK_SECONDS (the claim makes extra copies harmless).
    """
    now = now or timezone.now()
    _give_up_capped(now)
    stuck_before = now - datetime.timedelta(seconds=settings.OUTBOX_STUCK_SECONDS)
    due = Q(state=Delivery.State.PENDING, not_before__lte=now)
    # A retry put back at time t with not_before > t: not enqueued since it became due.
    retry_due = Q(attempts__gt=0, updated_at__lt=F("not_before"))
    ids = list(
        Delivery.objects.filter(
            (due & (retry_due | Q(updated_at__lt=stuck_before))) | Q(state=Delivery.State.SENDING, lease_until__lt=now),
            attempts__lt=settings.OUTBOX_MAX_ATTEMPTS,
        ).values_list("pk", flat=True)
    )
    if ids:
        Delivery.objects.filter(pk__in=ids).update(updated_at=now)
    deliveries_enqueue(ids=ids)
    return len(ids)


def _give_up_capped(now: datetime.datetime) -> int:
    """Fail the rows that used every attempt without an outcome: the worker sending them stopped
    (killed, out of memory) each time, so no failure was recorded. No worker claims them any more."""
    return (
        Delivery.objects.due(now)
        .filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS)
        .update(
            state=Delivery.State.FAILED,
            lease_until=None,
            updated_at=now,
            last_error=f"Gave up after {settings.OUTBOX_MAX_ATTEMPTS} attempts without an outcome",
        )
    )
