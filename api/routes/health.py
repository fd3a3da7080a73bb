"""Liveness, readiness (broker and store) and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.deps import PublisherDep, StoreDep
from shared.store import StoreUnavailable

router = APIRouter(tags=["health"])


@router.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/health/ready",
    responses={
        503: {
            "description": "not ready",
            "headers": {"Retry-After": {"required": True, "schema": {"type": "integer", "minimum": 1}}},
        }
    },
)
async def ready(publisher: PublisherDep, store: StoreDep) -> JSONResponse:
    checks: dict[str, Any] = {"broker": await publisher.ready()}
    try:
        await store.aping()
        checks["store"] = "ok"
    except StoreUnavailable as exc:
        checks["store"] = str(exc)
    ok = checks["store"] == "ok" and all(v == "ok" for v in checks["broker"].values())
    return JSONResponse(
        {"status": "ready" if ok else "not_ready", "checks": checks},
        status_code=200 if ok else 503,
        headers={} if ok else {"Retry-After": "5"},
    )


@router.get("/metrics", include_in_schema=False)
async def metrics_endpoint() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
