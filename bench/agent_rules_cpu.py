#!/usr/bin/env python3
"""Benchmark: CPU per agent message in the rules stage, without the broker (issue 19).

    .venv/bin/python bench/agent_rules_cpu.py                 # SQLite and PostgreSQL, batches of 1 and 8
    .venv/bin/python bench/agent_rules_cpu.py --stores sqlite --messages 1000

On a shared 2-core box the open-loop benchmark (bench/agent_message.py) measures CPU per message
of the worker process beside whatever the neighbours do, and the batch sizes the consumer forms
follow the load. This one runs `RulesStage.process_many` in-process on the agent mix of
bench/agent_message.py (7 ordinary, 2 answers, 1 critical per 10, each its own conversation) with
the default settings and no alert backend (alerts recorded pending), in batches of a fixed size, and reports
`time.process_time()` per message: the handler, the store's read and its one transaction per
batch (the SQLite writer thread included), the reply. Not measured: pika (ack, reply publish),
alert HTTP delivery, the follow-up publish. Prints the figures; RESULTS.md is left alone.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.agent_message import MIX, body
from bench.common import WORK


def envelopes(store: Any, n: int) -> list[bytes]:
    from shared.messages import AgentMessagePayload, Envelope

    out = []
    for i in range(n):
        data = AgentMessagePayload.model_validate_json(body(MIX[i % len(MIX)])).model_dump(
            mode="json", exclude_none=True
        )
        env = Envelope(domain="clinico", task_type="mensagem", tenant_id="bench_tenant", payload=data)
        # Stored "queued" first, as the API does.
        store.create_task(
            store.new_task_row(
                task_id=str(env.task_id),
                tenant_id=env.tenant_id,
                domain=env.domain,
                task_type=env.task_type,
                created_at=env.created_at,
                correlation_id=env.correlation_id,
                idempotency_key=None,
                request_hash=None,
                payload=data,
            )
        )
        out.append(env.to_json_bytes())
    return out


def run(url: str, messages: int, batch: int) -> float:
    from shared.config import Settings
    from shared.store import Store
    from shared.store.conversations import ConversationLog
    from workers.alert_dispatch import AlertDispatcher
    from workers.alerts import AlertClient
    from workers.conversation_flow import ConversationServices
    from workers.stages import RulesStage

    settings = Settings(_env_file=None, database_url=url, log_level="WARNING", backend_url="")  # type: ignore[call-arg]
    store = Store(url, pool_size=12)
    # No BACKEND_URL: the critical message's alert is recorded pending with its task, as a
    # worker without a backend does.
    dispatcher = AlertDispatcher(settings, store, AlertClient(settings), lambda *_: None)
    try:
        stage = RulesStage(
            settings,
            "clinico",
            store,
            dispatcher=dispatcher,
            conversation=ConversationServices(settings, ConversationLog(store), None),
        )
        warm, bodies = envelopes(store, 50), envelopes(store, messages)
        stage.process_many([(b, {}) for b in warm])
        started = time.process_time()
        for i in range(0, len(bodies), batch):
            outcomes = stage.process_many([(b, {}) for b in bodies[i : i + batch]])
            assert all(getattr(o, "reply", None) for o in outcomes), outcomes
        return (time.process_time() - started) / len(bodies) * 1000
    finally:
        dispatcher.shutdown()
        store.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--messages", type=int, default=2000, help="messages per measurement (default 2000)")
    p.add_argument("--batches", default="1,8", help="batch sizes (default 1,8)")
    p.add_argument("--stores", default="sqlite,postgresql")
    p.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    args = p.parse_args(argv)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    from shared.config import Settings
    from shared.logs import configure_logging
    from workers import clinical
    from workers.registry import load_handlers

    configure_logging(Settings(_env_file=None, log_level="WARNING"), "bench")  # type: ignore[call-arg]
    load_handlers()
    clinical.warm_up()
    for kind in [s.strip() for s in args.stores.split(",") if s.strip()]:
        for batch in [int(b) for b in args.batches.split(",")]:
            load = os.getloadavg()[0]
            if kind == "sqlite":
                db = WORK / f"agent_rules_cpu-{uuid.uuid4().hex[:6]}.db"
                WORK.mkdir(parents=True, exist_ok=True)
                try:
                    ms = run(f"sqlite:///{db}", args.messages, batch)
                finally:
                    for suffix in ("", "-wal", "-shm", "-writelock"):
                        Path(f"{db}{suffix}").unlink(missing_ok=True)
            else:
                from bench.worker_drain import pg_schema

                with pg_schema(args.pg_url) as url:
                    ms = run(url, args.messages, batch)
            print(
                f"{kind} batch {batch}: {ms:.2f} ms CPU per message "
                f"(load average {load:.1f} -> {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
