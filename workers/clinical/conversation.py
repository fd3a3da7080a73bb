"""Reading a patient's message against the conversation it answers (docs/agent-message.md,
"Reading the conversation").

On WhatsApp a patient answers the agent's question with "sim, bastante", "não", "9" or "39 e
meio": on its own such a message names no symptom. `read` classifies the care team's last
question, reads the answer by that kind, and rewrites the message into the patient's own
statement, so the rules (unchanged) see a plain first-person sentence:

    "Você está com falta de ar?"          + "sim, bastante" → "estou com falta de ar, bastante"
    "De 0 a 10, qual a nota da dor?"      + "uns 8"         → "dor nota 8. uns 8"
    "Quanto deu no termômetro?"           + "39 e meio"     → "temperatura 39,5. 39 e meio"
    "Consegue beber água?"                + "não"           → "nao consigo beber agua"
    "Ainda está sangrando?"               + "não para"      → "estou sangrando, continua. ..."
    "Pensou em tirar a própria vida?"     + "às vezes sim"  → "penso em acabar com a minha vida. ..."

The patient's own earlier messages are context too: "tô com febre" then "38,6" is a fever of
38.6, and a correction ("na verdade foi em 2019", "não, foi meu marido") is read with the
statement it corrects. Every reading is returned with its question kind and answer, for the
result (`detalhes.leitura_conversa`). A message that answers nothing is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .answers import Answer, fails_orientation, read_answer
from .hedged_answers import taken_back
from .questions import MEASURED, QuestionKind, classify, statement, symptom_phrase
from .spelling import fix_typos
from .spoken import spoken_no_text
from .text import fold, normalise

__all__ = ["Reading", "Turn", "contextualize", "last_question", "read"]

_SENTENCE = re.compile(r"[^.?!\n]*\?")
# A request for an answer is a question too: "Mede a glicemia e me fala quanto deu."
_REQUEST = re.compile(
    r"[^.?!\n]*\b(?:me\s+(?:fala|diz|diga|conta|conte|manda|mande|informa|informe|avisa|avise)|responda|"
    r"responde)\b[^.?!\n]*[.!]?"
)
_CORRECTION = re.compile(
    r"^(?:(?:nao|n)\s*,?\s*)?(?:na\s+verdade|alias|quer\s+dizer|corrigindo|me\s+enganei)\b"
)
# "não, peraí, é sim": a yes after all, to a symptom question the patient had answered "não".
_CORRECTED_YES = re.compile(
    r"^(?:(?:nao|n)\s*,?\s*)?(?:perai|pera|espera|opa|na\s+verdade|alias|me\s+enganei|pensando\s+bem|corrigindo)\b"
    r"[^.?!\n]{0,30}?\b(?:e|eh|to|tou|estou|ta|esta|tenho|tem|sinto)\s+sim\b"
)
_LEADING_NO = re.compile(r"^(?:nao|n)\s*,?\s*")
_CORRECTION_OTHER = re.compile(
    r"\b(?:foi|era|e|eh)\s+(?:o\s+|a\s+)?(?:meu|minha)\s+\w+|\bnao\s+(?:fui|foi|era)\s+(?:eu|comigo)\b"
)
_CORRECTION_TIME = re.compile(
    r"\b(?:foi|era|aconteceu|comecou|faz|ha)\b[^.?!\n]{0,30}?\b(?:ontem|anteontem|semana|mes|ano|anos|"
    r"(?:19|20)\d\d|dias|horas|agora|hoje|cedo)\b"
)
_METER_OUT_OF_RANGE = re.compile(r"\b(?:hi|high|lo|low)\b")
_TOILET = re.compile(r"\b(?:banheiro|evacu\w*|coco|privada)\b")
_BOWELS = re.compile(
    r"\b(?:diarr\w*|diare\w*|caganeira|soltura|intestino|coco|fezes|evacu\w*|desarranjo|piriri)\b"
)
# Hedges that are doubt, not a partial yes, when the question is about a symptom.
_DOUBT = frozenset(
    {"nao sei", "sei nao", "sei la", "penso", "pensei", "ja pensei", "tenho pensado", "passou sim"}
)
# Earlier patient messages that make a bare number a temperature, a pain score or a glucose.
_TEMPERATURE_TALK = re.compile(r"\b(?:febre|febril|quente|calafrio\w*|tremend\w*|termometro|temperatura)\b")
_PAIN_TALK = re.compile(r"\b(?:dor|dores|doi|doendo|doem|dolorid\w*|colica\w*)\b")
_GLUCOSE_TALK = re.compile(r"\b(?:glicose|glicemia|glicosimetro|insulina|diabet\w*|hipoglicemia|acucar)\b")
# The patient's own talk of measuring oxygen: "mandou medir o oxigênio no aparelhinho de dedo"
# (held-recall2; oxygen alone may be a cylinder, "o oxigênio acabou").
_SATURATION_TALK = re.compile(
    r"\b(?:oximetro|saturacao|saturando|oxigenacao|(?:medir|medi|mediu|medindo|medimos)\s+(?:o\s+|a\s+)?"
    r"(?:oxigenio|saturacao)|aparelh\w*\s+(?:de|do|no)\s+dedo)\b"
)


@dataclass(frozen=True)
class Turn:
    role: str
    content: str


@dataclass(frozen=True)
class Reading:
    """How a message was read: the text the rules see and why."""

    text: str
    kind: str | None = None  # the question kind (`QuestionKind`), "correcao" or "contexto"
    question: str | None = None
    answer: str | None = None  # how the answer was read: "sim", "nao", "numero 9", "continua", ...
    context: str | None = None  # the earlier patient message the reading leans on

    def explain(self) -> dict[str, str | None]:
        return {
            "tipo_pergunta": self.kind,
            "pergunta": self.question,
            "resposta": self.answer,
            "contexto": self.context,
            "lida_como": self.text,
        }


def last_question(history: Sequence[Turn]) -> str | None:
    """The question sentences of the care team's last turn, if that turn asked anything."""
    for turn in reversed(history):
        if turn.role == "patient":
            continue
        questions = [q.strip() for q in _SENTENCE.findall(turn.content) if q.strip(" ?")]
        if not questions:
            questions = [q.strip(" .!") + "?" for q in _REQUEST.findall(turn.content) if q.strip(" .!")]
        return " ".join(questions) or None
    return None


