"""Handlers for worker tests, loaded with WORKER_EXTRA_HANDLERS=tests.support.scripted_handlers.

They override clinico.consulta and are driven by the `queixa` text, so a test can ask a real
worker process for any behaviour through the real API/envelope:

    "ok"                    return at once
    "sleep:7"               run for 7 seconds (a long LLM call's stand-in)
    "fail-retries:2"        raise a transient error until the message has been retried twice
    "fail-always"           raise a transient error every time
    "permanent"             raise PermanentError (dead-lettered at once)
    "until-file:/tmp/x"     transient error until the file exists (the cause going away)
    "sleep-once:/tmp/x:30"  sleep 30 s the first time (file absent), return at once afterwards
    "crash-once:/tmp/x"     kill the process (os._exit) the first time, i.e. while the file is absent

Every run appends "<task_id> <pid> <attempt>" to $TEST_HANDLER_LOG when that is set, so tests
can count how many times a task really ran.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from workers.context import TaskContext
from workers.registry import PermanentError, handler


def _record(ctx: TaskContext, what: str) -> None:
    path = os.environ.get("TEST_HANDLER_LOG")
    if path:
        with open(path, "a") as fh:
            fh.write(f"{ctx.task_id} {os.getpid()} {ctx.attempt} {what}\n")


@handler("clinico", "consulta", override=True)
def scripted(ctx: TaskContext, payload: Any) -> dict[str, Any]:
    cmd: str = payload.queixa
    _record(ctx, "start")
    if cmd.startswith("sleep:"):
        time.sleep(float(cmd.split(":", 1)[1]))
    elif cmd.startswith("fail-retries:"):
        wanted = int(cmd.split(":", 1)[1])
        if ctx.attempt // 1000 < wanted:
            raise RuntimeError(f"scripted transient failure (retry {ctx.attempt // 1000} of {wanted})")
    elif cmd == "fail-always":
        raise RuntimeError("scripted transient failure")
    elif cmd == "permanent":
        raise PermanentError("scripted permanent failure")
    elif cmd.startswith("until-file:"):
        if not Path(cmd.split(":", 1)[1]).exists():
            raise RuntimeError("scripted failure: the file does not exist yet")
    elif cmd.startswith("sleep-once:"):
        _, path, secs = cmd.split(":", 2)
        if not Path(path).exists():
            Path(path).write_text(str(os.getpid()))
            time.sleep(float(secs))
    elif cmd.startswith("crash-once:"):
        marker = Path(cmd.split(":", 1)[1])
        if not marker.exists():
            marker.write_text("crashed")
            os._exit(17)
    _record(ctx, "done")
    return {"echo": cmd, "pid": os.getpid(), "attempt": ctx.attempt}
