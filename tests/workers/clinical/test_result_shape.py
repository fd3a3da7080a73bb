"""The public API: result shape per task type, JSON output, determinism, speed, no personal data."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

import pytest

from shared.catalog import PAYLOAD_MODELS
from shared.messages import ConsultaPayload
from workers.clinical import VERSAO_REGRAS, ClinicalAnalysis, analyze

from .helpers import PACIENTE, consulta, run

FUTURE = (date.today() + timedelta(days=10)).isoformat()
ITEM = {
    "descricao": "Prótese total de quadril",
    "quantidade": 1,
    "registro_anvisa": "80123456789",
    "codigo_tuss": "70123456",
}
OPME = {
    "itens": [ITEM],
    "cid10": "M16.1",
    "justificativa": "Coxartrose grave com dor refratária e limitação funcional",
    "data_cirurgia": FUTURE,
}
INGESTAO_KEYS = {
    "tipo",
    "total",
    "validos",
    "invalidos",
    "duplicados",
    "erros",
    "registros",
    "indices_validos",
    "parcial",
    "nota",
}
CLINICO_KEYS = {
    "texto_analisado",
    "modo",
    "temperatura",
    "dor",
    "episodios",
    "sinais_vitais",
    "sintomas",
    "mencoes_desconsideradas",
}
PAYLOADS: dict[tuple[str, str], tuple[dict[str, Any], set[str]]] = {
    ("clinico", "consulta"): ({"queixa": "dor no peito"}, CLINICO_KEYS),
    ("clinico", "internacao"): ({"motivo": "dispneia"}, CLINICO_KEYS | {"setor", "cid10"}),
    ("clinico", "alta"): (
        {"resumo": "alta sem queixas", "data_alta": "2026-01-01"},
        CLINICO_KEYS | {"prescricoes", "retorno_em_dias"},
    ),
    ("exames", "generico"): (
        {"tipo_exame": "bioquímica", "resultados": {"potassio": 7.0}, "resultado_texto": "normal"},
        {
            "tipo_exame",
            "achados_criticos",
            "mencoes_desconsideradas",
            "valores_no_texto",
            "valores",
            "nao_avaliados",
            "criticos",
        },
    ),
    ("exames", "hemograma"): (
        {"resultados": {"hemoglobina_g_dl": 6.0}},
        {"sexo", "idade_anos", "referencia_usada", "analitos", "criticos", "observacoes"},
    ),
    ("exames", "imagem"): (
        {"laudo": "pneumotórax", "tipo_exame": "raio_x"},
        {"tipo_exame", "regiao", "achados_criticos", "mencoes_desconsideradas", "secoes_de_indicacao"},
    ),
    ("opme", "generico"): (
        OPME,
        {
            "tipo",
            "parecer",
            "pendencias",
            "inconsistencias",
            "observacoes",
            "itens",
            "cid10",
            "data_cirurgia",
        },
    ),
    ("opme", "protese"): (
        OPME | {"tipo_protese": "quadril", "lateralidade": "direita"},
        {
            "tipo",
            "parecer",
            "pendencias",
            "inconsistencias",
            "observacoes",
            "itens",
            "cid10",
            "data_cirurgia",
            "protese",
        },
    ),
    ("opme", "material"): (
        OPME,
        {
            "tipo",
            "parecer",
            "pendencias",
            "inconsistencias",
            "observacoes",
            "itens",
            "cid10",
            "data_cirurgia",
        },
    ),
    ("ingestao", "generico"): (
        {"fonte": "csv", "registros": [{"cpf": "52998224725"}]},
        INGESTAO_KEYS | {"fonte", "campos_reconhecidos", "campos_desconhecidos"},
    ),
    ("ingestao", "pacientes"): (
        {"registros": [{"nome": "Ana", "cpf": "52998224725", "data_nascimento": "2000-01-01"}]},
        INGESTAO_KEYS,
    ),
    ("ingestao", "medicos"): ({"registros": [{"nome": "Ana", "crm": "12345", "uf": "SP"}]}, INGESTAO_KEYS),
}


def test_every_task_type_with_rules_of_its_own_is_covered() -> None:
    # clinico.mensagem is read by the consulta rules (workers/handlers/mensagem.py).
    assert set(PAYLOADS) == set(PAYLOAD_MODELS) - {("clinico", "mensagem")}


@pytest.mark.parametrize("pair", list(PAYLOADS), ids=["/".join(p) for p in PAYLOADS])
def test_result_shape_per_task_type(pair: tuple[str, str]) -> None:
    payload, keys = PAYLOADS[pair]
    result = run(*pair, **dict(payload))
    assert isinstance(result, ClinicalAnalysis)
    assert set(result.detalhes) == keys
    assert result.versao_regras == VERSAO_REGRAS
    assert result.resumo
    json.dumps(result.model_dump(mode="json"))  # JSON-serialisable all the way down
    assert all(f.origem == "regras" and f.severidade in ("CRITICAL", "HIGH") for f in result.achados)
    assert (result.mensagem_alerta is not None) == bool(result.achados)
    if pair[0] in ("opme", "ingestao"):
        assert result.achados == []


def test_alert_message_names_the_symptoms_and_the_urgency() -> None:
    result = consulta("falta de ar e dor no peito, dor 9/10", sinais_vitais={"spo2_pct": 88})
    assert result.mensagem_alerta == (
        "Sintomas críticos relatados: dispneia, dor torácica. "
        "Sinais vitais críticos: SpO2 baixa: 88 %. Também relatado: dor intensa. "
        "Requer atenção imediata."
    )
    assert consulta("vomitando sem parar").mensagem_alerta == (
        "Sintomas de alerta relatados: vômitos persistentes. Requer avaliação prioritária."
    )


def test_alert_message_never_carries_personal_data() -> None:
    result = consulta(
        "Sou Maria Souza, CPF 529.982.247-25, tel (11) 98765-4321, maria@x.com: estou com falta de ar",
        paciente_nome="Maria Souza",
    )
    assert result.severidade == "CRITICAL"
    message = result.mensagem_alerta or ""
    assert "Maria" not in message and "529" not in message and "98765" not in message and "@" not in message
    assert not re.search(r"\d{3}\.?\d{3}\.?\d{3}", message)


def test_analysis_is_deterministic_and_thread_safe() -> None:
    texts = ["falta de ar", "nega febre", "dor 9/10", "vomitei sangue", "sem queixas"] * 40
    expected = [consulta(t).model_dump() for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda t: consulta(t).model_dump(), texts))
    assert got == expected


def test_a_ten_thousand_character_text_keeps_its_findings_and_bounded_mentions() -> None:
    # Speed is measured by bench/clinical_rules.py; here: a long, repetitive text still gives the
    # right findings and does not list thousands of repeated mentions.
    dense = (
        "Falta de ar e dor no peito, vomitei sangue, febre de 39, nega desmaio, pressão 8 por 5. " * 120
    )[:10_000]
    result = analyze("clinico", "consulta", ConsultaPayload(paciente_id=PACIENTE, queixa=dense))
    assert {"dispneia", "dor_toracica", "hematemese", "febre_alta"} <= {f.codigo for f in result.achados}
    assert len(result.detalhes["sintomas"]) <= 60


def test_analyze_accepts_a_raw_dict_and_rejects_the_wrong_model() -> None:
    result = analyze("clinico", "consulta", {"paciente_id": PACIENTE, "queixa": "desmaiei"})
    assert result.severidade == "CRITICAL"
    with pytest.raises(TypeError):
        analyze("clinico", "alta", ConsultaPayload(paciente_id=PACIENTE, queixa="x"))
    with pytest.raises(KeyError):
        analyze("clinico", "desconhecido", ConsultaPayload(paciente_id=PACIENTE, queixa="x"))


def test_findings_carry_value_and_unit_when_numeric() -> None:
    f = consulta("febre de 39,4").achados[0]
    assert (f.codigo, f.valor, f.unidade, f.trecho) == ("febre_alta", 39.4, "°C", "febre de 39,4")
