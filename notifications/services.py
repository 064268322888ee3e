"""Who hears about what: reminders, contact requests, partner writes and the weekly digest."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from coalitions.models import Assessment, Coalition, Commitment, Engagement, Outcome
from explorers_network.models import ContactRequest
from outbox.models import Delivery
from outbox.services import Mail, delivery_create
from stakeholders.models import Stakeholder

from . import messages
from .models import Kind, Notification, Preference

UNFINISHED = [Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS]
#: Follow-ups older than this are not reminded any more (a new staff member gets no flood).
FOLLOW_UP_LOOKBACK_DAYS = 14


@dataclass(frozen=True)
class Event:
    """What happened: a message of `notifications.messages` and its values, written in the
    reader's language only when shown (the notification) or sent (the mail)."""

    kind: str
    key: str
    message: str
    params: dict = field(default_factory=dict)
    body: str = ""
    url: str = ""

    @property
    def title(self) -> str:
        return messages.title(self.message, self.params)

    @property
    def body_text(self) -> str:
        return messages.body(self.message, self.params, self.body)


def staff_members() -> QuerySet:
    return get_user_model().objects.filter(is_active=True, role="staff", is_superuser=False)


def staff_for_countries(country_ids: Iterable[int]) -> list:
    """Staff of these country teams; all staff when no team covers them (someone must hear of it)."""
    team = list(staff_members().filter(country_teams__in=list(country_ids)).distinct())
    return team or list(staff_members())


def _preferences(user) -> dict[str, Preference]:
    return {pref.kind: pref for pref in user.notification_preferences.all()}


def notification_send(*, user: User, event: Event, preferences: dict[str, Preference] | None = None) -> bool:
    """In-app and/or mail, as the user chose; False when this event was already notified."""
    preferences = _preferences(user) if preferences is None else preferences
    pref = preferences.get(event.kind)
    in_app = pref.in_app if pref else True
    by_email = pref.by_email if pref else True
    created = False
    if in_app:
        try:
            with transaction.atomic():
                Notification.objects.create(
                    user=user,
                    kind=event.kind,
                    key=event.key,
                    message=event.message,
                    params=event.params,
                    body=event.body,
                    url=event.url,
                )
            created = True
        except IntegrityError:
            pass
    if by_email and user.email:
        language = user.preferred_language or "en"
        with translation.override(language):
            context = {"user": user, "event": event, "site_url": _site_url()}
            mail = Mail(
                recipient=user.email,
                language=language,
                subject=event.title,
                body_text=render_to_string("notifications/mail/notification.txt", context),
            )
        kind = Delivery.Kind.DIGEST if event.kind == Kind.DIGEST else Delivery.Kind.NOTIFICATION
        created = delivery_create(mail=mail, kind=kind, period=f"{event.kind}:{event.key}"[:60]) is not None or created
    return created


def _site_url() -> str:
    from django.conf import settings

    return settings.SITE_URL


