"""fluxo_clinico: consulta, internacao, alta."""

from __future__ import annotations

from typing import Any

from shared.messages import AltaPayload, ConsultaPayload, InternacaoPayload
from workers.context import TaskContext
from workers.handlers.common import run_analysis
from workers.registry import handler


@handler("clinico", "consulta")
def consulta(ctx: TaskContext, payload: ConsultaPayload) -> dict[str, Any]:
    return run_analysis(
        ctx,
        payload,
        patient_id=str(payload.paciente_id),
        triage_text=payload.queixa,
        names=(payload.paciente_nome,) if payload.paciente_nome else (),
        conversation_id=payload.conversa_id,
        message_id=payload.mensagem_id,
    )


@handler("clinico", "internacao")
def internacao(ctx: TaskContext, payload: InternacaoPayload) -> dict[str, Any]:
    return run_analysis(ctx, payload, patient_id=str(payload.paciente_id), triage_text=payload.motivo)


@handler("clinico", "alta")
def alta(ctx: TaskContext, payload: AltaPayload) -> dict[str, Any]:
    return run_analysis(ctx, payload, patient_id=str(payload.paciente_id), triage_text=payload.resumo)
