"""Input no database can take, refused where every request comes in, before any endpoint.

PostgreSQL refuses a NUL character in text, and neither database can store half of a
UTF-16 surrogate pair (``"\\ud800"`` is valid JSON, but not valid UTF-8): reaching a
query, either one made a 500, or a 503 from the scan writer. So a JSON body or a query
string carrying one is a 422 that names the field, whatever the endpoint, and a path
carrying a NUL or bytes that are not UTF-8 names nothing this app serves: a 404.

Plain ASGI, on the scan path too: a body is only decoded here when its raw bytes hold an
escape that could be one of those (``\\u0000``, ``\\ud800``…), which ordinary text never has.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rencontre.errors import Unprocessable, problem_response

# JSON escapes of NUL and of the surrogate range; a real character is never written this way
# by a JSON encoder that has the choice, but any JSON may spell any character so.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


def unstorable(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None."""
    if "\x00" in text:
        return "contains a NUL character, which cannot be stored"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains half of a character (a lone UTF-16 surrogate), which cannot be stored"
    return None


def unstorable_fields(document: Any) -> Iterator[tuple[str, str]]:
    """(field path, reason) for each string of a decoded JSON document, key or value, that
    cannot be stored. A loop, not recursion: the document may be as deep as JSON allows."""
    pending: list[tuple[tuple[str | int, ...], Any]] = [((), document)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            if reason := unstorable(value):
                yield _dotted(path), reason
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                if reason := unstorable(key):
                    yield _dotted(path), f"has a field name that {reason}"
                pending.append(((*path, key), item))
        elif isinstance(value, list):
            pending.extend(((*path, index), item) for index, item in reversed(list(enumerate(value))))


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in path) or "body"


class UnstorableText(Unprocessable):
    """Text with a NUL character or a lone surrogate, anywhere in a request."""

    def __init__(self, found: list[tuple[str, str]]) -> None:
        errors = [{"field": field, "message": reason} for field, reason in found[:20]]
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        super().__init__(f"The request is not valid — {summary}", errors=errors)


class InputGuardMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if not _readable_path(scope):
            if scope["type"] == "http":
                await _problem_404(scope, receive, send)
            else:
                await send({"type": "websocket.close", "code": 1008, "reason": "No such address."})
            return
        found = _query_problems(scope.get("query_string", b""))
        if found and scope["type"] == "http":
            await _refuse(UnstorableText(found), scope, receive, send)
            return
        if scope["type"] != "http" or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        body, replay = await _read_body(receive)
        if _SUSPECT_ESCAPE.search(body):
            try:
                found = list(unstorable_fields(json.loads(body)))
            except ValueError:  # not JSON, or not UTF-8: the endpoint says so as it always did
                found = []
            if found:
                await _refuse(UnstorableText(found), scope, replay, send)
                return
        await self.app(scope, replay, send)


def _readable_path(scope: Scope) -> bool:
    raw: bytes = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    raw = raw.split(b"?", 1)[0]  # some servers leave the query on it; a path's own "?" is %3F
    if b"%" not in raw and b"\x00" not in raw:
        return True
    decoded = unquote_to_bytes(raw)
    if b"\x00" in decoded:
        return False
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _query_problems(query: bytes) -> list[tuple[str, str]]:
    # A lone surrogate cannot come through percent-encoding (invalid UTF-8 is replaced): only NUL.
    if b"%00" not in query and b"\x00" not in query:
        return []
    found = []
    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if reason := unstorable(name) or unstorable(value):
            found.append((name.replace("\x00", "\\0"), reason))
    return found


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            media = bytes(value).split(b";", 1)[0].strip().lower()
            return media == b"application/json" or media.endswith(b"+json")
    return False


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body (its size is bounded by the body limit outside), and a ``receive`` that
    hands it on to the app as if it had not been read."""
    chunks: list[bytes] = []
    first: Message | None = None
    while True:
        message = await receive()
        if message["type"] != "http.request":
            first = message  # the client left: let the app see it
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    pending: list[Message] = [first or {"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return body, replay


async def _refuse(error: UnstorableText, scope: Scope, receive: Receive, send: Send) -> None:
    response = problem_response(error.status_code, error.title, error.detail, code=error.code, **error.extra)
    await response(scope, receive, send)


async def _problem_404(scope: Scope, receive: Receive, send: Send) -> None:
    response = problem_response(404, "Not found", "There is nothing at this address.", code="not_found")
    await response(scope, receive, send)
