"""The task envelope and the twelve payload models (SPEC §4 and §5), used by the API and the workers.

Field names, units and ranges are the public contract: they are Portuguese snake_case with the
unit in the name. Every model forbids unknown fields, so a typo in a client is a 422 at the
gateway and a permanent (dead-lettered) error at a worker, never a silently ignored value.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic.alias_generators import to_camel

SCHEMA_VERSION: Literal[1] = 1


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


Text = Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Sexo = Literal["F", "M"]
IdadeAnos = Annotated[int, Field(ge=0, le=130)]


# --- clinico -------------------------------------------------------------------------------------


class SinaisVitais(Strict):
    temperatura_c: float | None = Field(default=None, ge=25, le=45)
    spo2_pct: float | None = Field(default=None, ge=0, le=100)
    frequencia_cardiaca_bpm: int | None = Field(default=None, ge=0, le=350)
    frequencia_respiratoria_irpm: int | None = Field(default=None, ge=0, le=120)
    pressao_sistolica_mmhg: int | None = Field(default=None, ge=0, le=350)
    pressao_diastolica_mmhg: int | None = Field(default=None, ge=0, le=250)
    glicemia_mg_dl: float | None = Field(default=None, ge=0, le=3000)
    escala_dor: int | None = Field(default=None, ge=0, le=10)


class ConsultaPayload(Strict):
    paciente_id: uuid.UUID
    queixa: Text
    sinais_vitais: SinaisVitais | None = None
    idade_anos: IdadeAnos | None = None
    sexo: Sexo | None = None
    paciente_nome: ShortText | None = None
    conversa_id: ShortText | None = None
    mensagem_id: ShortText | None = None
    em_tratamento_oncologico: bool = False


class InternacaoPayload(Strict):
    paciente_id: uuid.UUID
    motivo: Text
    setor: ShortText | None = None
    cid10: Annotated[str, StringConstraints(min_length=1, max_length=10)] | None = None
    data_internacao: date | datetime | None = None
    sinais_vitais: SinaisVitais | None = None


class AltaPayload(Strict):
    paciente_id: uuid.UUID
    resumo: Text
    data_alta: date | datetime
    prescricoes: (
        Annotated[
            list[Annotated[str, StringConstraints(min_length=1, max_length=2000)]], Field(max_length=200)
        ]
        | None
    ) = None
    retorno_em_dias: int | None = Field(default=None, ge=0, le=3650)


class _Camel(BaseModel):
    """camelCase as the NestJS backend sends it; the snake_case names are accepted too."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )


AgentText = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
AgentShortText = Annotated[str, StringConstraints(min_length=1, max_length=500)]
MAX_HISTORY = 50


class PatientContext(_Camel):
    name: ShortText | None = None
    age: IdadeAnos | None = None
    sex: Sexo | None = None
    oncology_treatment: bool = False
    diagnosis: AgentShortText | None = None
    current_treatment: AgentShortText | None = None


class ConversationTurn(_Camel):
    role: Literal["patient", "agent", "nurse"]
    content: AgentText
    timestamp: datetime | None = None


class AgentMessagePayload(_Camel):
    """Body of POST /api/v1/agent/message and payload of `clinico.mensagem` (SPEC §9)."""

    patient_id: uuid.UUID
    message: AgentText
    conversation_id: ShortText | None = None
    message_id: ShortText | None = None
    patient_context: PatientContext | None = None
    conversation_history: Annotated[list[ConversationTurn], Field(max_length=MAX_HISTORY)] = Field(
        default_factory=list, description="oldest first, at most 50 turns"
    )


# --- exames --------------------------------------------------------------------------------------


class ExameGenericoPayload(Strict):
    paciente_id: uuid.UUID
    tipo_exame: ShortText
    resultado_texto: LongText | None = None
    resultados: (
        Annotated[
            dict[Annotated[str, StringConstraints(min_length=1, max_length=100)], float],
            Field(max_length=500),
        ]
        | None
    ) = None

    @model_validator(mode="after")
    def _needs_some_result(self) -> ExameGenericoPayload:
        if self.resultado_texto is None and not self.resultados:
            raise ValueError("resultado_texto e/ou resultados: informe ao menos um")
        return self


