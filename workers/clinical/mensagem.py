"""clinico.mensagem: the rules' reading of a patient's WhatsApp message in its conversation.

The worker's handler (`workers/handlers/mensagem.py`) and the evaluate CLI both call
`analyze_mensagem`, so a labelled agent case is scored through exactly the analysis a real message
gets: the message read against the conversation (`conversation.contextualize`), then the consulta
rules with the patient's oncology treatment. See docs/agent-message.md, "Reading the conversation".
"""

from __future__ import annotations

import pickle
import re
from functools import lru_cache
from uuid import UUID

from shared.messages import AgentMessagePayload, ConsultaPayload, PatientContext

from . import backstop
from .backstop.features import Composed
from .clinico import analyze_consulta_rules
from .conversation import Reading, Turn, read
from .lexicon import ONCOLOGY
from .questions import MEASURED
from .result import ClinicalAnalysis
from .text import fold

# How many of the patient's own earlier turns a split report may span ("tô com um aperto" ...
# "no peito"): enough for a symptom told in pieces, few enough that old talk does not linger.
THREAD_TURNS = 3
_SENTENCE_END = re.compile(r"[.!?]\s*$")
# A greeting opening a turn is no part of what the thread tells ("tô com um aperto aqui" / "bom dia
# doutora, no peito, e desce pro braço"): the turn is joined without it, as `conversation.read` reads it.
_GREETING = re.compile(
    r"^(?:(?:oi|ol[aá]|bom\s+dia|boa\s+tarde|boa\s+noite)\b[\s,.!]*)+(?:(?:doutora?|dra?|enfermeira|mo[cç]a)\b[\s,.!]*)?",
    re.IGNORECASE,
)
# A message that settles the earlier complaint (it went away, it is normal, it was a joke, the
# patient is well) is never joined with it: the newest word of the patient wins.
_SETTLED = re.compile(
    r"\b(?:passou|passaram|sumiu|sumiram|melhorou|estancou|parou|pararam|normal|normais|otim[oa]|"
    r"(?:to|estou|tou|ta|esta|sinto|tudo|fiquei|ficou|eu|agora|hoje)\s+(?:\w+\s+)?(?:bem|melhor)|"
    r"tranquil[oa]|suave|zoeira|brincadeira|mentira|engano|enganei|expressei\s+mal|nao\s+foi|nao\s+era|"
    r"ja\s+voltou|voltou\s+(?:a|ao)|rosad\w*|nunca|"
    # "tô de boa", "foi só aquela vez": the one episode told before, over
    r"(?:to|estou|tou|ta|esta|tudo|fiquei)\s+de\s+boa|so\s+(?:aquela|essa|daquela|uma)\s+vez)\b"
)
# A cancer diagnosis with a treatment under way, or a treatment that names chemotherapy agents.
_CANCER = re.compile(
    r"\b(?:cancer|ca|neoplasi\w*|tumor\w*|carcinoma\w*|leucemia\w*|linfoma\w*|mieloma\w*|sarcoma\w*|metasta\w*)\b"
)
_NO_ID = UUID(int=0)
_CHEMO = re.compile(r"\b(?:ciclo|ciclos|\w+platina|\w+taxel|\w+rubicina|\w+mabe|\w+tinibe|\w+fosfamida)\b")


def reading(payload: AgentMessagePayload) -> Reading:
    """How the message reads given the conversation history (oldest first)."""
    return _reading(payload.message, tuple(Turn(t.role, t.content) for t in payload.conversation_history))


# The worker's handler asks for the reading (`read_as`) and so does `analyze_mensagem`, on the
# same message: read once (docs/agent-message.md, "Sixth session"). `Reading` and `Turn` are
# frozen, so a cached reading cannot be changed by whoever got it.
READING_CACHE_SIZE = 256


@lru_cache(maxsize=READING_CACHE_SIZE)
def _reading(message: str, history: tuple[Turn, ...]) -> Reading:
    return read(message, history)


def read_as(payload: AgentMessagePayload) -> str:
    """The message as the rules read it."""
    return reading(payload).text


# Each distinct text is analysed once per process: the same words come back ("sim", "bom dia",
# a redelivered message, the care team's questions) and `analyze_mensagem` may read a message
# as the answer, alone and joined with earlier turns. The consulta rules read the text, the vital
# signs (none here) and the oncology flag, never the ids, so the key leaves the ids out.
ANALYSIS_CACHE_SIZE = 2048


