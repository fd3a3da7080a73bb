"""Reading a short answer against the question it answers (SPEC §9, conversation context).

On WhatsApp a patient answers the agent's question with "sim, bastante" or "não": on its own such
a message names no symptom. `contextualize` rewrites it into the patient's own statement of the
question before the rules run, so the engine (unchanged) sees a plain first-person sentence:

    agent "Você está com falta de ar?"  + "sim, bastante" → "estou com falta de ar, bastante"
    agent "Você está com falta de ar?"  + "não"           → "não estou com falta de ar"

A message that is not a short yes/no answer, or that follows no question, is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .text import fold

# A reply longer than this is a message of its own, not an answer to the last question.
MAX_ANSWER_WORDS = 8

_YES = re.compile(
    r"^(?:sim|s|ss|isso|aham|uhum|claro|com certeza|certeza|exato|bastante|muito|muita|"
    r"um pouco|demais)\b[\s,.!;:-]*"
    # "tô", "tenho", "tive" answer yes only on their own ("tô sim", "tenho, bastante"): in
    # "estou melhor" the verb starts a statement of its own.
    r"|^(?:estou|to|tou|tenho|tive|senti|sinto)(?:\s+sim)?[\s,.!]*(?=$|bastante|muito|muita|um pouco)"
)
_NO = re.compile(r"^(?:nao|n|nunca|nada|nenhum|nenhuma|negativo|de jeito nenhum)\b[\s,.!;:-]*")
# What the agent asks about, from "Você está com falta de ar?" to "Tem sentido dor no peito?".
_LEAD = re.compile(
    r"^(?:e\s+)?(?:(?:voce|vc|o senhor|a senhora|o sr|a sra)\s+)?"
    r"(?:(?:ainda|tambem|agora|hoje)\s+)?"
    r"(?P<verb>esta sentindo|tem sentido|tem tido|esta tendo|esta com|esta|tem|teve|sente|sentiu|"
    r"apresenta|apresentou|notou|percebeu)\s+"
)
_FIRST_PERSON = {
    "esta sentindo": "estou sentindo",
    "tem sentido": "tenho sentido",
    "tem tido": "tenho tido",
    "esta tendo": "estou tendo",
    "esta com": "estou com",
    "esta": "estou",
    "tem": "tenho",
    "teve": "tive",
    "sente": "sinto",
    "sentiu": "senti",
    "apresenta": "tenho",
    "apresentou": "tive",
    "notou": "notei",
    "percebeu": "percebi",
}
_SENTENCE = re.compile(r"[^.?!\n]*\?")


@dataclass(frozen=True)
class Turn:
    role: str
    content: str


def last_question(history: Sequence[Turn]) -> str | None:
    """The question sentences of the care team's last turn, if that turn asked anything."""
    for turn in reversed(history):
        if turn.role == "patient":
            continue
        questions = [q.strip() for q in _SENTENCE.findall(turn.content) if q.strip(" ?")]
        return " ".join(questions) or None
    return None


def _statement(question: str) -> str | None:
    """'Você está com falta de ar?' → 'estou com falta de ar' (folded: no accents, lower case)."""
    parts = []
    for sentence in _SENTENCE.findall(question):
        folded = fold(sentence).strip(" ?¿")
        match = _LEAD.match(folded)
        if match is None:
            continue
        parts.append(f"{_FIRST_PERSON[match.group('verb')]} {folded[match.end() :].strip()}")
    return ", ".join(parts) or None


def contextualize(message: str, history: Sequence[Turn]) -> str:
    """The message as the rules should read it, given the conversation so far (oldest first)."""
    folded = fold(message).strip()
    if not folded or len(folded.split()) > MAX_ANSWER_WORDS:
        return message
    question = last_question(history)
    statement = _statement(question) if question else None
    if statement is None:
        return message
    if (no := _NO.match(folded)) is not None:
        rest = folded[no.end() :].strip()
        return f"nao {statement}" + (f". {rest}" if rest else "")
    if (yes := _YES.match(folded)) is not None:
        rest = folded[yes.end() :].strip()
        intensity = folded[: yes.end()].strip(" ,.!;:-")
        extra = [w for w in (intensity if intensity in ("bastante", "muito", "muita") else "", rest) if w]
        return ", ".join([statement, *extra])
    return message
