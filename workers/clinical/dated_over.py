"""A dated episode followed by any statement that the present is fine (docs/clinical-engine.md,
"Seventh session", s7-spec-when).

`assertion.episode_over` closes a CRITICAL episode with a past date and a verb of ending in the same
sentence ("passou", "sumiu"), or with a closure that opens the next sentence ("Nunca mais ...").
Writers also date the episode and then tell the present in other words, after the mention or in the
next sentence wherever it sits there: "mês passado fiquei internada com falta de ar mas agora tô
100% respirando normal", "o sangramento foi no mês passado, lembra? Cauterizaram e nunca mais
sangrou", "a falta de ar foi no mês passado, durante a internação. Depois da alta estou respirando
normalmente", "teve febre na semana passada ... Desde então sem febre".

The rule: a past anchor in the mention's sentence (never "desde ...", which lasts until now, nor
"agora há pouco"), a statement of the present being fine told after the mention (in its sentence, or
anywhere in the next one), and nothing in either that says it goes on or came back. A stroke sign,
chest pain or a heart attack dated only days back stays: a transient one still needs care.
"""

from __future__ import annotations

import re

from .aside import NOTHING_SINCE, set_aside
from .episode_times import FREE_OF, NOW_FINE, OVER, PAST_ANCHOR, RECENT, STILL_NOW
from .lexicon import AGAIN_OF_ACTIVITY
from .roles import READINGS
from .routine import masked
from .sentence_facts import SentenceFacts

_VALUES = READINGS | {"dor_escala"}
_TRANSIENT = frozenset({"dor_toracica", "sindrome_coronariana", "sinais_avc"})
# Anchors of days, not weeks: too close for a transient critical sign to be history.
_DAYS_BACK = re.compile(r"anteontem|.*\b(?:dias?|segunda|terca|quarta|quinta|sexta|sabado|domingo)\b")
# Free of it since the episode or the discharge: "desde então sem febre", "depois da alta nada".
_SINCE_FREE = re.compile(
    r"\b(?:desde\s+(?:entao|a\s+alta|aquele\s+dia|aquela\s+vez)|depois\s+(?:disso|da\s+alta)|"
    r"de\s+la\s+(?:pra|para)\s+ca)[\s,]+(?:(?:to|tou|estou|ta|esta|fiquei|ficou|segue|sigo)\s+)?"
    r"(?:" + FREE_OF + r"|" + NOTHING_SINCE + r")"
)
# A bare "not now" after the dated episode: "anos atrás pensei sim. Hoje não, tô em paz" (never "hoje
# não tô bem", "agora não sei": the "não" must end its clause).
NOT_NOW = re.compile(
    r"\b(?:hoje|agora|atualmente)(?:\s+em\s+dia)?\s*,?\s+(?:nao|mais\s+nao|nunca\s+mais)\s*(?:[,.;!]|$|mais\b|gracas\b)"
)
# It came back, told in the next sentence ("Hoje voltou", "tive outra").
_BACK = re.compile(
    # ... never an activity again: "agora estou grávida de novo, tudo tranquilo"
    r"\b(?:(?<!nao\s)(?<!mais\s)(?:voltou|voltaram|repetiu)|"
    + AGAIN_OF_ACTIVITY
    + r"de\s+novo|outra\s+vez|novamente|"
    r"(?:tive|teve|deu)\s+(?:outr[oa]|mais\s+uma?))\b"
)
_STOP = re.compile(r"[.;!?\n]")


_FINE = (NOW_FINE, OVER, _SINCE_FREE, NOT_NOW)
_UNDONE = re.compile(r"\s+(?:nao|n|mal|ruim|pior)\b")


def _fine(told: str) -> bool:
    """A statement of the present being fine, not said of everything but the complaint ("mas fora
    isso tô respirando bem" keeps the pain told before it)."""
    return any(
        (m := p.search(told)) is not None
        and not set_aside(told, m.start())
        and not _UNDONE.match(told, m.end())  # "agora tô bom não, voltou ontem"
        for p in _FINE
    )


def dated_then_fine(text: str, facts: SentenceFacts, end: int, sentence_end: int, codigo: str) -> bool:
    """The mention ending at `end` is dated in the past by its sentence (`facts`), and what is told
    after it there, or in the next sentence, says the present is fine."""
    if codigo in _VALUES:
        return False  # a value is of its moment: `closure.dated_then_clear` and `superseded` read those
    search = facts.search
    anchor = search(PAST_ANCHOR)
    if anchor is None or anchor.group(0).startswith("desde") or search(RECENT) or search(STILL_NOW):
        return False
    if codigo in _TRANSIENT and _DAYS_BACK.match(anchor.group(0)):
        return False
    rest = masked(text[end:sentence_end])
    if _fine(rest):
        return True
    start = sentence_end + 1
    if start >= len(text):
        return False
    stop = _STOP.search(text, start, start + 240)
    following = masked(text[start : stop.start() if stop else min(len(text), start + 240)])
    return _fine(following) and not STILL_NOW.search(following) and not _BACK.search(following)
