"""Benchmark handler, loaded by the real worker with WORKER_EXTRA_HANDLERS=bench.handlers.

It overrides clinico.consulta with a trivial handler (the consumer still validates the envelope
and the payload, stores `processing`, then `completed` with the result, then acks), or, with
BENCH_HANDLER_SLEEP_S=0.3, a handler that waits like an LLM call would.
"""

from __future__ import annotations

import os
import time
from typing import Any

from workers.context import TaskContext
from workers.registry import handler

SLEEP_S = float(os.environ.get("BENCH_HANDLER_SLEEP_S", "0") or 0)


@handler("clinico", "consulta", override=True)
def bench_consulta(ctx: TaskContext, payload: Any) -> dict[str, Any]:
    if SLEEP_S > 0:
        time.sleep(SLEEP_S)
    return {"ok": True, "slept_s": SLEEP_S}
