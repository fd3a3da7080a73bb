"""clinico/consulta, clinico/internacao, clinico/alta: symptoms in text + vital signs.

Decision rules (docs/clinical-analysis.md; the reading of the text: docs/clinical-engine.md):
- A counted (not negated, not conditional, not history, not resolved) lexicon mention becomes a
  finding with its family severity, one finding per code (the first mention is quoted).
- Temperature: the highest value from the text and from `sinais_vitais.temperatura_c` (they
  count the same) against 38.0 °C when the patient is under oncology treatment (the payload
  flag, or a non-negated mention such as "faço quimioterapia"), 39.0 °C otherwise. A fever
  reported without any value is HIGH; a fever *with* a value below the threshold is not.
- Pain: a score ≥ 8/10 in the text or `escala_dor`, or words such as "insuportável", is HIGH.
- Vomiting ≥ 5 or diarrhoea ≥ 6 episodes in a day is HIGH, as are the persistent forms in the
  lexicon ("não para nada no estômago", "diarreia intensa").
- Discharge summaries (`alta`) read in ALTA mode: a symptom in a clause that says it was
  resolved/controlled/treated does not alert unless the same clause says it persists;
  prescriptions are not read for symptoms (they are full of "se febre, dipirona").
"""

from __future__ import annotations

from typing import Any

from shared.messages import AltaPayload, ConsultaPayload, InternacaoPayload, SinaisVitais
from workers.findings import SEVERITY_RANK, Finding

from . import backstop
from .backstop.features import Composed
from .negation import Mode
from .resolution import medication_purpose, resolved_complaint
from .result import MOTIVO_LABELS, ClinicalAnalysis, build, symptom_alert_message
from .superseded import NORMAL_TEMPERATURE
from .symptoms import Mention, TextScan, scan_text
from .text import format_number
from .vitals import (
    HYPOTHERMIA_C,
    PAIN_THRESHOLD,
    VitalReading,
    evaluate_readings,
    pain_row,
    temperature_row,
)

FEVER_THRESHOLD_C = 39.0
FEVER_THRESHOLD_ONCOLOGY_C = 38.0
VOMIT_EPISODES_PER_DAY = 5
DIARRHOEA_EPISODES_PER_DAY = 6


def _finding_from(
    m: Mention, codigo: str | None = None, descricao: str | None = None, severidade: str | None = None
) -> Finding:
    return Finding(
        codigo=codigo or m.codigo,
        descricao=descricao or m.descricao,
        severidade=severidade or m.severidade,  # type: ignore[arg-type]
        trecho=m.trecho,
        valor=m.valor,
        unidade=m.unidade,
    )


class _Collector:
    """One finding per code; a CRITICAL version of a code replaces a HIGH one."""

    def __init__(self) -> None:
        self.by_code: dict[str, Finding] = {}

    def add(self, f: Finding) -> None:
        old = self.by_code.get(f.codigo)
        if old is None or SEVERITY_RANK[f.severidade] > SEVERITY_RANK[old.severidade]:
            self.by_code[f.codigo] = f

    def findings(self) -> list[Finding]:
        return sorted(self.by_code.values(), key=lambda f: -SEVERITY_RANK[f.severidade])


def _discount_resolved_high(scan: TextScan, mode: Mode) -> None:
    """HIGH complaints that already went away, and "remédio para febre", do not alert (see negation)."""
    t = scan.norm.text
    for m in scan.fever_mentions:
        if m.counts and medication_purpose(t, m.start):
            m.motivo = "condicional"
    if mode is not Mode.QUEIXA:
        return
    high = [
        *scan.fever_mentions,
        *scan.severe_pain,
        *scan.pain_scores,
        *scan.counts,
        *(m for m in scan.symptoms if m.severidade == "HIGH"),
    ]
    for m in high:
        if m.counts and resolved_complaint(t, m.start, m.end, m.codigo):
            m.motivo = "resolvido"


def _fever_after_last_value(scan: TextScan, fever_words: list[Mention]) -> list[Mention]:
    """A fever measured and then replaced by a normal reading ("38,7 ontem, hoje 36,9") had a value;
    only a fever told after the last value ("... mas agora tô com febre de novo") has none."""
    replaced = [m.end for m in scan.temperatures if m.motivo == "valor_anterior"]
    if not replaced:
        return fever_words
    last = max([*replaced, *(m.end() for m in NORMAL_TEMPERATURE.finditer(scan.norm.text))])
    return [m for m in fever_words if m.start >= last]


