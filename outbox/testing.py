"""Test helpers for mail and Celery: an SMTP sink that accepts, defers (4xx) or rejects (5xx),
a real worker process, a throw-away Redis server, and pointing this process at a real broker."""

import asyncio
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from email import message_from_bytes
from email.message import Message
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent


class SinkHandler:
    """Keeps every accepted message; `defer[address] = n` answers 451 n times, `reject` answers 550."""

    def __init__(self, delay: float = 0) -> None:
        self.delay = delay
        self.received: list[bytes] = []
        self._parsed: list[Message] = []
        self.defer: dict[str, int] = {}
        self.reject: set[str] = set()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            if address in self.reject:
                return "550 5.1.1 No such user"
            if self.defer.get(address, 0) > 0:
                self.defer[address] -= 1
                return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)  # a slow server, so a test can interrupt a batch
        with self.lock:
            self.received.append(envelope.content)
        return "250 Message accepted for delivery"

    @property
    def count(self) -> int:
        """How many messages were accepted, without parsing them."""
        with self.lock:
            return len(self.received)

    @property
    def messages(self) -> list[Message]:
        """Every accepted message, parsed when first asked for, not in the server's loop: there it
        took about a third of the sink's CPU per mail, CPU that the senders measured with it (bench,
        on the same cores) need."""
        with self.lock:
            for raw in self.received[len(self._parsed) :]:
                self._parsed.append(message_from_bytes(raw))
            return list(self._parsed)

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_sink(port: int = 0, delay: float = 0) -> tuple[Controller, SinkHandler]:
    """Start the sink on loopback (a free port when 0); stop it with `controller.stop()`."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command
    port = port or free_port()
    handler = SinkHandler(delay)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, handler


def redis_available(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _drop_connections(app) -> None:
    """Forget pooled connections made for the previous broker URL (Celery caches them)."""
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    # kombu keeps producer pools in a process-wide registry keyed by broker URL; one left from
    # an earlier broker (CI sets CELERY_BROKER_URL) wraps a closed connection pool.
    pools.reset()


@contextlib.contextmanager
def real_broker(url: str):
    """Publish tasks to a real broker from this process (tests run eager otherwise)."""
    from django.conf import settings

    from config.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager, settings.CELERY_TASK_ALWAYS_EAGER)
    # Celery prefers the CELERY_BROKER_URL environment variable (set in CI) to its configuration.
    saved_env = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _drop_connections(app)
    try:
        yield app
    finally:
        _drop_connections(app)
        app.conf.broker_url, app.conf.task_always_eager, settings.CELERY_TASK_ALWAYS_EAGER = saved
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env


class Process:
    """A child process in its own session, so SIGKILL reaches it and every child it forked."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None, log: str | None = None) -> None:
        self.args = args
        self.env = {**os.environ, **(env or {})}
        self.log = log
        self.popen: subprocess.Popen | None = None
        self.output = None

    def start(self) -> "Process":
        self.output = open(self.log, "ab") if self.log else None  # noqa: SIM115 (kept open while running)
        self.popen = subprocess.Popen(  # noqa: S603 (fixed arguments from the test)
            self.args,
            env=self.env,
            cwd=ROOT,
            stdout=self.output or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def _closed(self) -> None:
        if self.output:
            self.output.close()
            self.output = None

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, no acks, exactly what a crash or an OOM kill does."""
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)
        self._closed()

    def stop(self, timeout: float = 15) -> None:
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self._closed()


def celery_worker(env: dict[str, str], log: str | None = None, concurrency: int = 2) -> Process:
    args = [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO"]
    args += ["--concurrency", str(concurrency), "--without-mingle", "--without-gossip", "--without-heartbeat"]
    return Process(args, env, log)


def redis_server(port: int, log: str | None = None) -> Process:
    """A throw-away Redis without persistence, so stopping it loses every queued task."""
    args = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    return Process(args, log=log)
