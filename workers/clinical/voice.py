"""Sentence ends of a dictated message: a voice note's transcription has no punctuation ("a falta de
ar foi no mês passado quando peguei covid hoje já subo a ladeira"), so every scope that a "." or a
"?" bounds (the remote past of a clause, a question, an "if" clause, a denial, a resolution) would
run over the whole message. When the text holds no sentence mark (commas aside: a note often opens
with a typed "bom dia doutora," or closes with ", obrigada"), the sentence ends are inferred once
per text from spoken cues and written in (`rewrite`, so a finding still quotes the patient's words;
never over a comma, the writer's own pause): a time adverb of the present ("hoje", "agora") or a
new subject ("eu", "minha tia", "o médico") that opens a clause with its own finite verb after a
clause that has one; a question that opens ("o que eu faço", "posso", "será que") after a told
clause, and the writer's own now or denial after a question; a closing "né" with more said after
it; a complaint with its own verb after a denied clause or someone else's. A sentence whose words
ask (`hypotheses.DICTATED_ASK`) ends in "?", the others in ".". Where the cue is ambiguous no end
is written (the message reads as one sentence, as before): an end cuts a scope short, and a cut
that is wrong could lose an alert (docs/clinical-engine.md, "Fifth session", "robust-voice", and
"Sixth session", "robust-voice2"). `answer_clause_end` does the same for a short dictated answer.
"""

from __future__ import annotations

import re

from . import lexicon as lx
from .hypotheses import DICTATED_ASK
from .normalise import is_word
from .text import Normalised, rewrite, words

# A sentence mark (never a decimal's point: "38.5"). Commas alone do not make a message typed: a
# dictated note often ends with a typed ", obrigada" or opens with "bom dia doutora, ".
_MARK = re.compile(r"[;:!?\n]|(?<!\d)\.|\.(?!\d)")
_WORD = re.compile(r"[a-z0-9]+(?:,\d+)?")
# Finite verbs common in complaints that the endings below miss.
_FINITE = words(
    "ta to tou tava tavam tao tem tenho tinha tive teve era sera sao foi fui sei sabe quer quero queria "
    "pode posso podia vou vai vem veio da deu dei faz fiz fez vi viu sinto sente consigo consegue "
    "durmo faco corro subo respiro ando falo acho preciso tomo fica fico estou esta estao disse falou "
    "mandou pediu passou parou voltou piorou melhorou comecou acordou desmaiei desmaiou levo espero"
)
_ENDING = re.compile(
    r"\w{2,}(?:ou|ei|iu|eu|ava|avam|aram|eram|iram|ando|endo|indo|aria|eria|iria|amos|emos|imos)$"
)
_NOT_FINITE = words("meu seu eu deus ceu chapeu museu dia problema mes gente")
# The words that open a new sentence when a finite verb follows within three words.
_NOW = words("hoje hj agora atualmente")
_SUBJECT = words("eu ele ela eles elas")
_KIN_HEAD = words("minha meu o a")
_KIN = words(
    "mae pai tia tio vo avo avó sogra sogro vizinha vizinho irma irmao filha filho esposa marido "
    "medico medica doutor doutora enfermeira enfermeiro amiga amigo prima primo"
)
_LINKS = words("e ai entao")  # said before the opening word, they open the sentence with it
# After these the next words belong to the clause ("que eu tenho", "quando hoje acordei").
_GOVERNED = words("mas que se quando porque como onde pra para de do da em no na com sem por ate desde")
# A past before this week: `lexicon.REMOTE_PAST` (years) or last week or month ("foi no mês passado
# quando peguei covid hoje já subo a ladeira"). "Ontem … hoje" stays one sentence: today's value is
# read beside yesterday's ("tive febre de 39,5 ontem hoje tá 37,5").
_LAST_WEEKS = re.compile(
    r"\b(?:(?:mes|semana)\s+passad[oa]|passad[oa]\s+(?:mes|semana)|ha\s+(?:\d+|uns|umas|duas|tres)\s+(?:semanas|meses))\b"
)
# "tô ótimo agora": the time closes the state told before it. "hoje não tô normal", "agora voltou":
# the present reopens the past episode, and a cut would read it on its own (recall first: no cut).
_STATE = words("to tou ta estou esta")
_AGAIN = words("nao voltou volta voltando novo novamente piorou piorando ainda continua continuo")
_IF = words("se si caso")
# A body part or sign that takes its own verb after a denied clause: the comma that ended the denial.
_ARTICLE = words("a o")
_BODY = words("boca cara face rosto braco perna mao fala vista voz dor febre pressao respiracao falta")
# A subject of someone else's ("minha filha vai me levar ela sai às cinco …")
_OTHER_PRONOUN = words("ele ela eles elas")
_NEGATORS = words("nao nem nunca")
_FIRST = _NOW | _SUBJECT | _KIN_HEAD | _ARTICLE | _NEGATORS | words("o posso devo sera como e")
_ASK_FIRST = words("o posso devo sera como e")
# A "né" closes a question of what may happen ("quem toma marevan pode sangrar mais fácil né"); after
# a told fact ("tive aquela dor semana passada né mas …") it asks nothing.
_MAY = words("pode podem poderia possa dar causar causa")
_ASK_OPEN = (
    "o que eu faco",
    "o que faco",
    "o que eu devo",
    "posso",
    "devo",
    "sera que",
    "como eu",
    "e normal",
    "e perigoso",
)


