"""Data that does not outlive its purpose: the event's retention, the keep choices, the
warning a week before, and the purge (its boundaries, what it keeps, the report unchanged,
idempotent, counts only in the logs)."""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rencontre.config import Settings
from rencontre.kit.time import utcnow
from rencontre.models import (
    Attendee,
    AttendeeBlock,
    Audience,
    DismissalKind,
    Encounter,
    Event,
    FollowUpState,
    FormatKind,
    FormatParticipant,
    FormatSeat,
    FormatSession,
    MeetRequest,
    Organiser,
    ProfilePhoto,
    PushSubscription,
    Suggestion,
    SuggestionDismissal,
)
from rencontre.profile import cards
from rencontre.retention import service as retention
from tests.api.push_support import pushes, settings, subscribe
from tests.photo_support import plain_photo
from tests.push_server import FakePushService
from tests.support import Factory

__all__ = ["pushes", "settings"]


def _ended(days_ago: float) -> dict[str, object]:
    end = utcnow() - timedelta(days=days_ago)
    return {"starts_at": end - timedelta(hours=8), "ends_at": end}


async def _room(factory: Factory, **event_fields: object) -> tuple[Event, Attendee, Attendee, Attendee]:
    """Anaïs keeps one contact (Bruno), Bruno keeps all of his, Chloé keeps nothing."""
    event = await factory.event(**{"name": "Salon Lyon", **event_fields})
    anais = await factory.attendee(
        event, name="Anaïs Roux", email="anais@example.org", shared_fields=["email"], pitch="Design"
    )
    bruno = await factory.attendee(event, name="Bruno Keller", phone="+33 6 00 00 00 00", shared_fields=[])
    chloe = await factory.attendee(event, name="Chloé Martin")
    await factory.encounter(anais, bruno, note="Anaïs about Bruno", kept=True)
    await factory.encounter(anais, chloe, note="Anaïs about Chloé")
    await factory.encounter(bruno, anais, note="Bruno about Anaïs", mutual=True)
    await factory.encounter(chloe, anais, note="Chloé about Anaïs", follow_up=FollowUpState.done)
    bruno.keep_contacts = True
    await factory.session.flush()
    return event, anais, bruno, chloe


async def _report(client: httpx.AsyncClient, factory: Factory, event: Event) -> dict[str, object]:
    organiser_id = event.organiser_id
    organiser = await factory.session.get(Organiser, organiser_id)
    response = await client.get(
        f"/api/events/{event.id}/report", headers=factory.organiser_headers(organiser)
    )
    assert response.status_code == 200
    report = response.json()
    for moment in ("generated_at", "generated_at_local"):
        report.pop(moment)
    return report


