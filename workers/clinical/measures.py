"""Numbers in a free text: temperatures, fever words, pain scores, episode counts, written vitals.

Each finder returns candidate mentions asserted by the `Scanner` (negation, hypothetical,
someone else's, over); `clinico` applies the thresholds.
"""

from __future__ import annotations

import re

from . import lexicon as lx
from .later_reading import supersede_readings
from .mention import Mention, Scanner
from .negation import suppression
from .superseded import LOW_NOW_SCORE, NORMAL_TEMPERATURE, superseded_scores
from .text import parse_number


def _temperature_value(m: re.Match[str]) -> float | None:
    whole = int(m.group("int"))
    dec = m.groupdict().get("dec") or m.groupdict().get("dec2")
    value = float(f"{whole}.{dec}") if dec else float(whole)
    groups = m.groupdict()
    if groups.get("meio") or groups.get("meio2"):
        value += 0.5
    return value if 34.0 <= value <= 44.0 else None


_AFTER_COMMA = re.compile(r",\s*$")


def _temperature(sc: Scanner, start: int, end: int, value: float) -> Mention:
    return sc.mention("temperatura", "Temperatura relatada", "HIGH", start, end, valor=value, unidade="°C")


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


def scan_temperatures(sc: Scanner) -> list[Mention]:
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
            out.append(_temperature(sc, m.start(), m.end(), value))
    bare = [
        *sc.words.finditer(lx.BARE_TEMPERATURE),
        *sc.words.finditer(lx.BARE_TEMPERATURE_WHOLE),
        *sc.words.finditer(lx.BARE_TEMPERATURE_BEFORE_VERB),
    ]
    for m in sorted(bare, key=lambda m: m.start()):
        if _overlaps(spans, m.start("int"), m.end("int")):
            continue
        # A bare number is a temperature where the sentence talks of fever, measuring or chills,
        # or for a patient under oncology treatment (whose fever is what the team watches for).
        if not sc.oncology and not lx.TEMPERATURE_CONTEXT.search(sc.sentence(m.start(), m.end())):
            continue
        value = _temperature_value(m)
        if value is None:
            continue
        spans.append((m.start(), m.end()))
        reading = sc.mention(
            "temperatura", "Temperatura relatada", "HIGH", m.start(), m.end(), valor=value, unidade="°C"
        )
        if reading.motivo == "negado" and _AFTER_COMMA.search(t, max(0, m.start() - 3), m.start()):
            reading.motivo = None  # "sem apetite, 38,2": a measured value is no item of a "sem" list
        out.append(reading)
    _series_next(sc, out, spans)
    out.sort(key=lambda x: x.start)
    counted = [x for x in out if x.counts]
    # "ontem deu 39,5, hoje tá 37,5": the later reading is the current one; a normal one ("desde
    # domingo tá 36,5") is never a finding but still replaces it.
    normal = [m.span() for m in sc.words.finditer(NORMAL_TEMPERATURE)] if counted else []
    starts = lambda pos: sc.bounds(pos, pos)[0]  # noqa: E731
    for k in superseded_scores(t, [(x.start, x.end) for x in counted], starts, normal):
        counted[k].motivo = "valor_anterior"
    return out


def _series_next(sc: Scanner, out: list[Mention], spans: list[tuple[int, int]]) -> None:
    """A bare number told as the next of a series of readings is one too: "37,9 há uma hora, agora
    38" (the latest reading is the one that counts; `superseded_scores` then retires the earlier)."""
    if not out:
        return
    # read only the stretch after each reading, never the whole message
    found = [
        m
        for e in sorted({x.end for x in out})
        for m in lx.TEMPERATURE_SERIES_NEXT.finditer(sc.t, e, min(len(sc.t), e + lx.SERIES_REACH + 40))
        if m.start() - e <= lx.SERIES_REACH
    ]
    for m in found:
        if _overlaps(spans, m.start("int"), m.end("int")):
            continue
        value = _temperature_value(m)
        if value is None or "," in sc.t[m.start() : m.start("int")]:
            continue
        spans.append((m.start("int"), m.end("int")))
        out.append(_temperature(sc, m.start("int"), m.end(), value))


def scan_fever_mentions(sc: Scanner) -> list[Mention]:
    out = []
    for m in sc.words.finditer(lx.FEVER_MENTION):
        if lx.FEVER_NOT_AFTER.match(sc.t, m.end()):
            continue
        out.append(sc.mention("febre", "Febre relatada", "HIGH", m.start(), m.end()))
    return out


