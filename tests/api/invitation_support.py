"""Shared by the invitation tests: an app that mails through a local SMTP server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rencontre.config import Settings
from rencontre.invitations.sender import InvitationSender
from rencontre.models import Event
from tests.smtp_server import FakeMailServer, fake_mail_server
from tests.support import make_settings


@pytest.fixture
def mail_server() -> Iterator[FakeMailServer]:
    with fake_mail_server() as server:
        yield server


@pytest.fixture
def settings(database_url: str, tmp_path: Path, mail_server: FakeMailServer) -> Settings:
    return make_settings(tmp_path, database_url, **mail_server.settings())


@pytest.fixture
def sender(settings: Settings, session_factory: async_sessionmaker[AsyncSession]) -> InvitationSender:
    return InvitationSender(settings, session_factory)


def part(message: EmailMessage, subtype: str) -> str:
    body = message.get_body(preferencelist=(subtype,))
    assert body is not None, f"no text/{subtype} part"
    content = body.get_content()
    assert isinstance(content, str)
    return content


def inline_images(message: EmailMessage) -> dict[str, bytes]:
    """The message's inline images by Content-ID, without its angle brackets."""
    found: dict[str, bytes] = {}
    for item in message.walk():
        if item.get_content_type() == "image/png":
            assert isinstance(item, EmailMessage)
            payload = item.get_content()
            assert isinstance(payload, bytes)
            found[str(item["Content-ID"]).strip("<>")] = payload
    return found


def join_token(link: str) -> str:
    return link.split("/join#", 1)[1]


async def invite(
    client: httpx.AsyncClient, event: Event, headers: dict[str, str], **body: Any
) -> httpx.Response:
    return await client.post(f"/api/events/{event.id}/invitations", json=body, headers=headers)


async def shown(
    client: httpx.AsyncClient, event: Event, attendee_id: uuid.UUID, headers: dict[str, str]
) -> dict[str, Any]:
    response = await client.get(f"/api/events/{event.id}/attendees/{attendee_id}", headers=headers)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body
