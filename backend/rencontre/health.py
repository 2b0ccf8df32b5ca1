from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from rencontre import __version__
from rencontre.db import database_ok

router = APIRouter(prefix="/api", tags=["health"])


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    version: str
    database: Literal["ok", "unavailable"]
    database_backend: Literal["sqlite", "postgresql"]


@router.get(
    "/health",
    summary="Application and database state",
    responses={503: {"model": Health, "description": "The database is unreachable"}},
)
async def health(request: Request) -> JSONResponse:
    ok = await database_ok(request.app.state.engine)
    body = Health(
        status="ok" if ok else "degraded",
        version=__version__,
        database="ok" if ok else "unavailable",
        database_backend="sqlite" if request.app.state.settings.is_sqlite else "postgresql",
    )
    headers = None if ok else {"Retry-After": "5"}
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503, headers=headers)
