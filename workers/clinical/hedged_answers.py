"""A yes told with shame or as a frequency, and a hedge taken back at the end (docs/clinical-engine.md,
"Seventh session", "s7-recall-context").

Asked whether they think of ending their life, people rarely say "sim". They say how it costs them
first ("eu não queria falar disso... tenho vergonha... mas pensei sim") or how often ("quase todo dia",
"às vez sim", "umas duas vezes essa semana"). So:

- a preamble of reluctance or shame that ends in "mas" is no part of the answer: the answer is what
  follows it ("tenho vergonha, mas sim" is a yes; "tenho vergonha, mas não" a no);
- a frequency is a hedged yes ("todo dia", "toda noite", "várias vezes"), as "às vezes" already was;
- a hedge the patient takes back in a last clause of denial is no yes: "às vezes fico triste, mas
  pensar nisso não", "pensei uma vez, faz anos, mas agora não penso mais". A clause that denies
  something else ("às vezes sim, mas não tenho coragem") takes nothing back, nor does any after a
  plain "sim".
"""

from __future__ import annotations

import re

# "as vez": the plural said without its s (North), as a hedge like "as vezes"
FREQUENCY = (
    r"as\s+vez|quase\s+todo\s+dia|todo\s+(?:santo\s+)?dia|todos\s+os\s+dias|toda\s+(?:santa\s+)?noite|"
    r"todas\s+as\s+noites|toda\s+hora|(?:umas?\s+)?(?:duas|tres|quatro|\d+)\s+vezes|varias\s+vezes|muitas\s+vezes|"
    r"com\s+frequencia|frequentemente|direto\s+(?:e\s+reto|agora)"
)

# A clause of reluctance or shame: "não queria falar disso", "tenho vergonha", "me dá vergonha de
# dizer", "é difícil falar", "nem sei como dizer".
_RELUCTANT_CLAUSE = (
    r"(?:e\s+)?(?:eu\s+)?(?:(?:nao|nem)\s+(?:queria|quero|gosto\s+de|sei\s+como|sei\s+se\s+devo)\s+(?:falar|dizer|contar|admitir)|"
    r"(?:tenho|me\s+da|da|sinto|fico\s+com|to\s+com|estou\s+com)\s+(?:muita\s+|um\s+pouco\s+de\s+)?vergonha|"
    r"(?:e|eh)\s+(?:muito\s+)?dificil\s+(?:de\s+)?(?:falar|dizer|admitir|contar)|(?:me\s+)?custa\s+(?:falar|dizer|admitir))"
    r"[^.,;!?…\n]{0,30}"
)
_RELUCTANCE = re.compile(r"^(?:" + _RELUCTANT_CLAUSE + r"[\s,.;!…-]*)+(?:mas|mais|so\s+que)\b[\s,.;!…-]*")

# The last clause takes the thought back (a closing word may follow: "..., obrigada"): "mas pensar
# nisso não", "mas agora não penso mais (não)", "mas isso nunca", "mas hoje não".
_TAKEN_BACK = re.compile(
    r"\b(?:mas|mais|so\s+que)\s+(?:agora\s+|hoje\s+|hj\s+|isso\s+)?(?:(?:pensar\s+)?(?:nisso|isso)\s+(?:nao|nunca|jamais)|"
    r"(?:nao|nunca|jamais)\s+(?:penso|pensei|pensar|pensaria)(?:\s+(?:mais|nisso))?(?:\s+nao)?|"
    r"(?:nao|nunca|jamais)(?:\s+mais)?)(?=\s*(?:[,.;!?…\n]|$))"
)


_SIM = re.compile(r"\bsim\b")


def after_reluctance(body: str) -> str:
    """The answer without a preamble of reluctance or shame ended by "mas"."""
    m = _RELUCTANCE.match(body)
    return body[m.end() :] if m is not None and m.end() < len(body) else body


def taken_back(folded: str) -> bool:
    """Whether a hedged answer ends by denying the thought it was asked about (never after a plain
    "sim": "às vezes sim, mas agora não" keeps its yes, recall first)."""
    m = _TAKEN_BACK.search(folded)
    return m is not None and _SIM.search(folded, 0, m.start()) is None
