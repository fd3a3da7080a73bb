"""POST /api/v1/agent/message: the backend's WhatsApp flow (docs/agent-message.md, alerts integration guide).

The message becomes a `clinico.mensagem` task like any other (stored as queued, confirmed publish,
same worker, same alert delivery), published with direct reply-to so this request can wait for the
worker's answer: 200 with it, or 202 + Location after AGENT_REPLY_TIMEOUT_S. The task goes on either
way; its result and alerts are behind the status URL.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from api.deps import SubmitDep
from api.fastlane import TaskRoute
from api.replies import DIRECT_REPLY_TO, PendingReply, ReplyWaiter
from api.routes.common import ACCEPTED_RESPONSES, ErrorBody
from api.submit import OrjsonResponse, TaskAccepted
from shared.catalog import kind
from shared.messages import AgentMessagePayload
from shared.store import Store

KIND = kind("clinico", "mensagem")
# TaskRoute: a plainly valid message takes the fast lane, as task POSTs do (api/fastlane.py).
router = APIRouter(tags=["agent (WhatsApp)"], route_class=TaskRoute)


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
    response_model=AgentReply | TaskAccepted,
    summary="Mensagem do paciente (WhatsApp): resposta ao paciente e alerta à enfermagem",
    responses={
        200: {
            "description": "The worker's reply; also an idempotent replay of a task answered earlier "
            "(a replay of one not yet answered gets the task's state, as a task POST does)"
        },
        202: {
            "model": TaskAccepted,
            "description": "No worker answered within AGENT_REPLY_TIMEOUT_S: the task goes on; "
            "poll the Location / status_url for the reply and the alerts",
        },
        **{k: v for k, v in ACCEPTED_RESPONSES.items() if k != 200},
        422: {"model": ErrorBody, "description": "Invalid body"},
    },
)
async def agent_message(body: AgentMessagePayload, submit: SubmitDep) -> JSONResponse:
    """A `clinico.mensagem` task through the same Submitter as every task POST (rate limit,
    Idempotency-Key, confirmed publish, 503 retries), published with direct reply-to."""
    state = submit.scope["app"].state
    replies: ReplyWaiter = state.replies
    waiting: dict[str, PendingReply] = {}

    def expect(task_id: str) -> None:
        # Registered before the publish: a fast worker may answer before the confirm arrives.
        waiting[task_id] = replies.expect(task_id)

    submit.reply_to = DIRECT_REPLY_TO
    submit.before_publish = expect
    try:
        accepted = await submit.accept(KIND.domain, KIND.task_type, body)
        url = submit.status_url(KIND.domain, accepted.task_id)
        if accepted.code == 200:
            stored = await _stored_reply(submit.store, submit.tenant, accepted.task_id)
            if stored is not None:
                return OrjsonResponse(reply_body(stored, accepted.task_id, url), headers={"Location": url})
            return submit.answer(accepted)
        reply = await replies.wait(waiting[accepted.task_id], state.settings.agent_reply_timeout_s)
    finally:
        for task_id in waiting:
            replies.forget(task_id)
    if reply is None:
        return submit.answer(accepted)
    return OrjsonResponse(reply_body(reply, accepted.task_id, url), headers={"Location": url})