def _user_events(user, today: datetime.date) -> list[Event]:
    countries = user.team_country_ids
    events = []
    follow_ups = Engagement.objects.in_countries(countries).filter(
        follow_up_on__lte=today, follow_up_on__gte=today - datetime.timedelta(days=FOLLOW_UP_LOOKBACK_DAYS)
    )
    for engagement in follow_ups.only("pk", "title", "follow_up_on", "follow_up"):
        events.append(
            Event(
                Kind.FOLLOW_UP,
                f"engagement-{engagement.pk}-{engagement.follow_up_on}",
                "follow_up_due",
                {"title": engagement.title},
                engagement.follow_up,
                engagement.get_absolute_url(),
            )
        )
    commitments = Commitment.objects.in_countries(countries).filter(status__in=UNFINISHED)
    for commitment in commitments.filter(due_on=today + datetime.timedelta(days=7)).select_related("coalition"):
        events.append(
            Event(
                Kind.COMMITMENT_DUE,
                f"commitment-{commitment.pk}-due-{commitment.due_on}",
                "commitment_due",
                {"commitment": str(commitment)},
                str(commitment.coalition),
                commitment.get_absolute_url(),
            )
        )
    for commitment in commitments.filter(due_on__lt=today).select_related("coalition"):
        events.append(
            Event(
                Kind.COMMITMENT_OVERDUE,
                f"commitment-{commitment.pk}-overdue-{commitment.due_on}",
                "commitment_overdue",
                {"date": commitment.due_on.isoformat(), "commitment": str(commitment)},
                str(commitment.coalition),
                commitment.get_absolute_url(),
            )
        )
    return events


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Follow-ups due and commitments due in 7 days or overdue, once per event and person."""
    today = today or timezone.localdate()
    count = 0
    for user in staff_members().prefetch_related("country_teams", "notification_preferences"):
        preferences = _preferences(user)
        for event in _user_events(user, today):
            count += notification_send(user=user, event=event, preferences=preferences)
    return count


def digest_period(today: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """The last complete ISO week before `today`: its label and first and last day."""
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}", monday, monday + datetime.timedelta(days=6)


def digest_figures(*, user: User, start: datetime.date, end: datetime.date) -> dict:
    countries = user.team_country_ids
    window = {"created_at__date__gte": start, "created_at__date__lte": end}
    assessments = Assessment.objects.in_countries(countries).filter(assessed_on__gte=start, assessed_on__lte=end)
    earlier_other_stance = Assessment.objects.filter(
        stakeholder=OuterRef("stakeholder"),
        initiative=OuterRef("initiative"),
        assessed_on__lt=OuterRef("assessed_on"),
    ).exclude(stance=OuterRef("stance"))
    return {
        "stakeholders": Stakeholder.objects.in_countries(countries).filter(**window).count(),
        "engagements": Engagement.objects.in_countries(countries).filter(occurred_on__range=(start, end)).count(),
        "outcomes": Outcome.objects.in_countries(countries).filter(**window).count(),
        "assessments_moved": assessments.filter(Exists(earlier_other_stance)).count(),
    }


def digests_send(*, today: datetime.date | None = None) -> int:
    """One digest per staff member per week; a second run for the same week sends nothing."""
    label, start, end = digest_period(today or timezone.localdate())
    count = 0
    for user in staff_members().prefetch_related("country_teams", "notification_preferences"):
        if not user.team_country_ids:
            continue
        figures = digest_figures(user=user, start=start, end=end)
        params = {"week": label, "figures": figures, "start": start.isoformat(), "end": end.isoformat()}
        event = Event(Kind.DIGEST, f"digest-{label}", "digest", params)
        count += notification_send(user=user, event=event)
    return count


@transaction.atomic
def contact_request_notify(*, contact_request: ContactRequest) -> None:
    """Tell the staff of the request's country, and mark the request told (in one transaction).

    Safe to run twice (each person's notification and mail are unique per request), which the
    sweep below relies on when it races the task.
    """
    from countries.models import Country
    from explorers_network.models import ContactRequest

    country_ids = Country.objects.filter(code=contact_request.country).values_list("pk", flat=True)
    for user in staff_for_countries(country_ids):
        event = Event(
            Kind.CONTACT_REQUEST,
            f"contact-{contact_request.pk}",
            "contact_request",
            {"name": contact_request.name, "country": contact_request.country},
            contact_request.message[:500],
            contact_request.get_absolute_url(),
        )
        notification_send(user=user, event=event)
    ContactRequest.objects.filter(pk=contact_request.pk).update(staff_notified_at=timezone.now())


def contact_requests_notify_missed(*, now: datetime.datetime | None = None) -> int:
    """Tell staff of the contact requests whose notification task never ran (a broker outage
    dropped it); run by beat. A request gets OUTBOX_STUCK_SECONDS for its own task first."""
    from django.conf import settings

    from explorers_network.models import ContactRequest

    now = now or timezone.now()
    missed = ContactRequest.objects.filter(
        staff_notified_at__isnull=True,
        created_at__lt=now - datetime.timedelta(seconds=settings.OUTBOX_STUCK_SECONDS),
    ).order_by("pk")
    count = 0
    for contact_request in missed.iterator():
        contact_request_notify(contact_request=contact_request)
        count += 1
    return count


def partner_write_notify(*, coalition_id: int, user: User, action: str, obj: Model) -> None:
    """Tell the coalition's country team that a partner changed something through the API.

    Call from the API after a successful write, e.g. in `perform_create`:
    `transaction.on_commit(lambda: partner_write_notify(coalition_id=..., user=request.user,
    action="created", obj=instance))`. Staff writes are not notified.
    """
    if not getattr(user, "is_partner", False):
        return
    coalition = Coalition.objects.select_related("initiative").get(pk=coalition_id)
    params = {
        "organisation": str(user.organisation or user),
        "action": action,
        "model": obj._meta.label_lower,
        "object": str(obj),
        "coalition": str(coalition),
    }
    key = f"{obj._meta.label_lower}-{obj.pk}-{action}-{timezone.now():%Y%m%d%H%M%S%f}"[:120]
    for member in staff_for_countries([coalition.initiative.country_id]):
        event = Event(Kind.PARTNER_WRITE, key, "partner_write", params, url=coalition.get_absolute_url())
        notification_send(user=member, event=event)