class HemogramaResultados(Strict):
    hemoglobina_g_dl: float | None = Field(default=None, ge=0, le=30)
    hematocrito_pct: float | None = Field(default=None, ge=0, le=100)
    leucocitos_mm3: float | None = Field(default=None, ge=0, le=1_000_000)
    neutrofilos_mm3: float | None = Field(default=None, ge=0, le=1_000_000)
    linfocitos_mm3: float | None = Field(default=None, ge=0, le=1_000_000)
    plaquetas_mm3: float | None = Field(default=None, ge=0, le=5_000_000)
    vcm_fl: float | None = Field(default=None, ge=0, le=200)
    hcm_pg: float | None = Field(default=None, ge=0, le=100)
    chcm_g_dl: float | None = Field(default=None, ge=0, le=60)
    rdw_pct: float | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _at_least_one(self) -> HemogramaResultados:
        if all(v is None for v in self.model_dump().values()):
            raise ValueError("resultados: informe ao menos um analito")
        return self


class HemogramaPayload(Strict):
    paciente_id: uuid.UUID
    sexo: Sexo | None = None
    idade_anos: IdadeAnos | None = None
    resultados: HemogramaResultados


class TipoExameImagem(StrEnum):
    raio_x = "raio_x"
    tomografia = "tomografia"
    ressonancia = "ressonancia"
    ultrassom = "ultrassom"
    mamografia = "mamografia"


class ImagemRequest(Strict):
    """Body of POST /api/exames/imagem/{tipo_exame}; the path gives `tipo_exame`."""

    paciente_id: uuid.UUID
    laudo: LongText
    regiao: ShortText | None = None


class ImagemPayload(ImagemRequest):
    """The task payload: the body plus the `tipo_exame` taken from the path."""

    tipo_exame: TipoExameImagem


# --- opme ----------------------------------------------------------------------------------------


class ItemOpme(Strict):
    descricao: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    quantidade: int = Field(ge=1, le=10_000)
    # Optional on purpose: a request without them is accepted and gets parecer "pendente".
    registro_anvisa: Annotated[str, StringConstraints(pattern=r"^\d{11}$")] | None = None
    codigo_tuss: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = None


class OpmePayload(Strict):
    paciente_id: uuid.UUID
    itens: Annotated[list[ItemOpme], Field(min_length=1, max_length=500)]
    cid10: Annotated[str, StringConstraints(min_length=1, max_length=10)]
    justificativa: Text
    data_cirurgia: date | None = None


class OpmeMaterialPayload(OpmePayload):
    pass


class OpmeProtesePayload(OpmePayload):
    tipo_protese: ShortText | None = None
    lateralidade: Literal["direita", "esquerda", "bilateral", "nao_se_aplica"] | None = None


# --- ingestao ------------------------------------------------------------------------------------
# Record fields are plain strings: a malformed CPF or date in one record is reported per record by
# the worker, it does not reject the whole batch.

Campo = Annotated[str, StringConstraints(max_length=500)]
MAX_REGISTROS = 10_000


class IngestaoGenericaPayload(Strict):
    fonte: ShortText
    registros: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=MAX_REGISTROS)]


class RegistroPaciente(Strict):
    nome: Campo
    cpf: Campo
    data_nascimento: Campo
    sexo: Campo | None = None
    telefone: Campo | None = None
    email: Campo | None = None


class IngestaoPacientesPayload(Strict):
    registros: Annotated[list[RegistroPaciente], Field(min_length=1, max_length=MAX_REGISTROS)]


class RegistroMedico(Strict):
    nome: Campo
    crm: Campo
    uf: Campo
    especialidade: Campo | None = None
    cpf: Campo | None = None


class IngestaoMedicosPayload(Strict):
    registros: Annotated[list[RegistroMedico], Field(min_length=1, max_length=MAX_REGISTROS)]


def __getattr__(name: str) -> Any:
    # PAYLOAD_MODELS is derived from the task catalogue, which imports the models above.
    if name == "PAYLOAD_MODELS":
        from shared.catalog import BY_TYPE

        return {key: kind.payload_model for key, kind in BY_TYPE.items()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- envelope ------------------------------------------------------------------------------------


def utcnow() -> datetime:
    return datetime.now(UTC)


class Envelope(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = SCHEMA_VERSION
    task_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    domain: str
    task_type: str
    tenant_id: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    payload: dict[str, Any]
    created_at: AwareDatetime = Field(default_factory=utcnow)
    correlation_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    idempotency_key: str | None = None

    @property
    def message_type(self) -> str:
        return f"{self.domain}.{self.task_type}"

    def to_json_bytes(self) -> bytes:
        return self.model_dump_json().encode()


def payload_model(domain: str, task_type: str) -> type[BaseModel]:
    from shared.catalog import kind

    return kind(domain, task_type).payload_model
