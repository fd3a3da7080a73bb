"""ingestao_dados: generico, pacientes, medicos (per-record validation and normalisation)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from workers.clinical import ClinicalAnalysis
from workers.context import TaskContext
from workers.handlers.common import run_analysis
from workers.registry import handler

MAX_ERRORS_FOR_LLM = 50


def _quality_summary(analysis: ClinicalAnalysis) -> dict[str, Any]:
    # The Data Steward crew gets the batch's quality summary, never the records themselves
    # (thousands of names, CPFs and phone numbers have no business in a prompt).
    d = analysis.detalhes
    summary = {
        k: d.get(k) for k in ("tipo", "total", "validos", "invalidos", "duplicados", "campos_desconhecidos")
    }
    summary["erros"] = [
        {"indice": e.get("indice"), "campo": e.get("campo"), "erro": e.get("erro")}
        for e in (d.get("erros") or [])[:MAX_ERRORS_FOR_LLM]
    ]
    return summary


def _ingestao(ctx: TaskContext, payload: BaseModel) -> dict[str, Any]:
    result = run_analysis(ctx, payload, crew_data=_quality_summary)
    detalhes = result["motor_regras"]["detalhes"]
    result["contagens"] = {k: detalhes.get(k) for k in ("total", "validos", "invalidos", "duplicados")}
    return result


for _task_type in ("generico", "pacientes", "medicos"):
    handler("ingestao", _task_type)(_ingestao)