# "um"/"uma" before a word is an article ("tá uma coisa"), unless the word opens the scale ("uma de dez")
_ARTICLE_ONE = re.compile(r"\s+(?!(?:de|em|sobre|numa)\s+(?:10|dez)\b)[a-z]")


def scan_pain(sc: Scanner) -> tuple[list[Mention], list[Mention]]:
    t = sc.t
    scores: list[Mention] = []
    # "de 0 a 10" is no score
    spans: list[tuple[int, int]] = [m.span() for m in sc.words.finditer(lx.PAIN_SCALE)]
    for i, pattern in enumerate(lx.PAIN_SCORE):
        for m in sc.words.finditer(pattern):
            if _overlaps(spans, m.start("n"), m.end("n")):
                continue
            if i == 0 and lx.PAIN_SCORE_NOT_BEFORE.search(t, max(0, m.start() - 12), m.start()):
                continue  # "desde 8/10" is a date
            if i != 2 and not lx.PAIN_CONTEXT.search(t, *sc.with_previous(m.start(), m.end())):
                continue
            if m.group("n") in ("um", "uma") and _ARTICLE_ONE.match(t, m.end("n")):
                continue  # "tá uma coisa de louco": an article, not a score of 1
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
    # "ontem tava 9/10, hoje tá 4": the later score is the current one; so is a low bare number
    # told of now ("ontem tava 8, hoje acordei com 2"), which only ever replaces.
    lows = [m.span(1) for m in LOW_NOW_SCORE.finditer(t)] if any((x.valor or 0) >= 8 for x in counted) else []
    for k in superseded_scores(
        t, [(x.start, x.end) for x in counted], lambda pos: sc.bounds(pos, pos)[0], lows
    ):
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


def scan_counts(sc: Scanner) -> list[Mention]:
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
        before = [s for s in subjects if a <= s[0] < m.end()]  # "6 cocôs líquidos": the unit is it
        after = [s for s in subjects if m.end() <= s[0] < b]
        if not before and not after and a > 1:
            # A count in a sentence of its own tells the episodes of the sentence before.
            pa = sc.with_previous(m.start(), m.end())[0]
            before = [s for s in subjects if pa <= s[0] < a]
        subject = before[-1] if before else (after[0] if after else None)
        if subject is None:
            continue
        s0 = min(subject[0], m.start())
        e0 = max(subject[1], m.end())
        mention = sc.mention(subject[2], "Episódios por dia", "HIGH", s0, e0, valor=n, unidade="episódios")
        # The subject decides negation ("sem diarreia há 3 dias, 2 vezes por semana"); what the message
        # says of the episode stays (s7-spec-when): "anteontem tive caganeira, fui umas 12 vezes, mas desde
        # ontem parou tudo" is over, as the same episode told without its count. Read at the count: "parou
        # ontem, mas hoje já fui umas dez vezes" is today's.
        mention.motivo = suppression(t, subject[0], subject[1], sc.mode, sc.ctx)
        if mention.motivo is None:
            mention.motivo = sc.context_assertion(subject[2], "HIGH", m.start(), m.end())
        out.append(mention)
    return out


def scan_oncology(sc: Scanner) -> list[Mention]:
    return [
        sc.mention("oncologico", "Tratamento oncológico mencionado", "HIGH", m.start(), m.end())
        for m in sc.words.finditer(lx.ONCOLOGY)
    ]


def _num(raw: str) -> float | None:
    return parse_number(raw)


def _systolic(sc: Scanner, m: re.Match[str], mmhg: float) -> Mention:
    return sc.mention(
        "pressao_sistolica_mmhg", "PA sistólica no texto", "CRITICAL", m.start(), m.end(), mmhg, "mmHg"
    )


