"""The bare hello: the least a FastAPI endpoint on this uvicorn can do, the second baseline (issue 21).

It answers ``POST /api/scans`` (the path the load generator posts to) with a constant
JSON document: no body read, no model, no header. Beside the ceiling (the scan's shape,
no work), it shows what the request machinery itself costs on this host at this moment.
"""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/api/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/api/scans", status_code=201)
async def hello() -> dict[str, str]:
    return {"message": "hello"}
