"""Registering and presenting passkeys through the API, with the tests' software authenticator."""

from __future__ import annotations

from typing import Any

import httpx

from rencontre.config import Settings
from tests.passkey_authenticator import SoftAuthenticator


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def options(client: httpx.AsyncClient, headers: dict[str, str], purpose: str) -> dict[str, Any]:
    response = await client.post(f"/api/passkeys/{purpose}/options", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def register(
    client: httpx.AsyncClient, settings: Settings, headers: dict[str, str], name: str = "Phone"
) -> tuple[SoftAuthenticator, dict[str, str]]:
    """A new passkey for the session's attendee; returns it and the session it unlocked."""
    authenticator = SoftAuthenticator(origin=settings.webauthn_origin)
    answer = authenticator.create(await options(client, headers, "registration"))
    response = await client.post(
        "/api/passkeys/registration/verify", json={"credential": answer, "name": name}, headers=headers
    )
    assert response.status_code == 200, response.text
    return authenticator, bearer(response.json()["access_token"])


async def unlock(
    client: httpx.AsyncClient, settings: Settings, headers: dict[str, str], authenticator: SoftAuthenticator
) -> httpx.Response:
    assertion = authenticator.get(
        await options(client, headers, "authentication"), rp_id=settings.webauthn_rp_id
    )
    return await client.post(
        "/api/passkeys/authentication/verify", json={"credential": assertion}, headers=headers
    )
