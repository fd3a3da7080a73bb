"""A question about what could happen, overtaken by what is happening (docs/clinical-engine.md,
"Seventh session", "s7-recall-context").

- A reading asked about and then claimed as just taken: "o que acontece se a pressão tá 19 por 12
  porque acabei de medir e deu isso", "o que significa pressão 20 por 11? acabei de medir e deu
  isso". The question is about the writer's own reading: the number counts. A reading asked about
  with no such claim ("o que acontece se a pressão chegar a 20 por 12?") stays a question; so does
  one followed by another reading of the writer's own ("... a minha hoje deu 12 por 8").
- A hypothetical turned present by a "mas" and "já"/"agora": "eu ia perguntar o que fazer caso eu
  tivesse sangramento mas já tá sangrando", "o que fazer se a falta de ar voltasse, mas ela já voltou
  agora". What follows the turn is told as now ("mas graças a Deus não tive nada" is no turn); a
  mention inside the "if" counts when the turn says its event came ("só que agora ela voltou").
"""

from __future__ import annotations

import re

# The reading pointed back to as the one just taken.
_POINTER = re.compile(
    r"\b(?:deu|marcou|mostrou|foi|e)\s+(?:exatamente\s+|bem\s+|justamente\s+)?(?:isso|esse\s+valor|esse\s+numero)\b|"
    r"\b(?:foi|e)\s+(?:isso|esse\s+valor)\s+que\s+(?:deu|marcou)\b|\b(?:ta|esta|tava)\s+(?:assim|desse\s+jeito)\s+"
    r"(?:agora|aqui)\b"
)
# ... or the measuring itself told as just done, with no other number after it.
_JUST_MEASURED = re.compile(
    r"\b(?:acab(?:ei|ou|amos|aram)\s+de\s+(?:medir|aferir|tirar|ver)|(?:medi|aferi|medimos|mediu)\s+(?:agora|agorinha|"
    r"aqui\s+agora|agora\s+pouco|agora\s+mesmo))\b"
)
_WINDOW = 100


def just_measured(text: str, end: int) -> bool:
    """The reading ending at `end` is claimed, right after, as the one the writer just took."""
    window = text[end : end + _WINDOW]
    if "isso" in window or "valor" in window or "numero" in window or "assim" in window or "jeito" in window:
        m = _POINTER.search(window)
        if m is not None and not any(c.isdigit() for c in window[: m.start()]):
            return True
    m = _JUST_MEASURED.search(window)
    return m is not None and not any(c.isdigit() for c in window[: m.end() + 30])


# The asked-about event said to have come at a time of today (s11c-059): "ontem perguntei o que fazer se
# ele tivesse convulsão, hoje de manhã aconteceu: tremeu todo...", "e não é que hoje veio"
_CAME_TODAY = (
    r"\b(?:hoje|hj|agora|agorinha|de\s+madrugada|essa\s+noite|esta\s+noite)\s+(?:(?:de\s+manha|cedo|a\s+noite|de\s+tarde|"
    r"de\s+madrugada)\s+)?(?:(?:ela|ele|isso|a\s+crise)\s+)?(?:aconteceu|veio|apareceu|voltou|comecou)\b|"
    r"\be\s+nao\s+e\s+que\s+(?:hoje\s+)?(?:aconteceu|veio|apareceu|voltou)\b|\baconteceu\s+(?:hoje|agora|agorinha)\b"
)

# A turn to the present after the hypothetical: "mas já tá", "mas ela já voltou agora", "só que agora tô".
_TURN_NOW = re.compile(
    r"\b(?:mas|mais|so\s+que|porem)\s+(?:(?:ela|ele|isso|eu|a\s+gente)\s+)?(?:ja|agora|agr)\s+(?:(?:ta|esta|to|estou|tou|tenho|"
    r"tem|voltou|voltaram|comecou|comecei|aconteceu|veio|apareceu|deu|estamos|fiquei|ficou)\b)|" + _CAME_TODAY
)


def overtaken(text: str, question_end: int, start: int) -> bool:
    """Between a hypothetical question and the mention, the writer turns to what is so now."""
    return _TURN_NOW.search(text, question_end, start) is not None


# ... and the hypothetical's own event said to have come: "caso a dor no peito voltasse, só que agora ela
# voltou", "se sangrasse, mas já tá sangrando" (never "mas agora tô bem": a state, no event).
_CAME_TRUE = re.compile(
    r"\b(?:mas|mais|so\s+que|porem)\s+(?:(?:ela|ele|isso|a\s+gente)\s+)?(?:ja|agora|agr)\s+(?:(?:ela|ele|isso)\s+)?"
    r"(?:voltou|voltaram|aconteceu|comecou|veio|apareceu|(?:ta|esta|to|estou|tou)\s+(?:acontecendo|[a-z]{3,}ndo))\b|"
    + _CAME_TODAY
)


def came_true_after(text: str, end: int, sentence_end: int) -> bool:
    """After a hypothetical mention, in its sentence, the writer says the event has come."""
    return _CAME_TRUE.search(text, end, sentence_end) is not None
