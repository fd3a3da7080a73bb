"""A CRITICAL complaint that went away with a treatment (docs/clinical-engine.md, "### held-spec").

"a falta de ar passou depois da nebulização", "sumiu depois que o doutor aumentou o diurético",
"melhorou com a bombinha": the relief is tied to what was done, so the episode is over even with
no past date (`assertion.episode_over`). Chest pain and stroke signs never close this way (a pain
that eases with a nitrate is still an emergency); "passou um pouco" stays (`_STILL_NOW`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

_TREATMENT = (
    r"(?:nebuliza\w*|inalac\w*|aerossol|bombinha|remedio|medicac\w*|medicamento|oxigenio|diuretico|furosemida|"
    r"lasix|antibiotico|corticoide|soro|injecao|insulina|dose|ajuste|tratamento|internac\w*|"
    r"aumentou|aumentaram|ajustou|ajustaram|trocou|trocaram|receitou|passou\s+(?:o|a)|deu\s+(?:o|a))"
)
_AFTER_TREATMENT = re.compile(
    r"\b(?:ja\s+)?(?:passou|passaram|sumiu|sumiram|cedeu|parou|pararam|normalizou|foi\s+embora|melhorou)\s+"
    r"(?:(?:na\s+hora|logo|rapido|totalmente|completamente)\s+)?(?:depois|apos|com)\s+"
    r"(?:(?:d[aeo]s?|que|a|o|as|os|uma?)\s+)?(?:\w+\s+){0,4}?" + _TREATMENT + r"\b"
)


def treated(search: Callable[[re.Pattern[str]], re.Match[str] | None]) -> bool:
    """The sentence (read through `search`) says the complaint went away with a treatment."""
    return search(_AFTER_TREATMENT) is not None
