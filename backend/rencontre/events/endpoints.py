from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from rencontre.dependencies import CurrentOrganiser, SessionDep
from rencontre.errors import Forbidden, NotFound, Unauthorized, Unprocessable, responses
from rencontre.events import service
from rencontre.events.schemas import Event, EventCreate, EventUpdate

router = APIRouter(prefix="/api/events", tags=["events"], responses=responses(Unauthorized, Forbidden))


def _out(event: object, attendee_count: int = 0) -> Event:
    return Event.model_validate(event).model_copy(update={"attendee_count": attendee_count})


@router.get("", summary="Your events")
async def list_events(organiser: CurrentOrganiser, session: SessionDep) -> list[Event]:
    return [_out(e, n) for e, n in await service.list_events(session, organiser)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create an event",
    responses=responses(Unprocessable),
)
async def create_event(body: EventCreate, organiser: CurrentOrganiser, session: SessionDep) -> Event:
    return _out(await service.create_event(session, organiser, body))


@router.get("/{event_id}", summary="One of your events", responses=responses(NotFound))
async def get_event(event_id: uuid.UUID, organiser: CurrentOrganiser, session: SessionDep) -> Event:
    event = await service.get_event(session, organiser, event_id)
    return _out(event, await service.attendee_count(session, event))


@router.patch("/{event_id}", summary="Update an event", responses=responses(NotFound, Unprocessable))
async def update_event(
    event_id: uuid.UUID, body: EventUpdate, organiser: CurrentOrganiser, session: SessionDep
) -> Event:
    event = await service.update_event(session, organiser, event_id, body)
    return _out(event, await service.attendee_count(session, event))
