"""What the clinical engine, the LLM layer and alert delivery exchange.

A `Finding` is one clinical fact worth a nurse's attention (dyspnoea, haemoglobin 5.9, ...).
An `AlertSpec` groups the findings of one source for one task into the alert the NestJS backend
receives. Its `alert_key` is stable for the same task and the same findings, so a redelivered
task produces the same `Idempotency-Key`.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import BaseModel, Field

Severity = Literal["CRITICAL", "HIGH"]
Origem = Literal["regras", "crew", "triagem_llm"]
# An alert may be less severe than a finding: SCORE_CHANGE below pain 7 and NO_RESPONSE are MEDIUM.
AlertSeverity = Literal["CRITICAL", "HIGH", "MEDIUM", "LOW"]

SEVERITY_RANK = {"LOW": 0, "MEDIUM": 1, "HIGH": 2, "CRITICAL": 3}


class Finding(BaseModel):
    codigo: str = Field(description="stable machine code, e.g. dispneia, dor_toracica, hemoglobina")
    descricao: str = Field(description="short Portuguese label for people")
    severidade: Severity
    origem: Origem = "regras"
    trecho: str | None = Field(default=None, description="the excerpt of the text that matched")
    valor: float | None = None
    unidade: str | None = None
    confianca: float = Field(default=1.0, ge=0, le=1)


def max_severity(findings: list[Finding]) -> Severity | None:
    if not findings:
        return None
    return max((f.severidade for f in findings), key=lambda s: SEVERITY_RANK[s])


class AlertSpec(BaseModel):
    alert_key: str
    type: str = "CRITICAL_SYMPTOM"
    severity: AlertSeverity
    message: str
    symptoms: list[str]
    detected_by: Literal["rules_engine", "ai_agent"]
    confidence: float = Field(default=1.0, ge=0, le=1)
    context: dict[str, Any] = Field(default_factory=dict)


_DETECTED_BY = {"regras": "rules_engine", "crew": "ai_agent", "triagem_llm": "ai_agent"}


def alert_from_findings(
    findings: list[Finding], *, origem: Origem, message: str, context: dict[str, Any] | None = None
) -> AlertSpec | None:
    """One alert for all findings of one source; None when there is nothing to alert on."""
    if not findings:
        return None
    codes = sorted({f.codigo for f in findings})
    digest = hashlib.sha256("|".join(codes).encode()).hexdigest()[:16]
    severity = max_severity(findings)
    assert severity is not None
    ctx: dict[str, Any] = {
        "findings": [f.model_dump(exclude_none=True, exclude={"origem"}) for f in findings],
    }
    ctx.update(context or {})
    return AlertSpec(
        alert_key=f"{origem}:{digest}",
        severity=severity,
        message=message,
        symptoms=codes,
        detected_by=_DETECTED_BY[origem],  # type: ignore[arg-type]
        confidence=min(f.confianca for f in findings),
        context=ctx,
    )
