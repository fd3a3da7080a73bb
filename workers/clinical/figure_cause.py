"""Figures of speech read from what caused them (docs/clinical-engine.md, "s7-spec-who"): a fright
that was only a fright ("quase tive um infarto mas foi só o susto"), a near miss at a game ("quase
desmaiei no gol do Remo"), a bill or a person as the agent of a catastrophe ("a conta da farmácia me
deu um infarto", "minha sogra me dá dor de cabeça nota 10 kkk"), a joke about what a visit will do
("a sogra vem passar o mês aqui, vou ter um ataque do coração kkk"), and a public thermometer ("39
graus no termômetro da praça"). Each is `figurado`; what is still going on, or in earnest, stays.
"""

from __future__ import annotations

import re

from .indexed import search_in
from .jest import LAUGH_RE

# Still going on, or real: "e ainda tô tonta", "não passa", "fui parar na UPA"; never a recovery
# told with "agora" ("agora tô bem").
_STILL = re.compile(
    r"\b(?:ainda|ate\s+agora|agora(?!\s+(?:ja\s+)?(?:to|estou|tou|ta|esta|fiquei)\s+(?:bem|otim[oa]|normal|tranquil[oa]|"
    r"joia|de\s+boa))|nao\s+(?:passa|passou|melhora|melhorou|para|parou)|continu\w+|piorou|piorando|de\s+verdade|"
    r"serio|internad[oa]|hospital|uti|samu|upa|pronto[\s-]?socorro|emergencia)\b"
)
_CATASTROPHE = re.compile(r"(?:avc|derrame|infart|ataque|treco|piripaque|troco)")

# --- a fright that was only a fright ---------------------------------------------------------------

# "foi só o susto", "ficou só no susto", "era só susto"; never what someone thought ("achei que era só o
# susto, mas não passa")
_FRIGHT_ONLY = re.compile(
    r"(?<!\bque\s)\b(?:foi|era|ficou)\s+(?:so|apenas|somente)\s+(?:(?:o|um|no)\s+)?susto\b"
)
_FRIGHT_WINDOW = 160


def fright_only(text: str, start: int, end: int) -> bool:
    """The mention told before "foi só o susto", with nothing still going on in between or after it."""
    if text.find("susto", end, end + _FRIGHT_WINDOW) < 0:
        return False  # every match holds the word: one C scan instead of the look-behind at each place
    m = _FRIGHT_ONLY.search(text, end, end + _FRIGHT_WINDOW)
    if m is None or _STILL.search(text, end, m.start()):
        return False
    stop = re.compile(r"[.;!?\n]").search(text, m.end())
    return not _STILL.search(text, m.end(), stop.start() if stop else len(text))


# "quase morri de susto ... quase tive um infarto": a catastrophe nearly had, in a message about a fright
_NEARLY_HAD = re.compile(r"\bquase\s+(?:tive|me\s+deu|deu|tenho|que\s+tenho|fui\s+ter)\s+(?:um\s+|uma\s+)?$")


def nearly_had_in_a_fright(text: str, start: int, end: int) -> bool:
    """A catastrophe "quase" had in a message that tells a fright (s11a-031), nothing still going on."""
    lo = max(0, start - 24)
    if (
        "quase" not in text[lo:start]
        or not _CATASTROPHE.match(text, start)
        or not _NEARLY_HAD.search(text, lo, start)
    ):
        return False
    if text.find("susto", max(0, start - 200), end + _FRIGHT_WINDOW) < 0:
        return False
    stop = re.compile(r"[.;!?\n]").search(text, end)
    return not _STILL.search(text, end, stop.start() if stop else len(text))


# --- a near miss at a game, a show, a bill -----------------------------------------------------------

_NEAR_MISS_BEFORE = re.compile(r"\bquase\s+(?:[a-z]+\s+){0,3}$")
_AT_A_THING = re.compile(
    r"\s*(?:[a-z]+\s+)?(?:no|na|nos|nas|com\s+(?:o|a|os|as)|do|da|vendo\s+(?:o|a))\s+(?:[a-z]+\s+)?"
    r"(?:gol|gols|penalti|jogo|jogos|final|placar|partida|classico|novela|capitulo|show|filme|conta|boleto|fatura|"
    r"preco|resultado\s+da\s+loteria)\b"
)


