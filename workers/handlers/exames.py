"""fluxo_exames: generico, hemograma, imagem."""

from __future__ import annotations

from typing import Any

from shared.messages import ExameGenericoPayload, HemogramaPayload, ImagemPayload
from workers.context import TaskContext, TaskInfo
from workers.handlers.common import run_analysis
from workers.registry import handler


@handler("exames", "generico")
def generico(ctx: TaskContext, payload: ExameGenericoPayload) -> dict[str, Any]:
    return run_analysis(ctx, payload, TaskInfo(patient_id=str(payload.paciente_id)))


@handler("exames", "hemograma")
def hemograma(ctx: TaskContext, payload: HemogramaPayload) -> dict[str, Any]:
    return run_analysis(ctx, payload, TaskInfo(patient_id=str(payload.paciente_id)))


@handler("exames", "imagem")
def imagem(ctx: TaskContext, payload: ImagemPayload) -> dict[str, Any]:
    return run_analysis(ctx, payload, TaskInfo(patient_id=str(payload.paciente_id)))
