"""People for you: GET the reader's suggestions, hide or "not now" one; the console's
"suggested to meet" for isolated attendees."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Path, Query, Request

from rencontre.dependencies import CurrentAttendee, SessionDep, SettingsDep
from rencontre.errors import Forbidden, NotFound, Unauthorized, Unprocessable, responses
from rencontre.events.dependencies import OrganiserEvent
from rencontre.models import DismissalKind, Event
from rencontre.profile.schemas import Language
from rencontre.suggestions import engine, service
from rencontre.suggestions.schemas import Dismissed, SuggestedToMeet, SuggestionsOut

router = APIRouter(tags=["suggestions"], responses=responses(Unauthorized, Forbidden))

_REFUSED = (service.SuggestionsClosed, service.SuggestionsNeedDirectory)


async def _event(session: SessionDep, attendee: CurrentAttendee) -> Event:
    event = await session.get(Event, attendee.event_id)
    assert event is not None
    return event


@router.get(
    "/api/suggestions",
    summary="People for you: a short list, each with its reasons in words",
    responses=responses(*_REFUSED, Unprocessable),
)
async def my_suggestions(
    request: Request,
    tasks: BackgroundTasks,
    attendee: CurrentAttendee,
    session: SessionDep,
    settings: SettingsDep,
    lang: Annotated[Language | None, Query(description="The reasons' language; yours by default.")] = None,
) -> SuggestionsOut:
    served = await service.my_suggestions(session, settings, attendee, await _event(session, attendee), lang)
    needed = served.needs_own_row or served.needs_top_up
    if needed and engine.top_up_due(attendee.event_id, attendee.id):
        tasks.add_task(
            engine.refresh_quietly,
            request.app.state.session_factory,
            settings,
            attendee.event_id,
            changed=attendee.id if served.needs_own_row else None,
            readers=[attendee.id],
        )
    return served.answer


_DISMISS_REFUSED = (*_REFUSED, service.SuggestedPersonNotFound, service.SuggestionOfYourself, Unprocessable)
_DISMISSALS = {"hide": DismissalKind.hidden, "not-now": DismissalKind.not_now}


@router.post(
    "/api/suggestions/{attendee_id}/{action}",
    summary='Hide a suggested person for good, or "not now" (out of your list for some hours)',
    responses=responses(*_DISMISS_REFUSED),
)
async def dismiss(
    attendee_id: uuid.UUID,
    action: Annotated[
        Literal["hide", "not-now"],
        Path(description='"hide" for good; "not-now" for suggestion_not_now_hours.'),
    ],
    request: Request,
    tasks: BackgroundTasks,
    attendee: CurrentAttendee,
    session: SessionDep,
    settings: SettingsDep,
) -> Dismissed:
    event = await _event(session, attendee)
    kind = _DISMISSALS[action]
    dismissed = await service.dismiss(session, settings, attendee, event, attendee_id, kind)
    tasks.add_task(
        engine.refresh_quietly,
        request.app.state.session_factory,
        settings,
        attendee.event_id,
        readers=[attendee.id],
    )
    return dismissed


@router.get(
    "/api/events/{event_id}/suggested-to-meet",
    summary="For isolated attendees: the present people they were suggested to meet",
    responses=responses(Forbidden, NotFound, Unprocessable),
)
async def suggested_to_meet(
    event: OrganiserEvent,
    session: SessionDep,
    attendee_id: Annotated[
        list[uuid.UUID], Query(min_length=1, max_length=50, description="The isolated attendees (1 to 50).")
    ],
) -> list[SuggestedToMeet]:
    return await service.suggested_to_meet(session, event, attendee_id)
