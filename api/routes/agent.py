"""POST /api/v1/agent/message: the backend's WhatsApp flow (SPEC §9, alerts integration guide).

The message becomes a `clinico.mensagem` task like any other (stored as queued, confirmed publish,
same worker, same alert delivery), published with direct reply-to so this request can wait for the
worker's answer: 200 with it, or 202 + Location after AGENT_REPLY_TIMEOUT_S. The task goes on either
way; its result and alerts are behind the status URL.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, HTTPException, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from api import metrics
from api.deps import (
    CORRELATION_ID_MAX_LEN,
    IDEMPOTENCY_KEY_MAX_LEN,
    PublisherDep,
    StoreDep,
    TaskAccepted,
    TenantDep,
    request_hash,
)
from api.publisher import BrokerUnavailable
from api.replies import DIRECT_REPLY_TO, ReplyWaiter
from api.routes.common import ACCEPTED_RESPONSES, ErrorBody
from shared.catalog import kind
from shared.messages import AgentMessagePayload, Envelope
from shared.store import Store

KIND = kind("clinico", "mensagem")
router = APIRouter(tags=["agent (WhatsApp)"])


class _CamelOut(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True)


class AgentAlert(_CamelOut):
    type: str
    severity: str
    delivery: str = Field(description="pending, delivered or failed (see the status URL for more)")


class AgentReply(_CamelOut):
    task_id: str
    response: str = Field(description="the text to send back to the patient (pt-BR)")
    critical_symptoms: list[str] = Field(description="codes of the findings, e.g. dispneia")
    should_alert: bool
    severity: Literal["CRITICAL", "HIGH"] | None
    structured_data: dict[str, Any] = Field(
        description="findings, vitals and temperatures read, discarded mentions with their assertion"
    )
    alerts: list[AgentAlert]
    status_url: str
    response_source: Literal["template", "crew"]


REPLY_FIELDS = tuple(AgentReply.model_fields)


def reply_body(reply: dict[str, Any], task_id: str, status_url: str) -> dict[str, Any]:
    """The worker's reply as the 200 body: exactly the §9 fields."""
    body = {f.alias or name: reply.get(f.alias or name) for name, f in AgentReply.model_fields.items()}
    body["taskId"], body["statusUrl"] = task_id, status_url
    return body


def status_url(request: Request, task_id: str) -> str:
    return f"{str(request.base_url).rstrip('/')}/api/{KIND.domain}/status/{task_id}"


def _accepted(request: Request, task_id: str, code: int = 202, state: str = "queued") -> JSONResponse:
    url = status_url(request, task_id)
    body = TaskAccepted(
        task_id=task_id, domain=KIND.domain, task_type=KIND.task_type, status=state, status_url=url
    )
    return JSONResponse(body.model_dump(), status_code=code, headers={"Location": url})


async def _stored_reply(store: Store, tenant: str, task_id: str) -> dict[str, Any] | None:
    """The reply of a task completed earlier (an idempotent replay), from the store."""
    view = await store.aget_task_view(task_id, tenant_id=tenant, domain=KIND.domain)
    if view is None or view["status"] != "completed" or not isinstance(view.get("result"), dict):
        return None
    resposta = view["result"].get("resposta")
    if not isinstance(resposta, dict):
        return None
    alerts = [{k: a[k] for k in ("type", "severity", "delivery")} for a in view["alerts"]]
    return {**resposta, "alerts": alerts}


@router.post(
    "/api/v1/agent/message",
    response_model=AgentReply,
    summary="Mensagem do paciente (WhatsApp): resposta ao paciente e alerta à enfermagem",
    responses={
        202: {
            "model": TaskAccepted,
            "description": "No worker answered within AGENT_REPLY_TIMEOUT_S: the task goes on; "
            "poll the Location / status_url for the reply and the alerts",
        },
        **{k: v for k, v in ACCEPTED_RESPONSES.items() if k != 200},
        422: {"model": ErrorBody, "description": "Invalid body"},
    },
)
async def agent_message(
    body: AgentMessagePayload,
    request: Request,
    tenant: TenantDep,
    store: StoreDep,
    publisher: PublisherDep,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", min_length=1, max_length=IDEMPOTENCY_KEY_MAX_LEN)
    ] = None,
    x_correlation_id: Annotated[
        str | None, Header(max_length=CORRELATION_ID_MAX_LEN, include_in_schema=False)
    ] = None,
) -> JSONResponse:
    settings = request.app.state.settings
    replies: ReplyWaiter = request.app.state.replies
    data = body.model_dump(mode="json", exclude_none=True)
    envelope = Envelope(
        domain=KIND.domain,
        task_type=KIND.task_type,
        tenant_id=tenant,
        payload=data,
        idempotency_key=idempotency_key,
        correlation_id=x_correlation_id or uuid.uuid4().hex,
    )
    task_id = str(envelope.task_id)
    row = Store.new_task_row(
        task_id=task_id,
        tenant_id=tenant,
        domain=KIND.domain,
        task_type=KIND.task_type,
        created_at=envelope.created_at,
        correlation_id=envelope.correlation_id,
        idempotency_key=idempotency_key,
        request_hash=request_hash(KIND.domain, KIND.task_type, data) if idempotency_key else None,
    )
    outcome = await store.acreate_task(row)
    if outcome.kind == "conflict":
        raise HTTPException(
            status.HTTP_409_CONFLICT, detail="Idempotency-Key already used with a different request body"
        )
    if outcome.kind == "existing":
        assert outcome.task is not None
        first_id = outcome.task["task_id"]
        stored = await _stored_reply(store, tenant, first_id)
        if stored is not None:
            return JSONResponse(reply_body(stored, first_id, status_url(request, first_id)))
        return _accepted(request, first_id, 200, outcome.task["status"])

    # Registered before the publish: a fast worker may answer before the confirm arrives.
    pending = replies.expect(task_id)
    try:
        try:
            with metrics.PUBLISH_SECONDS.time():
                await publisher.publish(envelope, reply_to=DIRECT_REPLY_TO)
        except BrokerUnavailable:
            await store.adiscard_task(task_id)
            metrics.PUBLISH_FAILURES.labels(KIND.domain).inc()
            raise
        metrics.TASKS_ACCEPTED.labels(KIND.domain, KIND.task_type).inc()
        reply = await replies.wait(pending, settings.agent_reply_timeout_s)
    finally:
        replies.forget(task_id)
    if reply is None:
        return _accepted(request, task_id)
    return JSONResponse(reply_body(reply, task_id, status_url(request, task_id)))
