"""The live channel to phones: a ticket, the socket, each phone's own view of the
event's sessions pushed as they change, resumption by versions, and the refusals."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from rencontre.config import Settings
from rencontre.kit.time import utcnow
from rencontre.live.hub import LiveLimits
from rencontre.models import Attendee, FormatSession
from tests.api.feed_support import AsgiSocket, Refused, Scene, require_postgres, running_app, scene_of
from tests.support import Factory

WAIT = 10.0
LIVE = "/api/me/live"


def _phone_headers(scene: Scene, person: Attendee) -> dict[str, str]:
    return Factory(None, scene.settings).attendee_headers(person)  # type: ignore[arg-type]


async def _ticket(scene: Scene, person: Attendee) -> str:
    response = await scene.http.post(f"{LIVE}/ticket", headers=_phone_headers(scene, person))
    assert response.status_code == 201, response.text
    ticket: str = response.json()["ticket"]
    return ticket


async def _phone(scene: Scene, person: Attendee, versions: dict[str, int] | None = None) -> AsgiSocket:
    socket = await scene.socket(path=LIVE)
    await socket.send_json(
        {"type": "auth", "ticket": await _ticket(scene, person), "versions": versions or {}}
    )
    return socket


async def _session(scene: Scene, **overrides: Any) -> str:
    body = {
        "name": "Speed-meeting",
        "kind": "speed_meeting",
        "rounds_total": 3,
        "round_seconds": 300,
    } | overrides
    response = await scene.http.post(
        f"/api/events/{scene.event.id}/sessions", json=body, headers=scene.headers
    )
    assert response.status_code == 201, response.text
    sid: str = response.json()["id"]
    return sid


async def _control(scene: Scene, sid: str, action: str) -> None:
    response = await scene.http.post(
        f"/api/events/{scene.event.id}/sessions/{sid}/{action}", headers=scene.headers
    )
    assert response.status_code == 200, response.text


async def _frame_until(socket: AsgiSocket, check: Any, within: float = WAIT) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        frame = await socket.receive(max(0.01, deadline - loop.time()))
        if check(frame):
            return frame


def _round(n: int) -> Any:
    return lambda f: f["type"] == "session" and f["session"]["seat"] and f["session"]["seat"]["round"] == n


class TestThePhoneFollowsItsSessions:
    async def test_a_started_round_reaches_both_phones_with_each_others_card(
        self, settings: Settings
    ) -> None:
        async with scene_of(settings, people=2) as scene:
            a, b = scene.people
            async with scene.sessions() as session:
                await session.execute(
                    update(Attendee).where(Attendee.id == b.id).values(shared_fields=["email"])
                )
                await session.commit()
            sid = await _session(scene, table_names=["Table 7"])
            phone_a, phone_b = await _phone(scene, a), await _phone(scene, b)
            draft = await _frame_until(phone_a, lambda f: f["type"] == "session")
            assert draft["session"]["id"] == sid
            assert draft["session"]["clock"]["state"] == "draft"
            assert draft["session"]["seat"] is None
            await _control(scene, sid, "start")
            seen_a = (await _frame_until(phone_a, _round(1)))["session"]
            seen_b = (await _frame_until(phone_b, _round(1)))["session"]
            assert seen_a["seat"]["table_name"] == seen_b["seat"]["table_name"] == "Table 7"
            [card_of_b] = [mate["card"] for mate in seen_a["seat"]["people"]]
            [card_of_a] = [mate["card"] for mate in seen_b["seat"]["people"]]
            assert (card_of_b["attendee_id"], card_of_a["attendee_id"]) == (str(b.id), str(a.id))
            assert card_of_b["email"] == b.email
            assert card_of_a["email"] is None, "a detail not shared never reaches the other phone"
            # Both count down to the same instant of the server's clock.
            assert seen_a["clock"]["phase_ends_at"] == seen_b["clock"]["phase_ends_at"]

    async def test_the_clock_moving_a_round_on_is_pushed(self, settings: Settings) -> None:
        async with scene_of(settings, people=4) as scene:
            sid = await _session(scene)
            await _control(scene, sid, "start")
            phone = await _phone(scene, scene.people[0])
            await _frame_until(phone, _round(1))
            async with scene.sessions() as session:
                await session.execute(
                    update(FormatSession)
                    .where(FormatSession.id == uuid.UUID(sid))
                    .values(phase_ends_at=utcnow() - timedelta(seconds=1))
                )
                await session.commit()
            # The app's own ticker sees the round is over and moves it on.
            second = await _frame_until(phone, _round(2))
            assert second["session"]["clock"]["current_round"] == 2

    async def test_each_round_pushes_openers_drawn_from_the_new_mates_card(self, settings: Settings) -> None:
        async with scene_of(settings, people=4) as scene:
            async with scene.sessions() as session:
                for person in scene.people:
                    await session.execute(
                        update(Attendee)
                        .where(Attendee.id == person.id)
                        .values(seeks=[f"seek {person.id}"], phone="+33 6 12 34 56 78")
                    )
                await session.commit()
            sid = await _session(scene)
            phone = await _phone(scene, scene.people[0])
            await _control(scene, sid, "start")
            mates = []
            for round_ in (1, 2):
                seat = (await _frame_until(phone, _round(round_)))["session"]["seat"]
                [mate] = seat["people"]
                mate_id = mate["card"]["attendee_id"]
                assert mate["openers"]["en"][0].startswith(f"You are looking for “seek {mate_id}”")
                assert mate["openers"]["fr"][0].startswith(f"Vous cherchez « seek {mate_id} »")
                assert "+33" not in str(mate["openers"]), "an unshared detail never reaches an opener"
                mates.append(mate_id)
                if round_ == 1:
                    await _control(scene, sid, "next")
            assert mates[0] != mates[1]

    async def test_pause_and_end_are_pushed(self, settings: Settings) -> None:
        async with scene_of(settings, people=2) as scene:
            sid = await _session(scene)
            await _control(scene, sid, "start")
            phone = await _phone(scene, scene.people[0])
            await _frame_until(phone, _round(1))
            await _control(scene, sid, "pause")
            paused = await _frame_until(phone, lambda f: f["type"] == "session")
            assert paused["session"]["clock"]["state"] == "paused"
            assert paused["session"]["clock"]["phase_ends_at"] is None
            await _control(scene, sid, "end")
            ended = await _frame_until(phone, lambda f: f["type"] == "session")
            assert ended["session"]["clock"]["state"] == "ended"
            assert ended["session"]["seat"] is None

    async def test_a_ping_is_answered_with_the_servers_clock(self, settings: Settings) -> None:
        async with scene_of(settings, people=1) as scene:
            phone = await _phone(scene, scene.people[0])
            before = utcnow()
            await phone.send_json({"type": "ping", "sent_at": 1234.5})
            pong = await _frame_until(phone, lambda f: f["type"] == "pong")
            assert pong["sent_at"] == 1234.5
            assert datetime.fromisoformat(pong["server_now"]) >= before

    async def test_odd_messages_are_answered_not_obeyed(self, settings: Settings) -> None:
        async with scene_of(settings, people=1) as scene:
            phone = await _phone(scene, scene.people[0])
            await phone.send_text("{not json")
            error = await _frame_until(phone, lambda f: f["type"] == "error")
            assert error["code"] == "malformed"
            await phone.send_json({"type": "auth", "ticket": "again"})
            error = await _frame_until(phone, lambda f: f["type"] == "error")
            assert error["code"] == "already_signed_in"


class TestResuming:
    async def test_a_phone_that_comes_back_gets_the_current_state_and_what_went(
        self, settings: Settings
    ) -> None:
        async with scene_of(settings, people=2) as scene:
            kept = await _session(scene)
            gone = await _session(scene, name="Cancelled")
            await _control(scene, kept, "start")
            phone = await _phone(scene, scene.people[0])
            await _frame_until(phone, _round(1))
            await phone.drop()
            deleted = await scene.http.delete(
                f"/api/events/{scene.event.id}/sessions/{gone}", headers=scene.headers
            )
            assert deleted.status_code == 204
            again = await _phone(scene, scene.people[0], versions={kept: 1, gone: 1})
            frames = [await again.receive(), await again.receive()]
            by_type = {f["type"]: f for f in frames}
            assert by_type["session"]["session"]["id"] == kept
            assert by_type["session"]["session"]["seat"]["round"] == 1
            assert by_type["session_gone"]["session_id"] == gone


class TestRefusals:
    async def test_a_ticket_opens_one_socket_once(self, settings: Settings) -> None:
        async with scene_of(settings, people=1) as scene:
            ticket = await _ticket(scene, scene.people[0])
            first = await scene.socket(path=LIVE)
            await first.send_json({"type": "auth", "ticket": ticket})
            # Signed in once the pong comes back.
            await first.send_json({"type": "ping"})
            await _frame_until(first, lambda f: f["type"] == "pong")
            second = await scene.socket(path=LIVE)
            await second.send_json({"type": "auth", "ticket": ticket})
            closed = await second.closed()
            assert closed.code == 4401

    @pytest.mark.parametrize(
        ("hello", "code"),
        [
            ({"type": "auth", "ticket": "not-a-ticket"}, 4401),
            ({"type": "auth", "ticket": str(uuid.uuid4())}, 4401),
            ({"type": "ping"}, 4400),
            ({"type": "auth"}, 4400),
            ({"type": "auth", "ticket": "x", "versions": {"not-a-uuid": 1}}, 4400),
            ({"type": "auth", "ticket": "x", "versions": {str(uuid.uuid4()): -1}}, 4400),
            ({"type": "auth", "ticket": "x", "surprise": True}, 4400),
        ],
    )
    async def test_a_bad_hello_closes_with_a_reason(
        self, settings: Settings, hello: dict[str, Any], code: int
    ) -> None:
        async with scene_of(settings, people=1) as scene:
            socket = await scene.socket(path=LIVE)
            await socket.send_json(hello)
            closed = await socket.closed()
            assert closed.code == code
            assert closed.reason

    async def test_silence_after_connecting_closes(self, settings: Settings) -> None:
        async with running_app(settings) as app:
            app.state.live_limits = LiveLimits(auth_timeout_seconds=0.2)
            socket = await AsgiSocket(app, LIVE).connect()
            closed = await socket.closed()
            assert closed.code == 4408

    async def test_another_origin_is_refused(self, settings: Settings) -> None:
        async with scene_of(settings, people=1) as scene:
            with pytest.raises(Refused):
                await scene.socket(path=LIVE, origin="https://elsewhere.example")

    async def test_an_organiser_gets_no_phone_ticket(self, settings: Settings) -> None:
        async with scene_of(settings, people=1) as scene:
            response = await scene.http.post(f"{LIVE}/ticket", headers=scene.headers)
            assert response.status_code == 403

    async def test_a_deleted_account_cannot_redeem_its_ticket(self, settings: Settings) -> None:
        async with scene_of(settings, people=1) as scene:
            person = scene.people[0]
            ticket = await _ticket(scene, person)
            async with scene.sessions() as session:
                await session.execute(
                    update(Attendee).where(Attendee.id == person.id).values(deleted_at=utcnow())
                )
                await session.commit()
            socket = await scene.socket(path=LIVE)
            await socket.send_json({"type": "auth", "ticket": ticket})
            closed = await socket.closed()
            assert closed.code == 4403


class TestAnEndedAccessClosesTheChannel:
    """A lost phone's access re-issued, its owner removed or their account deleted: the
    phone's open channel closes at once (it would otherwise go on showing seats and cards),
    cannot get a new ticket, and the other phones carry on."""

    @pytest.mark.parametrize("ending", ["reissue", "remove", "delete"])
    async def test_the_phone_is_closed_and_the_others_carry_on(self, settings: Settings, ending: str) -> None:
        async with scene_of(settings, people=3) as scene:
            a, b, _ = scene.people
            sid = await _session(scene)
            phone_a, phone_b = await _phone(scene, a), await _phone(scene, b)
            for phone in (phone_a, phone_b):
                await _frame_until(phone, lambda f: f["type"] == "session")
            base = f"/api/events/{scene.event.id}/attendees/{a.id}"
            if ending == "reissue":
                response = await scene.http.post(f"{base}/access/reissue", headers=scene.headers)
            elif ending == "remove":
                response = await scene.http.delete(base, headers=scene.headers)
            else:
                response = await scene.http.delete("/api/me", headers=_phone_headers(scene, a))
            assert response.status_code in (200, 204), response.text
            closed = await phone_a.closed()
            assert closed.code == 4401
            assert "access has ended" in closed.reason
            again = await scene.http.post(f"{LIVE}/ticket", headers=_phone_headers(scene, a))
            assert again.status_code == 401
            await _control(scene, sid, "start")
            seen = await _frame_until(phone_b, _round(1))
            if ending != "reissue":  # a re-issued attendee takes part from their new phone
                assert str(a.id) not in str(seen), "someone who left the event is seated nowhere"


class TestAcrossInstances:
    async def test_a_change_on_one_instance_reaches_a_phone_on_another(
        self, settings: Settings, backend: str
    ) -> None:
        require_postgres(backend)
        async with scene_of(settings, people=2) as scene, running_app(settings) as other:
            sid = await _session(scene)
            # The phone is served by the other instance.
            transport = httpx.ASGITransport(app=other)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
                response = await http.post(f"{LIVE}/ticket", headers=_phone_headers(scene, scene.people[0]))
                ticket = response.json()["ticket"]
            phone = await AsgiSocket(other, LIVE).connect()
            scene.sockets.append(phone)
            await phone.send_json({"type": "auth", "ticket": ticket})
            await _frame_until(phone, lambda f: f["type"] == "session")
            await _control(scene, sid, "start")
            seen = await _frame_until(phone, _round(1))
            assert seen["session"]["id"] == sid
