"""Whose the verb is: a resolution verb closes a complaint only when its subject may be one.

"tô sangrando pelo nariz e o dinheiro da farmácia acabou": "acabou" belongs to the money, so the
bleeding goes on. The subject is the noun phrase right before the verb, opened by an article or a
possessive ("o dinheiro da farmácia", "meu crédito"); when none of its words is a symptom, a body
part or a vague stand-in for the complaint ("o problema", "a crise"), the verb is someone else's.
Without such a phrase ("já passou", "isso passou", "passou a dor") nothing changes.
"""

from __future__ import annotations

import re

from .text import words

_TOKEN = re.compile(r"[a-z]+|[^\sa-z]")
_DETERMINERS = words(
    "o a os as meu minha meus minhas seu sua seus suas nosso nossa nossos nossas esse essa esses essas "
    "aquele aquela aqueles aquelas"
)
_MAX_PHRASE = 5
# Verbs of running out, whose subject is what ended ("o gás acabou", "a luz sumiu"); verbs of curing
# ("a dipirona resolveu", "o intestino voltou ao normal") may have a remedy or an organ as subject.
_ENDING = re.compile(r"(?:ja\s+)?(?:acab|pass|sum|termin|par[oa]|foi\s+embora|foram\s+embora)")
_BEARER = re.compile(r"\w+\s+(?:de|d)\s+[a-z]+(?:ar|er|ir)\b")
_PREPOSITIONS = words(
    "com de em por pra para pela pelo sobre sem ate entre do da dos das no na nos nas ao aos num numa"
)
# A conjunction ends the search: "tirei o curativo mas parou" has no subject before the verb.
_CLAUSE_WORDS = words("e mas porem que quando se so entao ai depois pois porque agora hoje ja")
# Symptoms, body parts and stand-ins for the complaint, as stems: any one keeps the verb the patient's.
_COMPLAINT_STEMS = (
    "dor",
    "dore",
    "doi",
    "febr",
    "temperat",
    "quentur",
    "calafri",
    "sangr",
    "hemorr",
    "tosse",
    "vomit",
    "golf",
    "enjo",
    "nause",
    "diarr",
    "caganeira",
    "soltur",
    "tontur",
    "vertig",
    "desmai",
    "apag",
    "crise",
    "convuls",
    "ataque",
    "tremedeir",
    "falta",
    "folego",
    "respir",
    "canse",
    "cansac",
    "fadig",
    "fraquez",
    "inchac",
    "inchad",
    "mancha",
    "vermelh",
    "coceir",
    "colic",
    "pontad",
    "aperto",
    "pressao",
    "queimac",
    "ardenc",
    "ardor",
    "agonia",
    "angust",
    "aflic",
    "formig",
    "dormen",
    "palpit",
    "batedeir",
    "chiad",
    "chiado",
    "catarr",
    "secrec",
    "pus",
    "ferid",
    "corte",
    "machuc",
    "hematom",
    "rouquid",
    "confus",
    "esquec",
    "sintom",
    "problema",
    "quadro",
    "episod",
    "coisa",
    "negocio",
    "incomod",
    "sensac",
    "gosto",
    "cheiro",
    "visao",
    "vista",
    "forca",
    "cabec",
    "peito",
    "torax",
    "barrig",
    "estomag",
    "nariz",
    "boca",
    "garganta",
    "perna",
    "braco",
    "olho",
    "ouvid",
    "corpo",
    "pele",
    "coracao",
    "pulmao",
    "rosto",
    "costa",
    "urina",
    "xixi",
    "fezes",
    "coco",
    "sangue",
    "menstru",
    "regra",
    "gripe",
    "resfri",
    "virose",
    "infecc",
    "alerg",
    "reacao",
    "efeito",
    "panic",
    "ansied",
    "medo",
    "choro",
    "vontade",
    "ideia",
    "pensament",
)
# Short words match whole, never as stems ("ar" is no "armário", "pé" no "pedido").
_COMPLAINT_WORDS = words("ar pe pes mal pus trem cara lado mao maos voz fala")


def _complaint(word: str) -> bool:
    return word in _COMPLAINT_WORDS or word.startswith(_COMPLAINT_STEMS)


def _head(phrase: list[str]) -> list[str]:
    """The words before the first preposition: "o remédio da pressão" is a remedy."""
    for i, w in enumerate(phrase):
        if w in _PREPOSITIONS:
            return phrase[:i]
    return phrase


def foreign_subject(text: str, verb_start: int) -> bool:
    """Whether the verb at `verb_start` has a subject of its own that is not a complaint."""
    if not _ENDING.match(text, verb_start):
        return False  # "a dipirona resolveu": a remedy that works closes the complaint
    if _BEARER.match(text, verb_start):
        return False  # "o nariz parou de sangrar": the subject bears the symptom
    tokens = _TOKEN.findall(text[max(0, verb_start - 60) : verb_start])
    if tokens[-1:] == ["ja"]:
        tokens.pop()
    phrase: list[str] = []
    for k in range(len(tokens) - 1, -1, -1):
        tok = tokens[k]
        if not tok.isalpha() or len(phrase) >= _MAX_PHRASE or tok in _CLAUSE_WORDS:
            return False
        # "a falta de ar que comentei com a senhora sumiu": a determiner after a preposition is inside
        if tok in _DETERMINERS and not (k and tokens[k - 1] in _PREPOSITIONS):
            return bool(phrase) and not any(_complaint(w) for w in _head(phrase[::-1]))
        phrase.append(tok)
    return False
