"""Sockets that have not signed in yet are few and short-lived: bounded per process, and
closed when they do not sign in within the deadline."""

from __future__ import annotations

from rencontre.config import Settings
from rencontre.feed.dashboard import FeedLimits
from rencontre.feed.schemas import FeedClose
from tests.api.feed_support import scene_of


class TestSocketsWaitingToSignIn:
    async def test_past_the_bound_a_socket_is_closed_with_try_again_later(self, settings: Settings) -> None:
        async with scene_of(
            settings, limits=FeedLimits(unauthenticated_sockets=2, auth_timeout_seconds=30)
        ) as scene:
            await scene.socket()
            await scene.socket()
            third = await scene.socket()
            closed = await third.closed()
            assert closed.code == FeedClose.TRY_AGAIN_LATER
            assert "signing in" in closed.reason

    async def test_a_socket_that_signs_in_or_leaves_frees_its_place(self, settings: Settings) -> None:
        async with scene_of(
            settings, limits=FeedLimits(unauthenticated_sockets=2, auth_timeout_seconds=30)
        ) as scene:
            first, second = await scene.socket(), await scene.socket()
            await first.auth(await scene.ticket())
            assert (await first.receive())["type"] == "snapshot"
            await second.drop()
            for _ in range(2):
                waiting = await scene.socket()
            await waiting.auth(await scene.ticket())
            assert (await waiting.receive())["type"] == "snapshot"

    async def test_the_sign_in_deadline_is_a_setting(self, settings: Settings) -> None:
        settings.feed_auth_timeout_seconds = 0.2
        async with scene_of(settings) as scene:
            silent = await scene.socket()
            closed = await silent.closed()
            assert closed.code == FeedClose.AUTH_TIMEOUT
            assert "0.2 s" in closed.reason
            # Its place is free again: as many silent sockets as the bound allows are accepted.
            assert scene.app.state.feed_waiting.count == 0