def _analyze(
    text: str, campo: str, mode: Mode, sinais: SinaisVitais | None, oncology_flag: bool
) -> tuple[list[Finding], dict[str, Any], TextScan]:
    scan = scan_text(text, mode, oncology=oncology_flag)
    _discount_resolved_high(scan, mode)
    out = _Collector()
    detalhes: dict[str, Any] = {"texto_analisado": campo, "modo": mode.value}

    for m in scan.counted(scan.symptoms):
        out.add(_finding_from(m))

    # --- temperature ---------------------------------------------------------------------------
    oncology_text = scan.counted(scan.oncology)
    oncology = oncology_flag or bool(oncology_text)
    threshold = FEVER_THRESHOLD_ONCOLOGY_C if oncology else FEVER_THRESHOLD_C
    readings: list[tuple[float, str, str | None]] = [
        (m.valor, "texto", m.trecho) for m in scan.counted(scan.temperatures) if m.valor
    ]
    if sinais is not None and sinais.temperatura_c is not None:
        readings.append((sinais.temperatura_c, "sinais_vitais", None))
    # The word of a reading that was discounted ("febre de 39,5 semana retrasada, ... tô normal") is that
    # reading's, not a fever told without a value.
    dropped = [(m.start, m.end) for m in scan.temperatures if not m.counts]
    fever_words = [
        m for m in scan.counted(scan.fever_mentions) if not any(a <= m.start < b for a, b in dropped)
    ]
    if readings:
        t_max, _, trecho = max(readings, key=lambda r: r[0])
        if t_max >= threshold:
            codigo = "febre_oncologica" if oncology else "febre_alta"
            desc = (
                f"Febre ≥ {format_number(threshold, 1)} °C em paciente em tratamento oncológico"
                if oncology
                else f"Febre ≥ {format_number(threshold, 1)} °C"
            )
            out.add(
                Finding(
                    codigo=codigo,
                    descricao=desc,
                    severidade="CRITICAL",
                    valor=t_max,
                    unidade="°C",
                    trecho=trecho or f"sinais_vitais.temperatura_c = {format_number(t_max, 1)}",
                )
            )
        t_min, _, trecho_min = min(readings, key=lambda r: r[0])
        if t_min < HYPOTHERMIA_C:
            out.add(
                Finding(
                    codigo="hipotermia",
                    descricao="Hipotermia (< 35,0 °C)",
                    severidade="CRITICAL",
                    valor=t_min,
                    unidade="°C",
                    trecho=trecho_min or f"sinais_vitais.temperatura_c = {format_number(t_min, 1)}",
                )
            )
    elif unmeasured := _fever_after_last_value(scan, fever_words):
        out.add(_finding_from(unmeasured[0], "febre_sem_medicao", "Febre relatada sem valor medido", "HIGH"))
    detalhes["temperatura"] = {
        "maxima_c": max((r[0] for r in readings), default=None),
        "limiar_c": threshold,
        "em_tratamento_oncologico": oncology,
        "oncologico_por": (
            "campo em_tratamento_oncologico" if oncology_flag else ("texto" if oncology_text else None)
        ),
        "febre_relatada": bool(fever_words),
        "febre_relatada_sem_valor": bool(fever_words) and not readings,
        "leituras": [temperature_row(v, o, threshold, t) for v, o, t in readings],
    }

    # --- pain ----------------------------------------------------------------------------------
    pain_rows = [
        pain_row(m.valor, "texto", m.trecho) for m in scan.counted(scan.pain_scores) if m.valor is not None
    ]
    for m in scan.counted(scan.pain_scores):
        if m.valor is not None and m.valor >= PAIN_THRESHOLD:
            out.add(_finding_from(m, "dor_intensa", f"Dor intensa ({format_number(m.valor)}/10)", "HIGH"))
    for m in scan.counted(scan.severe_pain):
        out.add(_finding_from(m, "dor_intensa", "Dor intensa (≥ 8/10, descrita como insuportável)", "HIGH"))
    if sinais is not None and sinais.escala_dor is not None:
        pain_rows.append(pain_row(sinais.escala_dor, "sinais_vitais"))
        if sinais.escala_dor >= PAIN_THRESHOLD:
            out.add(
                Finding(
                    codigo="dor_intensa",
                    descricao=f"Dor intensa ({sinais.escala_dor}/10)",
                    severidade="HIGH",
                    valor=sinais.escala_dor,
                    unidade="/10",
                    trecho=f"sinais_vitais.escala_dor = {sinais.escala_dor}",
                )
            )
    detalhes["dor"] = {"maxima": max((r["valor"] for r in pain_rows), default=None), "leituras": pain_rows}

    # --- episodes per day ----------------------------------------------------------------------
    for m in scan.counted(scan.counts):
        if m.codigo == "vomitos" and (m.valor or 0) >= VOMIT_EPISODES_PER_DAY:
            out.add(
                _finding_from(
                    m,
                    "vomitos_persistentes",
                    f"Vômitos persistentes ({format_number(m.valor or 0)} episódios)",
                    "HIGH",
                )
            )
        if m.codigo == "diarreia" and (m.valor or 0) >= DIARRHOEA_EPISODES_PER_DAY:
            out.add(
                _finding_from(
                    m,
                    "diarreia_grave",
                    f"Diarreia grave ({format_number(m.valor or 0)} episódios/dia)",
                    "HIGH",
                )
            )
    detalhes["episodios"] = [m.as_dict() for m in scan.counts]

    # --- vital signs ---------------------------------------------------------------------------
    vital_readings: list[VitalReading] = []
    if sinais is not None:
        for campo_sv, value in sinais.model_dump(exclude_none=True).items():
            if campo_sv not in ("temperatura_c", "escala_dor"):
                vital_readings.append(VitalReading(campo_sv, float(value), "sinais_vitais"))
    for m in scan.counted(scan.vitals):
        if m.valor is not None:
            vital_readings.append(VitalReading(m.codigo, m.valor, "texto", m.trecho))
    vital_findings, vital_rows = evaluate_readings(vital_readings)
    for f in vital_findings:
        out.add(f)
    detalhes["sinais_vitais"] = vital_rows

    detalhes["sintomas"] = [m.as_dict() | {"severidade": m.severidade} for m in scan.counted(scan.symptoms)]
    discarded = [
        m
        for m in (
            *scan.symptoms,
            *scan.fever_mentions,
            *scan.temperatures,
            *scan.severe_pain,
            *scan.pain_scores,
            *scan.vitals,
        )
        if not m.counts
    ]
    detalhes["mencoes_desconsideradas"] = [m.as_dict() for m in sorted(discarded, key=lambda m: m.start)]
    return out.findings(), detalhes, scan


