"""Vital signs: the critical limits of docs/clinical-analysis.md, plus a softer band so `detalhes`
reads like a chart.

Only those limits raise findings (CRITICAL), plus pain ≥ 8/10 (HIGH) and temperature, whose
threshold depends on the oncology flag and is decided in `clinico`. The reference bands
("baixo"/"alto") are informative only: a nurse reading the result sees that 160 mmHg is high
even though it does not alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workers.findings import Finding

from .text import format_number


@dataclass(frozen=True, slots=True)
class VitalRule:
    campo: str
    nome: str
    unidade: str
    normal: tuple[float, float]  # informative band, inclusive
    critical_low: float | None = None  # value < critical_low is critical
    critical_high: float | None = None  # value > critical_high is critical
    critical_high_inclusive: bool = False  # systolic: ≥ 180, the others are strict
    codigo_low: str = ""
    desc_low: str = ""
    codigo_high: str = ""
    desc_high: str = ""

    def criterio(self) -> str:
        parts = []
        if self.critical_low is not None:
            parts.append(f"< {format_number(self.critical_low)} {self.unidade}")
        if self.critical_high is not None:
            op = "≥" if self.critical_high_inclusive else ">"
            parts.append(f"{op} {format_number(self.critical_high)} {self.unidade}")
        return " ou ".join(parts) if parts else "sem limite crítico definido"

    def evaluate(self, value: float) -> str:
        if self.critical_low is not None and value < self.critical_low:
            return "critico_baixo"
        if self.critical_high is not None and (
            value > self.critical_high or (self.critical_high_inclusive and value >= self.critical_high)
        ):
            return "critico_alto"
        if value < self.normal[0]:
            return "baixo"
        if value > self.normal[1]:
            return "alto"
        return "normal"


VITAL_RULES: dict[str, VitalRule] = {
    r.campo: r
    for r in (
        VitalRule(
            "spo2_pct",
            "Saturação de O2 (SpO2)",
            "%",
            (95, 100),
            critical_low=92,
            codigo_low="spo2_baixa",
            desc_low="SpO2 baixa",
        ),
        VitalRule(
            "pressao_sistolica_mmhg",
            "Pressão arterial sistólica",
            "mmHg",
            (90, 139),
            critical_low=90,
            critical_high=180,
            critical_high_inclusive=True,
            codigo_low="hipotensao",
            desc_low="Hipotensão (PA sistólica < 90 mmHg)",
            codigo_high="hipertensao_grave",
            desc_high="Hipertensão grave (PA sistólica ≥ 180 mmHg)",
        ),
        VitalRule("pressao_diastolica_mmhg", "Pressão arterial diastólica", "mmHg", (60, 89)),
        VitalRule(
            "frequencia_cardiaca_bpm",
            "Frequência cardíaca",
            "bpm",
            (50, 100),
            critical_low=40,
            critical_high=130,
            codigo_low="bradicardia",
            desc_low="Bradicardia (FC < 40 bpm)",
            codigo_high="taquicardia",
            desc_high="Taquicardia (FC > 130 bpm)",
        ),
        VitalRule(
            "frequencia_respiratoria_irpm",
            "Frequência respiratória",
            "irpm",
            (12, 20),
            critical_high=30,
            codigo_high="taquipneia",
            desc_high="Taquipneia (FR > 30 irpm)",
        ),
        VitalRule(
            "glicemia_mg_dl",
            "Glicemia",
            "mg/dL",
            (70, 140),
            critical_low=54,
            critical_high=400,
            codigo_low="hipoglicemia",
            desc_low="Hipoglicemia (< 54 mg/dL)",
            codigo_high="hiperglicemia",
            desc_high="Hiperglicemia (> 400 mg/dL)",
        ),
    )
}

PAIN_THRESHOLD = 8
HYPOTHERMIA_C = 35.0
LOW_GRADE_FEVER_C = 37.8


@dataclass(frozen=True, slots=True)
class VitalReading:
    campo: str
    valor: float
    origem: str  # "sinais_vitais" or "texto"
    trecho: str | None = None


def evaluate_readings(readings: list[VitalReading]) -> tuple[list[Finding], list[dict[str, Any]]]:
    """Findings (one per code, the most extreme value) and one detail row per reading."""
    rows: list[dict[str, Any]] = []
    worst: dict[str, tuple[float, Finding]] = {}
    for r in readings:
        rule = VITAL_RULES.get(r.campo)
        if rule is None:
            continue
        flag = rule.evaluate(r.valor)
        row: dict[str, Any] = {
            "parametro": r.campo,
            "nome": rule.nome,
            "valor": r.valor,
            "unidade": rule.unidade,
            "origem": r.origem,
            "avaliacao": flag,
            "criterio_critico": rule.criterio(),
        }
        if r.trecho:
            row["trecho"] = r.trecho
        rows.append(row)
        if flag not in ("critico_baixo", "critico_alto"):
            continue
        low = flag == "critico_baixo"
        codigo = rule.codigo_low if low else rule.codigo_high
        desc = rule.desc_low if low else rule.desc_high
        finding = Finding(
            codigo=codigo,
            descricao=f"{desc}: {format_number(r.valor)} {rule.unidade}",
            severidade="CRITICAL",
            valor=r.valor,
            unidade=rule.unidade,
            trecho=r.trecho or f"sinais_vitais.{r.campo} = {format_number(r.valor)}",
        )
        severity_key = -r.valor if not low else r.valor
        if codigo not in worst or severity_key < worst[codigo][0]:
            worst[codigo] = (severity_key, finding)
    return [f for _, f in worst.values()], rows


def temperature_row(value: float, origem: str, threshold: float, trecho: str | None = None) -> dict[str, Any]:
    if value >= threshold:
        flag = "critico_alto"
    elif value < HYPOTHERMIA_C:
        flag = "critico_baixo"
    elif value >= LOW_GRADE_FEVER_C:
        flag = "alto"
    else:
        flag = "normal"
    row: dict[str, Any] = {
        "parametro": "temperatura_c",
        "nome": "Temperatura",
        "valor": value,
        "unidade": "°C",
        "origem": origem,
        "avaliacao": flag,
        "criterio_critico": f"≥ {format_number(threshold, 1)} °C ou < 35,0 °C",
    }
    if trecho:
        row["trecho"] = trecho
    return row


def pain_row(value: float, origem: str, trecho: str | None = None) -> dict[str, Any]:
    flag = (
        "intensa"
        if value >= PAIN_THRESHOLD
        else ("moderada" if value >= 4 else ("leve" if value > 0 else "sem_dor"))
    )
    row: dict[str, Any] = {
        "parametro": "escala_dor",
        "nome": "Escala de dor",
        "valor": value,
        "unidade": "/10",
        "origem": origem,
        "avaliacao": flag,
        "criterio_critico": "≥ 8/10 (HIGH)",
    }
    if trecho:
        row["trecho"] = trecho
    return row
