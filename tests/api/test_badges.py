from __future__ import annotations

import io
import math
import uuid
import xml.etree.ElementTree as ET
from datetime import timedelta

import httpx
import pypdf
import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rencontre.auth.tokens import Role, TokenType, issue
from rencontre.badges import service as badge_service
from rencontre.badges.pdf import PaperLayout
from rencontre.config import Settings
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event
from tests.api.scan_support import token_of, url_of
from tests.support import Factory

LONG_NAME = "Marie-Françoise Éléonore de La Tour d'Auvergne-Lauraguais"


def _expired_attendee_token(settings: Settings, attendee: Attendee) -> str:
    return issue(
        settings.jwt_keyring(),
        type=TokenType.access,
        role=Role.attendee,
        subject=attendee.id,
        version=attendee.access_version,
        event_id=attendee.event_id,
        lifetime=timedelta(minutes=-10),
    )


class TestMyBadge:
    async def test_token_and_url_of_the_signed_in_attendee(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event = await factory.event()
        zoe = await factory.attendee(event)
        response = await client.get("/api/me/badge", headers=factory.attendee_headers(zoe))
        assert response.status_code == 200
        body = response.json()
        assert body["token"] == token_of(settings, event, zoe)
        assert body["url"] == f"{settings.public_base_url}/b/{body['token']}"
        assert body["badge_code"] == zoe.badge_code

    async def test_needs_an_attendee(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser = await factory.organiser()
        assert (await client.get("/api/me/badge")).status_code == 401
        response = await client.get("/api/me/badge", headers=factory.organiser_headers(organiser))
        assert response.status_code == 403


class TestResolveBadge:
    async def test_card_with_only_the_shared_details(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event = await factory.event()
        viewer = await factory.attendee(event)
        zoe = await factory.attendee(
            event,
            name="Zoé Lefèvre",
            pitch="Je dessine des outils pour les ateliers.",
            phone="+33 6 12 34 56 78",
            shared_fields=["email"],
        )
        response = await client.get(
            f"/api/badges/{token_of(settings, event, zoe)}", headers=factory.attendee_headers(viewer)
        )
        assert response.status_code == 200
        card = response.json()
        assert card["name"] == "Zoé Lefèvre"
        assert card["pitch"] == "Je dessine des outils pour les ateliers."
        assert card["badge_code"] == zoe.badge_code
        assert card["email"] == zoe.email
        assert card["phone"] is None

    async def test_badge_of_another_event_says_nothing_of_its_holder(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event, other = await factory.event(), await factory.event()
        viewer = await factory.attendee(event)
        stranger = await factory.attendee(other, name="Ophélie Étrangère", company="Ailleurs SA")
        response = await client.get(
            f"/api/badges/{token_of(settings, other, stranger)}", headers=factory.attendee_headers(viewer)
        )
        assert response.status_code == 403
        assert "another event" in response.json()["detail"]
        assert "Ophélie" not in response.text
        assert "Ailleurs" not in response.text

    async def test_reissued_badge_is_refused_as_such(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        viewer, zoe = await factory.attendee(event), await factory.attendee(event)
        old = token_of(settings, event, zoe)
        reissued = await client.post(
            f"/api/events/{event.id}/attendees/{zoe.id}/badge/reissue",
            headers=factory.organiser_headers(organiser),
        )
        assert reissued.status_code == 200
        response = await client.get(f"/api/badges/{old}", headers=factory.attendee_headers(viewer))
        assert response.status_code == 410
        assert "re-issued" in response.json()["detail"]
        fresh = await client.get(
            f"/api/badges/{token_of(settings, event, zoe, version=2)}",
            headers=factory.attendee_headers(viewer),
        )
        assert fresh.status_code == 200

    async def test_deleted_or_removed_holder(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        viewer = await factory.attendee(event)
        gone, removed = await factory.attendee(event), await factory.attendee(event)
        gone.deleted_at = utcnow()
        await session.flush()
        tokens = [token_of(settings, event, gone), token_of(settings, event, removed)]
        await client.delete(
            f"/api/events/{event.id}/attendees/{removed.id}", headers=factory.organiser_headers(organiser)
        )
        for token in tokens:
            response = await client.get(f"/api/badges/{token}", headers=factory.attendee_headers(viewer))
            assert response.status_code == 410
            assert response.json()["code"] == "badge_holder_gone"
            assert "no longer registered" in response.json()["detail"]

    @pytest.mark.parametrize("mangle", ["forge", "truncate", "tamper"])
    async def test_invalid_tokens(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, mangle: str
    ) -> None:
        event = await factory.event()
        viewer, zoe = await factory.attendee(event), await factory.attendee(event)
        token = token_of(settings, event, zoe)
        bad = {
            "forge": "A" * 31,
            "truncate": token[:25],
            "tamper": token[:5] + ("B" if token[5] != "B" else "C") + token[6:],
        }[mangle]
        response = await client.get(f"/api/badges/{bad}", headers=factory.attendee_headers(viewer))
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "badge" in response.json()["detail"]

    async def test_expired_session_and_wrong_role(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        zoe = await factory.attendee(event)
        path = f"/api/badges/{token_of(settings, event, zoe)}"
        assert (await client.get(path)).status_code == 401
        expired = {"Authorization": f"Bearer {_expired_attendee_token(settings, zoe)}"}
        assert (await client.get(path, headers=expired)).status_code == 401
        assert (await client.get(path, headers=factory.organiser_headers(organiser))).status_code == 403


class TestDirectory:
    async def test_needs_an_attendee(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser = await factory.organiser()
        assert (await client.get("/api/directory")).status_code == 401
        assert (
            await client.get("/api/directory", headers=factory.organiser_headers(organiser))
        ).status_code == 403


def _qr_texts(image: Image.Image) -> list[str]:
    return sorted(code.text for code in zxingcpp.read_barcodes(image))


class TestBadgeImages:
    async def test_png_decodes_to_the_badge_url(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        zoe = await factory.attendee(event, name=LONG_NAME)
        path = f"/api/events/{event.id}/attendees/{zoe.id}/badge.png"
        response = await client.get(path, headers=factory.organiser_headers(organiser))
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/png"
        assert _qr_texts(Image.open(io.BytesIO(response.content))) == [url_of(settings, event, zoe)]

    async def test_svg_names_the_person(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        zoe = await factory.attendee(event, name="Jean-Noël O'Connor <b>")
        path = f"/api/events/{event.id}/attendees/{zoe.id}/badge.svg"
        response = await client.get(path, headers=factory.organiser_headers(organiser))
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("image/svg+xml")
        root = ET.fromstring(response.content)  # noqa: S314 - our own rendering
        text = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        assert "Jean-Noël O'Connor <b>" in text

    async def test_only_the_events_organiser(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser, intruder = await factory.organiser(), await factory.organiser()
        event = await factory.event(organiser)
        zoe = await factory.attendee(event)
        path = f"/api/events/{event.id}/attendees/{zoe.id}/badge.png"
        assert (await client.get(path, headers=factory.organiser_headers(intruder))).status_code == 404
        assert (await client.get(path, headers=factory.attendee_headers(zoe))).status_code == 403
        assert (await client.get(path)).status_code == 401
        unknown = f"/api/events/{event.id}/attendees/{uuid.uuid4()}/badge.svg"
        assert (await client.get(unknown, headers=factory.organiser_headers(organiser))).status_code == 404


async def _people(factory: Factory, event: Event, names: list[str]) -> list[Attendee]:
    fields = {"company": "Société d'Électricité", "job_title": "Chargée d'affaires"}
    return [await factory.attendee(event, name=name, **fields) for name in names]


def _pdf_pages(data: bytes) -> tuple[list[str], list[list[str]]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    texts = [" ".join(page.extract_text().split()).replace("- ", "-") for page in reader.pages]
    codes = [_qr_texts(page.render(scale=2).to_pil()) for page in pypdfium2.PdfDocument(data)]
    return texts, codes


NAMES = ["Zoé Lefèvre", "Jean-Noël O'Connor", "Anaïs d’Hauteville", LONG_NAME, "Œdipe Ærø"]


class TestBadgesPdf:
    async def test_a6_one_page_per_badge_in_name_order(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        people = sorted(await _people(factory, event, NAMES), key=lambda a: (a.name, a.id))
        response = await client.get(
            f"/api/events/{event.id}/badges.pdf", headers=factory.organiser_headers(organiser)
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/pdf"
        assert "attachment" in response.headers["content-disposition"]
        texts, codes = _pdf_pages(response.content)
        assert len(texts) == len(people)
        for person, text, page_codes in zip(people, texts, codes, strict=True):
            assert person.name in text
            assert page_codes == [url_of(settings, event, person)]
            # The short code, printed in two groups of three under the QR code.
            assert f"{person.short_code[:3]} {person.short_code[3:]}" in text

    async def test_a4_sheets_of_four_for_a_selection(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        people = await _people(factory, event, [f"{name} {i}" for i in range(2) for name in NAMES])
        chosen = people[:7]
        response = await client.get(
            f"/api/events/{event.id}/badges.pdf",
            params={"layout": "a4", "ids": [str(p.id) for p in chosen]},
            headers=factory.organiser_headers(organiser),
        )
        assert response.status_code == 200
        texts, codes = _pdf_pages(response.content)
        assert len(texts) == math.ceil(len(chosen) / 4)
        assert sorted(code for page in codes for code in page) == sorted(
            url_of(settings, event, p) for p in chosen
        )
        for person in chosen:
            assert any(person.name in text for text in texts)

    async def test_refusals_before_streaming(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser, intruder = await factory.organiser(), await factory.organiser()
        event = await factory.event(organiser)
        headers = factory.organiser_headers(organiser)
        path = f"/api/events/{event.id}/badges.pdf"
        empty = await client.get(path, headers=headers)
        assert empty.status_code == 422
        assert "no attendees" in empty.json()["detail"]
        await factory.attendee(event)
        unknown = await client.get(path, params={"ids": [str(uuid.uuid4())]}, headers=headers)
        assert unknown.status_code == 404
        assert (await client.get(path, params={"layout": "a3"}, headers=headers)).status_code == 422
        assert (await client.get(path, params={"ids": "nope"}, headers=headers)).status_code == 422
        assert (await client.get(path, headers=factory.organiser_headers(intruder))).status_code == 404

    async def test_streams_a_slice_at_a_time(
        self,
        factory: Factory,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        event = await factory.event()
        people = await _people(factory, event, [f"Person {i:02d}" for i in range(7)])
        monkeypatch.setattr(badge_service, "PRINT_PAGE_ROWS", 3)
        stream = badge_service.stream_pdf(session_factory, settings, event, PaperLayout.a6, None)
        chunks = [chunk async for chunk in stream]
        # The header, three slices of at most three badges, then fonts and the table of objects.
        assert len(chunks) == 5
        assert [chunk.count(b"/Type /Page ") for chunk in chunks] == [0, 3, 3, 1, 0]
        assert len(pypdf.PdfReader(io.BytesIO(b"".join(chunks))).pages) == len(people)
