"""A cleft that puts someone else in focus (docs/clinical-engine.md, "Closing set s4c: false alarms
(branch s4c-spec)"): "a cuidadora da mãe é que amanheceu com febre ..., a mãe mesmo tá tranquila",
"o vizinho é que desmaiou, eu tô bem", "quem tá ruim é a tua prima, ela desmaiou ..., eu tô de boa".
"X é que" (or "quem ... é X") names who had the symptom; with the patient told
as fine elsewhere in the message, the mention is someone else's.

The focus must be a bystander, or a relative's relative ("a irmã da mãe"), or, when the writer is no
caregiver, any relative: a caregiver's "a mãe é que tá com febre" names the patient. A first-person
word between the cleft and the mention ("a vizinha é que me disse que eu desmaiei") makes it the
writer's again.
"""

from __future__ import annotations

import re

from .people import BYSTANDER_WORDS, NAMES, RELATIVE_WORDS

_FOCUS_BEFORE = re.compile(
    r"\b(?:(?:o|a|os|as)\s+)?(?:o|a|os|as|meu|minha|meus|minhas|teu|tua|seu|sua|nosso|nossa|esse|essa)\s+(?P<noun>[a-z]+)"
    r"(?:\s+d[oa]s?\s+(?P<owner>[a-z]+))?\s+(?:e|eh|foi|sao|foram)\s+que\s+(?P<between>(?:[a-z]+\s+){0,4})$"
)
# ... and the other order, the person last: "quem tá ruim é a tua prima Dalva, ela desmaiou ontem".
_WHO_IS = re.compile(
    r"\bquem\s+(?:[a-z]+\s+){1,3}?(?:e|eh|foi)\s+(?:(?:o|a|os|as)\s+)?(?:o|a|os|as|meu|minha|teu|tua|seu|sua|nosso|nossa)\s+"
    r"(?P<noun>[a-z]+)(?P<owner>)(?P<between>[^.;!?\n]{0,40})$"
)
_FIRST_PERSON = re.compile(r"\b(?:eu|me|mim|comigo|to|tou|estou|tenho|sinto|senti|tive|[a-z]{3,}ei)\b")
# The patient (or the writer) told as fine: "a mãe mesmo tá tranquila", "eu tô de boa".
_PATIENT_FINE = re.compile(
    r"\b(?:mesm[oa]|propri[oa]|eu)\s+(?:(?:ja|graca\s+a\s+deus|gracas\s+a\s+deus)\s+)?(?:ta|esta|to|tou|estou|segue|"
    r"continua|fica|sigo)\s+(?:bem|otim[oa]|tranquil[oa]|normal|de\s+boa|suave|joia|firme|bao|boa)\b"
)


def cleft_other(text: str, sentence_start: int, start: int, caregiver: bool) -> bool:
    """The mention follows "X é que" in its sentence, X is someone else, and the patient is fine."""
    lo = max(sentence_start, start - 90)
    m = None
    if text.find(" que ", lo, start) >= 0:  # the common case has neither, and no regex runs
        m = _FOCUS_BEFORE.search(text, lo, start)
    if m is None and text.find("quem ", lo, start) >= 0:
        m = _WHO_IS.search(text, lo, start)
    if m is None or _FIRST_PERSON.search(m.group("between")):
        return False
    noun, owner = m.group("noun"), m.group("owner") or None
    if noun in BYSTANDER_WORDS:
        pass
    elif noun not in RELATIVE_WORDS or (caregiver and owner is None):
        return False
    return bool(_PATIENT_FINE.search(text)) or _other_fine(text, noun)


# Someone else named and told as fine: "o pai tá tranquilo, ... quem passou mal foi minha mãe",
# "o Zé tá bem melhor sim, ... quem tá ruim agora é o netinho", "a Maria Clara tá ótima".
_PERSON_FINE = re.compile(
    r"\b(?:o|a|seu|sr|dona|meu|minha|nosso|nossa)\s+(?P<noun>[a-z]+)(?:\s+[a-z]+)?\s+(?:ja\s+|graca\s+a\s+deus\s+|"
    r"gracas\s+a\s+deus\s+)?(?:ta|esta|segue|continua|fica|ficou|tava)\s+(?:(?:bem|muito|super|mais)\s+)?"
    r"(?:bem|otim[oa]|tranquil[oa]|normal|de\s+boa|suave|joia|firme|bao|boa|melhor)\b"
)


def _other_fine(text: str, focus: str | None) -> bool:
    """A person other than `focus` is named and told as fine in the message."""
    for m in _PERSON_FINE.finditer(text):
        noun = m.group("noun")
        if noun != focus and (noun in RELATIVE_WORDS or noun in NAMES or noun in BYSTANDER_WORDS):
            return True
    return False


# The writer in focus: "quem tá com falta de ar sou eu por causa da minha asma, ... a Maria Clara tá
# ótima": the writer writes for the one told fine, whose record this is.
_WRITER_FOCUS = re.compile(r"[^.;!?\n]{0,40}?\b(?:sou\s+eu|e\s+comigo|foi\s+(?:eu|comigo))\b")
_WHO_BEFORE = re.compile(r"\bquem\s+(?:[a-z]+\s+){0,4}$")


# ... and the writer asks for that person's care: "se a vacina dela é amanhã", "a receita dele",
# "marcar pra ela". A writer who only adds "meu marido tá bem" may be the patient (recall first).
_FOR_THEM = re.compile(
    r"\b(?:vacina|consulta|receita|retorno|exame|exames|remedio|horario|pediatra|atestado|carteirinha|"
    r"cartao|curativo|agendamento)\s+(?:[a-z]+\s+)?d(?:ele|ela)\b|\b(?:pra|para)\s+(?:ele|ela)\b"
)


def writer_focus_other(text: str, sentence_start: int, start: int, end: int) -> bool:
    """ "quem X sou eu", with someone else named and told as fine, whose care the writer asks
    about: the writer's own complaint, not the patient's."""
    lo = max(sentence_start, start - 40)
    if text.find("quem", lo, start) < 0 or not _WHO_BEFORE.search(text, lo, start):
        return False
    return bool(_WRITER_FOCUS.match(text, end)) and _other_fine(text, None) and bool(_FOR_THEM.search(text))
