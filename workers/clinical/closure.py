"""A past episode dated by "foi" and closed by a present denial (docs/clinical-engine.md, "Closing
set s4c: false alarms (branch s4c-spec)"): "aquele sangue nas fezes foi há três semanas ..., agora o
intestino tá normal e sem sangue", "a falta de ar foi no mês passado, hoje respiro normal".

`assertion.episode_over` lets a HIGH complaint close with "foi" and a past date alone; a CRITICAL one
(and a temperature) here also needs "hoje/agora" with "sem ...", "normal" or "não ... mais" after it, or
a freedom that has lasted days ("tô sem febre faz cinco dias", "desde segunda tá sem febre"), and nothing that
says it goes on ("voltou", "de novo", "ainda"): "foi há três semanas e agora voltou" counts.
"""

from __future__ import annotations

import re

from .episode_times import FREE_FOR_DAYS, PAST_ANCHOR, STILL_NOW, WAS_AT
from .routine import masked

# "foi" right after the mention, its subject: "o sangue nas fezes foi há três semanas", "a falta de ar
# que eu tive foi no mês passado", "a febre de 39 foi semana passada"; never across another clause
# ("febre hoje e a diarreia foi ...").
_DATED_AFTER = re.compile(r"(?:\s+(?!(?:e|mas|porem|ai)\b)[a-z]+){0,4}?\s+" + WAS_AT)

_NOW_CLEAR = re.compile(
    r"\b(?:hoje|hj|agora|atualmente)\b[^.;!?\n]{0,45}?\b(?:sem\s+(?:sangue|sangramento|febre|dor|nada|falta\s+de\s+ar|"
    r"sintomas?|crise)|normal|normalizad[oa]|nao\s+(?:tenho|tem|teve|tive|sinto|sai|saiu|apareceu|voltou)\s+mais|"
    r"(?:respiro|respirando)\s+(?:bem|normal))\b|"
    # free of it for days, or since a later day: "tô sem febre faz 5 dias", "desde segunda tá sem febre"
    r"\b(?:" + FREE_FOR_DAYS + r")\b"
)


def dated_then_clear(text: str, start: int, end: int, sentence_end: int, reading: bool = False) -> bool:
    """The mention is dated in the past by the "foi" right after it, and a later "now" denies it. A
    `reading` (a temperature) is a value of its moment: dated in the past, it needs no denial, only
    nothing that says it goes on ("a febre de 39 foi semana passada", never "... foi ontem")."""
    if text.find("foi", end, end + 40) < 0:
        return False  # the common case, without a regex
    dated = _DATED_AFTER.match(text, end)
    if dated is None or not PAST_ANCHOR.search(masked(text[dated.start() : dated.end() + 40])):
        return False
    tail = text[end : min(len(text), sentence_end + 120)]
    return (reading or bool(_NOW_CLEAR.search(tail))) and not STILL_NOW.search(masked(tail))


_SENTENCE_STOP = re.compile(r"[.;!?\n]")
# "Tive uma convulsão em 1998. Hoje tive outra": the next sentence says the old episode came back.
_TOLD_AGAIN = r"(?:tive|teve|deu|veio|aconteceu|tivemos)\s+(?:outr[oa]|de\s+novo|novamente|outra\s+vez)"
_RECURRED = re.compile(
    r"\b(?:" + _TOLD_AGAIN + r"|"
    r"(?<!nao\s)(?<!mais\s)(?:voltou|voltaram|repetiu)|de\s+novo|outra\s+vez|novamente)\b"
)
# ... or the rest of its own sentence, by a verb of having told again: "minha última convulsão foi
# há 8 anos, mas essa noite tive outra" (not "hoje tô grávida de novo": the pregnancy repeats).
# ... or the episode taken up again by a pointer (held-spec-who2): "tive ideação suicida em 2020 e esses
# pensamentos voltaram", "..., mas hoje tô com esses pensamentos de novo" (never "voltou ao normal").
_TOLD_AGAIN_RE = re.compile(
    r"\b(?:"
    + _TOLD_AGAIN
    + r"|(?:esses?|essas?|aqueles?|aquelas?|isso)\s+(?:[a-z]+\s+){0,2}?(?:(?<!nao\s)(?<!mais\s)"
    r"(?:voltou|voltaram)(?!\s+(?:a|ao|pra|para)\b)|de\s+novo|novamente|outra\s+vez))\b"
)


def recurred_next(text: str, clause_end: int, mention_end: int | None = None) -> bool:
    """The sentence after the one ending at `clause_end` tells the episode again, or the rest of
    the mention's own sentence (after `mention_end`) tells another one."""
    if mention_end is not None and _TOLD_AGAIN_RE.search(text, mention_end, clause_end):
        return True
    start = clause_end + 1
    stop = _SENTENCE_STOP.search(text, start, start + 200)
    return bool(_RECURRED.search(text, start, stop.start() if stop else min(len(text), start + 200)))
