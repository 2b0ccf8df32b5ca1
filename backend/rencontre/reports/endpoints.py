from __future__ import annotations

from fastapi import APIRouter, Response

from rencontre.dependencies import SessionDep
from rencontre.errors import Forbidden, NotFound, Unauthorized, responses
from rencontre.events.dependencies import OrganiserEvent
from rencontre.kit.csvfile import MEDIA_TYPE as CSV_MEDIA_TYPE
from rencontre.kit.text import slugify
from rencontre.reports import service
from rencontre.reports.schemas import EventReport

router = APIRouter(
    prefix="/api/events/{event_id}",
    tags=["reports"],
    responses=responses(Unauthorized, Forbidden, NotFound),
)


@router.get("/report", summary="End-of-event report: totals, distribution, peak periods")
async def event_report(event: OrganiserEvent, session: SessionDep) -> EventReport:
    return await service.event_report(session, event)


@router.get(
    "/report.csv",
    summary="The end-of-event report's figures as CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "section, metric, value"}},
)
async def event_report_csv(event: OrganiserEvent, session: SessionDep) -> Response:
    report = await service.event_report(session, event)
    return Response(
        service.report_csv(report),
        media_type=CSV_MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="report-{slugify(event.name)}.csv"',
            "Cache-Control": "no-store",
        },
    )
