"""The engine's output model and the Portuguese alert wording.

Alert messages are assembled only from our own labels and numbers, never from the patient's text
or from identifying fields, so a name, CPF, phone or e-mail typed into a complaint can never
reach the nurse's alert feed through `mensagem_alerta`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from workers.findings import Finding, max_severity

VERSAO_REGRAS = "2026.11.1"


class ClinicalAnalysis(BaseModel):
    achados: list[Finding] = Field(
        description="findings that warrant an alert (CRITICAL or HIGH), origem='regras'"
    )
    severidade: Literal["CRITICAL", "HIGH"] | None
    resumo: str
    detalhes: dict[str, Any]
    mensagem_alerta: str | None
    versao_regras: str = VERSAO_REGRAS


# Short lowercase labels for the alert sentence; the Finding keeps the longer `descricao`.
SHORT_LABELS = {
    "dispneia": "dispneia",
    "cianose": "cianose",
    "dor_toracica": "dor torácica",
    "sindrome_coronariana": "suspeita de infarto",
    "hematemese": "vômito com sangue",
    "hemoptise": "tosse com sangue",
    "melena": "fezes pretas (melena)",
    "sangramento": "sangramento",
    "convulsao": "convulsão",
    "sincope": "desmaio/síncope",
    "rebaixamento_consciencia": "rebaixamento de consciência",
    "confusao_mental": "confusão mental",
    "sinais_avc": "sinais de AVC",
    "anafilaxia": "anafilaxia",
    "ideacao_suicida": "ideação suicida",
    "intoxicacao": "intoxicação",
    "suspeita_critica": "relato compatível com emergência",
    "febre_alta": "febre alta",
    "febre_oncologica": "febre em paciente oncológico",
    "hipotermia": "hipotermia",
    "vomitos_persistentes": "vômitos persistentes",
    "diarreia_grave": "diarreia grave",
    "dor_intensa": "dor intensa",
    "febre_sem_medicao": "febre relatada sem medição",
}
# Why a mention was discarded (`motivo` in `mencoes_desconsideradas`), for the summaries.
MOTIVO_LABELS = {
    "negado": "negado",
    "condicional": "hipótese/orientação",
    "historico": "histórico",
    "resolvido": "resolvido",
    "indicacao": "indicação do exame",
    "motivo_internacao": "motivo da internação, sem persistência relatada",
    "tratamento_cronico": "tratamento de condição crônica",
    "estado_basal": "estado de base conhecido, sem mudança relatada",
    "hipotetico": "pergunta hipotética",
    "outra_pessoa": "outra pessoa",
    "figurado": "sentido figurado",
    "valor_anterior": "valor anterior, substituído por um mais recente",
    "modelo_estatistico": "improvável pelo modelo estatístico",
}
VITAL_CODES = frozenset(
    {
        "spo2_baixa",
        "hipotensao",
        "hipertensao_grave",
        "taquicardia",
        "bradicardia",
        "taquipneia",
        "hipoglicemia",
        "hiperglicemia",
    }
)


def _label(f: Finding) -> str:
    label = SHORT_LABELS.get(f.codigo) or f.descricao[:1].lower() + f.descricao[1:]
    if f.codigo in ("febre_alta", "febre_oncologica", "hipotermia") and f.valor is not None:
        label += f" ({f.valor:.1f} °C)".replace(".", ",")
    return label


def _closing(findings: list[Finding]) -> str:
    return (
        "Requer atenção imediata."
        if max_severity(findings) == "CRITICAL"
        else "Requer avaliação prioritária."
    )


def _join(labels: list[str]) -> str:
    seen: list[str] = []
    for label in labels:
        if label not in seen:
            seen.append(label)
    return ", ".join(seen)


def symptom_alert_message(findings: list[Finding]) -> str | None:
    if not findings:
        return None
    crit = [_label(f) for f in findings if f.severidade == "CRITICAL" and f.codigo not in VITAL_CODES]
    vital = [f.descricao for f in findings if f.codigo in VITAL_CODES]
    high = [_label(f) for f in findings if f.severidade == "HIGH"]
    parts = []
    if crit:
        parts.append(f"Sintomas críticos relatados: {_join(crit)}.")
    if vital:
        parts.append(f"Sinais vitais críticos: {_join(vital)}.")
    if high:
        parts.append(
            ("Também relatado: " if crit or vital else "Sintomas de alerta relatados: ") + _join(high) + "."
        )
    parts.append(_closing(findings))
    return " ".join(parts)


def lab_alert_message(title: str, findings: list[Finding]) -> str | None:
    if not findings:
        return None
    return f"{title}: {_join([f.descricao for f in findings])}. {_closing(findings)}"


def build(
    achados: list[Finding], resumo: str, detalhes: dict[str, Any], mensagem: str | None
) -> ClinicalAnalysis:
    return ClinicalAnalysis(
        achados=achados,
        severidade=max_severity(achados),
        resumo=resumo,
        detalhes=detalhes,
        mensagem_alerta=mensagem if achados else None,
    )
