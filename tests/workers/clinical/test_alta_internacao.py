"""Admission reasons alert like complaints; discharge summaries only for what is still going on."""

from __future__ import annotations

import pytest

from .helpers import codes, run


def alta(resumo: str, **extra: object):
    return run("clinico", "alta", resumo=resumo, data_alta="2026-01-10", **extra)


def internacao(motivo: str, **extra: object):
    return run("clinico", "internacao", motivo=motivo, **extra)


@pytest.mark.parametrize(
    "resumo",
    [
        "Paciente internado por pneumonia com dispneia, tratado com antibiótico, evoluiu com melhora. "
        "Alta hospitalar.",
        "Apresentou convulsão na internação, controlada com fenitoína. Alta em bom estado geral.",
        "Dispneia resolvida. Orientado a retornar se febre, falta de ar ou dor torácica.",
        "Internado por dor torácica, descartada síndrome coronariana aguda. Alta assintomático.",
        "Paciente evoluiu bem, sem febre, sem sangramentos. "
        "Orientações de alta: procurar PS em caso de sangramento.",
        "Hemorragia digestiva alta tratada com endoscopia, sem novos episódios de sangramento. Alta estável.",
        "Alta hospitalar. Sinais de alarme: febre acima de 38,5, vômitos persistentes, dor intensa.",
        "Paciente lúcido e orientado, afebril, eupneico. Alta.",
        "Admitido por síncope, investigação sem alterações, sem recorrência durante a internação.",
        "Quadro de confusão mental revertido após correção do sódio.",
    ],
)
def test_resolved_or_advised_symptoms_in_a_discharge_summary_do_not_alert(resumo: str) -> None:
    result = alta(resumo)
    assert result.achados == [], [f.model_dump() for f in result.achados]


@pytest.mark.parametrize(
    ("resumo", "code"),
    [
        ("Paciente recebe alta ainda com dispneia aos pequenos esforços.", "dispneia"),
        ("Alta a pedido apesar de dor torácica persistente.", "dor_toracica"),
        ("Febre 39,2 no dia da alta.", "febre_alta"),
        ("Internado por AVC; mantém fala enrolada e hemiparesia à direita.", "sinais_avc"),
        ("Paciente com sangramento ativo pela ferida operatória no momento da alta.", "sangramento"),
        ("Dispneia sem melhora apesar do tratamento.", "dispneia"),
    ],
)
def test_current_symptoms_in_a_discharge_summary_alert(resumo: str, code: str) -> None:
    assert code in codes(alta(resumo))


def test_prescriptions_are_not_read_for_symptoms() -> None:
    result = alta(
        "Alta em bom estado geral.", prescricoes=["Dipirona 1 g se febre ou dor", "Retornar se sangramento"]
    )
    assert result.achados == []
    assert result.detalhes["prescricoes"] == {"quantidade": 2, "analisadas_para_sintomas": False}


@pytest.mark.parametrize(
    ("motivo", "expected"),
    [
        ("Dispneia e dor torácica há 2 horas", {"dispneia", "dor_toracica"}),
        ("Rebaixamento do nível de consciência", {"rebaixamento_consciencia"}),
        ("Sepse de foco pulmonar, SpO2 86% em ar ambiente", {"spo2_baixa"}),
        ("Hemorragia digestiva alta", {"sangramento"}),
        ("Crise convulsiva reentrante", {"convulsao"}),
        ("AVC isquêmico", {"sinais_avc"}),
        ("Febre 39,5 e confusão mental", {"febre_alta", "confusao_mental"}),
        ("PA 70x40, taquicárdico", {"hipotensao"}),
    ],
)
def test_admission_reasons_alert_like_complaints(motivo: str, expected: set[str]) -> None:
    assert codes(internacao(motivo)) == expected


@pytest.mark.parametrize(
    "motivo",
    [
        "Cirurgia eletiva de hérnia inguinal",
        "Colecistectomia programada",
        "Internação para quimioterapia programada",
        "Controle glicêmico, glicemia 180",
    ],
)
def test_elective_admissions_stay_silent(motivo: str) -> None:
    assert internacao(motivo).achados == []


def test_internacao_details_keep_sector_and_cid() -> None:
    result = internacao("Dor torácica", setor="UTI", cid10="I21.9")
    assert result.detalhes["setor"] == "UTI"
    assert result.detalhes["cid10"] == "I21.9"
    assert result.detalhes["texto_analisado"] == "motivo"
