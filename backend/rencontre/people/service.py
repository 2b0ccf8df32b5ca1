"""The opt-in directory and "I'd like to meet you": who may list whom, requests, matches, blocks.

Only attendees who opted in list the directory, and only once the organiser opened it;
they see each other's public cards (``profile.cards``), never anyone who blocked them or
whom they blocked. A request let be reads to its sender exactly like one still waiting.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.errors import Conflict, Forbidden, NotFound, TooManyRequests
from rencontre.kit import ratelimit
from rencontre.kit.pagination import decode_cursor, encode_cursor
from rencontre.kit.text import fold
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event, MeetRequest, MeetRequestState
from rencontre.people import prompts as prompt_maker
from rencontre.people import repository
from rencontre.people.schemas import (
    Match,
    MeetRequests,
    MeetRequestSent,
    MeetState,
    PeoplePage,
    PersonEntry,
    ReceivedRequest,
    SentRequest,
    WhoToMeetFigures,
)
from rencontre.profile import cards
from rencontre.profile.schemas import Language

_CURSOR_KEYS = ("n", "i")


class DirectoryClosed(Forbidden):
    def __init__(self, opens_at: datetime | None) -> None:
        if opens_at is None:
            super().__init__("The organiser has not opened this event's directory.")
        else:
            super().__init__(
                f"The event's directory opens at {opens_at.isoformat()}.", opens_at=opens_at.isoformat()
            )


class NotInDirectory(Forbidden):
    def __init__(self) -> None:
        super().__init__("Join the directory (directory_opt_in in your profile) to see who else is in it.")


class PersonNotInDirectory(NotFound):
    def __init__(self) -> None:
        super().__init__("This person is not in the event's directory.")


class MeetRequestToSelf(Conflict):
    def __init__(self) -> None:
        super().__init__("You cannot ask to meet yourself.")


class SelfBlock(Conflict):
    def __init__(self) -> None:
        super().__init__("You cannot block yourself.")


class MeetRequestCapReached(Conflict):
    def __init__(self, cap: int) -> None:
        super().__init__(f"You have sent the {cap} requests allowed at this event.", cap=cap)


class MeetRequestsTooFast(TooManyRequests):
    pass


class MeetRequestNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such request waiting for your answer.")


class PromptsNotAllowed(NotFound):
    def __init__(self) -> None:
        super().__init__(
            "You can see prompts only for your contacts and for people in the directory with you."
        )


def _directory_open(event: Event, now: datetime) -> bool:
    return event.directory_opens_at is not None and event.directory_opens_at <= now


async def check_member(session: AsyncSession, attendee: Attendee) -> Event:
    """The viewer's event, if its directory is open and the viewer is in it."""
    event = await session.get(Event, attendee.event_id)
    assert event is not None
    if not _directory_open(event, utcnow()):
        raise DirectoryClosed(event.directory_opens_at)
    if not attendee.directory_opt_in:
        raise NotInDirectory()
    return event


def _haystack(person: Attendee) -> str:
    return fold(
        "\n".join(
            [
                person.name,
                person.company,
                person.job_title,
                person.pitch,
                person.objective_other if "other" in (person.objectives or ()) else "",
                *(person.interests or ()),
                *(person.offers or ()),
                *(person.seeks or ()),
            ]
        )
    )


def _states(viewer_id: uuid.UUID, requests: Sequence[MeetRequest]) -> dict[uuid.UUID, MeetState]:
    """For each person: where a request between them and the viewer stands, as the viewer may know it."""
    states: dict[uuid.UUID, MeetState] = {}
    for request in requests:
        mine = request.sender_id == viewer_id
        other = request.recipient_id if mine else request.sender_id
        if request.state is MeetRequestState.accepted:
            states[other] = "match"
        elif states.get(other) == "match":
            continue
        elif mine:
            states[other] = "sent"
        elif request.state is MeetRequestState.pending:
            states.setdefault(other, "received")
    return states


