"""Writing mails to the outbox and sending them: claim, send over one connection, record the result."""

import contextlib
import datetime
import functools
import itertools
import json
import logging
import queue
import re
import secrets
import smtplib
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.policy import Compat32, compat32

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.bulk import can_copy, copy_rows
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


def deliveries_create_many(
    *, mails: Iterable[Mail], kind: str, campaign_id: int | None = None, period: str = ""
) -> None:
    """Write many mails to the outbox at once, skipping those whose (recipient, campaign) or
    (recipient, kind, period) is there already, as `delivery_create` does one by one.

    Enqueuing them is the caller's (`deliveries_enqueue`, after this commits). On PostgreSQL the
    rows go through COPY into a temporary table and one INSERT ... ON CONFLICT DO NOTHING from
    there: `bulk_create` prepares every value of every row through the field machinery, which for
    a campaign to the whole network cost more than the database's work.
    """
    now = timezone.now()
    common = {"kind": kind, "campaign_id": campaign_id, "period": period, "created_at": now, "updated_at": now}
    if not can_copy():
        rows = (
            Delivery(
                recipient=mail.recipient.strip().lower(),
                language=mail.language,
                subject=mail.subject,
                body_text=mail.body_text,
                body_html=mail.body_html,
                headers=mail.headers,
                not_before=now,
                **common,
            )
            for mail in mails
        )
        Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        return
    fixed = {**common, "state": Delivery.State.PENDING, "attempts": 0, "not_before": now, "last_error": ""}
    fixed |= {"lease_until": None, "sent_at": None}
    per_mail = ["recipient", "language", "subject", "body_text", "body_html", "headers"]
    names = [*per_mail, *fixed]
    fixed_values = list(fixed.values())
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Delivery._meta.get_field(name).column) for name in names)
    table = quote(Delivery._meta.db_table)
    mails = iter(mails)

    def values(mail: Mail) -> list:
        recipient = mail.recipient.strip().lower()
        body = [recipient, mail.language, mail.subject, mail.body_text, mail.body_html, json.dumps(mail.headers)]
        return body + fixed_values

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE outbox_delivery_new ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608 - the model's own columns
        )
        # In chunks made before each COPY: the mails may come from a query still being read on
        # this connection (a server-side cursor), which cannot answer while a COPY is running.
        while chunk := [values(mail) for mail in itertools.islice(mails, 5000)]:
            copy_rows(cursor, "outbox_delivery_new", names, chunk, nullable=["campaign_id", "lease_until", "sent_at"])
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM outbox_delivery_new ON CONFLICT DO NOTHING"  # noqa: S608
        )
        cursor.execute("DROP TABLE outbox_delivery_new")


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


@functools.lru_cache(maxsize=256)
def _folded(linesep: str, max_line_length: int | None, cte_type: str, name: str, value: str) -> bytes:
    return compat32.clone(linesep=linesep, max_line_length=max_line_length, cte_type=cte_type).fold_binary(name, value)


class _RememberedFolding(Compat32):
    """compat32, the policy of every message Django builds, remembering the header lines it folded.

    Folding a header (`email.header.Header.encode`) is most of the CPU of turning a message into
    bytes, and most headers of a campaign's mails are the same in each one (Subject, From, List-Id,
    the parts' Content-Type...): each is folded once per worker process, not once per mail. The
    result is a pure function of the policy's settings, the name and the value, which are the key.
    """

    def fold_binary(self, name, value):
        if not isinstance(value, str):  # an email.header.Header: folded as compat32 always does
            return super().fold_binary(name, value)
        return _folded(self.linesep, self.max_line_length, self.cte_type, name, value)


_REMEMBERED_FOLDING = _RememberedFolding()


class _OutboxMessage(EmailMultiAlternatives):
    """Django's message, with two costs of building it taken out; the bytes are what Django would
    send (outbox/tests/test_message_bytes.py), but for the boundary's random part.

    - The multipart boundary is chosen here: the mail library's own choice compiles a regular
      expression per message to check that its random boundary is not in the text; here the
      bodies are searched for it as plain strings, and the library chooses should it be there.
    - Header lines are folded through `_RememberedFolding`.
    """

    def message(self):
        msg = super().message()
        msg.policy = _REMEMBERED_FOLDING
        if msg.is_multipart():
            boundary = f"=============={secrets.token_hex(16)}=="
            texts = [self.body, *(alternative.content for alternative in self.alternatives)]
            if not any(boundary in text for text in texts if isinstance(text, str)):
                msg.set_boundary(boundary)
        return msg


