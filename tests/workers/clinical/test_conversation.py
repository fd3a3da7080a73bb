"""A short answer is read against the care team's last question (workers/clinical/conversation.py)."""

from __future__ import annotations

import uuid

import pytest

from shared.messages import ConsultaPayload
from workers.clinical.clinico import analyze_consulta
from workers.clinical.conversation import Turn, contextualize, last_question


def asked(question: str) -> list[Turn]:
    return [Turn("patient", "boa tarde"), Turn("agent", question)]


def findings(text: str) -> list[str]:
    analysis = analyze_consulta(ConsultaPayload(paciente_id=uuid.uuid4(), queixa=text))
    return [f.codigo for f in analysis.achados]


@pytest.mark.parametrize(
    "answer", ["sim, bastante", "Sim", "tô sim", "muito", "s", "tenho, bastante", "sim!!"]
)
def test_a_yes_to_a_symptom_question_makes_the_symptom_present(answer: str) -> None:
    text = contextualize(answer, asked("Entendi. Você está com falta de ar?"))

    assert text.startswith("estou com falta de ar")
    assert findings(text) == ["dispneia"]


@pytest.mark.parametrize("answer", ["não", "nao", "Não, graças a Deus", "nada", "n"])
def test_a_no_to_a_symptom_question_makes_the_symptom_negated(answer: str) -> None:
    text = contextualize(answer, asked("Você está com falta de ar?"))

    assert text.startswith("nao estou com falta de ar")
    assert findings(text) == []


def test_a_no_followed_by_another_complaint_keeps_the_complaint() -> None:
    text = contextualize("não, mas estou com dor no peito", asked("Está sentindo falta de ar?"))

    assert findings(text) == ["dor_toracica"]


@pytest.mark.parametrize(
    ("question", "statement"),
    [
        ("Teve febre hoje?", "tive febre hoje"),
        ("A senhora tem sentido dor no peito?", "tenho sentido dor no peito"),
        ("E o sangramento, você ainda está sangrando?", "estou sangrando, continua. sim"),
        ("Sente tontura?", "sinto tontura"),
    ],
)
def test_the_question_becomes_the_patients_first_person_statement(
    question: str, statement: str | None
) -> None:
    text = contextualize("sim", asked(question))

    assert text == (statement or "sim")


def test_a_message_of_its_own_is_left_as_it_is() -> None:
    history = asked("Você está com falta de ar?")

    assert contextualize("estou melhor", history) == "estou melhor"
    assert (
        contextualize("to com muita falta de ar desde cedo", history) == "to com muita falta de ar desde cedo"
    )
    assert contextualize("sim", [Turn("agent", "Bom dia! Tudo certo com a medicação.")]) == "sim"
    assert contextualize("sim", []) == "sim"


def test_only_the_care_teams_last_turn_counts() -> None:
    history = [
        Turn("agent", "Está com febre?"),
        Turn("nurse", "Você está com falta de ar?"),
        Turn("patient", "hã?"),
    ]

    assert last_question(history) == "Você está com falta de ar?"
    assert last_question([Turn("agent", "Está com febre?"), Turn("agent", "Certo, obrigado.")]) is None


# --- answers read by the kind of question (issue 18, item 1), from our own paraphrases -------------

ONCOLOGY = {"oncologyTreatment": True}


def agent_case(message: str, history: list[tuple[str, str]], **context: object) -> dict:
    """`analyze("clinico", "mensagem")` on an agent message, as the worker runs it."""
    from shared.messages import AgentMessagePayload
    from workers.clinical import analyze

    payload = AgentMessagePayload.model_validate(
        {
            "patientId": str(uuid.uuid4()),
            "message": message,
            "conversationHistory": [{"role": r, "content": c} for r, c in history],
            "patientContext": {"age": 50, "sex": "F", **context},
        }
    )
    analysis = analyze("clinico", "mensagem", payload)
    return {
        "codes": [f.codigo for f in analysis.achados],
        "severity": analysis.severidade,
        "reading": analysis.detalhes.get("leitura_conversa") or {},
    }


