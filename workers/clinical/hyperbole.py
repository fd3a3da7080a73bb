"""Two hyperboles the idioms of `figurative` do not cover (docs/clinical-engine.md, "Closing set s4c:
false alarms (branch s4c-spec)"):

- a once-in-a-life catastrophe told as a habit: "esse time me dá um infarto toda rodada", "a reunião
  de segunda é um AVC por semana". Nobody has a stroke every week; a symptom that does recur ("me dá
  uma dor no peito toda vez que subo a escada") is no catastrophe noun and stays present.
- bleeding with money or resources as its object: "tô sangrando dinheiro com esse tratamento", "a
  loja tá sangrando clientes". Bleeding of the body has no such object.
"""

from __future__ import annotations

import re

_CATASTROPHE = re.compile(r"(?:avc|derrame|infart|ataque\s+(?:cardiaco|do\s+coracao)|piripaque|treco)")
_HABIT_AFTER = re.compile(
    r"^\s*(?:(?:por|a|em)\s+)?(?:toda|todo|cada)\s+(?:santa\s+|bendita\s+|maldita\s+)?(?:rodada|vez|jogo|partida|"
    r"domingo|sabado|segunda|terca|quarta|quinta|sexta|dia|semana|mes|hora|reuniao|aula|prova|fatura|conta|campeonato|temporada|final|capitulo|"
    r"episodio)\b|^\s*(?:por|a|ao)\s+(?:dia|semana|mes|rodada|jogo)\b"
)
_MONEY_OBJECT = re.compile(
    r"^\s*(?:(?:muito|tanto|mais|um\s+monte\s+de|rios\s+de)\s+)?(?:dinheiro|grana|reais|real|pila|pilas|bufunfa|"
    r"verba|clientes|cliente|caixa|lucro|economias|salario|dindin|\d+\s*(?:reais|mil|conto))\b"
)


def hyperbole(text: str, start: int, end: int) -> bool:
    mention = text[start:end]
    after = text[end : end + 40]
    if mention.startswith("sangr"):
        return bool(_MONEY_OBJECT.match(after))
    return bool(_CATASTROPHE.match(mention) and _HABIT_AFTER.match(after))
