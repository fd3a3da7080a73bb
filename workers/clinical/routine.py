"""Daily life taken up again, which is no recurrence (docs/clinical-engine.md, "Fourth session").

"A febre passou e já tô comendo arroz com feijão de novo": "de novo" is the eating, not the fever.
The words that say a complaint goes on ("de novo", "novamente", "voltei a") are read after
`masked` blanks a routine activity taken up again, so "já tô trabalhando de novo" closes an episode
as "já tô bem" does, while "a febre voltou de novo" still keeps it.
"""

from __future__ import annotations

import re

_ACTIVITY = (
    r"(?:com(?:endo|er)|trabalh(?:ando|ar)|and(?:ando|ar)|caminh(?:ando|ar)|dorm(?:indo|ir)|corr(?:endo|er)|"
    r"jog(?:ando|ar)|brinc(?:ando|ar)|estud(?:ando|ar)|cozinh(?:ando|ar)|passe(?:ando|ar)|sa(?:indo|ir)|"
    r"malh(?:ando|ar)|dirig(?:indo|ir)|beb(?:endo|er)|cant(?:ando|ar)|danc(?:ando|ar)|pedal(?:ando|ar)|"
    r"lav(?:ando|ar)|varr(?:endo|er)|cuid(?:ando|ar)\s+d[ao]s?\s+\w+|indo\s+(?:pr[oa]|ao|a|na|no)\s+\w+|"
    r"(?:no|na)\s+(?:trabalho|servico|escola|roca|academia|igreja|culto))"
)
_ROUTINE_AGAIN = re.compile(
    r"\b(?:(?:ja\s+)?(?:to|tou|estou|ando|ta|esta|fico|consigo)\s+)?"
    + _ACTIVITY
    + r"\b(?:\s+[a-z]+){0,5}?\s+"
    r"(?:de\s+novo|novamente|normal(?:mente)?)\b|\b(?:voltei|voltou|comecei|comecou)\s+a\s+"
    + _ACTIVITY
    + r"\b"
)


def masked(sentence: str) -> str:
    """`sentence` with every routine taken up again blanked (the same length, so offsets hold)."""
    if "novo" not in sentence and "novamente" not in sentence and " a " not in sentence:
        return sentence
    return _ROUTINE_AGAIN.sub(lambda m: " " * len(m.group(0)), sentence)