@pytest.mark.parametrize(
    ("question", "answer", "context", "code", "kind"),
    [
        ("De zero a dez, quanto está doendo?", "acho que uns 9", {}, "dor_intensa", "escala_dor"),
        ("Qual a nota da sua dor agora, de 0 a 10?", "oito, não durmo", {}, "dor_intensa", "escala_dor"),
        (
            "Mediu a temperatura? Quanto deu no termômetro?",
            "trinta e oito e meio",
            ONCOLOGY,
            "febre_oncologica",
            "temperatura",
        ),
        ("O termômetro marcou quanto?", "39 e 4", {}, "febre_alta", "temperatura"),
        (
            "Faz a ponta de dedo e me diz quanto deu a glicemia.",
            "deu 48, tô suando",
            {},
            "hipoglicemia",
            "glicemia",
        ),
        ("Pode medir a saturação no oxímetro e me falar o valor?", "88", {}, "spo2_baixa", "saturacao"),
        ("Quanto deu a pressão?", "deu 19 por 12", {}, "hipertensao_grave", "pressao"),
        (
            "A senhora consegue beber água sem vomitar?",
            "não, volta tudo",
            {},
            "vomitos_persistentes",
            "capacidade",
        ),
        ("Ele consegue falar com você?", "não", {}, "sinais_avc", "capacidade"),
        ("Conseguiu estancar o sangue?", "não, tá pingando ainda", {}, "sangramento", "parou"),
        ("O senhor ainda está com falta de ar?", "sim, piorando", {}, "dispneia", "continua"),
        (
            "Você tem tido pensamentos de se machucar?",
            "de vez em quando",
            {},
            "ideacao_suicida",
            "autoagressao",
        ),
        (
            "Já pensou em acabar com a própria vida?",
            "não sei... às vezes",
            {},
            "ideacao_suicida",
            "autoagressao",
        ),
        ("E essa dor no peito, começou quando?", "faz meia hora e não passa", {}, "dor_toracica", "tempo"),
    ],
)
def test_an_answer_is_read_by_the_kind_of_question(
    question: str, answer: str, context: dict, code: str, kind: str
) -> None:
    got = agent_case(answer, [("agent", question)], **context)
    assert code in got["codes"], got
    reading = got["reading"]
    assert reading["tipo_pergunta"] == kind
    assert reading["resposta"]
    assert code in reading["achados"]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Você tem pensado em tirar a própria vida?", "não, nunca pensei nisso"),
        ("O sangramento já parou?", "sim, parou faz tempo"),
        ("Alguém na sua família já teve AVC?", "sim, meu avô"),
        ("Consegue andar até o banheiro?", "consigo sim"),
        ("Quanto deu a temperatura?", "36,8"),
        ("E a febre, já passou?", "já, hoje tô sem febre"),
    ],
)
def test_an_answer_that_says_all_is_well_stays_silent(question: str, answer: str) -> None:
    assert agent_case(answer, [("agent", question)])["codes"] == []


def test_the_patients_earlier_message_makes_a_bare_number_a_fever() -> None:
    got = agent_case("38,7", [("patient", "tô com calafrio e febre"), ("agent", "Certo, obrigado.")])
    assert "febre_alta" not in got["codes"]  # 38.7 is below 39 for a patient not in treatment
    onco = agent_case("38,7", [("patient", "tô com calafrio e febre")], **ONCOLOGY)
    assert "febre_oncologica" in onco["codes"]
    assert onco["reading"]["tipo_pergunta"] == "contexto"
    assert onco["reading"]["contexto"] == "to com calafrio e febre"


def test_a_correction_moves_the_symptom_to_someone_else_or_to_the_past() -> None:
    other = agent_case("não, foi meu marido que desmaiou", [("agent", "A senhora desmaiou?")])
    assert other["codes"] == []
    assert other["reading"]["tipo_pergunta"] == "correcao"
    past = agent_case(
        "na verdade foi em 2019",
        [("patient", "tive uma convulsão"), ("agent", "Entendi. Quando foi isso?")],
    )
    assert past["codes"] == []


@pytest.mark.parametrize(
    "answer",
    [
        "já tomei 8 comprimidos de dipirona desde ontem",
        "9 mg de morfina e a dor tá 2",
        "a dor tá 2, dormi 9 horas",
        "faz 9 dias que comecei o remédio, a dor tá 3",
    ],
)
def test_a_dose_or_a_duration_is_never_read_as_the_pain_score_asked_for(answer: str) -> None:
    assert agent_case(answer, [("agent", "De 0 a 10, quanto está a dor agora?")])["codes"] == []


@pytest.mark.parametrize("answer", ["oito minha fia", "tá uns 9, tomei 2 comprimidos e nada"])
def test_a_score_beside_a_dose_is_still_the_pain_score(answer: str) -> None:
    assert agent_case(answer, [("agent", "De 0 a 10, quanto está a dor agora?")])["codes"] == ["dor_intensa"]
