from __future__ import annotations

import httpx


class TestHealth:
    async def test_reports_app_and_database(self, client: httpx.AsyncClient, backend: str) -> None:
        response = await client.get("/api/health")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        assert body["database"] == "ok"
        assert body["database_backend"] == backend

    async def test_openapi_document_is_served(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/openapi.json")
        assert response.status_code == 200
        assert "/api/events" in response.json()["paths"]

    async def test_unknown_api_path_is_a_problem(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/nope")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["detail"]
        assert response.json()["code"] == "not_found"

    async def test_invalid_request_names_its_code(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/api/auth/login", json={"email": 3})
        assert response.status_code == 422
        assert response.json()["code"] == "invalid_request"
