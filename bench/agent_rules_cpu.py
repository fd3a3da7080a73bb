#!/usr/bin/env python3
"""Benchmark: CPU per agent message in the rules stage, without the broker (issue 19).

    .venv/bin/python bench/agent_rules_cpu.py                 # SQLite and PostgreSQL, batches of 1 and 8
    .venv/bin/python bench/agent_rules_cpu.py --stores sqlite --messages 1000
    .venv/bin/python bench/agent_rules_cpu.py --beside /tmp/base --write  # beside another checkout

`--beside DIR` measures a checkout of another commit (e.g. `git archive <commit> | tar -x -C DIR`
and a `.venv` link) with this script, each measurement right after this tree's, and `--write`
puts both in bench/RESULTS.md ("agent_rules_cpu").

On a shared 2-core box the open-loop benchmark (bench/agent_message.py) measures CPU per message
of the worker process beside whatever the neighbours do, and the batch sizes the consumer forms
follow the load. This one runs `RulesStage.process_many` in-process on the agent mix of
bench/agent_message.py (7 ordinary, 2 answers, 1 critical per 10, each its own conversation) with
the default settings and no alert backend (alerts recorded pending), in batches of a fixed size, and reports
`time.process_time()` per message: the handler, the store's read and its one transaction per
batch (the SQLite writer thread included), the reply. Not measured: pika (ack, reply publish),
alert HTTP delivery, the follow-up publish.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# AGENT_RULES_TREE: measure another checkout's code with this script (`--beside`).
sys.path.insert(0, os.environ.get("AGENT_RULES_TREE") or str(Path(__file__).resolve().parent.parent))

from bench import common
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


@contextlib.contextmanager
def rules_stage(url: str) -> Iterator[tuple[Any, Any]]:
    """The worker's rules stage of `clinico` on the store at `url`, with (stage, store). No
    BACKEND_URL: the critical message's alert is recorded pending with its task, as a worker
    without a backend does."""
    from shared.config import Settings
    from shared.store import Store
    from shared.store.conversations import ConversationLog
    from workers.alert_dispatch import AlertDispatcher
    from workers.alerts import AlertClient
    from workers.conversation_flow import ConversationServices
    from workers.stages import RulesStage

    settings = Settings(_env_file=None, database_url=url, log_level="WARNING", backend_url="")  # type: ignore[call-arg]
    store = Store(url, pool_size=12)
    dispatcher = AlertDispatcher(settings, store, AlertClient(settings), lambda *_: None)
    try:
        yield (
            RulesStage(
                settings,
                "clinico",
                store,
                dispatcher=dispatcher,
                conversation=ConversationServices(settings, ConversationLog(store), None),
            ),
            store,
        )
    finally:
        dispatcher.shutdown()
        store.close()


def run(url: str, messages: int, batch: int) -> float:
    with rules_stage(url) as (stage, store):
        warm, bodies = envelopes(store, 50), envelopes(store, messages)
        stage.process_many([(b, {}) for b in warm])
        started = time.process_time()
        for i in range(0, len(bodies), batch):
            outcomes = stage.process_many([(b, {}) for b in bodies[i : i + batch]])
            assert all(getattr(o, "reply", None) for o in outcomes), outcomes
        return (time.process_time() - started) / len(bodies) * 1000


def measure(kind: str, batch: int, messages: int, pg_url: str) -> float:
    if kind == "sqlite":
        WORK.mkdir(parents=True, exist_ok=True)
        db = WORK / f"agent_rules_cpu-{uuid.uuid4().hex[:6]}.db"
        try:
            return run(f"sqlite:///{db}", messages, batch)
        finally:
            for suffix in ("", "-wal", "-shm", "-writelock"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
    from bench.worker_drain import pg_schema

    with pg_schema(pg_url) as url:
        return run(url, messages, batch)


def beside(tree: str, kind: str, batch: int, args: argparse.Namespace) -> float:
    """The same measurement of another checkout, in a process of its own."""
    cmd = [
        sys.executable,
        __file__,
        "--stores",
        kind,
        "--batches",
        str(batch),
        "--messages",
        str(args.messages),
    ]
    out = subprocess.run(
        [*cmd, "--pg-url", args.pg_url, "--one"],
        env={**os.environ, "AGENT_RULES_TREE": tree},
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def commit_of(tree: str) -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=tree, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return Path(tree).name


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--messages", type=int, default=2000, help="messages per measurement (default 2000)")
    p.add_argument("--batches", default="1,8", help="batch sizes (default 1,8)")
    p.add_argument("--stores", default="sqlite,postgresql")
    p.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    p.add_argument(
        "--repeat", type=int, default=3, help="measurements per figure, the lowest kept (default 3)"
    )
    p.add_argument("--beside", help="a checkout of another commit, measured right after this one")
    p.add_argument("--beside-label", help="what to call it in the report (default: its directory)")
    p.add_argument("--write", action="store_true", help="write bench/RESULTS.md (agent_rules_cpu)")
    p.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # a --beside child
    args = p.parse_args(argv)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    from shared.config import Settings
    from shared.logs import configure_logging
    from workers import clinical
    from workers.registry import load_handlers

    configure_logging(Settings(_env_file=None, log_level="WARNING"), "bench")  # type: ignore[call-arg]
    load_handlers()
    clinical.warm_up()
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    batches = [int(b) for b in args.batches.split(",")]
    if args.one:
        print(measure(stores[0], batches[0], args.messages, args.pg_url))
        return 0
    rows = []
    for kind in stores:
        for batch in batches:
            load = os.getloadavg()[0]
            ms, other = float("inf"), float("inf") if args.beside else None
            # The lowest of a few, the two sides taking turns: the neighbours' load only ever
            # adds CPU time (cache, shared cores), so the minimum is the steadiest figure.
            for _ in range(args.repeat):
                ms = min(ms, measure(kind, batch, args.messages, args.pg_url))
                if other is not None:
                    other = min(other, beside(args.beside, kind, batch, args))
            rows.append((kind, batch, ms, other, load, os.getloadavg()[0]))
            print(
                f"{kind} batch {batch}: {ms:.2f} ms CPU per message"
                + (f", beside: {other:.2f} ms" if other is not None else "")
                + f" (load average {load:.1f} -> {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    if args.write:
        common.write_section("agent_rules_cpu", render(args, rows))
    return 0


def render(args: argparse.Namespace, rows: list[tuple[str, int, float, float | None, float, float]]) -> str:
    label = args.beside_label or (commit_of(args.beside) if args.beside else "")
    lines = [
        "## Agent message CPU in the rules stage (`bench/agent_rules_cpu.py`)",
        "",
        f"- date: {common.now_utc()}",
        f"- machine: {common.machine()}",
        f"- what runs: `RulesStage.process_many` in-process, {args.messages:,} messages of the "
        "agent_message mix (7 ordinary, 2 answers, 1 critical per 10, each its own conversation), "
        "default settings, no alert backend (alerts recorded pending), batches of a fixed size; "
        f"`time.process_time()` per message, lowest of {args.repeat} (handler, store read and "
        "transaction with the SQLite writer thread, reply; not pika, not the alert's HTTP request)",
        "",
        f"| store | batch | this tree ({commit_of(str(common.ROOT))}), ms CPU per message | "
        + (f"beside ({label}) | ratio | " if args.beside else "")
        + "load average (1 min) before -> after |",
        "|---|---|---|" + ("---|---|" if args.beside else "") + "---|",
    ]
    for kind, batch, ms, other, l0, l1 in rows:
        extra = f" {other:.2f} | {ms / other:.2f} |" if other is not None else ""
        lines.append(f"| {kind} | {batch} | {ms:.2f} |{extra} {l0:.1f} -> {l1:.1f} |")
    lines.append("")
    lines.append(
        "- the box is shared: a load average above 2 inflates both columns; compare the columns of "
        "one row, measured one right after the other"
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
