"""Helpers for the clinical engine tests: build validated payloads and run `analyze` in one call."""

from __future__ import annotations

import uuid
from typing import Any

from shared.catalog import PAYLOAD_MODELS
from workers.clinical import ClinicalAnalysis, analyze

PACIENTE = uuid.UUID("550e8400-e29b-41d4-a716-446655440000")


def run(domain: str, task_type: str, **payload: Any) -> ClinicalAnalysis:
    model = PAYLOAD_MODELS[(domain, task_type)]
    if domain in ("clinico", "exames", "opme"):
        payload.setdefault("paciente_id", PACIENTE)
    return analyze(domain, task_type, model.model_validate(payload))


def consulta(queixa: str, **extra: Any) -> ClinicalAnalysis:
    return run("clinico", "consulta", queixa=queixa, **extra)


def codes(result: ClinicalAnalysis) -> set[str]:
    return {f.codigo for f in result.achados}
