"""A later value replaces an earlier one (docs/clinical-engine.md): "ontem tava 9/10, hoje tá 4",
"no sábado deu 38,2 ... desde domingo tá 36,5". Used by `measures` for pain scores and temperatures.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .episode_times import WEEKDAY

_PAIN_PAST = re.compile(
    r"\b(?:ontem|anteontem|antes|de\s+manha|semana\s+passada|tava|estava|era|chegou\s+a|chegava\s+a|"
    # a farther past (s11b-027): "mês passado minha pressão chegou em 190 por 110 ... agora 12 por 8"
    r"chegou\s+em|mes\s+passado|semana\s+retrasada|(?:ha|faz)\s+(?:uns\s+|umas\s+)?(?:\d+|dois|duas|tres|alguns|algumas)\s+"
    r"(?:dias|semanas|meses)|dias\s+atras|"
    # an hour or so ago (high8): "38,3 há pouco, agora baixou pra 37,2"
    r"ha\s+(?:pouco|(?:uma?|meia|\d+|umas?\s+\d+)\s+(?:hora|horas|minutos?))|mais\s+cedo|de\s+madrugada|"
    # the stay before home: "lá no hospital chegou a 9, agora em casa tá 3"
    r"(?:la\s+)?no\s+hospital|internad[oa]|na\s+internacao|na\s+uti|(?:n[oa]\s+)?(?:" + WEEKDAY + r"))\b"
)
# "hoje", or since a later day: "no sábado deu 38,2 ... desde domingo tá 36,5".
_PAIN_NOW = re.compile(
    r"\b(?:hoje|hj|agora|atualmente|no\s+momento|depois\s+d[oa]|desde\s+(?:ontem|anteontem|entao|(?:o\s+|a\s+)?(?:"
    + WEEKDAY
    + r")))\b"
)

# A later score told as a change from the earlier one: "chegou a 8 de madrugada, com o remédio caiu
# pra 2" (the pain score patterns of `lexicon` read "caiu pra 2" from its verb on).
_CHANGED_TO = re.compile(
    r"(?:subiu|pulou|aumentou|piorou|foi|passou|baixou|diminuiu|caiu|voltou)\s+(?:pra|para|pro|a)\b"
)


# A low score told of now as a bare number ("hoje acordei com 2", "agora tá uns 3"): a later value
# of a score read before (never a count or an age: "hoje com 2 anos", "agora com 3 dias").
LOW_NOW_SCORE = re.compile(
    r"\b(?:hoje|hj|agora)\b[^.;!?\n\d]{0,25}?\b(?:com|em|no|uns|tipo|so|ta|esta)\s+(?:(?:so|uns|um|tipo)\s+)?"
    r"([0-7]|zero|um|dois|tres|quatro|cinco|seis|sete)(?=\s*(?:[,.;!?]|$|e\s|mas\s|so\s|o\s|de\s+dor\b))"
)
# A normal temperature is no reading the rules count (it alerts nothing), but it is a later value:
# "no sábado deu 38,2 ... desde domingo a temperatura tá 36,5".
NORMAL_TEMPERATURE = re.compile(r"(?<![\d.,/])\b3[56][.,]\d\b(?![.,/]?\d)")


def superseded_scores(
    text: str,
    spans: list[tuple[int, int]],
    sentence_start: Callable[[int], int],
    later_values: list[tuple[int, int]] | None = None,
) -> set[int]:
    """Indexes of pain scores replaced by a later one: "ontem tava 9/10, hoje tá 4"; `later_values`
    are values that only ever replace (a normal temperature)."""
    out: set[int] = set()
    extra = later_values or []
    for i, (s, e) in enumerate(spans):
        after = _VALUE_CLAUSE_END.search(text[e : e + 50])  # the lookahead reads past the 20
        end = e + after.start() if after and after.start() < 20 else e + 20
        around = text[max(sentence_start(s), s - 40) : end]
        later = [ls for ls, _le in spans[i + 1 :]] + [ls for ls, _le in extra if ls > e]
        # the earlier value is of a past time, and not itself "agora" ("deu 39,5 agora e ontem 37")
        if (
            later
            and _PAIN_PAST.search(around)
            and not _PAIN_NOW.search(around)
            and any(_PAIN_NOW.search(text[e:ls]) or _CHANGED_TO.match(text, ls) for ls in later)
        ):
            out.add(i)
    return out


# The value's clause ends at a comma or a conjunction or, dictated without a pause, at a time of the
# present or a "depois" that opens the next one ("ontem tava 9/10 hoje tá 4", "deu 52 depois do suco
# subiu"): read past it, the later clause's "hoje" would date the earlier value too.
_VALUE_CLAUSE_END = re.compile(
    r",|\s(?:e|mas|porem|so\s+que)\s|"
    # ... when a verb or a value of its own follows within two words ("hoje tá 4", "agora no quarto tá
    # 4", "hoje de manhã 118"); "tava 9 agora e ontem 3" keeps "agora" as the value's own time
    r"\s(?:hoje|hj|agora|atualmente|depois)\s(?=(?:(?!(?:e|mas|ontem)\s)[a-z]+\s+){0,3}"
    r"(?:ta|to|tou|esta|estou|deu|da|foi|fica|ficou|baixou|subiu|caiu|melhorou|passou|\d))"
)
