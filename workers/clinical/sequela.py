"""An old event against the present (docs/clinical-engine.md, "Closing set s3c false alarms (branch
s3c-spec)"): a deficit an old event (years back) left and that has not changed since
(`stable_sequela`), a remote date and a recent one in one sentence (`nearer_recent`), and an
episode closed days ago or "graças a Deus" (`closed_since`).

"Desde aquele problema de 2019 a boca dele ficou puxada pro lado, o médico disse que ficou assim e
não mudou nada" tells a stroke's sequela, not a new stroke sign: a remote date, a word of
stability, and nothing that says it changed, came on suddenly or is of today. Anything new ("hoje
a boca entortou mais", "piorou", "de repente") keeps the finding present.
"""

from __future__ import annotations

import re

from .episode_times import FREE_FOR_DAYS, PAST_ANCHOR, RECENT, STILL_NOW
from .indexed import search_in
from .lexicon import REMOTE_PAST

# The findings a past event can leave for good; an active one (bleeding, dyspnoea) is never a sequela.
DEFICITS = frozenset({"sinais_avc", "confusao_mental"})

_STABLE = re.compile(
    r"\b(?:(?<!\bse\s)nao\s+(?:mudou|mudou\s+nada|alterou|piorou)|(?:continua|segue|ficou|fica|esta|ta|permanece)\s+"
    r"(?:assim|igual|do\s+mesmo\s+jeito|a\s+mesma\s+coisa|estavel)|nunca\s+(?:mais\s+)?voltou\s+ao\s+normal|"
    r"(?:desde\s+entao|de\s+la\s+(?:pra|para)\s+ca)\s+(?:igual|assim|do\s+mesmo\s+jeito))\b"
)
_CHANGED = re.compile(
    r"\b(?:(?<!nao\s)(?:piorou|mudou|voltou|aumentou)|piorando|pior|mais\s+(?:tort|puxad|caid|frac|enrolad|confus)\w*|"
    r"de\s+repente|hoje|hj|ontem|anteontem|agora|agorinha|esta\s+(?:semana|manha|noite)|essa\s+(?:semana|manha|noite)|"
    r"(?:de|do)\s+novo|nova|novo|diferente|comecou|apareceu|ainda\s+(?:mais|pior))\b"
)


# (held-spec-what2) Born so: "a boca fica repuxada quando sorrio desde que nasci", "rosto caído de
# nascença", "desde criança". A trait for life is no new sign, unless the sentence says it changed.
_LIFELONG = re.compile(
    r"\b(?:desde\s+que\s+(?:eu\s+)?(?:nasci|naci|era\s+(?:crianca|pequen[oa]|bebe))|de\s+nascenca|de\s+nascimento|"
    r"desde\s+(?:crianca|pequen[oa]|bebe|sempre|o\s+nascimento)|(?:a|minha)\s+vida\s+(?:toda|inteira)|"
    r"(?:sempre\s+)?(?:foi|fui|e)\s+assim\s+desde\s+sempre)\b"
)


def stable_sequela(text: str, sentence_start: int, sentence_end: int) -> bool:
    """The sentence dates the deficit to a remote event and says it has stayed the same, or to birth."""
    if _LIFELONG.search(text, sentence_start, sentence_end):
        return not _CHANGED.search(text, sentence_start, sentence_end)
    return bool(
        _STABLE.search(text, sentence_start, sentence_end)
        and REMOTE_PAST.search(text, sentence_start, sentence_end)
        and not _CHANGED.search(text, sentence_start, sentence_end)
    )


# --- a remote date and a recent one in one sentence ---------------------------------------------------

# "Teve um AVC em 2019 e ficou com sequela, e hoje de manhã a boca entortou": each mention belongs
# to the nearer of the two dates.
_RECENT_TIME = re.compile(
    r"\b(?:hoje|hj|agora|agorinha|ontem|anteontem|de\s+repente|ha\s+pouco|esta\s+(?:semana|noite|manha)|"
    r"essa\s+(?:semana|noite|manha|madrugada)|nesta\s+(?:semana|manha))\b"
)


def nearer_recent(text: str, c0: int, c1: int, start: int, end: int, remote: re.Pattern[str]) -> bool:
    """A recent time anchor of the clause sits nearer the mention than every remote date."""

    def gap(a: int, b: int) -> int:
        return start - b if b <= start else (a - end if a >= end else 0)

    recent = [gap(*m.span()) for m in _RECENT_TIME.finditer(text, c0, c1)]
    if not recent:
        return False
    return min(recent) < min((gap(*m.span()) for m in remote.finditer(text, c0, c1)), default=len(text))


# Closed for days, or fine by God's grace: "já faz 10 dias que tô respirando normal", "hoje graças a
# Deus tô firme", "tô sem febre faz cinco dias" (docs/clinical-engine.md, "Closing set s3c false
# alarms"). Broad words, so only in order: a past anchor before the mention, the closure after it.
_CLOSED_SINCE = re.compile(
    r"\b(?:(?:hoje|agora|ja)\s+(?:gracas\s+a\s+deus\s+|\w+\s+)?(?:estou|to|tou|esta|ta|me\s+sinto)\s+(?:bem|otim[oa]|"
    r"normal|curad[oa]|firme|estavel|equilibrad[oa])|"
    r"(?:faz|ha)\s+(?:uns\s+|umas\s+)?\d+\s+(?:dias|semanas|meses|anos)\s+que\s+(?:(?:eu\s+)?(?:to|estou|tou|ando|me\s+sinto)\s+"
    r"(?:\w+\s+)?(?:bem|normal|otim[oa]|respirando\s+(?:bem|normal))|nao\s+(?:tenho|sinto|tive|senti)\s+(?:mais\s+)?nada|"
    r"(?:ta|esta)\s+tudo\s+(?:bem|normal)))\b|"
    # "tive febre de 39 semana passada, tô sem febre faz cinco dias"
    r"\b(?:" + FREE_FOR_DAYS + r")\b"
)


def closed_since(text: str, sentence_start: int, start: int, end: int, sentence_end: int) -> bool:
    """A past anchor before the mention (or in its own comma clause) and a closure after it, with
    nothing that goes on. The closure is asked first: it is the rare part, and every mention asks
    (through the text's word index: `indexed.search_in`)."""
    if not search_in(_CLOSED_SINCE, text, end, sentence_end):
        return False
    comma = text.find(",", end, sentence_end)
    return bool(
        (
            PAST_ANCHOR.search(text, sentence_start, start)
            or PAST_ANCHOR.search(text, end, comma if comma >= 0 else sentence_end)
        )
        and not STILL_NOW.search(text, sentence_start, sentence_end)
        and not RECENT.search(text, sentence_start, sentence_end)
    )
