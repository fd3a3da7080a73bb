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
# (and getting better, whose subject may be a person: "meu marido já melhorou, e eu tô com diarreia")
_ENDING = re.compile(r"(?:ja\s+)?(?:acab|pass|sum|termin|par[oa]|foi\s+embora|foram\s+embora|melhor|sar[oa])")
_BEARER = re.compile(r"\w+\s+(?:de|d)\s+[a-z]+(?:ar|er|ir)\b")
_PREPOSITIONS = words(
    "com de em por pra para pela pelo sobre sem ate entre do da dos das no na nos nas ao aos num numa"
)
# A conjunction ends the search: "tirei o curativo mas parou" has no subject before the verb.
_CLAUSE_WORDS = words("e mas porem que quando se so entao ai depois pois porque agora hoje ja")
# Complaints named by their own word, and each family's words: a verb of ending whose subject is
# one of another family ends that one only (docs/clinical-engine.md, "Limits we know").
_SPECIFIC = (
    "dor",
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
    "convuls",
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
    "coceir",
    "colic",
    "pontad",
    "queimac",
    "ardenc",
    "ardor",
    "formig",
    "dormen",
    "palpit",
    "batedeir",
    "chiad",
    "catarr",
    "secrec",
    "rouquid",
    "confus",
    "esquec",
    "gripe",
    "resfri",
)
# Symptoms, body parts and stand-ins for the complaint, as stems: any one keeps the verb the patient's.
_COMPLAINT_STEMS = (
    *_SPECIFIC,
    *words(
        "dore apag crise ataque mancha vermelh aperto pressao agonia angust aflic chiado pus ferid "
        "corte machuc hematom sintom problema quadro episod coisa negocio incomod sensac gosto cheiro "
        "visao vista forca cabec peito torax barrig estomag nariz boca garganta perna braco olho "
        "ouvid corpo pele coracao pulmao rosto costa urina xixi fezes coco sangue menstru regra "
        "virose infecc alerg reacao efeito panic ansied medo choro vontade ideia pensament"
    ),
)
_PAIN = ("dor", "doi", "pontad", "queimac", "ardenc", "ardor", "colic")
_AIR = ("falta", "folego", "respir", "canse", "cansac", "chiad", "fadig")
_FEVER = ("febr", "temperat", "quentur", "calafri")
_FAMILY: dict[str, tuple[str, ...]] = {
    "hematemese": ("vomit", "golf", "sangr", "hemorr"),
    "sangramento": ("sangr", "hemorr"),
    "hemoptise": ("tosse", "sangr", "hemorr", "catarr", "secrec"),
    "melena": ("sangr", "hemorr"),
    "dispneia": _AIR,
    "dor_toracica": _PAIN,
    "sindrome_coronariana": _PAIN,
    "convulsao": ("convuls", "tremedeir"),
    "sincope": ("desmai", "tontur", "vertig", "fraquez"),
    "confusao": ("confus", "esquec"),
    "sinais_avc": ("fraquez", "formig", "dormen"),
    "anafilaxia": ("inchac", "inchad", "coceir", *_AIR),
    "ideacao_suicida": (),
    "febre_alta": _FEVER,
    "febre_oncologica": _FEVER,
    "febre_sem_medicao": _FEVER,
    "febre": _FEVER,
    "temperatura": _FEVER,
    "vomitos_persistentes": ("vomit", "golf", "enjo", "nause"),
    "diarreia_grave": ("diarr", "soltur", "caganeira", "colic"),
    "dor_intensa": _PAIN,
    # the HIGH readings by their own codes (high8): "a tosse parou, mas a dor tá em 9" keeps the score
    "dor_escala": _PAIN,
    "vomitos": ("vomit", "golf", "enjo", "nause"),
    "diarreia": ("diarr", "soltur", "caganeira", "colic"),
}
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


def _subject_head(text: str, verb_start: int) -> list[str] | None:
    """The head words of the noun phrase right before the verb of ending at `verb_start`, or None
    when the verb has no subject of its own there."""
    if not _ENDING.match(text, verb_start):
        return None  # "a dipirona resolveu": a remedy that works closes the complaint
    if _BEARER.match(text, verb_start):
        return None  # "o nariz parou de sangrar": the subject bears the symptom
    return _phrase_before(text, verb_start)


def _phrase_before(text: str, verb_start: int) -> list[str] | None:
    """The head words of the noun phrase (with its determiner) right before `verb_start`."""
    tokens = _TOKEN.findall(text[max(0, verb_start - 60) : verb_start])
    if tokens[-1:] == ["ja"]:
        tokens.pop()
    phrase: list[str] = []
    for k in range(len(tokens) - 1, -1, -1):
        tok = tokens[k]
        if not tok.isalpha() or len(phrase) >= _MAX_PHRASE or tok in _CLAUSE_WORDS:
            return None
        # "a falta de ar que comentei com a senhora sumiu": a determiner after a preposition is inside
        if tok in _DETERMINERS and not (k and tokens[k - 1] in _PREPOSITIONS):
            return _head(phrase[::-1]) if phrase else None
        phrase.append(tok)
    return None


def foreign_subject(text: str, verb_start: int) -> bool:
    """Whether the verb at `verb_start` has a subject of its own that is not a complaint."""
    head = _subject_head(text, verb_start)
    return head is not None and not any(_complaint(w) for w in head)


def dated_other(text: str, foi_start: int) -> bool:
    """Whether the "foi" at `foi_start` dates a noun phrase of its own that is no complaint: "tô
    febril desde a tarde, a imuno foi semana passada" dates the treatment, not the fever."""
    head = _phrase_before(text, foi_start)
    return head is not None and not any(_complaint(w) for w in head)


def another_complaint(text: str, verb_start: int, codigo: str) -> bool:
    """Whether the verb at `verb_start` ends a named complaint of another family than `codigo`:
    "tava vomitando sangue e a dor passou" closes the pain, not the vomiting of blood. A stand-in
    ("o problema", "a crise") or a body part may be any complaint's, so it still closes."""
    family = _FAMILY.get(codigo)
    head = _subject_head(text, verb_start) if family is not None else None
    if not head or family is None:
        return False
    named = [w for w in head if w.startswith(_SPECIFIC)]
    return (
        bool(named)
        and len(named) == sum(1 for w in head if _complaint(w))
        and not any(w.startswith(family) for w in named)
    )


# A complaint that opens its own clause after a pause ("o patrão não deixou sair, e essa dor no dente tá
# nota 8"): the person before the pause is the subject of another clause, not the complaint's owner,
# unless the complaint is said to be theirs ("a dor dela").
_OWN_COMPLAINT_CLAUSE = re.compile(
    r"[,;:]\s*(?:e\s+|mas\s+|ai\s+|agora\s+)?(?:essa|esta|esse|este|minha|meu)\s+(?:dor|dores|febre|diarreia|tosse|"
    r"vomito|vomitos|caganeira|disenteria)\b(?![^,.;!?]{0,40}\b(?:dele|dela|deles|delas)\b)"
)


def own_complaint_clause(text: str, subject_at: int, start: int) -> bool:
    """Whether a complaint of the writer's own ("essa dor", "minha febre") opens a clause between
    the subject found at `subject_at` and the mention at `start`."""
    return _OWN_COMPLAINT_CLAUSE.search(text, subject_at, start) is not None
