"""The console's buttons: replay dead letters (tasks, or raw messages that never became a task), deliver
a failed or parked alert now.

Both go through the broker exactly as the workers expect: the replay is `shared.replay` (the
logic of `python -m workers.replay`), and an alert retry is a message in the vhost's `alertas`
queue in the format the workers' alert dispatcher parks (workers/alert_dispatch.py), so the
worker that consumes `alertas` delivers it with the alert's stable Idempotency-Key.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pika

from shared import topology
from shared.config import Settings, vhost_url
from shared.replay import DeadLetter, move, peek, replay
from shared.store import Store

PARKED_SCHEMA_VERSION = 1
MAX_KEY_LENGTH = 200


def alert_idempotency_key(task_id: str, alert_key: str) -> str:
    # Same as workers.alerts.AlertClient.idempotency_key (a test pins the two together).
    key = f"{task_id}:{alert_key}"
    if len(key) <= MAX_KEY_LENGTH:
        return key
    return f"{task_id}:{hashlib.sha256(alert_key.encode()).hexdigest()}"


async def replay_tasks(settings: Settings, store: Store, domain: str, task_ids: set[str]) -> int:
    """Move these tasks' messages from the domain's eventos.dlq back to eventos; how many moved."""
    vhost = topology.vhost_for(domain, settings.vhost_prefix)
    # The console's own broker identity (RABBITMQ_OPS_URL): what replay needs and no more.
    return await asyncio.to_thread(replay, settings.for_broker_role("ops"), vhost, task_ids, store)


async def replay_raw(settings: Settings, store: Store, domain: str, fingerprints: set[str]) -> int:
    """Move dead letters that never became a task row (named by `shared.replay.fingerprint`)."""
    vhost = topology.vhost_for(domain, settings.vhost_prefix)
    ops = settings.for_broker_role("ops")
    return await asyncio.to_thread(move, ops, vhost, lambda _task, fp: fp in fingerprints, store)


async def peek_dead_letters(settings: Settings, domain: str, limit: int) -> list[DeadLetter]:
    vhost = topology.vhost_for(domain, settings.vhost_prefix)
    return await asyncio.to_thread(peek, settings.for_broker_role("ops"), vhost, limit)


def _publish_alert(settings: Settings, vhost: str, body: bytes, headers: dict[str, Any]) -> None:
    conn = pika.BlockingConnection(pika.URLParameters(vhost_url(settings.rabbitmq_urls[0], vhost)))
    try:
        ch = conn.channel()
        ch.confirm_delivery()
        ch.basic_publish(
            "",
            topology.ALERTS_QUEUE,
            body,
            pika.BasicProperties(content_type="application/json", delivery_mode=2, headers=headers),
            mandatory=True,
        )
    finally:
        if conn.is_open:
            conn.close()


async def retry_alert(settings: Settings, domain: str, tenant_id: str, alert: dict[str, Any]) -> None:
    task_id, alert_key = alert["task_id"], alert["alert_key"]
    now = datetime.now(UTC).isoformat()
    message = {
        "schema_version": PARKED_SCHEMA_VERSION,
        "task_id": task_id,
        "alert_key": alert_key,
        "tenant_id": tenant_id,
        "idempotency_key": alert_idempotency_key(task_id, alert_key),
        "body": alert["body"],
        # The give-up clock starts again: a person asked for this delivery.
        "first_attempt_at": now,
        "park_count": 1,
        "parked_at": now,
        "delay_s": 0,
        "last_error": alert.get("last_error"),
    }
    headers = {"x-task-id": task_id, "x-alert-key": alert_key, "x-park-count": 1, "x-ops-retry": True}
    vhost = topology.vhost_for(domain, settings.vhost_prefix)
    body = json.dumps(message, ensure_ascii=False, default=str).encode()
    await asyncio.to_thread(_publish_alert, settings.for_broker_role("ops"), vhost, body, headers)
