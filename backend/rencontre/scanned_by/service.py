"""Who scanned me: a scanned person is told who scanned them, and may add them back.

Only the scanned person reads their notices, and only the scanner's card as the scanner
shares it (``profile/cards.py``): never the scanner's note, tags or rating. Adding someone
back is an ordinary scan of their badge (``POST /api/scans`` with the notice's ``qr``), so it
is queued offline and recorded once like any scan, and makes the pair mutual.

The scanner's side never changes: whether the person they scanned turned notices off, read or
set aside a notice is theirs alone. With notices off nothing is listed, and turning them on
again shows the scans not answered meanwhile. Deleted or removed attendees never appear.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.badges import service as badge_service
from rencontre.badges.token import badge_url
from rencontre.config import Settings
from rencontre.errors import NotFound
from rencontre.kit.time import utcnow
from rencontre.models import Attendee
from rencontre.profile import cards
from rencontre.scanned_by import repository
from rencontre.scanned_by.schemas import ScanNotice, ScanNotices

MAX_LISTED = 100


class ScanNoticeNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__(
            "You have no pending notice from this person: they did not scan you, or it was set aside."
        )


async def notices(session: AsyncSession, settings: Settings, attendee: Attendee) -> ScanNotices:
    if not attendee.scan_notices:
        return ScanNotices(enabled=False, count=0, items=[])
    rows = await repository.pending(session, attendee.id, limit=MAX_LISTED)
    count = len(rows) if len(rows) < MAX_LISTED else await repository.pending_count(session, attendee.id)
    event_code = await repository.event_code(session, attendee.event_id) if rows else ""
    language = cards.language_of(attendee)
    key = settings.badge_key()
    items = [
        ScanNotice(
            attendee_id=scanner.id,
            scanned_at=encounter.met_at,
            qr=badge_url(settings.public_base_url, badge_service.sign(key, event_code, scanner)),
            card=cards.public_card(scanner, language=language),
        )
        for encounter, scanner in rows
    ]
    return ScanNotices(enabled=True, count=count, items=items)


async def dismiss(session: AsyncSession, attendee: Attendee, scanner_id: uuid.UUID) -> None:
    if not attendee.scan_notices or not await repository.dismiss(session, attendee.id, scanner_id, utcnow()):
        raise ScanNoticeNotFound()
