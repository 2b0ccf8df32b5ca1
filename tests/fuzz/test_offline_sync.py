"""The offline outbox as a state machine, against a real server (invariant 5).

A phone captures scans into its persisted queue, and syncs whenever it likes: a
shuffled subset of the queue, some scans twice in one batch, some it already had
acknowledged; sometimes the answer is lost after the server committed; sometimes
the app dies while it is taking the answers in, keeping only what it had written
to its queue. Whatever happens, after every step:

- nothing the phone saw acknowledged is missing on the server;
- the server holds nothing the phone did not capture, and nothing it neither saw
  acknowledged nor still has queued;
- each contact counts each scan once (``scan_count`` equals the scans recorded);

and once the phone has synced everything, the server holds exactly what it captured.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Encounter, Scan
from tests.faults.live import DatabaseReader, Person, Stage
from tests.fuzz.plan import PLAN, PlannedPerson

pytestmark = pytest.mark.slow

# People the phone can meet: the schema fuzzer never touches them.
MET = PLAN.crowd[2:8]


def new_phone_owner(stage: Stage) -> Person:
    """A fresh attendee for each run of the machine: what happened before does not count."""
    code = uuid.uuid4().hex[:12]
    planned = PlannedPerson(uuid.uuid4(), PLAN.other_event, f"Phone {code}", code)

    async def add(session: AsyncSession) -> None:
        session.add(planned.row())

    stage.query(add)
    return planned.person(stage.settings)


class ServerView:
    """What the server recorded from one phone."""

    def __init__(self, reader: DatabaseReader, owner: Person) -> None:
        self.reader, self.owner = reader, owner

    def read(self) -> tuple[dict[str, uuid.UUID], dict[uuid.UUID, tuple[uuid.UUID, int]]]:
        """client id → contact, and contact → (person met, scan_count)."""

        async def work(session: AsyncSession) -> Any:
            scans = await session.execute(
                select(Scan.client_id, Scan.encounter_id).where(Scan.scanner_id == self.owner.id)
            )
            contacts = await session.execute(
                select(Encounter.id, Encounter.scanned_id, Encounter.scan_count).where(
                    Encounter.scanner_id == self.owner.id
                )
            )
            return (
                {str(client_id): contact for client_id, contact in scans.all()},
                {contact: (person, count) for contact, person, count in contacts.all()},
            )

        result: tuple[dict[str, uuid.UUID], dict[uuid.UUID, tuple[uuid.UUID, int]]] = self.reader.query(work)
        return result


class OfflineSync(RuleBasedStateMachine):
    def __init__(self, stage: Stage, reader: DatabaseReader) -> None:
        super().__init__()
        self.stage = stage
        self.owner = new_phone_owner(stage)
        self.server = ServerView(reader, self.owner)
        #: The phone's persisted outbox (IndexedDB): what a crash leaves intact.
        self.queue: list[dict[str, Any]] = []
        #: Test-side truth: every scan captured (client id → whom, and as sent), what was acknowledged.
        self.captured: dict[str, uuid.UUID] = {}
        self.items: dict[str, dict[str, Any]] = {}
        self.acked: set[str] = set()
        self.client = self._connect()

    def _connect(self) -> httpx.Client:
        return httpx.Client(base_url=self.stage.url, headers=self.owner.headers, timeout=30)

    def teardown(self) -> None:
        self.client.close()

    # -- what the phone does -------------------------------------------------------------

    @initialize(first=st.sampled_from(MET))
    def capture_first(self, first: PlannedPerson) -> None:
        self.capture(first)

    @rule(person=st.sampled_from(MET))
    def capture(self, person: PlannedPerson) -> None:
        """A scan while offline: straight into the persisted queue."""
        client_id = str(uuid.uuid4())
        badge = person.person(PLAN.settings).badge
        item = {"client_id": client_id, "qr": badge, "note": f"met {person.name}"}
        self.queue.append(item)
        self.captured[client_id] = person.id
        self.items[client_id] = item

    @precondition(lambda self: self.queue)
    @rule(data=st.data())
    def sync(self, data: st.DataObject) -> None:
        """Back online: a shuffled subset of the queue, some twice, maybe some already acknowledged."""
        self._apply(self._send(self._draw_batch(data)))

    @precondition(lambda self: self.queue)
    @rule(data=st.data())
    def sync_but_the_answer_is_lost(self, data: st.DataObject) -> None:
        """The server commits, the connection drops before the answer arrives: the phone keeps its queue."""
        self._send(self._draw_batch(data))

    @precondition(lambda self: self.queue)
    @rule(data=st.data())
    def crash_while_taking_the_answers_in(self, data: st.DataObject) -> None:
        """The app dies after removing only the first few acknowledged scans from its queue."""
        results = self._send(self._draw_batch(data))
        kept = data.draw(st.integers(min_value=0, max_value=len(results)), label="answers taken in")
        self._apply(results[:kept])
        self.client.close()
        self.client = self._connect()

    @precondition(lambda self: self.queue)
    @rule(data=st.data())
    def scan_live(self, data: st.DataObject) -> None:
        """Online at the moment of a scan: the queued scan goes alone to POST /api/scans."""
        item = data.draw(st.sampled_from(self.queue), label="scan")
        response = self.client.post("/api/scans", json=item)
        assert response.status_code in (200, 201), response.text
        self._apply([{**response.json(), "http_status": response.status_code}])

    # -- how it talks to the server ------------------------------------------------------

    def _draw_batch(self, data: st.DataObject) -> list[dict[str, Any]]:
        pending = data.draw(st.lists(st.sampled_from(self.queue), min_size=1, max_size=8), label="pending")
        resent: list[dict[str, Any]] = []
        if self.acked:
            # Already acknowledged, sent again: what a phone that lost the removal does.
            again = sorted(self.acked)
            resent = [
                self.items[client_id]
                for client_id in data.draw(st.lists(st.sampled_from(again), max_size=3), label="resent")
            ]
        return list(data.draw(st.permutations(pending + resent), label="batch"))

    def _send(self, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        response = self.client.post("/api/scans/batch", json={"items": batch})
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        assert [result["client_id"] for result in results] == [item["client_id"] for item in batch]
        assert all(result["http_status"] in (200, 201) for result in results), results
        return results

    def _apply(self, results: list[dict[str, Any]]) -> None:
        """Each acknowledgement removes its scan from the persisted queue, one at a time."""
        for result in results:
            self.acked.add(result["client_id"])
            self.queue = [item for item in self.queue if item["client_id"] != result["client_id"]]

    # -- what must always hold -----------------------------------------------------------

    @invariant()
    def nothing_lost_nothing_counted_twice(self) -> None:
        recorded, contacts = self.server.read()
        queued = {item["client_id"] for item in self.queue}
        assert self.acked <= set(recorded), "an acknowledged scan is missing on the server"
        assert set(recorded) <= set(self.captured), "the server holds a scan the phone never made"
        assert set(recorded) <= self.acked | queued, "the phone dropped a scan it never saw acknowledged"
        per_contact = Counter(recorded.values())
        for contact, (person, scan_count) in contacts.items():
            assert scan_count == per_contact[contact], f"contact with {person} counts {scan_count} scans"
        met = Counter(person for person, _ in contacts.values())
        assert all(count == 1 for count in met.values()), "two contacts for one person"

    def check_everything_arrives(self) -> None:
        """Back online for good: the queue drains, and the server holds exactly what was captured."""
        while self.queue:
            self._apply(self._send(self.queue[:50]))
        recorded, contacts = self.server.read()
        assert set(recorded) == set(self.captured)
        scans_per_person = Counter(self.captured.values())
        assert {person: count for person, count in contacts.values()} == dict(scans_per_person)


class SyncedForGood(OfflineSync):
    def teardown(self) -> None:
        try:
            self.check_everything_arrives()
        finally:
            super().teardown()


def test_offline_sync_records_every_scan_once(fuzz_stage: Stage) -> None:
    with fuzz_stage.reader() as reader:
        run_state_machine_as_test(
            lambda: SyncedForGood(fuzz_stage, reader),  # type: ignore[arg-type]
            settings=settings(settings.default, max_examples=25, stateful_step_count=12, deadline=None),
        )
