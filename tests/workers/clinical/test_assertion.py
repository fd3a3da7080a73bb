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


# --- assertion rules for the v3 failure modes, from our own paraphrases ----------------------------


@pytest.mark.parametrize(
    ("text", "codigo", "assercao"),
    [
        # resolution anchored in the past, or "now fine"
        (
            "tive falta de ar faz uns 10 dias, sumiu com a bombinha, queria saber se continuo usando",
            "dispneia",
            "resolvido",
        ),
        (
            "ontem tive falta de ar subindo a ladeira, mas hoje tô bem e respiro normal",
            "dispneia",
            "resolvido",
        ),
        ("sangrou o nariz de manhã, apertei com gelo e parou, não voltou mais", "sangramento", "resolvido"),
        ("tive sangramento no começo da gravidez e nunca mais voltou", "sangramento", "resolvido"),
        ("a dor no peito foi em 2017, antes do cateterismo", "dor_toracica", "resolvido"),
        ("tive febre de 39,8 quando peguei covid em 2021", "temperatura", "resolvido"),
        ("aos 20 anos tentei tirar minha vida; isso ficou no passado", "ideacao_suicida", "resolvido"),
        # an animal, the caregiver's own symptom, a relative who is not a patient here
        ("o cachorro lá de casa teve convulsão hoje cedo, eu tô bem", "convulsao", "outra_pessoa"),
        ("meu gato desmaiou e levei no veterinário", "sincope", "outra_pessoa"),
        (
            "aqui é o Jorge, filho da dona Cida. Ela tá ótima. Quem tá mal sou eu, tô com falta de ar",
            "dispneia",
            "outra_pessoa",
        ),
        ("sou o pai do Davi. Ele tá bem. Quem tá com febre é o irmão dele", "febre", "outra_pessoa"),
        (
            "minha irmã falou em se matar, como faço pra trazer ela pra uma consulta?",
            "ideacao_suicida",
            "outra_pessoa",
        ),
        # side-effect questions and package inserts
        ("posso ter convulsão com esse antibiótico novo?", "convulsao", "hipotetico"),
        ("li na bula que pode dar sangramento como efeito colateral, é comum?", "sangramento", "hipotetico"),
        # idioms: weather, money, a craze, a machine
        ("o cartão de crédito tá me deixando sangrando esse mês", "sangramento", "figurado"),
        ("minha namorada me deixou sem ar kkkk, mas tô bem", "dispneia", "figurado"),
        ("a febre agora no meu prédio é beach tennis, quero entrar na onda", "febre", "figurado"),
    ],
)
def test_each_failure_mode_of_the_new_set_has_a_general_rule(text: str, codigo: str, assercao: str) -> None:
    assert _discarded(text).get(codigo) == assercao


@pytest.mark.parametrize(
    "text",
    [
        "aqui em Cuiabá hoje tá 41 graus, tô derretendo",
        "o computador do escritório apagou do nada",
        "tô cem febre, só com o nariz escorrendo",  # dictation of "sem febre"
    ],
)
def test_words_that_are_not_about_the_body_do_not_alert(text: str) -> None:
    assert consulta(text).achados == []


@pytest.mark.parametrize(
    "text",
    [
        "tive dor no peito faz 10 minutos, já passou, agora tô bem",  # recent, and angina may recur
        "ontem a boca ficou torta e passou, hoje tô bem",  # a TIA is an emergency even when over
        "tenho falta de ar há 2 anos e tá pior",  # chronic, present tense
        "não é dor no peito, é falta de ar mesmo",  # contrast, not a list
        "sangrou, parou e voltou a sangrar agora",
    ],
)
def test_what_is_still_an_emergency_keeps_alerting(text: str) -> None:
    assert consulta(text).severidade == "CRITICAL"
