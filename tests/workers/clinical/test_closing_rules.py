"""Rule classes the closing blind set showed missing, each tested on our own paraphrases
(docs/clinical-engine.md, "Closing blind set")."""

from __future__ import annotations

import uuid

import pytest

from shared.messages import AgentMessagePayload
from workers.clinical.mensagem import analyze_mensagem

from .helpers import codes, consulta


def message(text: str, *turns: tuple[str, str], **context: object) -> set[str]:
    payload = AgentMessagePayload.model_validate(
        {
            "patientId": str(uuid.uuid4()),
            "message": text,
            "patientContext": context or None,
            "conversationHistory": [{"role": r, "content": c} for r, c in turns],
        }
    )
    return {f.codigo for f in analyze_mensagem(payload).achados}


# --- a complaint told across the patient's own turns ---------------------------------------------


@pytest.mark.parametrize(
    ("turns", "text", "code"),
    [
        (
            [("patient", "tô com uma pressão forte faz uns vinte minutos"), ("agent", "Em que lugar?")],
            "no meio do peito",
            "dor_toracica",
        ),
        (
            [("patient", "fiz quimioterapia na segunda"), ("agent", "Como está se sentindo?")],
            "tremendo de frio, medi agora e deu 38,4",
            "febre_oncologica",
        ),
        (
            [("patient", "faz dias que penso em sumir do mundo"), ("agent", "Estou aqui com você.")],
            "hoje deixei tudo arrumado pros meus pais",
            "ideacao_suicida",
        ),
    ],
)
def test_a_complaint_told_in_pieces_alerts_when_the_pieces_are_read_together(
    turns: list[tuple[str, str]], text: str, code: str
) -> None:
    assert code in message(text, *turns)


@pytest.mark.parametrize(
    ("first", "text"),
    [
        ("ontem senti um aperto no peito", "já passou, hoje acordei ótimo"),
        ("desmaiei no trabalho", "era brincadeira do meu colega que pegou o celular"),
        ("tô com sangramento no nariz", "parou sozinho depois de uns minutos"),
    ],
)
def test_a_later_message_that_settles_the_complaint_is_not_joined_with_it(first: str, text: str) -> None:
    assert message(text, ("patient", first), ("agent", "E agora?")) == set()


def test_a_number_answering_the_thermometer_question_settles_the_earlier_talk() -> None:
    turns = [("patient", "tô com o peito dolorido de amamentar"), ("agent", "Quanto deu no termômetro?")]
    assert message("37,3", *turns) == set()


def test_a_cancer_diagnosis_under_chemotherapy_makes_a_fever_of_38_critical() -> None:
    found = message(
        "o termômetro marcou 38,3",
        ("patient", "tô com calafrio"),
        ("agent", "Mediu a temperatura?"),
        diagnosis="Câncer de mama",
        currentTreatment="Doxorrubicina, ciclo 2",
    )
    assert "febre_oncologica" in found


# --- body part and pain word in either order, close together -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "MEU PEITO MUITA DOR AGORA",
        "sinto um aperto desde cedo, bem aqui no peito",
        "peito doer muito, começou faz 10 minuto",
    ],
)
def test_chest_and_pain_words_near_each_other_are_chest_pain_in_any_word_order(text: str) -> None:
    assert "dor_toracica" in codes(consulta(text))


def test_a_chest_of_chicken_near_a_pain_word_is_not_chest_pain() -> None:
    assert "dor_toracica" not in codes(consulta("comi peito de frango e fiquei com dor de barriga leve"))


# --- bleeding that keeps going -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "cortei a mão no vidro e o sangue continua escorrendo",
        "a faixa do joelho ficou encharcada de sangue em dez minutos",
        "bati a cabeça na quina e o sangue não estanca de jeito nenhum",
        "o sangue do nariz não para desde cedo",
    ],
)
def test_blood_with_an_ongoing_state_verb_is_active_bleeding(text: str) -> None:
    assert "sangramento" in codes(consulta(text))


def test_a_blood_test_with_a_delay_is_not_bleeding() -> None:
    assert codes(consulta("o exame de sangue não saiu ainda, o laboratório não para de adiar")) == set()