def near_miss_at_thing(text: str, start: int, end: int) -> bool:
    """ "quase desmaiei no gol do Remo": a near miss told with a game or a bill, and nothing still on."""
    if not search_in(_NEAR_MISS_BEFORE, text, max(0, start - 40), start) or not _AT_A_THING.match(text, end):
        return False
    stop = re.compile(r"[.;!?\n]").search(text, end)
    return not _STILL.search(text, end, stop.start() if stop else len(text))


# --- a thing or a person as the agent of the symptom -------------------------------------------------

# Who or what "gives me" it: a bill, a price, the news, a game, a team, a boss, the in-laws. A body
# cause ("o remédio me deu falta de ar", "a comida me deu dor de barriga") is no agent of this list.
_AGENT = (
    r"\b(?:conta|contas|boleto|boletos|fatura|cartao|preco|precos|aluguel|salario|imposto|juros|noticia|noticias|"
    r"jogo|time|novela|politica|eleicao|fila|transito|chefe|patrao|patroa|sogra|sogro|cunhad[oa]|prova|vestibular|"
    r"inss|banco)\b"
)
_AGENT_GIVES = re.compile(
    _AGENT + r"(?:\s+[a-z]+){0,5}?\s+(?:me|nos)\s+(?:(?:ta|vai|ainda\s+vai)\s+)?"
    r"(?:da|deu|dava|dando|dar|causa|causou|provoca|provocou)\s+(?:(?!(?:e|mas|que|eu|ai|entao|depois|quando)\b)[a-z]+\s+){0,4}?$"
)


def agent_gives(text: str, start: int, end: int) -> bool:
    """ "a conta da farmácia me deu um infarto", "minha sogra me dá dor de cabeça nota 10 kkk": a
    catastrophe, or anything told laughing, given by a bill or a person, and nothing still on."""
    if not search_in(_AGENT_GIVES, text, max(0, start - 90), start):  # where an agent's word starts
        return False
    stop = re.compile(r"[.;!?\n]").search(text, end)
    sentence_end = stop.start() if stop else len(text)
    if _STILL.search(text, end, sentence_end):
        return False
    return bool(_CATASTROPHE.match(text, start)) or bool(LAUGH_RE.search(text, end, sentence_end + 40))


# --- what the visit will do --------------------------------------------------------------------------

_WILL_HAVE = re.compile(r"\b(?:vou|vo)\s+(?:ter|te|dar|da)\s+(?:um|uma)\s+$")


def will_have_joke(text: str, start: int, end: int) -> bool:
    """ "vô tê um ataque do coração kkkk": a catastrophe the writer says they will have, laughing."""
    return (
        bool(_CATASTROPHE.match(text, start))
        and bool(_WILL_HAVE.search(text, max(0, start - 20), start))
        and bool(LAUGH_RE.search(text, end, end + 40))
    )


def figure_by_cause(text: str, start: int, end: int) -> bool:
    return (
        fright_only(text, start, end)
        or nearly_had_in_a_fright(text, start, end)
        or near_miss_at_thing(text, start, end)
        or agent_gives(text, start, end)
        or will_have_joke(text, start, end)
    )


# --- a public thermometer ----------------------------------------------------------------------------

_PUBLIC_THERMOMETER = re.compile(
    # (never where bodies are measured: "o termômetro do posto deu 39,9", the pharmacy's, the bank door's)
    r"\btermometros?\s+d[aeo]s?\s+(?:praca|rua|cidade|avenida|centro|esquina|carro|relogio|painel)\b|"
    r"\btermometros?\s+(?:de\s+)?rua\b"
)


def public_thermometer(text: str, sentence_start: int, sentence_end: int) -> bool:
    """ "39 graus no termômetro da praça": the street's reading, not the body's."""
    return bool(_PUBLIC_THERMOMETER.search(text, sentence_start, sentence_end))