def _resumo(findings: list[Finding], detalhes: dict[str, Any], what: str) -> str:
    if findings:
        items = "; ".join(f"{f.descricao} [{f.severidade}]" for f in findings)
        text = f"Regras determinísticas: {len(findings)} achado(s) que exigem alerta — {items}."
    else:
        text = f"Regras determinísticas: nenhum sinal de alarme identificado {what}."
    ignored = detalhes.get("mencoes_desconsideradas") or []
    if ignored:
        parts = [
            f"{m['trecho']} ({MOTIVO_LABELS.get(str(m.get('motivo')), m.get('motivo'))})" for m in ignored[:8]
        ]
        text += " Menções desconsideradas: " + ", ".join(parts) + "."
    temp = detalhes.get("temperatura") or {}
    if temp.get("maxima_c") is not None:
        text += (
            f" Temperatura máxima {format_number(temp['maxima_c'], 1)} °C "
            f"(limiar {format_number(temp['limiar_c'], 1)} °C)."
        )
    return text


def analyze_consulta(p: ConsultaPayload) -> ClinicalAnalysis:
    """The rules, then the statistical backstop on the same complaint."""
    return backstop.review(analyze_consulta_rules(p), backstop_reading(p))


def backstop_reading(p: ConsultaPayload) -> Composed:
    return Composed(p.queixa, oncology=bool(p.em_tratamento_oncologico))


def analyze_consulta_rules(p: ConsultaPayload) -> ClinicalAnalysis:
    findings, detalhes, _ = _analyze(
        p.queixa, "queixa", Mode.QUEIXA, p.sinais_vitais, p.em_tratamento_oncologico
    )
    return build(
        findings,
        _resumo(findings, detalhes, "na queixa e nos sinais vitais"),
        detalhes,
        symptom_alert_message(findings),
    )


def analyze_internacao(p: InternacaoPayload) -> ClinicalAnalysis:
    findings, detalhes, _ = _analyze(p.motivo, "motivo", Mode.QUEIXA, p.sinais_vitais, False)
    detalhes["setor"] = p.setor
    detalhes["cid10"] = p.cid10
    return build(
        findings,
        _resumo(findings, detalhes, "no motivo da internação e nos sinais vitais"),
        detalhes,
        symptom_alert_message(findings),
    )


def analyze_alta(p: AltaPayload) -> ClinicalAnalysis:
    findings, detalhes, _ = _analyze(p.resumo, "resumo", Mode.ALTA, None, False)
    detalhes["prescricoes"] = {"quantidade": len(p.prescricoes or []), "analisadas_para_sintomas": False}
    detalhes["retorno_em_dias"] = p.retorno_em_dias
    return build(
        findings, _resumo(findings, detalhes, "no resumo de alta"), detalhes, symptom_alert_message(findings)
    )
