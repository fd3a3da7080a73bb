"""A past episode dated by "foi" and closed by a present denial (docs/clinical-engine.md, "Closing
set s4c: false alarms (branch s4c-spec)"): "aquele sangue nas fezes foi há três semanas ..., agora o
intestino tá normal e sem sangue", "a falta de ar foi no mês passado, hoje respiro normal".

`assertion.episode_over` lets a HIGH complaint close with "foi" and a past date alone; a CRITICAL one
here also needs "hoje/agora" with "sem ...", "normal" or "não ... mais" after it, and nothing that
says it goes on ("voltou", "de novo", "ainda"): "foi há três semanas e agora voltou" counts.
"""

from __future__ import annotations

import re

from .assertion import _PAST_ANCHOR, _STILL_NOW
from .routine import masked

# "foi" right after the mention, its subject: "o sangue nas fezes foi há três semanas", "a falta de ar
# que eu tive foi no mês passado"; never across another clause ("febre hoje e a diarreia foi ...").
_DATED_AFTER = re.compile(
    r"(?:\s+(?!(?:e|mas|porem|ai)\b)[a-z]+){0,4}?\s+foi\s+(?:so\s+|la\s+)?(?:n[oa]|ha|faz|em|durante|antes)\b"
)

_NOW_CLEAR = re.compile(
    r"\b(?:hoje|hj|agora|atualmente)\b[^.;!?\n]{0,45}?\b(?:sem\s+(?:sangue|sangramento|febre|dor|nada|falta\s+de\s+ar|"
    r"sintomas?|crise)|normal|normalizad[oa]|nao\s+(?:tenho|tem|teve|tive|sinto|sai|saiu|apareceu|voltou)\s+mais|"
    r"(?:respiro|respirando)\s+(?:bem|normal))\b"
)


def dated_then_clear(text: str, start: int, end: int, sentence_end: int) -> bool:
    """The mention is dated in the past by the "foi" right after it, and a later "now" denies it."""
    if text.find("foi", end, end + 40) < 0:
        return False  # the common case, without a regex
    dated = _DATED_AFTER.match(text, end)
    if dated is None or not _PAST_ANCHOR.search(masked(text[dated.start() : dated.end() + 40])):
        return False
    tail = text[end : min(len(text), sentence_end + 120)]
    return bool(_NOW_CLEAR.search(tail)) and not _STILL_NOW.search(masked(tail))
