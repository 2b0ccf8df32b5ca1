"""``kill -9`` of the server in the middle of an offline sync: nothing acknowledged is
lost, nothing retried is counted twice (invariant 5), on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
import time

import pytest

from tests.faults.live import Stage, pair_counts, scans_of
from tests.faults.phones import Phone, in_batches, scan_item

pytestmark = pytest.mark.slow

PHONES = 4
SCANS_PER_PHONE = 250
BATCH = 50
KILL_AFTER_BATCHES = 7  # of 20


class TestKilledMidSync:
    def test_every_scan_recorded_once_after_kill_and_retry(self, live: Stage) -> None:
        seeded = live.seed(PHONES + SCANS_PER_PHONE)
        owners, met = seeded.people[:PHONES], seeded.people[PHONES:]
        # Four phones come back online with 250 scans each, of 250 different people: 1,000 pairs.
        phones = [
            Phone(
                owner=owner,
                base_url=live.url,
                outbox=in_batches([scan_item(person.badge, f"met {person.name}") for person in met], BATCH),
            )
            for owner in owners
        ]
        sent = {item["client_id"] for phone in phones for batch in phone.outbox for item in batch}
        assert len(sent) == PHONES * SCANS_PER_PHONE

        live.start()
        first_pid = live.server.process.pid if live.server and live.server.process else None
        acknowledged = threading.Semaphore(0)
        threads = [threading.Thread(target=phone.sync, args=(acknowledged,)) for phone in phones]
        for thread in threads:
            thread.start()
        try:
            for _ in range(KILL_AFTER_BATCHES):
                assert acknowledged.acquire(timeout=60), "the sync did not progress before the kill"
            live.kill()
            acked_before_restart = {cid for phone in phones for cid in phone.acked}
            time.sleep(0.5)  # the phones keep retrying into a dead port meanwhile
            live.start()
        finally:
            for thread in threads:
                thread.join(timeout=120)
        assert live.server
        assert live.server.process
        assert live.server.process.pid != first_pid

        problems = [problem for phone in phones for problem in phone.problems]
        assert not problems, problems
        assert all(not phone.outbox for phone in phones)
        # The kill landed while batches were on the wire: their answers never came.
        assert sum(phone.interrupted for phone in phones) >= 1
        assert 0 < len(acked_before_restart) < len(sent)

        recorded = live.query(lambda session: scans_of(session, [owner.id for owner in owners]))
        pairs = live.query(lambda session: pair_counts(session, seeded.event_id))
        # Exactly one contact per pair met, and one idempotency record per scan sent.
        assert len(pairs) == PHONES * SCANS_PER_PHONE
        assert set(pairs.values()) == {1}
        assert {(owner.id, person.id) for owner in owners for person in met} == set(pairs)
        assert {str(cid) for cid in recorded} == sent
        # Every acknowledgement a phone received names what the database holds, before and after the kill.
        for phone in phones:
            for client_id, contact_id in phone.acked.items():
                assert recorded[client_id] == contact_id
        assert "unhandled error" not in live.log()
