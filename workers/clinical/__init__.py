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

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from shared import messages as m

from . import clinico, exames, hemograma, ingestao, mensagem, opme
from .result import VERSAO_REGRAS, ClinicalAnalysis

__all__ = ["VERSAO_REGRAS", "ClinicalAnalysis", "analyze"]

_Handler = Callable[[Any], ClinicalAnalysis]
_HANDLERS: dict[tuple[str, str], tuple[type[BaseModel], _Handler]] = {
    ("clinico", "consulta"): (m.ConsultaPayload, clinico.analyze_consulta),
    ("clinico", "internacao"): (m.InternacaoPayload, clinico.analyze_internacao),
    ("clinico", "alta"): (m.AltaPayload, clinico.analyze_alta),
    ("clinico", "mensagem"): (m.AgentMessagePayload, mensagem.analyze_mensagem),
    ("exames", "generico"): (m.ExameGenericoPayload, exames.analyze_exame_generico),
    ("exames", "hemograma"): (m.HemogramaPayload, hemograma.analyze_hemograma),
    ("exames", "imagem"): (m.ImagemPayload, exames.analyze_imagem),
    ("opme", "generico"): (m.OpmePayload, lambda p: opme.analyze_opme(p, "generico")),
    ("opme", "protese"): (m.OpmeProtesePayload, lambda p: opme.analyze_opme(p, "protese")),
    ("opme", "material"): (m.OpmeMaterialPayload, lambda p: opme.analyze_opme(p, "material")),
    ("ingestao", "generico"): (m.IngestaoGenericaPayload, ingestao.analyze_generico),
    ("ingestao", "pacientes"): (m.IngestaoPacientesPayload, ingestao.analyze_pacientes),
    ("ingestao", "medicos"): (m.IngestaoMedicosPayload, ingestao.analyze_medicos),
}


def analyze(domain: str, task_type: str, payload: BaseModel | dict[str, Any]) -> ClinicalAnalysis:
    """Run the rules for one task. `payload` is the validated model of `shared.messages.PAYLOAD_MODELS`.

    Raises KeyError for an unknown (domain, task_type) and TypeError when the payload is not the
    model of that pair (a dict is validated first, for callers that hold raw JSON).
    """
    model, handler = _HANDLERS[(domain, task_type)]
    if isinstance(payload, dict):
        payload = model.model_validate(payload)
    if not isinstance(payload, model):
        raise TypeError(f"{domain}/{task_type} expects {model.__name__}, got {type(payload).__name__}")
    return handler(payload)
