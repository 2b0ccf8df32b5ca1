"""Every query of next steps: always through one of the pair, found from their own contact."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import (
    Attendee,
    Encounter,
    Event,
    FollowUpState,
    NextStep,
    NextStepProposal,
)
from rencontre.models.next_step import OPEN_STATES

Pair = tuple[uuid.UUID, uuid.UUID]


def pair_of(one: uuid.UUID, other: uuid.UUID) -> Pair:
    """The pair in its stored order, whoever asks."""
    return (one, other) if one < other else (other, one)


async def own_contact(
    session: AsyncSession, scanner_id: uuid.UUID, contact_id: uuid.UUID
) -> tuple[Encounter, Attendee] | None:
    """One of the caller's own contacts and the person it is about."""
    row = (
        await session.execute(
            select(Encounter, Attendee)
            .join(Attendee, Attendee.id == Encounter.scanned_id)
            .where(Encounter.scanner_id == scanner_id, Encounter.id == contact_id)
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def lock_pair(session: AsyncSession, pair: Pair) -> None:
    """Both contacts of the pair, locked in a fixed order (PostgreSQL): one change of their step at a time."""
    first, second = pair
    await session.execute(
        select(Encounter.id)
        .where(
            or_(
                and_(Encounter.scanner_id == first, Encounter.scanned_id == second),
                and_(Encounter.scanner_id == second, Encounter.scanned_id == first),
            )
        )
        .order_by(Encounter.id)
        .with_for_update()
    )


async def latest_step(session: AsyncSession, pair: Pair, *, for_update: bool = False) -> NextStep | None:
    """The pair's open step if there is one, else their most recent one."""
    first, second = pair
    statement = (
        select(NextStep)
        .where(NextStep.first_id == first, NextStep.second_id == second)
        .order_by(NextStep.state.in_(OPEN_STATES).desc(), NextStep.created_at.desc(), NextStep.id.desc())
        .limit(1)
    )
    if for_update:
        statement = statement.with_for_update()
    return (await session.scalars(statement)).first()


async def proposals(
    session: AsyncSession, step_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[NextStepProposal]]:
    """Each step's proposals, the first one first."""
    ids = list(step_ids)
    found: dict[uuid.UUID, list[NextStepProposal]] = {step_id: [] for step_id in ids}
    if not ids:
        return found
    rows = await session.scalars(
        select(NextStepProposal)
        .where(NextStepProposal.step_id.in_(ids))
        .order_by(NextStepProposal.step_id, NextStepProposal.number)
    )
    for proposal in rows:
        found[proposal.step_id].append(proposal)
    return found


async def open_steps_of(
    session: AsyncSession, attendee_id: uuid.UUID
) -> list[tuple[NextStep, Encounter, Attendee]]:
    """The attendee's open steps with their own contact of the other person, newest change first."""
    other_id = func.coalesce(
        func.nullif(NextStep.first_id, attendee_id), NextStep.second_id
    )  # the one of the pair who is not the attendee
    rows = await session.execute(
        select(NextStep, Encounter, Attendee)
        .join(Encounter, and_(Encounter.scanner_id == attendee_id, Encounter.scanned_id == other_id))
        .join(Attendee, Attendee.id == Encounter.scanned_id)
        .where(
            or_(NextStep.first_id == attendee_id, NextStep.second_id == attendee_id),
            NextStep.state.in_(OPEN_STATES),
        )
        .order_by(NextStep.updated_at.desc(), NextStep.id.desc())
    )
    return [(step, encounter, person) for step, encounter, person in rows]


async def mark_followed_up(session: AsyncSession, pair: Pair, now: datetime) -> None:
    """Both contacts of the pair still to follow up become done: agreeing on a step is following up."""
    first, second = pair
    await session.execute(
        update(Encounter)
        .where(
            or_(
                and_(Encounter.scanner_id == first, Encounter.scanned_id == second),
                and_(Encounter.scanner_id == second, Encounter.scanned_id == first),
            ),
            Encounter.follow_up == FollowUpState.todo,
        )
        .values(follow_up=FollowUpState.done, followed_up_at=now, updated_at=now),
        execution_options={"synchronize_session": False},
    )


async def event(session: AsyncSession, event_id: uuid.UUID) -> Event:
    found = await session.get(Event, event_id)
    assert found is not None, "an attendee always belongs to an event"
    return found


async def delete_involving(session: AsyncSession, attendee_id: uuid.UUID) -> None:
    """Every step the attendee took part in, with its proposals (they wrote half of them)."""
    await session.execute(
        delete(NextStep).where(or_(NextStep.first_id == attendee_id, NextStep.second_id == attendee_id)),
        execution_options={"synchronize_session": False},
    )


async def count_agreed(session: AsyncSession, event_id: uuid.UUID) -> int:
    """Steps of the event that were agreed at some point (cancelled later or not): a count, never who."""
    count = await session.scalar(
        select(func.count())
        .select_from(NextStep)
        .where(NextStep.event_id == event_id, NextStep.agreed_at.is_not(None))
    )
    return int(count or 0)
