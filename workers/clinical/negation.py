"""Does a matched mention describe something the patient has *now*?

A lexicon match is only a candidate. This module looks at the words around it, in the normalised
text (lowercase, no accents), and returns why the mention does not count, or None when it does:

- ``negado``: "nega febre", "sem falta de ar", "não estou com dor no peito", "nenhum sangramento",
  "ausência de dispneia", "TEP descartado", "febre: não".
- ``condicional``: advice and hypotheses, "retornar se febre", "em caso de sangramento",
  "orientada sobre sinais de alarme: ...", "medo de ter um AVC", "para descartar TEP".
- ``historico``: "histórico de AVC", "antecedente de convulsão".
- ``resolvido`` (discharge summaries and reports only): "dispneia resolvida", "apresentou
  convulsão na internação, controlada".
- ``indicacao`` (reports only): the request reason ("Indicação: suspeita de TEP") is not a finding.
- ``motivo_internacao`` (discharge summaries only): "Internado por dor torácica" is why the patient
  came in; it alerts only when the clause says it goes on ("mantém", "ainda", "persiste").
Scope rules (a clause boundary ends a scope, a negator runs over a list, a bare "não" only through a
verb of having or feeling, doubt is not denial...): docs/clinical-engine.md, "Assertion of every mention".
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from enum import StrEnum

from .conditional import bare_condition
from .negation_cues import CUES, may_hold_cue, stem_starts
from .negation_scope import NAO_VERB_STEMS, list_scope_reaches, nao_reaches
from .postposed import POST_NEGATION, came_back, denied_after
from .prefilter import WordStarts
from .rating import rating_frame
from .report_cues import ADMISSION, CURRENT, PRESENT, RESOLVED_ALTA, RESOLVED_LAUDO
from .text import words
from .verb_scope import verb_scope_closed


class Mode(StrEnum):
    QUEIXA = "queixa"  # complaint or admission reason: what the patient has now
    ALTA = "alta"  # discharge summary: past events may be resolved
    LAUDO = "laudo"  # imaging / exam report


_BOUNDARY = re.compile(
    r"[;!?\n]|(?<!\d)\.|\.(?!\d)|\b(?:mas|pero|porem|contudo|entretanto|todavia|no entanto|exceto|apenas|"
    r"somente|so|porque|pois|por causa|ja que|embora|enquanto|e sim|alem disso|"
    # "não tive convulsão, o problema é que vomito tudo": what is wrong comes after (held-recall2)
    r"o (?:problema|negocio|pior|chato|ruim) (?:mesmo )?e que)\b"
)
# Resolution in a discharge summary is judged over the whole clause, where commas do not end it.
_SENTENCE_BOUNDARY = re.compile(
    r"[;!?\n]|(?<!\d)\.|\.(?!\d)|\b(?:mas|pero|porem|contudo|entretanto|todavia|no entanto)\b"
)

# Spanish "pero" closes a negation as "mas" does ("sin fiebre pero me falta el aire").
_SENTENCE_WORDS = frozenset(("mas", "porem", "contudo", "entretanto", "todavia", "no entanto", "pero"))

_TOKEN = re.compile(r"[a-z0-9]+|[,/:]")

_NEVER_LIKE_THIS = re.compile(
    r"\s+(?:[a-z]+\s+){0,2}?(?:tao|tanto|assim|igual|dess[ea]|desse\s+jeito|como\s+(?:essa|esta|agora|hoje))\b"
)
# "não é exagero", "não é frescura": the patient insists the complaint is real (s3de-recall).
# The spoken echo of a denial, "não é <words> não", ends that clause; what follows is a new statement
# when it opens with a verb of state ("... não tô com dor no peito de verdade").
_ECHO_OPEN = re.compile(r"\bnao\s+(?:e|eh|foi)\s+(?:[a-z]+\s+){1,5}$")
_ECHO_NEXT = words("to tou estou ta tava")
_EMPHATIC = words("exagero frescura mentira brincadeira drama besteira invencao manha fingimento piada")
# "não é modo de dizer", "não é força de expressão": insisting that it is literal (s7h-099)
_MANNER = words("modo jeito maneira forca figura")
# A double negative keeps the finding: "não é possível descartar TEP", "não afasta dissecção".
_DOUBLE_NEGATIVE = re.compile(r"\b(?:nao|sem|impossivel|dificil)\b[\w\s]{0,25}$")

_INDICATION = re.compile(
    r"(?:^|\n|(?<!\d)\.)\s*(?:indicacao(?: clinica)?|dados clinicos|informac(?:ao|oes) clinicas?|"
    r"historia clinica|quadro clinico|motivo(?: do exame)?|hipotese(?: diagnostica)?|hd|"
    r"suspeita(?: clinica)?|pedido|solicitacao|justificativa)\s*[:\-][^\n.]*"
)


def indication_spans(text: str) -> list[tuple[int, int]]:
    """Report sections that state why the exam was requested."""
    return [(m.start(), m.end()) for m in _INDICATION.finditer(text)]


class TextContext:
    """Boundary positions of one normalised text, computed once so each mention costs a bisect."""

    __slots__ = (
        "_cue_starts",
        "_words",
        "clause_ends",
        "clause_starts",
        "indications",
        "sentence_ends",
        "sentence_starts",
        "text",
    )

    def __init__(
        self,
        text: str,
        mode: Mode,
        clause: list[tuple[int, int]] | None = None,
        words: WordStarts | None = None,
    ) -> None:
        self.text = text
        self._words = words
        self._cue_starts: list[int] | None = None
        # One scan: `_SENTENCE_BOUNDARY`'s matches are the `_BOUNDARY` matches that are punctuation
        # or one of its words (the same punctuation, a subset of the words, none inside another).
        clause = [(m.start(), m.end()) for m in _BOUNDARY.finditer(text)] if clause is None else clause
        sentence = [(a, b) for a, b in clause if b - a == 1 or text[a:b] in _SENTENCE_WORDS]
        self.clause_starts = [a for a, _ in clause]
        self.clause_ends = [b for _, b in clause]
        self.sentence_starts = [a for a, _ in sentence]
        self.sentence_ends = [b for _, b in sentence]
        self.indications = indication_spans(text) if mode is Mode.LAUDO else []

    def cue_starts(self) -> list[int]:
        """Where a negation cue may start (`negation_cues`), once per text, on the first mention's ask."""
        if self._cue_starts is None:
            self._cue_starts = stem_starts(self.text, self._words)
        return self._cue_starts

    def clause_start(self, pos: int, sentence: bool = False) -> int:
        ends = self.sentence_ends if sentence else self.clause_ends
        i = bisect_right(ends, pos)
        return max(ends[i - 1] if i else 0, pos - 400, 0)

    def clause_end(self, pos: int, sentence: bool = False) -> int:
        starts = self.sentence_starts if sentence else self.clause_starts
        i = bisect_left(starts, pos)
        limit = min(len(self.text), pos + 400)
        return min(starts[i], limit) if i < len(starts) else limit


