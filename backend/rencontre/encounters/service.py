"""Recording scans: one contact per pair, idempotent by the phone's client id.

The hot path, for a first meeting: look the client id up, verify the badge and
find its holder, then in one SAVEPOINT take the event's next feed number, mark
the other side mutual if they scanned first, insert the contact and the scan;
finally note that the scanner is active. A repeat meeting locks and updates the
existing contact instead.

Concurrency. On PostgreSQL a new contact's ``UPDATE event … RETURNING`` holds the
event row until commit, so new contacts of an event are written one after the
other, and the mutual check that follows sees every contact committed before it:
two people scanning each other at the same instant end up both mutual. A repeat
meeting locks its contact row (``SELECT … FOR UPDATE``), so notes are appended,
never lost. A batch of several scans takes the event row first, keeping one lock
order (event, then contacts) so that no two requests wait on each other in a
circle. Two
requests racing on the same pair or client id meet a unique constraint: the
loser's SAVEPOINT is rolled back and it reads again, finding the winner's row.
On SQLite, writers take the database lock up front (``BEGIN IMMEDIATE``), so
none of this can interleave.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.badges import service as badge_service
from rencontre.badges.repository import Holder
from rencontre.config import Settings
from rencontre.db import after_commit
from rencontre.encounters import repository
from rencontre.encounters.schemas import MAX_TAGS, ScanBatchItem, ScanIn, ScanOut
from rencontre.errors import AppError, Conflict, PayloadTooLarge, Problem, ServiceUnavailable, Unprocessable
from rencontre.feed.broker import FeedNotice
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Encounter, Scan
from rencontre.profile.schemas import PublicCard

logger = logging.getLogger(__name__)

Publish = Callable[[FeedNotice], Awaitable[None]]

_ATTEMPTS = 3


class SelfScan(Unprocessable):
    def __init__(self) -> None:
        super().__init__("You scanned your own badge: scan the badge of the person you are meeting.")


class ClientIdReused(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "This client_id was already used for a different scan; give each new scan a new client_id."
        )


class BatchTooLarge(PayloadTooLarge):
    def __init__(self, count: int, limit: int) -> None:
        super().__init__(
            f"A batch holds at most {limit} scans and this one has {count}; send the rest in another."
        )


class BusyRetry(ServiceUnavailable):
    def __init__(self) -> None:
        super().__init__("Too many simultaneous scans of the same person; please retry.", retry_after=1)


@dataclass(frozen=True)
class Recorded:
    """A scan's answer, and whether this request created the contact."""

    out: ScanOut

    @property
    def created(self) -> bool:
        return self.out.status == "created"


async def record_scan(
    session: AsyncSession, settings: Settings, scanner: Attendee, scan: ScanIn, *, publish: Publish
) -> Recorded:
    recorded = await _record(session, settings, scanner, scan, publish)
    await repository.touch(session, scanner.id, utcnow())
    return recorded


async def record_batch(
    session: AsyncSession,
    settings: Settings,
    scanner: Attendee,
    items: Sequence[Any],
    *,
    publish: Publish,
) -> list[ScanBatchItem]:
    """Each item on its own: a SAVEPOINT per item, so one refusal leaves the others recorded."""
    if len(items) > settings.max_batch_items:
        raise BatchTooLarge(len(items), settings.max_batch_items)
    scanner_id = scanner.id
    if len(items) > 1:
        await repository.lock_event(session, scanner.event_id)
    results: list[ScanBatchItem] = []
    for index, raw in enumerate(items):
        client_id = _client_id_of(raw)
        try:
            scan = ScanIn.model_validate(raw)
        except ValidationError as exc:
            results.append(_failure(index, client_id, _invalid(exc)))
            continue
        try:
            async with session.begin_nested():
                recorded = await _record(session, settings, scanner, scan, publish)
        except AppError as exc:
            results.append(_failure(index, scan.client_id, exc))
            continue
        results.append(
            ScanBatchItem(
                index=index, http_status=201 if recorded.created else 200, **recorded.out.model_dump()
            )
        )
    await repository.touch(session, scanner_id, utcnow())
    return results


async def _record(
    session: AsyncSession, settings: Settings, scanner: Attendee, scan: ScanIn, publish: Publish
) -> Recorded:
    scanner_id = scanner.id
    token, ref = badge_service.read(settings, scan.qr)
    fingerprint = _fingerprint(token, scan)
    for _ in range(_ATTEMPTS):
        previous = await repository.scan(session, scanner_id, scan.client_id)
        if previous is not None:
            return await _replay(session, scanner, previous, fingerprint)
        holder = await badge_service.resolve(session, scanner, ref)
        if holder.attendee.id == scanner_id:
            raise SelfScan()
        try:
            async with session.begin_nested():
                recorded, seq = await _apply(session, scanner, holder, scan, fingerprint)
        except IntegrityError:
            # Another request recorded this pair or this client id first: read again, and join it.
            logger.info("scan %s lost a race; reading again", scan.client_id)
            continue
        if seq is not None:
            _publish_after_commit(session, publish, FeedNotice(event_id=holder.attendee.event_id, seq=seq))
        return recorded
    raise BusyRetry()


