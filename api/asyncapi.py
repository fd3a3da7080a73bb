"""`GET /asyncapi.json`: the AsyncAPI 3 document of the message side (docs/operations.md).

Generated from the models the API validates with and the workers consume (shared/messages.py),
the topology (shared/topology.py) and the backend contract (shared/alert_contract.py), so it
cannot drift from the code: per vhost a server and a channel per queue, one message per task
type, the parked alert, the alert posted to the backend over HTTP, the agent reply over direct
reply-to, and an operation for each way a message enters or leaves a queue.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from api.asyncapi_messages import (
    ALERT_MESSAGE,
    AMQP_BINDING_VERSION,
    PARKED_MESSAGE,
    REF,
    REPLY_MESSAGE,
    alert_message,
    envelope_schema,
    followup_example,
    parked_message,
    reply_message,
    schema_ref,
    task_message,
)
from api.replies import DIRECT_REPLY_TO
from shared import topology
from shared.alert_contract import ALERTS_PATH, create_alert_dto_schema
from shared.catalog import PAYLOAD_MODELS
from shared.config import Settings
from shared.messages import FollowUp

AGENT_TASK = ("clinico", "mensagem")
FOLLOWUP_MESSAGE = "seguimento"


def _queue_binding(vhost: str, name: str) -> dict[str, Any]:
    return {
        "amqp": {
            "is": "queue",
            "queue": {"name": name, "durable": True, "exclusive": False, "autoDelete": False, "vhost": vhost},
            "bindingVersion": AMQP_BINDING_VERSION,
        }
    }


def describe(queue: str) -> str:
    if queue == topology.EVENTS_QUEUE:
        return (
            "Tasks waiting for the rules stage of the vhost's worker (quorum, delivery limit, "
            "dead-lettering to eventos.dlq, reject-publish when full)"
        )
    if queue == topology.LLM_QUEUE:
        return (
            "Tasks whose rules stage is done, waiting for the LLM stage (crew, triage) that enriches "
            "their result; quorum, delivery limit, dead-lettering to eventos.dlq"
        )
    if queue == topology.DLQ_QUEUE:
        return (
            "Dead-lettered tasks, with the reason in x-dead-letter-reason (the worker's) or x-death "
            "(the broker's delivery limit); /ops and `python -m workers.replay` move them back"
        )
    if queue == topology.ALERTS_QUEUE:
        return "Parked alerts due for another delivery attempt to the backend"
    if queue.startswith(f"{topology.ALERTS_QUEUE}."):
        return "Parked alerts waiting out their delay (TTL) before going back to alertas"
    if queue == topology.FOLLOWUP_QUEUE:
        return "Red-flag follow-up questions whose wait is over: NO_RESPONSE unless the patient answered"
    if queue.startswith(f"{topology.FOLLOWUP_QUEUE}."):
        return "Red-flag follow-up questions waiting NO_RESPONSE_AFTER_S (TTL) before going to seguimento"
    return "Tasks waiting out a retry delay (TTL) before going back to eventos"


def _operation(action: str, channel: str, messages: list[str], title: str, **extra: Any) -> dict[str, Any]:
    return {
        "action": action,
        "title": title,
        "channel": {"$ref": f"#/channels/{channel}"},
        "messages": [{"$ref": f"#/channels/{channel}/messages/{m}"} for m in messages],
        **extra,
    }


def _domain_operations(domain: str, vhost: str, task_kinds: list[str], queues: list[str]) -> dict[str, Any]:
    ch = f"{domain}.{{}}".format
    kinds = [k for k in task_kinds if k != topology.message_type(*AGENT_TASK)]
    ops: dict[str, Any] = {
        f"{domain}.publicar": _operation(
            "send",
            ch(topology.EVENTS_QUEUE),
            kinds,
            f"The gateway publishes {domain} tasks (confirms, persistent)",
        ),
        f"{domain}.processar": _operation(
            "receive",
            ch(topology.EVENTS_QUEUE),
            task_kinds,
            f"The {vhost} worker's rules stage consumes tasks",
        ),
        f"{domain}.ia.encaminhar": _operation(
            "send", ch(topology.LLM_QUEUE), task_kinds, "The rules stage hands a task to the LLM stage"
        ),
        f"{domain}.ia.processar": _operation(
            "receive",
            ch(topology.LLM_QUEUE),
            task_kinds,
            "The LLM stage (a second process per vhost) consumes",
        ),
        f"{domain}.dlq.desviar": _operation(
            "send",
            ch(topology.DLQ_QUEUE),
            task_kinds,
            "The worker dead-letters a task it cannot process (reason in the headers); the broker does at "
            "the delivery limit",
        ),
        f"{domain}.dlq.reprocessar": _operation(
            "receive",
            ch(topology.DLQ_QUEUE),
            task_kinds,
            "A replay (/ops, workers.replay) takes it back to eventos",
        ),
        f"{domain}.alertas.estacionar": _operation(
            "send",
            ch(topology.ALERTS_QUEUE),
            [PARKED_MESSAGE],
            "The worker parks an alert (or /ops asks a retry)",
        ),
        f"{domain}.alertas.entregar": _operation(
            "receive",
            ch(topology.ALERTS_QUEUE),
            [PARKED_MESSAGE],
            "The worker takes a parked alert to deliver",
        ),
    }
    for queue in queues:
        if queue.startswith(f"{topology.EVENTS_QUEUE}.retry."):
            ops[f"{domain}.{queue}.agendar"] = _operation(
                "send",
                ch(queue),
                task_kinds,
                f"The worker schedules a delayed retry ({queue}, back to eventos)",
            )
    if domain == AGENT_TASK[0]:
        agent = topology.message_type(*AGENT_TASK)
        ops[f"{agent}.publicar"] = _operation(
            "send",
            ch(topology.EVENTS_QUEUE),
            [agent],
            "POST /api/v1/agent/message publishes with reply_to = amq.rabbitmq.reply-to and waits for "
            "the answer",
            reply={
                "address": {
                    "description": "the AMQP reply_to property of the task message: amq.rabbitmq.reply-to",
                    "location": "$message.header#/reply_to",
                },
                "channel": {"$ref": f"#/channels/{domain}.reply"},
                "messages": [{"$ref": f"#/channels/{domain}.reply/messages/{REPLY_MESSAGE}"}],
            },
        )
    return ops


def _followup_operations(domain: str, queues: list[str]) -> dict[str, Any]:
    ops = {
        f"{domain}.{q}.agendar": _operation(
            "send",
            f"{domain}.{q}",
            [FOLLOWUP_MESSAGE],
            "The rules stage parks the follow-up of a red-flag question before acking the task",
        )
        for q in queues
        if q.startswith(f"{topology.FOLLOWUP_QUEUE}.")
    }
    ops[f"{domain}.{topology.FOLLOWUP_QUEUE}.verificar"] = _operation(
        "receive",
        f"{domain}.{topology.FOLLOWUP_QUEUE}",
        [FOLLOWUP_MESSAGE],
        "The worker checks the conversation and sends NO_RESPONSE unless the patient answered",
    )
    return ops


def build_asyncapi(settings: Settings) -> dict[str, Any]:
    schemas: dict[str, Any] = {"Envelope": envelope_schema(), "CreateAlertDto": create_alert_dto_schema()}
    messages: dict[str, Any] = {
        topology.message_type(d, t): task_message(d, t, schema_ref(model, schemas))
        for (d, t), model in PAYLOAD_MODELS.items()
    }
    messages[PARKED_MESSAGE] = parked_message()
    messages[ALERT_MESSAGE] = alert_message()
    messages[REPLY_MESSAGE] = reply_message(schemas)

    broker = urlsplit(settings.rabbitmq_urls[0])
    host = f"{broker.hostname or 'localhost'}:{broker.port or 5672}"
    backend = urlsplit(settings.backend_url or "http://backend:3000")
    servers: dict[str, Any] = {
        "backend": {
            "host": backend.netloc or "backend:3000",
            "protocol": backend.scheme or "http",
            "title": "NestJS backend (BACKEND_URL)",
            "description": "Receives the alerts: POST {BACKEND_URL}/api/v1/alerts",
        }
    }
    channels: dict[str, Any] = {
        "backend.alerts": {
            "address": ALERTS_PATH,
            "title": f"POST {ALERTS_PATH}",
            "description": "The backend's alert endpoint; one request per alert, under a stable "
            "Idempotency-Key",
            "servers": [{"$ref": "#/servers/backend"}],
            "messages": {ALERT_MESSAGE: {"$ref": f"#/components/messages/{ALERT_MESSAGE}"}},
        }
    }
    operations: dict[str, Any] = {
        "alerta.enviar": _operation(
            "send",
            "backend.alerts",
            [ALERT_MESSAGE],
            "A worker posts an alert to the backend",
            # No query parameters: the whole alert is the JSON body.
            bindings={
                "http": {
                    "method": "POST",
                    "query": {"type": "object", "additionalProperties": False},
                    "bindingVersion": "0.3.0",
                }
            },
        )
    }
    # NO_RESPONSE follow-ups (docs/agent-message.md): their own message on their own queues.
    messages[FOLLOWUP_MESSAGE] = {
        "name": FOLLOWUP_MESSAGE,
        "title": "Pergunta de acompanhamento aguardando resposta do paciente (NO_RESPONSE)",
        "contentType": "application/json",
        "payload": schema_ref(FollowUp, schemas),
        "examples": [followup_example()],
    }
    followup_ref = {FOLLOWUP_MESSAGE: {"$ref": f"#/components/messages/{FOLLOWUP_MESSAGE}"}}
    queue_names = [
        q.name
        for q in topology.queues(settings.retry_delays, settings.alert_retry_delays, settings.followup_delays)
    ]
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
        kinds = [topology.message_type(domain, t) for t in cfg["task_types"]]
        task_refs = {k: {"$ref": f"#/components/messages/{k}"} for k in kinds}
        for name in queue_names:
            parked = name.startswith(topology.ALERTS_QUEUE)
            channels[f"{domain}.{name}"] = {
                "address": name,
                "title": f"{vhost}/{name}",
                "description": describe(name),
                "servers": server_ref,
                "messages": {PARKED_MESSAGE: {"$ref": f"#/components/messages/{PARKED_MESSAGE}"}}
                if parked
                else followup_ref
                if name.startswith(topology.FOLLOWUP_QUEUE)
                else task_refs,
                "bindings": _queue_binding(vhost, name),
            }
        if domain == AGENT_TASK[0]:
            channels[f"{domain}.reply"] = {
                "address": DIRECT_REPLY_TO,
                "title": f"{vhost}/{DIRECT_REPLY_TO}",
                "description": "RabbitMQ direct reply-to: the worker's answer goes straight to the "
                "waiting API channel (no queue); correlation_id is the task id",
                "servers": server_ref,
                "messages": {REPLY_MESSAGE: {"$ref": f"#/components/messages/{REPLY_MESSAGE}"}},
            }
        operations.update(_domain_operations(domain, vhost, kinds, queue_names))
        if domain == AGENT_TASK[0]:
            operations.update(_followup_operations(domain, queue_names))
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Clinical task gateway: messages",
            "version": "1.1.0",
            "description": "Tasks published by the HTTP gateway to RabbitMQ quorum queues, one vhost per "
            "domain; their retries, dead letters and LLM stage; alerts parked in `alertas` and posted to "
            "the NestJS backend; the agent endpoint's reply. See docs/topology.md and docs/alerts.md.",
        },
        "defaultContentType": "application/json",
        "servers": servers,
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": messages},
    }


__all__ = ["REF", "build_asyncapi", "describe"]
