"""Who is writing, and through what: set once by each entry point, read whenever a row is written.

- requests: `HistoryMiddleware` (the channel, user and API token are read from the request when
  a row is written, so token authentication done by the API view is seen);
- management commands: `manage.py` for every command (Django's too; `shell` is the "shell"
  channel), and `core.management.base.RecordedCommand` for the project's own commands, so
  `call_command` is recorded the same way;
- Celery tasks in a worker: the task's name (a task run in-process keeps its caller's context);
- anything else (a script, a test): `history_context(...)`, or the "system" channel.

Contexts nest: an inner one overrides only what it names (an importer adds its `source` to the
admin request it runs in). Nothing here imports models, so `manage.py` can use it before setup.
"""

import contextlib
import dataclasses
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from core.client_ip import client_ip

PAGE, API, ADMIN, COMMAND, SHELL, TASK, SYSTEM = "page", "api", "admin", "command", "shell", "task", "system"
SHELL_COMMANDS = frozenset({"shell", "shell_plus", "dbshell"})


@dataclasses.dataclass(frozen=True)
class HistoryContext:
    """What a write is attributed to. Empty values are read from `request`, when there is one."""

    channel: str = ""
    source: str = ""
    actor: Any = None
    actor_set: bool = False
    request: Any = None
    request_id: str = ""

    def attribution(self) -> dict[str, Any]:
        """The ObjectChange fields for a write made now: channel, source, actor, request id, address."""
        channel, source, actor, address = self.channel, self.source, self.actor, None
        request = self.request
        if request is not None:
            request_channel, request_source = _channel_of(request)
            channel = channel or request_channel
            source = source or request_source
            if not self.actor_set:
                user = getattr(request, "user", None)
                actor = user if getattr(user, "is_authenticated", False) else None
            address = client_ip(request)
        return {
            "channel": channel or SYSTEM,
            "source": source[:200],
            "actor": actor,
            "actor_email": (getattr(actor, "email", "") or None) if actor is not None else None,
            "cid": self.request_id or None,
            "remote_addr": address,
        }


_current: ContextVar[HistoryContext | None] = ContextVar("history_context", default=None)


def current() -> HistoryContext:
    return _current.get() or HistoryContext()


_UNSET = object()


@contextlib.contextmanager
def history_context(
    *, channel: str = "", source: str = "", actor: Any = _UNSET, request: Any = None
) -> Iterator[HistoryContext]:
    """Attribute the writes made inside to `channel`/`source`/`actor` (or to `request`).

    A request starts afresh (a development server run by `manage.py` is not a command); any
    other context keeps what the outer one says unless it names a new value.
    """
    outer = _current.get()
    if request is not None or outer is None:
        context = HistoryContext(request=request, request_id=uuid.uuid4().hex)
    else:
        context = outer
    changes: dict[str, Any] = {}
    if channel:
        changes["channel"] = channel
    if source:
        changes["source"] = source
    if actor is not _UNSET:
        changes.update(actor=actor, actor_set=True)
    context = dataclasses.replace(context, **changes)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def command_context(argv: list[str]) -> contextlib.AbstractContextManager:
    """The context of `manage.py <command> ...`: the command's name; `shell` is its own channel."""
    name = argv[1] if len(argv) > 1 else "help"
    return history_context(channel=SHELL if name in SHELL_COMMANDS else COMMAND, source=name)


def _channel_of(request) -> tuple[str, str]:
    match = getattr(request, "resolver_match", None)
    namespace = match.namespaces[0] if match is not None and match.namespaces else ""
    if namespace == "api":
        token_key = getattr(getattr(request, "auth", None), "token_key", "")
        return API, f"token {token_key}" if token_key else "session"
    if namespace == "admin":
        return ADMIN, request.path
    return PAGE, request.path


class HistoryMiddleware:
    """Every write made while serving a request is attributed to it (after AuthenticationMiddleware)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        with history_context(request=request):
            return self.get_response(request)


_task_tokens: dict[str, Any] = {}


def task_started(task_id=None, task=None, **kwargs) -> None:
    """Celery's task_prerun: a task in a worker writes as itself; one run in-process keeps its caller."""
    if _current.get() is None and task_id is not None:
        context = HistoryContext(channel=TASK, source=getattr(task, "name", ""), request_id=task_id)
        _task_tokens[task_id] = _current.set(context)


def task_finished(task_id=None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _current.reset(token)
