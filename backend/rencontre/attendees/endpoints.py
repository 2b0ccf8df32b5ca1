from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status

from rencontre.access.schemas import AccessRecord, AccessReissueRequest, ReissuedAccess
from rencontre.attendees import service
from rencontre.attendees.sample import SampleLanguage, sample_csv
from rencontre.attendees.schemas import (
    Attendee,
    AttendeeCreate,
    AttendeePage,
    AttendeeUpdate,
    ExistingRows,
    ImportFileCode,
    ImportReport,
    JoinLink,
)
from rencontre.auth import service as auth_service
from rencontre.dependencies import CurrentOrganiser, SessionDep, SettingsDep, WritesOnGet
from rencontre.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    Unprocessable,
    responses,
)
from rencontre.events.dependencies import OrganiserEvent
from rencontre.kit.csvfile import MEDIA_TYPE as CSV_MEDIA_TYPE
from rencontre.kit.text import slugify
from rencontre.live.notify import LivePublish, announce

router = APIRouter(
    prefix="/api/events/{event_id}",
    tags=["attendees"],
    responses=responses(Unauthorized, Forbidden, NotFound),
)


@router.get("/attendees", summary="Attendees of an event", responses=responses(BadRequest))
async def list_attendees(
    event: OrganiserEvent,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=100, description="Name, e-mail or company")] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AttendeePage:
    rows, next_cursor, total = await service.list_attendees(
        session, event, query=q, cursor=cursor, limit=limit
    )
    return AttendeePage(
        items=[Attendee.model_validate(a) for a in rows], next_cursor=next_cursor, total=total
    )


@router.post(
    "/attendees",
    status_code=status.HTTP_201_CREATED,
    summary="Add an attendee",
    responses=responses(Conflict, Unprocessable),
)
async def add_attendee(body: AttendeeCreate, event: OrganiserEvent, session: SessionDep) -> Attendee:
    return Attendee.model_validate(await service.add_attendee(session, event, body))


@router.get("/attendees/{attendee_id:uuid}", summary="One attendee")
async def get_attendee(attendee_id: uuid.UUID, event: OrganiserEvent, session: SessionDep) -> Attendee:
    return Attendee.model_validate(await service.get_attendee(session, event, attendee_id))


@router.patch(
    "/attendees/{attendee_id:uuid}",
    summary="Update an attendee",
    responses=responses(Conflict, Unprocessable),
)
async def update_attendee(
    attendee_id: uuid.UUID, body: AttendeeUpdate, event: OrganiserEvent, session: SessionDep
) -> Attendee:
    return Attendee.model_validate(await service.update_attendee(session, event, attendee_id, body))


@router.delete(
    "/attendees/{attendee_id:uuid}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove an attendee and everything they recorded; others keep their contacts of them",
)
async def remove_attendee(
    attendee_id: uuid.UUID, event: OrganiserEvent, session: SessionDep, publish: LivePublish
) -> Response:
    await service.remove_attendee(session, event, attendee_id)
    # Their phone's live channel closes: it shows nothing of the event any more.
    announce(session, publish, event.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _import_refusals() -> dict[int | str, dict[str, Any]]:
    """The import's failures, described with the ``code`` and ``params`` their problems carry.

    The problem schema is shared by every endpoint, so the codes are told here, where a
    client phrasing them in its own language looks for them.
    """
    documented = responses(BadRequest, PayloadTooLarge, Unprocessable)
    file_codes = ", ".join(
        f"`{code.value}`"
        for code in ImportFileCode
        if code not in (ImportFileCode.mapping_invalid, ImportFileCode.file_too_large)
    )
    documented[400]["description"] = "Bad request; an unreadable column mapping has `code` `mapping_invalid`"
    documented[413]["description"] = "Payload too large: `code` `file_too_large`, with `params.max_kib`"
    documented[422]["description"] = (
        f"Unprocessable content. A refused file has a `code` ({file_codes}) and `params` "
        "(`max_rows`, `line`, `field`, `allowed`, `column` or `count`, as the code needs) beside "
        "the English `detail`. With `rows_invalid`, `errors` lists the bad rows, each shaped as "
        "an ImportRowError. A request without a file is the usual validation problem, without `code`"
    )
    return documented


@router.post(
    "/attendees/import",
    summary="Import attendees from a CSV file (dry run first)",
    responses=_import_refusals(),
)
async def import_attendees(
    event: OrganiserEvent,
    session: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="CSV, UTF-8, comma or semicolon separated")],
    mapping: Annotated[
        str | None,
        Form(max_length=2000, description='Optional JSON {"field": "column header"}'),
    ] = None,
    dry_run: Annotated[bool, Query(description="Report without writing anything")] = True,
    existing: Annotated[
        ExistingRows,
        Query(
            description="Rows matching a registered attendee (by registration id, else by e-mail): "
            "`skip` them, or `update` the details the organiser owns (never badge, access or what "
            "the attendee wrote)"
        ),
    ] = ExistingRows.skip,
) -> ImportReport:
    column_mapping: dict[str, str] | None = None
    if mapping:
        try:
            column_mapping = json.loads(mapping)
        except ValueError as exc:
            raise BadRequest(
                "The column mapping is not valid JSON.", code=ImportFileCode.mapping_invalid, params={}
            ) from exc
        if not isinstance(column_mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in column_mapping.items()
        ):
            raise BadRequest(
                'The column mapping must be a JSON object {"field": "column"}.',
                code=ImportFileCode.mapping_invalid,
                params={},
            )
    data = await file.read(settings.max_csv_bytes + 1)
    return await service.import_csv(
        session,
        event,
        data,
        dry_run=dry_run,
        existing=existing,
        mapping=column_mapping,
        max_bytes=settings.max_csv_bytes,
        max_rows=settings.max_csv_rows,
    )