def _finite(word: str) -> bool:
    if word in _FINITE:
        return True
    if word in _NOT_FINITE or len(word) < 4:
        return False
    if _ENDING.match(word):
        return True
    # A first person present whose infinitive is a word ("respiro": respirar, "subo": subir).
    return word.endswith("o") and any(is_word(word[:-1] + e) for e in ("ar", "er", "ir"))


# Said between an opening word and its verb ("hoje já subo", "eu mesma não sinto").
_BETWEEN = words("ja so eu ainda nao nunca mesmo mesma tambem ele ela")


def _verb_next(tokens: list[str], i: int) -> bool:
    """A finite verb at token i, after at most two of `_BETWEEN` ("hoje de manhã" has none)."""
    for word in tokens[i : i + 3]:
        if _finite(word):
            return True
        if word not in _BETWEEN:
            return False
    return False


def _asks(tokens: list[str], i: int) -> bool:
    if i >= len(tokens) or tokens[i] not in _ASK_FIRST:
        return False
    tail = " ".join(tokens[i : i + 4])
    return any(tail == q or tail.startswith(q + " ") for q in _ASK_OPEN)


def _opens(tokens: list[str], i: int, remote: bool, asked: bool, denied: bool, other: bool) -> bool:
    """A sentence opens at token i: a time of the present after a remote past (`remote`: "foi no
    mês passado … hoje já subo"), a subject with its own finite verb after a question (`asked`: "é
    normal … minha tia disse"), a sign with its own finite verb after a denial (`denied`: the
    denial must not run onto it) or someone else's clause (`other`), or a question."""
    word = tokens[i]
    if word in _NOW:
        if asked:  # after a question, the writer's own now: "… é comum agora tô sem falta de ar"
            return _verb_next(tokens, i + 1)
        return (
            remote
            and _verb_next(tokens, i + 1)
            and not any(w in _STATE for w in tokens[max(0, i - 3) : i])
            and not any(w in _AGAIN for w in tokens[i + 1 : i + 8])
        )
    if (denied or other) and word in _ARTICLE and i + 2 < len(tokens) and tokens[i + 1] in _BODY:
        # "não consegue nem segurar a colher a boca entortou", "minha filha vai me levar ela sai às
        # cinco a falta de ar começou …": the complaint is the new clause's subject
        verb = i + 4 if tokens[i + 1 : i + 4] == ["falta", "de", "ar"] else i + 2
        return verb < len(tokens) and _finite(tokens[verb])
    if not asked:
        return _asks(tokens, i)
    if word in _SUBJECT and _verb_next(tokens, i + 1):
        return True
    # After a question, the writer's own denial: "… é perigoso nunca tive graças a Deus".
    if word in _NEGATORS and i + 1 < len(tokens) and _finite(tokens[i + 1]):
        return True
    if word in _KIN_HEAD and i + 1 < len(tokens) and tokens[i + 1] in _KIN and _verb_next(tokens, i + 2):
        return True
    return _asks(tokens, i)


