"""Pieces every domain router shares: documented error responses and the status endpoint."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel

from api.deps import StoreDep, TenantDep
from api.submit import TaskAccepted


class ErrorBody(BaseModel):
    detail: Any


ACCEPTED_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "model": TaskAccepted,
        "description": "Idempotent replay: the task first created with this Idempotency-Key and body",
    },
    401: {"model": ErrorBody, "description": "Missing or unknown API key"},
    409: {"model": ErrorBody, "description": "Idempotency-Key reused with a different body"},
    413: {"model": ErrorBody, "description": "Body larger than MAX_BODY_BYTES"},
    503: {
        "model": ErrorBody,
        "description": "Broker down or refusing messages; retry after the Retry-After header (seconds)",
    },
}

POST_KW: dict[str, Any] = {
    "status_code": status.HTTP_202_ACCEPTED,
    "response_model": TaskAccepted,
    "responses": ACCEPTED_RESPONSES,
}


class AlertView(BaseModel):
    type: str
    severity: str
    message: str
    delivery: str
    attempts: int
    backend_alert_id: str | None
    last_error: str | None


class TaskStatus(BaseModel):
    task_id: str
    domain: str
    task_type: str
    status: str
    attempts: int
    created_at: datetime
    updated_at: datetime
    result: Any
    alerts: list[AlertView]
    error: str | None


def add_status_route(router: APIRouter, domain: str) -> None:
    @router.get(
        "/status/{task_id}",
        response_model=TaskStatus,
        responses={401: {"model": ErrorBody}, 404: {"model": ErrorBody}},
        summary=f"Status of a {domain} task",
        name=f"status_{domain}",
    )
    async def task_status(task_id: str, tenant: TenantDep, store: StoreDep) -> dict[str, Any]:
        # Another tenant's or another domain's task is indistinguishable from an unknown one.
        view = await store.aget_task_view(task_id, tenant_id=tenant, domain=domain)
        if view is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"task {task_id} not found")
        return {k: view[k] for k in TaskStatus.model_fields}