def clause_start(text: str, pos: int, *, sentence: bool = False) -> int:
    pattern = _SENTENCE_BOUNDARY if sentence else _BOUNDARY
    lo = max(0, pos - 400)
    last = lo
    for m in pattern.finditer(text, lo, pos):
        last = m.end()
    return last


def clause_end(text: str, pos: int, *, sentence: bool = False) -> int:
    pattern = _SENTENCE_BOUNDARY if sentence else _BOUNDARY
    m = pattern.search(text, pos, min(len(text), pos + 400))
    return m.start() if m else min(len(text), pos + 400)


_FINITE_VERB = re.compile(r"[a-z]+(?:ou|ei|iu|eu|aram|eram|iram)\b")
_OWN_DENIAL = re.compile(r"\b(?:nao|num|nem|nunca)\b")


_KIND_REASON = {
    "nao": "negado",
    "neg": "negado",
    "ruleout": "negado",
    "cond": "condicional",
    "hist": "historico",
}
# A present statement between the "if" and the symptom: "se eu subo escada fico sem ar", "me dá".
_NOW_IN_CONDITION = re.compile(
    r"\b(?:(?:me|lhe|te)\s+(?:da|deu|dava|vem|vinha|falta|doi|sobe|ataca)|fico|fica)\b"
)
# "se essa dor for infarto": a symptom pointed at and then named is present; only its cause is "if".
_DEICTIC = words("essa esse esta este essas esses estas estes")
_IS_WHAT = re.compile(
    r"\s+(?:\w+\s+){0,2}?(?:for|fosse|forem|seria)\s+(?:um\s+|uma\s+|o\s+|a\s+|algo\s+)?[a-z]"
)


