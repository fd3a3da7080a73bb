"""fluxo_clinico: consulta, internacao, alta (mensagem: workers/handlers/mensagem.py)."""

from __future__ import annotations

from typing import Any

from shared.messages import AltaPayload, ConsultaPayload, InternacaoPayload
from workers.context import TaskContext, TaskInfo
from workers.handlers import mensagem  # noqa: F401  (registers clinico.mensagem)
from workers.handlers.common import run_analysis
from workers.registry import handler


def _patient(payload: InternacaoPayload | AltaPayload) -> TaskInfo:
    return TaskInfo(patient_id=str(payload.paciente_id))


@handler("clinico", "consulta")
def consulta(ctx: TaskContext, payload: ConsultaPayload) -> dict[str, Any]:
    info = TaskInfo(
        patient_id=str(payload.paciente_id),
        conversation_id=payload.conversa_id,
        message_id=payload.mensagem_id,
        names=(payload.paciente_nome,) if payload.paciente_nome else (),
    )
    return run_analysis(ctx, payload, info, triage_text=payload.queixa)


@handler("clinico", "internacao")
def internacao(ctx: TaskContext, payload: InternacaoPayload) -> dict[str, Any]:
    return run_analysis(ctx, payload, _patient(payload), triage_text=payload.motivo)


@handler("clinico", "alta")
def alta(ctx: TaskContext, payload: AltaPayload) -> dict[str, Any]:
    return run_analysis(ctx, payload, _patient(payload), triage_text=payload.resumo)
