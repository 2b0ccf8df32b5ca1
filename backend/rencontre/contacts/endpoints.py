from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from rencontre.contacts import exports, service, versions
from rencontre.contacts.schemas import (
    Contact,
    ContactFilters,
    ContactPage,
    ContactUpdate,
    FollowUpDraft,
    FollowUpKind,
)
from rencontre.dependencies import CurrentNotesAccess, SessionDep
from rencontre.errors import (
    PROBLEM_JSON,
    BadRequest,
    Forbidden,
    NotFound,
    Problem,
    Unauthorized,
    Unprocessable,
    responses,
)
from rencontre.kit.csvfile import MEDIA_TYPE as CSV_MEDIA_TYPE
from rencontre.kit.text import slugify
from rencontre.models import Event
from rencontre.profile import cards
from rencontre.profile.schemas import Language

router = APIRouter(
    prefix="/api/contacts",
    tags=["contacts"],
    responses=responses(Unauthorized, Forbidden),
)

# Every route here takes CurrentNotesAccess: a session that has not presented the attendee's
# passkey gets contacts without notes, tags or ratings, and no export or draft (see passkeys).

# The exports are declared before /{contact_id}, which would otherwise capture them.


def _download(body: bytes | str, *, media_type: str, event: Event, extension: str) -> Response:
    filename = f"contacts-{slugify(event.name)}.{extension}"
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


ExportLanguage = Annotated[
    Language | None,
    Query(description="Headers, values and dates in this language. Default: your language"),
]


async def _export(
    access: CurrentNotesAccess, session: SessionDep, lang: Language | None
) -> tuple[Event, list[Contact], Language]:
    event, contacts = await service.all_contacts(session, access.attendee, locked=access.locked)
    return event, contacts, lang or cards.language_of(access.attendee)


@router.get(
    "/export.csv",
    summary="Your contacts as CSV (UTF-8 with BOM; `;`-separated in French, `,` in English)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "One row per contact"}},
)
async def export_csv(
    access: CurrentNotesAccess, session: SessionDep, lang: ExportLanguage = None
) -> Response:
    event, contacts, language = await _export(access, session, lang)
    body = exports.contacts_csv(contacts, event_name=event.name, timezone=event.timezone, language=language)
    return _download(body, media_type=CSV_MEDIA_TYPE, event=event, extension="csv")


@router.get(
    "/export.xlsx",
    summary="Your contacts as an Excel workbook (the CSV's columns; dates as dates)",
    response_class=Response,
    responses={200: {"content": {exports.XLSX_MEDIA_TYPE: {}}, "description": "One row per contact"}},
)
async def export_xlsx(
    access: CurrentNotesAccess, session: SessionDep, lang: ExportLanguage = None
) -> Response:
    event, contacts, language = await _export(access, session, lang)
    body = exports.contacts_xlsx(contacts, event_name=event.name, timezone=event.timezone, language=language)
    return _download(body, media_type=exports.XLSX_MEDIA_TYPE, event=event, extension="xlsx")


@router.get(
    "/export.vcf",
    summary="Your contacts as one vCard 3.0 file",
    response_class=Response,
    responses={200: {"content": {"text/vcard": {}}, "description": "One vCard per contact"}},
)
async def export_vcf(
    access: CurrentNotesAccess, session: SessionDep, lang: ExportLanguage = None
) -> Response:
    event, contacts, language = await _export(access, session, lang)
    body = exports.contacts_vcf(contacts, event_name=event.name, language=language)
    return _download(body, media_type=exports.VCARD_MEDIA_TYPE, event=event, extension="vcf")


@router.get("", summary="Your contacts, newest first", responses=responses(BadRequest, Unprocessable))
async def list_contacts(
    access: CurrentNotesAccess, session: SessionDep, filters: Annotated[ContactFilters, Query()]
) -> ContactPage:
    return await service.list_contacts(session, access.attendee, filters, locked=access.locked)


_ETAG = {
    "ETag": {
        "description": "The contact's version (its `version`, in double quotes). "
        "Send it back as If-Match to edit it safely.",
        "schema": {"type": "string"},
    }
}


