"""Someone named near a mention who is not its experiencer: the helper who took the reading, and the
programme the writer (or the patient) was watching when it began.

"a vizinha mediu no aparelhinho e deu 42 a glicose": the neighbour held the meter; the reading is the
writer's unless it is said to be hers ("mediu a dela"). "Ele tava vendo o jornal e de repente a boca
puxou": the news is what he was doing, not a story told from it ("vi no jornal que ...").
"""

from __future__ import annotations

import re

# Codes of readings taken with a device, where a person named before is often only the operator.
READINGS = frozenset(
    {"temperatura", "glicemia_mg_dl", "spo2_pct", "pressao_sistolica", "pressao", "frequencia_cardiaca_bpm"}
)
# ... the caregiver too, in the first person (s7-recall-context): "sou a esposa do Lauro, ele tá quente,
# botei o termômetro agora e deu 38,3" is the patient's reading, not the writer's.
_MEASURED = re.compile(
    r"\b(?:mediu|mediram|medindo|aferiu|aferiram|checou|verificou|testou|furou|furaram|medi|aferi|chequei|"
    r"verifiquei|testei|furei|(?:botou|botei|coloquei|colocou|pus|pos)\s+o\s+(?:aparelh\w*|termometro|oximetro)|"
    r"tirei\s+a\s+(?:temperatura|pressao|febre))\b"
)
# ... unless the reading is said to be the helper's own: "mediu a dela", "a glicose dele deu 300" ("mediu
# meu oxigênio" is the writer's: a caregiver's "medi a minha pressão" is read as the patient's, recall first)
_THEIRS = re.compile(r"\b(?:dela|dele|delas|deles|nela|nele|nelas|neles|propri[oa])\b")


def measured_by_helper(text: str, sentence_start: int, start: int, end: int) -> bool:
    """A measuring verb stands between the sentence's start and the reading, with no "dela"/"dele"
    (the verb may open the mention: "mediu o oxigênio no dedo, deu 86")."""
    if not _MEASURED.search(text, sentence_start, end):
        return False
    return not _THEIRS.search(text, sentence_start, end)


# "tava vendo a novela", "assistindo o jornal": a progressive verb and the programme as its object is
# the scene, never the source of the story ("vi no jornal", "passou na novela").
_WATCHING = re.compile(
    r"\b(?:vendo|assistindo|assistia|olhando|ouvindo|escutando)\s+(?:(?:o|a|os|as|um|uma|aquel[ea])\s+)?$"
)


# "depois da novela", "durante o jornal", "na hora do jogo": the programme tells when, never whose
# (s7-recall-lay: "Depois da novela, agora há pouco, a perna direita ficou fraca de repente").
_WHEN = re.compile(
    r"\b(?:(?:depois|antes|perto|na\s+hora|no\s+meio|no\s+fim|no\s+final|no\s+comeco|no\s+inicio|logo\s+apos|apos|"
    r"ate\s+o\s+fim)\s+d[aoe]s?|durante\s+(?:[oa]s?|um|uma)|(?:acabou|terminou|comecou)\s+(?:[oa]|um|uma))\s+$"
)


def watching_scene(text: str, media_start: int) -> bool:
    """The media word at media_start is the object of an ongoing "watching" verb, or a time."""
    window = max(0, media_start - 30)
    return bool(_WATCHING.search(text, window, media_start) or _WHEN.search(text, window, media_start))


# The hospital where a relative is treated, said in the present, is no stay of theirs told as history:
# "o pai faz quimioterapia no Hospital do Câncer", "ela trata no hospital de base" (s7-recall-context);
# "ficou internado no hospital" still is.
_TREATED_AT = re.compile(
    r"\b(?:faz|fazendo|faco|trata|tratando|trato|acompanha|acompanhando|consulta|consultando|segue|seguindo)\b"
    r"[^.;!?\n]{0,40}$"
)


def treated_at(text: str, place_start: int) -> bool:
    """The "no hospital" at place_start names where a present treatment is done."""
    return _TREATED_AT.search(text, max(0, place_start - 45), place_start) is not None
