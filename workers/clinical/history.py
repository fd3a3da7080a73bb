"""An event of long ago told before how the writer is now (docs/clinical-engine.md, "Sets s3d/s3e
false alarms (branch s3de-spec)"): "há uns cinco anos tive um derrame ..., hoje tô só com dor de
garganta", "na gravidez do primeiro filho tive convulsão, mas agora tá tudo tranquilo", "na época da
quimio tive sangramento de nariz mas isso foi em 2022, hoje só vim marcar a revisão".

Three parts must all be there: a remote anchor (years ago, a past pregnancy, "na época da quimio",
a year), a past-tense verb that tells the event (or the mention is one: "há uns dez anos eu vomitei
sangue"), and a later "hoje/agora" clause of wellness, of only something else or of a check-up
("agora quero fazer endoscopia de controle"), or a "sem sintomas".
Anything that says it goes on ("de novo", "ainda", "voltou") keeps the finding.
"""

from __future__ import annotations

import re

from .lexicon import AGAIN_OF_ACTIVITY

_REMOTE_ANCHOR = re.compile(
    r"\b(?:(?:ha|faz)\s+(?:uns\s+|umas\s+|quase\s+|mais\s+de\s+|cerca\s+de\s+)?\w+\s+anos?|anos\s+atras|"
    r"ano\s+passado|(?:em|de)\s+(?:19|20)\d\d|na\s+(?:primeira\s+|ultima\s+)?(?:gravidez|gestacao)\s+"
    r"(?:d[oa]|anterior|passada)|na\s+outra\s+(?:gravidez|gestacao)|na\s+epoca\s+d[aoe]|quando\s+(?:eu\s+)?(?:fazia|fiz|tava\s+fazendo)\s+quimio\w*|"
    r"isso\s+(?:foi|faz)\s+(?:em\s+(?:19|20)\d\d|ha\s+\w+\s+anos?|muito\s+tempo))\b"
)
_TOLD_PAST = re.compile(
    r"\b(?:tive|teve|tivemos|sofri|sofreu|fiquei|ficou|deu|dava|tinha|peguei|pegou)\s+(?:um\s+|uma\s+|uns\s+|umas\s+)?"
    r"(?:[a-z]+\s+)?$|"
    # the imperfect of a long-past state: "em 2010 eu pensava em me matar", "vivia com falta de ar"
    r"\b(?:[a-z]{2,}ava|sentia|queria|vivia|fazia)\s+(?:em|com|de)\s+$"
)
_NOW_WELL_OR_ONLY = re.compile(
    r"\b(?:hoje|hj|agora|atualmente|hoje\s+em\s+dia|dessa\s+vez|desta\s+vez)\b[^.;!?\n]{0,30}?\b(?:bem|otim[oa]|"
    r"normal|tranquil[oa]|nada\s+(?:nada|mesmo|disso)|"
    r"de\s+boa|sossegad[oa]|so\s+(?:com|vim|quero|queria|pra|para|passando|marcar|uma|um)|tudo\s+(?:certo|tranquilo|bem)|"
    # a check-up asked for now: "agora quero fazer endoscopia de controle"
    r"(?:quero|queria|preciso|vou|vim)\s+(?:so\s+)?(?:fazer|marcar|agendar|repetir|pegar|renovar))\b|"
    # no complaint at all, wherever it is said: "to sem sintomas", "estou sem queixas", "assintomática"
    r"\b(?:sem\s+(?:sintomas?|queixas?|nada\s+disso)|assintomatic[oa]|nunca\s+mais\s+(?:tive|teve|senti))\b"
)
_GOES_ON = re.compile(
    r"\b(?:"
    + AGAIN_OF_ACTIVITY
    + r"de\s+novo|novamente|outra\s+vez|ainda|voltou|voltaram|volta|voltei|voltando|continu\w+|piorou|"
    r"piorando|repetiu|"
    r"(?:hoje|agora)\s+(?:tive|teve|senti|deu)|(?:tive|teve|deu|senti|sentiu)\s+(?:outra|outro|mais\s+uma?))\b"
)