def _contact_changed_schema() -> dict[str, Any]:
    """The 412 body: a problem document with the current contact.

    Written out here rather than as a model: a response model would also be documented
    as application/json (never sent), and the shared error documentation rewrites any
    schema named like a problem to the plain Problem, which would hide ``contact``.
    """
    schema = Problem.model_json_schema()
    schema["title"] = "ContactChanged"
    schema["description"] = "A problem document (RFC 9457) that also holds the current contact."
    schema["properties"].pop("errors", None)
    schema["properties"]["contact"] = {
        "$ref": "#/components/schemas/Contact",
        "description": "The contact as it is now: make the edit again on it, with its version as If-Match.",
    }
    schema["required"] = [*schema.get("required", []), "contact"]
    return schema


_PATCH_RESPONSES: dict[int | str, dict[str, Any]] = {
    **responses(BadRequest, NotFound, Unprocessable),
    200: {"description": "The contact as saved, with its new version", "headers": _ETAG},
    412: {
        "description": "If-Match names a version the contact has moved on from: nothing was saved",
        "content": {PROBLEM_JSON: {"schema": _contact_changed_schema()}},
    },
}
_PATCH_RESPONSES[400] = {
    **_PATCH_RESPONSES[400],
    "description": "If-Match is malformed, or the body could not be read",
}
_PATCH_RESPONSES[422] = {
    **_PATCH_RESPONSES[422],
    "description": "The edit is not valid, or it would make the note longer than it may be",
}

# Declared by hand rather than as a Header parameter, which FastAPI documents as
# "string or null": a client that sent "null" would be told it is malformed.
_IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": 'The contact\'s ETag as GET gave it (`"<version>"`), or `*`. The edit is made '
    "only if the contact is still at that version, else 412 and nothing changes; malformed, 400. "
    "Without it the edit applies to whatever the contact is now, and may overwrite a note added "
    "meanwhile by meeting again: kept only for older clients.",
    "schema": {"type": "string", "pattern": versions.IF_MATCH_PATTERN},
}


def _if_match(request: Request) -> str | None:
    """Every If-Match line as one list, as HTTP reads repeated list headers; None when absent."""
    lines = request.headers.getlist("if-match")
    return ", ".join(lines) if lines else None


@router.get(
    "/{contact_id:uuid}",
    summary="One of your contacts",
    responses={**responses(NotFound, Unprocessable), 200: {"description": "The contact", "headers": _ETAG}},
)
async def get_contact(
    contact_id: uuid.UUID, access: CurrentNotesAccess, session: SessionDep, response: Response
) -> Contact:
    contact = await service.get_contact(session, access.attendee, contact_id, locked=access.locked)
    response.headers["ETag"] = versions.etag(contact.version)
    return contact


@router.patch(
    "/{contact_id:uuid}",
    summary="Edit a contact's note, tags, rating or follow-up state",
    description="Send If-Match with the contact's ETag so that an edit never overwrites a note "
    "added meanwhile (meeting the person again appends to the note): if the contact changed, "
    "the answer is 412 with the current contact, and nothing is saved.",
    responses=_PATCH_RESPONSES,
    openapi_extra={"parameters": [_IF_MATCH]},
)
async def update_contact(
    contact_id: uuid.UUID,
    body: ContactUpdate,
    access: CurrentNotesAccess,
    session: SessionDep,
    request: Request,
    response: Response,
) -> Contact:
    precondition = versions.parse_if_match(_if_match(request))
    contact = await service.update_contact(
        session, access.attendee, contact_id, body, if_match=precondition, locked=access.locked
    )
    response.headers["ETag"] = versions.etag(contact.version)
    return contact


@router.get(
    "/{contact_id:uuid}/follow-up",
    summary="A ready follow-up message and its mailto: link (nothing is sent)",
    responses=responses(NotFound, Unprocessable),
)
async def follow_up(
    contact_id: uuid.UUID,
    access: CurrentNotesAccess,
    session: SessionDep,
    kind: Annotated[
        FollowUpKind, Query(description="A message, a coffee proposal or a resource")
    ] = "message",
    lang: Annotated[Language | None, Query(description="Default: your language")] = None,
    include_note: Annotated[
        bool,
        Query(
            description="Quote your private note in the message. Off unless you ask: the message "
            "goes to the very person the note is about."
        ),
    ] = False,
) -> FollowUpDraft:
    return await service.follow_up_draft(
        session,
        access.attendee,
        contact_id,
        kind=kind,
        language=lang,
        include_note=include_note,
        locked=access.locked,
    )
