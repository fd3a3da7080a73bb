"""Scan one free text for symptom mentions, temperatures, pain scores, counts and written vitals.

The scan is exhaustive and explainable: every candidate mention is kept, with the reason it was
discarded (negated, conditional, history, resolved) when it was. Deciding what becomes an alert
is left to `clinico`, which also knows the structured vital signs and the oncology flag. The
lexicon families are scanned here; findings described in lay words as a combination of cues are
in `concepts`, numbers (temperatures, pain scores, episode counts, vital signs) in `measures`.
"""

from __future__ import annotations

from . import lexicon as lx
from .baseline import CHRONIC_STATES, unchanged_baseline
from .concepts import scan_concepts
from .measures import (
    scan_counts,
    scan_fever_mentions,
    scan_oncology,
    scan_pain,
    scan_temperatures,
    scan_text_vitals,
)
from .mention import Mention, Scanner, TextScan
from .negation import Mode
from .topic_shift import topic_of

__all__ = ["Mention", "TextScan", "make_scanner", "scan_families", "scan_text"]

MAX_MENTIONS_PER_CODE = 12  # per finding code, once one of them counts


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


def scan_families(sc: Scanner, families: tuple[lx.Family, ...]) -> list[Mention]:
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
            if fam.requires and not fam.requires.search(t, *sc.with_previous(s, e)):
                continue
            if fam.not_sentence and fam.not_sentence.search(t, *topic_of(t, *sc.bounds(s, e), s, e)):
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


def scan_text(raw: str, mode: Mode, oncology: bool = False) -> TextScan:
    """`oncology`: the patient is under oncology treatment (a bare temperature then counts)."""
    sc = Scanner(raw, mode)
    sc.oncology = oncology
    result = TextScan(sc.norm)
    result.symptoms = sorted(
        scan_families(sc, lx.SYMPTOM_FAMILIES) + scan_concepts(sc), key=lambda m: m.start
    )
    for m in result.symptoms:
        if m.counts and m.codigo in CHRONIC_STATES and unchanged_baseline(sc.t, m.start, m.end):
            m.motivo = "estado_basal"  # "a demência é de anos, nada diferente de antes"
    result.temperatures = scan_temperatures(sc)
    result.fever_mentions = scan_fever_mentions(sc)
    result.pain_scores, result.severe_pain = scan_pain(sc)
    result.counts = scan_counts(sc)
    result.oncology = scan_oncology(sc)
    result.vitals = scan_text_vitals(sc)
    return result


def make_scanner(raw: str, mode: Mode) -> Scanner:
    return Scanner(raw, mode)
