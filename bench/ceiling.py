"""The ceiling: endpoints of the scan API's shape that do no work.

Served by the same uvicorn command, with the same worker count and the same load
generator, it measures what this machine, Python, uvicorn, FastAPI and pydantic
can do at best here. Every throughput the benchmark prints is also a percentage
of it, because that ratio, unlike requests per second, survives a change of
machine.

Same shape means: the same paths, a bearer token that is read (not verified), a
JSON body parsed into a pydantic model of the same fields, and a small JSON
answer serialized once from its model, as the scan endpoints do. No database, no
signature check, no middleware.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import FastAPI, Header, Response, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


class ScanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    client_id: uuid.UUID
    qr: Annotated[str, Field(min_length=1, max_length=512)]
    note: str = ""
    tags: list[str] = Field(default_factory=list)
    rating: Annotated[int | None, Field(ge=1, le=5)] = None
    device_at: AwareDatetime | None = None


class ScanOut(BaseModel):
    client_id: uuid.UUID
    status: str
    scan_count: int


class BatchIn(BaseModel):
    items: list[Any]


class BatchOut(BaseModel):
    results: list[ScanOut]


@app.get("/api/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


def _json(out: BaseModel, status_code: int) -> Response:
    return Response(out.model_dump_json(), status_code=status_code, media_type="application/json")


@app.post("/api/scans", status_code=status.HTTP_201_CREATED, response_model=ScanOut)
async def scan(body: ScanIn, authorization: Annotated[str, Header()] = "") -> Response:
    del authorization
    return _json(ScanOut(client_id=body.client_id, status="created", scan_count=1), status.HTTP_201_CREATED)


@app.post("/api/scans/batch", response_model=BatchOut)
async def batch(body: BatchIn, authorization: Annotated[str, Header()] = "") -> Response:
    del authorization
    scans = [ScanIn.model_validate(item) for item in body.items]
    out = BatchOut(results=[ScanOut(client_id=s.client_id, status="created", scan_count=1) for s in scans])
    return _json(out, status.HTTP_200_OK)
