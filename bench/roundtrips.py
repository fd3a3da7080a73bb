"""Counts a worker process's trips to the task store, for bench/worker_drain.py and
bench/agent_message.py. Loaded into the real worker with `WORKER_EXTRA_HANDLERS=bench.roundtrips`
(it registers no handler) and `BENCH_ROUNDTRIPS_FILE=<path>`; the counts are written there as
JSON twice a second and at exit, per process (`<path>.<pid>`).

What is counted, per engine of the process (SQLAlchemy events, so every statement the store runs):
- `statements`: cursor executions. One `executemany` is one: psycopg 3 sends it in pipeline
  mode, one round trip however many rows (and SQLAlchemy's insertmanyvalues makes an INSERT one
  multi-row statement);
- `transactions`: commits; on PostgreSQL each is a round trip, and so is the `BEGIN` psycopg
  sends before the first statement of a transaction;
- `rollbacks`: mostly the reset of a pooled connection handed back after a read (SQLite reads
  go through the pool), one round trip each on PostgreSQL;
- `pings`: connection checkouts of an engine with `pool_pre_ping` (one `SELECT 1` round trip).

A PostgreSQL rules batch runs its transaction on the driver (shared.store.pipeline): `BEGIN` with
the locked read, the writes with `COMMIT`, each one round trip (`pipelines`). Its statements are
counted in `statements` and in `pipelined_statements`, its commit in `transactions` and in
`pipelined_transactions`.

Round trips on PostgreSQL: `round_trips(counts)`. On SQLite nothing leaves the process; the same
counts say how many statements and transactions a task costs.
"""

from __future__ import annotations

import atexit
import json
import os
import threading
from collections import Counter
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

_counts: Counter[str] = Counter()
_lock = threading.Lock()
_path = os.environ.get("BENCH_ROUNDTRIPS_FILE")


def _bump(name: str) -> None:
    with _lock:
        _counts[name] += 1


@event.listens_for(Engine, "before_cursor_execute")
def _statement(conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool) -> None:
    _bump("statements")
    if executemany:
        _bump("executemany")


@event.listens_for(Engine, "commit")
def _commit(conn: Any) -> None:
    _bump("transactions")


@event.listens_for(Engine, "rollback")
def _rollback(conn: Any) -> None:
    _bump("rollbacks")


@event.listens_for(Pool, "checkout")
def _checkout(dbapi_conn: Any, record: Any, proxy: Any) -> None:
    pool = getattr(record, "_pool", None) or getattr(proxy, "_pool", None)
    if getattr(pool, "_pre_ping", False):
        _bump("pings")


def _count_pipelines() -> None:
    from shared.store.pipeline import PgBatch

    lock_rows, commit_writes = PgBatch.lock_rows, PgBatch.commit_writes

    # Their statements reach `_statement` through SQLAlchemy's event, as PgBatch announces them.
    def counted_lock(self: PgBatch, ids: list[str]) -> dict[str, int]:
        for name in ("pipelines", "pipelined_statements", "pipelined_transactions"):
            _bump(name)
        return lock_rows(self, ids)

    def counted_writes(self: PgBatch) -> None:
        _bump("pipelines")
        for _ in self.writes:
            _bump("pipelined_statements")
        commit_writes(self)

    PgBatch.lock_rows = counted_lock  # type: ignore[method-assign]
    PgBatch.commit_writes = counted_writes  # type: ignore[method-assign]


_count_pipelines()


def round_trips(t: dict[str, float]) -> float:
    """Round trips to PostgreSQL from the counts (per task or in all): a statement each, `BEGIN`
    and `COMMIT` each, a pooled connection's reset, a pre-ping; a pipeline one for all it holds."""
    plain_statements = t.get("statements", 0) - t.get("pipelined_statements", 0)
    plain_transactions = t.get("transactions", 0) - t.get("pipelined_transactions", 0)
    return (
        plain_statements
        + 2 * plain_transactions
        + t.get("pipelines", 0)
        + t.get("rollbacks", 0)
        + t.get("pings", 0)
    )


def snapshot() -> dict[str, int]:
    with _lock:
        return dict(_counts)


def _dump() -> None:
    if not _path:
        return
    target = f"{_path}.{os.getpid()}"
    with open(target + ".tmp", "w") as f:
        json.dump(snapshot(), f)
    os.replace(target + ".tmp", target)


def _loop() -> None:
    stop = threading.Event()
    while not stop.wait(0.5):
        _dump()


def read_all(path: str) -> dict[str, int]:
    """The counts of every process that wrote `<path>.<pid>`, summed."""
    import glob

    total: Counter[str] = Counter()
    for name in glob.glob(f"{glob.escape(path)}.*"):
        if name.endswith(".tmp"):
            continue
        with open(name) as f:
            total.update(json.load(f))
    return dict(total)


if _path:
    atexit.register(_dump)
    threading.Thread(target=_loop, name="bench-roundtrips", daemon=True).start()
