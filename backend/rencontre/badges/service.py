"""Badge rules: who a QR code names, whether it still counts, and who may see what.

A badge resolves only for an attendee of the same event: a badge of another
event is refused without a word about its holder. A re-issued badge's old QR
code is refused as such, and so is the badge of someone no longer registered.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Sequence
from http import HTTPStatus
from typing import ClassVar, Literal

import anyio
from sqlalchemy import event, inspect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rencontre.attendees.service import AttendeeNotFound
from rencontre.badges import cache, repository, short_code, token
from rencontre.badges.layout import BadgeText
from rencontre.badges.pdf import BadgeSheets, PaperLayout
from rencontre.badges.render import badge_png, badge_svg
from rencontre.badges.repository import Holder
from rencontre.badges.schemas import BadgeLink, CodeBadge
from rencontre.config import Settings
from rencontre.errors import AppError, Forbidden, NotFound, TooManyRequests, Unprocessable
from rencontre.kit import ratelimit
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event
from rencontre.profile import cards
from rencontre.profile.schemas import PublicCard

MAX_PRINT_IDS = 500
PRINT_PAGE_ROWS = 100


class BadgeOfOtherEvent(Forbidden):
    def __init__(self) -> None:
        super().__init__("This badge belongs to another event: you can only scan badges of your own event.")


class BadgeRevoked(AppError):
    status_code: ClassVar[int] = HTTPStatus.GONE
    title: ClassVar[str] = "Badge re-issued"

    def __init__(self) -> None:
        super().__init__(
            "This badge was re-issued: the QR code you scanned no longer works. "
            "Ask the person to show their new badge."
        )


class BadgeHolderGone(AppError):
    status_code: ClassVar[int] = HTTPStatus.GONE
    title: ClassVar[str] = "No longer registered"

    def __init__(self) -> None:
        super().__init__("The person this badge names is no longer registered for the event.")


def sign(key: bytes, event_code: str, attendee: Attendee | repository.PrintRow) -> str:
    ref = token.BadgeRef(
        event_code=event_code, attendee_code=attendee.badge_code, version=attendee.badge_version
    )
    return token.issue(key, ref)


def link(settings: Settings, event_code: str, attendee: Attendee) -> BadgeLink:
    signed = sign(settings.badge_key(), event_code, attendee)
    return BadgeLink(
        token=signed,
        url=token.badge_url(settings.public_base_url, signed),
        badge_code=attendee.badge_code,
        short_code=attendee.short_code,
    )


async def my_badge(session: AsyncSession, settings: Settings, attendee: Attendee) -> BadgeLink:
    event_code = await repository.event_code(session, attendee.event_id)
    assert event_code is not None  # an attendee's event exists (foreign key)
    return link(settings, event_code, attendee)


def read(settings: Settings, scanned: str) -> tuple[str, token.BadgeRef]:
    """The token in scanned text and the badge it names; 422 if it is not one we signed."""
    return token.read(settings.badge_key(), scanned)


async def resolve(session: AsyncSession, viewer: Attendee, ref: token.BadgeRef) -> Holder:
    """The holder of a verified badge, if ``viewer`` may see them through it."""
    [found] = await resolve_many(session, [(viewer.event_id, ref)])
    if isinstance(found, AppError):
        raise found
    return found


async def resolve_many(
    session: AsyncSession, wanted: Sequence[tuple[uuid.UUID, token.BadgeRef]]
) -> list[Holder | AppError]:
    """For each (viewer's event, verified badge): its holder, or why the viewer may not see them.

    Two queries whatever the count: the holders, then (only if some badge names nobody)
    the viewers' event codes.
    """
    holders = await _holders(session, {ref.attendee_code for _, ref in wanted})
    orphans = {event_id for event_id, ref in wanted if ref.attendee_code not in holders}
    event_codes = await repository.event_codes(session, orphans) if orphans else {}
    out: list[Holder | AppError] = []
    for event_id, ref in wanted:
        try:
            out.append(_check(holders.get(ref.attendee_code), event_id, ref, event_codes.get(event_id)))
        except AppError as exc:
            out.append(exc)
    return out


# Badge holders recently read, by badge code: a burst of scans reads each person once.
# A change made through the ORM in this process (badge re-issued, attendee deleted,
# profile edited) drops the entry at once; one made by another process is seen within
# HOLDER_SECONDS, so a re-issued badge's old QR code works there for at most that long.
HOLDER_SECONDS = 3.0
_MAX_HOLDERS = 50_000
_recent_holders: dict[str, tuple[float, Holder]] = {}


async def _holders(session: AsyncSession, codes: set[str]) -> dict[str, Holder]:
    now = time.monotonic()
    found: dict[str, Holder] = {}
    for code in codes:
        known = _recent_holders.get(code)
        if known is not None and now - known[0] < HOLDER_SECONDS:
            found[code] = known[1]
    missing = codes - found.keys()
    if missing:
        loaded = await repository.holders(session, missing)
        if len(_recent_holders) + len(loaded) > _MAX_HOLDERS:
            _recent_holders.clear()
        for code, holder in loaded.items():
            _recent_holders[code] = (now, holder)
        found.update(loaded)
    return found


def forget_holder(badge_code: str) -> None:
    _recent_holders.pop(badge_code, None)


@event.listens_for(Attendee, "before_update")
@event.listens_for(Attendee, "after_delete")
def _on_attendee_change(_mapper: object, _connection: object, target: Attendee) -> None:
    forget_holder(target.badge_code)
    if _changes_card(target):
        cache.forget(target.event_id)
    # Re-issuing gives the badge a new code, in some versions of the rules: the old code goes too.
    history = inspect(target).attrs.badge_code.history
    for code in history.deleted or ():
        forget_holder(code)


_CARD_COLUMNS = (
    "badge_version",
    "short_code",
    "short_code_key",
    "deleted_at",
    "name",
    "company",
    "job_title",
    "pitch",
    "objectives",
    "objective_other",
    "interests",
    "offers",
    "seeks",
    "open_to_chat",
)


def _changes_card(target: Attendee) -> bool:
    """Whether a change shows in the sealed cache (not, say, a visit's ``last_seen_at``)."""
    state = inspect(target)
    return state.deleted or any(state.attrs[name].history.has_changes() for name in _CARD_COLUMNS)


def _check(found: Holder | None, event_id: uuid.UUID, ref: token.BadgeRef, event_code: str | None) -> Holder:
    if found is None:
        # Only the event code is left to tell "another event" from "removed from this one".
        if ref.event_code != event_code:
            raise BadgeOfOtherEvent()
        raise BadgeHolderGone()
    if found.attendee.event_id != event_id:
        raise BadgeOfOtherEvent()
    if found.event_code != ref.event_code:
        raise token.InvalidBadgeToken("This QR code is not a valid badge of this event.")
    if found.attendee.deleted_at is not None:
        raise BadgeHolderGone()
    if ref.version != found.attendee.badge_version:
        if ref.version < found.attendee.badge_version:
            raise BadgeRevoked()
        raise token.InvalidBadgeToken("This QR code is not a valid badge of this event.")
    return found


def card_for(person: cards.CardSource, viewer: cards.Speaks) -> PublicCard:
    """``person`` as ``viewer`` may see them: contact details only as ``person`` chose to share."""
    return cards.public_card(person, language=cards.language_of(viewer))


async def card(session: AsyncSession, settings: Settings, viewer: Attendee, scanned: str) -> PublicCard:
    _, ref = read(settings, scanned)
    found = await resolve(session, viewer, ref)
    return card_for(found.attendee, viewer)


async def directory(
    session: AsyncSession, settings: Settings, viewer: Attendee, *, gzipped: bool = False
) -> bytes:
    """The event's sealed card cache (JSON): each card opens only with its badge or short code."""
    return await cache.sealed_directory(session, settings, viewer.event_id, gzipped=gzipped)


class ShortCodeUnknown(NotFound):
    def __init__(self) -> None:
        super().__init__(
            "No badge of this event has this code. Check it on the badge (six letters and digits)"
            " or scan the QR code."
        )


class ShortCodeOfOtherEvent(Forbidden):
    def __init__(self) -> None:
        super().__init__(
            "This code is on a badge of another event: you can only add people of your own event."
        )


class TooManyCodeGuesses(TooManyRequests):
    title = "Too many unknown codes"


async def by_short_code(session: AsyncSession, settings: Settings, viewer: Attendee, typed: str) -> CodeBadge:
    """The badge a typed short code names in the viewer's event: its token and card.

    Codes that name no one in the event are counted per viewer; past
    ``short_code_miss_rate_limit`` every lookup is refused for a while, so codes cannot be
    tried one after another (each code names someone in ~1 of 100,000 tries at 10,000 people).
    """
    code = short_code.normalise(typed)
    key = str(viewer.id)
    if not await ratelimit.allows("short_code_miss", settings.short_code_miss_rate_limit, key):
        wait = await ratelimit.seconds_until_free("short_code_miss", settings.short_code_miss_rate_limit, key)
        raise TooManyCodeGuesses(
            f"Too many codes that name no one were typed; try again in {wait} s, or scan the QR code.",
            retry_after=wait,
        )
    found = await repository.by_short_code(session, code)
    mine = [attendee_id for attendee_id, event_id in found if event_id == viewer.event_id]
    if not mine:
        await ratelimit.record("short_code_miss", settings.short_code_miss_rate_limit, key)
        raise ShortCodeOfOtherEvent() if found else ShortCodeUnknown()
    person = await repository.live_attendee(session, viewer.event_id, mine[0])
    event_code = await repository.event_code(session, viewer.event_id)
    assert person is not None
    assert event_code is not None
    signed = sign(settings.badge_key(), event_code, person)
    return CodeBadge(
        token=signed, url=token.badge_url(settings.public_base_url, signed), card=card_for(person, viewer)
    )


def badge_text(
    settings: Settings, event: Event, attendee: Attendee | repository.PrintRow, *, key: bytes | None = None
) -> BadgeText:
    signed = sign(key or settings.badge_key(), event.badge_code, attendee)
    return BadgeText(
        event=event.name,
        name=attendee.name,
        company=attendee.company,
        job_title=attendee.job_title,
        url=token.badge_url(settings.public_base_url, signed),
        code=short_code.printed(attendee.short_code),
    )


async def badge_image(
    session: AsyncSession,
    settings: Settings,
    event: Event,
    attendee_id: uuid.UUID,
    *,
    kind: Literal["svg", "png"],
) -> bytes:
    attendee = await repository.live_attendee(session, event.id, attendee_id)
    if attendee is None:
        raise AttendeeNotFound()
    text = badge_text(settings, event, attendee)

    def render() -> bytes:
        return badge_svg(text).encode("utf-8") if kind == "svg" else badge_png(text)

    # Rendering is CPU work (QR encoding, text layout, PNG compression): off the event loop.
    return await anyio.to_thread.run_sync(render)


async def check_printable(session: AsyncSession, event: Event, ids: Sequence[uuid.UUID] | None) -> None:
    """Refuse before the first byte is sent: once a PDF streams, its status is 200."""
    if ids is not None:
        if len(ids) > MAX_PRINT_IDS:
            raise Unprocessable(
                f"Select at most {MAX_PRINT_IDS} attendees, or leave the selection out to print everyone."
            )
        unique = set(ids)
        missing = unique - await repository.live_ids(session, event.id, list(unique))
        if missing:
            example = sorted(map(str, missing))[0]
            raise NotFound(f"{len(missing)} selected attendee(s) are not in this event (e.g. {example}).")
        if not unique:
            raise Unprocessable("The selection is empty.")
    elif await repository.count_live(session, event.id) == 0:
        raise Unprocessable("This event has no attendees yet: there is no badge to print.")


async def record_printed(session: AsyncSession, event: Event, ids: Sequence[uuid.UUID] | None) -> None:
    """Remember which badge versions went to print, for the overview's checklist.

    Only a sheet of everyone moves the event's "printed" mark; a selection (reprinting a
    few re-issued badges) only marks those attendees' badges as printed.
    """
    count = await repository.mark_printed(session, event.id, list(set(ids)) if ids is not None else None)
    if ids is None and count:
        event.badges_printed_at = utcnow()
        event.badges_printed_count = count


async def stream_pdf(
    factory: async_sessionmaker[AsyncSession],
    settings: Settings,
    event: Event,
    layout: PaperLayout,
    ids: Sequence[uuid.UUID] | None,
) -> AsyncIterator[bytes]:
    """The PDF, a few pages at a time.

    Each slice of attendees is read with a short session of its own (the request's
    session is closed once streaming starts) and drawn in a worker thread; the bytes
    of each slice are handed out before the next is read.
    """
    sheets = BadgeSheets(layout, title=f"{event.name} — badges")
    key = settings.badge_key()
    yield sheets.start()
    selection = list(dict.fromkeys(ids)) if ids is not None else None
    after: tuple[str, uuid.UUID] | None = None
    while True:
        async with factory() as session:
            rows = await repository.print_page(
                session, event.id, ids=selection, after=after, limit=PRINT_PAGE_ROWS
            )
        if not rows:
            break
        texts = [badge_text(settings, event, row, key=key) for row in rows]
        chunk = await anyio.to_thread.run_sync(sheets.add, texts)
        if chunk:
            yield chunk
        after = (rows[-1].name, rows[-1].id)
    yield await anyio.to_thread.run_sync(sheets.finish)