def _earlier_patient(history: Sequence[Turn], limit: int = 3) -> list[str]:
    """The patient's last messages since the care team's last turn, then before it (newest first)."""
    out = [fold(t.content) for t in reversed(history) if t.role == "patient"]
    return out[:limit]


def _number_reading(kind: QuestionKind, answer: Answer) -> str | None:
    """The statement a number answers with, for the question kinds that ask for one."""
    if kind is QuestionKind.TEMPERATURE and answer.temperature is not None:
        return f"temperatura {answer.temperature}"
    if kind is QuestionKind.PAIN_SCALE and answer.pain is not None:
        return f"dor nota {answer.pain}"
    if kind is QuestionKind.GLUCOSE and answer.glucose is not None:
        return f"glicemia {answer.glucose}"
    if kind is QuestionKind.GLUCOSE and (meter := _METER_OUT_OF_RANGE.search(answer.rest)):
        return f"glicemia {meter.group(0)}"  # the meter prints HI/LO outside its range
    if kind is QuestionKind.SATURATION and answer.saturation is not None:
        return f"saturacao {answer.saturation}%"
    if kind is QuestionKind.HEART_RATE and answer.heart_rate is not None:
        return f"{answer.heart_rate} bpm"
    if kind is QuestionKind.PRESSURE and answer.pressure is not None:
        return f"pressao {answer.pressure[0]} por {answer.pressure[1]}"
    return None


