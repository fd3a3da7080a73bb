"""Scan one free text for symptom mentions, temperatures, pain scores, counts and written vitals.

The scan is exhaustive and explainable: every candidate mention is kept, with the reason it was
discarded (negated, conditional, history, resolved) when it was. Deciding what becomes an alert
is left to `clinico`, which also knows the structured vital signs and the oncology flag.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from workers.findings import Severity

from . import lexicon as lx
from .assertion import (
    ASSERTION,
    FIRST_PERSON_FEVER,
    Experiencer,
    episode_over,
    figurative,
    hypothetical_question,
    hypothetical_spans,
    superseded_scores,
)
from .negation import Mode, TextContext, suppression
from .numbers import digits_for_words
from .prefilter import WordStarts
from .spelling import fix_typos
from .text import Normalised, normalise, parse_number

MAX_MENTIONS_PER_CODE = 12  # per finding code, once one of them counts
_SENTENCE_END = re.compile(r"[;!?\n]|(?<!\d)\.|\.(?!\d)")


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


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(0, start - 400)
    s = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        s = m.end()
    m2 = _SENTENCE_END.search(text, end, min(len(text), end + 400))
    return s, (m2.start() if m2 else min(len(text), end + 400))


class _Scanner:
    def __init__(self, raw: str, mode: Mode) -> None:
        # Typos first ("trinta e oito" is spelt right more often than "convulcao"), then numbers.
        self.norm = digits_for_words(fix_typos(normalise(raw)))
        self.t = self.norm.text
        self.mode = mode
        self.ctx = TextContext(self.t, mode)
        self.indications = self.ctx.indications
        self.words = WordStarts(self.t)
        ends = [m.span() for m in _SENTENCE_END.finditer(self.t)]
        self._after_end = [b for _, b in ends]  # where a sentence may start
        self._end_at = [a for a, _ in ends]  # where a sentence ends
        self.experiencer = Experiencer(self.t, [0, *self._after_end]) if mode is Mode.QUEIXA else None
        # Per sentence: where it asks a hypothetical question, and whether the episode is over.
        self._hypo: dict[tuple[int, int], list[tuple[int, int]]] = {}
        self._over: dict[tuple[int, int, bool], bool] = {}

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
        motivo = suppression(self.t, start, end, self.mode, self.ctx)
        if motivo is None and remote_past:
            c0, c1 = self.ctx.clause_start(start, sentence=True), self.ctx.clause_end(end, sentence=True)
            if lx.REMOTE_PAST.search(self.t, c0, c1) and not lx.STILL_NOW.search(self.t, c0, c1):
                motivo = "historico"
        if motivo is None and self.experiencer is not None:
            motivo = self.context_assertion(codigo, severidade, start, end)
        return Mention(
            codigo, descricao, severidade, start, end, self.norm.excerpt(start, end), motivo, valor, unidade
        )

    def context_assertion(self, codigo: str, severidade: Severity, start: int, end: int) -> str | None:
        """Figurative, hypothetical, someone else's or over: what the whole message says (QUEIXA)."""
        t = self.t
        who = self.experiencer
        if who is None:
            return None
        a, b = self.bounds(start, end)
        if figurative(t, start, end):
            return "figurado"
        spans = self._hypo.get((a, b))
        if spans is None:
            spans = self._hypo[(a, b)] = hypothetical_spans(t, a, b)
        if hypothetical_question(t, a, start, b, spans):
            return "hipotetico"
        if who.other_person(start, end):
            return "outra_pessoa"
        if codigo == "oncologico":
            if lx.TREATMENT_OVER.search(t, a, b):
                return "resolvido"
            # A relative's chemotherapy next to the writer's own fever: the threshold stays 39.
            if who.relative_subject(start, end) and FIRST_PERSON_FEVER.search(t):
                return "outra_pessoa"
        else:
            key = (a, b, severidade == "CRITICAL" or codigo == "temperatura")
            over = self._over.get(key)
            if over is None:
                over = self._over[key] = episode_over(t, a, b, critical=key[2])
            if over:
                return "resolvido"
        return None

    def sentence(self, start: int, end: int) -> str:
        a, b = self.bounds(start, end)
        return self.t[a:b]


