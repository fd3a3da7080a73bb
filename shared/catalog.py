"""The one table of task types: domain, task type, vhost, payload model, HTTP route and crew.

The topology (vhosts and their task types), the payload models by type, the crews by type, the
worker's handler modules and the routes' paths are all derived from `TASKS` and `VHOSTS`, so a
new task type is one row here (plus its handler, its route and, if new, its crew's YAML).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from shared import messages as m

# domain -> vhost (SPEC §3), in the order the vhosts are listed everywhere.
VHOSTS: dict[str, str] = {
    "clinico": "fluxo_clinico",
    "exames": "fluxo_exames",
    "opme": "fluxo_opme",
    "ingestao": "ingestao_dados",
}


@dataclass(frozen=True)
class TaskKind:
    domain: str
    task_type: str
    payload_model: type[BaseModel]
    route: str  # the POST path that publishes it
    crew: str  # the CrewAI crew (workers/crews/<crew>/config) that joins the rules

    @property
    def vhost(self) -> str:
        return VHOSTS[self.domain]

    @property
    def message_type(self) -> str:
        return f"{self.domain}.{self.task_type}"


TASKS: tuple[TaskKind, ...] = (
    TaskKind("clinico", "consulta", m.ConsultaPayload, "/api/clinico/consulta/", "clinico"),
    TaskKind("clinico", "internacao", m.InternacaoPayload, "/api/clinico/internacao/", "clinico"),
    TaskKind("clinico", "alta", m.AltaPayload, "/api/clinico/alta/", "clinico"),
    TaskKind("clinico", "mensagem", m.AgentMessagePayload, "/api/v1/agent/message", "mensagem"),
    TaskKind("exames", "generico", m.ExameGenericoPayload, "/api/exames/", "imagem"),
    TaskKind("exames", "hemograma", m.HemogramaPayload, "/api/exames/hemograma/", "hemograma"),
    TaskKind("exames", "imagem", m.ImagemPayload, "/api/exames/imagem/{tipo_exame}", "imagem"),
    TaskKind("opme", "generico", m.OpmePayload, "/api/opme/", "opme"),
    TaskKind("opme", "protese", m.OpmeProtesePayload, "/api/opme/protese/", "opme"),
    TaskKind("opme", "material", m.OpmeMaterialPayload, "/api/opme/material/", "opme"),
    TaskKind("ingestao", "generico", m.IngestaoGenericaPayload, "/api/ingestao/", "ingestao"),
    TaskKind("ingestao", "pacientes", m.IngestaoPacientesPayload, "/api/ingestao/pacientes/", "ingestao"),
    TaskKind("ingestao", "medicos", m.IngestaoMedicosPayload, "/api/ingestao/medicos/", "ingestao"),
)

BY_TYPE: dict[tuple[str, str], TaskKind] = {(t.domain, t.task_type): t for t in TASKS}


def kind(domain: str, task_type: str) -> TaskKind:
    return BY_TYPE[(domain, task_type)]


def task_types(domain: str) -> tuple[str, ...]:
    return tuple(t.task_type for t in TASKS if t.domain == domain)


def route(domain: str, task_type: str) -> str:
    """The route's path relative to its domain router's prefix `/api/<domain>` (a route outside
    that prefix, such as the agent's, is returned whole)."""
    return BY_TYPE[(domain, task_type)].route.removeprefix(f"/api/{domain}")
