"""On SQLite, the text of an erased account is gone from the database files, not only from queries."""

from __future__ import annotations

import asyncio
import io
import secrets
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from PIL import Image

from rencontre import migrate
from rencontre.app import create_app
from rencontre.auth import service as auth_service
from rencontre.config import Settings
from rencontre.db import create_engine, create_session_factory, create_sqlite_writer_engine
from rencontre.feed.broker import InProcessBroker
from rencontre.kit import ratelimit
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event, Organiser
from rencontre.retention import service as retention
from tests.support import Factory, make_settings


@dataclass
class OnDisk:
    client: httpx.AsyncClient
    settings: Settings
    database: Path
    event: Event
    organiser: Organiser
    anais: Attendee
    bruno: Attendee

    def raw_bytes(self) -> bytes:
        """Everything SQLite keeps on disk for this database: the file and its write-ahead log."""
        files = [self.database, self.database.with_name(self.database.name + "-wal")]
        return b"".join(path.read_bytes() for path in files if path.exists())


@pytest.fixture
async def on_disk(tmp_path: Path) -> AsyncIterator[OnDisk]:
    ratelimit.reset()
    database = tmp_path / "rencontre.db"
    settings = make_settings(tmp_path, f"sqlite+aiosqlite:///{database}")
    await asyncio.to_thread(migrate.upgrade, settings)
    engine = create_engine(settings)
    sessions = create_session_factory(engine)
    app = create_app(settings)
    app.state.engine, app.state.session_factory, app.state.broker = engine, sessions, InProcessBroker()
    async with sessions() as session:
        factory = Factory(session, settings)
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        anais = await factory.attendee(event, name="Anaïs Roux")
        bruno = await factory.attendee(event, name="Bruno Keller")
        await session.commit()
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield OnDisk(client, settings, database, event, organiser, anais, bruno)
    finally:
        await engine.dispose()


async def _note_with_marker(world: OnDisk, author: Attendee, about: Attendee) -> bytes:
    """``author`` records ``about`` with a note no other byte of the database can contain."""
    marker = f"secret-{secrets.token_hex(12)}"
    engine = create_engine(world.settings)
    try:
        async with create_session_factory(engine)() as session:
            await Factory(session, world.settings).encounter(author, about, note=f"Note: {marker}")
            await session.commit()
    finally:
        await engine.dispose()
    encoded = marker.encode()
    assert encoded in world.raw_bytes()
    return encoded


class TestErasedTextLeavesTheDisk:
    async def test_account_deletion_leaves_no_note_in_the_database_files(self, on_disk: OnDisk) -> None:
        marker = await _note_with_marker(on_disk, on_disk.bruno, on_disk.anais)
        headers = {"Authorization": f"Bearer {auth_service.attendee_token(on_disk.settings, on_disk.bruno)}"}
        response = await on_disk.client.delete("/api/me", headers=headers)
        assert response.status_code == 204
        assert marker not in on_disk.raw_bytes()

    async def test_removal_by_the_organiser_leaves_no_note_in_the_database_files(
        self, on_disk: OnDisk
    ) -> None:
        marker = await _note_with_marker(on_disk, on_disk.bruno, on_disk.anais)
        headers = {
            "Authorization": f"Bearer {auth_service.organiser_token(on_disk.settings, on_disk.organiser)}"
        }
        response = await on_disk.client.delete(
            f"/api/events/{on_disk.event.id}/attendees/{on_disk.bruno.id}", headers=headers
        )
        assert response.status_code == 204
        assert marker not in on_disk.raw_bytes()


# Profile photos (issue 16): the photo's bytes go the way erased text goes.