async def list_people(
    session: AsyncSession,
    viewer: Attendee,
    *,
    language: Language,
    query: str | None,
    objective: str | None,
    interest: str | None,
    cursor: str | None,
    limit: int,
) -> PeoplePage:
    await check_member(session, viewer)
    hidden = await repository.blocked_ids(session, viewer.id) | {viewer.id}
    terms = fold(query).split() if query else []
    wanted_interest = fold(interest.strip()) if interest and interest.strip() else None
    found: list[tuple[str, str, Attendee]] = []
    for person in await repository.listed(session, viewer.event_id):
        if person.id in hidden:
            continue
        if objective and objective not in (person.objectives or ()):
            continue
        if wanted_interest and wanted_interest not in {fold(i) for i in person.interests or ()}:
            continue
        if terms:
            haystack = _haystack(person)
            if not all(term in haystack for term in terms):
                continue
        found.append((fold(person.name), str(person.id), person))
    found.sort(key=lambda item: (item[0], item[1]))
    total = len(found)
    if cursor:
        after = decode_cursor(cursor, _CURSOR_KEYS)
        found = [item for item in found if (item[0], item[1]) > (str(after["n"]), str(after["i"]))]
    page = found[:limit]
    more = len(found) > limit
    requests = await repository.requests_of(session, viewer.id)
    states = _states(viewer.id, requests)
    met = (
        await repository.met_matches(session, viewer.id)
        if any(s == "match" for s in states.values())
        else set()
    )
    met_people = {
        (r.recipient_id if r.sender_id == viewer.id else r.sender_id) for r in requests if r.id in met
    }
    items = []
    for _, _, person in page:
        card = cards.public_card(person, language=language)
        items.append(
            PersonEntry(
                card=card,
                prompts=prompt_maker.prompts(card, language),
                meet=states.get(person.id, "none"),
                met=person.id in met_people,
            )
        )
    next_cursor = encode_cursor({"n": page[-1][0], "i": page[-1][1]}) if more and page else None
    return PeoplePage(items=items, next_cursor=next_cursor, total=total)


async def prompts_for(
    session: AsyncSession, viewer: Attendee, attendee_id: uuid.UUID, language: Language
) -> list[str]:
    """Questions about one of the viewer's contacts, or about someone in the directory with them."""
    if attendee_id == viewer.id or attendee_id in await repository.blocked_ids(session, viewer.id):
        raise PromptsNotAllowed()
    person: Attendee | None
    if await repository.has_contact(session, viewer.id, attendee_id):
        person = await repository.person(session, attendee_id)
    else:
        try:
            await check_member(session, viewer)
        except (DirectoryClosed, NotInDirectory):
            raise PromptsNotAllowed() from None
        person = await repository.listed_person(session, viewer.event_id, attendee_id)
    if person is None:
        raise PromptsNotAllowed()
    return prompt_maker.prompts(cards.public_card(person, language=language), language)


async def send_request(
    session: AsyncSession,
    sender: Attendee,
    *,
    to: uuid.UUID,
    reason: str,
    cap: int,
    rate: str,
) -> MeetRequestSent:
    await check_member(session, sender)
    if to == sender.id:
        raise MeetRequestToSelf()
    recipient = await repository.listed_person(session, sender.event_id, to)
    if recipient is None:
        raise PersonNotInDirectory()
    mine = await repository.request_between(session, sender.id, to)
    if mine is not None:
        # Asking again changes nothing and says what asking the first time said.
        return MeetRequestSent(state="match" if mine.state is MeetRequestState.accepted else "sent")
    theirs = await repository.request_between(session, to, sender.id)
    blocked = await repository.is_blocked_between(session, sender.id, to)
    if theirs is not None and theirs.state is MeetRequestState.accepted:
        return MeetRequestSent(state="match")
    if theirs is not None and not blocked:
        # They asked first: both want to meet.
        theirs.state = MeetRequestState.accepted
        theirs.answered_at = utcnow()
        await session.flush()
        return MeetRequestSent(state="match")
    if await repository.sent_count(session, sender.id) >= cap:
        raise MeetRequestCapReached(cap)
    await ratelimit.consume(
        "meet-request",
        rate,
        str(sender.id),
        refusal=MeetRequestsTooFast,
        detail="Too many requests at once; try again in {retry_after} s.",
    )
    # Between blocked people the request is kept as let be: its sender sees "sent", as always.
    state = MeetRequestState.declined if blocked else MeetRequestState.pending
    session.add(
        MeetRequest(
            event_id=sender.event_id,
            sender_id=sender.id,
            recipient_id=to,
            reason=reason,
            state=state,
            answered_at=utcnow() if blocked else None,
        )
    )
    await session.flush()
    return MeetRequestSent(state="sent")


