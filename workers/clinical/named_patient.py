"""Who the patient is, when the message says it: "a vó, que é a paciente de vocês, tá ótima", "aqui
é o Matheus, neto da dona Irene. A vó tá bem". The writer's own relative named as the subject of a
symptom who is not that person ("minha irmã tá com dengue e teve sangramento") is someone else
(docs/clinical-engine.md, "s7-spec-who"). Only relatives are compared: a name or "dona" may be the
patient under another word.
"""

from __future__ import annotations

import re

from .people import RELATIVE_BASE

# "a vó, que é a paciente de vocês", "o paciente daqui é o meu pai"
# (never "a mãe e a paciente do lado", where "e" is "and")
_NAMED = re.compile(
    r"\b(?:a|o|minha|meu)\s+(?P<a>[a-z]+)\s*,?\s*(?:que\s+(?:e|eh)\s+(?:a|o)\s+paciente\b|"
    r"(?:e|eh)\s+(?:a|o)\s+paciente\s+(?:de\s+voces|de\s+vcs|daqui|ai|aqui)\b)|"
    r"\b(?:a|o)\s+paciente\s+(?:de\s+voces\s+|daqui\s+|ai\s+)?(?:e|eh)\s+(?:a\s+|o\s+)?(?:minha|meu)\s+(?P<b>[a-z]+)"
)
# The writer's kinship in a caregiver's introduction, and the patient's word it implies.
_INTRO_KIN = re.compile(
    r"\b(?:sou|aqui\s+e|quem\s+fala\s+e|eu\s+sou)\s+(?:(?:a|o)\s+)?(?:[a-z]+\s*,?\s+(?:a\s+|o\s+)?)?"
    r"(?P<kin>neto|neta|filho|filha|esposa|esposo|marido|mulher|genro|nora|sobrinho|sobrinha)\s+d[oa]\b"
)
_PATIENT_WELL = re.compile(
    r"\b(?:ela|ele|a\s+[a-z]+|o\s+[a-z]+)\s+(?:ta|esta|segue|continua)\s+(?:muito\s+)?(?:bem|otim[oa]|normal|firme|"
    r"tranquil[oa]|bo[am])\b"
)
# Words for the same person: "a vó" is "a vovó", "a avó"; "a mamãe" is "a mãe".
_SAME = {"vovo": "vo", "avo": "vo", "mamae": "mae", "papai": "pai", "esposo": "marido", "mulher": "esposa"}
_PATIENT_OF = {
    "neto": frozenset(("vo",)),
    "neta": frozenset(("vo",)),
    "filho": frozenset(("mae", "pai")),
    "filha": frozenset(("mae", "pai")),
    "esposa": frozenset(("marido",)),
    "esposo": frozenset(("esposa",)),
    "marido": frozenset(("esposa",)),
    "mulher": frozenset(("marido",)),
    "genro": frozenset(("sogra", "sogro")),
    "nora": frozenset(("sogra", "sogro")),
    "sobrinho": frozenset(("tia", "tio")),
    "sobrinha": frozenset(("tia", "tio")),
}


def patient_words(text: str) -> frozenset[str]:
    """The relative words the message gives the patient (empty when it does not say)."""
    m = _NAMED.search(text)
    if m is not None:
        word = _word(m.group("a") or m.group("b"))
        return frozenset((word,)) if word else frozenset()
    # The introduction alone may be loose ("neta da dona Luzia ... mainha tá com cocô preto"): the
    # patient it implies counts only when the message says the patient is well ("a vó tá bem").
    m = _INTRO_KIN.search(text)
    if m is None or not _PATIENT_WELL.search(text, m.end()):
        return frozenset()
    return _PATIENT_OF.get(m.group("kin"), frozenset())


def another_relative(noun: str, patient: frozenset[str]) -> bool:
    """A relative's word that is not the patient's, when the message says who the patient is."""
    word = _word(noun)
    return bool(patient) and word is not None and word not in patient


def _word(noun: str) -> str | None:
    word = RELATIVE_BASE.get(noun)
    return _SAME.get(word, word) if word else None
