from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool

from rencontre.dependencies import SessionDep, SettingsDep
from rencontre.errors import Forbidden, NotFound, Unauthorized, responses
from rencontre.events.dependencies import OrganiserEvent
from rencontre.kit.csvfile import MEDIA_TYPE as CSV_MEDIA_TYPE
from rencontre.kit.text import slugify
from rencontre.reports import pdf, service
from rencontre.reports.schemas import EventProgress, EventReport

router = APIRouter(
    prefix="/api/events/{event_id}",
    tags=["reports"],
    responses=responses(Unauthorized, Forbidden, NotFound),
)


@router.get("/progress", summary="The overview's checklist: attendees registered, invited, joined")
async def event_progress(event: OrganiserEvent, session: SessionDep) -> EventProgress:
    return await service.event_progress(session, event)


@router.get("/report", summary="End-of-event report: totals, distribution, peak periods")
async def event_report(event: OrganiserEvent, session: SessionDep, settings: SettingsDep) -> EventReport:
    return await service.event_report(session, event, min_group_size=settings.report_min_group_size)


@router.get(
    "/report.csv",
    summary="The end-of-event report's figures as CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "section, metric, value"}},
)
async def event_report_csv(event: OrganiserEvent, session: SessionDep, settings: SettingsDep) -> Response:
    report = await service.event_report(session, event, min_group_size=settings.report_min_group_size)
    return Response(
        service.report_csv(report),
        media_type=CSV_MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="report-{slugify(event.name)}.csv"',
            "Cache-Control": "no-store",
        },
    )


@router.get(
    "/report.pdf",
    summary="The end-of-event report as a PDF with charts, in French or English",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "A4 pages: figures and charts"}},
)
async def event_report_pdf(
    event: OrganiserEvent,
    session: SessionDep,
    settings: SettingsDep,
    lang: Annotated[pdf.Language, Query(description="The report's language.")] = "en",
) -> Response:
    report = await service.event_report(session, event, min_group_size=settings.report_min_group_size)
    # Laying out pages and charts takes a few hundred milliseconds: off the event loop.
    document = await run_in_threadpool(pdf.report_pdf, report, lang)
    return Response(
        document,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="report-{slugify(event.name)}.pdf"',
            "Cache-Control": "no-store",
        },
    )
