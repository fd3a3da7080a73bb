"""A candidate mention and the scanner that asserts it.

`Scanner` holds one normalised text (typos fixed, numbers in words turned into digits) with its
boundaries, computed once, and gives every candidate its assertion (`Scanner.mention`): the
mention's own clause (`negation`), then what the whole message says (`assertion`, `experiencer`).
The detectors (`symptoms`, `concepts`, `measures`) only find candidates.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from workers.findings import Severity

from . import lexicon as lx
from .assertion import (
    ASSERTION,
    episode_over,
    happening_next,
    hypothetical_question,
    hypothetical_spans,
)
from .cleft import cleft_other, writer_focus_other
from .closure import dated_then_clear, recurred_next
from .dated_over import dated_then_fine
from .denied_cue import fall_denied
from .episodes import closed_care_episode
from .experiencer import FIRST_PERSON_FEVER, Experiencer
from .figurative import figurative, weather
from .hearsay import consequence_question, insert_says
from .history import in_the_family, remote_history
from .hyperbole import hyperbole
from .hypotheses import (
    asked_not_had,
    averted,
    conditional_question,
    may_happen_question,
    protasis_spans,
    reported_question_denied,
    warded_off,
)
from .indexed import register
from .jest import corrected_after, lesson_topic
from .media import media_report
from .negation import _BOUNDARY as BOUNDARY
from .negation import Mode, TextContext, suppression
from .numbers import digits_for_words
from .overtaken import came_true_after, just_measured
from .prefilter import WordStarts, may_match
from .roles import READINGS, measured_by_helper
from .routine import masked
from .sentence_facts import SentenceFacts
from .sequela import DEFICITS, closed_since, nearer_recent, stable_sequela
from .spelling import fix_typos
from .spoken import spoken_no
from .spoken_infinitive import spoken_infinitive
from .spoken_verbs import regional_kin, spoken_verbs
from .text import Normalised, normalise
from .things import thing_subject
from .topic_shift import topic_stops
from .voice import spoken_stops

# A turn to the present: "mas agora", "porém hoje", "só que desde cedo", and after a pause, "...
# passou depois do remédio, agora é só a diarreia".
_NOW_CONTRAST = re.compile(
    r"\b(?:mas|porem|so\s+que)\s+(?:\w+\s+)?(?:agora|hoje|atualmente|desde\s+(?:hoje|cedo|ontem|a\s+madrugada))\b|"
    r"[,;]\s*(?:e\s+)?(?:agora|atualmente)\b|"
    # a new item of a list of requests (s10i-074): "ta tudo cicatrizado, ..., e também uma dor na barriga"
    r"[,;]\s*(?:e\s+)?(?:tambem|outra\s+coisa)\b"
)


def _now_after_contrast(t: str, a: int, start: int) -> int:
    """The sentence start moved past the last turn to the present before the mention, if any."""
    if not may_match(_NOW_CONTRAST, t[a:start]):
        return a  # none of its words ("mas", "porem", "so"): no scan of the sentence per mention
    last = None
    for m in _NOW_CONTRAST.finditer(t, a, start):
        last = m
    return last.start() if last else a


@dataclass(slots=True)
class Mention:
    codigo: str
    descricao: str
    severidade: Severity
    start: int
    end: int
    trecho: str
    motivo: str | None = None  # why it does not count; None = it counts
    valor: float | None = None
    unidade: str | None = None

    @property
    def counts(self) -> bool:
        return self.motivo is None

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"codigo": self.codigo, "descricao": self.descricao, "trecho": self.trecho}
        out["assercao"] = ASSERTION.get(self.motivo, "resolvido")
        if self.valor is not None:
            out["valor"] = self.valor
            if self.unidade:
                out["unidade"] = self.unidade
        if self.motivo:
            out["motivo"] = self.motivo
        return out


@dataclass(slots=True)
class TextScan:
    norm: Normalised
    symptoms: list[Mention] = field(default_factory=list)
    temperatures: list[Mention] = field(default_factory=list)
    fever_mentions: list[Mention] = field(default_factory=list)
    pain_scores: list[Mention] = field(default_factory=list)
    severe_pain: list[Mention] = field(default_factory=list)
    counts: list[Mention] = field(default_factory=list)  # vomiting / diarrhoea episodes per day
    oncology: list[Mention] = field(default_factory=list)
    vitals: list[Mention] = field(default_factory=list)  # codigo = SinaisVitais field name

    def counted(self, items: list[Mention]) -> list[Mention]:
        return [m for m in items if m.counts]


class Scanner:
    def __init__(self, raw: str, mode: Mode) -> None:
        # Typos first ("trinta e oito" is spelt right more often than "convulcao"), then numbers.
        self.norm = topic_stops(
            spoken_stops(
                digits_for_words(
                    spoken_no(spoken_infinitive(spoken_verbs(fix_typos(regional_kin(normalise(raw))))))
                )
            )
        )
        self.t = self.norm.text
        self.mode = mode
        self.words = WordStarts(self.t)
        register(self.words)  # for the rules' window searches (`indexed`)
        # The clause boundaries through the word index: `_BOUNDARY` tried only where one can start.
        self.ctx = ctx = TextContext(
            self.t, mode, [m.span() for m in self.words.finditer(BOUNDARY)], self.words
        )
        self.indications = self.ctx.indications
        self._past: dict[tuple[int, int], tuple[bool, bool]] = {}  # per clause (`_remote_past`)
        # The punctuation among the context's sentence boundaries (its words are longer than one).
        ends = [(a, b) for a, b in zip(ctx.sentence_starts, ctx.sentence_ends, strict=True) if b - a == 1]
        self._after_end = [b for _, b in ends]  # where a sentence may start
        self._end_at = [a for a, _ in ends]  # where a sentence ends
        self.experiencer = Experiencer(self.t, [0, *self._after_end]) if mode is Mode.QUEIXA else None
        if self.experiencer is not None:
            self.experiencer.index = self.words
        # Per sentence: where it asks a hypothetical question, and whether the episode is over.
        self._hypo: dict[tuple[int, int], list[tuple[int, int]]] = {}
        self._over: dict[tuple[int, int, bool, str], bool] = {}
        self._if_clauses: dict[tuple[int, int], list[tuple[int, int]]] = {}  # `hypotheses.protasis_spans`
        self._facts: dict[tuple[int, int], SentenceFacts] = {}  # per sentence span (`facts`)
        self._motivos: dict[tuple[str, str, int, int, float | None, bool], str | None] = {}  # `mention`
        self._closed: int | None = None  # where a cared-for episode closes (-1: it does not)
        self.oncology = False  # the payload says the patient is under oncology treatment

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """`sentence_bounds` by bisection over boundaries found once per text."""
        i = bisect_right(self._after_end, start)
        a = max(self._after_end[i - 1] if i else 0, start - 400, 0)
        j = bisect_left(self._end_at, end)
        limit = min(len(self.t), end + 400)
        b = min(self._end_at[j], limit) if j < len(self._end_at) else limit
        return a, b

    def mention(
        self,
        codigo: str,
        descricao: str,
        severidade: Severity,
        start: int,
        end: int,
        valor: float | None = None,
        unidade: str | None = None,
        remote_past: bool = False,
    ) -> Mention:
        # The same candidate is found again by another family or detector (about one call in twenty on
        # a dense message): its assertion depends on these arguments and the text only.
        key = (codigo, severidade, start, end, valor, remote_past)
        if key in self._motivos:
            motivo = self._motivos[key]
        else:
            motivo = self._motivos[key] = self._assert(codigo, severidade, start, end, valor, remote_past)
        return Mention(
            codigo, descricao, severidade, start, end, self.norm.excerpt(start, end), motivo, valor, unidade
        )

    def _assert(
        self, codigo: str, severidade: Severity, start: int, end: int, valor: float | None, remote_past: bool
    ) -> str | None:
        """Why the candidate does not count (None: it counts)."""
        motivo = suppression(self.t, start, end, self.mode, self.ctx)
        # "o que acontece se a pressão tá 19 por 12, acabei de medir e deu isso": the reading asked
        # about is the writer's own, just taken; "... caso a dor voltasse, só que agora ela voltou": the
        # hypothetical came true (`overtaken`)
        if motivo == "condicional" and self._came_true(start, end, valor):
            motivo = None
        if motivo is None and (remote_past or self.mode is Mode.QUEIXA):
            clause = self.ctx.clause_start(start, sentence=True), self.ctx.clause_end(end, sentence=True)
            past, event = self._remote_past(*clause)
            if (
                past
                and (remote_past or event)
                and not nearer_recent(self.t, *clause, start, end, lx.REMOTE_PAST)
                and not recurred_next(self.t, self.bounds(start, end)[1], end)
            ):
                motivo = "historico"
        if motivo is None and self.experiencer is not None:
            motivo = self.context_assertion(codigo, severidade, start, end)
            if motivo == "hipotetico" and self._came_true(start, end, valor):
                motivo = self.context_assertion(codigo, severidade, start, end, asked=False)
        return motivo

    def _came_true(self, start: int, end: int, valor: float | None) -> bool:
        """A reading asked about that the writer says they just took, or a hypothetical that came true."""
        if valor is not None and just_measured(self.t, end):
            return True
        return came_true_after(self.t, end, self.bounds(start, end)[1])

    def _remote_past(self, c0: int, c1: int) -> tuple[bool, bool]:
        """(the clause is anchored in the remote past and not still going on, it names a past
        event), once per clause: the mentions of a sentence share it."""
        key = (c0, c1)
        found = self._past.get(key)
        if found is None:
            search = self.words.search_in  # `pattern.search(t, c0, c1)` through the word index
            past = bool(search(lx.REMOTE_PAST, c0, c1)) and not search(lx.STILL_NOW, c0, c1)
            found = self._past[key] = (past, past and bool(search(lx.PAST_EVENT, c0, c1)))
        return found

    def context_assertion(
        self, codigo: str, severidade: Severity, start: int, end: int, asked: bool = True
    ) -> str | None:
        """Figurative, hypothetical, someone else's or over: what the whole message says (QUEIXA).
        `asked`: False when the mention is a reading the writer says they just took."""
        t = self.t
        who = self.experiencer
        if who is None:
            return None
        a, b = self.bounds(start, end)
        if (
            figurative(t, start, end)
            or hyperbole(t, start, end)
            or (codigo == "temperatura" and weather(t, start, end, a, b))
        ):
            return "figurado"
        if thing_subject(t, a, start):
            return "figurado"  # "o trator apagou no meio do talhão": a machine's, not a person's
        if corrected_after(t, codigo, end):
            return "negado"  # "apaguei total kkk, mas não desmaiei não"
        if codigo == "sincope" and fall_denied(t, start, end):
            return "negado"  # "a vista escureceu ..., não caí nem apaguei"
        spans = self._hypo.get((a, b))
        if spans is None:
            spans = self._hypo[(a, b)] = hypothetical_spans(t, a, b, self.words)
        now_next = happening_next(t, b)
        if (
            asked
            and now_next is None
            and (
                hypothetical_question(t, a, start, b, spans)
                or averted(t, start, a, b)
                or conditional_question(t, self._protasis(a, b), start, end)
                or asked_not_had(t, a, start, end, b)
                or warded_off(t, a, start)
                or may_happen_question(t, a, start, end, b)
                or lesson_topic(t, a, start)
                or insert_says(t, a, start, b)
                or consequence_question(t, a, start, end, b)
            )
        ):
            return "hipotetico"
        if reported_question_denied(t, a, start, end):
            return "negado"
        if remote_history(t, a, start, end):
            return "historico"  # "há uns cinco anos tive um derrame ..., hoje tô só com dor de garganta"
        if (
            (
                who.other_person(start, end)
                and not (codigo in READINGS and measured_by_helper(t, a, start, end))
                and now_next != "comigo"
            )
            or media_report(t, a, start, b)
            or cleft_other(t, a, start, who.caregiver)
            or writer_focus_other(t, a, start, end)
            or in_the_family(t, end)
        ):
            return "outra_pessoa"
        if codigo == "oncologico":
            if lx.TREATMENT_OVER.search(t, a, b):
                return "resolvido"
            # A relative's chemotherapy next to the writer's own fever: the threshold stays 39.
            if who.relative_subject(start, end) and self.words.search(FIRST_PERSON_FEVER):
                return "outra_pessoa"
        elif self.closed_before(start):
            return "resolvido"
        elif codigo in DEFICITS and stable_sequela(t, a, b):
            return "historico"  # "desde o AVC de 2019 a boca ficou puxada, não mudou nada"
        else:
            # "a diarreia parou ontem, mas agora eu vomito tudo": what stopped is told before the turn to
            # the present; the complaint after it is read on its own (s3de-recall).
            a = _now_after_contrast(t, a, start)
            key = (a, b, severidade == "CRITICAL" or codigo == "temperatura", codigo)
            over = self._over.get(key)
            if over is None:
                over = self._over[key] = episode_over(
                    t, a, b, critical=key[2], codigo=codigo, words=self.words, facts=self.facts(a, b)
                )
            if (
                over
                or closed_since(t, a, start, end, b)
                or dated_then_clear(t, start, end, b, reading=codigo == "temperatura")
                or dated_then_fine(t, self.facts(a, b), end, b, codigo)
            ):
                return "resolvido"
        return None

    def facts(self, a: int, b: int) -> SentenceFacts:
        """The shared results of the sentence text[a:b] (`sentence_facts`), made on first use, read
        as `assertion.episode_over` reads it (through `routine.masked`)."""
        found = self._facts.get((a, b))
        if found is None:
            found = self._facts[(a, b)] = SentenceFacts(self.t, a, b, self.words, read=masked)
        return found

    def _protasis(self, a: int, b: int) -> list[tuple[int, int]]:
        spans = self._if_clauses.get((a, b))
        if spans is None:
            spans = self._if_clauses[(a, b)] = protasis_spans(self.t, a, b)
        return spans

    def closed_before(self, start: int) -> bool:
        """The mention is told before the discharge of an episode the message says is over."""
        if self._closed is None:
            found = closed_care_episode(self.t, self.words)
            self._closed = -1 if found is None else found
        return start < self._closed

    def with_previous(self, start: int, end: int) -> tuple[int, int]:
        """The mention's sentence and the one before it: telegraphic writing ("barriga dor muito.
        nota 9.") and a quoted leaflet followed by "é isso:" spread one statement over two."""
        a, b = self.bounds(start, end)
        return (self.bounds(a - 2, a - 2)[0] if a > 1 else a), b

    def sentence(self, start: int, end: int) -> str:
        a, b = self.bounds(start, end)
        return self.t[a:b]