def _cuts(text: str) -> tuple[list[tuple[int, int]], list[bool]]:
    """Where a sentence ends (end of its last word, start of the next sentence's first word), and
    whether each sentence opens with or holds a question."""
    found = list(_WORD.finditer(text))
    tokens = [m.group() for m in found]
    cuts: list[tuple[int, int]] = []
    asked = [_asks(tokens, 0) or bool(DICTATED_ASK.search(" ".join(tokens[:8])))]
    seg_start = 0  # the first token of the current sentence
    finite = [0]  # finite[i]: how many of tokens[:i] are finite verbs (once per token)
    negs = [0]  # the same for the negators
    others = [0]  # and for the subjects of someone else's
    clause = [0]  # clause[i]: the first token of the clause of token i (a comma opens one)
    for k, word in enumerate(tokens):
        finite.append(finite[-1] + _finite(word))
        negs.append(negs[-1] + (word in _NEGATORS))
        # (a vocative "doutora" is nobody's subject: a kin word counts with its determiner)
        others.append(
            others[-1] + (word in _OTHER_PRONOUN or (word in _KIN and k > 0 and tokens[k - 1] in _KIN_HEAD))
        )
        if k:
            clause.append(k if "," in text[found[k - 1].end() : found[k].start()] else clause[-1])
    for i in range(2, len(tokens)):
        if tokens[i - 1] != "ne" and tokens[i] not in _FIRST:
            continue  # most words open nothing
        told = asked[-1] or finite[i] > finite[seg_start]
        if (
            tokens[i - 1] == "ne"
            and i - 1 - seg_start >= 3
            and len(tokens) - i >= 2
            and any(w in _MAY for w in tokens[seg_start : i - 1])
        ):
            cuts.append((found[i - 1].end(), found[i].start()))
            asked[-1] = True
            asked.append(_asks(tokens, i))
            seg_start = i
            continue
        remote = tokens[i] in _NOW and any(
            p.search(text, found[seg_start].start(), found[i].start()) for p in (lx.REMOTE_PAST, _LAST_WEEKS)
        )
        if tokens[seg_start] in _IF and i - seg_start >= 3 and _asks(tokens, i):
            asked[-1] = True  # "se ela tiver falta de ar posso levar": the question of an "if" clause
            continue
        if (
            not _opens(tokens, i, remote, asked[-1], negs[i] > negs[seg_start], others[i] > others[seg_start])
            or i - seg_start < 3
            or not told
        ):
            continue
        if tokens[i] == "e" and finite[i] == finite[max(seg_start, clause[i]) + 1] and _asks(tokens, i):
            continue  # "desmaio na gravidez é perigoso": what it asks about is its subject
        first = i - 1 if tokens[i - 1] in _LINKS else i
        if first - seg_start < 3 or tokens[first - 1] in _GOVERNED:
            continue
        cuts.append((found[first - 1].end(), found[first].start()))
        asked.append(_asks(tokens, i))
        seg_start = first
    return cuts, asked


def spoken_stops(norm: Normalised) -> Normalised:
    """The dictated message with its inferred sentence ends written in (unchanged when it has a
    sentence mark, or no end is inferred)."""
    text = norm.text
    if _MARK.search(text):
        return norm
    cuts, asked = _cuts(text)
    if not cuts and not asked[0]:
        return norm  # one sentence: `hypotheses.asks` reads its words
    edits: list[tuple[int, int, str]] = []
    start = 0
    for (end, nxt), asks in zip(cuts, asked, strict=False):
        if "," not in text[end:nxt]:  # the writer's own comma is the pause they meant: left as it is
            edits.append((end, end, "?" if asks or DICTATED_ASK.search(text[start:end]) else "."))
        start = nxt
    end = len(text.rstrip())
    if asked[-1] or DICTATED_ASK.search(text[start:end]):
        edits.append((end, end, "?"))
    return rewrite(norm, edits)


# A clause the speaker opens after a short answer ("às vezes sim ontem fiquei olhando…", "acho que
# sim às vezes fico…"): a time or a subject with its own finite verb, or "às vezes" with one.
_ANSWER_OPENS = _NOW | _SUBJECT | words("ontem anteontem")


def answer_clause_end(text: str) -> int | None:
    """Where the first clause of a dictated answer ends (the start of the next one), or None."""
    if _MARK.search(text):
        return None
    found = list(_WORD.finditer(text))
    tokens = [m.group() for m in found]
    for i in range(1, len(tokens) - 1):
        if tokens[i] in _ANSWER_OPENS and _verb_next(tokens, i + 1):
            return found[i].start()
        if tokens[i] == "as" and tokens[i + 1] == "vezes" and _verb_next(tokens, i + 2):
            return found[i].start()
    return None