def _blood_is_a_test(t: str, start: int, end: int) -> bool:
    """ "vomitei depois do exame de sangue": the blood word belongs to a lab test phrase."""
    last = None
    for last in lx.BLOOD_WORD.finditer(t, start, end):  # noqa: B007 - we want the last one
        pass
    if last is None:
        return False
    if lx.BLOOD_NOT_BLEEDING_AFTER.match(t, last.end()):
        return True  # "sangue oculto nas fezes" is a screening test
    return bool(lx.BLOOD_NOT_BLEEDING_BEFORE.search(t, max(0, last.start() - 50), last.start()))


def scan_families(sc: _Scanner, families: tuple[lx.Family, ...]) -> list[Mention]:
    t = sc.t
    out: list[Mention] = []
    recorded: dict[str, int] = {}
    counted: set[str] = set()
    for fam in families:
        # Only where a word this family starts with occurs (see `prefilter`).
        for m in sc.words.finditer(fam.pattern):
            if recorded.get(fam.codigo, 0) >= MAX_MENTIONS_PER_CODE and fam.codigo in counted:
                break  # enough evidence; keeps a pathological 10,000-character text fast
            s, e = m.span()
            if fam.not_before and fam.not_before.search(t, max(0, s - 50), s):
                continue
            if fam.not_after and fam.not_after.match(t, e):
                continue
            if fam.requires and not fam.requires.search(sc.sentence(s, e)):
                continue
            if fam.blood_word and _blood_is_a_test(t, s, e):
                continue
            mention = sc.mention(fam.codigo, fam.descricao, fam.severidade, s, e, remote_past=fam.remote_past)
            if mention.counts and fam.chronic_treatment and lx.CHRONIC_TREATMENT.search(t, max(0, s - 60), s):
                mention.motivo = "tratamento_cronico"
            out.append(mention)
            recorded[fam.codigo] = recorded.get(fam.codigo, 0) + 1
            if mention.counts:
                counted.add(fam.codigo)
    out.sort(key=lambda x: x.start)
    return out


def _temperature_value(m: re.Match[str]) -> float | None:
    whole = int(m.group("int"))
    dec = m.group("dec")
    value = float(f"{whole}.{dec}") if dec else float(whole)
    groups = m.groupdict()
    if groups.get("meio") or groups.get("meio2"):
        value += 0.5
    return value if 34.0 <= value <= 44.0 else None


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


def scan_temperatures(sc: _Scanner) -> list[Mention]:
    t = sc.t
    out: list[Mention] = []
    spans: list[tuple[int, int]] = []
    for pattern in lx.TEMPERATURE:
        for m in sc.words.finditer(pattern):
            if _overlaps(spans, m.start("int"), m.end("int")):
                continue
            value = _temperature_value(m)
            if value is None:
                continue
            spans.append((m.start("int"), m.end("int")))
            out.append(
                sc.mention(
                    "temperatura",
                    "Temperatura relatada",
                    "HIGH",
                    m.start(),
                    m.end(),
                    valor=value,
                    unidade="°C",
                )
            )
    for m in sc.words.finditer(lx.BARE_TEMPERATURE):
        if _overlaps(spans, m.start(), m.end()):
            continue
        if not lx.TEMPERATURE_CONTEXT.search(sc.sentence(m.start(), m.end())):
            continue
        value = _temperature_value(m)
        if value is None:
            continue
        spans.append((m.start(), m.end()))
        out.append(
            sc.mention(
                "temperatura", "Temperatura relatada", "HIGH", m.start(), m.end(), valor=value, unidade="°C"
            )
        )
    out.sort(key=lambda x: x.start)
    counted = [x for x in out if x.counts]
    # "ontem deu 39,5, hoje tá 37,5": the later reading is the current one.
    for k in superseded_scores(t, [(x.start, x.end) for x in counted], lambda pos: sc.bounds(pos, pos)[0]):
        counted[k].motivo = "valor_anterior"
    return out


