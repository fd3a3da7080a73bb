"""What the care team's last question asks, so the answer can be read by its kind.

`classify` sorts a question (folded, all of the turn's question sentences) into one
`QuestionKind`; `statement` turns a yes/no question into the patient's first-person statement
("Você está com falta de ar?" → "estou com falta de ar"), or an ability question into its verb
phrase ("Consegue beber água?" → "beber agua"); `symptom_phrase` finds the symptom a question (or
an earlier message) talks about with the engine's own lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from functools import lru_cache
from typing import Protocol

from . import lexicon as lx
from .negation import Mode
from .symptoms import scan_text
from .text import fold


class QuestionKind(StrEnum):
    SELF_HARM = "autoagressao"
    FAMILY_HISTORY = "historico_familiar"
    PAIN_SCALE = "escala_dor"
    GLUCOSE = "glicemia"
    PRESSURE = "pressao"
    SATURATION = "saturacao"
    HEART_RATE = "frequencia_cardiaca"
    COUNT = "contagem"  # "Quantas vezes vomitou hoje?"
    TEMPERATURE = "temperatura"
    STOPPED = "parou"  # "Já parou?", "Conseguiu estancar?"
    STILL = "continua"  # "Ainda está sangrando?"
    ABILITY = "capacidade"  # "Consegue beber água?"
    TIMING = "tempo"  # "Desde quando?"
    ORIENTATION = "orientacao"  # "Ela sabe dizer que dia é hoje e onde está?"
    SYMPTOM = "sim_nao"  # "Você está com falta de ar?"
    OTHER = "outra"


# The kinds answered by a reading: a number in the answer is that measure.
MEASURED = frozenset(
    {
        QuestionKind.TEMPERATURE,
        QuestionKind.PAIN_SCALE,
        QuestionKind.GLUCOSE,
        QuestionKind.SATURATION,
        QuestionKind.PRESSURE,
        QuestionKind.HEART_RATE,
    }
)


class _HasContent(Protocol):
    @property
    def role(self) -> str: ...
    @property
    def content(self) -> str: ...


_SELF_HARM = re.compile(
    r"\b(?:se\s+machucar|se\s+ferir|se\s+cortar|se\s+matar|(?:tirar|acabar\s+com)\s+(?:a\s+)?(?:sua\s+|propria\s+)*"
    r"(?:propria\s+)?vida|suicid\w*|morrer|morte|fazer\s+mal\s+a\s+(?:si|voce)|nao\s+quer\w*\s+(?:mais\s+)?viver|"
    r"sumir\s+(?:de\s+vez|para\s+sempre|pra\s+sempre))"
)
# An orientation test: knowing the day, year or place, or who is who. Never "onde está doendo?" nor
# "que dia é a consulta?".
_ORIENTATION = re.compile(
    r"\b(?:sab\w*|consegu\w*\s+(?:dizer|falar|responder)|lembr\w*|diz|disse|falou|respond\w*)\s+(?:\w+\s+){0,2}?"
    r"(?:(?:que|qual|em\s+que)\s+(?:dia|ano|mes|data|cidade|lugar)\s+(?:e|eh|estamos|esta|ta)\b(?!\s+(?:a|o|as|os)\s)|"
    r"onde\s+(?:(?:ela|ele|voce|a\s+senhora|o\s+senhor)\s+)?(?:esta|ta|se\s+encontra)\b"
    r"(?!\s+(?:doendo|a\s+dor|sangrando|inchad\w*|machucad\w*|o\s+remedio|a\s+receita))|quem\s+(?:e|sou|somos)\b)"
)
_FAMILY = re.compile(
    r"\b(?:familia|familiar(?:es)?|parentes?|seus\s+pais|pai\s+ou\s+(?:sua\s+)?mae|hereditari\w*)\b"
)
_PAIN_SCALE = re.compile(
    r"\b(?:de\s+(?:0|zero|1|um)\s+a\s+(?:10|dez)|escala|que\s+nota|qual\s+(?:a\s+)?nota|nota\s+(?:da|de|pra|para)\s+"
    r"(?:sua\s+|essa\s+)?dor|quanto\s+(?:esta|ta)\s+doendo|intensidade\s+da\s+dor|quao\s+forte)"
)
_GLUCOSE = re.compile(r"\b(?:glicosimetro|glicemia|glicose|dextro|hgt|acucar|diabete\w*)\b")
_PRESSURE = re.compile(r"\b(?:pressao|aparelho\s+de\s+pressao)\b")
_SATURATION = re.compile(r"\b(?:oximetro|saturacao|saturando|oxigenacao)\b")
_COUNT = re.compile(r"\bquantas\s+vezes\b")
_HEART_RATE = re.compile(r"\b(?:batimentos?|batidas|frequencia\s+cardiaca|pulso|bpm|relogio|smartwatch)\b")
_TEMPERATURE = re.compile(
    r"\b(?:termometro|temperatura|quantos\s+graus|febre\b[^?]{0,30}\b(?:quanto|mediu|medir|deu|marcou)|"
    r"(?:quanto|qual)\s+(?:\w+\s+){0,3}febre)"
)
# A reading is asked for, not just named ("com a pressão no local" is first aid).
_ASKS_VALUE = re.compile(
    r"\b(?:quanto|qual|quais|mede|medir|mediu|medida|medicao|valor|deu|marcou|mostrou|numero|aferi\w*|"
    r"verific\w*|confer\w*|olha|ve)\b"
)
_HOW_MUCH = re.compile(r"\bquanto\s+(?:deu|marcou|esta|ta|mostrou)\b")
_FEVER_TALK = re.compile(r"\b(?:febre|febril|quente|calafrio\w*|tremend\w*|termometro)\b")
_STOPPED = re.compile(
    # every verb of improvement: "a febre baixou?", "o inchaço desinchou?", "sarou?" (a yes: it is gone)
    r"\b(?:parou|parar|estancou|estancar|cessou|aliviou|sumiu|acabou|melhorou|diminuiu|reduziu|cedeu|baixou|"
    r"abaixou|normalizou|sarou|secou|desinchou|curou|amenizou|foi\s+embora|"
    r"passou(?!\s+(?:a\s+noite|o\s+dia|a\s+manha|a\s+tarde|bem|mal|pela)))\b"
)
_STILL = re.compile(r"\b(?:ainda|continua|segue|persiste)\b")
_ABILITY = re.compile(
    r"\b(?:consegue|conseguiu|esta\s+conseguindo|ta\s+conseguindo|tem\s+conseguido|da\s+(?:pra|para))\s+"
    r"(?P<what>[a-z][^?]*)"
)
_TIMING = re.compile(
    r"\b(?:desde\s+quando|quando\s+(?:(?:isso\s+|ela\s+|ele\s+|a\s+dor\s+)?(?:comecou|foi|aconteceu|iniciou|"
    r"surgiu|apareceu))|(?:comecou|aconteceu|iniciou|surgiu|apareceu)\s+(?:a\s+que\s+horas|quando)|(?:ha|faz)\s+quanto\s+tempo|quanto\s+tempo\s+(?:faz|tem|ha)|que\s+horas?\s+(?:comecou|foi))"
)
_STANCH = re.compile(r"\b(?:estanc\w*|sangue|sangr\w*|hemorragi\w*)")
_WITH_SOMEONE = re.compile(r"\s+com\s+(?:voce|a\s+gente|ninguem|a\s+senhora|o\s+senhor)$")
_OPEN = re.compile(r"^\s*(?:como|o\s+que|qual|quais|onde|por\s*que|em\s+que)\b")
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


def _sentences(question: str) -> list[str]:
    return [fold(s).strip(" ?¿") for s in _SENTENCE.findall(question)] or [fold(question).strip(" ?¿")]


def classify(question: str, history: Sequence[_HasContent] = ()) -> QuestionKind:
    sentences = _sentences(question)
    q = " ".join(sentences)
    last = sentences[-1]
    if _SELF_HARM.search(q):
        return QuestionKind.SELF_HARM
    if _ORIENTATION.search(q):
        return QuestionKind.ORIENTATION
    if _FAMILY.search(q):
        return QuestionKind.FAMILY_HISTORY
    if _PAIN_SCALE.search(q):
        return QuestionKind.PAIN_SCALE
    if _COUNT.search(q):
        return QuestionKind.COUNT
    for pattern, kind in (
        (_GLUCOSE, QuestionKind.GLUCOSE),
        (_SATURATION, QuestionKind.SATURATION),
        (_PRESSURE, QuestionKind.PRESSURE),
        (_HEART_RATE, QuestionKind.HEART_RATE),
        (_TEMPERATURE, QuestionKind.TEMPERATURE),
    ):
        if pattern.search(q) and (kind is QuestionKind.TEMPERATURE or _ASKS_VALUE.search(q)):
            return kind
    if _HOW_MUCH.search(q) and any(
        t.role == "patient" and _FEVER_TALK.search(fold(t.content)) for t in history[-4:]
    ):
        return QuestionKind.TEMPERATURE
    # The last question sentence decides between "has it stopped?" and "is it still going?".
    for sentence in (last, q):
        if _OPEN.match(sentence):
            continue
        stopped = _STOPPED.search(sentence)
        ability = _ABILITY.search(sentence)
        if stopped and ability and " sem " in sentence[ability.start() : stopped.start()]:
            return QuestionKind.ABILITY  # "consegue falar frases sem parar pra respirar?" (held-recall)
        if stopped:
            return QuestionKind.STOPPED
        if _STILL.search(sentence):
            return QuestionKind.STILL
    if _TIMING.search(q):
        return QuestionKind.TIMING
    if _ABILITY.search(q):
        return QuestionKind.ABILITY
    if statement(question) is not None or (not _OPEN.match(last) and symptom_phrase(q)):
        return QuestionKind.SYMPTOM
    return QuestionKind.OTHER


def statement(question: str, ability: bool = False) -> str | None:
    """'Você está com falta de ar?' → 'estou com falta de ar'; with `ability`, 'Consegue beber
    água?' → 'beber agua' (folded: no accents, lower case)."""
    parts = []
    for sentence in _sentences(question):
        if ability:
            m = _ABILITY.search(sentence)
            if m:
                what = re.sub(r"^(?:voce|vc|o senhor|a senhora)\s+", "", m.group("what"))
                # "consegue falar com você?" asks about speech, not about reaching someone
                what = _WITH_SOMEONE.sub("", what.strip())
                parts.append(what)
            continue
        # A vocative or a lead-in before a comma ("Seu José, o senhor teve febre?").
        for segment in (sentence, *(s.strip() for s in sentence.split(",")[1:])):
            match = _LEAD.match(segment)
            if match is not None:
                parts.append(f"{_FIRST_PERSON[match.group('verb')]} {segment[match.end() :].strip()}")
                break
    return ", ".join(parts) or None


@lru_cache(maxsize=4096)  # the team's questions and the patient's earlier turns come back
def symptom_phrase(text: str) -> str | None:
    """The words of the first symptom the lexicon finds in `text`, whatever their assertion
    ("o sangramento já parou?" → "sangramento")."""
    scan = scan_text(text, Mode.QUEIXA)
    mentions = sorted((*scan.symptoms, *scan.fever_mentions, *scan.severe_pain), key=lambda m: m.start)
    if not mentions:
        # "Conseguiu estancar?": stopping a flow is about bleeding.
        if _STANCH.search(scan.norm.text):
            return "sangramento"
        # Vomiting and diarrhoea alert only with a count or fluids failing, which the answer brings
        # ("E a diarreia, melhorou?" "nada, já foi umas doze vezes").
        for pattern in (lx.DIARRHOEA_MENTION, lx.VOMIT_MENTION):
            found = pattern.search(scan.norm.text)
            if found:
                return found.group(0)
        return None
    m = mentions[0]
    return scan.norm.text[m.start : m.end]
