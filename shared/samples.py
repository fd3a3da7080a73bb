"""Sample requests, one per task type: the examples of docs/examples.md (deploy/readme_examples.py
runs the real handler on each) and of the AsyncAPI document's messages (api/asyncapi.py), so
the two can never show different things. Fictitious patients and values only.
"""

from __future__ import annotations

from typing import Any

P = "550e8400-e29b-41d4-a716-446655440001"
ITEM = {
    "descricao": "Prótese total de joelho cimentada",
    "quantidade": 1,
    "registro_anvisa": "80123456789",
    "codigo_tuss": "31403018",
}
OPME = {
    "paciente_id": P,
    "itens": [ITEM],
    "cid10": "M17.1",
    "justificativa": "Gonartrose primária com falha do tratamento conservador por 12 meses",
    "data_cirurgia": "2030-03-10",
}
# (path, domain, task_type, request body)
EXAMPLES: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "/api/clinico/consulta/",
        "clinico",
        "consulta",
        {
            "paciente_id": P,
            "queixa": "Estou com febre de 38,6 e falta de ar desde ontem",
            "em_tratamento_oncologico": True,
            "sinais_vitais": {"spo2_pct": 90},
        },
    ),
    (
        "/api/clinico/internacao/",
        "clinico",
        "internacao",
        {
            "paciente_id": P,
            "motivo": "Pneumonia comunitária, nega dor torácica",
            "cid10": "J18.9",
            "sinais_vitais": {"frequencia_respiratoria_irpm": 24},
        },
    ),
    (
        "/api/clinico/alta/",
        "clinico",
        "alta",
        {
            "paciente_id": P,
            "resumo": "Internado por dispneia, resolvida. Alta em bom estado geral.",
            "data_alta": "2026-11-21",
            "prescricoes": ["Amoxicilina 500 mg 8/8 h"],
            "retorno_em_dias": 15,
        },
    ),
    (
        "/api/exames/",
        "exames",
        "generico",
        {"paciente_id": P, "tipo_exame": "bioquimica", "resultados": {"potassio": 6.9, "sodio": 138}},
    ),
    (
        "/api/exames/hemograma/",
        "exames",
        "hemograma",
        {
            "paciente_id": P,
            "sexo": "F",
            "resultados": {"hemoglobina_g_dl": 6.4, "leucocitos_mm3": 5200, "plaquetas_mm3": 210000},
        },
    ),
    (
        "/api/exames/imagem/tomografia",
        "exames",
        "imagem",
        {
            "paciente_id": P,
            "tipo_exame": "tomografia",
            "regiao": "tórax",
            "laudo": "Pneumotórax hipertensivo à direita. Sem derrame pleural.",
        },
    ),
    ("/api/opme/", "opme", "generico", OPME),
    ("/api/opme/protese/", "opme", "protese", {**OPME, "tipo_protese": "joelho"}),
    (
        "/api/opme/material/",
        "opme",
        "material",
        {**OPME, "itens": [{**ITEM, "codigo_tuss": "123"}], "cid10": "joelho"},
    ),
    (
        "/api/ingestao/",
        "ingestao",
        "generico",
        {
            "fonte": "sistema_legado",
            "registros": [
                {"nome": "maria souza", "cpf": "529.982.247-25"},
                {"nome": "João", "email": "joao@"},
            ],
        },
    ),
    (
        "/api/ingestao/pacientes/",
        "ingestao",
        "pacientes",
        {
            "registros": [
                {
                    "nome": "ana  de lima",
                    "cpf": "52998224725",
                    "data_nascimento": "20/05/1970",
                    "telefone": "(11) 98765-4321",
                    "email": "Ana@Example.com",
                },
                {"nome": "Bia", "cpf": "111.111.111-11", "data_nascimento": "2090-01-01"},
            ]
        },
    ),
    (
        "/api/ingestao/medicos/",
        "ingestao",
        "medicos",
        {
            "registros": [
                {"nome": "Carlos Souza", "crm": "123456", "uf": "sp"},
                {"nome": "Dora", "crm": "12", "uf": "XX"},
            ]
        },
    ),
]

AGENT_MESSAGE = {
    "patientId": P,
    "message": "Estou com falta de ar desde ontem",
    "conversationId": "c0a80101-0000-4000-8000-000000000001",
    "messageId": "wamid.HBgLNTUxMTk5OTk5OTk5FQIAEhgg",
    "patientContext": {"age": 62, "sex": "F", "oncologyTreatment": True},
}
# A CreateAlertDto as the worker posts it for the agent message above (one CRITICAL_SYMPTOM for
# the dyspnoea; the worker adds the findings to `context` too). tests/api/test_asyncapi.py checks
# that the fake NestJS backend accepts it.
ALERT_TASK_ID = "3f1c9a52-7d4e-4b8a-9c2f-0d6e8b1a5c77"
ALERT = {
    "patientId": P,
    "type": "CRITICAL_SYMPTOM",
    "severity": "CRITICAL",
    "message": "Dispneia (falta de ar)",
    "context": {
        "symptoms": ["dispneia"],
        "detectedBy": "rules_engine",
        "confidence": 1.0,
        "taskId": ALERT_TASK_ID,
        "conversationId": AGENT_MESSAGE["conversationId"],
        "messageId": AGENT_MESSAGE["messageId"],
    },
}
