"""The background sender: claims queued invitations, sends them over SMTP, records the outcome.

It runs in every instance of the app (started in the lifespan). The queue is in the
database, so a restart loses nothing and instances share the work; the rate per minute
is counted from the database too, so it holds for all of them together.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage

import aiosmtplib
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rencontre.auth import service as auth_service
from rencontre.config import Settings
from rencontre.db import begin_write, session_scope
from rencontre.invitations import mail, repository
from rencontre.kit.background import Repeating
from rencontre.kit.time import utcnow
from rencontre.models import InviteState

logger = logging.getLogger(__name__)

# Claimed at once, at most: the rest waits in the database, where other instances see it.
CLAIM_BATCH = 10


class MailRefused(Exception):
    """The message did not leave; ``temporary`` says whether trying again may help."""

    def __init__(self, reason: str, *, temporary: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.temporary = temporary


Transport = Callable[[EmailMessage], Awaitable[None]]


def _refusal(code: int, message: str) -> MailRefused:
    # RFC 5321 §4.2.1: 4yz is a transient failure, 5yz a permanent one.
    return MailRefused(f"{code} {message}".strip(), temporary=400 <= code < 500)


def smtp_transport(settings: Settings) -> Transport:
    async def send(message: EmailMessage) -> None:
        try:
            await aiosmtplib.send(
                message,
                hostname=settings.smtp_host,
                port=settings.smtp_port,
                username=settings.smtp_username or None,
                password=settings.smtp_password.get_secret_value() or None,
                use_tls=settings.smtp_tls == "tls",
                start_tls=settings.smtp_tls == "starttls",
                timeout=settings.smtp_timeout_seconds,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            worst = max(exc.recipients, key=lambda r: r.code)
            raise _refusal(worst.code, worst.message) from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise _refusal(exc.code, exc.message) from exc
        except OSError as exc:
            raise MailRefused(f"mail server unreachable: {exc}", temporary=True) from exc
        except aiosmtplib.SMTPException as exc:
            # Neither an answer nor the network: something the server does not offer (STARTTLS,
            # an authentication method, SMTPUTF8), a setting to change rather than a moment to wait.
            raise MailRefused(f"the mail server does not support this: {exc}", temporary=False) from exc

    return send


@dataclass
class InvitationSender:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    transport: Transport | None = None
    _loop: Repeating | None = None
    _writes: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        if self.transport is None:
            self.transport = smtp_transport(self.settings)
        # The queue waits in the database while the mail server is away.
        self._loop = Repeating("invitation-sender", self._round, self.settings.smtp_poll_seconds)

    def start(self) -> None:
        assert self._loop is not None
        self._loop.start()

    async def stop(self) -> None:
        assert self._loop is not None
        await self._loop.stop()

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncSession]:
        """A short write transaction, one at a time: the messages of a round are sent together,
        their few rows are written one after the other."""
        async with self._writes, session_scope(self.sessions) as session:
            await begin_write(session)
            yield session

    async def _round(self) -> bool:
        return await self.run_once() > 0

    async def run_once(self) -> int:
        """Send what is due and the rate allows; how many invitations were attempted."""
        now = utcnow()
        lease = timedelta(seconds=self.settings.smtp_timeout_seconds * 3 + 60)
        async with self._write() as session:
            await repository.release_stale(session, claimed_before=now - lease)
            budget = self.settings.smtp_rate_per_minute - await repository.attempts_since(
                session, now - timedelta(minutes=1)
            )
            claimed = (
                await repository.claim(session, now=now, limit=min(budget, CLAIM_BATCH)) if budget > 0 else []
            )
        # A few at once: one mail server slow to answer one message does not hold up the others.
        slots = asyncio.Semaphore(self.settings.smtp_connections)

        async def send(attendee_id: uuid.UUID) -> None:
            async with slots:
                await self._send_one(attendee_id)

        await asyncio.gather(*(send(attendee_id) for attendee_id in claimed))
        return len(claimed)

    async def _send_one(self, attendee_id: uuid.UUID) -> None:
        async with self._write() as session:
            found = await repository.claimed(session, attendee_id)
            if found is None:
                return
            attendee, event = found
            if attendee.join_link_used or attendee.deleted_at is not None:
                await repository.release(session, attendee_id)
                return
            link = auth_service.invite_link(self.settings, attendee)
            rendered = mail.render(event, attendee, link, mail.mail_language(attendee))
            attempts = attendee.invite_attempts + 1
            to_name, to_address = attendee.name, attendee.email
        assert self.transport is not None
        try:
            message = mail.build_message(
                rendered,
                link,
                to_name=to_name,
                to_address=to_address,
                from_name=self.settings.smtp_from_name,
                from_address=self.settings.smtp_from_address,
            )
            await self.transport(message)
        except MailRefused as refusal:
            await self._record_failure(attendee_id, refusal, attempts)
            return
        except Exception as exc:
            # A message that cannot even be written would fail the same way again: it
            # fails, with the reason, rather than stay claimed until its lease lapses.
            logger.exception("invitation to attendee %s could not be sent", attendee_id)
            broken = MailRefused(f"the message could not be sent: {exc}", temporary=False)
            await self._record_failure(attendee_id, broken, attempts)
            return
        async with self._write() as session:
            await repository.record(session, attendee_id, state=InviteState.sent, now=utcnow())

    async def _record_failure(self, attendee_id: uuid.UUID, refusal: MailRefused, attempts: int) -> None:
        now: datetime = utcnow()
        async with self._write() as session:
            if refusal.temporary and attempts < self.settings.smtp_max_attempts:
                delay = timedelta(seconds=self.settings.smtp_retry_seconds * 2 ** (attempts - 1))
                await repository.record(
                    session,
                    attendee_id,
                    state=InviteState.queued,
                    now=now,
                    error=refusal.reason,
                    retry_in=delay,
                )
                return
            logger.info("invitation to attendee %s failed for good: %s", attendee_id, refusal.reason)
            await repository.record(
                session, attendee_id, state=InviteState.failed, now=now, error=refusal.reason
            )
