"""Text cues of a symptom getting worse, and how strong each symptom is said to be.

Two readings for `SYMPTOM_WORSENING` (docs/agent-message.md, "Worsening and score changes"):

- `worsening_cues(text)`: the patient says a symptom is getting worse ("piorou muito", "cada vez
  pior", "agora tá pior que ontem", "a tosse está aumentando"), not under a negation ("não
  piorou"), a condition ("se piorar") or a later improvement ("piorou mas já melhorou"). Each cue
  names the symptom of its clause when there is one; `symptom=None` when the clause names none
  (the caller then looks at the conversation).
- `intensities(text)`: per symptom, the strongest level stated (1 mild … 4 unbearable), so an
  earlier "um pouco de tosse" and a later "tosse muito forte" read as the same symptom, now
  stronger.

Symptoms here are lay groups ("dor", "tosse", "falta_de_ar"), not engine findings; `COVERS`
maps each to the engine's finding codes so a caller can leave alone a symptom the engine already
rates CRITICAL. Pure functions over the folded text (`text.fold`); no state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import fold

# Lay symptom groups: (code, label, pattern over folded text).
SYMPTOMS: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (code, label, re.compile(pattern))
    for code, label, pattern in (
        ("falta_de_ar", "falta de ar", r"\bfalta\s+de\s+ar\b|\bsem\s+ar\b|\bdispneia\b|\bfolego\b"),
        ("dor", "dor", r"\bdor(?:es|zinha)?\b|\bdoendo\b|\bdoi\b|\bdoem\b|\bdolorid\w*|\bcolica\w*"),
        ("febre", "febre", r"\bfebre\w*|\bfebril\b|\btemperatura\b"),
        ("vomitos", "vômitos/enjoo", r"\bv[ou]mit\w*|\benjo\w*|\bnausea\w*|\bansia\b"),
        ("diarreia", "diarreia", r"\bdiarreia\w*|\bintestino\s+solto\b|\bcaganeira\b"),
        ("tosse", "tosse", r"\btosse\w*|\btossindo\b"),
        ("sangramento", "sangramento", r"\bsangr\w*|\bsangue\b"),
        ("tontura", "tontura", r"\btontur\w*|\btont[oa]\b|\bvertigem\b"),
        ("fraqueza", "fraqueza/cansaço", r"\bfraquez\w*|\bcansac\w*|\bfadiga\b|\bfrac[oa]\b|\bcansad[oa]\b"),
        ("inchaco", "inchaço", r"\bincha\w*|\bedema\w*"),
        ("ferida", "ferida", r"\bferid\w*|\bferimento\w*|\bmachucad\w*|\bpontos\b|\bcicatriz\w*"),
        ("dor_de_cabeca", "dor de cabeça", r"\bcefaleia\b|\benxaqueca\b"),
        ("manchas", "manchas/vermelhidão", r"\bmanchas?\b|\bvermelh\w*|\bbolhas?\b"),
    )
)
LABELS = {code: label for code, label, _ in SYMPTOMS}

# Engine finding codes each lay group can stand for (workers.clinical.lexicon / clinico).
COVERS: dict[str, frozenset[str]] = {
    "falta_de_ar": frozenset({"dispneia", "cianose"}),
    "dor": frozenset({"dor_intensa", "dor_toracica", "sindrome_coronariana"}),
    "febre": frozenset({"febre_alta", "febre_oncologica", "febre_sem_medicao"}),
    "vomitos": frozenset({"vomitos_persistentes", "hematemese"}),
    "diarreia": frozenset({"diarreia_grave", "melena"}),
    "tosse": frozenset({"hemoptise"}),
    "sangramento": frozenset({"sangramento", "hematemese", "melena", "hemoptise"}),
    "tontura": frozenset({"sincope"}),
    "dor_de_cabeca": frozenset({"dor_intensa", "sinais_avc"}),
}

# A cue strong enough on its own ("piorou"), or one that needs a symptom in its clause
# ("aumentou" alone may be a dose or a price).
_STRONG = re.compile(
    r"\bpior(?:ou|ando|aram|ei|ado|ada)\b"
    r"|\b(?:cada\s+vez|bem|muito|mt|ta|to|tou|esta|estou|fic\w+|so|ainda|agora|mais)\s+pior\b"
    r"|\bpior\s+(?:que|do\s+que|q)\s+(?:ontem|antes|hoje|ante\s*ontem|de\s+manha|a\s+noite|semana)"
    r"|\bso\s+(?:piora|aumenta)\b|\bnao\s+para\s+de\s+(?:piorar|aumentar)\b"
)
_WEAK = re.compile(
    r"\baument(?:ou|ando|aram)\b|\bmais\s+(?:forte|intens[oa]|frequente|vezes)\b"
    r"|\bcada\s+vez\s+mais\b|\bpiora\b|\bpiorar\b"
)
# Before the cue in its clause: negation or condition ("não piorou", "se piorar", "caso piore").
_BLOCK_BEFORE = re.compile(
    r"\b(?:nao|nem|nada|nunca|sem|se|caso|quando|sempre\s+que|senao|evitar|para\s+nao|pra\s+nao)\b"
    r"(?:\s+\S+){0,3}\s*$"
)
# After the cue in its sentence: the worsening is over ("piorou mas já melhorou").
_RESOLVED_AFTER = re.compile(r"\b(?:melhor(?:ou|ando|ei)|passou|ja\s+esta\s+melhor|normalizou)\b")
_SENTENCES = re.compile(r"[^.!?;\n]+[.!?;\n]?")
_CLAUSE_SPLIT = re.compile(r",|\bmas\b|\bporem\b|\be\s+(?=a\s|o\s)")

_LEVEL_WORDS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (4, re.compile(r"\binsuportave\w*|\bhorrive\w*|\babsurd\w*|\bnao\s+aguento\b|\bdesesper\w*")),
    (3, re.compile(r"\bfortes?\b|\bmuit[oa]s?\b|\bbastante\b|\bintens[oa]s?\b|\bdemais\b|\bpra\s+caramba\b")),
    (1, re.compile(r"\bleve\w*|\bpouc[oa]\b|\bpouquinho\b|\bfraquinh\w*|\blevinh\w*|\bdiscret\w*")),
)
_NEGATED = re.compile(r"\b(?:sem|nao|nenhum\w*|nem|nega)\b(?:\s+\S+){0,3}\s*$")
_NEAR_WORDS = 4


@dataclass(frozen=True)
class Cue:
    symptom: str | None
    excerpt: str
    sentence: str


def _symptom_in(clause: str) -> str | None:
    best: tuple[int, str] | None = None
    for code, _label, pattern in SYMPTOMS:
        m = pattern.search(clause)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), code)
    return best[1] if best else None


def symptoms_in(text: str) -> list[str]:
    """Lay symptom groups named anywhere in `text`, in order of first mention."""
    folded = fold(text)
    found = [(m.start(), code) for code, _label, p in SYMPTOMS if (m := p.search(folded))]
    return [code for _, code in sorted(found)]


def worsening_cues(text: str) -> list[Cue]:
    """Statements that a symptom is getting worse, one per symptom (None: unnamed)."""
    out: dict[str | None, Cue] = {}
    for sentence in _SENTENCES.findall(fold(text)):
        for pattern, needs_symptom in ((_STRONG, False), (_WEAK, True)):
            for m in pattern.finditer(sentence):
                before = sentence[: m.start()]
                if _BLOCK_BEFORE.search(before) or _RESOLVED_AFTER.search(sentence[m.end() :]):
                    continue
                clause = _clause_around(sentence, m.start(), m.end())
                symptom = _symptom_in(clause)
                if symptom is None and needs_symptom:
                    continue
                out.setdefault(symptom, Cue(symptom, m.group(0), sentence.strip()))
    return list(out.values())


def _clause_around(sentence: str, start: int, end: int) -> str:
    cuts = [0, *(m.end() for m in _CLAUSE_SPLIT.finditer(sentence)), len(sentence)]
    left = max(c for c in cuts if c <= start)
    right = min((c for c in cuts if c >= end), default=len(sentence))
    return sentence[left:right]


def intensities(text: str) -> dict[str, int]:
    """Per lay symptom stated as present, its strongest level: 1 mild, 2 stated, 3 strong,
    4 unbearable. A qualifier counts within a few words of the symptom, in its clause."""
    folded = fold(text)
    levels: dict[str, int] = {}
    for code, _label, pattern in SYMPTOMS:
        for m in pattern.finditer(folded):
            if _NEGATED.search(folded[: m.start()]):
                continue
            window = _words_around(folded, m.start(), m.end())
            level = next((lvl for lvl, word in _LEVEL_WORDS if word.search(window)), 2)
            levels[code] = max(levels.get(code, 0), level)
    return levels


def _words_around(folded: str, start: int, end: int) -> str:
    before = folded[:start].split()[-_NEAR_WORDS:]
    after = folded[end:].split()[:_NEAR_WORDS]
    text = " ".join([*before, folded[start:end], *after])
    # Stop at a clause boundary: "pouca tosse, mas muita dor" keeps each level to its symptom.
    parts = re.split(r"[,.;!?]|\bmas\b", text)
    here = folded[start:end]
    return next((p for p in parts if here in p), text)