async def _waiting_for(session: AsyncSession, recipient: Attendee, request_id: uuid.UUID) -> MeetRequest:
    request = await session.get(MeetRequest, request_id)
    if (
        request is None
        or request.recipient_id != recipient.id
        or request.state is not MeetRequestState.pending
        or await repository.is_blocked_between(session, recipient.id, request.sender_id)
    ):
        raise MeetRequestNotFound()
    return request


async def accept(session: AsyncSession, recipient: Attendee, request_id: uuid.UUID) -> None:
    request = await _waiting_for(session, recipient, request_id)
    request.state = MeetRequestState.accepted
    request.answered_at = utcnow()
    await session.flush()


async def let_be(session: AsyncSession, recipient: Attendee, request_id: uuid.UUID) -> None:
    request = await _waiting_for(session, recipient, request_id)
    request.state = MeetRequestState.declined
    request.answered_at = utcnow()
    await session.flush()


async def my_requests(
    session: AsyncSession, attendee: Attendee, *, language: Language, cap: int
) -> MeetRequests:
    requests = await repository.requests_of(session, attendee.id)
    hidden = await repository.blocked_ids(session, attendee.id)
    people = await repository.people(
        session, {r.recipient_id if r.sender_id == attendee.id else r.sender_id for r in requests}
    )
    met = await repository.met_matches(session, attendee.id)
    received, sent, matches = [], [], []
    for request in requests:
        mine = request.sender_id == attendee.id
        other_id = request.recipient_id if mine else request.sender_id
        other = people.get(other_id)
        if other is None or other_id in hidden or other.deleted_at is not None:
            continue
        card = cards.public_card(other, language=language)
        if request.state is MeetRequestState.accepted:
            assert request.answered_at is not None
            matches.append(
                Match(
                    id=request.id,
                    person=card,
                    matched_at=request.answered_at,
                    met=request.id in met,
                    prompts=prompt_maker.prompts(card, language),
                )
            )
        elif mine:
            sent.append(SentRequest(id=request.id, person=card, created_at=request.created_at))
        elif request.state is MeetRequestState.pending:
            received.append(
                ReceivedRequest(
                    id=request.id,
                    person=card,
                    reason=request.reason,
                    created_at=request.created_at,
                    prompts=prompt_maker.prompts(card, language),
                )
            )
    matches.sort(key=lambda m: m.matched_at, reverse=True)
    sent_count = sum(1 for r in requests if r.sender_id == attendee.id)
    return MeetRequests(received=received, sent=sent, matches=matches, sent_count=sent_count, sent_cap=cap)


async def block(session: AsyncSession, blocker: Attendee, attendee_id: uuid.UUID) -> None:
    """``attendee_id`` is hidden from ``blocker`` (and the other way round) from now on."""
    if attendee_id == blocker.id:
        raise SelfBlock()
    other = await repository.person(session, attendee_id)
    if other is None or other.event_id != blocker.event_id:
        raise PersonNotInDirectory()
    await repository.add_block(session, blocker.id, attendee_id)


async def forget(session: AsyncSession, attendee: Attendee) -> None:
    await repository.forget(session, attendee.id)


async def figures(session: AsyncSession, event: Event) -> WhoToMeetFigures:
    attendees, opted_in, sent, matches = await repository.figures(session, event.id)
    return WhoToMeetFigures(
        attendees=attendees,
        opted_in=opted_in,
        requests_sent=sent,
        matches=matches,
        matches_met=await repository.matches_met(session, event.id),
        directory_opens_at=event.directory_opens_at,
    )


def reader_language(attendee: Attendee, language: Language | None) -> Language:
    """The language the reader asked for, else the one they chose in their profile."""
    return language or cards.language_of(attendee)


async def blocked_ids(session: AsyncSession, attendee_id: uuid.UUID) -> set[uuid.UUID]:
    """People never to show ``attendee_id`` (directory, requests, suggestions), blocks both ways."""
    return await repository.blocked_ids(session, attendee_id)
