"""``rencontre watch``: an event's live counts in a terminal, through the public API.

It does what the console does: sign in, get a ticket, open the websocket, apply
snapshot and delta frames, and after a disconnection get a new ticket and resume
from the last ``seq`` it saw.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from rencontre.feed.schemas import RECONNECT_CODES


class WatchError(Exception):
    """Something a person must fix (wrong password, not their event): no point retrying."""


class LiveState:
    """A dashboard's picture of the room, built from the frames it receives."""

    def __init__(self) -> None:
        self.seq: int | None = None
        self.shows_names = False
        self.counts: dict[str, int] = {}
        self.timeline: dict[str, int] = {}
        self.top: list[dict[str, Any]] = []
        self.isolated: list[dict[str, Any]] = []
        self.connections: list[dict[str, Any]] = []
        self.snapshots = 0
        self.deltas = 0

    def apply(self, frame: dict[str, Any]) -> bool:
        """Apply a snapshot or delta frame; False when a delta leaves a gap (ask for a resync)."""
        kind = frame.get("type")
        if kind == "snapshot":
            self.snapshots += 1
            self.seq = frame["seq"]
            self.shows_names = frame["shows_names"]
            self.counts = dict(frame["counts"])
            self.timeline = {b["start"]: b["connections"] for b in frame["timeline"]}
            self.top = list(frame["top"])
            self.isolated = list(frame["isolated"])
            return True
        if kind != "delta":
            return True
        if self.seq is None or frame["from_seq"] > self.seq:
            return False
        self.deltas += 1
        if frame["seq"] < self.seq:
            return True
        self.shows_names = frame["shows_names"]
        self.counts = dict(frame["counts"])
        for bucket in frame["timeline"]:
            self.timeline[bucket["start"]] = bucket["connections"]
        if "top" in frame:
            self.top = list(frame["top"])
        if "isolated" in frame:
            self.isolated = list(frame["isolated"])
        self.connections.extend(c for c in frame["connections"] if c["seq"] > self.seq)
        self.seq = frame["seq"]
        return True

    def line(self) -> str:
        c = self.counts
        return (
            f"seq {self.seq} · connections {c.get('connections', 0)} · pairs {c.get('unique_pairs', 0)}"
            f" · mutual {c.get('mutual', 0)} · active {c.get('active_scanners', 0)}"
            f" · present {c.get('present', 0)} · isolated {c.get('isolated', 0)}"
        )


def feed_url(base_url: str, event_id: uuid.UUID) -> str:
    base = base_url.rstrip("/")
    if base.startswith("https://"):
        base = "wss://" + base[len("https://") :]
    elif base.startswith("http://"):
        base = "ws://" + base[len("http://") :]
    return f"{base}/api/events/{event_id}/feed"


async def watch(
    base_url: str,
    event_id: uuid.UUID,
    email: str,
    password: str,
    *,
    out: Callable[[str], None],
    as_json: bool = False,
    max_backoff: float = 10.0,
) -> None:
    """Print the live counts until interrupted, reconnecting (and resuming) after any drop."""
    state = LiveState()
    delay = 0.5
    async with httpx.AsyncClient(base_url=base_url.rstrip("/"), timeout=15) as http:
        token: str | None = None
        while True:
            try:
                fresh = token is None
                if token is None:
                    token = await _login(http, email, password)
                ticket = await _ticket(http, token, event_id)
                if ticket is None:
                    if fresh:
                        raise WatchError("the server refused a session it had just opened")
                    token = None
                    continue
                async with connect(feed_url(base_url, event_id), open_timeout=10) as socket:
                    await socket.send(json.dumps({"type": "auth", "ticket": ticket, "last_seq": state.seq}))
                    async for raw in socket:
                        frame = json.loads(raw)
                        delay = 0.5
                        if not state.apply(frame):
                            await socket.send(json.dumps({"type": "resync"}))
                            continue
                        if as_json:
                            out(json.dumps(frame, ensure_ascii=False))
                        elif frame.get("type") in ("snapshot", "delta"):
                            out(state.line())
                            for item in frame.get("connections", []):
                                if item.get("names"):
                                    out(f"  {item['names'][0]} ↔ {item['names'][1]}")
                        elif frame.get("type") == "error":
                            out(f"server: {frame.get('detail')}")
                reason = f"closed {socket.close_code}: {socket.close_reason or 'no reason given'}"
            except ConnectionClosed as closed:
                code = closed.rcvd.code if closed.rcvd is not None else 1006
                why = closed.rcvd.reason if closed.rcvd is not None else "connection lost"
                if code not in RECONNECT_CODES:
                    raise WatchError(f"the feed was closed ({code}): {why}") from None
                reason = f"closed {code}: {why}"
            except (OSError, TimeoutError, httpx.TransportError, InvalidHandshake) as exc:
                if isinstance(exc, InvalidStatus) and exc.response.status_code == 403:
                    raise WatchError("the server refused the websocket (origin not allowed)") from None
                reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            out(f"disconnected ({reason}); reconnecting in {delay:.1f} s")
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_backoff)


async def _login(http: httpx.AsyncClient, email: str, password: str) -> str:
    response = await http.post("/api/auth/login", json={"email": email, "password": password})
    if response.status_code in (401, 422):
        raise WatchError(_detail(response, "sign-in refused"))
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


async def _ticket(http: httpx.AsyncClient, token: str, event_id: uuid.UUID) -> str | None:
    """A fresh ticket; None when the session expired (sign in again)."""
    response = await http.post(
        f"/api/events/{event_id}/feed/ticket", headers={"Authorization": f"Bearer {token}"}
    )
    if response.status_code == 401:
        return None
    if response.status_code in (403, 404):
        raise WatchError(_detail(response, "not one of your events"))
    if response.status_code >= 500 or response.status_code == 429:
        raise httpx.TransportError(f"the server answered {response.status_code}")
    response.raise_for_status()
    ticket: str = response.json()["ticket"]
    return ticket


def _detail(response: httpx.Response, fallback: str) -> str:
    try:
        detail = response.json().get("detail")
    except ValueError:
        detail = None
    return str(detail) if detail else fallback
