"""A local SMTP server for the tests (aiosmtpd), scripted to refuse as real servers do."""

from __future__ import annotations

import email
import email.policy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.support import free_port


@dataclass
class FakeMailServer:
    """Accepts everything unless told otherwise: ``data_answers`` are given, in order, to the
    next messages (then "250"); ``refused`` recipients get ``refusal`` at RCPT time."""

    host: str = "127.0.0.1"
    port: int = 0
    data_answers: list[str] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)
    refusal: str = "550 5.1.1 No such user here"
    received: list[EmailMessage] = field(default_factory=list)
    attempts: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() in self.refused:
            return self.refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.attempts += 1
            if self.data_answers:
                return self.data_answers.pop(0)
            # UTF-8 headers (SMTPUTF8) are read as such; the bodies are 7-bit or base64.
            message = email.message_from_string(envelope.content.decode("utf-8"), policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            self.received.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.received if address in str(m["To"])]

    def settings(self) -> dict[str, Any]:
        """The app's settings that send through this server."""
        return {
            "smtp_host": self.host,
            "smtp_port": self.port,
            "smtp_tls": "none",
            "smtp_from_address": "events@example.org",
            "smtp_from_name": "Rencontre tests",
            "smtp_rate_per_minute": 10_000,
            "smtp_retry_seconds": 0,
            "smtp_poll_seconds": 0.2,
            "smtp_timeout_seconds": 10,
        }


@contextmanager
def fake_mail_server() -> Iterator[FakeMailServer]:
    server = FakeMailServer(port=free_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
