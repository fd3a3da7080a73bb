"""The `eventos` policy and `deploy/rabbitmq/definitions.json` (docker-compose's broker topology).

The file is tracked, so it is generated from the settings' fixed defaults only, never from the
environment, and only on request (`python -m shared.provision --definitions-only`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shared import topology
from shared.broker_admin import password_hash
from shared.config import Settings

DEFINITIONS_PATH = Path(__file__).resolve().parent.parent / "deploy" / "rabbitmq" / "definitions.json"
EVENTS_POLICY = "eventos-limits"


def _policy_definition(max_length: int | None = None, max_length_bytes: int | None = None) -> dict[str, Any]:
    """The `eventos` policy: the queue's own settings (so a seed queue declared without them
    gets them too) and its length limits (so queues that already exist get those)."""
    args = topology.events_queue_arguments()
    definition: dict[str, Any] = {
        "delivery-limit": args["x-delivery-limit"],
        "dead-letter-exchange": args["x-dead-letter-exchange"],
        "dead-letter-routing-key": args["x-dead-letter-routing-key"],
        "dead-letter-strategy": args["x-dead-letter-strategy"],
        "overflow": args["x-overflow"],
    }
    if max_length is not None:
        definition["max-length"] = max_length
    if max_length_bytes is not None:
        definition["max-length-bytes"] = max_length_bytes
    return definition


def events_policy(settings: Settings, vhost: str) -> dict[str, Any]:
    # Priority 1: above the older `eventos-compat` policy (priority 0) of installations
    # provisioned before the length limit, which this one includes.
    return {
        "vhost": vhost,
        "name": EVENTS_POLICY,
        "pattern": f"^{topology.EVENTS_QUEUE}$",
        "apply-to": "queues",
        "priority": 1,
        "definition": _policy_definition(settings.eventos_max_length, settings.eventos_max_length_bytes),
    }


COMPOSE_USER = "gateway"
COMPOSE_PASSWORD = "gateway"  # noqa: S105 - documented development default, override in production


def build_definitions() -> dict[str, Any]:
    # The fields' own defaults, never the environment: the file is tracked, and provisioning in
    # any environment (a test's VHOST_PREFIX, other delays) must leave it as it is.
    defaults = Settings.model_construct()
    vhosts = [topology.vhost_for(d) for d in topology.all_domains()]
    exchanges: list[dict[str, Any]] = []
    queues: list[dict[str, Any]] = []
    bindings: list[dict[str, Any]] = []
    for vhost in vhosts:
        for ex in topology.exchanges():
            exchanges.append(
                {
                    "name": ex.name,
                    "vhost": vhost,
                    "type": ex.type,
                    "durable": True,
                    "auto_delete": False,
                    "internal": False,
                    "arguments": {},
                }
            )
        for q in topology.queues(
            defaults.retry_delays, defaults.alert_retry_delays, defaults.followup_delays
        ):
            queues.append(
                {
                    "name": q.name,
                    "vhost": vhost,
                    "durable": True,
                    "auto_delete": False,
                    "arguments": q.arguments,
                }
            )
            if q.bind_exchange:
                bindings.append(
                    {
                        "source": q.bind_exchange,
                        "vhost": vhost,
                        "destination": q.name,
                        "destination_type": "queue",
                        "routing_key": q.bind_key,
                        "arguments": {},
                    }
                )
    return {
        "rabbit_version": "3.10.0",
        "users": [
            {
                "name": COMPOSE_USER,
                # Fixed salt keeps the file stable between runs; change the password in production.
                "password_hash": password_hash(COMPOSE_PASSWORD, b"tgw1"),
                "hashing_algorithm": "rabbit_password_hashing_sha256",
                # Only the provisioning step connects as this administrator; the services get
                # their own least-privileged users from it (docs/security.md).
                "tags": ["administrator"],
            }
        ],
        "vhosts": [{"name": v} for v in vhosts],
        "permissions": [
            {"user": COMPOSE_USER, "vhost": v, "configure": ".*", "write": ".*", "read": ".*"} for v in vhosts
        ],
        "policies": [events_policy(defaults, v) for v in vhosts],
        "exchanges": exchanges,
        "queues": queues,
        "bindings": bindings,
    }


def definitions_text() -> str:
    return json.dumps(build_definitions(), indent=2, sort_keys=True) + "\n"


def write_definitions(path: Path = DEFINITIONS_PATH) -> bool:
    """Write the file if it differs; returns True when it changed."""
    text = definitions_text()
    if path.exists() and path.read_text() == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return True
