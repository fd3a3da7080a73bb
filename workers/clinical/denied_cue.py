"""A lay description whose deciding cue the writer denies (docs/clinical-engine.md, "Fourth session",
"Opening sets' false alarms (branch clin4-spec)").

`concepts` finds a syncope when the sight going dark meets a fall; "a vista escureceu quando levantei,
sentei e voltou tudo, não caí nem apaguei" names the fall only to deny it. What is left is a
transient dimming (presyncope), which the writer says passed. When every fall word of the mention is
negated ("não caí", "nem fui ao chão", "sem cair", "quase caí") and nothing in it says the writer lost
consciousness ("desmaiei", "apaguei", "quando dei por mim", "não lembro"), the syncope is `negado`.
"desmaiei mas não caí" and "escureceu e caí no chão, não apaguei" keep it.
"""

from __future__ import annotations

import re

_FALL = re.compile(
    r"\b(?:cai|caiu|caio|caia|cair|chao|caid[oa]|tombo|desab\w*|despenc\w*|arri(?:ou|ad[oa]))\b"
)
_NEGATED_BEFORE = re.compile(
    r"\b(?:nao|nem|num|sem|nunca|quase)\s+(?:(?:cheguei|chegou|chegamos)\s+a\s+)?(?:(?!(?:mas|porem|e|so|depois)\b)[a-z]+\s+){0,2}?$"
)
_LOST_CONSCIOUSNESS = re.compile(
    r"\b(?:desmai\w*|apag(?:ou|uei|ado|ada|ando)|desacordad\w*|dei\s+(?:por|conta\s+de)\s+mim|a\s+mim|"
    r"a\s+si|lembr\w*|acordei|acordou|abri\s+os\s+olhos|sentidos|consciencia)\b"
)


def _negated(text: str, at: int) -> bool:
    return bool(_NEGATED_BEFORE.search(text, max(0, at - 30), at))


def fall_denied(text: str, start: int, end: int) -> bool:
    """Every fall word of the syncope mention text[start:end] is negated, and no loss of
    consciousness is told in it un-negated."""
    falls = list(_FALL.finditer(text, start, end))
    if not falls or not all(_negated(text, m.start()) for m in falls):
        return False
    return all(_negated(text, m.start()) for m in _LOST_CONSCIOUSNESS.finditer(text, start, end))
