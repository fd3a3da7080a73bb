"""Verbs spelt as they are spoken, which the word-by-word spelling pass cannot read (docs/clinical-engine.md,
"Sixth session", "held-spec-what2"):

- the past "-ou" said "-o" after the complaint it ends: "u sangramentu da gengiva paro", "a dor passo",
  "a febre vorto" are "parou", "passou", "voltou". Each is also a real word, the first person of the
  present ("eu paro", "não paro de sangrar", "acabo com tudo"), so only with a complaint as its subject
  a few words before, nothing of a person or a negation right before, and no complement after;
- "ir" said "i": "tenho qi i nu pronto socorru", "vou i na UPA". The sound key reads a lone "i" as
  "e", which loses the instruction to go somewhere; after a word that wants an infinitive and before a
  place it is "ir";
- the North-East's "painho", "mainha", "voinho", "voinha", said without a determiner, are "meu pai",
  "minha mãe", "meu avô", "minha avó": read as those, a caregiver's report of them and another's
  episode are told apart as they are for "meu pai" (`experiencer`).
"""

from __future__ import annotations

import re

from .text import Normalised, rewrite

# The spoken past of the verbs that end or bring back a complaint, with the written past.
_PAST = {
    "paro": "parou",
    "passo": "passou",
    "acabo": "acabou",
    "melhoro": "melhorou",
    "mioro": "melhorou",
    "estanco": "estancou",
    "sangro": "sangrou",
    "vorto": "voltou",
    "cesso": "cessou",
}
_PAST_RE = re.compile(r"\b(" + "|".join(_PAST) + r")\b")
# The complaint as the verb's subject, among the four words before it in its clause: "u sangramentu da
# gengiva paro", "a dor passo" (never "qualquer dia acabo com tudo", "quando eu paro").
_COMPLAINT_BEFORE = re.compile(
    r"\b(?:dor|dores|febre|sangramento|sangue|gengiva|nariz|tosse|falta\s+de\s+ar|tontura|enjoo|vomito|"
    r"diarreia|inchaco|coceira|pressao|crise|colica|ferida|corte|machucado|hemorragia)\b(?:\s+[a-z]+){0,4}?\s+$"
)
# A complement makes it the present of a verb with an object: "paro de comer", "passo mal", "acabo com".
# A place, even after a time word, makes it a going: "febri passo ontem no postu" (I went by).
_COMPLEMENT_AFTER = re.compile(
    r"\s+(?:(?:ontem|onti|hoje|hoji|cedo|cedu)\s+)?(?:de|di|com|cum|mal|a|o|u|pra|para|no|na|nu|por|pelo|pela|em|la|aqui)\b"
)
_EU_NEAR = re.compile(r"\b(?:eu|nao|num|nem|nunca|que|se|si|quando|quandu)\s+$")

_TO_PLACE = (
    r"(?=(?:no|na|nu|ao|pro|pra|la|numa|num|direto|correndo|logo|pronto|hospital|upa|posto|emergencia)\b)"
)
_GO = re.compile(
    r"\b(?:que|qi|ki|pra|para|vou|vai|vamo|vamos|tem|tenho|precisa|preciso|devo|deve|mandou|mandaram|"
    r"mandar)\s+(e)\s+" + _TO_PLACE
)
# What every match of `_GO` holds from its "e" on. It opens with white space, so the regex engine
# skips to the text's spaces, where `_GO`'s leading `\b` makes it try its verbs at every word start:
# 86 % of the bench's dense messages have no such "e" and skip `_GO`.
_GO_GATE = re.compile(r"\se\s+" + _TO_PLACE)

_KIN = {
    "painho": "meu pai",
    "painhu": "meu pai",
    "mainha": "minha mae",
    "voinho": "meu avo",
    "voinhu": "meu avo",
    "voinha": "minha avo",
}
# ... also with the final vowel as it sounds ("painhu", "voinhu")
_KIN_RE = re.compile(r"\b(?:(meu|minha)\s+)?(painh[ou]|mainha|voinh[ou]|voinha)\b")
# Every match holds one of these ("inh" alone is in every "sozinho", "vizinha", "cozinha": 99 % of
# the bench's dense messages, none of which names a "painho").
_KIN_STEMS = ("painh", "mainha", "voinh")


def regional_kin(norm: Normalised) -> Normalised:
    """ "painho", "mainha" as "meu pai", "minha mãe": before the spelling pass, which would otherwise
    make "painel" and "marinha" of them."""
    text = norm.text
    if not any(stem in text for stem in _KIN_STEMS):  # the common case, without a regex
        return norm
    edits = [(*m.span(), _KIN[m.group(2)]) for m in _KIN_RE.finditer(text)]
    return rewrite(norm, edits) if edits else norm


def spoken_verbs(norm: Normalised) -> Normalised:
    """The spoken past and the spoken "ir" rewritten in their written forms."""
    text = norm.text
    edits: list[tuple[int, int, str]] = []
    if any(w in text for w in _PAST):  # the common case, without a regex
        for m in _PAST_RE.finditer(text):
            if norm.excerpt(*m.span()).lower() not in (m.group(1), m.group(1)[:-1] + "u"):
                continue  # read into this word by the spelling pass ("passinho"), never written so
            if _EU_NEAR.search(text, max(0, m.start() - 12), m.start()) or _COMPLEMENT_AFTER.match(
                text, m.end()
            ):
                continue  # "eu paro", "num paro", "paro de sangrar", "passo mal"
            if _COMPLAINT_BEFORE.search(text, max(0, m.start() - 60), m.start()):
                edits.append((m.start(), m.end(), _PAST[m.group(1)]))
    if " e " in text and _GO_GATE.search(text):
        for m in _GO.finditer(text):
            if norm.excerpt(*m.span(1)).lower() == "i":  # the patient wrote "i", never "e"
                edits.append((*m.span(1), "ir"))
    return rewrite(norm, sorted(edits)) if edits else norm
