"""Every RabbitMQ name and argument in one place (docs/topology.md).

Per vhost (one per business domain):

    exchange eventos (direct) --eventos--> queue eventos (quorum, delivery limit,
                                            at-least-once dead-lettering, reject-publish)
    exchange eventos.dlx (direct) --eventos.dlq--> queue eventos.dlq (quorum)
    exchange eventos.retry (direct) --eventos.retry.<N>s--> queue eventos.retry.<N>s
        (quorum, TTL N s, dead-letters back into exchange eventos / key eventos)
    queue alertas (quorum): alerts waiting to be delivered
    queue eventos.ia (quorum, delivery limit, dead-letters into eventos.dlx): tasks whose rules
        stage is done, waiting for the LLM stage (published through the default exchange)
    exchange alertas.espera (direct) --alertas.espera.<N>s--> queue alertas.espera.<N>s
        (quorum, TTL N s, dead-letters back into alertas through the default exchange)
    exchange seguimento.espera (direct) --seguimento.espera.<N>s--> queue seguimento.espera.<N>s
        (quorum, TTL N s = NO_RESPONSE_AFTER_S, dead-letters into seguimento through the default
        exchange)
    queue seguimento (quorum): follow-ups of red-flag questions whose wait is over, checked
        against the store by the worker (NO_RESPONSE, docs/agent-message.md)

Delay queues carry their delay in their name, so a different delay configuration declares new
queues instead of failing with PRECONDITION_FAILED on existing ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.catalog import VHOSTS, task_types

DOMAINS: dict[str, dict[str, Any]] = {
    domain: {"vhost": vhost, "task_types": task_types(domain)} for domain, vhost in VHOSTS.items()
}

VHOST_TO_DOMAIN = {cfg["vhost"]: domain for domain, cfg in DOMAINS.items()}

EVENTS_EXCHANGE = "eventos"
EVENTS_QUEUE = "eventos"
EVENTS_ROUTING_KEY = "eventos"
DLX_EXCHANGE = "eventos.dlx"
DLQ_QUEUE = "eventos.dlq"
DLQ_ROUTING_KEY = "eventos.dlq"
RETRY_EXCHANGE = "eventos.retry"
ALERTS_QUEUE = "alertas"
LLM_QUEUE = "eventos.ia"
ALERTS_DELAY_EXCHANGE = "alertas.espera"
FOLLOWUP_QUEUE = "seguimento"
FOLLOWUP_DELAY_EXCHANGE = "seguimento.espera"

# Broker-side safety net: a message redelivered this many times (worker crashes, connection
# losses) is dead-lettered by RabbitMQ itself. The worker gives up a little earlier so it can
# record the reason in the task store (see WORKER_REDELIVERY_LIMIT).
DELIVERY_LIMIT = 10
WORKER_REDELIVERY_LIMIT = 8

# Headers the gateway and the workers write.
H_RETRY_COUNT = "x-retry-count"
H_REPLAY_GENERATION = "x-replay-generation"
H_DEAD_LETTER_REASON = "x-dead-letter-reason"
H_DEAD_LETTER_ERROR = "x-dead-letter-error"
H_DEAD_LETTER_AT = "x-dead-lettered-at"
H_ORIGINAL_TYPE = "x-original-type"
# Set by the worker's transport from the AMQP `user_id` property, which RabbitMQ validates against
# the publishing connection's user; any value a sender put in this header is discarded first.
H_VERIFIED_USER = "x-verified-broker-user"


def all_domains() -> list[str]:
    return list(DOMAINS)


def vhost_for(domain: str, prefix: str = "") -> str:
    return f"{prefix}{DOMAINS[domain]['vhost']}"


def domain_for_vhost(vhost: str, prefix: str = "") -> str:
    base = vhost[len(prefix) :] if prefix and vhost.startswith(prefix) else vhost
    try:
        return VHOST_TO_DOMAIN[base]
    except KeyError:
        raise KeyError(f"unknown vhost {vhost!r} (known: {', '.join(VHOST_TO_DOMAIN)})") from None


def message_type(domain: str, task_type: str) -> str:
    return f"{domain}.{task_type}"


def retry_queue_name(delay_s: int) -> str:
    return f"{EVENTS_QUEUE}.retry.{delay_s}s"


def alert_delay_queue_name(delay_s: int) -> str:
    return f"{ALERTS_QUEUE}.espera.{delay_s}s"


def followup_delay_queue_name(delay_s: int) -> str:
    return f"{FOLLOWUP_QUEUE}.espera.{delay_s}s"


@dataclass(frozen=True)
class QueueSpec:
    name: str
    arguments: dict[str, Any] = field(default_factory=dict)
    bind_exchange: str | None = None
    bind_key: str | None = None


@dataclass(frozen=True)
class ExchangeSpec:
    name: str
    type: str = "direct"


def _quorum(**extra: Any) -> dict[str, Any]:
    return {"x-queue-type": "quorum", **extra}


def events_queue_arguments() -> dict[str, Any]:
    return _quorum(
        **{
            "x-delivery-limit": DELIVERY_LIMIT,
            "x-dead-letter-exchange": DLX_EXCHANGE,
            "x-dead-letter-routing-key": DLQ_ROUTING_KEY,
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        }
    )


def llm_queue_arguments() -> dict[str, Any]:
    # Same safety net as eventos: a message that keeps killing the LLM stage ends in eventos.dlq,
    # and a replay sends it through the rules stage again, which forwards it here once more.
    return events_queue_arguments()


def exchanges() -> list[ExchangeSpec]:
    return [
        ExchangeSpec(EVENTS_EXCHANGE),
        ExchangeSpec(DLX_EXCHANGE),
        ExchangeSpec(RETRY_EXCHANGE),
        ExchangeSpec(ALERTS_DELAY_EXCHANGE),
        ExchangeSpec(FOLLOWUP_DELAY_EXCHANGE),
    ]


def _delay_queue(name: str, delay_s: int, exchange: str, target_exchange: str, target_key: str) -> QueueSpec:
    return QueueSpec(
        name,
        _quorum(
            **{
                "x-message-ttl": delay_s * 1000,
                "x-dead-letter-exchange": target_exchange,
                "x-dead-letter-routing-key": target_key,
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",
            }
        ),
        exchange,
        name,
    )


def queues(
    retry_delays: list[int], alert_delays: list[int], followup_delays: list[int] | None = None
) -> list[QueueSpec]:
    """`followup_delays`: [NO_RESPONSE_AFTER_S], or none when NO_RESPONSE is off."""
    specs = [
        QueueSpec(EVENTS_QUEUE, events_queue_arguments(), EVENTS_EXCHANGE, EVENTS_ROUTING_KEY),
        QueueSpec(DLQ_QUEUE, _quorum(), DLX_EXCHANGE, DLQ_ROUTING_KEY),
        QueueSpec(ALERTS_QUEUE, _quorum()),
        QueueSpec(LLM_QUEUE, llm_queue_arguments()),
        QueueSpec(FOLLOWUP_QUEUE, _quorum()),
    ]
    for delay in sorted(set(retry_delays)):
        name = retry_queue_name(delay)
        specs.append(_delay_queue(name, delay, RETRY_EXCHANGE, EVENTS_EXCHANGE, EVENTS_ROUTING_KEY))
    for delay in sorted(set(alert_delays)):
        name = alert_delay_queue_name(delay)
        specs.append(_delay_queue(name, delay, ALERTS_DELAY_EXCHANGE, "", ALERTS_QUEUE))
    for delay in sorted(set(followup_delays or ())):
        name = followup_delay_queue_name(delay)
        specs.append(_delay_queue(name, delay, FOLLOWUP_DELAY_EXCHANGE, "", FOLLOWUP_QUEUE))
    return specs


def declared_by_workers(
    retry_delays: list[int], alert_delays: list[int], followup_delays: list[int] | None = None
) -> list[QueueSpec]:
    """Queues a worker declares itself on every connect: the delay queues (their names carry the
    delay, so a changed RETRY_DELAYS_S / ALERT_RETRY_DELAYS_S needs new ones) and the LLM stage's
    queue and the follow-up queue (newer than some provisioned vhosts). Declaring them is always
    safe: same arguments."""
    delayed = (RETRY_EXCHANGE, ALERTS_DELAY_EXCHANGE, FOLLOWUP_DELAY_EXCHANGE)
    return [
        q
        for q in queues(retry_delays, alert_delays, followup_delays)
        if q.bind_exchange in delayed or q.name in (LLM_QUEUE, FOLLOWUP_QUEUE)
    ]


def retry_delay_for(attempt: int, delays: list[int]) -> int:
    """Delay before retry number `attempt` (1-based); the last tier repeats."""
    return delays[min(max(attempt, 1), len(delays)) - 1]