def _with_context(history: Sequence[Turn], answer: Answer) -> tuple[QuestionKind, str] | None:
    """A bare number after the patient's own talk of fever, pain, glucose or oxygen."""
    for earlier in _earlier_patient(history):
        if _GLUCOSE_TALK.search(earlier) and answer.glucose is not None and answer.temperature is None:
            return QuestionKind.GLUCOSE, earlier
        if _TEMPERATURE_TALK.search(earlier) and answer.temperature is not None:
            return QuestionKind.TEMPERATURE, earlier
        if _PAIN_TALK.search(earlier) and answer.pain is not None:
            return QuestionKind.PAIN_SCALE, earlier
        if _SATURATION_TALK.search(earlier) and answer.saturation is not None:
            return QuestionKind.SATURATION, earlier
    return None


_GREETING = re.compile(
    r"^(?:(?:oi|ola|bom\s+dia|boa\s+tarde|boa\s+noite)\b[\s,.!]*)+(?:(?:doutora?|dra?|enfermeira|moca)\b[\s,.!]*)?"
)


def read(message: str, history: Sequence[Turn]) -> Reading:
    """The message as the rules should read it, given the conversation so far (oldest first)."""
    # Read as the rules read any text: shorthand and spoken spellings ("consigu num", "achu que sim")
    # answer like their written forms.
    folded = spoken_no_text(fix_typos(normalise(message)).text.strip())
    # a greeting before the answer is no part of it: "bom dia doutora, tô sim", "boa tarde, no peito"
    folded = _GREETING.sub("", folded) or folded
    if not folded:
        return Reading(message)
    question = last_question(history)
    answer = read_answer(folded)
    correction = _read_correction(folded, history, question)
    if correction is not None:
        return correction
    kind = classify(question, history) if question else None
    if kind is None or kind is QuestionKind.OTHER:
        if answer.bare_number and (found := _with_context(history, answer)) is not None:
            ctx_kind, earlier = found
            text = _number_reading(ctx_kind, answer)
            if text:
                return Reading(f"{text}. {folded}", "contexto", None, answer.describe(), earlier)
        return Reading(message, kind.value if kind else None, question)
    assert question is not None
    text = _by_kind(kind, question, folded, answer, history)
    if text is None:
        return Reading(message, kind.value, question, answer.describe())
    if (
        answer.temperature is not None
        and kind is not QuestionKind.TEMPERATURE
        and _TEMPERATURE_TALK.search(question)
    ):
        # "Ela ainda está com febre?" "tá sim, 39,6 agora": the number is the fever's reading.
        text = f"temperatura {answer.temperature}. {text}"
    return Reading(text, kind.value, question, answer.describe())


def _by_kind(
    kind: QuestionKind, question: str, folded: str, answer: Answer, history: Sequence[Turn]
) -> str | None:
    rest = answer.rest
    tail = f". {rest}" if rest else ""
    if kind is QuestionKind.COUNT:
        return _count_reading(question, folded, answer, history)
    if kind in MEASURED:
        number = _number_reading(kind, answer)
        return f"{number}. {folded}" if number else None
    if kind is QuestionKind.SELF_HARM:
        if answer.polarity == "nao":
            return "nao penso em acabar com a minha vida" + tail
        if answer.polarity in ("sim", "talvez"):
            if taken_back(folded):  # "às vezes fico triste, mas pensar nisso não"
                return "nao penso em acabar com a minha vida. " + folded
            return "penso em acabar com a minha vida. " + folded
        return None
    if kind is QuestionKind.ORIENTATION:
        # a failed orientation test is acute confusion in the rules' words (s4-recall)
        return (
            f"nao sabe que dia e hoje nem onde esta. {folded}"
            if fails_orientation(folded, answer.polarity)
            else None
        )
    if kind is QuestionKind.ABILITY:
        ability = statement(question, ability=True)
        if ability is None:
            return None
        if answer.polarity == "nao":
            return f"nao consigo {ability}" + tail
        if answer.polarity == "sim":
            return f"consigo {ability}" + tail
        return None
    phrase = statement(question) or _phrase_statement(question, history)
    if phrase is None:
        return None
    if kind is QuestionKind.STOPPED or kind is QuestionKind.STILL:
        ongoing = answer.ongoing
        if ongoing is None and answer.polarity in ("sim", "nao"):
            # "Parou?" "não" goes on; "Ainda sangra?" "sim" goes on.
            ongoing = (answer.polarity == "nao") == (kind is QuestionKind.STOPPED)
        if ongoing is None:
            return None
        return f"{phrase}, continua. {rest or folded}" if ongoing else f"nao {phrase} mais" + tail
    if kind is QuestionKind.TIMING:
        # The bare symptom, so the answer's own tense and dates decide ("desde ontem e não
        # passa" is present, "isso foi em 2019, sumiu" is over).
        bare = symptom_phrase(question) or _earlier_phrase(history)
        return f"{bare}, {folded}" if bare else f"{phrase}, {folded}"
    if kind is QuestionKind.FAMILY_HISTORY:
        if answer.polarity == "sim":
            return f"historico familiar de {symptom_phrase(question) or phrase}" + tail
        return None
    # A yes/no question about a symptom.
    if answer.polarity == "nao":
        return f"nao {phrase}" + tail
    if answer.polarity == "sim" or (answer.polarity == "talvez" and answer.hedge not in _DOUBT):
        extra = ", ".join(w for w in (answer.intensity, rest) if w)
        return f"{phrase}, {extra}" if extra else phrase
    return None


