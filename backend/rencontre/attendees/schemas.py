from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field
from pydantic.json_schema import SkipJsonSchema

from rencontre.kit.text import clean_line, non_blank_line
from rencontre.models import InviteState


class SharedField(StrEnum):
    email = "email"
    phone = "phone"
    website = "website"
    linkedin = "linkedin"
    # Profile photos (issue 16): the face, shared like a contact detail.
    photo = "photo"


class Objective(StrEnum):
    partnership = "partnership"
    inspiration = "inspiration"
    visibility = "visibility"
    hiring = "hiring"
    learning = "learning"
    clients = "clients"
    other = "other"


Name = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(non_blank_line)]
Line120 = Annotated[str, Field(max_length=120), AfterValidator(clean_line)]
Phone = Annotated[str, Field(max_length=40, pattern=r"^[0-9+().\s-]*$"), AfterValidator(clean_line)]
Url = Annotated[str, Field(max_length=200), AfterValidator(clean_line)]
Pitch = Annotated[str, Field(max_length=280), AfterValidator(clean_line)]
Interest = Annotated[str, Field(min_length=1, max_length=40), AfterValidator(non_blank_line)]
Interests = Annotated[list[Interest], Field(max_length=12)]


class AttendeeFields(BaseModel):
    name: Name
    email: EmailStr
    company: Line120 = ""
    job_title: Line120 = ""
    phone: Phone = ""
    website: Url = ""
    linkedin: Url = ""


class AttendeeCreate(AttendeeFields):
    model_config = ConfigDict(extra="forbid")


RegistrationId = Annotated[str, Field(max_length=100), AfterValidator(clean_line)]


class ImportedAttendee(AttendeeCreate):
    """A row of an imported file: an attendee, and the registration tool's id when the file has one."""

    registration_id: RegistrationId = ""


class AttendeeUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | SkipJsonSchema[None] = None
    email: EmailStr | SkipJsonSchema[None] = None
    company: Line120 | None = None
    job_title: Line120 | None = None
    phone: Phone | None = None
    website: Url | None = None
    linkedin: Url | None = None


class Attendee(AttendeeFields):
    """An attendee as their organiser sees them: never their notes or contacts."""

    model_config = ConfigDict(from_attributes=True)

    email: str  # stored e-mails are not re-validated on read
    registration_id: str | None = Field(
        default=None, description="The registration tool's id, as last imported; null if none."
    )
    id: uuid.UUID
    event_id: uuid.UUID
    badge_version: int
    invite_state: InviteState = Field(
        description="The invitation as last recorded; `invitation_state` is what to show"
    )
    invitation_state: InviteState = Field(
        description="`joined` once the current link is used; `pending` (not sent) after an access "
        "re-issue until the new link is sent"
    )
    invite_error: str = Field(description="Why the last e-mail failed, as the mail server said")
    invite_sent_at: datetime | None
    joined_at: datetime | None
    arrived_at: datetime | None = Field(
        description="At the venue since: checked in, or first scan during the event."
    )
    join_link_used: bool = Field(
        description="The current join link has been used on a phone: no link is handed out until "
        "access is re-issued."
    )
    created_at: datetime


class AttendeePage(BaseModel):
    items: list[Attendee]
    next_cursor: str | None = None
    total: int


class JoinLink(BaseModel):
    join_link: str


class ImportRowCode(StrEnum):
    """Why a row of an imported file is not valid, for clients that phrase it themselves.

    More codes may come: a client that does not know one shows the row's `reason`.
    """

    too_many_fields = "too_many_fields"
    name_missing = "name_missing"
    email_missing = "email_missing"
    email_invalid = "email_invalid"
    phone_invalid = "phone_invalid"
    field_too_long = "field_too_long"
    field_invalid = "field_invalid"
    email_duplicate_in_file = "email_duplicate_in_file"
    email_already_registered = "email_already_registered"
    registration_id_duplicate_in_file = "registration_id_duplicate_in_file"
    registration_id_conflict = "registration_id_conflict"
    attendee_matched_twice = "attendee_matched_twice"


class ImportFileCode(StrEnum):
    """Why an imported file was refused as a whole: the `code` of the problem document.

    Not referenced by any schema (problem documents are shared by every endpoint), so the
    import endpoint's error responses list these values in their descriptions.
    """

    file_too_large = "file_too_large"
    file_encoding = "file_encoding"
    file_empty = "file_empty"
    no_rows = "no_rows"
    line_unreadable = "line_unreadable"
    nul_character = "nul_character"
    too_many_rows = "too_many_rows"
    email_column_missing = "email_column_missing"
    name_column_missing = "name_column_missing"
    mapping_invalid = "mapping_invalid"
    mapping_unknown_field = "mapping_unknown_field"
    mapping_column_missing = "mapping_column_missing"
    rows_invalid = "rows_invalid"


class ImportRowError(BaseModel):
    line: int = Field(description="Line number in the file (the header is line 1).")
    reason: str = Field(description="What is wrong, in English; clients that translate use `code`.")
    code: ImportRowCode = Field(
        description="What is wrong, as a stable code; an unknown code is shown as `reason`."
    )
    field: str | None = Field(
        description="The attendee field concerned (`name`, `email`, `company`…); null for the whole row."
    )
    column: str | None = Field(
        description="The file's column header for that field; null when several columns feed it "
        "(a name from first-name and last-name columns) or for the whole row."
    )
    params: dict[str, str | int] = Field(
        description="What phrasing the problem needs, by code: `value` (the cell as written, at most "
        "80 characters) for `email_invalid`, `phone_invalid`, `field_invalid`, `email_duplicate_in_file` "
        "and `email_already_registered`; `first_line` (where the same e-mail first appears) for "
        "`email_duplicate_in_file`; `max_length` and `length` for `field_too_long`; `fields` and "
        "`expected` (the header's count) for `too_many_fields`; `value` and `first_line` for "
        "`registration_id_duplicate_in_file`; `value` (the row's id), `email` and `registered` (the "
        "id that e-mail is registered with) for `registration_id_conflict`; `first_line` for "
        "`attendee_matched_twice`."
    )


class ExistingRows(StrEnum):
    """What an import does with a row that matches someone already registered."""

    skip = "skip"
    update = "update"


class SkipReason(StrEnum):
    existing = "existing"  # already registered and the organiser chose to skip them
    unchanged = "unchanged"  # already registered with these very details


class FieldChange(BaseModel):
    field: str
    before: str
    after: str


class PlannedRow(BaseModel):
    """One row of the file and what the import does with it, named as it will appear."""

    line: int
    name: str
    email: str
    company: str
    attendee_id: uuid.UUID | None = Field(
        description="The registered attendee it matches; null for a new one."
    )
    changes: list[FieldChange] = Field(
        description="What an update changes (before → after); on a skipped row, what it would have changed."
    )
    reason: SkipReason | None = Field(description="Why a row is skipped; null for rows added or updated.")


class ImportReport(BaseModel):
    dry_run: bool
    existing: ExistingRows = Field(description="What is done with rows matching a registered attendee.")
    rows: int = Field(description="Data rows read.")
    valid: int = Field(description="Rows without a problem: to add, to update and to skip.")
    created: int
    updated: int
    skipped: int
    errors: list[ImportRowError]
    columns: dict[str, str] = Field(description="Which file column feeds which field.")
    to_add: list[PlannedRow]
    to_update: list[PlannedRow]
    to_skip: list[PlannedRow]
