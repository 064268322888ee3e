"""The base of the project's management commands: what they write is recorded as theirs."""

from django.core.management.base import BaseCommand

from core.history.context import COMMAND, history_context


class RecordedCommand(BaseCommand):
    """A command whose writes the history attributes to it ("command", its name), however it is run.

    `manage.py` already does so for every command; this covers `call_command` (tests, other commands).
    """

    def execute(self, *args, **options):
        with history_context(channel=COMMAND, source=self.__class__.__module__.rsplit(".", 1)[-1]):
            return super().execute(*args, **options)