def scan_fever_mentions(sc: _Scanner) -> list[Mention]:
    out = []
    for m in sc.words.finditer(lx.FEVER_MENTION):
        if lx.FEVER_NOT_AFTER.match(sc.t, m.end()):
            continue
        out.append(sc.mention("febre", "Febre relatada", "HIGH", m.start(), m.end()))
    return out


def scan_pain(sc: _Scanner) -> tuple[list[Mention], list[Mention]]:
    t = sc.t
    scores: list[Mention] = []
    spans: list[tuple[int, int]] = [m.span() for m in lx.PAIN_SCALE.finditer(t)]  # "de 0 a 10" is no score
    for i, pattern in enumerate(lx.PAIN_SCORE):
        for m in sc.words.finditer(pattern):
            if _overlaps(spans, m.start("n"), m.end("n")):
                continue
            if i == 0 and lx.PAIN_SCORE_NOT_BEFORE.search(t, max(0, m.start() - 12), m.start()):
                continue  # "desde 8/10" is a date
            if i != 2 and not lx.PAIN_CONTEXT.search(sc.sentence(m.start(), m.end())):
                continue
            value = parse_number(m.group("n")) if m.group("n") != "zero" else 0.0
            if value is None or value > 10:
                continue
            spans.append((m.start("n"), m.end("n")))
            scores.append(
                sc.mention(
                    "dor_escala",
                    "Escala de dor relatada",
                    "HIGH",
                    m.start(),
                    m.end(),
                    valor=value,
                    unidade="/10",
                )
            )
    scores.sort(key=lambda x: x.start)
    counted = [x for x in scores if x.counts]
    # "ontem tava 9/10, hoje tá 4": the later score is the current one.
    for k in superseded_scores(t, [(x.start, x.end) for x in counted], lambda pos: sc.bounds(pos, pos)[0]):
        counted[k].motivo = "valor_anterior"
    severe = [
        sc.mention("dor_intensa", "Dor intensa (≥ 8/10)", "HIGH", m.start(), m.end())
        for m in sc.words.finditer(lx.SEVERE_PAIN_WORDS)
    ]
    taken = [(x.start, x.end) for x in severe]
    for m in sc.words.finditer(lx.SEVERE_PAIN_BARE):
        if _overlaps(taken, m.start(), m.end()):
            continue
        if lx.PAIN_CONTEXT.search(sc.sentence(m.start(), m.end())):
            severe.append(sc.mention("dor_intensa", "Dor intensa (≥ 8/10)", "HIGH", m.start(), m.end()))
    return scores, severe


def scan_counts(sc: _Scanner) -> list[Mention]:
    """Episodes per day, attributed to the nearest vomiting or diarrhoea mention of the sentence."""
    t = sc.t
    out: list[Mention] = []
    subjects: list[tuple[int, int, str]] = []
    for m in sc.words.finditer(lx.VOMIT_MENTION):
        subjects.append((m.start(), m.end(), "vomitos"))
    for m in sc.words.finditer(lx.DIARRHOEA_MENTION):
        subjects.append((m.start(), m.end(), "diarreia"))
    if not subjects:
        return out
    subjects.sort()
    for m in sc.words.finditer(lx.COUNT):
        n = parse_number(m.group("n"))
        if n is None:
            continue
        if lx.COUNT_MORE_THAN.search(t, max(0, m.start() - 20), m.start()):
            n += 1  # "mais de 5 vezes" is at least 6
        if re.match(r"\s*(?:por\s+|na\s+|numa\s+|em\s+uma\s+|a\s+)?semana", t[m.end() : m.end() + 20]):
            continue  # weekly counts say nothing about a day
        a, b = sc.bounds(m.start(), m.end())
        before = [s for s in subjects if a <= s[0] < m.start()]
        after = [s for s in subjects if m.end() <= s[0] < b]
        subject = before[-1] if before else (after[0] if after else None)
        if subject is None:
            continue
        s0 = min(subject[0], m.start())
        e0 = max(subject[1], m.end())
        mention = sc.mention(subject[2], "Episódios por dia", "HIGH", s0, e0, valor=n, unidade="episódios")
        # The subject decides negation ("sem diarreia há 3 dias, 2 vezes por semana").
        mention.motivo = suppression(t, subject[0], subject[1], sc.mode, sc.ctx)
        out.append(mention)
    return out


