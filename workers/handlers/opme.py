"""fluxo_opme: generico, protese, material (a completeness/consistency parecer, no alerts)."""

from __future__ import annotations

from typing import Any

from shared.messages import OpmePayload
from workers.context import TaskContext
from workers.handlers.common import run_analysis
from workers.registry import handler


def _opme(ctx: TaskContext, payload: OpmePayload) -> dict[str, Any]:
    result = run_analysis(ctx, payload)
    result["parecer"] = result["motor_regras"]["detalhes"]["parecer"]
    return result


handler("opme", "generico")(_opme)
handler("opme", "protese")(_opme)
handler("opme", "material")(_opme)
