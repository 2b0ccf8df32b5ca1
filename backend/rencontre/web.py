"""Serving the PWA and the console, and the HTTP hygiene every response gets."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from starlette.middleware.cors import CORSMiddleware
from starlette.staticfiles import StaticFiles

from rencontre.config import Settings
from rencontre.errors import problem_response


def frontend_dist() -> Path:
    """The built PWA: beside the sources in a checkout, else under the working directory."""
    checkout = Path(__file__).resolve().parents[2] / "frontend" / "dist"
    return checkout if checkout.is_dir() else Path.cwd() / "frontend" / "dist"


def install_web_middleware(app: FastAPI, settings: Settings) -> None:
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=False,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )

    @app.middleware("http")
    async def _body_limit(request: Request, call_next):  # type: ignore[no-untyped-def]
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > settings.max_body_bytes:
            return problem_response(
                413,
                "Payload too large",
                f"The request body is larger than {settings.max_body_bytes} bytes.",
            )
        response: Response = await call_next(request)
        return response


def install_static(app: FastAPI, settings: Settings) -> None:
    dist = frontend_dist()
    if not (dist / "index.html").exists():
        return
    if (dist / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=dist / "assets"), name="assets")

    index = dist / "index.html"
    console = dist / "console.html"

    @app.get("/{path:path}", include_in_schema=False)
    async def _spa(path: str) -> Response:
        if path.startswith("api/") or path == "api":
            return problem_response(404, "Not found", f"There is no API endpoint at /{path}.")
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist):
            headers = {"Cache-Control": "no-cache"} if path == "sw.js" else None
            return FileResponse(candidate, headers=headers)
        if (path == "console" or path.startswith("console/")) and console.exists():
            return FileResponse(console, headers={"Cache-Control": "no-cache"})
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