def scan_oncology(sc: _Scanner) -> list[Mention]:
    return [
        sc.mention("oncologico", "Tratamento oncológico mencionado", "HIGH", m.start(), m.end())
        for m in sc.words.finditer(lx.ONCOLOGY)
    ]


def _num(raw: str) -> float | None:
    return parse_number(raw)


def scan_text_vitals(sc: _Scanner) -> list[Mention]:
    t = sc.t
    out: list[Mention] = []
    for m in sc.words.finditer(lx.TEXT_VITALS["spo2_pct"]):
        v = _num(m.group("v"))
        if v is not None and 50 <= v <= 100:
            out.append(sc.mention("spo2_pct", "SpO2 no texto", "CRITICAL", m.start(), m.end(), v, "%"))
    for m in sc.words.finditer(lx.TEXT_VITALS["pressao"]):
        s, d = float(m.group("s")), float(m.group("d"))
        if s < 30 and d < 20:  # lay "12 por 8" means 120/80 mmHg
            s, d = s * 10, d * 10
        if 40 <= s <= 300 and 20 <= d <= 200 and s > d:
            out.append(
                sc.mention(
                    "pressao_sistolica_mmhg",
                    "PA sistólica no texto",
                    "CRITICAL",
                    m.start(),
                    m.end(),
                    s,
                    "mmHg",
                )
            )
            out.append(
                sc.mention(
                    "pressao_diastolica_mmhg",
                    "PA diastólica no texto",
                    "CRITICAL",
                    m.start(),
                    m.end(),
                    d,
                    "mmHg",
                )
            )
    ranges = {"frequencia_cardiaca_bpm": (20, 300, "bpm"), "frequencia_respiratoria_irpm": (4, 80, "irpm")}
    for key, (lo, hi, unit) in ranges.items():
        for m in lx.TEXT_VITALS[key].finditer(t):
            raw = m.group("v") or m.group("v2")
            v = _num(raw)
            if v is not None and lo <= v <= hi:
                out.append(sc.mention(key, f"{key} no texto", "CRITICAL", m.start(), m.end(), v, unit))
    for m in sc.words.finditer(lx.TEXT_VITALS["glicemia_mg_dl"]):
        v = _num(m.group("v"))
        if v is not None and 10 <= v <= 2000:
            out.append(
                sc.mention("glicemia_mg_dl", "Glicemia no texto", "CRITICAL", m.start(), m.end(), v, "mg/dL")
            )
    for m in sc.words.finditer(lx.GLUCOSE_METER_HI):
        out.append(
            sc.mention(
                "glicemia_mg_dl", "Glicosímetro marcando HI", "CRITICAL", m.start(), m.end(), 600.0, "mg/dL"
            )
        )
    for m in sc.words.finditer(lx.GLUCOSE_METER_LO):
        out.append(
            sc.mention(
                "glicemia_mg_dl", "Glicosímetro marcando LO", "CRITICAL", m.start(), m.end(), 20.0, "mg/dL"
            )
        )
    return out


def scan_text(raw: str, mode: Mode) -> TextScan:
    sc = _Scanner(raw, mode)
    result = TextScan(sc.norm)
    result.symptoms = scan_families(sc, lx.SYMPTOM_FAMILIES)
    result.temperatures = scan_temperatures(sc)
    result.fever_mentions = scan_fever_mentions(sc)
    result.pain_scores, result.severe_pain = scan_pain(sc)
    result.counts = scan_counts(sc)
    result.oncology = scan_oncology(sc)
    result.vitals = scan_text_vitals(sc)
    return result


def make_scanner(raw: str, mode: Mode) -> _Scanner:
    return _Scanner(raw, mode)
