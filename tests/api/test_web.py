from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from rencontre.app import create_app
from tests.support import make_settings


class TestSecurityHeaders:
    async def test_every_response_carries_the_policy(self, client: httpx.AsyncClient) -> None:
        for path in ("/api/health", "/api/nope", "/"):
            response = await client.get(path)
            csp = response.headers["content-security-policy"]
            for directive in (
                "object-src 'none'",
                "base-uri 'none'",
                "frame-ancestors 'none'",
                "worker-src 'self'",
                "connect-src 'self' ws://127.0.0.1:8000",
            ):
                assert directive in csp, (path, directive)
            assert "unsafe-inline" not in csp
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["referrer-policy"] == "no-referrer"
            assert "camera=(self)" in response.headers["permissions-policy"]
            assert "strict-transport-security" not in response.headers

    async def test_api_answers_are_never_stored(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/health")
        assert response.headers["cache-control"] == "no-store"

    async def test_https_deployments_get_hsts_and_wss(self, tmp_path: Path) -> None:
        app = create_app(make_settings(tmp_path, public_base_url="https://rencontre.example.org"))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.get("/api/openapi.json")
        assert "max-age=" in response.headers["strict-transport-security"]
        assert "wss://rencontre.example.org" in response.headers["content-security-policy"]


class TestBodyLimit:
    async def test_announced_oversize_body(self, client: httpx.AsyncClient, app: FastAPI) -> None:
        limit = app.state.settings.max_body_bytes
        response = await client.post(
            "/api/auth/login", content=b"x" * (limit + 1), headers={"content-type": "application/json"}
        )
        assert response.status_code == 413
        assert str(limit) in response.json()["detail"]

    async def test_streamed_oversize_body(self, tmp_path: Path) -> None:
        app = create_app(make_settings(tmp_path, max_body_bytes=1000))

        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(10):
                yield b"x" * 500

        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.post("/api/auth/login", content=chunks())
        assert response.status_code == 413


class TestCors:
    def test_wildcard_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match="explicitly"):
            create_app(make_settings(tmp_path, cors_origins=["*"]))

    async def test_listed_origin_only(self, tmp_path: Path) -> None:
        app = create_app(make_settings(tmp_path, cors_origins=["https://partner.example.org"]))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            allowed = await client.options(
                "/api/auth/login",
                headers={"Origin": "https://partner.example.org", "Access-Control-Request-Method": "POST"},
            )
            refused = await client.options(
                "/api/auth/login",
                headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
            )
        assert allowed.headers["access-control-allow-origin"] == "https://partner.example.org"
        assert "access-control-allow-origin" not in refused.headers


class TestApiDocs:
    async def test_docs_are_served_from_the_app_not_a_cdn(self, client: httpx.AsyncClient) -> None:
        from rencontre.web import frontend_dist
        from tests.support import require_or_skip

        require_or_skip((frontend_dist() / "api-docs").is_dir(), "the frontend build (make frontend)")
        page = await client.get("/api/docs")
        assert page.status_code == 200
        assert "http" not in page.text.split("<body>", 1)[1]
        for asset in ("/api-docs/swagger-ui-bundle.js", "/api-docs/swagger-ui.css", "/api-docs/init.js"):
            assert asset in page.text
            assert (await client.get(asset)).status_code == 200
