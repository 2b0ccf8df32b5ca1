from __future__ import annotations

from fastapi import APIRouter, Response, status

from rencontre.dependencies import CurrentAttendee, SessionDep, SettingsDep
from rencontre.errors import Unauthorized, Unprocessable, responses
from rencontre.models import Event
from rencontre.push import service, webpush
from rencontre.push.schemas import PushKey, Subscription, SubscriptionIn, Unsubscribe

router = APIRouter(prefix="/api/push", tags=["push"])


@router.get("/key", summary="The server's VAPID public key, to subscribe a phone with")
async def push_key(settings: SettingsDep) -> PushKey:
    return PushKey(public_key=webpush.public_key(settings))


@router.post(
    "/subscriptions",
    status_code=status.HTTP_201_CREATED,
    summary="Turn on reminders on this phone (its PushSubscription)",
    responses=responses(
        Unauthorized, Unprocessable, service.PushEndpointRefused, service.RemindersAfterPurge
    ),
)
async def subscribe(
    body: SubscriptionIn,
    attendee: CurrentAttendee,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
) -> Subscription:
    event = await session.get(Event, attendee.event_id)
    purged = event is not None and event.purged_at is not None
    saved, created = await service.subscribe(session, settings, attendee, purged, body)
    if not created:
        response.status_code = status.HTTP_200_OK
    return Subscription.model_validate(saved)


@router.post(
    "/unsubscribe",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Turn off reminders on this phone",
    responses=responses(Unauthorized, service.PushSubscriptionNotFound),
)
async def unsubscribe(body: Unsubscribe, attendee: CurrentAttendee, session: SessionDep) -> Response:
    await service.unsubscribe(session, attendee, body.endpoint)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
