"""Where a message changes topic: "esqueci de falar", "outra coisa", "enfim". A message may be one
sentence that holds an errand and a complaint ("queria vaga pro dentista ... e ah esqueci de falar tô
com a fala enrolada ... enfim o dentista tem vaga quando"): the complaint is its own statement, never
part of the errand's question, and an excuse found in the errand (the dentist's anaesthetic) does not
explain it (docs/clinical-engine.md, "s7-recall-lay").
"""

from __future__ import annotations

import re

from .prefilter import may_match
from .text import Normalised, rewrite

# Said when the writer turns to something else; "enfim" with its comma ("enfim, ...") or before a new
# errand: alone it may be "finally" ("enfim passou a dor"), so it narrows excuses only (`topic_of`).
_SHIFT_WORDS = (
    r"esqueci\s+de\s+(?:falar|dizer|contar|avisar|mencionar|perguntar)|outra\s+coisa|mudando\s+de\s+assunto|"
    r"a\s+proposito|voltando\s+ao\s+assunto|aproveitando\s+(?:a\s+mensagem|o\s+contato)"
)
_SHIFT = re.compile(r"\b(?:" + _SHIFT_WORDS + r"|enfim|alias)\b")
_STOP = re.compile(r"\b(?:" + _SHIFT_WORDS + r"|enfim(?=\s*,))\b")
_MARK_BEFORE = re.compile(r"[.;:!?\n]\s*$")


def topic_of(text: str, a: int, b: int, start: int, end: int) -> tuple[int, int]:
    """The part of the sentence text[a:b] around the mention text[start:end] between topic shifts."""
    if not may_match(_SHIFT, text[a:b]):
        return a, b
    for m in _SHIFT.finditer(text, a, b):
        if m.end() <= start:
            a = m.end()
        elif m.start() >= end:
            return a, m.start()
    return a, b


def topic_stops(norm: Normalised) -> Normalised:
    """A sentence end written before each topic shift (a comma there becomes the full stop)."""
    text = norm.text
    if not may_match(_STOP, text):
        return norm
    edits: list[tuple[int, int, str]] = []
    for m in _STOP.finditer(text):
        before = text[: m.start()].rstrip()
        if not before or _MARK_BEFORE.search(before):
            continue
        if before.endswith(","):
            edits.append((len(before) - 1, len(before), "."))
        else:
            edits.append((len(before), len(before), "."))
    return rewrite(norm, edits)
