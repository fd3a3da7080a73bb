"""Assertion of each mention (SPEC §7): who it is about, whether it is meant literally, whether it
is a question about the future, and whether it is over. Each discarded mention is listed with one
of the six assertions."""

from __future__ import annotations

import pytest

from tests.workers.clinical.helpers import codes, consulta


def _discarded(text: str, **extra: object) -> dict[str, str]:
    result = consulta(text, **extra)
    return {m["codigo"]: m["assercao"] for m in result.detalhes["mencoes_desconsideradas"]}


@pytest.mark.parametrize(
    ("text", "codigo", "assercao"),
    [
        ("nega febre e nega falta de ar", "dispneia", "negado"),
        ("tive um desmaio há 3 anos, hoje vim só renovar receita", "sincope", "resolvido"),
        ("o que eu faço caso ele tenha uma convulsão?", "convulsao", "hipotetico"),
        ("meu vizinho desmaiou na fila do posto", "sincope", "outra_pessoa"),
        ("quase tive um infarto quando vi o preço do remédio", "sindrome_coronariana", "figurado"),
    ],
)
def test_each_discarded_mention_is_listed_with_its_assertion(text: str, codigo: str, assercao: str) -> None:
    assert _discarded(text).get(codigo) == assercao


def test_a_caregiver_describing_the_patient_is_the_patient() -> None:
    assert "convulsao" in codes(consulta("sou a mãe do Pedro, ele teve uma convulsão agora, ficou babando"))
    assert "sincope" in codes(consulta("minha mãe apagou do nada na cozinha e caiu"))


def test_the_caregivers_own_complaint_is_someone_elses() -> None:
    text = "Aqui é a Rosa, cuidadora da dona Ana. Ela está ótima. Quem tá com febre de 39,5 sou eu."
    result = consulta(text)
    assert result.achados == []
    assert any(m["assercao"] == "outra_pessoa" for m in result.detalhes["mencoes_desconsideradas"])


def test_a_relatives_history_is_not_the_patients_when_the_writer_talks_about_themself() -> None:
    assert consulta("meu pai morreu de infarto, eu não sinto nada, quero um check-up").achados == []
    assert consulta("minha irmã tem convulsão desde pequena, vim só pelo meu exame").achados == []


def test_a_pronoun_that_does_not_agree_with_the_bystander_is_the_patient() -> None:
    assert "dispneia" in codes(consulta("o vizinho disse que ela está sem ar"))


def test_chemotherapy_of_a_relative_does_not_lower_the_patients_fever_threshold() -> None:
    assert consulta("meu marido faz quimio; eu que tô com febre de 38,6 desde ontem").achados == []
    assert consulta("eu faço quimio e tô com febre de 38,6 desde ontem").severidade == "CRITICAL"


@pytest.mark.parametrize(
    "text",
    [
        "não aguento mais essa falta de ar",
        "a dor no peito não passa de jeito nenhum",
        "não tá parando de sangrar o nariz",
        "nada alivia essa falta de ar",
        "não sei explicar, mas tô com um peso no peito",
    ],
)
def test_negation_words_that_assert_the_symptom_still_alert(text: str) -> None:
    assert consulta(text).severidade == "CRITICAL"


def test_an_episode_that_is_over_needs_a_date_before_a_critical_one_is_dropped() -> None:
    assert consulta("semana passada sangrou o nariz mas parou sozinho e não voltou mais").achados == []
    # Five minutes ago is not "over": chest pain that stopped just now is still an emergency.
    assert consulta("tive uma dor no peito forte agora há pouco, já passou").severidade == "CRITICAL"


def test_a_remote_date_does_not_hide_a_symptom_that_is_still_there() -> None:
    assert consulta("tenho falta de ar há 2 anos e piorou muito hoje").severidade == "CRITICAL"


def test_a_question_about_what_is_happening_still_counts() -> None:
    assert consulta("tô com falta de ar, o que eu faço?").severidade == "CRITICAL"
    assert consulta("não sei se a falta de ar é da ansiedade").severidade == "CRITICAL"
    assert consulta("se a falta de ar voltar eu ligo pra vocês?").achados == []


def test_someone_elses_threat_is_figurative_but_a_third_persons_suicidal_talk_is_not() -> None:
    assert consulta("meu chefe vai me matar se eu faltar de novo").achados == []
    assert "ideacao_suicida" in codes(consulta("ele falou que vai se matar"))