def scan_text_vitals(sc: Scanner) -> list[Mention]:
    out: list[Mention] = []
    for m in (
        *sc.words.finditer(lx.TEXT_VITALS["spo2_pct"]),
        *sc.words.finditer(lx.TEXT_VITALS["spo2_dedo"]),
        *sc.words.finditer(lx.TEXT_VITALS["spo2_medido"]),
    ):
        v = _num(m.group("v"))
        if v is not None and 50 <= v <= 100:
            out.append(sc.mention("spo2_pct", "SpO2 no texto", "CRITICAL", m.start(), m.end(), v, "%"))
    for m in sc.words.finditer(lx.TEXT_VITALS["pressao"]):
        s, d = float(m.group("s")), float(m.group("d"))
        if s < 30 and d < 20:  # lay "12 por 8" means 120/80 mmHg
            s, d = s * 10, d * 10
        if 40 <= s <= 300 and 20 <= d <= 200 and s > d:
            out.append(_systolic(sc, m, s))
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
    for m in sc.words.finditer(lx.TEXT_VITALS["pressao_par"]):
        s, d = float(m.group("s")), float(m.group("d"))
        lay = 7 <= s <= 30 and 4 <= d <= 20  # "deu 19/11"; a date or a score is rarely both in range
        if s < 10 and "pressao" not in sc.t:
            continue  # "deu 7 por 4": a reading only where the pressure is named (held-recall), never a score
        if s > d and (lay or (70 <= s <= 300 and 40 <= d <= 200)):
            value = s * 10 if lay else s
            out.append(_systolic(sc, m, value))
    # "18 de pressão" starts with a digit (no literal to prefilter on): only where the word is
    before = lx.TEXT_VITALS["pressao_sistolica_antes"].finditer(sc.t) if "pressao" in sc.t else ()
    for m in (*sc.words.finditer(lx.TEXT_VITALS["pressao_sistolica"]), *before):
        s = float(m.group("s"))
        if s < 30:  # "pressão 19" is 190 mmHg
            s *= 10
        if 50 <= s <= 300:
            out.append(_systolic(sc, m, s))
    ranges = {"frequencia_cardiaca_bpm": (20, 300, "bpm"), "frequencia_respiratoria_irpm": (4, 80, "irpm")}
    for key, (lo, hi, unit) in ranges.items():
        for m in sc.words.finditer(lx.TEXT_VITALS[key]):
            raw = m.group("v") or m.group("v2") or (m.group("v3") if "v3" in m.re.groupindex else None)
            v = _num(raw) if raw else None
            if v is not None and key == "frequencia_cardiaca_bpm" and v > 100:
                sentence = sc.sentence(m.start(), m.end())
                if lx.EXERCISE.search(sentence) and not lx.AT_REST.search(sentence):
                    continue
            if v is not None and lo <= v <= hi:
                out.append(sc.mention(key, f"{key} no texto", "CRITICAL", m.start(), m.end(), v, unit))
    for m in (
        *sc.words.finditer(lx.TEXT_VITALS["glicemia_mg_dl"]),
        *sc.words.finditer(lx.TEXT_VITALS["glicemia_leiga"]),
        *sc.words.finditer(lx.TEXT_VITALS["glicemia_tira"]),
        *sc.words.finditer(lx.TEXT_VITALS["glicemia_depois"]),
        *(
            m
            for m in sc.words.finditer(lx.TEXT_VITALS["glicemia_aparelho"])
            if lx.GLUCOSE_NAMED.search(sc.t) and not lx.OTHER_READING.search(sc.sentence(m.start(), m.end()))
        ),
    ):
        v = _num(m.group("v"))
        start = m.start("r") if "r" in m.re.groupindex else m.start()
        if v is not None and 10 <= v <= 2000:
            out.append(
                sc.mention("glicemia_mg_dl", "Glicemia no texto", "CRITICAL", start, m.end(), v, "mg/dL")
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
    _supersede_pressure(sc, out)
    supersede_readings(sc.t, out, lambda pos: sc.bounds(pos, pos)[0])
    return out


_PRESSURE_LIKE = re.compile(r"\b(\d{1,3})\s*(?:x|/|por)\s*(\d{1,3})\b")


def _normal_pressure(raw: str) -> bool:
    m = _PRESSURE_LIKE.match(raw)
    if m is None:
        return False
    s, d = int(m.group(1)), int(m.group(2))
    if s < 30 and d < 20:  # lay "13 por 8"
        s, d = s * 10, d * 10
    return 80 <= s < 140 and 50 <= d < 90


def _supersede_pressure(sc: Scanner, out: list[Mention]) -> None:
    """ "anteontem deu 19x12 no posto ... hoje tá 13x8": the later blood pressure is the current one."""
    counted = [m for m in out if m.counts and m.codigo == "pressao_sistolica_mmhg"]
    if not counted:
        return
    # only a normal later reading replaces it: a high one is a finding of its own, or is not read
    later = [m.span() for m in _PRESSURE_LIKE.finditer(sc.t) if _normal_pressure(m.group(0))]
    starts = lambda pos: sc.bounds(pos, pos)[0]  # noqa: E731
    old = {
        counted[k].start for k in superseded_scores(sc.t, [(m.start, m.end) for m in counted], starts, later)
    }
    for m in out:
        if m.start in old and m.codigo.startswith("pressao_"):
            m.motivo = "valor_anterior"