# --- an episode a hospital treated and that is over ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Passei três dias internada com convulsão, recebi alta ontem e agora estou bem, sem nenhuma crise.",
        "Fui pra UPA sábado porque desmaiei na fila do banco, fizeram exames e me liberaram. Hoje tô ótimo.",
        "Tive uma hemorragia depois do parto, fiquei na maternidade uma semana, tive alta e hoje estou bem.",
    ],
)
def test_a_finding_told_before_a_discharge_and_a_now_well_is_over(text: str) -> None:
    assert codes(consulta(text)) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Tive alta ontem da pneumonia, estava bem, mas hoje a falta de ar voltou forte.",
        "Recebi alta anteontem e agora estou com dor no peito de novo.",
        "Tive alta ontem e tô bem, mas agora há pouco desmaiei no banheiro.",
    ],
)
def test_a_finding_after_the_discharge_or_that_came_back_stays_present(text: str) -> None:
    assert codes(consulta(text)) & {"dispneia", "dor_toracica", "sincope"}


# --- other people: the media, an animal named in the answer ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Passou no jornal que um cantor famoso teve um infarto no palco. Isso dá em gente nova?",
        "Na série de ontem a atriz desmaiou no meio da cena, fiquei assustada.",
        "Vi um vídeo no YouTube de uma personagem tendo convulsão, como ajudo alguém assim?",
    ],
)
def test_symptoms_of_someone_in_the_media_are_not_the_writers(text: str) -> None:
    assert codes(consulta(text)) == set()


def test_a_writer_who_claims_the_symptom_after_a_media_story_still_alerts() -> None:
    text = "Vi no jornal que falta de ar é sinal de covid, e eu tô com falta de ar desde ontem."
    assert "dispneia" in codes(consulta(text))


@pytest.mark.parametrize(
    "answer",
    ["foi a minha gata que deu 40,1, eu tô ótima", "é o cachorro aqui de casa, marcou 39,6", "a égua deu 40"],
)
def test_a_temperature_the_answer_gives_to_an_animal_is_not_the_patients(answer: str) -> None:
    turns = [
        ("patient", "preciso de ajuda com febre"),
        ("agent", "Quem está com febre e quanto deu no termômetro?"),
    ]
    assert message(answer, *turns) == set()


# --- definitions asked, negation last ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A partir de quantos graus é febre em criança? Ela tá bem, só curiosidade.",
        "O que é considerado febre alta pra adulto?",
        "Dor sentir não. Febre ter não. Só nariz escorrer.",
    ],
)
def test_a_definition_asked_or_a_negation_placed_last_is_no_complaint(text: str) -> None:
    assert codes(consulta(text)) == set()


# --- lay, regional and shorthand words for the critical concepts ---------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Rezo toda noite pro Senhor me buscar logo, não queria mais amanhecer.", "ideacao_suicida"),
        ("Guardei as cartelas de remédio do meu pai pra engolir todas juntas amanhã.", "ideacao_suicida"),
        ("Deixei uma carta pra minha irmã e já me despedi de todo mundo.", "ideacao_suicida"),
        ("Tô dando minhas coisas pros amigos, não vou mais precisar delas.", "ideacao_suicida"),
        ("eu morrer querer. cansar tudo.", "ideacao_suicida"),
        ("Meu pai fica repetindo a mesma pergunta e não sabe em que dia estamos.", "confusao_mental"),
        (
            "Minha avó chamou a neta pelo nome da minha tia e não lembra como chegou na sala.",
            "confusao_mental",
        ),
        ("Meu tio teve um vaguido na roça e caiu duro no chão.", "sincope"),
        ("Idosa encontrada no banheiro, não responsiva por alguns minutos.", "sincope"),
        ("O vô ficou caído no terreiro um tempão sem responder.", "sincope"),
        ("tô puxado desde ontem, chiando que nem chaleira", "dispneia"),
        ("a bombinha já não tá resolvendo, respiro e não vem", "dispneia"),
        ("pcte não aceita dieta nem líquidos desde a manhã", "vomitos_persistentes"),
        ("dou soro pra ele e volta tudo em seguida", "vomitos_persistentes"),
    ],
)
def test_lay_regional_and_shorthand_words_name_the_finding(text: str, code: str) -> None:
    assert code in codes(consulta(text))


