"""`GET /asyncapi.json`: the AsyncAPI 3 document of the message side (SPEC §10).

Generated from the same pydantic models the API validates with and the workers consume
(shared/messages.py) and from the topology (shared/topology.py), so it cannot drift from the code:
per vhost a server, channels for `eventos`, its delay queues, `eventos.dlq` and `alertas`, one
message per task type (the envelope with that type's payload), and the publish/consume operations.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from shared import topology
from shared.catalog import PAYLOAD_MODELS
from shared.config import Settings
from shared.messages import Envelope

REF = "#/components/schemas/{model}"
AMQP_BINDING_VERSION = "0.3.0"


def _schema(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, Any]:
    """The model's JSON Schema with its definitions hoisted into components/schemas."""
    schema = model.model_json_schema(ref_template=REF, mode="validation")
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
    return {"$ref": REF.format(model=model.__name__)}


def _message(domain: str, task_type: str, payload_ref: dict[str, Any]) -> dict[str, Any]:
    kind = topology.message_type(domain, task_type)
    return {
        "name": kind,
        "title": f"Tarefa {kind}",
        "contentType": "application/json",
        "correlationId": {"location": "$message.payload#/correlation_id"},
        "headers": {
            "type": "object",
            "properties": {
                "x-tenant-id": {"type": "string"},
                "traceparent": {"type": "string", "description": "W3C trace context"},
                topology.H_RETRY_COUNT: {"type": "integer"},
                topology.H_REPLAY_GENERATION: {"type": "integer"},
                topology.H_DEAD_LETTER_REASON: {"type": "string"},
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
            "amqp": {
                "contentEncoding": "utf-8",
                "messageType": kind,
                "bindingVersion": AMQP_BINDING_VERSION,
            }
        },
    }


def _queue_binding(vhost: str, spec: topology.QueueSpec) -> dict[str, Any]:
    return {
        "amqp": {
            "is": "queue",
            "queue": {
                "name": spec.name,
                "durable": True,
                "exclusive": False,
                "autoDelete": False,
                "vhost": vhost,
            },
            "bindingVersion": AMQP_BINDING_VERSION,
        }
    }


def build_asyncapi(settings: Settings) -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    _schema(Envelope, schemas)
    messages: dict[str, Any] = {}
    for (domain, task_type), model in PAYLOAD_MODELS.items():
        messages[topology.message_type(domain, task_type)] = _message(
            domain, task_type, _schema(model, schemas)
        )
    messages["alerta_estacionada"] = {
        "name": "alerta_estacionada",
        "title": "Alerta aguardando nova tentativa de entrega",
        "contentType": "application/json",
        "payload": {
            "type": "object",
            "required": ["schema_version", "task_id", "alert_key", "tenant_id", "idempotency_key", "body"],
            "properties": {
                "schema_version": {"const": 1},
                "task_id": {"type": "string", "format": "uuid"},
                "alert_key": {"type": "string"},
                "tenant_id": {"type": "string"},
                "idempotency_key": {"type": "string"},
                "body": {"type": "object", "description": "the CreateAlertDto sent to the backend"},
                "first_attempt_at": {"type": "string", "format": "date-time"},
                "park_count": {"type": "integer", "minimum": 1},
                "last_error": {"type": ["string", "null"]},
                "traceparent": {"type": ["string", "null"], "description": "W3C trace context of the task"},
            },
        },
    }

    broker = urlsplit(settings.rabbitmq_urls[0])
    host = f"{broker.hostname or 'localhost'}:{broker.port or 5672}"
    servers: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    queue_specs = topology.queues(settings.retry_delays, settings.alert_retry_delays)
    for domain, cfg in topology.DOMAINS.items():
        vhost = topology.vhost_for(domain, settings.vhost_prefix)
        servers[domain] = {
            "host": host,
            "protocol": "amqp",
            "protocolVersion": "0.9.1",
            "pathname": f"/{vhost}",
            "title": f"RabbitMQ vhost {vhost}",
            "description": f"Domain {domain}: task types {', '.join(cfg['task_types'])}",
        }
        server_ref = [{"$ref": f"#/servers/{domain}"}]
        task_messages = {
            topology.message_type(domain, t): {
                "$ref": f"#/components/messages/{topology.message_type(domain, t)}"
            }
            for t in cfg["task_types"]
        }
        for spec in queue_specs:
            is_alerts = spec.name.startswith(topology.ALERTS_QUEUE)
            channel_id = f"{domain}.{spec.name}"
            channels[channel_id] = {
                "address": spec.name,
                "title": f"{vhost}/{spec.name}",
                "description": _describe(spec.name),
                "servers": server_ref,
                "messages": (
                    {"alerta_estacionada": {"$ref": "#/components/messages/alerta_estacionada"}}
                    if is_alerts
                    else task_messages
                ),
                "bindings": _queue_binding(vhost, spec),
            }
        events = f"{domain}.{topology.EVENTS_QUEUE}"
        refs = [{"$ref": f"#/channels/{events}/messages/{m}"} for m in task_messages]
        operations[f"{domain}.publicar"] = {
            "action": "send",
            "title": f"The gateway publishes {domain} tasks (publisher confirms, persistent)",
            "channel": {"$ref": f"#/channels/{events}"},
            "messages": refs,
        }
        operations[f"{domain}.processar"] = {
            "action": "receive",
            "title": f"The {vhost} worker consumes {domain} tasks",
            "channel": {"$ref": f"#/channels/{events}"},
            "messages": refs,
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Clinical task gateway: messages",
            "version": "1.0.0",
            "description": "Tasks published by the HTTP gateway to RabbitMQ quorum queues, one vhost per "
            "domain (SPEC §3-§4). Generated from shared/messages.py and shared/topology.py.",
        },
        "defaultContentType": "application/json",
        "servers": servers,
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": messages},
    }


def _describe(queue: str) -> str:
    if queue == topology.EVENTS_QUEUE:
        return "Tasks waiting for a worker (quorum, delivery limit, dead-lettering to eventos.dlq)"
    if queue == topology.DLQ_QUEUE:
        return "Dead-lettered tasks with the reason in x-dead-letter-reason (replay from /ops)"
    if queue == topology.ALERTS_QUEUE:
        return "Alerts waiting for delivery to the backend"
    if queue.startswith(f"{topology.ALERTS_QUEUE}."):
        return "Parked alerts waiting out their delay before going back to alertas"
    return "Tasks waiting out a retry delay before going back to eventos"
