"""One switch for the telemetry of the libraries we use: CrewAI, OpenTelemetry's SDK, LangSmith,
LiteLLM. They phone home by default; this machine, and many hospital networks, have no outside
access, and CrewAI's execution tracing would upload prompts, i.e. patient data.

Call `quiet_third_party_telemetry()` before anything imports them (workers/worker.py,
workers/__main__.py, workers/llm.py, workers/crews/runtime.py do). Each variable is only a
default: an operator's own setting wins. An operator who points OTEL_EXPORTER_OTLP_ENDPOINT at a
collector wants the SDK on (our own spans, shared/tracing.py); CrewAI's telemetry stays off through
its own switches either way.
"""

from __future__ import annotations

import os

QUIET_ENV = {
    "CREWAI_DISABLE_TELEMETRY": "true",  # anonymous usage telemetry to telemetry.crewai.com
    "CREWAI_DISABLE_TRACKING": "true",
    "CREWAI_TRACING_ENABLED": "false",  # execution tracing to app.crewai.com
    "OTEL_SDK_DISABLED": "true",
    "LANGSMITH_TRACING": "false",  # would upload every prompt and answer
    "LANGCHAIN_TRACING_V2": "false",
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",  # no price map download at import
}


def quiet_third_party_telemetry() -> None:
    for name, value in QUIET_ENV.items():
        if name == "OTEL_SDK_DISABLED" and os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
            continue
        os.environ.setdefault(name, value)