def _pointed_then_named(tokens: list[str], text: str, end: int) -> bool:
    return bool(tokens) and tokens[-1] in _DEICTIC and bool(_IS_WHAT.match(text, end))


_COND_SUBJECTS = words("eu ele ela voce voces a o meu minha paciente crianca bebe gente")
_SUBJUNCTIVE = words(
    "tenha tiver tiverem sinta sentir sentirem apresente apresentar comece comecar volte voltar der dar "
    "aconteca acontecer fique ficar esteja estiver houver haja surja surgir aparecer apareca piore piorar"
)
# Work-up words: in a report they ask a question ("para investigar TEP"); in a complaint or an
# admission reason they name what happened ("investigação de síncope").
_WORKUP = re.compile(r"(?:para\s+)?(?:investiga|pesquis|rastre)")
# "cem febre" is how dictation writes "sem febre" (the numbers step makes it "100 febre"); "nenhuma"
# may follow an adjective of the complaint ("dor física nenhuma, nem no peito").
_DICTATED_SEM = re.compile(r"\b(?:cem|100)\s+$")
_NONE_INSIDE = re.compile(r"[a-z]+(?:\s+[a-z]{4,})?\s+(?:nenhum|nenhuma|ninhuma|nenhu)\b")
# In every word `_post_negated` reads; looked for with `str.__contains__` (seven C scans of a short head).
_POST_STEMS = ("nao", "neg", "ausen", "descart", "afast", "exclu", "inexist")
_POST_WORDS = words(
    "negado negada negados negadas ausente ausentes descartado descartada descartados descartadas afastado "
    "afastada afastados afastadas excluido excluida inexistente negativo negativa"
)


# A finite indicative verb inside the mention ("boca ficou torta", "braço tá fraco"): an event told,
# which a condition or a fear does not reach (s7-spec-when); what is feared or supposed is in the
# subjunctive or the infinitive ("medo que a boca fique torta", "se a boca entortar").
_TOLD_EVENT = re.compile(r"\b(?:ficou|ficaram|ta|esta|tao|estao|[a-z]{3,}(?:ou|iu|eu|aram|eram|iram))\b")