_RECENT_BETWEEN = re.compile(
    r"\b(?:hoje|hj|ontem|onti|anteontem|agora|agorinha|de\s+manha|de\s+madrugada|essa\s+semana|esta\s+semana|"
    r"esses\s+dias|de\s+novo|novamente|outra\s+vez)\b"
)
_ANCHOR_CUES = ("ano", "19", "20", "gravidez", "gestacao", "epoca", "quimio", "tempo")
_CAUSE_WORD_BEFORE = re.compile(r"\b(?:d[aeo]s?|a|por|com)\s+(?:uma?\s+)?$")
_CAUSE_OF_PAST = re.compile(
    r"[^.;!?\n,]*?\b[a-z]{3,}ei\b[^.;!?\n,]*?\b(?:por\s+causa\s+d[aeo]s?|devido\s+a|por|de|com)\s+(?:uma?\s+)?$"
)
# The mention is itself the told past: "eu vomitei sangue", "desmaiei", "teve convulsão", or the
# imperfect of a long-past state: "há uns dez anos ... pensava em morrer", "sentia falta de ar".
_PAST_VERB_MENTION = re.compile(r"[a-z]{3,}(?:ei|ou|eu|iu|ava|avam|ia|iam)\b")


def remote_history(text: str, sentence_start: int, start: int, end: int) -> bool:
    """The mention is a long-past event, with the writer's present told after it as well or as
    only something else."""
    # the cheap look first: a past verb right before the mention, or the mention one
    told = bool(_TOLD_PAST.search(text, max(0, start - 30), start) or _PAST_VERB_MENTION.match(text, start))
    if not told and not _CAUSE_WORD_BEFORE.search(text, max(0, start - 24), start):
        return False
    # the anchor in the mention's own sentence, or "isso foi em 2022" right after it
    hi = min(len(text), end + 60)
    if all(text.find(cue, sentence_start, hi) < 0 for cue in _ANCHOR_CUES):
        return False  # the common case, without a regex
    anchors = list(_REMOTE_ANCHOR.finditer(text, sentence_start, hi))
    if not anchors:
        return False
    earlier = [m.end() for m in anchors if m.end() <= start]
    # "em 2012 convulsionei por causa de febre alta": the event's cause, in the same clause
    if not told and not (earlier and _CAUSE_OF_PAST.match(text, earlier[-1], start)):
        return False
    # "há dez anos tive úlcera e hoje vomitei sangue": a recent time between the anchor and the mention
    if earlier and _RECENT_BETWEEN.search(text, earlier[-1], start):
        return False
    after = min(len(text), end + 220)
    return bool(_NOW_WELL_OR_ONLY.search(text, end, after)) and not _GOES_ON.search(text, end, after)


# A relative's event dated weeks or months ago anywhere in its clause ("minha irmã teve um AVC mês
# passado"), or years ago right at the event ("minha mãe teve AVC faz cinco anos"): further on, years
# are how long something lasts ("não sabe o nome da rua onde mora faz 40 anos").
_MONTHS_AGO = re.compile(r"\b(?:mes\s+passado|meses\s+atras|(?:ha|faz)\s+(?:uns\s+|alguns\s+)?\d+\s+meses)\b")
_YEARS_AGO = re.compile(
    r"[\s,]*(?:(?:em|no|na)\s+\w+\s+)?(?:anos\s+atras|ano\s+passado|(?:ha|faz)\s+(?:uns\s+|alguns\s+|mais\s+de\s+)?"
    r"\d+\s+anos?\b)"
)


def dated_ago(text: str, clause: str, start: int, end: int) -> bool:
    """The relative's clause dates their event weeks or months ago, or years ago right after the
    mention text[start:end] (`experiencer.Experiencer.other_person`); not when the mention ends in
    a clause of its own ("chamando pela minha mãe que faleceu há dez anos": the death is dated)."""
    if _MONTHS_AGO.search(clause):
        return True
    return bool(_YEARS_AGO.match(text, end)) and text.find(" que ", start, end) < 0


# An event placed in the family right after its mention is a relative's, or a family history: "teve
# um desmaio na família, minha prima, ontem", "caso de AVC lá na família" (a comma before it starts
# another clause: "tô com falta de ar, na família todo mundo tem asma" stays the writer's).
_IN_THE_FAMILY = re.compile(r"\s+(?:(?:aqui|la|ai)\s+)?[nd]a\s+(?:minha\s+|nossa\s+)?familia\b")


def in_the_family(text: str, end: int) -> bool:
    """The mention ending at `end` is placed in the writer's family."""
    return bool(_IN_THE_FAMILY.match(text, end))
