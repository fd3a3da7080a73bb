"""Deterministic clinical engine: explainable rules, always on, no I/O (docs/clinical-analysis.md,
docs/clinical-engine.md).

    analysis = analyze("clinico", "consulta", ConsultaPayload(...))
    analysis.achados          # CRITICAL/HIGH findings, origem="regras"
    analysis.severidade       # max severity or None
    analysis.mensagem_alerta  # Portuguese text for the nurse, without identifying data

Modules: `text` (normalisation), `lexicon` (patterns per finding family), `negation` (scope of
negation, hypotheses, history, resolution), `symptoms` (text scan), `vitals`, and one module per
task family: `clinico`, `hemograma`, `exames` (+ `labs`), `opme`, `ingestao` (+ `validators`).
Everything is pure Python with regexes compiled at import time and no shared mutable state, so
`analyze` is deterministic and safe to call from many threads.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from shared.catalog import kind

from . import clinico, exames, hemograma, ingestao, mensagem, opme  # noqa: F401
from .result import VERSAO_REGRAS, ClinicalAnalysis

__all__ = ["VERSAO_REGRAS", "ClinicalAnalysis", "analyze"]


def analyze(domain: str, task_type: str, payload: BaseModel | dict[str, Any]) -> ClinicalAnalysis:
    """Run the rules for one task. `payload` is the validated model of `shared.catalog.PAYLOAD_MODELS`.

    Raises KeyError for an unknown (domain, task_type) and TypeError when the payload is not the
    model of that pair (a dict is validated first, for callers that hold raw JSON).
    """
    task = kind(domain, task_type)
    analysis, model = task.analysis, task.payload_model
    if isinstance(payload, dict):
        payload = model.model_validate(payload)
    if not isinstance(payload, model):
        raise TypeError(f"{domain}/{task_type} expects {model.__name__}, got {type(payload).__name__}")
    result: ClinicalAnalysis = analysis(payload)
    return result
