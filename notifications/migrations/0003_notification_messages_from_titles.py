"""Notifications written before messages were keyed get their message and values back from the
title they were rendered into (in English or Spanish), so they too read in the viewer's language.

A title that matches no message's text in any language is kept as it is (shown as written). The
message texts are copied here, not imported, so this migration keeps meaning what it meant.
"""

import re

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext

#: kind → (message id, the title's msgid as it was rendered)
TITLES = {
    "follow_up": ("follow_up_due", "Follow-up due: %(title)s"),
    "commitment_due": ("commitment_due", "Due in 7 days: %(commitment)s"),
    "commitment_overdue": ("commitment_overdue", "Overdue since %(date)s: %(commitment)s"),
    "digest": ("digest", "Your weekly digest, %(week)s"),
    "contact_request": ("contact_request", "New contact request from %(name)s (%(country)s)"),
    "partner_write": ("partner_write", "%(organisation)s %(action)s %(object)s in %(coalition)s"),
}
ACTIONS = ("created", "updated", "deleted")
PLACEHOLDER = re.compile(r"%\\?\((\w+)\\?\)s")


def _pattern(text: str, special: dict[str, str]) -> re.Pattern:
    def group(match):
        name = match.group(1)
        return special.get(name, f"(?P<{name}>.+)")

    return re.compile("^" + PLACEHOLDER.sub(group, re.escape(text)) + "$", re.DOTALL)


def _patterns(apps):
    """Per language: kind → (message, pattern, actions by their word, model labels by verbose name)."""
    found = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            actions = {gettext(action): action for action in ACTIONS}
            models = {str(model._meta.verbose_name): model._meta.label_lower for model in apps.get_models()}
            special = {
                "action": "(?P<action>" + "|".join(re.escape(word) for word in actions) + ")",
                "object": "(?P<verbose>.+?) “(?P<object>.*)”",
            }
            patterns = {
                kind: (message, _pattern(gettext(msgid), special)) for kind, (message, msgid) in TITLES.items()
            }
        found.append((patterns, actions, models))
    return found


def _params(notification, languages) -> tuple[str, dict] | None:
    for patterns, actions, models in languages:
        if notification.kind not in patterns:
            return None
        message, pattern = patterns[notification.kind]
        match = pattern.match(notification.title)
        if not match:
            continue
        params = match.groupdict()
        if message == "partner_write":
            label = models.get(params.pop("verbose"))
            if label is None:
                continue
            params["model"] = label
            params["action"] = actions[params["action"]]
        return message, params
    return None


def forwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    languages = _patterns(apps)
    changed = []
    for notification in Notification.objects.filter(message="").iterator():
        found = _params(notification, languages)
        if found:
            notification.message, notification.params = found
            changed.append(notification)
    Notification.objects.bulk_update(changed, ["message", "params"], batch_size=500)


def backwards(apps, schema_editor):
    # The titles were kept: forgetting the messages gives the notifications as they were.
    apps.get_model("notifications", "Notification").objects.update(message="", params={})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_notification_message_params")]

    operations = [migrations.RunPython(forwards, backwards)]
