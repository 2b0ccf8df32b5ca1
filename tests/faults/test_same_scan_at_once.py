"""One scan sent by ten requests at the same instant (a phone retrying on a flaky
network, its outbox flushing on `online` and on start at once): one contact, one
record, the same answer to all ten, and never a 500 — on a real server, on SQLite
and on PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Encounter, Scan
from tests.faults.live import Person, Stage
from tests.faults.phones import scan_item

pytestmark = pytest.mark.slow

SENDERS = 10


def _answers(stage: Stage, sender: Person, shapes: list[str], item: dict[str, Any]) -> list[dict[str, Any]]:
    """Fire one request per shape ("single" or "batch") at once; each answer as the item's result."""
    barrier = threading.Barrier(len(shapes))

    def send(shape: str) -> dict[str, Any]:
        with httpx.Client(base_url=stage.url, headers=sender.headers, timeout=30) as client:
            barrier.wait()
            if shape == "single":
                response = client.post("/api/scans", json=item)
                body = response.json()
                return {**body, "http": response.status_code, "code": response.status_code}
            response = client.post("/api/scans/batch", json={"items": [item]})
            if response.status_code != 200:
                return {**response.json(), "http": response.status_code, "code": response.status_code}
            [result] = response.json()["results"]
            return {**result, "http": 200, "code": result["http_status"]}

    with ThreadPoolExecutor(max_workers=len(shapes)) as pool:
        return list(pool.map(send, shapes))


class TestSameClientIdAtOnce:
    def test_ten_senders_one_contact(self, live: Stage) -> None:
        seeded = live.seed(6)
        phone, *others = seeded.people
        live.start()
        rounds = {
            "single": ["single"] * SENDERS,
            "batch": ["batch"] * SENDERS,
            "mixed": ["single", "batch"] * (SENDERS // 2),
        }
        sent: dict[str, dict[str, Any]] = {}
        for (name, shapes), person in zip(rounds.items(), others, strict=False):
            item = scan_item(person.badge, note=f"met at the {name} round")
            answers = _answers(live, phone, shapes, item)
            assert [answer["http"] for answer in answers if answer["http"] >= 500] == [], answers
            assert [answer["code"] for answer in answers] == [201] * SENDERS, answers
            assert len({answer["contact_id"] for answer in answers}) == 1
            # Every sender is answered with the contact as that one scan left it: one version.
            # (A batch answer carries no note: the phone has it; the database is read below.)
            assert len({answer["version"] for answer in answers}) == 1
            sent[name] = item
        # A second scan of someone already met, sent ten times: still counted once.
        again = scan_item(others[0].badge, note="and again")
        answers = _answers(live, phone, ["single", "batch"] * (SENDERS // 2), again)
        assert [answer["code"] for answer in answers] == [200] * SENDERS, answers
        assert len({answer["version"] for answer in answers}) == 1

        async def stored(session: AsyncSession) -> tuple[list[tuple[uuid.UUID, int, str]], int]:
            rows = await session.execute(
                select(Encounter.scanned_id, Encounter.scan_count, Encounter.note).where(
                    Encounter.scanner_id == phone.id
                )
            )
            scans = await session.scalars(select(Scan.client_id).where(Scan.scanner_id == phone.id))
            return [tuple(row) for row in rows.all()], len(list(scans))

        encounters, scans = live.query(stored)
        assert sorted((scanned, count) for scanned, count, _ in encounters) == sorted(
            [(others[0].id, 2), (others[1].id, 1), (others[2].id, 1)]
        )
        assert scans == len(sent) + 1
        notes = {scanned: note for scanned, _, note in encounters}
        assert notes[others[0].id].count("and again") == 1
        assert "unhandled error" not in live.log()