def _count_reading(question: str, folded: str, answer: Answer, history: Sequence[Turn]) -> str | None:
    """ "Quantas vezes vomitou hoje?" "umas sete": seven episodes of what the question counts; the
    toilet counts stools when the question or the patient's earlier talk is about the bowels."""
    if answer.count is None:
        return None
    subject = symptom_phrase(question)
    if subject is None and _TOILET.search(fold(question)):
        bowels = any(_BOWELS.search(t) for t in (fold(question), *_earlier_patient(history)))
        subject = "evacuei" if bowels else None
    return f"{subject} {answer.count} vezes. {folded}" if subject else None


def _earlier_phrase(history: Sequence[Turn]) -> str | None:
    for earlier in _earlier_patient(history):
        phrase = symptom_phrase(earlier)
        if phrase:
            return phrase
    return None


def _phrase_statement(question: str, history: Sequence[Turn]) -> str | None:
    phrase = symptom_phrase(question) or _earlier_phrase(history)
    return f"estou com {phrase}" if phrase else None


def _read_correction(folded: str, history: Sequence[Turn], question: str | None) -> Reading | None:
    """ "na verdade foi em 2019", "não, foi meu marido": read with the statement corrected."""
    if _CORRECTED_YES.match(folded) and (denied := _denied_question(history)) is not None:
        phrase = statement(denied)
        if phrase:
            rest = _LEADING_NO.sub("", folded)
            return Reading(f"{phrase}. {rest}", "correcao", denied, "sim, corrigindo um nao", None)
    if not _CORRECTION.match(folded) and not re.match(r"^(?:nao|n)\s*,\s*(?:foi|era)\b", folded):
        return None
    earlier = _earlier_patient(history, limit=1)
    if _CORRECTION_OTHER.search(folded):
        # The writer says it was not them: a self-focus cue for the experiencer rules.
        return Reading(f"nao fui eu. {folded}", "correcao", question, "outra pessoa", None)
    if earlier and _CORRECTION_TIME.search(folded):
        return Reading(f"{earlier[0]}, {folded}", "correcao", question, "quando", earlier[0])
    return None


def _denied_question(history: Sequence[Turn]) -> str | None:
    """The latest care-team question the patient answered with a bare "não"."""
    for i in range(len(history) - 2, -1, -1):
        turn, reply = history[i], history[i + 1]
        if turn.role == "patient" or reply.role != "patient":
            continue
        if read_answer(fold(reply.content).strip()).polarity != "nao":
            continue
        question = last_question(history[: i + 1])
        if question:
            return question
    return None


def contextualize(message: str, history: Sequence[Turn]) -> str:
    """The text of `read` (kept for callers that need only the text)."""
    return read(message, history).text
