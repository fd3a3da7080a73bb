"""The task envelope and the twelve payload models (docs/topology.md, docs/api-contract.md), used by
the API and the workers.

Field names, units and ranges are the public contract: they are Portuguese snake_case with the
unit in the name. Every model forbids unknown fields, so a typo in a client is a 422 at the
gateway and a permanent (dead-lettered) error at a worker, never a silently ignored value.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

import orjson
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from shared.fields import (
    NO_CONTROL,
    NON_BLANK,
    BlankAsAbsent,
    Camel,
    Cid10,
    Data,
    DataHora,
    IdadeAnos,
    LongText,
    NonBlank,
    Sexo,
    ShortText,
    Strict,
    StrictBool,
    Text,
    Trim,
    Uuid,
    Whole,
    at_least_one,
    present,
)

SCHEMA_VERSION: Literal[1] = 1

# --- clinico -------------------------------------------------------------------------------------


class SinaisVitais(Strict):
    temperatura_c: float | None = Field(default=None, strict=True, allow_inf_nan=False, ge=25, le=45)
    spo2_pct: float | None = Field(default=None, strict=True, allow_inf_nan=False, ge=0, le=100)
    frequencia_cardiaca_bpm: Annotated[int, Field(strict=True, ge=0, le=350), Whole] | None = None
    frequencia_respiratoria_irpm: Annotated[int, Field(strict=True, ge=0, le=120), Whole] | None = None
    pressao_sistolica_mmhg: Annotated[int, Field(strict=True, ge=0, le=350), Whole] | None = None
    pressao_diastolica_mmhg: Annotated[int, Field(strict=True, ge=0, le=250), Whole] | None = None
    glicemia_mg_dl: float | None = Field(default=None, strict=True, allow_inf_nan=False, ge=0, le=3000)
    escala_dor: Annotated[int, Field(strict=True, ge=0, le=10), Whole] | None = None


class ConsultaPayload(Strict):
    paciente_id: Uuid
    queixa: Text
    sinais_vitais: SinaisVitais | None = None
    idade_anos: IdadeAnos | None = None
    sexo: Sexo | None = None
    paciente_nome: ShortText | None = None
    conversa_id: ShortText | None = None
    mensagem_id: ShortText | None = None
    em_tratamento_oncologico: StrictBool = False


class InternacaoPayload(Strict):
    paciente_id: Uuid
    motivo: Text
    setor: ShortText | None = None
    cid10: Cid10 | None = None
    data_internacao: Data | DataHora | None = None
    sinais_vitais: SinaisVitais | None = None


class AltaPayload(Strict):
    paciente_id: Uuid
    resumo: Text
    data_alta: Data | DataHora
    prescricoes: (
        Annotated[
            list[Annotated[str, NonBlank, StringConstraints(max_length=2000), Trim]], Field(max_length=200)
        ]
        | None
    ) = None
    retorno_em_dias: Annotated[int, Field(strict=True, ge=0, le=3650), Whole] | None = None


AgentText = Annotated[str, NonBlank, StringConstraints(max_length=4000), Trim]
MAX_HISTORY = 50


# The backend fills patientContext from its patient record and sends "" for what the record lacks
# (a patient with no diagnosis yet): an empty value means "not known", never a reason to refuse the
# patient's message (docs/agent-message.md). The schema says so (no minLength), so it stays the truth.
ContextText = Annotated[str, StringConstraints(max_length=500, pattern=NO_CONTROL), BlankAsAbsent]
ContextName = Annotated[str, StringConstraints(max_length=200, pattern=NO_CONTROL), BlankAsAbsent]


class PatientContext(Camel):
    name: ContextName | None = None
    age: IdadeAnos | None = None
    sex: Sexo | None = None
    oncology_treatment: StrictBool = False
    diagnosis: ContextText | None = None
    current_treatment: ContextText | None = None


class ConversationTurn(Camel):
    role: Literal["patient", "agent", "nurse"]
    content: AgentText
    timestamp: DataHora | None = None


class AgentMessagePayload(Camel):
    """Body of POST /api/v1/agent/message and payload of `clinico.mensagem` (docs/agent-message.md)."""

    patient_id: Uuid
    message: AgentText
    conversation_id: ShortText | None = None
    message_id: ShortText | None = None
    patient_context: PatientContext | None = None
    conversation_history: Annotated[list[ConversationTurn], Field(max_length=MAX_HISTORY)] = Field(
        default_factory=list, description="oldest first, at most 50 turns"
    )


# --- exames --------------------------------------------------------------------------------------


# Keys are kept as sent (not trimmed), so two keys never merge into one after validation.
_NomeAnalito = Annotated[str, NonBlank, StringConstraints(max_length=100)]
_Valor = Annotated[float, Field(strict=True, ge=-1e12, le=1e12, allow_inf_nan=False)]
ResultadosNumericos = Annotated[
    dict[_NomeAnalito, _Valor],
    Field(max_length=500),
    # pydantic would put a key pattern in `patternProperties`, which admits any other key.
    WithJsonSchema(
        {
            "type": "object",
            "maxProperties": 500,
            "propertyNames": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": NON_BLANK},
            "additionalProperties": {"type": "number", "minimum": -1e12, "maximum": 1e12},
        }
    ),
]


class ExameGenericoPayload(Strict):
    model_config = ConfigDict(
        json_schema_extra=at_least_one(
            present("resultado_texto", {"type": "string"}),
            present("resultados", {"type": "object", "minProperties": 1}),
        )
    )

    paciente_id: Uuid
    tipo_exame: ShortText
    resultado_texto: LongText | None = None
    resultados: ResultadosNumericos | None = None

    @model_validator(mode="after")
    def _needs_some_result(self) -> ExameGenericoPayload:
        if self.resultado_texto is None and not self.resultados:
            raise ValueError("resultado_texto e/ou resultados: informe ao menos um")
        return self


class HemogramaResultados(Strict):
    model_config = ConfigDict(
        json_schema_extra=at_least_one(
            *(
                present(name, {"type": "number"})
                for name in (
                    "hemoglobina_g_dl",
                    "hematocrito_pct",
                    "leucocitos_mm3",
                    "neutrofilos_mm3",
                    "linfocitos_mm3",
                    "plaquetas_mm3",
                    "vcm_fl",
                    "hcm_pg",
                    "chcm_g_dl",
                    "rdw_pct",
                )
            )
        )
    )

    hemoglobina_g_dl: float | None = Field(default=None, strict=True, allow_inf_nan=False, ge=0, le=30)
    hematocrito_pct: float | None = Field(default=None, strict=True, allow_inf_nan=False, ge=0, le=100)
    leucocitos_mm3: float | None = Field(default=None, strict=True, allow_inf_nan=False, ge=0, le=1_000_000)
    neutrofilos_mm3: float | None = Field(default=None, strict=True, allow_inf_nan=False, ge=0, le=1_000_000)
    linfocitos_mm3: float | None = Field(default=None, strict=True, allow_inf_nan=False, ge=0, le=1_000_000)
    plaquetas_mm3: float | None = Field(default=None, strict=True, allow_inf_nan=False, ge=0, le=5_000_000)
    vcm_fl: float | None = Field(default=None, strict=True, allow_inf_nan=False, ge=0, le=200)
    hcm_pg: float | None = Field(default=None, strict=True, allow_inf_nan=False, ge=0, le=100)
    chcm_g_dl: float | None = Field(default=None, strict=True, allow_inf_nan=False, ge=0, le=60)
    rdw_pct: float | None = Field(default=None, strict=True, allow_inf_nan=False, ge=0, le=100)

    @model_validator(mode="after")
    def at_least_one(self) -> HemogramaResultados:
        # The fields' values as they are (extra="forbid": nothing else is in __dict__); a
        # model_dump per payload cost a worker more CPU than the rest of the validation.
        if all(v is None for v in self.__dict__.values()):
            raise ValueError("resultados: informe ao menos um analito")
        return self


class HemogramaPayload(Strict):
    paciente_id: Uuid
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

    paciente_id: Uuid
    laudo: LongText
    regiao: ShortText | None = None


class ImagemPayload(ImagemRequest):
    """The task payload: the body plus the `tipo_exame` taken from the path."""

    tipo_exame: TipoExameImagem


# --- opme ----------------------------------------------------------------------------------------


class ItemOpme(Strict):
    descricao: Annotated[str, NonBlank, StringConstraints(max_length=500), Trim]
    quantidade: Annotated[int, Field(strict=True, ge=1, le=10_000), Whole]
    # Optional on purpose: a request without them is accepted and gets parecer "pendente".
    # Eleven digits: lengths plus an anchored start, so no engine-specific end anchor is needed.
    registro_anvisa: (
        Annotated[str, StringConstraints(min_length=11, max_length=11, pattern="^[0-9]{11}")] | None
    ) = None
    codigo_tuss: Annotated[str, NonBlank, StringConstraints(max_length=20), Trim] | None = None


class OpmePayload(Strict):
    paciente_id: Uuid
    itens: Annotated[list[ItemOpme], Field(min_length=1, max_length=500)]
    cid10: Cid10
    justificativa: Text
    data_cirurgia: Data | None = None


class OpmeMaterialPayload(OpmePayload):
    pass


class OpmeProtesePayload(OpmePayload):
    tipo_protese: ShortText | None = None
    lateralidade: Literal["direita", "esquerda", "bilateral", "nao_se_aplica"] | None = None


# --- ingestao ------------------------------------------------------------------------------------
# Record fields are plain strings: a malformed CPF or date in one record is reported per record by
# the worker, it does not reject the whole batch.

Campo = Annotated[str, StringConstraints(max_length=500, pattern=NO_CONTROL), Trim]
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


# --- envelope ------------------------------------------------------------------------------------


def utcnow() -> datetime:
    return datetime.now(UTC)


class FollowUp(BaseModel):
    """A red-flag follow-up question waiting in `seguimento.espera.<N>s`, then `seguimento`: when
    it arrives there unanswered, the worker sends NO_RESPONSE (docs/agent-message.md)."""

    model_config = ConfigDict(extra="ignore")

    schema_version: Literal[1] = SCHEMA_VERSION
    task_id: Annotated[str, StringConstraints(min_length=1, max_length=36)] = Field(
        description="the clinico.mensagem task whose reply asked the question"
    )
    tenant_id: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    patient_id: str | None = None
    conversation_id: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    message_id: str | None = None
    question: str = Field(description="the question the reply ended with (SIM or NÃO)")
    asked_at: AwareDatetime = Field(description="when the message that got the question arrived")
    severity: str | None = Field(default=None, description="severity of the reply (CRITICAL or HIGH)")
    delay_s: int | None = Field(default=None, description="NO_RESPONSE_AFTER_S when it was parked")


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

    def to_json_bytes(self, payload_json: bytes | None = None) -> bytes:
        """The message body. `payload_json`: the payload already encoded (the API encodes it once
        for the task row and the message), spliced in as it is."""
        if payload_json is None:
            return self.model_dump_json().encode()
        return _head_json(self)[:-1] + b',"payload":' + payload_json + b"}"


# The envelope's fields but the payload, as orjson writes them when they hold what the API puts
# there: the same bytes as pydantic's `model_dump_json(exclude={"payload"})` (a UTC time as "Z",
# a UUID as text, UTF-8 unescaped) in a third of the time, for every accepted task
# (tests/shared/test_envelope_json.py compares). Anything else goes through pydantic.
_PLAIN_TYPES = (str, int, type(None), uuid.UUID)


def _head_json(envelope: Envelope) -> bytes:
    fields = {k: v for k, v in envelope.__dict__.items() if k != "payload"}
    created = fields.get("created_at")
    if (
        type(created) is datetime
        and created.tzinfo is UTC
        and all(type(v) in _PLAIN_TYPES for k, v in fields.items() if k != "created_at")
    ):
        return orjson.dumps(fields, option=orjson.OPT_UTC_Z)
    return envelope.model_dump_json(exclude={"payload"}).encode()