async def _photo_on_disk(world: OnDisk, owner: Attendee) -> tuple[dict[str, str], list[bytes]]:
    """``owner`` adds a photo of noise no other byte of the database can contain."""
    headers = {"Authorization": f"Bearer {auth_service.attendee_token(world.settings, owner)}"}
    out = io.BytesIO()
    Image.frombytes("RGB", (256, 256), secrets.token_bytes(256 * 256 * 3)).save(out, "PNG")
    response = await world.client.put(
        "/api/me/photo", content=out.getvalue(), headers={**headers, "Content-Type": "image/png"}
    )
    assert response.status_code == 200, response.text
    stored = []
    for url in response.json()["photo"].values():
        served = (await world.client.get(url, headers=headers)).content
        # A stretch from the middle of each encoded size: the encoder's header is the same for all.
        stored.append(served[len(served) // 2 : len(served) // 2 + 64])
    raw = world.raw_bytes()
    assert all(piece in raw for piece in stored)
    return headers, stored


class TestErasedPhotosLeaveTheDisk:
    async def test_removing_the_photo_leaves_none_of_its_bytes(self, on_disk: OnDisk) -> None:
        headers, stored = await _photo_on_disk(on_disk, on_disk.bruno)
        assert (await on_disk.client.delete("/api/me/photo", headers=headers)).status_code == 200
        raw = on_disk.raw_bytes()
        assert not any(piece in raw for piece in stored)

    async def test_account_deletion_leaves_none_of_the_photo(self, on_disk: OnDisk) -> None:
        headers, stored = await _photo_on_disk(on_disk, on_disk.bruno)
        assert (await on_disk.client.delete("/api/me", headers=headers)).status_code == 204
        raw = on_disk.raw_bytes()
        assert not any(piece in raw for piece in stored)

    async def test_removal_by_the_organiser_leaves_none_of_the_photo(self, on_disk: OnDisk) -> None:
        _, stored = await _photo_on_disk(on_disk, on_disk.bruno)
        headers = {
            "Authorization": f"Bearer {auth_service.organiser_token(on_disk.settings, on_disk.organiser)}"
        }
        response = await on_disk.client.delete(
            f"/api/events/{on_disk.event.id}/attendees/{on_disk.bruno.id}", headers=headers
        )
        assert response.status_code == 204
        raw = on_disk.raw_bytes()
        assert not any(piece in raw for piece in stored)


class TestTheRetentionPurgeLeavesNoTextOnDisk:
    async def test_notes_not_kept_are_gone_from_the_database_files(self, on_disk: OnDisk) -> None:
        marker = await _note_with_marker(on_disk, on_disk.bruno, on_disk.anais)
        engine = create_engine(on_disk.settings)
        try:
            sessions = create_session_factory(engine)
            async with sessions() as session:
                event = await session.get(Event, on_disk.event.id)
                assert event is not None
                event.ends_at = utcnow() - timedelta(days=event.retention_days + 1)
                event.starts_at = event.ends_at - timedelta(hours=4)
                await session.commit()
            report = await retention.purge_round(on_disk.settings, sessions)
        finally:
            await engine.dispose()
        assert report.events == 1
        assert marker not in on_disk.raw_bytes()


class TestABusyDatabaseDoesNotFailTheErasure:
    async def test_a_reader_on_an_old_snapshot_leaves_the_deletion_answered_and_kept(
        self, on_disk: OnDisk
    ) -> None:
        await _note_with_marker(on_disk, on_disk.bruno, on_disk.anais)
        reader = sqlite3.connect(on_disk.database, isolation_level=None)
        try:
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM encounter").fetchone()
            headers = {
                "Authorization": f"Bearer {auth_service.attendee_token(on_disk.settings, on_disk.bruno)}"
            }
            response = await on_disk.client.delete("/api/me", headers=headers)
            assert response.status_code == 204
        finally:
            reader.close()
        check = sqlite3.connect(on_disk.database)
        try:
            row = check.execute("SELECT deleted_at FROM attendee WHERE name = ''").fetchone()
        finally:
            check.close()
        assert row is not None
        assert row[0] is not None


class TestEveryConnectionZeroesDeletedText:
    async def test_secure_delete_is_on_for_the_app_and_the_scan_writer(self, tmp_path: Path) -> None:
        """Debian's SQLite zeroes by default; other builds (macOS, some wheels) do not."""
        database = tmp_path / "rencontre.db"
        settings = make_settings(tmp_path, f"sqlite+aiosqlite:///{database}")
        engine = create_engine(settings)
        writer = create_sqlite_writer_engine(engine.url)
        try:
            async with engine.connect() as connection:
                assert (await connection.exec_driver_sql("PRAGMA secure_delete")).scalar() == 1
            with writer.connect() as sync_connection:
                assert sync_connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        finally:
            writer.dispose()
            await engine.dispose()
