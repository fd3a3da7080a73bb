"""The messages of the AsyncAPI document (api/asyncapi.py): a task per type (the envelope with its
payload), the parked alert, the alert posted to the backend (CreateAlertDto) and the agent's
reply over direct reply-to. Each carries an example built from shared/samples.py, the samples
docs/examples.md is generated from."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from api.routes.agent import AgentReply
from shared import samples, topology
from shared.alert_contract import alert_headers_schema
from shared.catalog import PAYLOAD_MODELS
from shared.messages import Envelope

REF = "#/components/schemas/{model}"
AMQP_BINDING_VERSION = "0.3.0"
EXAMPLE_TENANT = "hospital_a"
EXAMPLE_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
ALERT_MESSAGE = "alerta_backend"
PARKED_MESSAGE = "alerta_estacionada"
REPLY_MESSAGE = "clinico.mensagem.resposta"


def schema_ref(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, Any]:
    """The model's JSON Schema with its definitions hoisted into components/schemas."""
    schema = model.model_json_schema(ref_template=REF, mode="validation")
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
    return {"$ref": REF.format(model=model.__name__)}


def envelope_schema() -> dict[str, Any]:
    """The envelope as the gateway sends it: every field is always there (idempotency_key as null
    when the client sent none), so every field is required here, though the model fills
    defaults for a producer that omits them."""
    schema = Envelope.model_json_schema(ref_template=REF, mode="serialization")
    schema["required"] = list(Envelope.model_fields)
    return schema


def _request_samples() -> dict[tuple[str, str], dict[str, Any]]:
    found = {(domain, task_type): body for _path, domain, task_type, body in samples.EXAMPLES}
    found[("clinico", "mensagem")] = samples.AGENT_MESSAGE
    return found


def example_envelope(domain: str, task_type: str) -> dict[str, Any] | None:
    body = _request_samples().get((domain, task_type))
    if body is None:
        return None
    payload = (
        PAYLOAD_MODELS[(domain, task_type)].model_validate(body).model_dump(mode="json", exclude_none=True)
    )
    envelope = Envelope(
        task_id=uuid.uuid5(uuid.NAMESPACE_URL, f"example:{domain}.{task_type}"),
        domain=domain,
        task_type=task_type,
        tenant_id=EXAMPLE_TENANT,
        payload=payload,
        created_at=datetime(2026, 11, 20, 13, 0, tzinfo=UTC),
        correlation_id=f"example-{domain}-{task_type}",
    )
    return envelope.model_dump(mode="json")


def task_message(domain: str, task_type: str, payload_ref: dict[str, Any]) -> dict[str, Any]:
    kind = topology.message_type(domain, task_type)
    message: dict[str, Any] = {
        "name": kind,
        "title": f"Tarefa {kind}",
        "contentType": "application/json",
        "correlationId": {"location": "$message.payload#/correlation_id"},
        "headers": {
            "type": "object",
            "required": ["x-tenant-id"],
            "properties": {
                "x-tenant-id": {"type": "string", "description": "the tenant of the API key"},
                "traceparent": {"type": "string", "description": "W3C trace context"},
                topology.H_RETRY_COUNT: {"type": "integer", "description": "delayed retries so far"},
                topology.H_REPLAY_GENERATION: {"type": "integer", "description": "set by a replay"},
                topology.H_DEAD_LETTER_REASON: {"type": "string", "description": "in eventos.dlq"},
                topology.H_DEAD_LETTER_ERROR: {"type": "string", "description": "in eventos.dlq"},
                topology.H_DEAD_LETTER_AT: {"type": "string", "format": "date-time"},
            },
        },
        "payload": {
            "allOf": [
                {"$ref": REF.format(model="Envelope")},
                {
                    "type": "object",
                    "properties": {
                        "domain": {"const": domain},
                        "task_type": {"const": task_type},
                        "payload": payload_ref,
                    },
                },
            ]
        },
        "bindings": {
            "amqp": {"contentEncoding": "utf-8", "messageType": kind, "bindingVersion": AMQP_BINDING_VERSION}
        },
    }
    example = example_envelope(domain, task_type)
    if example is not None:
        message["examples"] = [
            {
                "name": f"{domain}-{task_type}",
                "summary": "The sample request of docs/examples.md, as the gateway publishes it",
                "headers": {"x-tenant-id": EXAMPLE_TENANT, "traceparent": EXAMPLE_TRACEPARENT},
                "payload": example,
            }
        ]
    return message


