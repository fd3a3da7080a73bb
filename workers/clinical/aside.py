"""Words that end something other than the complaint (docs/clinical-engine.md, "Closing set s4c:
missed alerts"), for `assertion.episode_over`:

- "fora isso tô respirando bem", "tirando isso tô bem": a "now fine" said of everything else, which
  keeps the complaint before it;
- "acabei o ciclo da químio", "terminei a radioterapia": the end of a treatment, not of a symptom
  (a fever days after a chemotherapy cycle is the nadir's fever).
"""

from __future__ import annotations

import re

# After "acabei", "terminei", "finalizei", "concluí": the treatment they close.
TREATMENT_OBJECT = (
    r"(?!\s+(?:(?:o|a|os|as|um|uma|mais|meu|minha|meus|minhas|de|d[oa]|ultim[oa]|primeir[oa]|segund[oa]|"
    r"terceir[oa]|quart[oa]|quint[oa]|sext[oa])\s+){0,3}(?:ciclo|ciclos|sessao|sessoes|quimio\w*|radio\w*|"
    r"rt|qt|tratamento|infusao|aplicac\w*|imuno\w*|hormonio\w*|antibiotico\w*|medicac\w*|remedio\w*)\b)"
)
_SET_ASIDE = re.compile(
    r"\b(?:fora|tirando|afora|alem\s+d)\s*(?:isso|isto|disso|disto|essa\s+dor|esse\s+\w+|essa\s+\w+)"
    r"\s*,?\s*(?:ai\s+|eu\s+)?$|\bde\s+resto\s*,?\s*$|\bno\s+mais\s*,?\s*$|\bo\s+resto\s*,?\s*$"
)


def set_aside(text: str, pos: int) -> bool:
    """The "now fine" at `pos` is said of everything but the complaint ("fora isso, tô bem")."""
    return _SET_ASIDE.search(text, max(0, pos - 30), pos) is not None


# "nada", "nenhuma" after "desde então" / "de lá pra cá" (`assertion`): the episode is over; never
# "nenhuma melhora", "não passou" (it goes on).
# A belief that proved wrong closes nothing (held-recall): "achei que tava curado", "pensei que já
# tinha passado" (the writer thought it over; it is back). Fixed-width look-behinds for `assertion`.
BELIEVED_OVER = "".join(
    rf"(?<!{verb}\sque\s{aux}\s)"
    for verb in ("achei", "pensei", "achava", "pensava", "jurava")
    for aux in ("tava", "estava", "tinha", "ja")
)
# Over for good (`assertion`): "melhorou totalmente", "sarei de vez", "passou 100%" (a bare
# "melhorou" may be partial).
FULLY_OVER = (
    r"(?:melhor(?:ou|ei)|sar(?:ou|ei)|pass(?:ou|aram)|sumi(?:u|ram)|resolveu)\s+(?:totalmente|completamente|"
    r"de\s+vez|100\s*%?|cem\s+por\s+cento)"
)
NOTHING_SINCE = (
    r"(?:nada|nunca|nao|nenhuma|nenhum)\b(?!\s+(?:melhor\w*|melhora|alivio|diferenca|passou|parou|sarou|sumiu|"
    r"resolveu|adiantou|dia\s+sem))"
)
# No longer, for a while (`episode_times.OVER`, held-spec-who2): "já não sinto faz uma semana", "sem esses
# pensamentos há três anos", "tô há 3 anos limpa", "isso nem passa mais pela minha cabeça", "hoje tô
# muito bem", "hoje estou estável"; what bled has healed or cleared ("já cicatrizou", "já clareou").
NO_LONGER = (
    r"|(?:ja\s+)?nao\s+(?:sinto|tenho|tive|senti|sente|tem|teve)\s+(?:mais\s+)?(?:faz|ha)\s+(?:uns\s+|umas\s+|mais\s+de\s+)?"
    r"(?:\d+|uma?|dois|duas|tres|alguns|algumas)\s+(?:dias?|semanas?|mes|meses|anos?)|"
    r"sem\s+(?:esses?|essas?|aqueles?|aquelas?)\s+(?:pensamentos?|ideias?|vontades?|crises?|episodios?|sintomas?)\s+"
    r"(?:ha|faz)\b|(?:to|estou|tou)\s+(?:ha|faz)\s+(?:\w+\s+){1,3}?(?:limp[oa]|bem|estavel)|"
    r"(?:nem|nao)\s+passa\s+mais\s+pela\s+(?:minha\s+|sua\s+)?cabeca|nao\s+penso\s+mais\s+nisso|"
    r"(?:hoje|agora|ja)\s+(?:\w+\s+)?(?:estou|to|tou|me\s+sinto)\s+(?:(?:muito|super|bem)\s+(?:bem|melhor|estavel)|estavel)|"
    r"(?:ja\s+)?(?:clareou|cicatrizou|cicatrizad[oa])"
)
FULLY_OVER_NO_LONGER = FULLY_OVER + NO_LONGER
