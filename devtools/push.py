"""A browser's side of Web Push, for the tests and the bench: the P-256 key pair and auth
secret a browser makes when it subscribes, and the decryption of what a push service
hands it (``http_ece``). Plus a local push service for the bench, in its own process."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import time
from dataclasses import dataclass, field
from typing import Any

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class FakeBrowser:
    """One phone's push subscription: the keys it would make, and where its messages go."""

    endpoint: str
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(
            self.key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def subscription(self, language: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "endpoint": self.endpoint,
            "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)},
        }
        if language:
            body["language"] = language
        return body

    def decrypt(self, body: bytes) -> dict[str, Any]:
        plain = http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm")
        decoded: dict[str, Any] = json.loads(plain)
        return decoded


def serve_sink(port: int, expected: int, seconds: float, keep: int) -> dict[str, Any]:
    """A push service on 127.0.0.1:``port`` answering 201, until ``expected`` messages came,
    ``POST /stop`` or ``seconds`` passed; what it counted, and the first ``keep`` messages."""
    from aiohttp import web

    received: dict[str, Any] = {"count": 0, "bytes": 0, "samples": [], "first": None, "last": None}

    async def handle(request: web.Request) -> web.Response:
        body = await request.read()
        now = time.monotonic()
        received["first"] = received["first"] or now
        received["last"] = now
        received["count"] += 1
        received["bytes"] += len(body)
        if len(received["samples"]) < keep:
            received["samples"].append((request.path, body))
        if received["count"] >= expected:
            done.set()
        return web.Response(status=201)

    async def stop(_request: web.Request) -> web.Response:
        done.set()
        return web.Response(status=204)

    async def main() -> None:
        app = web.Application()
        app.router.add_post("/push/{id}", handle)
        app.router.add_post("/stop", stop)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            await asyncio.wait_for(done.wait(), seconds)
        except TimeoutError:
            pass
        finally:
            await runner.cleanup()

    done = asyncio.Event()
    asyncio.run(main())
    spread = (received["last"] - received["first"]) if received["first"] else 0.0
    return {
        "count": received["count"],
        "bytes": received["bytes"],
        "samples": received["samples"],
        "spread_s": spread,
    }
