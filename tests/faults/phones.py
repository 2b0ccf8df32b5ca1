"""Phones syncing their offline queue against a real server, the way the PWA's outbox does.

A phone keeps its queue until the server acknowledges it: a batch is dropped from
the queue only once its answer arrived and every item in it was recorded. A lost
connection or a 503 means "not acknowledged": the same batch, with the same client
ids, is sent again a moment later.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.faults.live import Person

RETRY_PAUSE = 0.05


@dataclass
class Phone:
    owner: Person
    base_url: str
    outbox: list[list[dict[str, Any]]]
    #: Send each queued scan on its own (POST /api/scans), as a phone does live; else batch by batch.
    single: bool = False
    #: client id → contact id, for every scan whose acknowledgement the phone received.
    acked: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    #: Requests that got no answer at all (the server died under them, or refused the connection).
    interrupted: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def sync(self, acknowledged: threading.Semaphore | None = None, deadline: float = 120) -> None:
        """Send the queue, batch after batch, until it is empty; retry what was not acknowledged."""
        give_up = time.monotonic() + deadline
        with httpx.Client(base_url=self.base_url, headers=self.owner.headers, timeout=15) as client:
            while self.outbox and time.monotonic() < give_up:
                batch = self.outbox[0]
                try:
                    if self.single:
                        [item] = batch
                        response = client.post("/api/scans", json=item)
                    else:
                        response = client.post("/api/scans/batch", json={"items": batch})
                except httpx.TransportError:
                    self.interrupted += 1
                    time.sleep(RETRY_PAUSE)
                    continue
                self.statuses[response.status_code] += 1
                if response.status_code == 503:
                    if problem := unavailable_problem(response):
                        self.problems.append(problem)
                    time.sleep(RETRY_PAUSE)
                    continue
                if self.single and response.status_code in (200, 201):
                    results = [{**response.json(), "http_status": response.status_code}]
                elif response.status_code == 200 and not self.single:
                    results = response.json()["results"]
                else:
                    self.problems.append(f"{response.status_code}: {response.text[:500]}")
                    return
                refused = [item for item in results if item["http_status"] not in (200, 201)]
                if refused or len(results) != len(batch):
                    self.problems.append(f"items refused: {refused[:3]}")
                    return
                for item in results:
                    self.acked[uuid.UUID(item["client_id"])] = uuid.UUID(item["contact_id"])
                self.outbox.pop(0)
                if acknowledged is not None:
                    acknowledged.release()
        if self.outbox:
            self.problems.append(f"{len(self.outbox)} batches still queued at the deadline")


def unavailable_problem(response: httpx.Response) -> str | None:
    """What is wrong with a 503, if anything: it must say when to retry, as a problem document."""
    if not response.headers.get("retry-after", "").isdigit():
        return f"503 without Retry-After: {response.text[:300]}"
    if response.headers.get("content-type") != "application/problem+json":
        return f"503 that is not a problem document: {response.text[:300]}"
    return None


def scan_item(badge: str, note: str = "") -> dict[str, Any]:
    return {"client_id": str(uuid.uuid4()), "qr": badge, "note": note}


def in_batches(items: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [items[start : start + size] for start in range(0, len(items), size)]
