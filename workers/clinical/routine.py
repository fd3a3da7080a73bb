"""Daily life taken up again, which is no recurrence (docs/clinical-engine.md, "Fourth session").

"A febre passou e já tô comendo arroz com feijão de novo": "de novo" is the eating, not the fever.
The words that say a complaint goes on ("de novo", "novamente", "voltei a") are read after
`masked` blanks a routine activity taken up again, so "já tô trabalhando de novo" closes an episode
as "já tô bem" does, while "a febre voltou de novo" still keeps it.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ACTIVITY = (
    r"(?:com(?:endo|er)|trabalh(?:ando|ar)|and(?:ando|ar)|caminh(?:ando|ar)|dorm(?:indo|ir)|corr(?:endo|er)|"
    r"jog(?:ando|ar)|brinc(?:ando|ar)|estud(?:ando|ar)|cozinh(?:ando|ar)|passe(?:ando|ar)|sa(?:indo|ir)|"
    r"malh(?:ando|ar)|dirig(?:indo|ir)|beb(?:endo|er)|cant(?:ando|ar)|danc(?:ando|ar)|pedal(?:ando|ar)|"
    r"lav(?:ando|ar)|varr(?:endo|er)|cuid(?:ando|ar)\s+d[ao]s?\s+\w+|indo\s+(?:pr[oa]|ao|a|na|no)\s+\w+|"
    r"(?:no|na)\s+(?:trabalho|servico|escola|roca|academia|igreja|culto))"
)
# The words that say it goes on, found first; the activity is then looked for only around them.
_AGAIN = re.compile(r"\b(?:de\s+novo|novamente|normal(?:mente)?|(?:voltei|voltou|comecei|comecou)\s+a)\b")
_ACTIVITY_BEFORE = re.compile(
    r"\b(?:(?:ja\s+)?(?:to|tou|estou|ando|ta|esta|fico|consigo)\s+)?"
    + _ACTIVITY
    + r"\b(?:\s+[a-z]+){0,5}?\s+$"
)
_ACTIVITY_AFTER = re.compile(r"\s+" + _ACTIVITY + r"\b")


@lru_cache(maxsize=512)
def masked(sentence: str) -> str:
    """`sentence` with the "again" of every routine taken up again blanked (the same length, so
    offsets hold; the activity itself stays, "hoje tô comendo" is still a statement of today).
    Cached: the mentions of one sentence ask about it in turn."""
    if (
        "novo" not in sentence
        and "novamente" not in sentence
        and "normal" not in sentence
        and ("volt" not in sentence and "comec" not in sentence)
    ):
        return sentence  # the common case, without a regex
    spans = []
    for m in _AGAIN.finditer(sentence):
        if m.group(0)[-1] == "a":  # "voltei a trabalhar"
            after = _ACTIVITY_AFTER.match(sentence, m.end())
            if after is not None:
                spans.append(m.span())
            continue
        before = _ACTIVITY_BEFORE.search(sentence, max(0, m.start() - 60), m.start())
        if before is not None:
            spans.append(m.span())
    if not spans:
        return sentence
    out = list(sentence)
    for a, b in spans:
        out[a:b] = " " * (b - a)
    return "".join(out)
