"""One valid request per endpoint, and per endpoint a field to break for each kind of 422."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

PACIENTE = "550e8400-e29b-41d4-a716-446655440001"


@dataclass(frozen=True)
class Endpoint:
    path: str
    domain: str
    task_type: str
    body: dict[str, Any]
    required: str  # a required top-level field to drop
    wrong_type: tuple[str, Any]  # (dotted path, value of the wrong type)
    out_of_range: tuple[str, Any]
    uuid_field: str | None = "paciente_id"
    extra_payload: dict[str, Any] = field(default_factory=dict)  # what the API adds (path params)

    def payload(self) -> dict[str, Any]:
        return copy.deepcopy(self.body)


_ITEM = {
    "descricao": "Prótese total de joelho cimentada",
    "quantidade": 1,
    "registro_anvisa": "80123456789",
    "codigo_tuss": "31403018",
}
_OPME = {
    "paciente_id": PACIENTE,
    "itens": [_ITEM],
    "cid10": "M17.1",
    "justificativa": "Gonartrose primária bilateral com falha do tratamento conservador por 12 meses",
    "data_cirurgia": "2030-03-10",
}

ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "/api/clinico/consulta/",
        "clinico",
        "consulta",
        {
            "paciente_id": PACIENTE,
            "queixa": "Dor de cabeça leve desde ontem",
            "sinais_vitais": {"temperatura_c": 36.9, "spo2_pct": 97, "escala_dor": 3},
            "idade_anos": 54,
            "sexo": "F",
            "em_tratamento_oncologico": False,
        },
        required="queixa",
        wrong_type=("queixa", 123),
        out_of_range=("sinais_vitais.escala_dor", 11),
    ),
    Endpoint(
        "/api/clinico/internacao/",
        "clinico",
        "internacao",
        {
            "paciente_id": PACIENTE,
            "motivo": "Pneumonia comunitária",
            "setor": "Clínica médica",
            "cid10": "J18.9",
            "data_internacao": "2026-11-20T10:00:00Z",
            "sinais_vitais": {"frequencia_cardiaca_bpm": 98},
        },
        required="motivo",
        wrong_type=("motivo", ["lista"]),
        out_of_range=("sinais_vitais.spo2_pct", 101),
    ),
    Endpoint(
        "/api/clinico/alta/",
        "clinico",
        "alta",
        {
            "paciente_id": PACIENTE,
            "resumo": "Alta após tratamento de pneumonia, sem intercorrências",
            "data_alta": "2026-11-21",
            "prescricoes": ["Amoxicilina 500 mg 8/8 h por 7 dias"],
            "retorno_em_dias": 15,
        },
        required="data_alta",
        wrong_type=("prescricoes", "não é lista"),
        out_of_range=("retorno_em_dias", -1),
    ),
    Endpoint(
        "/api/exames/",
        "exames",
        "generico",
        {
            "paciente_id": PACIENTE,
            "tipo_exame": "bioquimica",
            "resultado_texto": "Sem alterações",
            "resultados": {"potassio_meq_l": 4.1},
        },
        required="tipo_exame",
        wrong_type=("resultados", "texto"),
        out_of_range=("tipo_exame", "x" * 201),
    ),
    Endpoint(
        "/api/exames/hemograma/",
        "exames",
        "hemograma",
        {
            "paciente_id": PACIENTE,
            "sexo": "M",
            "idade_anos": 40,
            "resultados": {"hemoglobina_g_dl": 14.1, "leucocitos_mm3": 7200, "plaquetas_mm3": 250000},
        },
        required="resultados",
        wrong_type=("resultados.hemoglobina_g_dl", "alta"),
        out_of_range=("resultados.hemoglobina_g_dl", -1),
    ),
    Endpoint(
        "/api/exames/imagem/tomografia",
        "exames",
        "imagem",
        {"paciente_id": PACIENTE, "laudo": "Tomografia de crânio sem alterações agudas", "regiao": "crânio"},
        required="laudo",
        wrong_type=("laudo", 1.5),
        out_of_range=("regiao", "x" * 201),
        extra_payload={"tipo_exame": "tomografia"},
    ),
    Endpoint(
        "/api/opme/",
        "opme",
        "generico",
        copy.deepcopy(_OPME),
        required="itens",
        wrong_type=("itens", {"não": "lista"}),
        out_of_range=("itens.0.quantidade", 0),
    ),
    Endpoint(
        "/api/opme/protese/",
        "opme",
        "protese",
        {**copy.deepcopy(_OPME), "tipo_protese": "joelho", "lateralidade": "direita"},
        required="cid10",
        wrong_type=("lateralidade", 7),
        out_of_range=("itens.0.quantidade", 0),
    ),
    Endpoint(
        "/api/opme/material/",
        "opme",
        "material",
        copy.deepcopy(_OPME),
        required="justificativa",
        wrong_type=("justificativa", True),
        out_of_range=("itens.0.registro_anvisa", "123"),
    ),
    Endpoint(
        "/api/ingestao/",
        "ingestao",
        "generico",
        {"fonte": "sistema_legado", "registros": [{"nome": "Maria", "cpf": "52998224725"}]},
        required="fonte",
        wrong_type=("registros", "texto"),
        out_of_range=("registros", []),
        uuid_field=None,
    ),
    Endpoint(
        "/api/ingestao/pacientes/",
        "ingestao",
        "pacientes",
        {
            "registros": [
                {
                    "nome": "Maria da Silva",
                    "cpf": "529.982.247-25",
                    "data_nascimento": "1970-05-20",
                    "sexo": "F",
                    "telefone": "(11) 98765-4321",
                    "email": "maria@example.com",
                }
            ]
        },
        required="registros",
        wrong_type=("registros.0.nome", 5),
        out_of_range=("registros", []),
        uuid_field=None,
    ),
    Endpoint(
        "/api/ingestao/medicos/",
        "ingestao",
        "medicos",
        {"registros": [{"nome": "João Souza", "crm": "123456", "uf": "SP", "especialidade": "Cardiologia"}]},
        required="registros",
        wrong_type=("registros.0.crm", {"x": 1}),
        out_of_range=("registros", []),
        uuid_field=None,
    ),
]

BY_PATH = {e.path: e for e in ENDPOINTS}


def set_path(body: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    parts = dotted.split(".")
    node: Any = body
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return body