class TestMyData:
    async def test_what_is_kept_until_when_and_how_much(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, anais, bruno, _ = await _room(factory, **_ended(1), retention_days=30)
        mine = (await client.get("/api/me/retention", headers=factory.attendee_headers(anais))).json()
        assert mine["retention_days"] == 30
        assert mine["purge_at"].startswith((event.ends_at + timedelta(days=30)).date().isoformat())
        assert (mine["contacts"], mine["kept"], mine["keep_all"], mine["warning"]) == (2, 1, False, False)
        assert mine["purged_at"] is None
        his = (await client.get("/api/me/retention", headers=factory.attendee_headers(bruno))).json()
        assert (his["contacts"], his["kept"], his["keep_all"]) == (1, 1, True)

    async def test_keep_and_unkeep_a_contact_and_keep_all(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        _, _anais, _, chloe = await _room(factory)
        headers = factory.attendee_headers(chloe)
        [contact] = (await client.get("/api/contacts", headers=headers)).json()["items"]
        assert contact["kept"] is False
        kept = await client.put(f"/api/contacts/{contact['id']}/keep", headers=headers)
        assert kept.json() == {"contact_id": contact["id"], "kept": True}
        assert (await client.get(f"/api/contacts/{contact['id']}", headers=headers)).json()["kept"] is True
        dropped = await client.delete(f"/api/contacts/{contact['id']}/keep", headers=headers)
        assert dropped.json()["kept"] is False
        everything = await client.put("/api/me/retention", json={"keep_all": True}, headers=headers)
        assert everything.status_code == 200
        assert (everything.json()["keep_all"], everything.json()["kept"]) == (True, 1)

    async def test_bad_input_is_refused_and_changes_nothing(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        _, anais, bruno, _ = await _room(factory)
        headers = factory.attendee_headers(anais)
        bruno_contact = await session.scalar(select(Encounter.id).where(Encounter.scanner_id == bruno.id))
        # Someone else's contact, an unknown one, no id at all.
        for path, code in (
            (f"/api/contacts/{bruno_contact}/keep", 404),
            ("/api/contacts/00000000-0000-4000-8000-000000000000/keep", 404),
            ("/api/contacts/not-an-id/keep", 422),
        ):
            response = await client.put(path, headers=headers)
            assert response.status_code == code, response.text
        for body in ({"keep_all": "yes"}, {"keep_all": 1}, {}, {"keep_all": True, "extra": 1}):
            response = await client.put("/api/me/retention", json=body, headers=headers)
            assert response.status_code == 422, body
        assert (await client.get("/api/me/retention")).status_code == 401
        assert (await client.put(f"/api/contacts/{bruno_contact}/keep")).status_code == 401
        await session.refresh(anais)
        assert anais.keep_contacts is False
        kept = await session.scalar(select(Encounter.kept).where(Encounter.id == bruno_contact))
        assert kept is False


class TestTheEventSetting:
    async def test_the_organiser_sets_how_long_and_bad_values_are_refused(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser = await factory.organiser()
        headers = factory.organiser_headers(organiser)
        start = utcnow() + timedelta(days=3)
        body = {
            "name": "Forum",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=6)).isoformat(),
            "retention_days": 30,
        }
        created = await client.post("/api/events", json=body, headers=headers)
        assert created.status_code == 201, created.text
        assert created.json()["retention_days"] == 30
        event_id = created.json()["id"]
        for value in (0, -1, 3651, "90", 1.5, None):
            response = await client.patch(
                f"/api/events/{event_id}", json={"retention_days": value}, headers=headers
            )
            if value is None:
                continue
            assert response.status_code == 422, value
        changed = await client.patch(f"/api/events/{event_id}", json={"retention_days": 180}, headers=headers)
        assert changed.json()["retention_days"] == 180
        default = await client.post("/api/events", json={**body, "retention_days": 90}, headers=headers)
        assert default.json()["retention_days"] == 90


class TestThePurge:
    async def test_not_a_minute_before_the_retention_runs_out(
        self,
        factory: Factory,
        settings: Settings,
        session: AsyncSession,
        session_factory: async_sessionmaker[AsyncSession],
    ) -> None:
        event, *_ = await _room(factory, **_ended(30), retention_days=30)
        assert (
            await retention.purge_round(
                settings, session_factory, now=event.ends_at + timedelta(days=30, minutes=-1)
            )
        ).events == 0
        assert len(list(await session.scalars(select(Encounter).where(Encounter.event_id == event.id)))) == 4
        report = await retention.purge_round(
            settings, session_factory, now=event.ends_at + timedelta(days=30)
        )
        assert report.events == 1

    async def test_keeps_what_was_kept_with_the_note_and_the_card_as_shared_and_erases_the_rest(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session: AsyncSession,
        session_factory: async_sessionmaker[AsyncSession],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        event, anais, bruno, chloe = await _room(factory, **_ended(91))
        other_event, *_ = await _room(factory)
        bruno_card = cards.public_card(bruno).model_dump(mode="json")
        anais_card = cards.public_card(anais).model_dump(mode="json")
        report_before = await _report(client, factory, event)

        with caplog.at_level(logging.INFO, logger="rencontre"):
            purge = await retention.purge_round(settings, session_factory)
        assert (purge.events, purge.contacts_kept, purge.contacts_removed) == (1, 2, 2)
        assert (purge.accounts_erased, purge.accounts_kept) == (1, 2)
        logged = caplog.text
        for secret in ("Anaïs", "Bruno", "Chloé", "about", "anais@example.org"):
            assert secret not in logged

        # The kept contacts, read by their keepers: their own note, the card as it was shared.
        anais_contacts = (await client.get("/api/contacts", headers=factory.attendee_headers(anais))).json()[
            "items"
        ]
        assert [(c["note"], c["person"]) for c in anais_contacts] == [("Anaïs about Bruno", bruno_card)]
        # Bruno shared no phone: the kept card carries none.
        assert not anais_contacts[0]["person"].get("phone")
        bruno_contacts = (await client.get("/api/contacts", headers=factory.attendee_headers(bruno))).json()[
            "items"
        ]
        assert [(c["note"], c["person"]["name"], c["kept"]) for c in bruno_contacts] == [
            ("Bruno about Anaïs", "Anaïs Roux", True)
        ]
        assert bruno_contacts[0]["person"] == anais_card

        # Chloé kept nothing: her account is erased, her notes are gone.
        await session.refresh(chloe)
        assert chloe.deleted_at is not None
        assert chloe.name == ""
        assert (
            await client.get("/api/me/retention", headers=factory.attendee_headers(chloe))
        ).status_code == 401
        notes = list(await session.scalars(select(Encounter.note).where(Encounter.event_id == event.id)))
        assert sorted(notes) == ["Anaïs about Bruno", "Bruno about Anaïs"]
        # Keepers keep their sign-in and name, not the profile others could see.
        await session.refresh(anais)
        assert (anais.name, anais.pitch, anais.shared_fields, anais.deleted_at) == (
            "Anaïs Roux",
            "",
            [],
            None,
        )

        # The organiser's report reads the same; another event is untouched.
        assert await _report(client, factory, event) == report_before
        assert (
            len(list(await session.scalars(select(Encounter).where(Encounter.event_id == other_event.id))))
            == 4
        )

        # Idempotent: a second run (another instance, cron) finds nothing to do.
        again = await retention.purge_round(settings, session_factory)
        assert again.events == 0
        status = (await client.get("/api/me/retention", headers=factory.attendee_headers(anais))).json()
        assert status["purged_at"] is not None
        assert (status["contacts"], status["kept"]) == (1, 1)

    async def test_what_people_did_with_others_goes_too(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session: AsyncSession,
        session_factory: async_sessionmaker[AsyncSession],
    ) -> None:
        """Photos, requests, blocks, seats at a format's tables and suggestions: the purge
        leaves none of them, keepers' included (Anaïs and Bruno keep contacts)."""
        event, anais, bruno, chloe = await _room(factory, **_ended(91))
        photo = await client.put(
            "/api/me/photo",
            content=plain_photo(),
            headers={**factory.attendee_headers(anais), "Content-Type": "image/jpeg"},
        )
        assert photo.status_code == 200, photo.text
        now = utcnow()
        rounds = FormatSession(
            event_id=event.id,
            name="Speed-meeting",
            kind=FormatKind.speed_meeting,
            audience=Audience.present,
            table_names=[],
            rounds_total=1,
            round_seconds=300,
        )
        session.add(rounds)
        await session.flush()
        session.add_all(
            [
                MeetRequest(event_id=event.id, sender_id=anais.id, recipient_id=bruno.id),
                AttendeeBlock(blocker_id=chloe.id, blocked_id=anais.id),
                FormatParticipant(session_id=rounds.id, attendee_id=anais.id, joined_at=now),
                FormatSeat(session_id=rounds.id, round=1, attendee_id=anais.id, table=0),
                FormatSeat(session_id=rounds.id, round=1, attendee_id=bruno.id, table=0),
                Suggestion(
                    event_id=event.id,
                    reader_id=anais.id,
                    person_id=chloe.id,
                    rank=1,
                    score=1.0,
                    computed_at=now,
                ),
                SuggestionDismissal(
                    event_id=event.id, reader_id=bruno.id, person_id=chloe.id, kind=DismissalKind.hidden
                ),
            ]
        )
        await session.flush()

        assert (await retention.purge_round(settings, session_factory)).events == 1

        people = [anais.id, bruno.id, chloe.id]
        for model, column in [
            (ProfilePhoto, ProfilePhoto.attendee_id),
            (MeetRequest, MeetRequest.sender_id),
            (AttendeeBlock, AttendeeBlock.blocker_id),
            (FormatParticipant, FormatParticipant.attendee_id),
            (FormatSeat, FormatSeat.attendee_id),
            (Suggestion, Suggestion.reader_id),
            (SuggestionDismissal, SuggestionDismissal.reader_id),
        ]:
            left = list(await session.scalars(select(model).where(column.in_(people))))
            assert left == [], model.__name__
        await session.refresh(anais)
        assert anais.photo_key is None
        assert anais.objectives == []
        assert anais.directory_opt_in is False

    async def test_after_the_purge_nothing_more_can_be_kept_nor_reminded(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
        pushes: FakePushService,
    ) -> None:
        _, anais, bruno, _ = await _room(factory, **_ended(91))
        for person in (anais, bruno):
            await subscribe(client, factory, person, pushes.browser())
        await retention.purge_round(settings, session_factory)
        # Nothing of the event is reminded any more: no phone stays subscribed.
        assert list(await factory.session.scalars(select(PushSubscription))) == []
        headers = factory.attendee_headers(anais)
        [contact] = (await client.get("/api/contacts", headers=headers)).json()["items"]
        for response in (
            await client.delete(f"/api/contacts/{contact['id']}/keep", headers=headers),
            await client.put("/api/me/retention", json={"keep_all": True}, headers=headers),
        ):
            assert response.status_code == 409
            assert response.json()["code"] == "event_data_purged"
        refused = await client.post(
            "/api/push/subscriptions", json=pushes.browser().subscription(), headers=headers
        )
        assert refused.status_code == 409


class TestTheWarning:
    async def test_a_week_before_by_push_and_in_the_app_once(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
        pushes: FakePushService,
    ) -> None:
        soon, anais, bruno, _ = await _room(factory, **_ended(84), retention_days=90)
        _later, far, *_ = await _room(factory, **_ended(82), retention_days=90)
        french, english, elsewhere = pushes.browser(), pushes.browser(), pushes.browser()
        await subscribe(client, factory, anais, french)
        bruno.language = "en"
        await factory.session.flush()
        await subscribe(client, factory, bruno, english)
        await subscribe(client, factory, far, elsewhere)

        assert await retention.warning_round(settings, session_factory) == 2
        purge_day = (soon.ends_at + timedelta(days=90)).astimezone(ZoneInfo("Europe/Paris"))
        [message] = pushes.messages(french)
        assert message["kind"] == "retention"
        assert message["url"] == "/my-data"
        assert f"le {purge_day.day if purge_day.day != 1 else '1er'} " in message["body"]
        assert message["body"].startswith("Vos contacts et vos notes seront effacés")
        assert pushes.messages(english)[0]["body"].startswith("Your contacts and notes will be erased on")
        assert pushes.messages(elsewhere) == []
        banner = (await client.get("/api/me/retention", headers=factory.attendee_headers(anais))).json()
        assert banner["warning"] is True
        assert (await client.get("/api/me/retention", headers=factory.attendee_headers(far))).json()[
            "warning"
        ] is False

        assert await retention.warning_round(settings, session_factory) == 0
        assert len(pushes.messages(french)) == 1
