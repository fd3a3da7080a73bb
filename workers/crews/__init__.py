"""The CrewAI crews, one per task family; agents and tasks live in `<crew>/config/*.yaml`.

This package's `__init__` never imports crewai: it only names the crews and quiets CrewAI's
outside calls. `workers.crews.runtime` imports crewai and is loaded by `workers.llm` only.
"""

from __future__ import annotations

import os
from pathlib import Path

from shared.catalog import BY_TYPE

# CrewAI's own switches, set before crewai is imported anywhere in the process:
# - anonymous usage telemetry (OpenTelemetry exporter to telemetry.crewai.com),
# - execution tracing to app.crewai.com (would upload prompts, i.e. patient data),
# - LiteLLM's model price map download at import, should LiteLLM ever be installed.
_QUIET_ENV = {
    "CREWAI_DISABLE_TELEMETRY": "true",
    "CREWAI_DISABLE_TRACKING": "true",
    "OTEL_SDK_DISABLED": "true",
    "CREWAI_TRACING_ENABLED": "false",
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
}


def quiet_crewai_environment() -> None:
    for name, value in _QUIET_ENV.items():
        if name == "OTEL_SDK_DISABLED" and os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
            continue  # the operator's collector gets our spans; CrewAI's telemetry stays off
        os.environ.setdefault(name, value)


# task family -> its folder (`<family>/config/agents.yaml`, `tasks.yaml`) and the pydantic model
# of its final task's `output_pydantic` (named here, defined in `workers.crews.models`).
CONFIG_ROOT = Path(__file__).resolve().parent
OUTPUT_MODELS: dict[str, str] = {
    "clinico": "ClinicoSaida",  # Triage Nurse + Clinician
    "hemograma": "HemogramaSaida",  # Laboratory Analyst + Hematologist
    "imagem": "ImagemSaida",  # Radiologist
    "opme": "OpmeSaida",  # OPME Auditor
    "ingestao": "IngestaoSaida",  # Data Steward
    "mensagem": "MensagemSaida",  # Oncology Nurse Navigator (the WhatsApp reply)
}
CREWS: tuple[str, ...] = tuple(OUTPUT_MODELS)


def config_dir(family: str) -> Path:
    return CONFIG_ROOT / family / "config"


CREW_FOR_TASK: dict[tuple[str, str], str] = {key: kind.crew for key, kind in BY_TYPE.items()}
