"""The CrewAI crews, one per task family; agents and tasks live in `<crew>/config/*.yaml`.

This package's `__init__` never imports crewai: it only names the crews and quiets CrewAI's
outside calls. `workers.crews.runtime` imports crewai and is loaded by `workers.llm` only.
"""

from __future__ import annotations

import os
from pathlib import Path

from shared import catalog

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


# Each crew's folder holds `config/agents.yaml` and `config/tasks.yaml`; which crew a task type
# joins, and the model of the crew's final output, are columns of `shared.catalog`.
CONFIG_ROOT = Path(__file__).resolve().parent
CREWS: tuple[str, ...] = tuple(catalog.CREWS)


def config_dir(family: str) -> Path:
    return CONFIG_ROOT / family / "config"
