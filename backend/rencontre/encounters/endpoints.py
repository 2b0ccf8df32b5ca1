from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response, status

from rencontre.badges import service as badge_service
from rencontre.badges.token import InvalidBadgeToken
from rencontre.db import begin_write
from rencontre.dependencies import CurrentAttendee, SessionDep, SettingsDep
from rencontre.encounters import service
from rencontre.encounters.schemas import ScanBatchIn, ScanBatchOut, ScanIn, ScanOut
from rencontre.errors import (
    Conflict,
    Forbidden,
    PayloadTooLarge,
    ServiceUnavailable,
    TooManyRequests,
    Unauthorized,
    Unprocessable,
    responses,
)
from rencontre.kit.ratelimit import limit


async def _write_transaction(session: SessionDep) -> None:
    # A router dependency runs before the endpoint's own, so before the sign-in check reads.
    await begin_write(session)


router = APIRouter(
    prefix="/api/scans",
    tags=["scans"],
    dependencies=[Depends(_write_transaction)],
    responses=responses(Unauthorized, Forbidden, TooManyRequests, ServiceUnavailable),
)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Record a scan: 201 for a new contact, 200 when you had met already",
    description=(
        "Idempotent by `client_id`: the same scan sent again records nothing and answers with the same"
        " status and contact (shown as it is now); the same `client_id` with other content is a 409."
    ),
    responses={
        200: {"model": ScanOut, "description": "An existing contact, updated (or the same scan sent again)"},
        **responses(InvalidBadgeToken, Conflict, badge_service.BadgeRevoked),
    },
)
async def record_scan(
    body: ScanIn,
    request: Request,
    response: Response,
    scanner: CurrentAttendee,
    session: SessionDep,
    settings: SettingsDep,
) -> ScanOut:
    limit(request, "scan", settings.scan_rate_limit, key=str(scanner.id))
    recorded = await service.record_scan(
        session, settings, scanner, body, publish=request.app.state.broker.publish
    )
    if not recorded.created:
        response.status_code = status.HTTP_200_OK
    return recorded.out


@router.post(
    "/batch",
    summary="Record queued scans, each answered on its own",
    responses=responses(PayloadTooLarge, Unprocessable),
)
async def record_batch(
    body: ScanBatchIn,
    request: Request,
    scanner: CurrentAttendee,
    session: SessionDep,
    settings: SettingsDep,
) -> ScanBatchOut:
    limit(request, "scan", settings.scan_rate_limit, key=str(scanner.id))
    results = await service.record_batch(
        session, settings, scanner, body.items, publish=request.app.state.broker.publish
    )
    return ScanBatchOut(results=results)
