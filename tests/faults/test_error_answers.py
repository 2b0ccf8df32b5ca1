"""The answers the shared machinery gives, as the OpenAPI document says it gives them:
a method the path does not take (405 naming every method it does), a body that
cannot be read (400), a validation error that names the field (not Pydantic's
internals), and, on every operation, the problem documents of the layers every
request crosses (400, 401, 403, 413, 422, 503)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support import Factory


async def _document(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/api/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


class TestMethodNotAllowed:
    @pytest.mark.parametrize(
        ("method", "path", "allowed"),
        [
            ("PUT", "/api/events", "GET, HEAD, POST"),
            ("OPTIONS", "/api/me", "DELETE, GET, HEAD, PATCH"),
            ("GET", "/api/scans", "POST"),  # a GET reaches the PWA's catch-all first
            ("DELETE", "/api/auth/login", "POST"),
        ],
    )
    async def test_405_names_every_method_of_the_path(
        self, client: httpx.AsyncClient, method: str, path: str, allowed: str
    ) -> None:
        response = await client.request(method, path)
        assert response.status_code == 405
        assert response.headers["allow"] == allowed
        assert response.headers["content-type"] == "application/problem+json"
        assert method in response.json()["detail"]

    @pytest.mark.parametrize("method", ["GET", "POST", "PATCH"])
    async def test_a_path_the_api_does_not_have_is_a_404(
        self, client: httpx.AsyncClient, method: str
    ) -> None:
        response = await client.request(method, "/api/no/such/thing")
        assert response.status_code == 404
        assert "allow" not in response.headers


class TestUnreadableBodies:
    async def test_a_body_that_is_not_json(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser = await factory.organiser()
        response = await client.post(
            "/api/events",
            content=b"\xff\xfe not json",
            headers={**factory.organiser_headers(organiser), "Content-Type": "application/json"},
        )
        assert response.status_code in (400, 422)
        assert response.headers["content-type"] == "application/problem+json"
        assert "parsing the body" not in response.json()["detail"]


class TestValidationErrors:
    async def test_an_optional_field_is_named_as_itself(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await factory.event()
        me = await factory.attendee(event)
        response = await client.patch(
            "/api/me", json={"linkedin": "not a profile at all"}, headers=factory.attendee_headers(me)
        )
        assert response.status_code == 422
        errors = response.json()["errors"]
        assert [error["field"] for error in errors] == ["linkedin"]
        assert "Input should be None" not in response.json()["detail"]


class TestDocumentedErrors:
    async def test_every_operation_documents_the_shared_failures(self, client: httpx.AsyncClient) -> None:
        document = await _document(client)
        for path, item in document["paths"].items():
            for method, operation in item.items():
                responses = operation["responses"]
                expected = {"503"}
                if "requestBody" in operation:
                    expected |= {"400", "413"}
                if operation.get("security"):
                    expected |= {"401", "403"}
                assert expected <= set(responses), f"{method.upper()} {path}: {sorted(responses)}"
                for code, response in responses.items():
                    if int(code) >= 400 and path != "/api/health":
                        assert list(response["content"]) == ["application/problem+json"], (path, code)
                if "503" in responses and path != "/api/health":
                    assert "Retry-After" in responses["503"]["headers"]

    async def test_fastapis_validation_shape_is_gone(self, client: httpx.AsyncClient) -> None:
        document = await _document(client)
        assert "HTTPValidationError" not in str(document)
        assert "Problem" in document["components"]["schemas"]
