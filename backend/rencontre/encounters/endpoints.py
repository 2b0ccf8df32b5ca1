from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel

from rencontre.auth import service as auth_service
from rencontre.auth.tokens import Role, TokenClaims
from rencontre.badges import service as badge_service
from rencontre.badges.token import InvalidBadgeToken
from rencontre.config import Settings
from rencontre.dependencies import BEARER_SECURITY, bearer_token_of
from rencontre.encounters import batch
from rencontre.encounters.outcomes import ScanRequest
from rencontre.encounters.schemas import ScanBatchIn, ScanBatchOut, ScanIn, ScanOut
from rencontre.encounters.writer import ScanWriter
from rencontre.errors import (
    AppError,
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

# The scan path keeps FastAPI's dependency graph to the one thing it must resolve, the
# caller, itself with no dependency of its own: each dependency costs tens of microseconds
# per request (a security one more: FastAPI works out its scopes on every request), and a
# plain ``def`` one a hop to the thread pool. The token is read from the header as
# ``BearerDep`` would, the settings and this process's writer from the app's state.


async def get_caller(request: Request) -> TokenClaims:
    """An attendee's verified access token. Whether their session still stands is checked
    with the scan itself, in its group's transaction (see ``ScanRequest``)."""
    claims = auth_service.verify_access(_settings(request), bearer_token_of(request))
    if claims.role is not Role.attendee:
        raise Forbidden("This action is reserved for attendees.")
    return claims


CurrentCaller = Annotated[TokenClaims, Depends(get_caller)]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _writer(request: Request) -> ScanWriter:
    """This process's writer of scans, made on first use with the app's session factory and broker."""
    state = request.app.state
    writer: ScanWriter | None = getattr(state, "scan_writer", None)
    if writer is None or writer.factory is not state.session_factory:
        if writer is not None:
            writer.close()
        writer = state.scan_writer = ScanWriter(state.session_factory, state.settings, state.broker.publish)
    return writer


router = APIRouter(
    prefix="/api/scans",
    tags=["scans"],
    responses=responses(Unauthorized, Forbidden, TooManyRequests, ServiceUnavailable),
)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ScanOut,
    summary="Record a scan: 201 for a new contact, 200 when you had met already",
    description=(
        "Idempotent by `client_id`: the same scan sent again records nothing and answers with the same"
        " status and contact (shown as it is now); the same `client_id` with other content is a 409."
    ),
    responses={
        200: {"model": ScanOut, "description": "An existing contact, updated (or the same scan sent again)"},
        **responses(InvalidBadgeToken, Conflict, badge_service.BadgeRevoked),
    },
    openapi_extra=BEARER_SECURITY,
)
async def record_scan(body: ScanIn, request: Request, caller: CurrentCaller) -> Response:
    settings = _settings(request)
    await limit(request, "scan", settings.scan_rate_limit, key=str(caller.subject), burst=settings.scan_burst)
    [outcome] = await _writer(request).record([ScanRequest(caller, body)])
    if isinstance(outcome, AppError):
        raise outcome
    return _json(outcome.out(), status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK)


@router.post(
    "/batch",
    response_model=ScanBatchOut,
    summary="Record queued scans, each answered on its own",
    description=(
        "Each item counts as one scan against the scan rate limit. Each is answered with the"
        " contact's id and version and what became of it (`outcome`), not the note or card."
    ),
    responses=responses(PayloadTooLarge, Unprocessable),
    openapi_extra=BEARER_SECURITY,
)
async def record_batch(body: ScanBatchIn, request: Request, caller: CurrentCaller) -> Response:
    settings = _settings(request)
    batch.check_batch_size(settings, body.items)
    # Each scan counts, whether sent alone or queued: a batch is no way around the limit.
    await limit(
        request,
        "scan",
        settings.scan_rate_limit,
        key=str(caller.subject),
        cost=len(body.items),
        burst=settings.scan_burst,
    )
    parsed = batch.parse_batch(caller, body.items)
    requests = [item for item in parsed if isinstance(item, ScanRequest)]
    if not requests:
        await auth_service.check_session(request.app.state.session_factory, caller)
    outcomes = await _writer(request).record(requests)
    return _json(ScanBatchOut(results=batch.batch_results(body.items, parsed, outcomes)))


def _json(out: BaseModel, status_code: int = status.HTTP_200_OK) -> Response:
    """The answer serialized once, from the model built for it: FastAPI would validate it again."""
    return Response(out.model_dump_json(), status_code=status_code, media_type="application/json")
