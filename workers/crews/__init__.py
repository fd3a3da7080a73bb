"""The CrewAI crews, one per task family; agents and tasks live in `<crew>/config/*.yaml`.

This package's `__init__` never imports crewai: it only names the crews. `workers.crews.runtime`
imports crewai and is loaded by `workers.llm` only.
"""

from __future__ import annotations

from pathlib import Path

from shared import catalog

# Each crew's folder holds `config/agents.yaml` and `config/tasks.yaml`; which crew a task type
# joins, and the model of the crew's final output, are columns of `shared.catalog`.
CONFIG_ROOT = Path(__file__).resolve().parent
CREWS: tuple[str, ...] = tuple(catalog.CREWS)


def config_dir(family: str) -> Path:
    return CONFIG_ROOT / family / "config"
