"""A lean keep-alive HTTP/1.1 client for the load generator.

httpx spends more CPU per request than a bare FastAPI endpoint does, and on a
2-core machine the load generator shares the CPU with the server: a heavy client
would flatten every number, the ceiling first. This client writes a request,
reads a status line, headers and a ``Content-Length`` or chunked body — nothing
else. It is used only against our own servers on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any


class HttpError(Exception):
    """The connection broke or the server spoke something this client does not read."""


class Connection:
    def __init__(self, host: str, port: int, *, timeout: float = 30.0) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._host_header = f"Host: {host}:{port}\r\n".encode()

    async def __aenter__(self) -> Connection:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def _ensure_open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(self.host, self.port, limit=1 << 20), self.timeout
            )
            self._reader, self._writer = reader, writer
            return reader, writer
        return self._reader, self._writer

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        headers: bytes = b"",
        content_type: bytes = b"application/json",
    ) -> tuple[int, bytes]:
        """Send one request on the kept-alive connection; ``headers`` are preformatted lines."""
        reused = self._writer is not None
        try:
            try:
                return await asyncio.wait_for(
                    self._exchange(method, path, body, headers, content_type), self.timeout
                )
            except (ConnectionError, asyncio.IncompleteReadError) as exc:
                # The server closed an idle kept-alive connection as we reused it (uvicorn's
                # keep-alive timeout): nothing was answered, so send again on a new one, as
                # browsers and httpx do. A scan carries its client id, so a repeat is harmless.
                if not reused or (isinstance(exc, asyncio.IncompleteReadError) and exc.partial):
                    raise
                self._drop()
                return await asyncio.wait_for(
                    self._exchange(method, path, body, headers, content_type), self.timeout
                )
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError) as exc:
            await self.close()
            raise HttpError(f"{type(exc).__name__}: {exc}") from exc
        except asyncio.CancelledError:
            # Cut mid-exchange: the next request must not read this one's answer.
            self._drop()
            raise

    def _drop(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()

    async def _exchange(
        self, method: str, path: str, body: bytes, headers: bytes, content_type: bytes
    ) -> tuple[int, bytes]:
        reader, writer = await self._ensure_open()
        head = f"{method} {path} HTTP/1.1\r\n".encode() + self._host_header + headers
        if body or method in ("POST", "PUT", "PATCH"):
            head += (
                b"Content-Type: " + content_type + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n"
            )
        writer.write(head + b"\r\n" + body)
        raw_head = await reader.readuntil(b"\r\n\r\n")
        lines = raw_head.split(b"\r\n")
        try:
            status = int(lines[0].split(b" ", 2)[1])
        except (IndexError, ValueError) as exc:
            raise HttpError(f"bad status line {lines[0]!r}") from exc
        length: int | None = None
        chunked = False
        close = False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value.strip())
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                close = True
        if chunked:
            payload = await _read_chunked(reader)
        elif length is not None:
            payload = await reader.readexactly(length)
        else:
            payload = await reader.read()
            close = True
        if close:
            await self.close()
        return status, payload

    async def post_json(self, path: str, document: Any, headers: bytes = b"") -> tuple[int, Any]:
        status, payload = await self.request(
            "POST", path, body=json.dumps(document).encode(), headers=headers
        )
        return status, _json_or_text(payload)

    async def get_json(self, path: str, headers: bytes = b"") -> tuple[int, Any]:
        status, payload = await self.request("GET", path, headers=headers)
        return status, _json_or_text(payload)


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # no trailers from our servers
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


def _json_or_text(payload: bytes) -> Any:
    try:
        return json.loads(payload) if payload else None
    except ValueError:
        return payload.decode("utf-8", "replace")


def bearer(token: str) -> bytes:
    return f"Authorization: Bearer {token}\r\n".encode()
