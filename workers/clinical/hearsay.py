"""What may happen, read or asked about, not what happens (docs/clinical-engine.md, "Seventh session",
s7-spec-when): two shapes `hypotheses` did not read.

- What a leaflet or a page says, in its "que" clause: "li na bula que convulsão é efeito raro, mas eu
  tô bem", "vi na internet que esse remédio dá desmaio". The clause ends at a pause or a turn to the
  writer ("..., e eu desmaiei hoje" tells an event).
- A question about a consequence under a condition: the mention is what "pode/vai" or a present
  verb says would follow an "if" clause with a future subjunctive, in a question from a writer who
  claims nothing in it: "será que convulsão pode voltar se eu esquecer o remédio?", "se eu parar o
  remédio a convulsão volta?". A question asked while the sign is happening claims it ("ele tá se
  debatendo agora, se eu der o remédio passa?") and counts.
"""

from __future__ import annotations

import re

from .hypotheses import asks

# (never being fine, or taking the medicine: "tô ótima", "tô tomando certinho")
_CLAIM = re.compile(
    r"\b(?:(?:to|tou|estou|ta|esta|tava|estava)(?!\s+(?:bem|otim[oa]|normal|tranquil[oa]|bo[am]|tomando|usando|"
    r"fazendo|aqui)\b)|tenho|tive|teve|senti|sinto|sente|sentiu|me\s+deu|acontec\w+|"
    r"(?!tomando|usando|fazendo)[a-z]{4,}(?:ei|ou|iu|ando|endo|indo))\b"
)
_SOURCES = ("bula", "folheto", "internet", "google", "site", "literatura")
_INSERT_SAYS = re.compile(
    r"\b(?:(?:li|vi|ouvi|leio|vejo|ta\s+escrito|esta\s+escrito|diz|dizia|fala|falava|consta)\s+"
    r"(?:\w+\s+){0,2}?(?:n[ao]s?|em)\s+(?:\w+\s+)?(?:bula|folheto|internet|google|site|literatura)|"
    r"(?:bula|folheto|literatura|site)\s+(?:\w+\s+){0,3}?(?:diz|dizia|fala|falava|menciona|cita|avisa|alerta|"
    r"informa|traz|tem|coloca))\b[^,.;!?\n]{0,30}?\bque\b"
)
# Where the reported clause ends: a pause, a contrast, or the writer taken up again ("e eu ...").
_CLAUSE_BREAK = re.compile(
    r"[,;:.!?]|\b(?:mas|porem|so\s+que|e\s+(?:eu|hoje|agora|ontem|ele|ela|ai|depois|ja|desde|me|to|tou|estou|"
    r"tenho|tive|senti|sinto|fiquei))\b|\b(?:to|tou|estou|tava|fiquei)\s+com\b"
)


def insert_says(text: str, sentence_start: int, start: int, sentence_end: int) -> bool:
    """The mention lies in what a leaflet or a page says ("li na bula que ...")."""
    lo = max(sentence_start, start - 120)
    window = text[lo:start]
    if all(w not in window for w in _SOURCES):
        return False  # the common case, without a regex
    said = None
    for said in _INSERT_SAYS.finditer(text, lo, start):  # noqa: B007 - the last one opens the clause
        pass
    # ... and the writer claims nothing after it: "li na bula que pode inchar a língua e é o que tá
    # acontecendo agora" (dictated, with no pause to end the clause) tells it happening
    return (
        said is not None
        and not _CLAUSE_BREAK.search(text, said.end(), start)
        and not _CLAIM.search(text, said.end(), sentence_end)
    )


# "se" + (subject) + future subjunctive: the condition. Its subject (or a negation) tells it from the
# reflexive "se" of "pode se transformar".
_IF_FUTURE = re.compile(
    r"\b(?:se|caso)\s+(?:(?:eu|ele|ela|voce|a\s+gente|(?:o|a)\s+[a-z]+)\s+)?(?:nao\s+)?(?:um\s+dia\s+|de\s+novo\s+)?"
    r"(?:tiver|estiver|for|der|vier|fizer|puder|ficar|parar|esquecer|deixar|tomar|comer|beber|"
    r"[a-z]{3,}(?:ar|er|ir))\b"
)
_IF_OPENS = re.compile(
    r"\b(?:se|caso)\s+(?:eu|ele|ela|voce|a\s+gente|nao|(?:o|a)\s+[a-z]+\s+(?:nao\s+)?[a-z]+(?:ar|er|ir)\b)"
)
# What would follow: "pode voltar", "vai dar", "volta", "piora", "acontece".
_WOULD_FOLLOW = re.compile(
    r"\s+(?:(?:pode|podem|poderia|vai|iria|costuma)\s+(?:\w+\s+)?|)"
    r"(?:voltar|volta|vir|vem|acontecer|acontece|aparecer|aparece|dar|da|ter|piorar|piora|repetir|repete)\b"
)
# A claim of the writer's own in the sentence: "tô com", "tive", "ele tá se debatendo", "desmaiei".


def consequence_question(text: str, sentence_start: int, start: int, end: int, sentence_end: int) -> bool:
    """The mention is what an asked "if" clause would bring about, with no claim in the question."""
    if all(text.find(w, sentence_start, sentence_end) < 0 for w in ("se ", "caso ")):
        return False  # the common case, without a regex
    if not asks(text, sentence_start, sentence_end):
        return False
    condition = _IF_FUTURE.search(text, sentence_start, sentence_end)
    if condition is None or not _IF_OPENS.match(text, condition.start()):
        return False
    asked = text[sentence_start:sentence_end]
    if _CLAIM.search(_IF_FUTURE.sub(" ", asked)):
        return False
    if condition.start() >= end:  # "convulsão pode voltar se eu esquecer": the mention, then what it does
        return bool(_WOULD_FOLLOW.match(text, end, condition.start()))
    # "se eu parar o remédio a convulsão volta?": the condition, then the mention and what it does
    return bool(_WOULD_FOLLOW.match(text, end, sentence_end))