def _message(delivery: Delivery, smtp) -> EmailMultiAlternatives:
    # Cleaned again for rows written without a `Mail` (bulk paths, rows older than the cleaning).
    headers = {"Message-ID": delivery.message_id}
    headers.update((header_value(name), header_value(value)) for name, value in delivery.headers.items())
    message = _OutboxMessage(
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
    """Send the claimable rows among `ids` over OUTBOX_SMTP_CONNECTIONS connections; returns counts by result.

    Each outcome is recorded (by this thread, on its database connection) as soon as the server
    answers, before that connection sends its next mail: a killed worker has at most one mail in
    flight per connection, and those are the only ones it can send twice (same Message-ID).
    """
    rows = _claim(ids)
    result = {"sent": 0, "retry": 0, "failed": 0, "cancelled": 0}
    logger.debug("Claimed %d of %d deliveries", len(rows), len(ids))
    if not rows:
        return result
    suppressed = _suppressed_hashes(rows)
    lease = _Lease(rows)
    with _asynchronous_commit():
        to_send = []
        for delivery in rows:
            if _is_suppressed(delivery, suppressed.get(email_hash(delivery.recipient), set())):
                _finish(delivery, state=Delivery.State.CANCELLED, last_error="suppressed")
                result["cancelled"] += 1
                lease.done(delivery)
            else:
                to_send.append(delivery)
        for delivery, error in _sending(to_send, connections=settings.OUTBOX_SMTP_CONNECTIONS):
            lease.renew_if_due()
            _record_outcome(delivery, error, result)
            lease.done(delivery)
    campaign_ids = sorted({delivery.campaign_id for delivery in rows if delivery.campaign_id is not None})
    if campaign_ids:
        deliveries_sent.send(sender=Delivery, campaign_ids=campaign_ids)
    return result


def _record_outcome(delivery: Delivery, error: Exception | None, result: dict[str, int]) -> None:
    if error is None:
        _mark_sent(delivery)
        result["sent"] += 1
    elif isinstance(error, smtplib.SMTPException | OSError):
        code = _smtp_code(error)
        if code is not None and 500 <= code < 600:
            _finish(delivery, state=Delivery.State.FAILED, last_error=f"{code} {error}"[:500])
            suppression_add(address=delivery.recipient, reason=Suppression.Reason.BOUNCED)
            result["failed"] += 1
        else:
            _retry_later(delivery, f"{code or ''} {error}".strip())
            result["retry"] += 1
    else:
        # Not the server's answer but this row (a header the mail library refuses, an address it
        # cannot encode): sending it again would fail the same way.
        _finish(delivery, state=Delivery.State.FAILED, last_error=error_text(error))
        result["failed"] += 1


class _Sender:
    """One SMTP connection, opened at the first mail and kept for the next ones."""

    def __init__(self) -> None:
        self.smtp = get_connection()
        self.is_open = False

    def send(self, delivery: Delivery) -> Exception | None:
        """None once the server accepted the mail, else what went wrong (one bad row must not stop the batch)."""
        try:
            # Opened here, not by send_messages, which would close it after each message.
            if not self.is_open:
                self.smtp.open()
                self.is_open = True
            self.smtp.send_messages([_message(delivery, self.smtp)])
        except (smtplib.SMTPException, OSError) as error:
            code = _smtp_code(error)
            if code is None or not 500 <= code < 600:
                self.close()  # 4xx or a broken connection: the next mail goes on a fresh one
            return error
        except Exception as error:
            logger.warning("Delivery %s cannot be sent: %s", delivery.pk, type(error).__name__, exc_info=True)
            self.close()  # the session may be mid-transaction; the next mail starts on a fresh one
            return error
        return None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.smtp.close()
        self.is_open = False


def _sending(deliveries: list[Delivery], *, connections: int) -> Iterator[tuple[Delivery, Exception | None]]:
    """Send `deliveries` over up to `connections` SMTP connections at once, yielding each with its
    outcome (None: accepted) as the server answers.

    A connection sends its next mail only once the caller has taken the outcome of its previous
    one (and recorded it: the caller asks for the next outcome after that). The connections are
    threads, as most of a mail's time is waiting for the server's answers; the rows, the outcomes
    and the database stay in the caller's thread.
    """
    connections = max(1, min(connections, len(deliveries)))
    if connections == 1:
        sender = _Sender()
        try:
            for delivery in deliveries:
                yield delivery, sender.send(delivery)
        finally:
            sender.close()
        return
    work = queue.SimpleQueue()
    for delivery in deliveries:
        work.put(delivery)
    answers = queue.SimpleQueue()
    stop = threading.Event()

    def connection_thread() -> None:
        sender = _Sender()
        try:
            while not stop.is_set():
                try:
                    delivery = work.get_nowait()
                except queue.Empty:
                    return
                taken = threading.Event()
                answers.put((delivery, sender.send(delivery), taken))
                taken.wait()
        finally:
            sender.close()
            answers.put(None)  # this connection is done

    threads = [threading.Thread(target=connection_thread, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    running = len(threads)
    try:
        while running:
            answer = answers.get()
            if answer is None:
                running -= 1
                continue
            delivery, error, taken = answer
            try:
                yield delivery, error
            finally:
                taken.set()
    finally:
        # Should the caller stop (a database error), no connection starts another mail: the
        # rows not sent keep their lease and the sweeper hands them out again.
        stop.set()
        while running:
            answer = answers.get()
            if answer is None:
                running -= 1
            else:
                answer[2].set()
        for thread in threads:
            thread.join()


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