async def _apply(
    session: AsyncSession, scanner: Attendee, holder: Holder, scan: ScanIn, fingerprint: str
) -> tuple[Recorded, int | None]:
    scanner_id, scanned = scanner.id, holder.attendee
    now = utcnow()
    encounter = await repository.encounter_for_update(session, scanner_id, scanned.id)
    seq: int | None = None
    if encounter is None:
        seq = await repository.next_feed_seq(session, scanned.event_id)
        mutual = await repository.mark_mutual(session, scanner_id, scanned.id)
        encounter = Encounter(
            id=uuid.uuid4(),
            event_id=scanned.event_id,
            scanner_id=scanner_id,
            scanned_id=scanned.id,
            seq=seq,
            client_id=scan.client_id,
            note=scan.note,
            tags=list(scan.tags[:MAX_TAGS]),
            rating=scan.rating,
            device_at=scan.device_at,
            met_at=now,
            last_scanned_at=now,
            scan_count=1,
            mutual=mutual,
            updated_at=now,
        )
        session.add(encounter)
    else:
        _meet_again(encounter, scan, now, holder.event_timezone)
    # The contact is written first: the scan row refers to it.
    await session.flush()
    session.add(
        Scan(
            scanner_id=scanner_id,
            client_id=scan.client_id,
            encounter_id=encounter.id,
            fingerprint=fingerprint,
            created=seq is not None,
            received_at=now,
        )
    )
    await session.flush()
    card = badge_service.card_for(scanned, scanner)
    return Recorded(_out(scan.client_id, encounter, card, created=seq is not None)), seq


def _meet_again(encounter: Encounter, scan: ScanIn, now: datetime, timezone: str) -> None:
    """A repeat meeting adds to the contact: the note is appended, tags merged, nothing overwritten."""
    if scan.note:
        if encounter.note:
            stamp = now.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")
            encounter.note = f"{encounter.note}\n\n[{stamp}] {scan.note}"
        else:
            encounter.note = scan.note
    if scan.tags:
        known = {tag.casefold() for tag in encounter.tags}
        merged = list(encounter.tags) + [tag for tag in scan.tags if tag.casefold() not in known]
        encounter.tags = merged[: max(MAX_TAGS, len(encounter.tags))]
    if scan.rating is not None:
        encounter.rating = scan.rating
    encounter.scan_count += 1
    encounter.last_scanned_at = now
    encounter.updated_at = now


async def _replay(session: AsyncSession, scanner: Attendee, previous: Scan, fingerprint: str) -> Recorded:
    """The same client id again: the same answer if it is the same scan, a conflict otherwise."""
    if previous.fingerprint != fingerprint:
        raise ClientIdReused()
    found = await repository.encounter_with_person(session, previous.encounter_id)
    assert found is not None  # the scan row refers to it (foreign key, cascading delete)
    encounter, scanned = found
    card = badge_service.card_for(scanned, scanner)
    return Recorded(_out(previous.client_id, encounter, card, created=previous.created))


def _out(client_id: uuid.UUID, encounter: Encounter, card: PublicCard, *, created: bool) -> ScanOut:
    return ScanOut(
        client_id=client_id,
        status="created" if created else "updated",
        contact_id=encounter.id,
        already_met=not created,
        mutual=encounter.mutual,
        scan_count=encounter.scan_count,
        met_at=encounter.met_at,
        last_scanned_at=encounter.last_scanned_at,
        note=encounter.note,
        tags=list(encounter.tags),
        rating=encounter.rating,
        card=card,
    )


def _fingerprint(token: str, scan: ScanIn) -> str:
    content = {
        "token": token,
        "note": scan.note,
        "tags": scan.tags,
        "rating": scan.rating,
        "device_at": scan.device_at.astimezone(UTC).isoformat() if scan.device_at else None,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _publish_after_commit(session: AsyncSession, publish: Publish, notice: FeedNotice) -> None:
    async def send() -> None:
        # The scan is committed whatever happens here: a feed hiccup must not turn it into an error.
        try:
            await publish(notice)
        except Exception:
            logger.exception("could not publish feed notice %s", notice)

    after_commit(session, send)


def _client_id_of(raw: Any) -> uuid.UUID | None:
    if isinstance(raw, dict):
        try:
            return uuid.UUID(str(raw.get("client_id")))
        except ValueError:
            return None
    return None


def _invalid(exc: ValidationError) -> Unprocessable:
    errors = [
        {
            "field": ".".join(str(part) for part in error.get("loc", ())) or "item",
            "message": error.get("msg", ""),
        }
        for error in exc.errors()
    ]
    summary = "; ".join(f"{error['field']}: {error['message']}" for error in errors[:5])
    return Unprocessable(f"The scan is not valid — {summary}", errors=errors)


def _failure(index: int, client_id: uuid.UUID | None, exc: AppError) -> ScanBatchItem:
    return ScanBatchItem(
        index=index,
        client_id=client_id,
        status="error",
        http_status=exc.status_code,
        detail=exc.detail,
        error=Problem(
            title=exc.title,
            status=exc.status_code,
            detail=exc.detail,
            errors=exc.extra.get("errors"),
        ),
    )
