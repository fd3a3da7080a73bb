"""clinico.mensagem: the rules' reading of a patient's WhatsApp message in its conversation.

The worker's handler (`workers/handlers/mensagem.py`) and the evaluate CLI both call
`analyze_mensagem`, so a labelled agent case is scored through exactly the analysis a real message
gets: the message read against the conversation (`conversation.contextualize`), then the consulta
rules with the patient's oncology treatment. See docs/agent-message.md, "Reading the conversation".
"""

from __future__ import annotations

from shared.messages import AgentMessagePayload, ConsultaPayload, PatientContext

from .clinico import analyze_consulta
from .conversation import Reading, Turn, read
from .result import ClinicalAnalysis


def reading(payload: AgentMessagePayload) -> Reading:
    """How the message reads given the conversation history (oldest first)."""
    history = [Turn(t.role, t.content) for t in payload.conversation_history]
    return read(payload.message, history)


def read_as(payload: AgentMessagePayload) -> str:
    """The message as the rules read it."""
    return reading(payload).text


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
    """The consulta rules on the message as read in its conversation; `detalhes.leitura_conversa`
    explains the reading (question kind, answer, the earlier message it leans on, the findings)."""
    how = reading(payload)
    analysis = analyze_consulta(consulta_payload(payload, how.text))
    analysis.detalhes["lida_como"] = how.text
    if how.kind is not None or how.text != payload.message:
        analysis.detalhes["leitura_conversa"] = how.explain() | {
            "achados": [f.codigo for f in analysis.achados]
        }
    return analysis
