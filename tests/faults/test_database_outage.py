"""PostgreSQL goes away under load and comes back: the API answers 503 with
Retry-After meanwhile (never a 500), recovers by itself without a restart, and
loses nothing it acknowledged.

The outage is this test's database refusing new connections while every
connection the app holds is hung up (``ALLOW_CONNECTIONS false`` and
``pg_terminate_backend``): what the app sees of a PostgreSQL restart, without
stopping the cluster that the rest of the suite, running alongside, relies on.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.faults.live import Person, Stage, pair_counts, scans_of, stage
from tests.faults.phones import Phone, scan_item, unavailable_problem

pytestmark = pytest.mark.slow

PHONES = 4
SCANS_PER_PHONE = 60
OUTAGE_SECONDS = 3.0


class Reader:
    """Someone browsing their contacts and profile throughout, and what they were answered."""

    def __init__(self, stage: Stage, person: Person) -> None:
        self.stage, self.person = stage, person
        self.statuses: Counter[int] = Counter()
        self.problems: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.stage.url, headers=self.person.headers, timeout=15) as client:
            while not self.stop.is_set():
                for path in ("/api/contacts", "/api/me", "/api/directory"):
                    try:
                        response = client.get(path)
                    except httpx.TransportError as exc:
                        self.problems.append(f"GET {path}: no answer ({exc!r})")
                        continue
                    self.statuses[response.status_code] += 1
                    if response.status_code == 503:
                        if problem := unavailable_problem(response):
                            self.problems.append(problem)
                    elif response.status_code != 200:
                        self.problems.append(f"GET {path}: {response.status_code} {response.text[:300]}")
                time.sleep(0.02)


@pytest.fixture
def postgres_stage(tmp_path: Path) -> Iterator[Stage]:
    with stage("postgresql", tmp_path / "data") as the_stage:
        try:
            yield the_stage
        finally:
            # Whatever happened, the database accepts connections again before it is dropped.
            the_stage.refuse_connections(False)


class TestPostgresOutage:
    def test_503_during_the_outage_then_full_recovery(self, postgres_stage: Stage) -> None:
        live = postgres_stage
        seeded = live.seed(PHONES + SCANS_PER_PHONE + 1)
        owners, reader_person = seeded.people[:PHONES], seeded.people[PHONES]
        met = seeded.people[PHONES + 1 :]
        phones = [
            Phone(
                owner=owner,
                base_url=live.url,
                outbox=[[scan_item(person.badge, "hello")] for person in met],
                single=True,
            )
            for owner in owners
        ]
        sent = {item["client_id"] for phone in phones for [item] in phone.outbox}
        server = live.start()
        reader = Reader(live, reader_person)
        acknowledged = threading.Semaphore(0)
        threads = [threading.Thread(target=phone.sync, args=(acknowledged, 180)) for phone in phones]
        threads.append(threading.Thread(target=reader.run))
        for thread in threads:
            thread.start()
        try:
            for _ in range(20):
                assert acknowledged.acquire(timeout=60), "no scan went through before the outage"
            live.refuse_connections(True)
            outage_ends = time.monotonic() + OUTAGE_SECONDS
            while time.monotonic() < outage_ends:
                live.terminate_backends()
                time.sleep(0.25)
            during = sum(phone.statuses[503] for phone in phones) + reader.statuses[503]
            acked_during = {cid for phone in phones for cid in phone.acked}
        finally:
            live.refuse_connections(False)
            for thread in threads[:-1]:
                thread.join(timeout=180)
            reader.stop.set()
            threads[-1].join(timeout=30)

        # The same process served before, during and after: it recovered on its own.
        assert server.process is not None
        assert server.process.poll() is None
        assert during > 0, "the outage was not seen by any request"
        problems = [problem for phone in phones for problem in phone.problems] + reader.problems
        assert not problems, problems[:10]
        statuses = sum((phone.statuses for phone in phones), reader.statuses)
        assert set(statuses) <= {200, 201, 503}, statuses
        assert all(not phone.outbox for phone in phones)

        recorded = live.query(lambda session: scans_of(session, [owner.id for owner in owners]))
        pairs = live.query(lambda session: pair_counts(session, seeded.event_id))
        assert {str(cid) for cid in recorded} == sent
        assert len(pairs) == len(sent)
        assert acked_during <= set(recorded)
        for phone in phones:
            for client_id, contact_id in phone.acked.items():
                assert recorded[client_id] == contact_id
        log = live.log()
        assert "unhandled error" not in log
        assert "database unavailable" in log or "database connection failed" in log
