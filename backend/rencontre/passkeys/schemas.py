from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from rencontre.kit.text import clean_line

# What the browser's navigator.credentials gives, as @simplewebauthn/browser serialises it;
# checked by the webauthn library, not here.
CredentialJson = Annotated[
    dict[str, Any],
    Field(
        description="The PublicKeyCredential as JSON (base64url fields), e.g. from @simplewebauthn/browser."
    ),
]
OptionsJson = Annotated[
    dict[str, Any],
    Field(description="WebAuthn options as JSON (base64url fields), for @simplewebauthn/browser."),
]


class PasskeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    created_at: datetime
    last_used_at: datetime | None


class PasskeyStatus(BaseModel):
    """The attendee's passkeys and what this session may read."""

    passkeys: list[PasskeyOut]
    presented: bool = Field(description="This session presented one of your passkeys.")
    notes_locked: bool = Field(
        description="You have a passkey and this session has not presented it: notes, tags and "
        "ratings are withheld until it does."
    )


class RegistrationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credential: CredentialJson
    name: Annotated[str, Field(max_length=60)] = Field(
        default="", description="A name to tell your passkeys apart, e.g. the phone's."
    )

    def clean_name(self) -> str:
        return clean_line(self.name)


class AuthenticationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credential: CredentialJson


class PasskeySession(BaseModel):
    """A fresh access token for this session, marked as having presented a passkey, and a
    device token whose renewals keep that mark (on this phone only)."""

    access_token: str
    device_token: str
    passkey: PasskeyOut
