"""Serving the PWA and the console, and the HTTP hygiene every response gets.

The middlewares are plain ASGI (no per-request task or buffering), because they sit
on the scan path too.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rencontre.config import Settings
from rencontre.errors import PROBLEM_JSON, allowed_methods, method_not_allowed, problem_response
from rencontre.guard import InputGuardMiddleware


def frontend_dist() -> Path:
    """The built PWA: beside the sources in a checkout, else under the working directory."""
    checkout = Path(__file__).resolve().parents[2] / "frontend" / "dist"
    return checkout if checkout.is_dir() else Path.cwd() / "frontend" / "dist"


def content_security_policy(settings: Settings) -> str:
    origin = urlsplit(settings.public_base_url)
    ws_scheme = "wss" if origin.scheme == "https" else "ws"
    # WebKit does not count ws(s): as 'self', so the websocket origin is named.
    connect = f"'self' {ws_scheme}://{origin.netloc}"
    return "; ".join(
        [
            "default-src 'self'",
            # zxing's decoder is WebAssembly: compiling it needs 'wasm-unsafe-eval', not 'unsafe-eval'.
            "script-src 'self' 'wasm-unsafe-eval'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            f"connect-src {connect}",
            "media-src 'self' blob:",
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ]
    )


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        headers = [
            (b"content-security-policy", content_security_policy(settings).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"permissions-policy", b"camera=(self), microphone=(), geolocation=(), payment=()"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if settings.uses_https:
            headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_api = scope["path"].startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(self.headers)
                # API answers may carry private notes: never stored by any cache.
                if is_api and not any(name == b"cache-control" for name, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """413 for a body over the limit, whether announced (Content-Length) or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and (not value.isdigit() or int(value) > self.max_bytes):
                await self._too_large(send)
                return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not response_started:
                await self._too_large(send)

    async def _too_large(self, send: Send) -> None:
        body = json.dumps(
            {
                "type": "about:blank",
                "title": "Payload too large",
                "status": 413,
                "code": "payload_too_large",
                "detail": f"The request body is larger than {self.max_bytes} bytes.",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(HTTPException):
    """Raised from ``receive``; an HTTPException so that body parsing lets it through."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"The request body is larger than {max_bytes} bytes.")


def install_web_middleware(app: FastAPI, settings: Settings) -> None:
    # Innermost: it reads bodies the body limit has bounded, and its answers get CORS headers.
    app.add_middleware(InputGuardMiddleware)
    if settings.cors_origins:
        if "*" in settings.cors_origins:
            raise ValueError("CORS origins must be listed explicitly; '*' is not allowed")
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=False,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware, settings=settings)


def install_static(app: FastAPI, settings: Settings) -> None:
    dist = frontend_dist()
    if not (dist / "index.html").exists():
        return
    if (dist / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=dist / "assets"), name="assets")

    index = dist / "index.html"
    console = dist / "console.html"
    no_cache = {"Cache-Control": "no-cache"}

    @app.get("/{path:path}", include_in_schema=False)
    async def _spa(path: str, request: Request) -> Response:
        if path.startswith("api/") or path == "api":
            # Registered last, this route sees a GET to an API path only if no API route takes GET there.
            if allowed_methods(request):
                return method_not_allowed(request)
            return problem_response(
                404, "Not found", f"There is no API endpoint at /{path}.", code="not_found"
            )
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist):
            return FileResponse(candidate, headers=no_cache if path == "sw.js" else None)
        if (path == "console" or path.startswith("console/")) and console.exists():
            return FileResponse(console, headers=no_cache)
        return FileResponse(index, headers=no_cache)


_API_DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rencontre API</title>
<link rel="stylesheet" href="/api-docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api-docs/swagger-ui-bundle.js"></script>
<script src="/api-docs/init.js"></script>
</body>
</html>
"""


def install_api_docs(app: FastAPI) -> None:
    """Interactive API docs from files the app serves (Swagger UI, bundled by npm)."""

    @app.get("/api/docs", include_in_schema=False)
    async def _docs() -> Response:
        if not (frontend_dist() / "api-docs" / "swagger-ui-bundle.js").exists():
            return problem_response(
                503,
                "Service unavailable",
                "The API docs are part of the frontend build; run `make frontend`. "
                "The OpenAPI document is at /api/openapi.json.",
                code="docs_not_built",
            )
        return Response(_API_DOCS_PAGE, media_type="text/html")
