"""clinico.mensagem: a patient's WhatsApp message, answered for the NestJS backend (docs/agent-message.md).

The rules read the message against the conversation (a short answer is read against the agent's
last question) with the patient's oncology treatment, as a consulta would be
(`workers.clinical.mensagem`). The reply to the patient comes from Portuguese templates, or from the
`mensagem` crew when an LLM is configured; either way the safety instruction of a CRITICAL or HIGH
finding is in it. The result stores that reply under `resposta`, so a 202's status URL and a
redelivered task give the same answer as the 200 would have.
"""

from __future__ import annotations

from typing import Any

from shared.messages import AgentMessagePayload, PatientContext
from workers.clinical import ClinicalAnalysis
from workers.clinical.conversation import Turn
from workers.clinical.mensagem import read_as
from workers.clinical.text import fold
from workers.context import TaskContext, TaskInfo
from workers.conversation_flow import ConversationServices, assess
from workers.handlers.common import run_analysis
from workers.registry import handler

# The safety instruction of each severity: always in `response`, whoever wrote the rest.
SAFETY: dict[str, str] = {
    "CRITICAL": (
        "Procure atendimento de emergência agora ou ligue para o SAMU (192). "
        "A equipe de enfermagem já foi avisada."
    ),
    "HIGH": "A equipe de enfermagem vai entrar em contato com você em breve.",
}
# The red-flag follow-up question a CRITICAL or HIGH reply ends with; unanswered for
# NO_RESPONSE_AFTER_S, it raises NO_RESPONSE (workers.followup). A crew's reply keeps it too.
FOLLOW_UP: dict[str, str] = {
    "CRITICAL": "Você já está a caminho do atendimento? Responda SIM ou NÃO.",
    "HIGH": "Você está em segurança aguardando o contato da equipe? Responda SIM ou NÃO.",
}
TEMPLATES: dict[str | None, str] = {
    "CRITICAL": "O que você descreveu pode ser grave. " + SAFETY["CRITICAL"] + " " + FOLLOW_UP["CRITICAL"],
    "HIGH": (
        "Obrigado por avisar. "
        + SAFETY["HIGH"]
        + " Se piorar, procure atendimento de emergência ou ligue para o SAMU (192). "
        + FOLLOW_UP["HIGH"]
    ),
    None: (
        "Obrigado pela mensagem, recebemos sua informação. "
        "Se surgir algum sintoma novo ou piora, nos avise por aqui."
    ),
}


def has_safety_instruction(text: str, severity: str) -> bool:
    """Whether a free text already says what the severity requires (the crew's own words may
    differ from the template's)."""
    folded = fold(text)
    if severity == "CRITICAL":
        return "192" in folded and ("emergencia" in folded or "pronto" in folded)
    if severity == "HIGH":
        return "equipe" in folded and "contato" in folded
    return True


def has_follow_up(text: str) -> bool:
    """Whether a free text asks something the patient answers SIM or NÃO."""
    folded = fold(text)
    return "?" in folded and "sim ou nao" in folded


def with_safety(text: str, severity: str | None) -> str:
    """The text with the severity's safety instruction and, at the end, its follow-up question."""
    if severity not in SAFETY:
        return text
    if not has_safety_instruction(text, severity):
        text = f"{text.rstrip()} {SAFETY[severity]}"
    if not has_follow_up(text):
        text = f"{text.rstrip()} {FOLLOW_UP[severity]}"
    return text


def _crew_text(result: dict[str, Any]) -> str | None:
    crew = (result.get("analise_ia") or {}).get("crew") or {}
    text = (crew.get("saida") or {}).get("resposta")
    return text.strip() if isinstance(text, str) and text.strip() else None


def reply_severity(result: dict[str, Any]) -> str | None:
    """The findings' severity, raised to HIGH by a HIGH conversation alert (SYMPTOM_WORSENING, a
    SCORE_CHANGE to pain ≥ 7): the patient is told the team will call, and asked the question."""
    severity = result.get("severidade")
    conversa = result.get("conversa") or {}
    if severity is None and any(a.get("severity") == "HIGH" for a in conversa.get("alertas") or []):
        return "HIGH"
    return severity  # type: ignore[no-any-return]


def patient_reply(result: dict[str, Any], contextualized: str) -> dict[str, Any]:
    """The §9 answer fields (without taskId, alerts and statusUrl) from the analysis result."""
    severity = reply_severity(result)
    crew_text = _crew_text(result)
    conversa = result.get("conversa") or {}
    detalhes = result["motor_regras"]["detalhes"]
    return {
        "response": with_safety(crew_text, severity) if crew_text else TEMPLATES[severity],
        "responseSource": "crew" if crew_text else "template",
        "criticalSymptoms": list(dict.fromkeys(a["codigo"] for a in result["achados"])),
        "shouldAlert": bool(result.get("alerta")) or bool(conversa.get("alertas")),
        "severity": severity,
        "structuredData": {
            "findings": result["achados"],
            "vitals": detalhes.get("sinais_vitais", []),
            "temperatures": detalhes.get("temperatura"),
            "pain": detalhes.get("dor"),
            "discardedMentions": detalhes.get("mencoes_desconsideradas", []),
            "readAs": contextualized,
            # question kind, answer, earlier message used, findings (docs/agent-message.md)
            "conversationReading": detalhes.get("leitura_conversa"),
            # alerts only a conversation raises, episodes, the follow-up question
            "conversation": conversa or None,
        },
    }


def agent_reply(task_id: str, result: dict[str, Any]) -> dict[str, Any]:
    return {"taskId": task_id, **result["resposta"]}


def _crew_data(payload: AgentMessagePayload, contextualized: str) -> Any:
    def data(_analysis: ClinicalAnalysis) -> dict[str, Any]:
        ctx = payload.patient_context
        return {
            "mensagem": payload.message,
            "mensagem_lida_como": contextualized,
            "historico": [{"papel": t.role, "texto": t.content} for t in payload.conversation_history],
            "contexto_paciente": ctx.model_dump(mode="json", exclude_none=True, by_alias=False)
            if ctx
            else {},
        }

    return data


@handler("clinico", "mensagem", reply=agent_reply)
def mensagem(ctx: TaskContext, payload: AgentMessagePayload) -> dict[str, Any]:
    patient = payload.patient_context or PatientContext()
    text = read_as(payload)
    info = TaskInfo(
        patient_id=str(payload.patient_id),
        conversation_id=payload.conversation_id,
        message_id=payload.message_id,
        names=(patient.name,) if patient.name else (),
        # As the integration guide's examples: the patient's own words travel with the alert.
        alert_context={"originalMessage": payload.message, "patientMessage": payload.message},
    )
    # The rules run as `analyze("clinico", "mensagem")` (workers.clinical.mensagem), the same
    # analysis the evaluate CLI scores agent cases with.
    result = run_analysis(ctx, payload, info, triage_text=text, crew_data=_crew_data(payload, text))
    # Then what only the conversation shows (workers.conversation_flow).
    history = [Turn(t.role, t.content) for t in payload.conversation_history]
    services = ctx.conversation if isinstance(ctx.conversation, ConversationServices) else None
    assessment = (
        services.assess(ctx, info, payload.message, text, history, result)
        if services is not None
        else assess(ctx, info, payload.message, text, history, result)
    )
    result["conversa"] = assessment.explain(ctx, None)
    question = FOLLOW_UP.get(reply_severity(result) or "")
    if payload.conversation_id:
        result["conversa"]["perguntaDeSeguimento"] = question
    if services is not None:
        services.conclude(ctx, info, assessment, question)
    result["resposta"] = patient_reply(result, text)
    return result
