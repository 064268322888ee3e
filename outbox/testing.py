"""A local SMTP sink for tests and for trying mail by hand: accepts, defers (4xx) or rejects (5xx)."""

import socket
import threading
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller


class SinkHandler:
    """Keeps every accepted message; `defer[address] = n` answers 451 n times, `reject` answers 550."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
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
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_sink(port: int = 0) -> tuple[Controller, SinkHandler]:
    """Start the sink on loopback (a free port when 0); stop it with `controller.stop()`."""
    port = port or free_port()
    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, handler
