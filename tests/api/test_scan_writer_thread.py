"""The scan writer of an app running on its own engine (not a test's transaction).

On a SQLite file, each group is written on the writer's own thread through a
synchronous connection, with the very rules of the asynchronous path; on
PostgreSQL the app's sessions write it. Either way: the same answers, replays
and conflicts, feed notices after the commit, 503 and nothing saved when the
database fails, and one bad request never fails the others of its group.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy.exc import OperationalError
from starlette.requests import Request

from rencontre.auth.service import attendee_token
from rencontre.config import Settings
from rencontre.encounters import service
from rencontre.encounters.endpoints import _writer
from rencontre.feed.broker import FeedNotice
from rencontre.kit.immediate import run_now
from tests.api.feed_support import Scene, scene_of
from tests.api.scan_support import scan_body


def headers(scene: Scene, index: int) -> dict[str, str]:
    return {"Authorization": f"Bearer {attendee_token(scene.settings, scene.people[index])}"}


def body(scene: Scene, scanned: int, **fields: Any) -> dict[str, Any]:
    return scan_body(scene.settings, scene.event, scene.people[scanned], **fields)


def writer_of(scene: Scene) -> Any:
    return _writer(Request({"type": "http", "app": scene.app}))


class TestWhereGroupsAreWritten:
    async def test_on_sqlite_a_group_runs_on_the_writers_thread(
        self, settings: Settings, backend: str
    ) -> None:
        async with scene_of(settings, people=3) as scene:
            writer = writer_of(scene)
            if backend != "sqlite":
                assert writer._thread is None
                return
            assert writer._thread is not None
            threads: list[str] = []

            def note_thread(*_args: Any) -> None:
                threads.append(threading.current_thread().name)

            sa_event.listen(writer._thread.engine, "before_cursor_execute", note_thread)
            response = await scene.http.post("/api/scans", json=body(scene, 1), headers=headers(scene, 0))
            assert response.status_code == 201, response.text
            assert threads, "the group's statements ran through the writer's own engine"
            assert {name.split("_")[0] for name in threads} == {"rencontre-scans"}


class TestTheSameRulesOnEitherPath:
    async def test_new_again_replayed_and_reused_client_ids(self, settings: Settings) -> None:
        async with scene_of(settings, people=3) as scene:
            first = body(scene, 1, note="Vélo cargo")
            created = await scene.http.post("/api/scans", json=first, headers=headers(scene, 0))
            assert created.status_code == 201, created.text
            replayed = await scene.http.post("/api/scans", json=first, headers=headers(scene, 0))
            assert replayed.status_code == 201
            assert replayed.json()["contact_id"] == created.json()["contact_id"]
            again = await scene.http.post(
                "/api/scans", json=body(scene, 1, note="Revu"), headers=headers(scene, 0)
            )
            assert again.status_code == 200
            assert again.json()["note"].startswith("Vélo cargo")
            assert again.json()["scan_count"] == 2
            reused = await scene.http.post(
                "/api/scans", json={**first, "note": "autre"}, headers=headers(scene, 0)
            )
            assert reused.status_code == 409, reused.text

    async def test_a_batch_answers_each_item(self, settings: Settings) -> None:
        async with scene_of(settings, people=4) as scene:
            items = [body(scene, 1), body(scene, 2), {"client_id": "nope", "qr": "x"}, body(scene, 0)]
            response = await scene.http.post(
                "/api/scans/batch", json={"items": items}, headers=headers(scene, 0)
            )
            assert response.status_code == 200, response.text
            statuses = [item.get("http_status") for item in response.json()["results"]]
            assert statuses[:2] == [201, 201]
            assert statuses[2] == 422
            assert statuses[3] == 422  # scanning oneself

    async def test_feed_notices_follow_the_commit(self, settings: Settings) -> None:
        async with scene_of(settings, people=3) as scene:
            notices: list[FeedNotice] = []
            unsubscribe = scene.app.state.broker.subscribe(scene.event.id, notices.append)
            try:
                response = await scene.http.post("/api/scans", json=body(scene, 2), headers=headers(scene, 1))
                assert response.status_code == 201
                for _ in range(50):
                    if notices:
                        break
                    await asyncio.sleep(0.01)
            finally:
                unsubscribe()
            assert [notice.event_id for notice in notices] == [scene.event.id]


class TestFailures:
    async def test_a_database_failure_is_a_503_and_saves_nothing(
        self, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        async with scene_of(settings, people=3) as scene:
            real = service.record_scans

            async def failing(*args: Any, **kwargs: Any) -> Any:
                await real(*args, **kwargs)
                raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

            monkeypatch.setattr(service, "record_scans", failing)
            refused = await scene.http.post("/api/scans", json=body(scene, 1), headers=headers(scene, 0))
            assert refused.status_code == 503
            assert "Retry-After" in refused.headers
            monkeypatch.setattr(service, "record_scans", real)
            contacts = await scene.http.get("/api/contacts", headers=headers(scene, 0))
            assert contacts.json()["items"] == []

    async def test_one_failing_request_does_not_fail_its_group(
        self, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        async with scene_of(settings, people=4) as scene:
            real = service.record_scans
            poisoned = body(scene, 3)

            async def picky(session: Any, settings: Settings, requests: Any, **kwargs: Any) -> Any:
                if any(str(request.scan.client_id) == poisoned["client_id"] for request in requests):
                    raise ValueError("a bug met by one request")
                return await real(session, settings, requests, **kwargs)

            monkeypatch.setattr(service, "record_scans", picky)
            answers = await asyncio.gather(
                scene.http.post("/api/scans", json=body(scene, 1), headers=headers(scene, 0)),
                scene.http.post("/api/scans", json=poisoned, headers=headers(scene, 2)),
                scene.http.post("/api/scans", json=body(scene, 2), headers=headers(scene, 1)),
            )
            assert [answer.status_code for answer in answers] == [201, 503, 201]


class TestRunNow:
    def test_returns_what_a_coroutine_that_never_waits_returns(self) -> None:
        async def add(a: int, b: int) -> int:
            return a + b

        assert run_now(add(2, 3)) == 5

    def test_refuses_a_coroutine_that_waits(self) -> None:
        async def waits() -> None:
            await asyncio.sleep(0)

        with pytest.raises(RuntimeError, match="waited"):
            run_now(waits())
