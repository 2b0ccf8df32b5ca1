"""The rules of "people for you": who may read suggestions, hide and "not now".

Serving reads the reader's stored list (kept in step by :mod:`.engine`) and leaves out,
at that moment, whoever no longer belongs in it: met since (either way), hidden or "not
now", out of the directory. Each line carries the person's card and the reasons, built
from that card only (:mod:`.reasons`) in the reader's language.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.config import Settings
from rencontre.errors import Conflict, Forbidden, NotFound
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, DismissalKind, Event
from rencontre.people import service as people_service
from rencontre.profile import cards
from rencontre.profile.schemas import Language
from rencontre.suggestions import repository
from rencontre.suggestions.profiles import from_card, visible_profile
from rencontre.suggestions.reasons import reasons_for
from rencontre.suggestions.schemas import Dismissed, ReasonOut, SuggestedToMeet, SuggestionOut, SuggestionsOut

# How many present people the console lists for each isolated attendee.
PRESENT_SUGGESTIONS = 3


class SuggestionsClosed(Forbidden):
    def __init__(self, opens_at: datetime | None) -> None:
        if opens_at is None:
            super().__init__(
                "Suggestions start when the organiser opens the event's directory; it is closed."
            )
        else:
            super().__init__(
                f"Suggestions start when the event's directory opens, at {opens_at.isoformat()}.",
                opens_at=opens_at.isoformat(),
            )


class SuggestionsNeedDirectory(Forbidden):
    def __init__(self) -> None:
        super().__init__(
            "Join the event's directory (directory_opt_in in your profile) to get suggestions: "
            "people are suggested to each other only among those who joined."
        )


class SuggestedPersonNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("This person is not in the event's directory: there is nothing to hide.")


class SuggestionOfYourself(Conflict):
    def __init__(self) -> None:
        super().__init__("You are never suggested to yourself: give another person's id.")


def directory_open(event: Event, now: datetime) -> bool:
    return event.directory_opens_at is not None and event.directory_opens_at <= now


def check_reader(reader: Attendee, event: Event) -> None:
    if not directory_open(event, utcnow()):
        raise SuggestionsClosed(event.directory_opens_at)
    if not reader.directory_opt_in:
        raise SuggestionsNeedDirectory()


@dataclass(frozen=True)
class Served:
    answer: SuggestionsOut
    # What the list needs recomputed after the answer: the reader's own row (a list that
    # was never made), or just topping up a list that lost people.
    needs_own_row: bool
    needs_top_up: bool


async def my_suggestions(
    session: AsyncSession, settings: Settings, reader: Attendee, event: Event, language: Language | None
) -> Served:
    check_reader(reader, event)
    language = language or cards.language_of(reader)
    served = await repository.reader_list(session, reader.id, utcnow())
    # A block since the list was made hides the person at once, both ways.
    blocked = await people_service.blocked_ids(session, reader.id)
    mine = visible_profile(reader)
    out = []
    for line in served:
        if line.dropped or line.card.id in blocked:
            continue
        card = cards.public_card(line.card, language=language)
        found = reasons_for(mine, from_card(card), card.name, language)
        out.append(
            SuggestionOut(
                card=card,
                reason=found[0].text,
                reasons=[ReasonOut(kind=r.kind, text=r.text) for r in found],
            )
        )
    answer = SuggestionsOut(
        language=language, suggestions=out, not_now_hours=settings.suggestion_not_now_hours
    )
    return Served(answer, needs_own_row=not served, needs_top_up=len(out) < len(served))


async def dismiss(
    session: AsyncSession,
    settings: Settings,
    reader: Attendee,
    event: Event,
    person_id: uuid.UUID,
    kind: DismissalKind,
) -> Dismissed:
    check_reader(reader, event)
    if person_id == reader.id:
        raise SuggestionOfYourself()
    if not await repository.directory_member(session, event.id, person_id):
        raise SuggestedPersonNotFound()
    until = (
        utcnow() + timedelta(hours=settings.suggestion_not_now_hours)
        if kind is DismissalKind.not_now
        else None
    )
    await repository.dismiss(session, event.id, reader.id, person_id, kind, until)
    return Dismissed(attendee_id=person_id, until=until)


async def suggested_to_meet(
    session: AsyncSession, event: Event, attendee_ids: Sequence[uuid.UUID]
) -> list[SuggestedToMeet]:
    """For the live dashboard's isolated attendees: present people they were suggested to meet.

    Names only while the event's feed shows names (as the feed's own lists); else a count.
    """
    found = await repository.suggested_present(
        session, event.id, list(dict.fromkeys(attendee_ids)), PRESENT_SUGGESTIONS
    )
    return [
        SuggestedToMeet(
            attendee_id=attendee_id,
            people=[f"{name} ({company})" if company else name for name, company in people]
            if event.feed_shows_names
            else [],
            count=len(people),
        )
        for attendee_id, people in found.items()
    ]
