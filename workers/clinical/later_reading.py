"""An abnormal oxygen saturation or glucose told of a past day, then a normal value now
(docs/clinical-engine.md, "### held-spec"): "a saturação caiu pra 88 no sábado, mas já voltou: hoje
de manhã 94", "anteontem a glicose caiu pra 48 ..., desde então tá entre 110 e 150". The later value
is often a bare number, so it is read here by range; any later bare number still out of range keeps
the earlier reading ("hoje de manhã 94, agora 86").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from .superseded import superseded_scores

if TYPE_CHECKING:
    from .mention import Mention

_BARE = re.compile(r"(?<![\d.,/])\b(\d{2,3})\b(?![.,/]?\d|\s*(?:x|por|/|anos?|dias?|horas?|h|min|kg|mg)\b)")
# (normal range, plausible range) of a later bare value
_RANGES = {"spo2_pct": ((92, 100), (50, 100)), "glicemia_mg_dl": ((70, 250), (20, 600))}
_WINDOW = 160


def supersede_readings(text: str, out: list[Mention], sentence_start: Callable[[int], int]) -> None:
    """Mark an abnormal past SpO2/glucose reading `valor_anterior` when a normal one follows now."""
    for codigo, ((lo, hi), (plo, phi)) in _RANGES.items():
        counted = [m for m in out if m.counts and m.codigo == codigo and m.valor is not None]
        if not counted:
            continue
        normal, abnormal = [], []
        for b in _BARE.finditer(text):
            v = int(b.group(1))
            if lo <= v <= hi:
                normal.append(b.span())
            elif plo <= v <= phi:
                abnormal.append(b.start())
        spans = [(m.start, m.end) for m in counted]
        for k in superseded_scores(text, spans, sentence_start, normal):
            m = counted[k]
            # only a normal later value replaces it; one still out of range keeps it
            out_of_range = m.valor is not None and not (lo <= m.valor <= hi)
            if out_of_range and not any(m.end < a < m.end + _WINDOW for a in abnormal):
                m.motivo = "valor_anterior"
