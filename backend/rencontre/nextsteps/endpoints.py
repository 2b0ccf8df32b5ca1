from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from rencontre.contacts.service import ContactNotFound
from rencontre.dependencies import CurrentAttendee, SessionDep, SettingsDep
from rencontre.errors import NotFound, Unprocessable, responses
from rencontre.kit import ratelimit
from rencontre.nextsteps import calendar, service
from rencontre.nextsteps.schemas import (
    Answer,
    CounterProposal,
    NextStep,
    NextStepList,
    NextStepSlot,
    ProposalTerms,
)
from rencontre.nextsteps.service import (
    NextStepAlreadyAnswered,
    NextStepAlreadyOpen,
    NextStepChanged,
    NextStepHasNoCalendar,
    NextStepInThePast,
    NextStepNeedsMutual,
    NotYourTurn,
    TooManyNextStepProposals,
)
from rencontre.profile.schemas import Language

# Only the two people of a step reach it, each through their own contact of the other;
# an organiser has no route here at all (the report counts agreed steps, never whose).
router = APIRouter(prefix="/api", tags=["next steps"])

_STEP = "/contacts/{contact_id:uuid}/next-step"
_ANSWER_ERRORS = responses(
    ContactNotFound, NextStepNeedsMutual, NotYourTurn, NextStepAlreadyAnswered, Unprocessable
)


async def _count_proposal(settings: SettingsDep, attendee_id: uuid.UUID, contact_id: uuid.UUID) -> None:
    await ratelimit.consume(
        "next-step",
        settings.next_step_rate_limit,
        f"{attendee_id}:{contact_id}",
        refusal=TooManyNextStepProposals,
        detail=service.TOO_MANY_PROPOSALS,
    )


@router.get("/next-steps", summary="Your next steps proposed or agreed, those awaiting your answer first")
async def list_next_steps(attendee: CurrentAttendee, session: SessionDep) -> NextStepList:
    return await service.open_steps(session, attendee)


@router.get(
    _STEP,
    summary="The next step with one of your contacts: the open one, else the last one",
    responses=responses(ContactNotFound),
)
async def get_next_step(
    contact_id: uuid.UUID, attendee: CurrentAttendee, session: SessionDep
) -> NextStepSlot:
    return await service.slot(session, attendee, contact_id)


@router.post(
    _STEP,
    status_code=201,
    summary="Propose a coffee, a call or a resource to a mutual connection",
    responses=responses(ContactNotFound, NextStepAlreadyOpen, NextStepInThePast, TooManyNextStepProposals),
)
async def propose(
    contact_id: uuid.UUID,
    body: ProposalTerms,
    attendee: CurrentAttendee,
    session: SessionDep,
    settings: SettingsDep,
) -> NextStep:
    await _count_proposal(settings, attendee.id, contact_id)
    return await service.propose(
        session, attendee, contact_id, body, horizon_days=settings.next_step_horizon_days
    )


@router.post(
    f"{_STEP}/counter",
    summary="Answer a proposal with another one (the roles swap; the first is kept in the history)",
    responses={**_ANSWER_ERRORS, **responses(NextStepChanged, TooManyNextStepProposals)},
)
async def counter(
    contact_id: uuid.UUID,
    body: CounterProposal,
    attendee: CurrentAttendee,
    session: SessionDep,
    settings: SettingsDep,
) -> NextStep:
    await _count_proposal(settings, attendee.id, contact_id)
    return await service.counter(
        session, attendee, contact_id, body, horizon_days=settings.next_step_horizon_days
    )


@router.post(
    f"{_STEP}/accept",
    summary="Accept the other person's proposal: the step is agreed, both contacts followed up",
    responses={**_ANSWER_ERRORS, **responses(NextStepChanged)},
)
async def accept(
    contact_id: uuid.UUID, body: Answer, attendee: CurrentAttendee, session: SessionDep
) -> NextStep:
    return await service.accept(session, attendee, contact_id, body.version)


@router.post(
    f"{_STEP}/decline",
    summary="Decline the other person's proposal",
    responses={**_ANSWER_ERRORS, **responses(NextStepChanged)},
)
async def decline(
    contact_id: uuid.UUID, body: Answer, attendee: CurrentAttendee, session: SessionDep
) -> NextStep:
    return await service.decline(session, attendee, contact_id, body.version)


@router.post(
    f"{_STEP}/cancel",
    summary="Cancel an agreed step, or withdraw your own proposal",
    responses={**_ANSWER_ERRORS, **responses(NextStepChanged, service.NextStepNotYours)},
)
async def cancel(
    contact_id: uuid.UUID, body: Answer, attendee: CurrentAttendee, session: SessionDep
) -> NextStep:
    return await service.cancel(session, attendee, contact_id, body.version)


@router.get(
    f"{_STEP}.ics",
    summary="The agreed coffee or call as a calendar file (a cancelled one cancels it)",
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {}}, "description": "One VEVENT, UID stable per step"},
        **responses(ContactNotFound, NextStepNeedsMutual, NotFound, NextStepHasNoCalendar),
    },
)
async def next_step_ics(
    contact_id: uuid.UUID,
    attendee: CurrentAttendee,
    session: SessionDep,
    settings: SettingsDep,
    lang: Annotated[
        Language | None, Query(description="The summary in this language. Default: yours")
    ] = None,
) -> Response:
    body = await service.calendar_file(
        session, attendee, contact_id, language=lang, public_base_url=settings.public_base_url
    )
    return Response(
        body,
        media_type=calendar.MEDIA_TYPE,
        headers={
            "Content-Disposition": 'attachment; filename="next-step.ics"',
            "Cache-Control": "no-store",
        },
    )
