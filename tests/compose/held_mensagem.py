"""clinico.mensagem, held on its first delivery when the conversation id starts with "segurar-".

`make test-compose` mounts this module into the worker containers (docker-compose.test.yml beside
it) so a task stays in one worker long enough to kill that worker and watch another complete it.
Every other message runs the real handler at once.
"""

from __future__ import annotations

import os
import time
from typing import Any

from workers.context import TaskContext
from workers.handlers.mensagem import agent_reply, mensagem
from workers.registry import handler

HOLD_PREFIX = "segurar-"


@handler("clinico", "mensagem", override=True, reply=agent_reply)
def held_mensagem(ctx: TaskContext, payload: Any) -> dict[str, Any]:
    if (payload.conversation_id or "").startswith(HOLD_PREFIX) and ctx.attempt <= 1:
        ctx.log.info("held_task_started", task_id=ctx.task_id, hold_s=os.environ.get("HELD_MENSAGEM_S"))
        time.sleep(float(os.environ.get("HELD_MENSAGEM_S", "60")))
    return mensagem(ctx, payload)
