"""The backstop behind the rules: it escalates a long message the rules leave silent, sets aside
symptom words it finds improbable, never touches a measured value, and leaves short messages to the
rules (docs/clinical-engine.md, "Statistical backstop")."""

from __future__ import annotations

import uuid

import pytest

from shared.messages import AgentMessagePayload, ConsultaPayload
from workers.clinical import analyze, backstop
from workers.clinical.backstop import model
from workers.clinical.backstop.review import WINDOW_GATE
from workers.clinical.clinico import analyze_consulta_rules


def consulta(text: str, **extra: object) -> object:
    return analyze("clinico", "consulta", {"paciente_id": str(uuid.uuid4()), "queixa": text, **extra})


def rules_only(text: str) -> object:
    return analyze_consulta_rules(ConsultaPayload(paciente_id=uuid.uuid4(), queixa=text))


ANAPHYLAXIS_IN_LAY_WORDS = (
    "boa noite, tomei a vacina da gripe faz meia hora e agora minha língua tá grossa, a voz mudou "
    "e tô com coceira no corpo todo e chiado"
)
PRICE_JOKE = (
    "gente o preço do tomate tá um absurdo, fiquei sem ar no mercado kkkk, mas enfim queria saber "
    "se a receita do omeprazol já tá pronta"
)


def test_a_long_message_the_rules_leave_silent_becomes_critical_with_the_words_that_weighed() -> None:
    assert rules_only(ANAPHYLAXIS_IN_LAY_WORDS).severidade is None
    analysis = consulta(ANAPHYLAXIS_IN_LAY_WORDS)
    assert analysis.severidade == "CRITICAL"
    (found,) = analysis.achados
    assert found.codigo == "suspeita_critica" and found.origem == "regras"
    explained = analysis.detalhes["modelo_estatistico"]
    assert explained["decisao"] == "crítico"
    assert explained["probabilidade_critico"] >= explained["limiar_critico"]
    assert explained["termos"]
    assert "relato compatível com emergência" in analysis.mensagem_alerta
    # The nurse's alert text is built from labels only, never from the patient's words.
    assert "vacina" not in analysis.mensagem_alerta


def test_symptom_words_in_a_joke_about_prices_are_set_aside_and_listed_as_discarded() -> None:
    assert rules_only(PRICE_JOKE).severidade == "CRITICAL"
    analysis = consulta(PRICE_JOKE)
    assert analysis.severidade is None and analysis.achados == [] and analysis.mensagem_alerta is None
    aside = [m for m in analysis.detalhes["mencoes_desconsideradas"] if m["motivo"] == "modelo_estatistico"]
    assert [m["codigo"] for m in aside] == ["dispneia"]
    assert analysis.detalhes["modelo_estatistico"]["decisao"] == "menções improváveis"


def test_a_measured_value_is_never_set_aside_however_light_the_tone() -> None:
    text = "kkkk o preço do tomate tá um absurdo, mas enfim, medi na farmácia e a saturação deu 84, tô de boa"
    analysis = consulta(text)
    assert analysis.severidade == "CRITICAL"
    assert "spo2_baixa" in [f.codigo for f in analysis.achados]


@pytest.mark.parametrize(
    "text",
    [
        "não estou com dor no peito",
        "peito de frango grelhado no almoço",
        "tô tremendo de frio debaixo do cobertor",
    ],
)
def test_short_messages_are_left_to_the_rules(text: str) -> None:
    analysis = consulta(text)
    assert analysis.severidade is None
    assert "modelo_estatistico" not in analysis.detalhes


def test_a_high_finding_of_the_rules_is_never_raised_to_critical_by_the_model() -> None:
    text = "não consigo parar de vomitar desde as cinco da manhã, nem água para no estômago, tô fraca"
    assert consulta(text).severidade == "HIGH"


def test_an_agent_message_is_read_with_its_conversation() -> None:
    payload = AgentMessagePayload.model_validate(
        {
            "patientId": str(uuid.uuid4()),
            "message": ANAPHYLAXIS_IN_LAY_WORDS,
            "conversationHistory": [{"role": "agent", "content": "Como a senhora está hoje?"}],
        }
    )
    analysis = analyze("clinico", "mensagem", payload)
    assert analysis.severidade == "CRITICAL"
    assert analysis.detalhes["modelo_estatistico"]["decisao"] == "crítico"


def test_without_weights_the_rules_run_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "weights", lambda: None)
    assert backstop.score(PRICE_JOKE) is None
    analysis = consulta(PRICE_JOKE)
    assert analysis.severidade == "CRITICAL"
    assert "modelo_estatistico" not in analysis.detalhes


NEIGHBOURS_STROKE = (
    "Doutor, vou contar uma coisa que me deixou abalada. Minha vizinha de porta, a dona Cleide, ontem "
    "de manhã tava estendendo roupa e de repente ficou com a boca torta e o braço caído, não conseguia "
    "falar. Eu que chamei o SAMU, segurei a mão dela até a ambulância chegar. Ela tá internada no "
    "regional. Fiquei tão nervosa que nem dormi direito. Eu mesma tô bem, a pressão tá controlada, só "
    "quero aproveitar e pedir os exames de rotina do ano, colesterol, glicemia, essas coisas."
)
LOW_GLUCOSE_AMONG_ERRANDS = (
    "Oi boa tarde, preciso renovar a receita da glibenclamida e da metformina, a última foi em abril. "
    "Também queria trocar o horário da consulta porque agora trabalho de manhã. Ah, o aparelho deu 32 "
    "agora quando medi e tô meio suado e tremendo, mas já vou comer alguma coisa. Se tiver horário na "
    "sexta à tarde eu prefiro."
)


def test_a_neighbours_stroke_told_in_a_long_message_is_not_read_out_of_its_context() -> None:
    # One stretch of it alone reads as a stroke; the whole message does not come near, so its
    # stretches are not read at all.
    analysis = consulta(NEIGHBOURS_STROKE)
    assert analysis.severidade is None
    assert analysis.detalhes["modelo_estatistico"]["probabilidade_critico"] < WINDOW_GATE


def test_a_critical_sentence_among_errands_still_escalates_through_its_stretch() -> None:
    analysis = consulta(LOW_GLUCOSE_AMONG_ERRANDS)
    assert analysis.severidade == "CRITICAL"
    explained = analysis.detalhes["modelo_estatistico"]
    assert explained["decisao"] == "crítico"