@lru_cache(maxsize=ANALYSIS_CACHE_SIZE)
def _analysis(text: str, age: int | None, sex: str | None, name: str | None, oncology: bool) -> bytes:
    # Kept pickled: every caller gets a copy it may change (the handler adds to `detalhes`), and
    # unpickling one costs a third of `model_copy(deep=True)`, whose Python-level walk of some 25
    # objects was the handler's largest cost after the rules themselves (10-16 us against 27-49 us
    # per message; docs/agent-message.md, "Tenth session").
    found = analyze_consulta_rules(
        ConsultaPayload(
            paciente_id=_NO_ID,
            queixa=text,
            idade_anos=age,
            sexo=sex,  # type: ignore[arg-type]
            paciente_nome=name,
            em_tratamento_oncologico=oncology,
        )
    )
    return pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)


def _consulta(payload: AgentMessagePayload, text: str) -> ClinicalAnalysis:
    """The consulta rules on `text` for this patient: a copy the caller may change."""
    c = consulta_payload(payload, text)
    pickled = _analysis(c.queixa, c.idade_anos, c.sexo, c.paciente_nome, c.em_tratamento_oncologico)
    found: ClinicalAnalysis = pickle.loads(pickled)  # noqa: S301 - this process's own bytes, never input
    return found


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
        em_tratamento_oncologico=_under_oncology(patient),
    )


def _under_oncology(patient: PatientContext) -> bool:
    """The flag, or a diagnosis or current treatment that names cancer or chemotherapy."""
    if patient.oncology_treatment:
        return True
    diagnosis, treatment = fold(patient.diagnosis or ""), fold(patient.current_treatment or "")
    if ONCOLOGY.search(f"{diagnosis} {treatment}") or _CHEMO.search(treatment):
        return True
    return bool(treatment.strip()) and bool(_CANCER.search(diagnosis))


def thread_text(payload: AgentMessagePayload, text: str) -> str | None:
    """The patient's last own turns and the message read together, oldest first.

    Patients tell one complaint across several messages ("tô com um aperto" / "Onde?" / "no
    peito"; "com calafrio" / "o termômetro deu 38,2"). Only the patient's words are joined: the
    agent's questions never become the patient's statements.
    """
    earlier = [t.content for t in payload.conversation_history if t.role == "patient"][-THREAD_TURNS:]
    if not earlier:
        return None
    parts = [_GREETING.sub("", p.strip()) or p.strip() for p in (*earlier, text) if p.strip()]
    return " ".join(p if _SENTENCE_END.search(p) else p + "." for p in parts)


def _someone_else(analysis: ClinicalAnalysis) -> bool:
    discarded = analysis.detalhes.get("mencoes_desconsideradas") or []
    return any(m.get("motivo") == "outra_pessoa" for m in discarded)


def _may_join(analysis: ClinicalAnalysis, how: Reading) -> bool:
    """Silent, and nothing in the message denies, settles or retracts what came before."""
    # A number answering a measuring question settles the complaint it measures
    # ("Quanto deu no termômetro?" "37,4").
    if how.kind in MEASURED and how.answer:
        return False
    text = how.text
    if analysis.achados or analysis.detalhes.get("mencoes_desconsideradas"):
        return False
    return not _SETTLED.search(fold(text))


def analyze_mensagem(payload: AgentMessagePayload) -> ClinicalAnalysis:
    """The consulta rules on the message as read in its conversation; `detalhes.leitura_conversa`
    explains the reading (question kind, answer, the earlier message it leans on, the findings)."""
    how = reading(payload)
    analysis = _consulta(payload, how.text)
    if analysis.achados and how.text != payload.message:
        # The answer's own words say whose it is: "é o meu cachorro, deu 39,8" read as a
        # temperature is the dog's, whatever the question assumed.
        alone = _consulta(payload, payload.message)
        if not alone.achados and _someone_else(alone):
            analysis = alone
    if _may_join(analysis, how) and (thread := thread_text(payload, how.text)) is not None:
        # Silent alone: read with the patient's own earlier turns, which only ever adds a finding.
        joined = _consulta(payload, thread)
        if joined.achados:
            analysis = joined
            analysis.detalhes["conversa_combinada"] = thread
    analysis.detalhes["lida_como"] = how.text
    analysis = backstop.review(analysis, backstop_reading(payload))
    if how.kind is not None or how.text != payload.message:
        analysis.detalhes["leitura_conversa"] = how.explain() | {
            "achados": [f.codigo for f in analysis.achados]
        }
    return analysis


def backstop_reading(payload: AgentMessagePayload) -> Composed:
    """The message with the agent's last question and the patient's earlier turns, each marked,
    as the backstop was trained to read it (`backstop.features.compose`)."""
    history = payload.conversation_history
    question = next((t.content for t in reversed(history) if t.role == "agent"), "")
    earlier = " ".join(t.content for t in history if t.role == "patient")
    # As consulta_payload reads it, without validating a whole ConsultaPayload for one flag.
    oncology = _under_oncology(payload.patient_context or PatientContext())
    return Composed(payload.message, question=question, earlier=earlier, oncology=oncology)
