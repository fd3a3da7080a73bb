"""clinico.mensagem: the rules' reading of a patient's WhatsApp message in its conversation.

The worker's handler (`workers/handlers/mensagem.py`) and the evaluate CLI both call
`analyze_mensagem`, so a labelled agent case is scored through exactly the analysis a real message
gets: the message read against the conversation (`conversation.contextualize`), then the consulta
rules with the patient's oncology treatment. See docs/agent-message.md, "Reading the conversation".
"""

from __future__ import annotations

from shared.messages import AgentMessagePayload, ConsultaPayload, PatientContext

from .clinico import analyze_consulta
from .conversation import Turn, contextualize
from .result import ClinicalAnalysis


def read_as(payload: AgentMessagePayload) -> str:
    """The message as the rules read it, given the conversation history (oldest first)."""
    history = [Turn(t.role, t.content) for t in payload.conversation_history]
    return contextualize(payload.message, history)


def consulta_payload(payload: AgentMessagePayload, text: str) -> ConsultaPayload:
    patient = payload.patient_context or PatientContext()
    return ConsultaPayload(
        paciente_id=payload.patient_id,
        queixa=text,
        idade_anos=patient.age,
        sexo=patient.sex,
        paciente_nome=patient.name,
        conversa_id=payload.conversation_id,
        mensagem_id=payload.message_id,
        em_tratamento_oncologico=patient.oncology_treatment,
    )


def analyze_mensagem(payload: AgentMessagePayload) -> ClinicalAnalysis:
    text = read_as(payload)
    analysis = analyze_consulta(consulta_payload(payload, text))
    analysis.detalhes["lida_como"] = text
    return analysis
