"""Registering, presenting and removing passkeys: challenges single-use, counters forward."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, update

from rencontre.auth import service as auth_service
from rencontre.config import Settings
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Passkey, PasskeyChallenge
from tests.api.passkey_support import bearer, options, register, unlock
from tests.passkey_authenticator import FLAG_AT, FLAG_UP, SoftAuthenticator
from tests.support import Factory


async def _someone(factory: Factory) -> tuple[Attendee, dict[str, str]]:
    event = await factory.event()
    attendee = await factory.attendee(event)
    return attendee, factory.attendee_headers(attendee)


async def _status(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.get("/api/passkeys", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


class TestRegistration:
    async def test_registering_locks_other_sessions_and_unlocks_this_one(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        assert await _status(client, headers) == {"passkeys": [], "presented": False, "notes_locked": False}
        _, unlocked = await register(client, settings, headers, name="Pixel")
        mine = await _status(client, unlocked)
        assert mine["presented"] is True
        assert mine["notes_locked"] is False
        assert [p["name"] for p in mine["passkeys"]] == ["Pixel"]
        other = await _status(client, headers)
        assert other["presented"] is False
        assert other["notes_locked"] is True

    async def test_a_locked_session_cannot_add_a_passkey_of_its_own(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        await register(client, settings, headers)
        response = await client.post("/api/passkeys/registration/options", headers=headers)
        assert response.status_code == 403
        assert response.json()["code"] == "notes_locked"

    async def test_an_unlocked_session_adds_a_second_passkey(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        _, unlocked = await register(client, settings, headers)
        await register(client, settings, unlocked, name="Laptop")
        assert len((await _status(client, unlocked))["passkeys"]) == 2


class TestRegistrationRefusals:
    async def test_an_answer_to_a_challenge_never_given_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        given = await options(client, headers, "registration")
        answer = SoftAuthenticator(settings.webauthn_origin).create({**given, "challenge": "bm90LWdpdmVu"})
        response = await client.post(
            "/api/passkeys/registration/verify", json={"credential": answer}, headers=headers
        )
        assert response.status_code == 400
        assert response.json()["code"] == "passkey_challenge_invalid"
        assert (await _status(client, headers))["passkeys"] == []

    async def test_a_replayed_registration_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        answer = SoftAuthenticator(settings.webauthn_origin).create(
            await options(client, headers, "registration")
        )
        first = await client.post(
            "/api/passkeys/registration/verify", json={"credential": answer}, headers=headers
        )
        assert first.status_code == 200
        again = await client.post(
            "/api/passkeys/registration/verify",
            json={"credential": answer},
            headers=bearer(first.json()["access_token"]),
        )
        assert again.status_code == 400
        assert again.json()["code"] == "passkey_challenge_invalid"

    async def test_an_expired_challenge_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        me, headers = await _someone(factory)
        given = await options(client, headers, "registration")
        await factory.session.execute(
            update(PasskeyChallenge)
            .where(PasskeyChallenge.attendee_id == me.id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        answer = SoftAuthenticator(settings.webauthn_origin).create(given)
        response = await client.post(
            "/api/passkeys/registration/verify", json={"credential": answer}, headers=headers
        )
        assert response.status_code == 400
        assert response.json()["code"] == "passkey_challenge_invalid"

    async def test_an_answer_from_another_origin_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        answer = SoftAuthenticator(settings.webauthn_origin).create(
            await options(client, headers, "registration"), origin="https://phishing.example"
        )
        response = await client.post(
            "/api/passkeys/registration/verify", json={"credential": answer}, headers=headers
        )
        assert response.status_code == 400
        assert response.json()["code"] == "passkey_rejected"
        assert "origin" in response.json()["detail"]

    async def test_an_answer_without_user_verification_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        answer = SoftAuthenticator(settings.webauthn_origin).create(
            await options(client, headers, "registration"), flags=FLAG_UP | FLAG_AT
        )
        response = await client.post(
            "/api/passkeys/registration/verify", json={"credential": answer}, headers=headers
        )
        assert response.status_code == 400
        assert response.json()["code"] == "passkey_rejected"

    async def test_a_malformed_answer_is_refused_with_what_is_wrong(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _me, headers = await _someone(factory)
        await options(client, headers, "registration")
        for credential in ({}, {"response": {"clientDataJSON": "!!not base64!!"}}, {"response": "x"}):
            response = await client.post(
                "/api/passkeys/registration/verify", json={"credential": credential}, headers=headers
            )
            assert response.status_code == 400, credential
            assert response.json()["code"] == "passkey_rejected"
        response = await client.post(
            "/api/passkeys/registration/verify", json={"credential": []}, headers=headers
        )
        assert response.status_code == 422
        response = await client.post(
            "/api/passkeys/registration/verify", json={"credential": {}, "name": "x" * 61}, headers=headers
        )
        assert response.status_code == 422

    async def test_the_same_credential_is_registered_once(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        authenticator, unlocked = await register(client, settings, headers)
        answer = authenticator.create(await options(client, unlocked, "registration"))
        response = await client.post(
            "/api/passkeys/registration/verify", json={"credential": answer}, headers=unlocked
        )
        assert response.status_code == 409
        assert response.json()["code"] == "passkey_already_registered"


class TestAuthentication:
    async def test_presenting_the_passkey_unlocks_a_fresh_session(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        authenticator, _ = await register(client, settings, headers)
        response = await unlock(client, settings, headers, authenticator)
        assert response.status_code == 200, response.text
        unlocked = bearer(response.json()["access_token"])
        assert (await _status(client, unlocked))["notes_locked"] is False
        passkey = await factory.session.get(
            Passkey, uuid.UUID(response.json()["passkey"]["id"]), populate_existing=True
        )
        assert passkey is not None
        assert passkey.sign_count == 1
        assert passkey.last_used_at is not None

    async def test_a_replayed_assertion_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        authenticator, _ = await register(client, settings, headers)
        assertion = authenticator.get(
            await options(client, headers, "authentication"), rp_id=settings.webauthn_rp_id
        )
        first = await client.post(
            "/api/passkeys/authentication/verify", json={"credential": assertion}, headers=headers
        )
        assert first.status_code == 200
        again = await client.post(
            "/api/passkeys/authentication/verify", json={"credential": assertion}, headers=headers
        )
        assert again.status_code == 400
        assert again.json()["code"] == "passkey_challenge_invalid"

    async def test_a_sign_counter_that_did_not_move_forward_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        authenticator, _ = await register(client, settings, headers)
        assert (await unlock(client, settings, headers, authenticator)).status_code == 200
        cloned = authenticator.get(
            await options(client, headers, "authentication"), rp_id=settings.webauthn_rp_id, count=1
        )
        response = await client.post(
            "/api/passkeys/authentication/verify", json={"credential": cloned}, headers=headers
        )
        assert response.status_code == 400
        assert response.json()["code"] == "passkey_rejected"
        assert "sign count" in response.json()["detail"]

    async def test_a_registration_challenge_does_not_answer_an_authentication(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        authenticator, unlocked = await register(client, settings, headers)
        given = await options(client, unlocked, "registration")
        assertion = authenticator.get(given, rp_id=settings.webauthn_rp_id)
        response = await client.post(
            "/api/passkeys/authentication/verify", json={"credential": assertion}, headers=headers
        )
        assert response.status_code == 400
        assert response.json()["code"] == "passkey_challenge_invalid"

    async def test_an_unknown_credential_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        await register(client, settings, headers)
        stranger = SoftAuthenticator(settings.webauthn_origin)
        response = await unlock(client, settings, headers, stranger)
        assert response.status_code == 400
        assert response.json()["code"] == "unknown_passkey"

    async def test_a_wrong_signature_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        authenticator, _ = await register(client, settings, headers)
        forger = SoftAuthenticator(settings.webauthn_origin, credential_id=authenticator.credential_id)
        response = await unlock(client, settings, headers, forger)
        assert response.status_code == 400
        assert response.json()["code"] == "passkey_rejected"

    async def test_another_attendee_cannot_use_my_credential(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        authenticator, _ = await register(client, settings, headers)
        other = await factory.attendee(await factory.event())
        other_headers = factory.attendee_headers(other)
        await register(client, settings, other_headers)
        response = await unlock(client, settings, other_headers, authenticator)
        assert response.status_code == 400
        assert response.json()["code"] == "unknown_passkey"
        assert (await _status(client, other_headers))["notes_locked"] is True

    async def test_without_a_passkey_there_is_nothing_to_present(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _me, headers = await _someone(factory)
        response = await client.post("/api/passkeys/authentication/options", headers=headers)
        assert response.status_code == 409
        assert response.json()["code"] == "no_passkey"

    async def test_re_issuing_the_access_revokes_the_unlocked_session(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        me, headers = await _someone(factory)
        _, unlocked = await register(client, settings, headers)
        await auth_service.revoke_attendee_access(factory.session, me)
        assert (await client.get("/api/passkeys", headers=unlocked)).status_code == 401
        fresh = await _status(client, factory.attendee_headers(me))
        assert fresh["notes_locked"] is True


class TestRenewal:
    async def test_the_phone_that_presented_its_passkey_stays_unlocked_when_it_renews(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        authenticator, _ = await register(client, settings, headers)
        unlocked = (await unlock(client, settings, headers, authenticator)).json()
        renewed = await client.post("/api/auth/renew", json={"token": unlocked["device_token"]})
        assert renewed.status_code == 200, renewed.text
        assert (await _status(client, bearer(renewed.json()["access_token"])))["notes_locked"] is False
        again = await client.post("/api/auth/renew", json={"token": renewed.json()["device_token"]})
        assert (await _status(client, bearer(again.json()["access_token"])))["notes_locked"] is False

    async def test_a_phone_that_never_presented_it_renews_into_a_locked_session(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        me, headers = await _someone(factory)
        await register(client, settings, headers)
        device = auth_service.device_token(settings, me)
        renewed = await client.post("/api/auth/renew", json={"token": device})
        assert renewed.status_code == 200, renewed.text
        assert (await _status(client, bearer(renewed.json()["access_token"])))["notes_locked"] is True

    async def test_re_issuing_the_access_ends_the_unlocked_phone_too(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        me, headers = await _someone(factory)
        authenticator, _ = await register(client, settings, headers)
        unlocked = (await unlock(client, settings, headers, authenticator)).json()
        await auth_service.revoke_attendee_access(factory.session, me)
        renewed = await client.post("/api/auth/renew", json={"token": unlocked["device_token"]})
        assert renewed.status_code == 401


class TestRemoval:
    async def test_a_locked_session_cannot_remove_a_passkey(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        _, unlocked = await register(client, settings, headers)
        [passkey] = (await _status(client, unlocked))["passkeys"]
        response = await client.delete(f"/api/passkeys/{passkey['id']}", headers=headers)
        assert response.status_code == 403
        assert response.json()["code"] == "notes_locked"
        assert len((await _status(client, unlocked))["passkeys"]) == 1

    async def test_removing_the_last_passkey_unlocks_every_session(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        _, unlocked = await register(client, settings, headers)
        [passkey] = (await _status(client, unlocked))["passkeys"]
        response = await client.delete(f"/api/passkeys/{passkey['id']}", headers=unlocked)
        assert response.status_code == 200
        assert response.json()["passkeys"] == []
        assert (await _status(client, headers))["notes_locked"] is False

    async def test_removing_an_unknown_or_someone_elses_passkey_is_not_found(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        _, unlocked = await register(client, settings, headers)
        other = await factory.attendee(await factory.event())
        _, other_unlocked = await register(client, settings, factory.attendee_headers(other))
        [theirs] = (await _status(client, other_unlocked))["passkeys"]
        for passkey_id in (theirs["id"], "00000000-0000-4000-8000-000000000000"):
            response = await client.delete(f"/api/passkeys/{passkey_id}", headers=unlocked)
            assert response.status_code == 404
            assert response.json()["code"] == "passkey_not_found"
        assert (await client.delete("/api/passkeys/not-a-uuid", headers=unlocked)).status_code in (404, 422)


class TestChallenges:
    async def test_asking_again_replaces_the_pending_challenge(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        me, headers = await _someone(factory)
        first = await options(client, headers, "registration")
        for _ in range(5):
            latest = await options(client, headers, "registration")
        pending = await factory.session.scalar(
            select(func.count(PasskeyChallenge.id)).where(PasskeyChallenge.attendee_id == me.id)
        )
        assert pending == 1
        stale = SoftAuthenticator(settings.webauthn_origin).create(first)
        response = await client.post(
            "/api/passkeys/registration/verify", json={"credential": stale}, headers=headers
        )
        assert response.json()["code"] == "passkey_challenge_invalid"
        fresh = SoftAuthenticator(settings.webauthn_origin).create(latest)
        response = await client.post(
            "/api/passkeys/registration/verify", json={"credential": fresh}, headers=headers
        )
        assert response.status_code == 200


class TestMyData:
    async def test_the_data_export_lists_my_passkeys(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        _me, headers = await _someone(factory)
        _, unlocked = await register(client, settings, headers, name="Pixel")
        exported = (await client.get("/api/me/export", headers=unlocked)).json()
        assert [p["name"] for p in exported["passkeys"]] == ["Pixel"]

    async def test_deleting_my_account_removes_my_passkeys(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        me, headers = await _someone(factory)
        _, unlocked = await register(client, settings, headers)
        assert (await client.delete("/api/me", headers=unlocked)).status_code == 204
        left = await factory.session.scalar(
            select(func.count(Passkey.id)).where(Passkey.attendee_id == me.id)
        )
        assert left == 0
