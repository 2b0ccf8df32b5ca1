"""What the app answers while PostgreSQL cannot be reached, in each way it fails to be.

A restart shows several faces in turn: connections refused while it is down, "the
database system is starting up" while it recovers, "too many clients" when everyone
reconnects at once; a network partition shows a server that never answers. Each is
a 503 with Retry-After, never a 500. The faces that need a real server to misbehave
are played by a tiny fake one speaking just enough of the PostgreSQL protocol.
"""

from __future__ import annotations

import asyncio
import logging
import struct
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from rencontre.app import create_app
from rencontre.auth import service as auth_service
from rencontre.db import create_engine, create_session_factory
from rencontre.feed.broker import InProcessBroker
from rencontre.models import Attendee
from tests.support import free_port, make_settings

_SSL_REQUEST = 80877103
_GSSENC_REQUEST = 80877104


def _error_response(sqlstate: str, message: str) -> bytes:
    fields = b"SFATAL\0VFATAL\0C" + sqlstate.encode() + b"\0M" + message.encode() + b"\0\0"
    return b"E" + struct.pack("!i", len(fields) + 4) + fields


async def _read_message(reader: asyncio.StreamReader) -> bytes:
    (length,) = struct.unpack("!i", await reader.readexactly(4))
    return await reader.readexactly(length - 4)


Behaviour = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def refusing_with(sqlstate: str, message: str) -> Behaviour:
    """A server that turns every new connection away, as PostgreSQL does with that SQLSTATE."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            startup = await _read_message(reader)
            while struct.unpack("!i", startup[:4])[0] in (_SSL_REQUEST, _GSSENC_REQUEST):
                writer.write(b"N")
                await writer.drain()
                startup = await _read_message(reader)
            writer.write(_error_response(sqlstate, message))
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    return serve


async def never_answering(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A host behind a broken network: the connection opens, then nothing ever comes."""
    try:
        await reader.read()
    finally:
        writer.close()


@asynccontextmanager
async def fake_postgres(behaviour: Behaviour | None) -> AsyncIterator[int]:
    """A port where PostgreSQL misbehaves (or, for ``None``, where nothing listens)."""
    if behaviour is None:
        yield free_port()
        return
    server = await asyncio.start_server(behaviour, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()


FACES: dict[str, Behaviour | None] = {
    "down, connection refused": None,
    "starting up": refusing_with("57P03", "the database system is starting up"),
    "shutting down": refusing_with("57P01", "terminating connection due to administrator command"),
    "too many clients": refusing_with("53300", "sorry, too many clients already"),
    "not accepting connections": refusing_with(
        "55000", 'database "rencontre" is not currently accepting connections'
    ),
    "behind a broken network": never_answering,
}


class TestDatabaseUnreachable:
    @pytest.mark.parametrize("face", list(FACES))
    async def test_503_with_retry_after(
        self, face: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        async with fake_postgres(FACES[face]) as port:
            url = f"postgresql+asyncpg://postgres@127.0.0.1:{port}/rencontre"
            settings = make_settings(tmp_path, url, db_connect_timeout=0.5)
            app = create_app(settings)
            app.state.engine = create_engine(settings)
            app.state.session_factory = create_session_factory(app.state.engine)
            app.state.broker = InProcessBroker()
            someone = Attendee(id=uuid.uuid4(), event_id=uuid.uuid4(), access_version=1)
            headers = {"Authorization": f"Bearer {auth_service.attendee_token(settings, someone)}"}
            transport = httpx.ASGITransport(app=app)
            try:
                async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                    answers = [
                        await client.get("/api/me", headers=headers),
                        await client.post(
                            "/api/scans", json={"client_id": str(uuid.uuid4()), "qr": "x"}, headers=headers
                        ),
                    ]
                    health = await client.get("/api/health")
            finally:
                await app.state.engine.dispose()
        for answer in answers:
            assert answer.status_code == 503, answer.text
            assert answer.headers["content-type"] == "application/problem+json"
            assert int(answer.headers["retry-after"]) >= 1
            assert answer.json()["detail"]
        assert health.status_code == 503
        assert health.json()["database"] == "unavailable"
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "an outage was logged as a bug"
