"""Imaging reports and generic exams: critical findings, radiology negation, critical lab values."""

from __future__ import annotations

import pytest

from .helpers import codes, run


def imagem(laudo: str, tipo: str = "tomografia", **extra: object):
    return run("exames", "imagem", laudo=laudo, tipo_exame=tipo, **extra)


def exame(**payload: object):
    return run("exames", "generico", tipo_exame=payload.pop("tipo_exame", "Bioquímica"), **payload)


@pytest.mark.parametrize(
    ("laudo", "code"),
    [
        ("Pneumotórax hipertensivo à direita.", "pneumotorax"),
        ("Pequeno pneumotorax apical esquerdo.", "pneumotorax"),
        ("Hematoma subdural agudo frontoparietal esquerdo.", "hemorragia_intracraniana"),
        ("Hemorragia subaracnóidea difusa.", "hemorragia_intracraniana"),
        ("Hematoma extradural temporal.", "hemorragia_intracraniana"),
        ("Falha de enchimento na artéria pulmonar direita compatível com TEP.", "tep"),
        ("Achados compatíveis com tromboembolismo pulmonar bilateral.", "tep"),
        ("Não é possível descartar TEP segmentar.", "tep"),
        ("Dissecção de aorta tipo A.", "disseccao_aorta"),
        ("Pneumoperitônio volumoso.", "pneumoperitonio"),
        ("Ar livre na cavidade abdominal.", "pneumoperitonio"),
        ("Sinais de compressão medular em T10.", "compressao_medular"),
        (
            "Área de restrição à difusão no território da ACM esquerda, compatível com isquemia aguda.",
            "avc_isquemico_agudo",
        ),
        ("Apendicite aguda perfurada com coleção.", "apendicite"),
        ("Sinais de obstrução intestinal.", "obstrucao_intestinal"),
        ("Imagem sugestiva de torção testicular.", "torcao_gonadal"),
        ("Gestação ectópica rota.", "gravidez_ectopica"),
        ("Fratura instável de L1 com retropulsão.", "fratura_instavel"),
        ("Derrame pericárdico volumoso com sinais de tamponamento.", "tamponamento_cardiaco"),
        ("Desvio da linha média de 8 mm.", "herniacao_cerebral"),
        ("Sangramento ativo com extravasamento de contraste.", "sangramento_ativo"),
    ],
)
def test_critical_imaging_findings_alert(laudo: str, code: str) -> None:
    result = imagem(laudo)
    assert code in codes(result)
    assert result.severidade == "CRITICAL"
    assert result.mensagem_alerta.startswith("Achado crítico em laudo de tomografia:")


@pytest.mark.parametrize(
    "laudo",
    [
        "Sem sinais de pneumotórax.",
        "Ausência de derrame pleural ou pericárdico.",
        "Não há evidência de hemorragia intracraniana.",
        "Descartado TEP.",
        "TEP descartado.",
        "Indicação: suspeita de TEP. Conclusão: ausência de sinais de tromboembolismo pulmonar.",
        "Pesquisa de TEP negativa.",
        "TEP: ausente.",
        "Pulmões bem expandidos, sem pneumotórax ou derrame.",
        "Não se observam sinais de dissecção aórtica.",
        "Sem ar livre na cavidade.",
        "Sequela de AVC isquêmico antigo em território de ACM direita.",
        "Pneumotórax à direita resolvido.",
        "Exame dentro dos limites da normalidade.",
        "Ausência de coleções, pneumoperitônio ou sinais de obstrução.",
        "Hipótese diagnóstica: apendicite. Apêndice de aspecto normal, sem sinais de apendicite.",
        "Não foram identificados sinais de hemorragia, isquemia aguda ou efeito de massa.",
        "Sem evidências de compressão medular.",
        "Afastada dissecção de aorta.",
    ],
)
def test_negated_or_requested_findings_in_reports_stay_silent(laudo: str) -> None:
    result = imagem(laudo)
    assert result.achados == [], [f.model_dump() for f in result.achados]