def suppression(
    text: str, start: int, end: int, mode: Mode = Mode.QUEIXA, ctx: TextContext | None = None
) -> str | None:
    """Why the mention text[start:end] does not count now, or None when it does."""
    if ctx is None:
        ctx = TextContext(text, mode)
    if any(a <= start < b for a, b in ctx.indications):
        return "indicacao"
    # Its match lies inside the mention and holds "nenhu" or "ninhuma": two C scans before the regex.
    if (text.find("nenhu", start, end) >= 0 or text.find("ninhuma", start, end) >= 0) and _NONE_INSIDE.match(
        text, start, end
    ):
        return "negado"  # "dor nenhuma no peito": the negator sits inside the matched words
    match_is_verb = bool(_FINITE_VERB.match(text, start))
    # The cue opens with its own denial ("não sabe onde está", "num tô podendo respirar"): a "não" right
    # before it closed the clause before ("falando coisa com coisa não num sabe onde tá"), and one after
    # it is the North-East echo ("não consigo respirar não"). (A "não" inside a match may be a gap's word
    # that denies: "peito não dói nada".)
    own_denial = _OWN_DENIAL.match(text, start) is not None
    c_start = ctx.clause_start(start)
    prefix = text[c_start:start]
    reason: str | None = None
    cues: Iterable[re.Match[str]] = ()
    if ctx.text is not text:
        cues = CUES.finditer(prefix)
    elif may_hold_cue(text, ctx.cue_starts(), c_start, start):
        # The same matches, on `prefix`, tried only where the text's word index says a cue may start.
        index = ctx._words
        cues = CUES.finditer(prefix) if index is None else index.finditer_slice(CUES, c_start, start, prefix)
    for m in cues:
        kind = m.lastgroup or ""
        if kind == "ruleout" and _DOUBLE_NEGATIVE.search(prefix[: m.start()]):
            continue
        tokens = _TOKEN.findall(prefix[m.end() :])
        if kind == "cond" and mode is Mode.QUEIXA and _WORKUP.match(m.group(0)):
            continue  # "internação para investigação de síncope": the syncope happened
        if kind == "nao":
            reached = nao_reaches(tokens, match_is_verb) and not (own_denial and not tokens)
            if reached and m.group(0) == "nunca" and _NEVER_LIKE_THIS.match(text, end):
                reached = False  # "nunca senti uma dor no peito tão forte" is a superlative, not a denial
            if (
                reached
                and tokens[:1] in (["e"], ["eh"], ["foi"], ["ta"])
                and tokens[1:2]
                and (tokens[1] in _EMPHATIC or (tokens[1] in _MANNER and tokens[2:3] == ["de"]))
            ):
                reached = False  # "não é exagero não, o aperto no tórax é de verdade": insisting, not denying
            if reached and tokens[:1] and tokens[0] in _ECHO_NEXT and _ECHO_OPEN.search(prefix, 0, m.start()):
                reached = False  # unpunctuated "não é jeito de falar não tô com falta de ar": the echo closes
        elif kind == "cond" and m.group(0) == "caso" and tokens[:1] in (["de"], ["do"], ["da"]):
            reached = False  # "o caso de ..." is a noun, not "if"
        elif kind == "cond":
            # "caso eu sinta dor no peito", "se ele tiver febre": the subject and verb open the scope.
            k = 0
            while k < len(tokens) and k < 3 and (tokens[k] in _COND_SUBJECTS or tokens[k] in _SUBJUNCTIVE):
                k += 1
            reached = list_scope_reaches(tokens[k:], match_is_verb)
            # The frame may be the score's own first words: "se for | de 0 a 10 é 9" (s6-recall).
            if reached and (
                _NOW_IN_CONDITION.search(prefix, m.end()) or rating_frame(text[c_start:end], m.end())
            ):
                reached = False  # "se eu ficar nervosa me dá falta de ar", "se for dar nota, é nove"
            elif reached and _pointed_then_named(tokens, text, end):
                reached = False  # "e se essa dor no peito for infarto?": the pain is here, its name the "if"
            elif reached and _TOLD_EVENT.search(text, start, end):
                reached = False  # "medo que seja um AVC(,) a boca ficou torta agora": an event told
        else:
            reached = list_scope_reaches(tokens, match_is_verb) and not verb_scope_closed(tokens)
        if reached:
            reason = _KIND_REASON[kind]
    if (
        reason is None
        and bare_condition(prefix, text[start:end], match_is_verb, text[end : end + 60])
        and not _pointed_then_named(prefix.split()[-1:], text, end)
    ):
        reason = "condicional"  # "retornar se febre", "se a falta de ar voltar", "se o corte sangrar"
    if reason is None and prefix.rstrip().endswith(("cem", "100")) and _DICTATED_SEM.search(prefix):
        reason = "negado"
    if reason is not None:
        return reason

    after = text[end : end + 80]
    negated = (
        not own_denial and POST_NEGATION.match(after) and not came_back(text[end : end + 140])
    )  # "..., mas voltou"
    if negated or _post_negated(after) or denied_after(text, c_start, start, end):
        return "negado"

    if mode in (Mode.ALTA, Mode.LAUDO):
        s_start = ctx.clause_start(start, sentence=True)
        s_end = ctx.clause_end(end, sentence=True)
        clause = text[s_start:s_end]
        resolved = RESOLVED_ALTA if mode is Mode.ALTA else RESOLVED_LAUDO
        if resolved.search(clause) and not CURRENT.search(clause):
            return "resolvido"
        if (
            mode is Mode.ALTA
            and ADMISSION.search(text, s_start, start)
            and not CURRENT.search(clause)
            and not PRESENT.search(clause)
        ):
            return "motivo_internacao"
    return None


def _post_negated(after: str) -> bool:
    """ "TEP: pesquisa negativa", "dor torácica negada", "pneumotórax não caracterizado" """
    head = after.split(",", 1)[0]  # "dor no peito, TEP descartado" (no clause boundary holds a comma)
    words = _TOKEN.findall(head[: clause_end(head, 0)])[:4] if any(s in head for s in _POST_STEMS) else []
    for i, w in enumerate(words):
        if w in _POST_WORDS:
            return True
        if (
            w == "nao"
            and i + 1 < len(words)
            and NAO_VERB_STEMS.match(words[i + 1])
            and words[i + 1].endswith(("ado", "ada", "ados", "adas", "ido", "ida"))
        ):
            return True
    return False
