from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from rencontre.auth.passwords import MIN_PASSWORD_LENGTH


class LoginRequest(BaseModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=256)


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(
        min_length=MIN_PASSWORD_LENGTH,
        max_length=256,
        description=f"At least {MIN_PASSWORD_LENGTH} characters, as when the account was created.",
    )


class JoinRequest(BaseModel):
    token: str = Field(min_length=10, max_length=2048, description="The token of a join link.")


class OrganiserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    name: str


class OrganiserSession(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    organiser: OrganiserOut


class DeviceRenewal(BaseModel):
    token: str = Field(
        min_length=10, max_length=2048, description="The device token this phone received when it joined."
    )


class AttendeeSession(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    device_token: str = Field(
        description="Kept on the phone: renews the session at /api/auth/renew, since a join link works once."
    )
    attendee_id: uuid.UUID
    event_id: uuid.UUID
