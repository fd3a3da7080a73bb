"""Episodes the message tells as already cared for and closed (docs/clinical-engine.md,
"Closing blind set").

"Fiquei internado com falta de ar, tive alta anteontem, hoje respiro bem" reports a finding that a
hospital already treated and that is over: nothing for the nurse to act on. A CRITICAL finding is
dropped only with the three anchors together, in order: the finding told before a discharge (or
the end of an observation stay), and a "now well" after it; anything that says it goes on or came
back ("voltou", "piorou", "ainda", "de novo") keeps the finding present.
"""

from __future__ import annotations

import re

from .prefilter import WordStarts

_DISCHARGE = re.compile(
    r"\b(?:(?:tive|recebi|ganhei|deu|deram|dar|dei|me\s+deu|me\s+deram|recebeu|teve)\s+(?:a\s+)?alta|"
    r"alta\s+(?:ontem|anteontem|hoje|hospitalar|do\s+hospital|da\s+upa|do\s+ps|mesmo|no\s+mesmo\s+dia|"
    r"(?:no|na|de|ha)\s+\w+)|"
    r"(?:me\s+)?(?:liberou|liberaram)|fui\s+liberad[oa]|liberad[oa]\s+(?:ontem|anteontem|hoje|pra\s+casa)|"
    r"(?:em\s+)?observacao\s+ate|(?:voltei|vim)\s+(?:pra|para)\s+casa\s+(?:ontem|anteontem|depois))\b"
)
_NOW_WELL = re.compile(
    r"\b(?:(?:hoje|agora|ja)\s+(?:\w+\s+){0,2}?(?:bem|otim[oa]|normal|tranquil[oa]|bom|boa)|"
    r"(?:to|estou|tou|me\s+sinto)\s+(?:\w+\s+)?(?:bem|otim[oa]|normal)\s+(?:agora|hoje)|"
    r"respirando\s+(?:bem|normal)|respiro\s+(?:bem|normal)|tudo\s+(?:normal|bem)\s+(?:agora|hoje)|"
    r"(?:hoje|agora)\s+sem\s+\w+)\b"
)
_GOES_ON = re.compile(
    r"\b(?:piorou|piorando|piorei|voltou(?!\s+ao\s+normal)|voltaram|de\s+novo|novamente|recomecou|"
    r"outra\s+vez|ainda\s+(?:estou|to|tenho|sinto|com|ta|esta|doi)|continu\w+\s+(?:com|sentindo|doendo)|"
    r"(?:agora|hoje)\s+(?:\w+\s+)?(?:estou|to|tou|tenho|sinto|comecou)\s+(?:com|de|uma?|muita)|"
    r"agora\s+ha\s+pouco|mas\s+(?:agora|hoje))\b"
)


def closed_care_episode(text: str, words: WordStarts | None = None) -> int | None:
    """Where the discharge is told, when the message closes a cared-for episode; else None.
    `words`, the text's word index, tries each pattern only where a match can start."""

    def search(pattern: re.Pattern[str], pos: int = 0) -> re.Match[str] | None:
        return pattern.search(text, pos) if words is None else words.search(pattern, pos)

    discharge = search(_DISCHARGE)
    if discharge is None:
        return None
    well = search(_NOW_WELL, discharge.start())
    if well is None or search(_GOES_ON, discharge.start()):
        return None
    return discharge.start()