def test_imaging_details_list_findings_and_discarded_mentions() -> None:
    result = imagem(
        "Indicação: trauma. Pneumotórax à esquerda. Sem hemorragia intracraniana.",
        tipo="raio_x",
        regiao="tórax",
    )
    d = result.detalhes
    assert d["tipo_exame"] == "raio_x" and d["regiao"] == "tórax"
    assert [a["codigo"] for a in d["achados_criticos"]] == ["pneumotorax"]
    assert [(m["codigo"], m["motivo"]) for m in d["mencoes_desconsideradas"]] == [
        ("hemorragia_intracraniana", "negado")
    ]
    assert (
        result.mensagem_alerta == "Achado crítico em laudo de raio-X: Pneumotórax. Requer atenção imediata."
    )


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("potassio", 6.8, "potassio"),
        ("Potássio (mEq/L)", 2.5, "potassio"),
        ("K", 7.1, "potassio"),
        ("sodio", 118, "sodio"),
        ("Na", 162, "sodio"),
        ("glicose", 45, "glicose"),
        ("glicemia_mg_dl", 520, "glicose"),
        ("glicose_mmol_l", 2.5, "glicose"),
        ("hemoglobina", 6.1, "hemoglobina"),
        ("plaquetas", 15000, "plaquetas"),
        ("plaquetas", 15, "plaquetas"),
        ("leucocitos", 1.5, "leucocitos"),
        ("troponina_ng_l", 120, "troponina"),
        ("Troponina I (ng/mL)", 0.8, "troponina"),
        ("creatinina", 8.2, "creatinina"),
        ("pH", 7.1, "ph"),
        ("lactato", 5.2, "lactato"),
        ("INR", 6.5, "inr"),
        ("calcio", 14.2, "calcio"),
        ("magnesio", 0.8, "magnesio"),
    ],
)
def test_critical_lab_values_are_recognised_by_common_names(name: str, value: float, code: str) -> None:
    result = exame(resultados={name: value})
    assert codes(result) == {code}
    assert result.achados[0].severidade == "CRITICAL"
    assert result.achados[0].valor is not None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("potassio", 4.2),
        ("sodio", 140),
        ("glicose", 95),
        ("hemoglobina", 13.5),
        ("plaquetas", 250000),
        ("troponina_ng_l", 8),
        ("creatinina", 1.1),
        ("pH", 7.4),
        ("INR", 1.0),
        ("K", 3.0),
    ],
)
def test_normal_lab_values_stay_silent(name: str, value: float) -> None:
    result = exame(resultados={name: value})
    assert result.achados == []
    assert result.detalhes["valores"][0]["avaliacao"] == "sem_valor_critico"


def test_unknown_analytes_are_listed_as_not_evaluated() -> None:
    result = exame(resultados={"TSH": 2.1, "PCR": 120.0, "potassio": 4.0})
    assert result.detalhes["nao_avaliados"] == ["TSH", "PCR"]
    assert [v["analito"] for v in result.detalhes["valores"]] == ["potassio"]
    assert "não avaliados" in result.resumo


def test_lab_values_written_in_the_result_text_are_evaluated() -> None:
    result = exame(
        tipo_exame="Gasometria",
        resultado_texto="pH 7,12; pCO2 75 mmHg; K: 2,1 mEq/L; Hb 6,5 g/dL; Plaquetas: 15.000",
    )
    assert codes(result) == {"ph", "pco2", "potassio", "hemoglobina", "plaquetas"}
    assert "Resultado crítico em exame" in result.mensagem_alerta


def test_generic_exam_text_is_read_for_critical_findings_with_negation() -> None:
    assert codes(
        exame(tipo_exame="Angiotomografia", resultado_texto="Sinais de TEP em ramos segmentares.")
    ) == {"tep"}
    assert exame(tipo_exame="Angiotomografia", resultado_texto="Sem sinais de TEP.").achados == []


def test_conditional_lab_text_does_not_alert() -> None:
    assert exame(resultado_texto="Repetir se potássio: 6,5 ou mais").achados == []


@pytest.mark.parametrize(
    "laudo",
    [
        "Status pós-drenagem de pneumotórax, sem pneumotórax residual.",
        "Controle radiológico de pneumotórax. Pulmão totalmente expandido, sem pneumotórax.",
        "Dreno torácico bem posicionado, sem pneumotórax residual",
    ],
)
def test_follow_up_of_a_treated_finding_stays_silent(laudo: str) -> None:
    assert imagem(laudo, tipo="raio_x").achados == []


def test_a_finding_that_is_smaller_but_still_there_alerts() -> None:
    assert codes(imagem("Comparativamente ao exame anterior, houve redução do pneumotórax.")) == {
        "pneumotorax"
    }


def test_the_request_section_is_skipped_but_the_conclusion_is_read() -> None:
    laudo = (
        "Indicação clínica: dor torácica, suspeita de TEP\n"
        "Análise: falhas de enchimento em ramos segmentares.\n"
        "Conclusão: tromboembolismo pulmonar agudo."
    )
    result = imagem(laudo)
    assert codes(result) == {"tep"}
    assert result.detalhes["secoes_de_indicacao"] == 1
    assert [m["motivo"] for m in result.detalhes["mencoes_desconsideradas"]] == ["indicacao"]


@pytest.mark.parametrize(
    "name", ["Hemoglobina glicada", "HbA1c", "Sódio urinário", "pH urinário", "Glicose (urina)"]
)
def test_names_that_only_resemble_a_known_analyte_are_not_evaluated(name: str) -> None:
    result = exame(resultados={name: 6.5})
    assert result.achados == []
    assert result.detalhes["nao_avaliados"] == [name]


@pytest.mark.parametrize(
    ("name", "analito"),
    [
        ("Troponina I ultrassensível", "troponina"),
        ("Glicemia de jejum", "glicose"),
        ("K+", "potassio"),
        ("Potássio sérico (mEq/L)", "potassio"),
        ("Plaquetas (x10³/µL)", "plaquetas"),
        ("Leucócitos totais", "leucocitos"),
        ("Cálcio iônico", "calcio_ionico"),
        ("Neutrófilos segmentados", "neutrofilos"),
        ("Lactato arterial", "lactato"),
    ],
)
def test_analyte_names_with_units_and_qualifiers_are_recognised(name: str, analito: str) -> None:
    row = exame(resultados={name: 1.0}).detalhes["valores"][0]
    assert row["analito"] == analito
