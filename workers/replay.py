"""`python -m workers.replay --vhost NAME [--task-id ID ... | --all]`: dead-lettered tasks back to `eventos`.

Each replayed message opens a new generation of its task in the store (status `retrying`), so
the worker runs it again even though it had reached a final status, and late updates from the
old attempt can no longer overwrite the new one. Messages that are not selected stay in the
dead-letter queue in their order.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import pika

from shared import topology
from shared.config import Settings, get_settings, vhost_url
from shared.store import Store
from workers.republish import replay_headers, republish_properties


def _task_id(props: Any, body: bytes) -> str | None:
    if getattr(props, "message_id", None):
        return str(props.message_id)
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return str(data.get("task_id")) if isinstance(data, dict) and data.get("task_id") else None


def replay(settings: Settings, vhost: str, task_ids: set[str] | None, store: Store) -> int:
    """Move matching messages (all when task_ids is None) from eventos.dlq to eventos."""
    conn = pika.BlockingConnection(pika.URLParameters(vhost_url(settings.rabbitmq_urls[0], vhost)))
    try:
        ch = conn.channel()
        ch.confirm_delivery()
        waiting = ch.queue_declare(topology.DLQ_QUEUE, passive=True).method.message_count
        kept: list[int] = []
        replayed = 0
        # Look at each message once: those we keep stay unacknowledged until the end, so
        # basic_get does not hand them to us again.
        for _ in range(waiting):
            method, props, body = ch.basic_get(topology.DLQ_QUEUE, auto_ack=False)
            if method is None:
                break
            task_id = _task_id(props, body)
            if task_ids is not None and task_id not in task_ids:
                kept.append(method.delivery_tag)
                continue
            headers = replay_headers(props.headers)
            generation = store.replay(task_id) if task_id else None
            if generation is not None:
                headers[topology.H_REPLAY_GENERATION] = generation
            ch.basic_publish(
                topology.EVENTS_EXCHANGE,
                topology.EVENTS_ROUTING_KEY,
                body,
                republish_properties(props, {}, headers=headers),
                mandatory=True,
            )
            ch.basic_ack(method.delivery_tag)
            replayed += 1
        for tag in kept:
            ch.basic_nack(tag, requeue=True)
        return replayed
    finally:
        if conn.is_open:
            conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workers.replay",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--vhost", required=True, help="e.g. fluxo_clinico (VHOST_PREFIX is added)")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--task-id", action="append", help="replay this task (repeatable)")
    group.add_argument("--all", action="store_true", help="replay every dead-lettered message")
    args = parser.parse_args(argv)
    settings = get_settings()

    from workers.__main__ import resolve_vhosts

    [vhost] = resolve_vhosts([args.vhost], settings.vhost_prefix)
    store = Store(settings.database_url)
    try:
        count = replay(settings, vhost, None if args.all else set(args.task_id), store)
    except pika.exceptions.AMQPError as exc:
        print(f"replay failed: cannot reach RabbitMQ vhost {vhost}: {exc!r}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"replayed {count} message(s) from {vhost}/{topology.DLQ_QUEUE} to {topology.EVENTS_QUEUE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
