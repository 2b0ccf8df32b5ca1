"""A local Web Push service for the tests and the bench: it receives what the app sends and
decrypts it with the subscription's private key, as a browser would.

Each :class:`FakeBrowser` is a P-256 key pair and an auth secret made by the test; its
subscription's endpoint is this server. The server answers 201, or what the test set for
an endpoint (410 for a subscription the push service has dropped).
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from py_vapid import Vapid02

from devtools.push import FakeBrowser, b64url
from tests.support import free_port

__all__ = ["FakeBrowser", "FakePushService", "b64url", "push_service"]


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakePushService:
    port: int = 0
    received: list[Received] = field(default_factory=list)
    answers: dict[str, int] = field(default_factory=dict)
    # Paths answered with a redirection to another address.
    redirects: dict[str, str] = field(default_factory=dict)
    browsers: dict[str, FakeBrowser] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def browser(self, *, status: int | None = None) -> FakeBrowser:
        path = f"/push/{uuid.uuid4().hex}"
        browser = FakeBrowser(self.base + path)
        self.browsers[path] = browser
        if status is not None:
            self.answers[path] = status
        return browser

    def messages(self, browser: FakeBrowser) -> list[dict[str, Any]]:
        """What ``browser`` received, decrypted, in order (answered 201 or not)."""
        path = browser.endpoint.removeprefix(self.base)
        with self._lock:
            mine = [r for r in self.received if r.path == path]
        return [browser.decrypt(r.body) for r in mine]

    def all_received(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def verify(self, received: Received, public_key: str) -> None:
        """The message is signed with the server's VAPID key, for this push service."""
        header = received.headers["Authorization"]
        assert header.startswith("vapid t=")
        token, key = header.removeprefix("vapid t=").split(",k=")
        assert key == public_key
        claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
        assert claims["aud"] == self.base
        assert Vapid02.verify(header)

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        with self._lock:
            self.received.append(Received(request.path, dict(request.headers), body))
        if request.path in self.redirects:
            return web.Response(status=307, headers={"Location": self.redirects[request.path]})
        return web.Response(status=self.answers.get(request.path, 201))


@contextmanager
def push_service() -> Iterator[FakePushService]:
    """Serve on 127.0.0.1 in a thread of its own (its own event loop), until the block ends."""
    service = FakePushService(port=free_port())
    loop = asyncio.new_event_loop()
    started = threading.Event()
    runner_box: dict[str, web.AppRunner] = {}

    async def start() -> None:
        app = web.Application()
        app.router.add_post("/push/{id}", service._handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", service.port).start()
        runner_box["runner"] = runner
        started.set()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, name="fake-push-service", daemon=True)
    thread.start()
    assert started.wait(10), "the fake push service did not start"
    try:
        yield service
    finally:
        asyncio.run_coroutine_threadsafe(runner_box["runner"].cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
