"""The one table of task types: per type its domain, vhost, HTTP route, payload model, analysis
function, crew and the crew's output model.

Everything else is derived from `TASKS`, `VHOSTS` and `CREWS`: the topology (vhosts and their
task types), the payload models by type, the rules the clinical engine runs, the crew a task
joins when an LLM is configured, and the routes' paths. Adding a task type is one row here plus
its analysis function (docs/task-types.md walks through it).

The analysis functions and the crews' output models live in the workers, which the API never
loads; they are named here as `"module:attribute"` references and imported on first use, so
this module imports nothing but the payload models and the API stays free of the clinical engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from importlib import import_module
from typing import Any

from pydantic import BaseModel

from shared import messages as m

# domain -> vhost (docs/architecture.md), in the order the vhosts are listed everywhere.
VHOSTS: dict[str, str] = {
    "clinico": "fluxo_clinico",
    "exames": "fluxo_exames",
    "opme": "fluxo_opme",
    "ingestao": "ingestao_dados",
}


def resolve(reference: str) -> Any:
    """`"package.module:attribute"` -> the attribute (imported on first use)."""
    module, _, attribute = reference.partition(":")
    return getattr(import_module(module), attribute)


@dataclass(frozen=True)
class Crew:
    """A CrewAI crew: agents and tasks in `workers/crews/<name>/config/*.yaml`, and the pydantic
    model of its final task's `output_pydantic` (a class of `workers.crews.models`)."""

    name: str
    output_model_name: str

    @property
    def output_model(self) -> type[BaseModel]:
        return resolve(f"workers.crews.models:{self.output_model_name}")  # type: ignore[no-any-return]


CREWS: dict[str, Crew] = {
    crew.name: crew
    for crew in (
        Crew("clinico", "ClinicoSaida"),  # Triage Nurse + Clinician
        Crew("hemograma", "HemogramaSaida"),  # Laboratory Analyst + Hematologist
        Crew("imagem", "ImagemSaida"),  # Radiologist
        Crew("opme", "OpmeSaida"),  # OPME Auditor
        Crew("ingestao", "IngestaoSaida"),  # Data Steward
        Crew("mensagem", "MensagemSaida"),  # Oncology Nurse Navigator (the WhatsApp reply)
    )
}


@dataclass(frozen=True)
class TaskKind:
    domain: str
    task_type: str
    payload_model: type[BaseModel]
    route: str  # the POST path that publishes it
    crew_name: str  # a key of CREWS: the crew that joins the rules when an LLM is configured
    # The clinical engine's analysis, `"module:function"` called as `function(payload, *args)`;
    # None for a task type without rules of its own.
    analysis_ref: str | None = None
    analysis_args: tuple[Any, ...] = field(default=())

    @property
    def vhost(self) -> str:
        return VHOSTS[self.domain]

    @property
    def message_type(self) -> str:
        return f"{self.domain}.{self.task_type}"

    @property
    def crew(self) -> Crew:
        return CREWS[self.crew_name]

    @cached_property
    def analysis(self) -> Callable[[Any], Any]:
        """The rules for this task type: `(payload) -> workers.clinical.ClinicalAnalysis`."""
        if self.analysis_ref is None:
            raise KeyError(f"{self.message_type} has no analysis of its own")
        function = resolve(self.analysis_ref)
        args = self.analysis_args
        return (lambda payload: function(payload, *args)) if args else function  # type: ignore[no-any-return]


_CLINICAL = "workers.clinical"
TASKS: tuple[TaskKind, ...] = (
    TaskKind(
        "clinico", "consulta", m.ConsultaPayload, "/api/clinico/consulta/", "clinico",
        f"{_CLINICAL}.clinico:analyze_consulta",
    ),
    TaskKind(
        "clinico", "internacao", m.InternacaoPayload, "/api/clinico/internacao/", "clinico",
        f"{_CLINICAL}.clinico:analyze_internacao",
    ),
    TaskKind(
        "clinico", "alta", m.AltaPayload, "/api/clinico/alta/", "clinico",
        f"{_CLINICAL}.clinico:analyze_alta",
    ),
    TaskKind(
        "clinico", "mensagem", m.AgentMessagePayload, "/api/v1/agent/message", "mensagem",
        f"{_CLINICAL}.mensagem:analyze_mensagem",
    ),
    TaskKind(
        "exames", "generico", m.ExameGenericoPayload, "/api/exames/", "imagem",
        f"{_CLINICAL}.exames:analyze_exame_generico",
    ),
    TaskKind(
        "exames", "hemograma", m.HemogramaPayload, "/api/exames/hemograma/", "hemograma",
        f"{_CLINICAL}.hemograma:analyze_hemograma",
    ),
    TaskKind(
        "exames", "imagem", m.ImagemPayload, "/api/exames/imagem/{tipo_exame}", "imagem",
        f"{_CLINICAL}.exames:analyze_imagem",
    ),
    TaskKind(
        "opme", "generico", m.OpmePayload, "/api/opme/", "opme",
        f"{_CLINICAL}.opme:analyze_opme", ("generico",),
    ),
    TaskKind(
        "opme", "protese", m.OpmeProtesePayload, "/api/opme/protese/", "opme",
        f"{_CLINICAL}.opme:analyze_opme", ("protese",),
    ),
    TaskKind(
        "opme", "material", m.OpmeMaterialPayload, "/api/opme/material/", "opme",
        f"{_CLINICAL}.opme:analyze_opme", ("material",),
    ),
    TaskKind(
        "ingestao", "generico", m.IngestaoGenericaPayload, "/api/ingestao/", "ingestao",
        f"{_CLINICAL}.ingestao:analyze_generico",
    ),
    TaskKind(
        "ingestao", "pacientes", m.IngestaoPacientesPayload, "/api/ingestao/pacientes/", "ingestao",
        f"{_CLINICAL}.ingestao:analyze_pacientes",
    ),
    TaskKind(
        "ingestao", "medicos", m.IngestaoMedicosPayload, "/api/ingestao/medicos/", "ingestao",
        f"{_CLINICAL}.ingestao:analyze_medicos",
    ),
)  # fmt: skip

BY_TYPE: dict[tuple[str, str], TaskKind] = {(t.domain, t.task_type): t for t in TASKS}
PAYLOAD_MODELS: dict[tuple[str, str], type[BaseModel]] = {key: t.payload_model for key, t in BY_TYPE.items()}


def kind(domain: str, task_type: str) -> TaskKind:
    return BY_TYPE[(domain, task_type)]


def task_types(domain: str) -> tuple[str, ...]:
    return tuple(t.task_type for t in TASKS if t.domain == domain)


def route(domain: str, task_type: str) -> str:
    """The route's path relative to its domain router's prefix `/api/<domain>` (a route outside
    that prefix, such as the agent's, is returned whole)."""
    return BY_TYPE[(domain, task_type)].route.removeprefix(f"/api/{domain}")
