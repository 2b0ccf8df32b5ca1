from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rencontre.badges import service
from rencontre.badges.pdf import PaperLayout
from rencontre.badges.schemas import BadgeLink, CodeBadge, SealedDirectory, ShortCodeIn
from rencontre.badges.short_code import InvalidShortCode
from rencontre.badges.token import InvalidBadgeToken
from rencontre.dependencies import CurrentAttendee, SessionDep, SettingsDep
from rencontre.errors import Forbidden, NotFound, Unauthorized, Unprocessable, responses
from rencontre.events.dependencies import OrganiserEvent
from rencontre.kit.ratelimit import limit
from rencontre.profile.schemas import PublicCard

router = APIRouter(tags=["badges"], responses=responses(Unauthorized, Forbidden))

_IMAGE_HEADERS = {
    # A badge names a person: the browser keeps no copy, and an SVG opened on its own runs nothing.
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "default-src 'none'",
}


@router.get(
    "/api/badges/{token}",
    summary="The person a badge names, as the scanner may see them",
    responses=responses(InvalidBadgeToken, service.BadgeRevoked),
)
async def resolve_badge(
    token: Annotated[str, Path(max_length=64, description="A badge token (the end of a badge URL).")],
    attendee: CurrentAttendee,
    session: SessionDep,
    settings: SettingsDep,
) -> PublicCard:
    return await service.card(session, settings, attendee, token)


@router.get("/api/me/badge", summary="Your badge token and the URL its QR code encodes")
async def my_badge(attendee: CurrentAttendee, session: SessionDep, settings: SettingsDep) -> BadgeLink:
    return await service.my_badge(session, settings, attendee)


@router.get(
    "/api/directory",
    summary="The event's cards for scanning offline, each sealed: it opens with its badge or short code only",
    response_class=Response,
    responses={200: {"model": SealedDirectory}},
)
async def directory(
    request: Request, attendee: CurrentAttendee, session: SessionDep, settings: SettingsDep
) -> Response:
    gzipped = "gzip" in request.headers.get("accept-encoding", "").lower()
    body = await service.directory(session, settings, attendee, gzipped=gzipped)
    headers = {"Cache-Control": "private, no-store", "Vary": "Accept-Encoding"}
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type="application/json", headers=headers)


@router.post(
    "/api/short-codes/resolve",
    summary="The badge a typed short code names in your event: its token (record the scan with it) and card",
    responses=responses(
        InvalidShortCode, service.ShortCodeUnknown, service.ShortCodeOfOtherEvent, service.TooManyCodeGuesses
    ),
)
async def badge_by_code(
    body: ShortCodeIn, request: Request, attendee: CurrentAttendee, session: SessionDep, settings: SettingsDep
) -> CodeBadge:
    await limit(request, "short_code", settings.short_code_rate_limit, key=str(attendee.id))
    return await service.by_short_code(session, settings, attendee, body.code)


@router.get(
    "/api/events/{event_id}/attendees/{attendee_id}/badge.svg",
    summary="One badge as SVG",
    response_class=Response,
    responses={**responses(NotFound), 200: {"content": {"image/svg+xml": {}}}},
)
async def badge_svg(
    attendee_id: uuid.UUID, event: OrganiserEvent, session: SessionDep, settings: SettingsDep
) -> Response:
    svg = await service.badge_image(session, settings, event, attendee_id, kind="svg")
    return Response(svg, media_type="image/svg+xml", headers=_IMAGE_HEADERS)


@router.get(
    "/api/events/{event_id}/attendees/{attendee_id}/badge.png",
    summary="One badge as PNG",
    response_class=Response,
    responses={**responses(NotFound), 200: {"content": {"image/png": {}}}},
)
async def badge_png(
    attendee_id: uuid.UUID, event: OrganiserEvent, session: SessionDep, settings: SettingsDep
) -> Response:
    png = await service.badge_image(session, settings, event, attendee_id, kind="png")
    return Response(png, media_type="image/png", headers=_IMAGE_HEADERS)


@router.get(
    "/api/events/{event_id}/badges.pdf",
    summary="Print-ready badges (streamed): A6 pages, or A4 sheets of four with cut marks",
    response_class=StreamingResponse,
    responses={**responses(NotFound, Unprocessable), 200: {"content": {"application/pdf": {}}}},
)
async def badges_pdf(
    request: Request,
    event: OrganiserEvent,
    session: SessionDep,
    settings: SettingsDep,
    layout: Annotated[PaperLayout, Query(description="a6: one badge per page; a4: four per sheet")] = (
        PaperLayout.a6
    ),
    ids: Annotated[
        list[uuid.UUID] | None,
        Query(description=f"Only these attendees (at most {service.MAX_PRINT_IDS}); everyone if absent."),
    ] = None,
) -> StreamingResponse:
    await service.check_printable(session, event, ids)
    # Recorded as the download starts (the request's session commits before streaming).
    await service.record_printed(session, event, ids)
    factory: async_sessionmaker[AsyncSession] = request.app.state.session_factory
    return StreamingResponse(
        service.stream_pdf(factory, settings, event, layout, ids),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="badges-{event.slug}-{layout.value}.pdf"',
            "Cache-Control": "private, no-store",
            # Proxies pass the pages on as they come instead of buffering 10,000 badges.
            "X-Accel-Buffering": "no",
        },
    )
