"""Expected failures and their RFC 9457 problem+json rendering.

Every expected failure is an :class:`AppError` subclass with a status and a
human ``detail``; anything else reaching the handler is a bug and a 500.
"""

from __future__ import annotations

import json
import logging
import re
import socket
from collections.abc import Mapping
from typing import Any, ClassVar

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


def _snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class AppError(Exception):
    """An expected failure. ``code`` is its stable machine name (the class name in
    snake_case unless the class sets one): the apps translate it, so renaming a class
    that has no explicit code changes what they show."""

    status_code: ClassVar[int] = status.HTTP_400_BAD_REQUEST
    title: ClassVar[str] = "Bad request"
    type: ClassVar[str] = "about:blank"
    code: ClassVar[str] = "bad_request"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "code" not in cls.__dict__:
            cls.code = _snake_case(cls.__name__)

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        self.headers = headers
        self.extra = extra


class BadRequest(AppError):
    pass


class Unauthorized(AppError):
    status_code = status.HTTP_401_UNAUTHORIZED
    title = "Unauthorized"

    def __init__(self, detail: str, **extra: Any):
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"}, **extra)


class Forbidden(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    title = "Forbidden"


class NotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    title = "Not found"


class Conflict(AppError):
    status_code = status.HTTP_409_CONFLICT
    title = "Conflict"


class PayloadTooLarge(AppError):
    status_code = status.HTTP_413_CONTENT_TOO_LARGE
    title = "Payload too large"


class Unprocessable(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    title = "Unprocessable content"


class TooManyRequests(AppError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after: int):
        super().__init__(detail, headers={"Retry-After": str(retry_after)})


class ServiceUnavailable(AppError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    title = "Service unavailable"

    def __init__(self, detail: str, *, retry_after: int = 5):
        super().__init__(detail, headers={"Retry-After": str(retry_after)})


class Problem(BaseModel):
    """RFC 9457 problem details, as every error response is shaped."""

    type: str = "about:blank"
    title: str
    status: int
    code: str = Field(
        description="Stable machine name of the problem, e.g. `badge_revoked`; the apps translate it."
    )
    detail: str
    errors: list[dict[str, Any]] | None = None


def problem_response(
    status_code: int,
    title: str,
    detail: str,
    *,
    code: str,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status_code, "code": code}
    body["detail"] = detail
    body.update(extra)
    return JSONResponse(body, status_code=status_code, headers=headers, media_type=PROBLEM_JSON)


def responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` for an endpoint's expected failures."""
    documented: dict[int | str, dict[str, Any]] = {}
    for error in errors:
        documented[error.status_code] = {
            "model": Problem,
            "description": error.title,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    return documented


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    # Pydantic names the branch of a union it tried ("function-after[...]"): not a field.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header") and "[" not in str(p)]
    return ".".join(parts) or str(loc[0] if loc else "request")


def _validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    """One entry per field and message; "should be None" only when nothing better was said."""
    found: dict[tuple[str, str], None] = {}
    for error in exc.errors():
        loc = tuple(error.get("loc", ()))
        if error.get("type") == "none_required" and loc and loc[-1] == "none":
            loc = loc[:-1]
        found.setdefault((_field_path(loc), str(error.get("msg", "invalid"))), None)
    reasons = [field for field, message in found if message != _NONE_BRANCH]

    def explained(field: str) -> bool:
        return any(other == field or other.startswith(f"{field}.") for other in reasons)

    return [
        {"field": field, "message": message}
        for field, message in found
        if not (message == _NONE_BRANCH and explained(field))
    ]


# What Pydantic says of the `None` branch of an optional field that was given a wrong value.
_NONE_BRANCH = "Input should be None"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_request: Request, exc: AppError) -> JSONResponse:
        # A raise may name a finer code than its class (the CSV import's file problems).
        extra = dict(exc.extra)
        code = str(extra.pop("code", exc.code))
        return problem_response(
            exc.status_code, exc.title, exc.detail, code=code, headers=exc.headers, **extra
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        return problem_response(
            422,
            "Invalid request",
            f"The request is not valid — {summary}",
            code="invalid_request",
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "Request failed"
        if exc.status_code == 405:
            return method_not_allowed(request)
        if exc.status_code == 400 and detail == _FASTAPI_UNREADABLE_BODY:
            detail = UNREADABLE_BODY
        title, code = _HTTP_PROBLEMS.get(exc.status_code, ("Error", "http_error"))
        return problem_response(exc.status_code, title, detail, code=code, headers=exc.headers)

    app.add_exception_handler(Exception, _unexpected_error)
    install_database_outage_handler(app)
    document_common_errors(app)


_HTTP_PROBLEMS = {
    400: ("Bad request", "unreadable_body"),
    404: ("Not found", "not_found"),
    405: ("Method not allowed", "method_not_allowed"),
    413: ("Payload too large", "payload_too_large"),
}
_FASTAPI_UNREADABLE_BODY = "There was an error parsing the body"
UNREADABLE_BODY = "The request body could not be read: send JSON in UTF-8, or the form this endpoint takes."


def allowed_methods(request: Request) -> list[str]:
    """Every method the API answers at this path (Starlette names only the first route that matched)."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        if isinstance(route.original_route, APIRoute) and route.original_route.include_in_schema:
            match, _ = route.matches(request.scope)
            if match is not Match.NONE:
                methods |= route.methods or set()
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def method_not_allowed(request: Request) -> JSONResponse:
    allowed = allowed_methods(request)
    if not allowed:
        # Only the PWA's catch-all took the path: there is no such API resource at all.
        return problem_response(
            404, "Not found", f"There is no API endpoint at {request.url.path}.", code="not_found"
        )
    detail = f"{request.method} is not allowed here; this endpoint takes {', '.join(allowed)}."
    return problem_response(
        405, "Method not allowed", detail, code="method_not_allowed", headers={"Allow": ", ".join(allowed)}
    )


def install_database_outage_handler(app: FastAPI) -> None:
    """While the database is down or restarting: 503 with Retry-After, never a traceback."""
    from sqlalchemy.exc import DBAPIError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    def _unavailable() -> JSONResponse:
        return problem_response(
            503,
            "Service unavailable",
            "The database is unavailable for a moment; please retry shortly.",
            code="database_unavailable",
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(DBAPIError)
    async def _dbapi_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated or isinstance(exc, OperationalError):
            logger.warning("database unavailable: %s", exc.orig)
            return _unavailable()
        return await _unexpected_error(request, exc)

    @app.exception_handler(PoolTimeout)
    async def _pool_timeout(_request: Request, _exc: PoolTimeout) -> JSONResponse:
        return _unavailable()

    # Raised as they are by the driver, before SQLAlchemy can wrap them: the database host
    # refuses the connection, does not answer in time, or its name does not resolve.
    async def _network_error(_request: Request, exc: Exception) -> JSONResponse:
        logger.warning("database connection failed: %r", exc)
        return _unavailable()

    for network_error in (ConnectionError, TimeoutError, socket.gaierror):
        app.add_exception_handler(network_error, _network_error)


async def _unexpected_error(_request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error", exc_info=exc)
    return problem_response(
        500,
        "Internal server error",
        "Something went wrong on our side; it has been logged.",
        code="internal_error",
    )


_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 0},
    }
}
_WWW_AUTHENTICATE = {
    "WWW-Authenticate": {"description": "How to authenticate: `Bearer`.", "schema": {"type": "string"}}
}


def document_common_errors(app: FastAPI) -> None:
    """Document the failures shared machinery gives every operation, as it renders them.

    Each endpoint declares its own expected failures (404, 409, 429…); the ones that
    come from the layers every request crosses are declared here, once: validation
    (422, a problem document, not FastAPI's default shape), an unreadable or oversized
    body (400, 413), signing in and the caller's role (401, 403), and the database
    being unavailable (503 with Retry-After).
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build()
        components = document.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("Problem", Problem.model_json_schema())
        for path_item in document.get("paths", {}).values():
            for method, operation in path_item.items():
                if method in {"get", "put", "post", "patch", "delete"}:
                    _document_operation(operation)
        for unused in ("HTTPValidationError", "ValidationError"):
            if unused not in json.dumps(document["paths"]):
                components.pop(unused, None)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _document_operation(operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})

    def problem(code: str, description: str, headers: dict[str, Any] | None = None) -> None:
        response = responses.setdefault(code, {"description": description})
        if _is_problem(response):
            # What is sent: a problem document, never FastAPI's default validation shape.
            response["content"] = {PROBLEM_JSON: {"schema": _PROBLEM_REF}}
            if headers:
                response.setdefault("headers", {}).update(headers)

    for code in [code for code in responses if code.isdigit() and int(code) >= 400]:
        problem(code, responses[code].get("description", ""))
    if "requestBody" in operation:
        problem("400", "The request body could not be read")
        problem("413", "The request body is too large")
    if operation.get("security"):
        problem("401", "Sign in first: the access token is missing, expired or revoked", _WWW_AUTHENTICATE)
        problem("403", "The caller's role may not do this")
    if "429" in responses:
        problem("429", "Too many requests", _RETRY_AFTER)
    problem("503", "The database is unavailable for a moment", _RETRY_AFTER)


def _is_problem(response: dict[str, Any]) -> bool:
    """An error response documented without a body of its own (e.g. the health check's) is a problem."""
    content = json.dumps(response.get("content", {}))
    return "content" not in response or "Problem" in content or "HTTPValidationError" in content
