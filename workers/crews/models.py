"""Typed outputs of the crews and of the triage call (`output_pydantic` / `with_structured_output`).

Pure pydantic: importing this never loads CrewAI or LangChain. Free-text fields are in Portuguese
because nurses read them. Numbers the model may get slightly wrong (a confidence of 1.2, a
severity in lower case) are normalised instead of failing the whole answer; a shape that is
really wrong still fails validation and the caller reports it in `erro`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SeveridadeIA = Literal["CRITICAL", "HIGH", "MEDIUM", "LOW"]


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _unit_interval(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Some models answer 85 meaning 85 %.
        number = float(value) / 100 if 1 < value <= 100 else float(value)
        return min(1.0, max(0.0, number))
    return value


class _Saida(BaseModel):
    model_config = ConfigDict(extra="ignore")


class AchadoIA(_Saida):
    codigo: str = Field(description="código curto em snake_case, p. ex. dor_toracica, hemoglobina_baixa")
    descricao: str = Field(description="descrição curta em português para a equipe de enfermagem")
    severidade: SeveridadeIA = Field(description="CRITICAL, HIGH, MEDIUM ou LOW")
    trecho: str | None = Field(default=None, description="trecho do texto de origem que sustenta o achado")

    _norm_sev = field_validator("severidade", mode="before")(_upper)


class ClinicoSaida(_Saida):
    """Consulta, internação e alta: Triage Nurse + Clinician."""

    achados: list[AchadoIA] = Field(description="sinais e sintomas relevantes, com severidade")
    resumo: str = Field(description="resumo clínico em português, 1 a 3 frases")
    recomendacoes: list[str] = Field(description="condutas sugeridas para a enfermagem")
    confianca: float = Field(description="confiança de 0 a 1")

    _norm_conf = field_validator("confianca", mode="before")(_unit_interval)


class HemogramaSaida(_Saida):
    """Hemograma: Laboratory Analyst + Hematologist."""

    interpretacao: str = Field(description="interpretação do hemograma em português")
    hipoteses: list[str] = Field(description="hipóteses diagnósticas a considerar")
    achados: list[AchadoIA] = Field(description="alterações relevantes, com severidade")
    recomendacoes: list[str] = Field(description="condutas sugeridas")
    confianca: float = Field(description="confiança de 0 a 1")

    _norm_conf = field_validator("confianca", mode="before")(_unit_interval)


class ImagemSaida(_Saida):
    """Laudos de imagem e exames genéricos: Radiologist."""

    achados_criticos: list[AchadoIA] = Field(description="achados que exigem ação imediata; vazio se nenhum")
    impressao: str = Field(description="impressão diagnóstica em português")
    confianca: float = Field(description="confiança de 0 a 1")

    _norm_conf = field_validator("confianca", mode="before")(_unit_interval)


class OpmeSaida(_Saida):
    """Pedidos de OPME: OPME Auditor."""

    parecer_sugerido: Literal["apto", "pendente", "inconsistente"]
    observacoes: list[str] = Field(description="observações de auditoria em português")

    @field_validator("parecer_sugerido", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value


class IngestaoSaida(_Saida):
    """Lotes de ingestão: Data Steward."""

    observacoes: list[str] = Field(description="observações gerais sobre o lote, em português")
    problemas_de_qualidade: list[str] = Field(description="problemas de qualidade de dados encontrados")


class MensagemSaida(_Saida):
    """A patient's WhatsApp message: the reply to send back (Oncology Nurse Navigator)."""

    resposta: str = Field(description="resposta ao paciente em português do Brasil, curta e clara")
    achados: list[AchadoIA] = Field(description="sintomas presentes que as regras não viram; vazio se nenhum")
    confianca: float = Field(description="confiança de 0 a 1")

    _norm_conf = field_validator("confianca", mode="before")(_unit_interval)


class SintomaTriagem(_Saida):
    codigo: str = Field(description="código curto em snake_case, p. ex. dispneia, febre, sangramento")
    descricao: str = Field(description="descrição curta em português")
    severidade: SeveridadeIA = Field(description="CRITICAL, HIGH, MEDIUM ou LOW")
    negado: bool = Field(description="true quando o paciente NEGA o sintoma (p. ex. 'nega febre')")
    trecho: str | None = Field(default=None, description="trecho exato do texto")

    _norm_sev = field_validator("severidade", mode="before")(_upper)


class TriageOutput(_Saida):
    """Second opinion on free text: the symptoms a triage nurse would extract."""

    sintomas: list[SintomaTriagem] = Field(description="todos os sintomas mencionados, inclusive negados")
    confianca: float = Field(description="confiança de 0 a 1")

    _norm_conf = field_validator("confianca", mode="before")(_unit_interval)
