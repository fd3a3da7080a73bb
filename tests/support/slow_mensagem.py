"""clinico.mensagem, but stuck for $SLOW_MENSAGEM_S seconds first (a worker busy in a slow handler).

Loaded with WORKER_EXTRA_HANDLERS=tests.support.slow_mensagem; the real handler runs afterwards.
"""

from __future__ import annotations

import os
import time
from typing import Any

from workers.context import TaskContext
from workers.handlers.mensagem import agent_reply, mensagem
from workers.registry import handler


@handler("clinico", "mensagem", override=True, reply=agent_reply)
def slow_mensagem(ctx: TaskContext, payload: Any) -> dict[str, Any]:
    time.sleep(float(os.environ.get("SLOW_MENSAGEM_S", "3")))
    return mensagem(ctx, payload)
