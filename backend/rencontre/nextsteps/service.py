"""Next-step rules: only on a mutual connection, only the other side answers, never twice.

A step belongs to a pair of attendees who scanned each other. Either proposes; the other
accepts, counter-proposes (the roles swap; every proposal is kept) or declines; either
cancels a proposal of theirs or an agreed step. Each answer names the version it answers,
so nobody accepts a proposal that a counter-proposal has replaced meanwhile.

Agreeing is following up: both contacts of the pair become "done" (and stay so if the
step is later cancelled; each person may set theirs back). A step is the only text the
two share: what either wrote privately (note, tags, rating) never appears in it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.contacts.service import ContactNotFound
from rencontre.errors import Conflict, Forbidden, NotFound, TooManyRequests, Unprocessable
from rencontre.kit.time import as_utc, utcnow
from rencontre.models import (
    Attendee,
    Encounter,
    Event,
    NextStepKind,
    NextStepProposal,
    NextStepState,
)
from rencontre.models import NextStep as NextStepRow
from rencontre.models.next_step import OPEN_STATES
from rencontre.nextsteps import calendar, repository
from rencontre.nextsteps.repository import Pair
from rencontre.nextsteps.schemas import (
    DATED_KINDS,
    CounterProposal,
    NextStep,
    NextStepList,
    NextStepSlot,
    Proposal,
    ProposalTerms,
)
from rencontre.profile import cards
from rencontre.profile.schemas import Language


class NextStepNeedsMutual(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "A next step needs a mutual connection: this person has not scanned your badge. "
            "Once they have, you can propose one."
        )


class NextStepAlreadyOpen(Conflict):
    def __init__(self, state: NextStepState) -> None:
        what = "is waiting for an answer" if state is NextStepState.proposed else "is already agreed"
        super().__init__(
            f"A next step with this person {what}: answer or cancel it before proposing another. "
            "Nothing was changed."
        )


class NoNextStep(NotFound):
    def __init__(self) -> None:
        super().__init__("There is no next step with this person yet: propose one first.")


class NextStepAlreadyAnswered(Conflict):
    def __init__(self, state: NextStepState) -> None:
        super().__init__(
            f"This next step was already {state.value}: it cannot be answered again. Nothing was changed."
        )


class NextStepChanged(Conflict):
    """409: the answer names a version the step has moved on from (a counter-proposal came in)."""

    def __init__(self, current: NextStep) -> None:
        super().__init__(
            "This next step changed since you saw it (the other person made a new proposal or cancelled "
            "it), so nothing was changed. Read the current proposal and answer that one.",
            step=current.model_dump(mode="json"),
        )


class NotYourTurn(Forbidden):
    def __init__(self) -> None:
        super().__init__(
            "This proposal is yours: only the other person can accept, decline or counter it. "
            "You can cancel it."
        )


class NextStepNotYours(Forbidden):
    def __init__(self) -> None:
        super().__init__("This proposal is the other person's: decline it rather than cancel it.")


class NextStepInThePast(Unprocessable):
    def __init__(self) -> None:
        message = "The date and time proposed has passed: propose a moment in the future."
        super().__init__(message, errors=[{"field": "starts_at", "message": message}])


class NextStepTooFar(Unprocessable):
    def __init__(self, days: int) -> None:
        message = f"The date proposed is too far ahead: propose a moment within the next {days} days."
        super().__init__(message, errors=[{"field": "starts_at", "message": message}])


class TooManyNextStepProposals(TooManyRequests):
    pass


class NextStepHasNoCalendar(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "This next step has no calendar file: only a coffee or a call that was agreed has one."
        )


TOO_MANY_PROPOSALS = (
    "You have made many proposals to this person in a short time; try again in {retry_after} s."
)


# ---------------------------------------------------------------------------- reading


async def _contact(
    session: AsyncSession, attendee: Attendee, contact_id: uuid.UUID
) -> tuple[Encounter, Attendee]:
    found = await repository.own_contact(session, attendee.id, contact_id)
    if found is None:
        # Someone else's contact is reported exactly like one that does not exist.
        raise ContactNotFound()
    return found


def _is_mutual(encounter: Encounter, person: Attendee) -> bool:
    return encounter.mutual and person.deleted_at is None


def _proposal(proposal: NextStepProposal, *, me: uuid.UUID, zone: ZoneInfo) -> Proposal:
    starts_at = as_utc(proposal.starts_at) if proposal.starts_at else None
    return Proposal(
        number=proposal.number,
        by_me=proposal.proposer_id == me,
        kind=proposal.kind,
        starts_at=starts_at,
        starts_at_local=starts_at.astimezone(zone) if starts_at else None,
        duration_minutes=proposal.duration_minutes,
        place=proposal.place,
        link=proposal.link,
        message=proposal.message,
        proposed_at=proposal.created_at,
    )


def _view(
    step: NextStepRow,
    proposals: list[NextStepProposal],
    *,
    me: Attendee,
    contact: Encounter,
    person: Attendee,
    event: Event,
) -> NextStep:
    zone = ZoneInfo(event.timezone)
    history = [_proposal(p, me=me.id, zone=zone) for p in proposals]
    current = history[-1]
    return NextStep(
        id=step.id,
        contact_id=contact.id,
        person=cards.public_card(person, language=cards.language_of(me)),
        state=step.state,
        version=step.version,
        awaiting_me=step.state is NextStepState.proposed and step.proposed_by_id != me.id,
        proposed_by_me=step.proposed_by_id == me.id,
        closed_by_me=step.closed_by_id == me.id,
        current=current,
        history=history,
        has_calendar=_has_calendar(step, current.kind),
        agreed_at=step.agreed_at,
        updated_at=step.updated_at,
    )


def _has_calendar(step: NextStepRow, kind: NextStepKind) -> bool:
    agreed_once = step.state is NextStepState.agreed or (
        step.state is NextStepState.cancelled and step.agreed_at is not None
    )
    return agreed_once and kind in DATED_KINDS


async def _present(
    session: AsyncSession, step: NextStepRow, *, me: Attendee, contact: Encounter, person: Attendee
) -> NextStep:
    proposals = (await repository.proposals(session, [step.id]))[step.id]
    event = await repository.event(session, me.event_id)
    return _view(step, proposals, me=me, contact=contact, person=person, event=event)


async def slot(session: AsyncSession, attendee: Attendee, contact_id: uuid.UUID) -> NextStepSlot:
    contact, person = await _contact(session, attendee, contact_id)
    mutual = _is_mutual(contact, person)
    step = await repository.latest_step(session, repository.pair_of(attendee.id, person.id))
    shown = None
    if step is not None and mutual:
        shown = await _present(session, step, me=attendee, contact=contact, person=person)
    is_open = step is not None and step.state in OPEN_STATES
    return NextStepSlot(mutual=mutual, can_propose=mutual and not is_open, step=shown)


async def open_steps(session: AsyncSession, attendee: Attendee) -> NextStepList:
    """Every proposed or agreed step of the attendee: what waits for them comes first."""
    rows = [row for row in await repository.open_steps_of(session, attendee.id) if _is_mutual(row[1], row[2])]
    proposals = await repository.proposals(session, (step.id for step, _, _ in rows))
    event = await repository.event(session, attendee.event_id)
    items = [
        _view(step, proposals[step.id], me=attendee, contact=contact, person=person, event=event)
        for step, contact, person in rows
    ]
    items.sort(key=lambda item: not item.awaiting_me)  # stable: newest first within each group
    return NextStepList(items=items)


# ---------------------------------------------------------------------------- changing


def check_moment(terms: ProposalTerms, *, now: datetime, horizon_days: int) -> None:
    if terms.starts_at is None:
        return
    if terms.starts_at <= now:
        raise NextStepInThePast()
    if terms.starts_at > now + timedelta(days=horizon_days):
        raise NextStepTooFar(horizon_days)


async def _mutual_pair(
    session: AsyncSession, attendee: Attendee, contact_id: uuid.UUID
) -> tuple[Encounter, Attendee, Pair]:
    contact, person = await _contact(session, attendee, contact_id)
    if not _is_mutual(contact, person):
        raise NextStepNeedsMutual()
    pair = repository.pair_of(attendee.id, person.id)
    await repository.lock_pair(session, pair)
    return contact, person, pair


def _add_proposal(
    session: AsyncSession, step: NextStepRow, number: int, proposer: Attendee, terms: ProposalTerms
) -> None:
    session.add(
        NextStepProposal(
            step_id=step.id,
            number=number,
            proposer_id=proposer.id,
            kind=terms.kind,
            starts_at=terms.starts_at,
            duration_minutes=terms.duration_minutes,
            place=terms.place,
            link=terms.link,
            message=terms.message,
        )
    )


async def propose(
    session: AsyncSession,
    attendee: Attendee,
    contact_id: uuid.UUID,
    terms: ProposalTerms,
    *,
    horizon_days: int,
) -> NextStep:
    now = utcnow()
    check_moment(terms, now=now, horizon_days=horizon_days)
    contact, person, pair = await _mutual_pair(session, attendee, contact_id)
    latest = await repository.latest_step(session, pair, for_update=True)
    if latest is not None and latest.state in OPEN_STATES:
        raise NextStepAlreadyOpen(latest.state)
    step = NextStepRow(
        id=uuid.uuid4(),
        event_id=attendee.event_id,
        first_id=pair[0],
        second_id=pair[1],
        state=NextStepState.proposed,
        version=1,
        proposed_by_id=attendee.id,
        created_at=now,
        updated_at=now,
    )
    session.add(step)
    await session.flush()
    _add_proposal(session, step, 1, attendee, terms)
    await session.flush()
    return await _present(session, step, me=attendee, contact=contact, person=person)


async def _answerable(
    session: AsyncSession,
    attendee: Attendee,
    contact_id: uuid.UUID,
    version: int,
    *,
    allowed: tuple[NextStepState, ...],
) -> tuple[NextStepRow, Encounter, Attendee, Pair]:
    contact, person, pair = await _mutual_pair(session, attendee, contact_id)
    step = await repository.latest_step(session, pair, for_update=True)
    if step is None:
        raise NoNextStep()
    if step.state not in allowed:
        raise NextStepAlreadyAnswered(step.state)
    if step.version != version:
        raise NextStepChanged(await _present(session, step, me=attendee, contact=contact, person=person))
    return step, contact, person, pair


async def _their_proposal(
    session: AsyncSession, attendee: Attendee, contact_id: uuid.UUID, version: int
) -> tuple[NextStepRow, Encounter, Attendee, Pair]:
    """The step the other person proposed and the attendee may answer: only the counterpart answers."""
    found = await _answerable(session, attendee, contact_id, version, allowed=(NextStepState.proposed,))
    if found[0].proposed_by_id == attendee.id:
        raise NotYourTurn()
    return found


def _moved(step: NextStepRow, now: datetime) -> None:
    step.version += 1
    step.updated_at = max(now, as_utc(step.updated_at) + timedelta(microseconds=1))


async def counter(
    session: AsyncSession,
    attendee: Attendee,
    contact_id: uuid.UUID,
    body: CounterProposal,
    *,
    horizon_days: int,
) -> NextStep:
    now = utcnow()
    check_moment(body, now=now, horizon_days=horizon_days)
    step, contact, person, _ = await _their_proposal(session, attendee, contact_id, body.version)
    numbers = (await repository.proposals(session, [step.id]))[step.id]
    _add_proposal(session, step, len(numbers) + 1, attendee, body)
    step.proposed_by_id = attendee.id
    _moved(step, now)
    await session.flush()
    return await _present(session, step, me=attendee, contact=contact, person=person)


async def accept(session: AsyncSession, attendee: Attendee, contact_id: uuid.UUID, version: int) -> NextStep:
    step, contact, person, pair = await _their_proposal(session, attendee, contact_id, version)
    now = utcnow()
    step.state = NextStepState.agreed
    step.agreed_at = now
    _moved(step, now)
    await repository.mark_followed_up(session, pair, now)
    await session.flush()
    return await _present(session, step, me=attendee, contact=contact, person=person)


async def decline(session: AsyncSession, attendee: Attendee, contact_id: uuid.UUID, version: int) -> NextStep:
    step, contact, person, _ = await _their_proposal(session, attendee, contact_id, version)
    _close(step, attendee, NextStepState.declined)
    await session.flush()
    return await _present(session, step, me=attendee, contact=contact, person=person)


async def cancel(session: AsyncSession, attendee: Attendee, contact_id: uuid.UUID, version: int) -> NextStep:
    """Either side cancels an agreed step; a proposal is withdrawn by its author (the other declines it)."""
    step, contact, person, _ = await _answerable(session, attendee, contact_id, version, allowed=OPEN_STATES)
    if step.state is NextStepState.proposed and step.proposed_by_id != attendee.id:
        raise NextStepNotYours()
    _close(step, attendee, NextStepState.cancelled)
    await session.flush()
    return await _present(session, step, me=attendee, contact=contact, person=person)


def _close(step: NextStepRow, attendee: Attendee, state: NextStepState) -> None:
    now = utcnow()
    step.state = state
    step.closed_at = now
    step.closed_by_id = attendee.id
    _moved(step, now)


async def calendar_file(
    session: AsyncSession,
    attendee: Attendee,
    contact_id: uuid.UUID,
    *,
    language: Language | None,
    public_base_url: str,
) -> bytes:
    contact, person = await _contact(session, attendee, contact_id)
    if not _is_mutual(contact, person):
        raise NextStepNeedsMutual()
    step = await repository.latest_step(session, repository.pair_of(attendee.id, person.id))
    if step is None:
        raise NoNextStep()
    proposals = (await repository.proposals(session, [step.id]))[step.id]
    current = proposals[-1]
    if not _has_calendar(step, current.kind) or current.starts_at is None:
        raise NextStepHasNoCalendar()
    event = await repository.event(session, attendee.event_id)
    reader = language or cards.language_of(attendee)
    return calendar.ics(
        calendar.CalendarEntry(
            uid=calendar.uid_of(step.id, public_base_url),
            sequence=step.version,
            cancelled=step.state is NextStepState.cancelled,
            kind=current.kind,
            starts_at=current.starts_at,
            duration_minutes=current.duration_minutes or 30,
            place=current.place,
            link=current.link,
            message=current.message,
            other_name=cards.public_card(person, language=reader).name,
            event_name=event.name,
            stamped_at=step.updated_at,
            language=reader,
        )
    )


async def agreed_count(session: AsyncSession, event_id: uuid.UUID) -> int:
    return await repository.count_agreed(session, event_id)


async def forget(session: AsyncSession, attendee: Attendee) -> None:
    """Account deletion or removal: the steps they took part in go, with what they wrote in them."""
    await repository.delete_involving(session, attendee.id)
