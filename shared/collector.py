"""The garbage collector of a long-lived process (the API and each worker process): the objects built
at start-up (handlers, rules tables, pydantic schemas, SQLAlchemy and pika state) live as long as the
process, so they are frozen out of the collector, and young collections run less often. Measured in
bench/api_publish.py (docs/operations.md) and bench/worker_drain.py (docs/workers.md, "The garbage
collector")."""

from __future__ import annotations

import gc

GC_THRESHOLD = (10_000, 50, 100)


def quiet_collector() -> None:
    """Freeze what exists now out of the collector and collect young objects less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
