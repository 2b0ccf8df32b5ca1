"""Rebuilding the contact table's keys (SQLite batch mode) loses no contact and no scan record."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rencontre import migrate
from rencontre.db import create_engine, create_session_factory
from rencontre.models import Encounter, Scan
from tests.support import Factory, make_settings, scratch_database

BEFORE_REMOVAL_KEEPS_CONTACTS = "9a9d10e4a504"


@pytest.fixture(params=["sqlite", "postgresql"])
def scratch_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from scratch_database(request.param, tmp_path, "keeps")


async def _counts(url: str, tmp_path: Path) -> tuple[int, int]:
    engine = create_engine(make_settings(tmp_path), url)
    try:
        async with engine.connect() as connection:
            encounters = await connection.scalar(select(func.count()).select_from(Encounter))
            scans = await connection.scalar(select(func.count()).select_from(Scan))
    finally:
        await engine.dispose()
    return int(encounters or 0), int(scans or 0)


class TestMigrationKeepsRows:
    async def test_contacts_and_scan_records_survive_upgrade_and_downgrade(
        self, scratch_url: str, tmp_path: Path
    ) -> None:
        settings = make_settings(tmp_path)
        await asyncio.to_thread(migrate.upgrade, settings, scratch_url)
        engine = create_engine(settings, scratch_url)
        try:
            async with create_session_factory(engine)() as session:
                factory = Factory(session, settings)
                event = await factory.event()
                anais, bruno = await factory.attendee(event), await factory.attendee(event)
                for scanner, scanned in ((anais, bruno), (bruno, anais)):
                    encounter = await factory.encounter(scanner, scanned, note="gardée")
                    session.add(
                        Scan(
                            scanner_id=scanner.id,
                            client_id=uuid.uuid4(),
                            encounter_id=encounter.id,
                            fingerprint="0" * 64,
                            created=True,
                        )
                    )
                await session.commit()
        finally:
            await engine.dispose()
        assert await _counts(scratch_url, tmp_path) == (2, 2)

        await asyncio.to_thread(migrate.downgrade, settings, scratch_url, BEFORE_REMOVAL_KEEPS_CONTACTS)
        assert await _counts(scratch_url, tmp_path) == (2, 2)
        await asyncio.to_thread(migrate.upgrade, settings, scratch_url)
        assert await _counts(scratch_url, tmp_path) == (2, 2)
