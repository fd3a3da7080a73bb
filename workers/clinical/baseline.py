"""A long-standing state told as unchanged: "a demência dela é de anos, pergunta pelo meu pai que já
morreu, nada diferente de antes". Confusion is an alert because it is new; the same words said of a
dementia the family calls unchanged are its baseline (docs/clinical-engine.md, "s7-recall-lay").
A word of change anywhere near ("desde o almoço", "de repente", "piorou", "nunca foi assim") keeps
the alert: recall first.
"""

from __future__ import annotations

import re

from .prefilter import may_match

# Codes whose baseline may be a chronic state the family already knows.
CHRONIC_STATES = frozenset({"confusao_mental"})
_NEAR = 240  # characters either side of the mention

_UNCHANGED = re.compile(
    r"\b(?:igual\s+(?:a\s+)?(?:sempre|de\s+sempre|antes)|(?:do\s+|no\s+)?mesmo\s+jeito|como\s+sempre|de\s+sempre|"
    r"nada\s+(?:de\s+)?(?:novo|diferente)|sem\s+(?:nenhuma\s+)?(?:mudanca|novidade)|(?:sempre\s+foi|e\s+sempre)\s+assim|"
    r"nao\s+mudou\s+nada|continua\s+(?:igual|a\s+mesma|o\s+mesmo)|(?:faz|ha)\s+(?:\w+\s+)?anos\s+(?:que\s+)?(?:e|esta|ta)\s+assim)\b"
)
_CHANGE = re.compile(
    r"\b(?:de\s+repente|do\s+nada|desde\s+(?:ontem|anteontem|hoje|cedo|o\s+almoco|a\s+noite|de\s+manha|de\s+tarde|"
    r"a\s+hora|que\s+acordou)|comec(?:ou|aram)|pior(?:ou|ando|a)|(?<!nao\s)mudou|nunca\s+foi\s+assim|"
    r"antes\s+(?:ela|ele)\s+(?:reconhecia|sabia|conhecia|falava|lembrava)|ficou\s+assim|(?<!nada\s)diferente\s+d[eo])\b"
)


def unchanged_baseline(text: str, start: int, end: int) -> bool:
    """Near the mention the writer says the state is as it always was, and nothing says it changed."""
    near = text[max(0, start - _NEAR) : end + _NEAR]
    if not may_match(_UNCHANGED, near) or not _UNCHANGED.search(near):
        return False
    return not _CHANGE.search(near)