@pytest.mark.parametrize(
    "text",
    [
        "a conta do hospital foi de cair duro, mas tô bem",
        "separei os remédios da semana na caixinha organizadora",
        "não lembro onde deixei a receita, vocês mandam outra?",
        "a roupa ficou estirada no varal sem secar",
        "tomei o chá e voltei a dormir",
    ],
)
def test_everyday_uses_of_those_words_stay_silent(text: str) -> None:
    assert codes(consulta(text)) == set()


@pytest.mark.parametrize(
    "text",
    [
        "faz dois dias que vou ao banheiro toda hora, umas 9 vezes hoje, só água",
        "corri pro banheiro 8 vezes desde cedo, tudo líquido",
        "o cocô dele tá saindo aguado, já foram 7 vezes",
    ],
)
def test_many_watery_trips_to_the_toilet_are_severe_diarrhoea(text: str) -> None:
    assert codes(consulta(text))


@pytest.mark.parametrize("answer", ["nem um gole", "nem uma gota, volta tudo", "nem um pouquinho"])
def test_none_at_all_answers_an_ability_question_with_no(answer: str) -> None:
    turns = [("patient", "vomitando desde cedo"), ("agent", "Consegue tomar água sem vomitar?")]
    assert "vomitos_persistentes" in message(answer, *turns)


# --- telegraphic writing: the statement spread over two short sentences --------------------------


@pytest.mark.parametrize(
    "text",
    [
        "cabeça dor demais. nota 9 agora.",
        "A cólica tá forte. Nota 8, desde cedo.",
        "pescoço doer. nota 8 hoje.",
    ],
)
def test_a_pain_score_in_the_sentence_after_the_pain_counts(text: str) -> None:
    assert codes(consulta(text)) & {"dor_escala", "dor_intensa"}


@pytest.mark.parametrize(
    "text",
    [
        "diarreia forte? não sei. hoje 9 vezes.",
        "Vômito sem parar ontem. Hoje já foram 7 vezes.",
        "A bula diz que diarreia é comum. Mas desde ontem foram 11 vezes.",
    ],
)
def test_a_count_in_its_own_sentence_counts_the_episodes_of_the_sentence_before(text: str) -> None:
    assert codes(consulta(text)) & {"diarreia", "vomitos", "diarreia_grave", "vomitos_persistentes"}


@pytest.mark.parametrize(
    "text",
    [
        "O folheto do enalapril fala de inchaço. Pois é: tomei ontem e a boca inchou, custa a engolir.",
        "Comecei a tomar o antibiótico. Agora os lábios incharam e a garganta tá fechando.",
        "uma dor na barriga que não tem quem aguente desde ontem",
    ],
)
def test_a_trigger_or_intensity_told_in_the_sentence_before_still_counts(text: str) -> None:
    assert codes(consulta(text))


def test_pode_deixar_is_no_hypothetical_question() -> None:
    assert codes(consulta("Pode deixar pro final: só uma dor de cabeça nota 9 desde ontem."))


# --- yesterday's brief episode, today free of it; watery stools counted ----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Senti uma dor no peito ontem à tarde, durou um minuto, hoje não senti mais nada.",
        "ontem de noite deu um aperto no peito rapidinho, passou, hoje tô bem",
        "Tive falta de ar ontem depois da corrida, já passou, hoje não tive mais nada.",
    ],
)
def test_a_brief_episode_yesterday_with_today_free_of_it_is_over(text: str) -> None:
    assert codes(consulta(text)) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Senti dor no peito ontem e hoje não passou.",
        "ontem tive falta de ar e hoje tô com falta de ar de novo",
        "dor no peito desde ontem, hoje piorou",
    ],
)
def test_an_episode_from_yesterday_that_goes_on_today_stays_present(text: str) -> None:
    assert codes(consulta(text)) & {"dor_toracica", "dispneia"}


def test_a_count_with_everything_watery_is_diarrhoea() -> None:
    assert codes(consulta("desde cedo já foram umas 10 vezes, tudo aguado"))


def test_stroke_signs_yesterday_still_alert_even_when_today_is_free_of_them() -> None:
    assert "sinais_avc" in codes(
        consulta("ontem o braço direito ficou fraco uns minutos, hoje não senti mais nada")
    )