def alert_message() -> dict[str, Any]:
    return {
        "name": ALERT_MESSAGE,
        "title": "Alerta para o backend (CreateAlertDto)",
        "summary": "What the worker POSTs to {BACKEND_URL}/api/v1/alerts for a finding",
        "description": "Any 2xx is success. Retried with exponential backoff and full jitter, honouring "
        "Retry-After, on network errors, timeouts, 408, 429, 5xx, 307/308; not retried on 400, 403, 404, "
        "409, 422 (the alert is recorded as failed); 401 is retried once with a freshly minted token. After "
        "ALERT_MAX_ATTEMPTS the alert is parked in `alertas` (message alerta_estacionada).",
        "contentType": "application/json",
        "headers": alert_headers_schema(),
        "payload": {"$ref": REF.format(model="CreateAlertDto")},
        "examples": [
            {
                "name": "critical-symptom",
                "summary": "The alert of the sample agent message (docs/agent-message.md)",
                "headers": {
                    "Authorization": "Bearer <service JWT>",
                    "Idempotency-Key": f"{samples.ALERT_TASK_ID}:regras:5f0c2d7e9a1b3c4d",
                    "traceparent": EXAMPLE_TRACEPARENT,
                    "X-Tenant-Id": EXAMPLE_TENANT,
                },
                "payload": samples.ALERT,
            }
        ],
    }


def parked_message() -> dict[str, Any]:
    return {
        "name": PARKED_MESSAGE,
        "title": "Alerta aguardando nova tentativa de entrega",
        "contentType": "application/json",
        "headers": {
            "type": "object",
            "properties": {
                "x-task-id": {"type": "string"},
                "x-alert-key": {"type": "string"},
                "x-park-count": {"type": "integer"},
                "x-ops-retry": {"type": "boolean", "description": "sent by the /ops Retry button"},
            },
        },
        "payload": {
            "type": "object",
            "required": ["schema_version", "task_id", "alert_key", "tenant_id", "idempotency_key", "body"],
            "properties": {
                "schema_version": {"const": 1},
                "task_id": {"type": "string", "format": "uuid"},
                "alert_key": {"type": "string"},
                "tenant_id": {"type": "string"},
                "idempotency_key": {"type": "string"},
                "body": {"$ref": REF.format(model="CreateAlertDto")},
                "first_attempt_at": {"type": "string", "format": "date-time"},
                "park_count": {"type": "integer", "minimum": 1},
                "parked_at": {"type": "string", "format": "date-time"},
                "delay_s": {"type": "integer", "minimum": 0},
                "last_error": {"type": ["string", "null"]},
                "traceparent": {"type": ["string", "null"], "description": "W3C trace context of the task"},
            },
        },
        "examples": [
            {
                "name": "parked-after-503",
                "payload": {
                    "schema_version": 1,
                    "task_id": samples.ALERT_TASK_ID,
                    "alert_key": "regras:5f0c2d7e9a1b3c4d",
                    "tenant_id": EXAMPLE_TENANT,
                    "idempotency_key": f"{samples.ALERT_TASK_ID}:regras:5f0c2d7e9a1b3c4d",
                    "body": samples.ALERT,
                    "first_attempt_at": "2026-11-20T13:00:01+00:00",
                    "park_count": 1,
                    "parked_at": "2026-11-20T13:00:09+00:00",
                    "delay_s": 30,
                    "last_error": "503 Service Unavailable",
                    "traceparent": EXAMPLE_TRACEPARENT,
                },
            }
        ],
    }


def reply_message(schemas: dict[str, Any]) -> dict[str, Any]:
    """What the worker sends to the agent route's `reply_to` (amq.rabbitmq.reply-to): the 200
    body of POST /api/v1/agent/message without statusUrl (the API adds it), plus `final`."""
    schema = AgentReply.model_json_schema(by_alias=True, mode="serialization", ref_template=REF)
    schemas.update(schema.pop("$defs", {}))
    schema["properties"].pop("statusUrl", None)
    schema["required"] = [r for r in schema.get("required", []) if r != "statusUrl"]
    schema["properties"]["final"] = {
        "type": "boolean",
        "description": "false for the rules stage's preliminary answer when the LLM stage will write "
        "the reply",
    }
    schema["required"].append("final")
    schemas["AgentReplyMessage"] = schema
    return {
        "name": REPLY_MESSAGE,
        "title": "Resposta do agente (direct reply-to)",
        "contentType": "application/json",
        "correlationId": {
            "description": "the AMQP correlation_id property: the task id",
            "location": "$message.payload#/taskId",
        },
        "payload": {"$ref": REF.format(model="AgentReplyMessage")},
    }


def followup_example() -> dict[str, Any]:
    """The follow-up the sample agent message's red-flag question parks (docs/agent-message.md)."""
    return {
        "name": "no-response-follow-up",
        "summary": "A red-flag question waiting for the patient's answer",
        "payload": {
            "schema_version": 1,
            "task_id": samples.ALERT_TASK_ID,
            "tenant_id": EXAMPLE_TENANT,
            "patient_id": "pac-123",
            "conversation_id": "conv-456",
            "message_id": "msg-789",
            "question": "A dor no peito continua agora? Responda SIM ou NÃO.",
            "asked_at": "2026-11-20T13:00:00+00:00",
            "severity": "CRITICAL",
            "delay_s": 1800,
        },
    }
