"""The texts of notifications, written in the reader's language when shown or mailed.

A notification stores which message it is (`Notification.message`) and its values
(`Notification.params`: names, ISO dates, a model's label), never a rendered sentence, so a
notification created while one language is active reads in the other to whoever views it there.
"""

import datetime
from collections.abc import Callable

from django.apps import apps
from django.template.loader import render_to_string
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def _date(value: str) -> str:
    day = parse_date(value or "")
    return date_format(day, "SHORT_DATE_FORMAT") if day else value


def _verbose_name(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def _follow_up_due(p: dict) -> str:
    return _("Follow-up due: %(title)s") % {"title": p["title"]}


def _commitment_due(p: dict) -> str:
    return _("Due in 7 days: %(commitment)s") % {"commitment": p["commitment"]}


def _commitment_overdue(p: dict) -> str:
    return _("Overdue since %(date)s: %(commitment)s") % {"date": _date(p["date"]), "commitment": p["commitment"]}


def _digest(p: dict) -> str:
    return _("Your weekly digest, %(week)s") % {"week": p["week"]}


def _contact_request(p: dict) -> str:
    return _("New contact request from %(name)s (%(country)s)") % {"name": p["name"], "country": p["country"]}


def _partner_write(p: dict) -> str:
    actions = {"created": _("created"), "updated": _("updated"), "deleted": _("deleted")}
    return _("%(organisation)s %(action)s %(object)s in %(coalition)s") % {
        "organisation": p["organisation"],
        "action": actions.get(p["action"], p["action"]),
        "object": f"{_verbose_name(p['model'])} “{p['object']}”",
        "coalition": p["coalition"],
    }


#: Each message's title, by its id (`Notification.message`).
TITLES: dict[str, Callable[[dict], str]] = {
    "follow_up_due": _follow_up_due,
    "commitment_due": _commitment_due,
    "commitment_overdue": _commitment_overdue,
    "digest": _digest,
    "contact_request": _contact_request,
    "partner_write": _partner_write,
}


def _digest_body(p: dict) -> str:
    if "figures" not in p:
        return ""
    context = {
        "figures": p["figures"],
        "start": datetime.date.fromisoformat(p["start"]),
        "end": datetime.date.fromisoformat(p["end"]),
    }
    return render_to_string("notifications/mail/digest_body.txt", context)


#: Messages whose body is written from their values too (the others' bodies quote people's own words).
BODIES: dict[str, Callable[[dict], str]] = {"digest": _digest_body}


def title(message: str, params: dict, fallback: str = "") -> str:
    """The title in the active language; `fallback` (a text stored before messages were keyed) otherwise."""
    render = TITLES.get(message)
    if render is None:
        return fallback
    try:
        return render(params)
    except (KeyError, TypeError, ValueError):
        return fallback


def body(message: str, params: dict, fallback: str = "") -> str:
    """The body in the active language where it is written from values, else the stored text."""
    render = BODIES.get(message)
    if render is None:
        return fallback
    try:
        return render(params) or fallback
    except (KeyError, TypeError, ValueError):
        return fallback
