"""Sending one Web Push message: encrypted for the browser (RFC 8291, ``pywebpush``), signed
with the server's VAPID key (RFC 8292, ``py_vapid``), posted to the push service with aiohttp
(pywebpush's own HTTP client), one connection pool for a round of sends.

Push services answer 201; 404 and 410 mean the subscription is gone for good (the app was
uninstalled, notifications were refused): the caller removes it.
"""

from __future__ import annotations

import base64
import enum
import json
import logging
import socket
import time
from dataclasses import dataclass, field
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02
from pywebpush import WebPusher

from rencontre.config import Settings

logger = logging.getLogger(__name__)

# A signature is good for 12 hours; one is made per push service and reused for an hour.
_SIGNATURE_SECONDS = 12 * 3600
_SIGNATURE_REUSE_SECONDS = 3600


class Outcome(enum.Enum):
    sent = "sent"
    gone = "gone"
    failed = "failed"


@dataclass(frozen=True, slots=True)
class Target:
    endpoint: str
    p256dh: str
    auth: str


def not_public(host: str) -> bool:
    """An address off the public internet, or a name that can only mean this machine.

    Other names are checked where they are resolved, at each send (``webpush``): a name is
    free to resolve to a private address, today or after it was accepted.
    """
    name = host.rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return not ip_address(name).is_global
    except ValueError:
        return False


class PublicAddressesOnly(AbstractResolver):
    """Resolves a push service's name to its public addresses only.

    The endpoint is a URL an attendee's phone handed us: a name that resolves (now, or
    after it was accepted) to this machine or the private network must not turn reminders
    into requests to the deployment's own services. Checked where the connection is made,
    so a name that changes its answer between two sends is caught too.
    """

    def __init__(self) -> None:
        self._resolver = DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await self._resolver.resolve(host, port, family)
        public = [result for result in found if ip_address(result["host"]).is_global]
        if not public:
            raise OSError(f"{host} has no address on the public internet")
        return public

    async def close(self) -> None:
        await self._resolver.close()


def public_key(settings: Settings) -> str:
    """The application server key browsers subscribe with (uncompressed P-256, base64url)."""
    vapid = Vapid02.from_pem(settings.vapid_pem())
    raw = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class WebPushSender:
    """Posts encrypted messages; one HTTP client (connection pool) for a round of sends."""

    settings: Settings
    client: aiohttp.ClientSession | None = None
    _vapid: Vapid02 | None = None
    _signatures: dict[str, tuple[float, str]] = field(default_factory=dict)

    async def __aenter__(self) -> WebPushSender:
        self.client = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.settings.push_timeout_seconds),
            connector=aiohttp.TCPConnector(
                limit=self.settings.push_concurrency,
                # Tests run a push service on this machine; deployments reach public ones only.
                resolver=None if self.settings.push_allow_loopback_http else PublicAddressesOnly(),
            ),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.client is not None:
            await self.client.close()
            self.client = None

    def _authorization(self, endpoint: str) -> str:
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        now = time.time()
        cached = self._signatures.get(audience)
        if cached is not None and cached[0] > now:
            return cached[1]
        if self._vapid is None:
            self._vapid = Vapid02.from_pem(self.settings.vapid_pem())
        claims = {
            "aud": audience,
            "sub": _subject(self.settings.push_subject),
            "exp": int(now) + _SIGNATURE_SECONDS,
        }
        header: str = self._vapid.sign(claims)["Authorization"]
        self._signatures[audience] = (now + _SIGNATURE_REUSE_SECONDS, header)
        return header

    async def send(self, target: Target, payload: dict[str, Any], *, ttl: int, topic: str = "") -> Outcome:
        assert self.client is not None, "use WebPushSender as an async context manager"
        host = urlsplit(target.endpoint).hostname or ""
        if not self.settings.push_allow_loopback_http and not_public(host):
            # Accepted before the rules tightened, or an address the resolver never sees.
            return Outcome.gone
        data = json.dumps(payload, ensure_ascii=False).encode()
        pusher = WebPusher(
            {"endpoint": target.endpoint, "keys": {"p256dh": target.p256dh, "auth": target.auth}}
        )
        body = pusher.encode(data, content_encoding="aes128gcm")["body"]
        headers = {
            "Authorization": self._authorization(target.endpoint),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(ttl),
            "Urgency": "normal",
        }
        if topic:
            # A newer message with the same topic replaces one still waiting for the phone.
            headers["Topic"] = topic
        try:
            # A push service answers; it never sends the message elsewhere (nor to this network).
            async with self.client.post(
                target.endpoint, data=body, headers=headers, allow_redirects=False
            ) as response:
                status = response.status
                await response.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            logger.info("push service unreachable (%s): %s", urlsplit(target.endpoint).netloc, exc)
            return Outcome.failed
        if status in (404, 410):
            return Outcome.gone
        if 200 <= status < 300:
            return Outcome.sent
        logger.info("push service %s refused a message: %s", urlsplit(target.endpoint).netloc, status)
        return Outcome.failed


def _subject(subject: str) -> str:
    # Push services want mailto: or https:; a plain http base URL (development) becomes a mailto.
    if subject.startswith(("mailto:", "https://")):
        return subject
    return "mailto:push@" + (urlsplit(subject).hostname or "localhost")