@router.get(
    "/attendees/import/sample.csv",
    summary="A sample CSV with every recognised column, headed in French or English",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "Three sample attendees"}},
)
async def import_sample(
    event: OrganiserEvent,
    lang: Annotated[SampleLanguage, Query(description="The headers' language")] = SampleLanguage.en,
) -> Response:
    filename = "inscrits-exemple.csv" if lang is SampleLanguage.fr else "attendees-sample.csv"
    return Response(
        sample_csv(lang),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post(
    "/attendees/{attendee_id:uuid}/badge/reissue",
    summary="Re-issue a badge: the old QR code stops working",
    responses=responses(Conflict),
)
async def reissue_badge(attendee_id: uuid.UUID, event: OrganiserEvent, session: SessionDep) -> Attendee:
    return Attendee.model_validate(await service.reissue_badge(session, event, attendee_id))


@router.post(
    "/attendees/{attendee_id:uuid}/access/reissue",
    summary="Re-issue access (lost phone): every session and join link ends, the attendee is told",
    responses=responses(Unprocessable),
)
async def reissue_access(
    attendee_id: uuid.UUID,
    event: OrganiserEvent,
    organiser: CurrentOrganiser,
    session: SessionDep,
    settings: SettingsDep,
    publish: LivePublish,
    body: AccessReissueRequest | None = None,
) -> ReissuedAccess:
    attendee, record = await service.reissue_access(
        session, event, attendee_id, organiser, reason=body.reason if body else ""
    )
    # The lost phone's live channel closes with the rest of its sessions.
    announce(session, publish, event.id)
    return ReissuedAccess(
        join_link=auth_service.invite_link(settings, attendee), record=AccessRecord.model_validate(record)
    )


@router.get(
    "/attendees/{attendee_id:uuid}/access/reissues",
    summary="When this attendee's access was re-issued, and by whom (newest first)",
)
async def access_reissues(
    attendee_id: uuid.UUID, event: OrganiserEvent, session: SessionDep
) -> list[AccessRecord]:
    records = await service.access_reissues(session, event, attendee_id)
    return [AccessRecord.model_validate(r) for r in records]


@router.get(
    "/attendees/{attendee_id:uuid}/invite",
    summary="An attendee's personal join link, until it has been used; showing it sends nothing",
    responses=responses(Conflict),
)
async def invite(
    attendee_id: uuid.UUID, event: OrganiserEvent, session: SessionDep, settings: SettingsDep
) -> JoinLink:
    attendee = await service.invitable_attendee(session, event, attendee_id)
    return JoinLink(join_link=auth_service.invite_link(settings, attendee))


@router.get(
    "/invites.csv",
    summary="Every attendee's join link as CSV, for a mail-merge",
    dependencies=[WritesOnGet],
    response_class=Response,
    responses={
        200: {
            "content": {"text/csv": {}},
            "description": "name, email, company, join_link, status; the link is empty when it has "
            "been used (status `joined`)",
        }
    },
)
async def invites_csv(event: OrganiserEvent, session: SessionDep, settings: SettingsDep) -> Response:
    return Response(
        await service.invites_csv(session, settings, event),
        media_type=CSV_MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="join-links-{slugify(event.name)}.csv"',
            "Cache-Control": "no-store",
        },
    )
