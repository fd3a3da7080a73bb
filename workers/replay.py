"""`python -m workers.replay --vhost NAME [--task-id ID ... | --all]`: dead-lettered tasks back to `eventos`.

Each replayed message opens a new generation of its task in the store (status `retrying`), so
the worker runs it again even though it had reached a final status, and late updates from the
old attempt can no longer overwrite the new one. Messages that are not selected stay in the
dead-letter queue in their order.
"""

from __future__ import annotations

import argparse
import sys

import pika

from shared import topology
from shared.config import get_settings
from shared.replay import replay
from shared.store import Store

__all__ = ["main", "replay"]


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
    settings = get_settings().for_broker_role("ops")  # an operator tool: the console's identity

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
