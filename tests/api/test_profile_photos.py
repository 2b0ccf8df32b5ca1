"""Profile photos: limits, metadata stripped, sizes served, sharing respected, erased with the account."""

from __future__ import annotations

import base64
import io
import os

import httpx
import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee, Event, Organiser, ProfilePhoto
from tests.api.scan_support import token_of
from tests.photo_support import metadata_left, photo_with_metadata, plain_photo, png_bomb
from tests.support import Factory

JPEG = {"Content-Type": "image/jpeg"}


async def _people(factory: Factory) -> tuple[Event, Attendee, Attendee]:
    """Zoé, who adds a photo, and Bob, who scanned her at the same event."""
    event = await factory.event()
    zoe = await factory.attendee(event, name="Zoé Lefèvre", shared_fields=["email"])
    bob = await factory.attendee(event, name="Bob Durand")
    return event, zoe, bob


async def _upload(client: httpx.AsyncClient, factory: Factory, who: Attendee, data: bytes) -> httpx.Response:
    return await client.put("/api/me/photo", content=data, headers={**factory.attendee_headers(who), **JPEG})


async def _photo_rows(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(ProfilePhoto)) or 0)


class TestUpload:
    async def test_a_photo_is_kept_at_three_sizes_without_any_metadata(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, zoe, _ = await _people(factory)
        original = photo_with_metadata()
        assert metadata_left(original), "the test photo must carry metadata to begin with"

        response = await _upload(client, factory, zoe, original)
        assert response.status_code == 200, response.text
        photo = response.json()["photo"]
        headers = factory.attendee_headers(zoe)
        for name, side in (("small", 96), ("medium", 256), ("large", 512)):
            assert photo[name].endswith(f"/{side}")
            served = await client.get(photo[name], headers=headers)
            assert served.status_code == 200
            assert served.headers["content-type"] == "image/webp"
            assert "immutable" in served.headers["cache-control"]
            assert served.headers["cache-control"].startswith("private")
            image = Image.open(io.BytesIO(served.content))
            assert (image.format, image.size) == ("WEBP", (side, side))
            assert metadata_left(served.content) == []

    async def test_the_photo_is_turned_upright_and_cropped_square(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, zoe, _ = await _people(factory)
        # Orientation 6: the camera held sideways; the left (red) half belongs at the top.
        response = await _upload(client, factory, zoe, photo_with_metadata(600, 400, orientation=6))
        served = await client.get(response.json()["photo"]["large"], headers=factory.attendee_headers(zoe))
        image = Image.open(io.BytesIO(served.content)).convert("RGB")
        top, bottom = image.getpixel((256, 60)), image.getpixel((256, 450))
        assert isinstance(top, tuple)
        assert isinstance(bottom, tuple)
        assert top[0] > 150 > top[2], top
        assert bottom[2] > 150 > bottom[0], bottom

    async def test_a_new_photo_gets_a_new_address_and_the_old_one_stops(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        _, zoe, _ = await _people(factory)
        headers = factory.attendee_headers(zoe)
        first = (await _upload(client, factory, zoe, plain_photo())).json()["photo"]["small"]
        second = (await _upload(client, factory, zoe, plain_photo(colour=(200, 10, 10)))).json()["photo"][
            "small"
        ]
        assert first != second
        assert (await client.get(first, headers=headers)).status_code == 404
        assert (await client.get(second, headers=headers)).status_code == 200
        assert await _photo_rows(session) == 1

    async def test_a_first_photo_is_shared_and_a_replaced_one_keeps_the_choice(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, zoe, _ = await _people(factory)
        headers = factory.attendee_headers(zoe)
        me = (await _upload(client, factory, zoe, plain_photo())).json()
        assert me["shared_fields"] == ["email", "photo"]
        await client.patch("/api/me", json={"shared_fields": ["email"]}, headers=headers)
        me = (await _upload(client, factory, zoe, plain_photo())).json()
        assert me["shared_fields"] == ["email"]
        assert me["photo"] is not None

    async def test_png_and_webp_are_accepted_and_transparency_becomes_white(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, zoe, _ = await _people(factory)
        headers = factory.attendee_headers(zoe)
        for fmt, media_type in (("PNG", "image/png"), ("WEBP", "image/webp")):
            out = io.BytesIO()
            Image.new("RGBA", (300, 300), (0, 0, 0, 0)).save(out, fmt)
            response = await client.put(
                "/api/me/photo", content=out.getvalue(), headers={**headers, "Content-Type": media_type}
            )
            assert response.status_code == 200, response.text
            served = await client.get(response.json()["photo"]["small"], headers=headers)
            pixel = Image.open(io.BytesIO(served.content)).convert("RGB").getpixel((48, 48))
            assert isinstance(pixel, tuple)
            assert min(pixel) > 240


class TestRefusedUploads:
    @pytest.mark.parametrize(
        ("body", "content_type", "status", "code"),
        [
            (b"hello, this is text", "image/jpeg", 415, "not_an_image"),
            (b"", "image/jpeg", 415, "not_an_image"),
            (plain_photo(), "text/plain", 415, "not_an_image"),
            (plain_photo(), "", 415, "not_an_image"),
            (b"GIF89a" + b"\0" * 64, "image/gif", 415, "not_an_image"),
            (plain_photo()[:400], "image/jpeg", 415, "not_an_image"),
            (plain_photo(60, 60), "image/jpeg", 422, "photo_too_small"),
            (plain_photo(900, 100), "image/jpeg", 422, "photo_too_small"),
            (png_bomb(), "image/png", 422, "photo_too_many_pixels"),
            (png_bomb(9000, 9000), "image/png", 422, "photo_too_many_pixels"),
            (os.urandom(2 * 1024 * 1024 + 1), "image/jpeg", 413, "photo_too_large"),
        ],
        ids=[
            "text",
            "empty",
            "text-content-type",
            "no-content-type",
            "gif",
            "truncated",
            "tiny",
            "thin",
            "bomb",
            "bomb-81mp",
            "too-many-bytes",
        ],
    )
    async def test_a_refused_photo_changes_nothing(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        session: AsyncSession,
        body: bytes,
        content_type: str,
        status: int,
        code: str,
    ) -> None:
        _, zoe, _ = await _people(factory)
        headers = factory.attendee_headers(zoe)
        before = (await _upload(client, factory, zoe, plain_photo())).json()
        response = await client.put(
            "/api/me/photo", content=body, headers={**headers, "Content-Type": content_type}
        )
        assert response.status_code == status, response.text
        problem = response.json()
        assert problem["code"] == code
        assert problem["detail"]
        after = (await client.get("/api/me", headers=headers)).json()
        assert (after["photo"], after["shared_fields"]) == (before["photo"], before["shared_fields"])
        assert (await client.get(before["photo"]["small"], headers=headers)).status_code == 200
        assert await _photo_rows(session) == 1

    async def test_only_an_attendee_may_add_a_photo(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser = await factory.organiser()
        assert (await client.put("/api/me/photo", content=plain_photo(), headers=JPEG)).status_code == 401
        response = await client.put(
            "/api/me/photo", content=plain_photo(), headers={**factory.organiser_headers(organiser), **JPEG}
        )
        assert response.status_code == 403


class TestSharing:
    async def test_a_scanner_sees_a_shared_photo_and_gets_its_bytes(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, zoe, bob = await _people(factory)
        await _upload(client, factory, zoe, plain_photo())
        contact = await factory.encounter(bob, zoe)
        bob_headers = factory.attendee_headers(bob)
        person = (await client.get(f"/api/contacts/{contact.id}", headers=bob_headers)).json()["person"]
        assert person["photo"] is not None
        served = await client.get(person["photo"]["medium"], headers=bob_headers)
        assert served.status_code == 200
        assert Image.open(io.BytesIO(served.content)).size == (256, 256)
        listing = (await client.get("/api/contacts", headers=bob_headers)).json()["items"]
        assert listing[0]["person"]["photo"] == person["photo"]

    async def test_an_unshared_photo_reaches_no_one_but_its_owner(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, zoe, bob = await _people(factory)
        zoe_headers, bob_headers = factory.attendee_headers(zoe), factory.attendee_headers(bob)
        url = (await _upload(client, factory, zoe, plain_photo())).json()["photo"]["small"]
        await client.patch("/api/me", json={"shared_fields": ["email"]}, headers=zoe_headers)
        contact = await factory.encounter(bob, zoe)

        person = (await client.get(f"/api/contacts/{contact.id}", headers=bob_headers)).json()["person"]
        assert person["photo"] is None
        assert (await client.get("/api/me/card", headers=zoe_headers)).json()["photo"] is None
        refused = await client.get(url, headers=bob_headers)
        assert refused.status_code == 404
        assert refused.json()["code"] == "photo_not_found"
        assert refused.headers["content-type"].startswith("application/problem+json")
        # Its owner still sees it, to decide whether to share it.
        assert (await client.get(url, headers=zoe_headers)).status_code == 200

    async def test_the_badge_card_carries_the_photo_only_when_shared(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, zoe, bob = await _people(factory)
        await _upload(client, factory, zoe, plain_photo())
        bob_headers = factory.attendee_headers(bob)
        card = (
            await client.get(f"/api/badges/{token_of(factory.settings, event, zoe)}", headers=bob_headers)
        ).json()
        assert card["photo"] is not None
        await client.patch("/api/me", json={"shared_fields": []}, headers=factory.attendee_headers(zoe))
        card = (
            await client.get(f"/api/badges/{token_of(factory.settings, event, zoe)}", headers=bob_headers)
        ).json()
        assert card["photo"] is None

    async def test_another_event_and_the_organiser_get_no_photo(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        event, zoe, _ = await _people(factory)
        url = (await _upload(client, factory, zoe, plain_photo())).json()["photo"]["small"]
        stranger = await factory.attendee(await factory.event(), name="Ailleurs")
        organiser = await session.get_one(Organiser, event.organiser_id)
        assert (await client.get(url, headers=factory.attendee_headers(stranger))).status_code == 404
        # The console shows no photos: an organiser cannot fetch one, shared or not.
        assert (await client.get(url, headers=factory.organiser_headers(organiser))).status_code == 403
        assert (await client.get(url)).status_code == 401

    @pytest.mark.parametrize("path", ["/api/photos/nope/96", "/api/photos/nope/100", "/api/photos/a%20b/96"])
    async def test_a_made_up_address_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, path: str
    ) -> None:
        _, zoe, _ = await _people(factory)
        response = await client.get(path, headers=factory.attendee_headers(zoe))
        assert response.status_code in (404, 422)
        assert response.json()["code"] in ("photo_not_found", "invalid_request")


class TestErasure:
    async def test_removing_the_photo_erases_its_bytes(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        _, zoe, _ = await _people(factory)
        headers = factory.attendee_headers(zoe)
        url = (await _upload(client, factory, zoe, plain_photo())).json()["photo"]["small"]
        response = await client.delete("/api/me/photo", headers=headers)
        assert response.status_code == 200
        assert response.json()["photo"] is None
        assert await _photo_rows(session) == 0
        assert (await client.get(url, headers=headers)).status_code == 404
        # Removing what is not there is no error.
        assert (await client.delete("/api/me/photo", headers=headers)).status_code == 200

    async def test_deleting_the_account_erases_the_photo(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        _, zoe, bob = await _people(factory)
        url = (await _upload(client, factory, zoe, plain_photo())).json()["photo"]["small"]
        contact = await factory.encounter(bob, zoe)
        assert (await client.delete("/api/me", headers=factory.attendee_headers(zoe))).status_code == 204
        assert await _photo_rows(session) == 0
        bob_headers = factory.attendee_headers(bob)
        assert (await client.get(url, headers=bob_headers)).status_code == 404
        person = (await client.get(f"/api/contacts/{contact.id}", headers=bob_headers)).json()["person"]
        assert person["photo"] is None


class TestExport:
    async def test_the_data_export_holds_ones_own_photo(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, zoe, _ = await _people(factory)
        headers = factory.attendee_headers(zoe)
        assert (await client.get("/api/me/export", headers=headers)).json()["photo"] is None
        url = (await _upload(client, factory, zoe, plain_photo())).json()["photo"]["large"]
        exported = (await client.get("/api/me/export", headers=headers)).json()["photo"]
        assert exported["media_type"] == "image/webp"
        assert exported["size"] == 512
        served = await client.get(url, headers=headers)
        assert base64.b64decode(exported["data_base64"]) == served.content
