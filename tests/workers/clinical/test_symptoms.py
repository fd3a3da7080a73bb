"""Symptom lexicon on paraphrases that are NOT in the dev set.

Lay phrasing, missing accents, typos, third person, other numbers: each family must be found with
the right code and severity. The sentences are written the way patients and families write to a
nurse over WhatsApp, and the way clinicians write short notes.
"""

from __future__ import annotations

import pytest

from .helpers import codes, consulta

POSITIVES: dict[str, list[str]] = {
    "dispneia": [
        "to com falta de ar desde cedo",
        "minha mãe está sem ar",
        "nao consigo respirar direito",
        "sinto um cansaço pra respirar",
        "respiração ofegante a noite toda",
        "parece que estou sufocando",
        "dispineia aos esforços",
        "falta de ár quando ando",
        "ele está com dificuldade para respirar",
        "fico sem fôlego ao andar",
        "FALTA DE AR",
        "faaalta de ar",
        "não estou conseguindo respirar",
        "respiração curta e chiado",
        "meu filho está respirando com dificuldade",
    ],
    "dor_toracica": [
        "dor no peito",
        "dor no peto",
        "aperto no peito desde ontem",
        "meu peito está doendo muito",
        "dor toracica",
        "pressão no peito quando ando",
        "dor precordial",
        "sinto um peso no peito",
        "dor forte no meio do peito",
        "dói o peito",
        "to com uma dor no lado esquerdo do peito",
        "Sinto uma dor que vai pro braço esquerdo",
        "Estou com o peito apertado e suando frio",
    ],
    "hematemese": [
        "vomitei sangue",
        "vomitando sangue",
        "vômito com sangue",
        "vomito com borra de café",
        "hematemese",
        "vumitei sangue hoje",
        "ele vomitou muito sangue",
        "saiu sangue no vômito",
    ],
    "hemoptise": [
        "tossindo sangue",
        "tosse com sangue",
        "escarro com sangue",
        "catarro com sangue",
        "cuspindo sangue",
        "hemoptise",
        "tossi sangue de manhã",
        "meu pai está tossindo um pouco de sangue",
    ],
    "melena": [
        "fezes pretas",
        "cocô preto",
        "coco preto e fedido",
        "fezes escuras como borra de café",
        "melena",
        "evacuação escura",
        "fezes bem pretas desde ontem",
        "fiz cocô preto hoje",
    ],
    "sangramento": [
        "estou sangrando muito",
        "sangramento vaginal intenso",
        "hemorragia",
        "perdendo muito sangue",
        "saiu muito sangue pelo nariz",
        "urina com sangue",
        "sangue nas fezes",
        "o corte não para de sangrar",
        "diarreia com sangue",
        "Sangrou muito o nariz",
        "sagramento na gengiva",
        "evacuei sangue",
        "minha urina está vermelha",
    ],
    "convulsao": [
        "convulsão",
        "convulsao",
        "ele convulsionou",
        "ataque epiléptico",
        "crise convulsiva",
        "ficou se debatendo",
        "teve uma crise de epilepsia",
        "combulsão agora",
        "minha filha teve convulsões hoje",
        "revirou os olhos e ficou tremendo",
        "Minha filha está tendo convulsões",
    ],
    "sincope": [
        "desmaiei",
        "ela desmaiou",
        "tive um desmaio",
        "apaguei no trabalho",
        "perdi os sentidos",
        "perdeu a consciência",
        "síncope",
        "caiu desacordado",
        "dismaiou",
        "Meu pai apagou e caiu",
        "quase desmaiei no ônibus",
    ],
    "confusao_mental": [
        "confuso",
        "ela está desorientada",
        "não reconhece ninguém",
        "falando coisas sem sentido",
        "fora de si",
        "não fala coisa com coisa",
        "está delirando",
        "desorientado no tempo e espaço",
        "vovó ficou muito confusa hoje",
        "meu avô não sabe onde está",
        "Ela não está falando coisa com coisa",
    ],
    "sinais_avc": [
        "boca torta",
        "rosto caído de um lado",
        "fala enrolada",
        "braço esquerdo fraco",
        "perna direita sem força",
        "formigamento de um lado do corpo",
        "teve um AVC",
        "acho que é derrame",
        "está falando enrolado",
        "fraqueza no braço direito",
        "Estou me sentindo sem forças de um lado do corpo",
        "Minha boca está torta e não consigo sorrir",
        "Ele não consegue falar direito",
    ],
    "anafilaxia": [
        "garganta fechando",
        "lábios inchados depois de comer camarão",
        "inchaço na língua após o remédio",
        "choque anafilático",
        "reação alérgica grave",
        "edema de glote",
        "dificuldade de engolir com urticária",
        "sinto a garganta fechar depois da picada de abelha",
        "Tive uma reação alérgica, estou com a língua inchada",
    ],
    "ideacao_suicida": [
        "quero me matar",
        "não quero mais viver",
        "penso em suicídio",
        "pensando em morrer",
        "quero tirar a minha própria vida",
        "ele falou que vai se matar",
        "tenho vontade de morrer",
        "nao aguento mais viver",
        "Às vezes penso que seria melhor morrer",
        "Tenho pensamentos de morte",
        "Não vejo mais sentido na vida",
    ],
    "febre_alta": [
        "febre de 39",
        "39,5 graus",
        "temperatura 39.2",
        "febre 40°C",
        "39 ºC",
        "febre alta de 39 e meio",
        "medi e deu 39,4 de febre",
        "termômetro marcou 39,1",
        "Temperatura de 40 graus",
        "meu filho está com 39,8 de febre",
    ],
    "vomitos_persistentes": [
        "vomitando sem parar",
        "não para nada no estômago",
        "tudo que como eu vomito",
        "vomitei 10 vezes hoje",
        "não consigo parar de vomitar",
        "vômitos incoercíveis",
        "nao para nem agua no estomago",
        "vomito tudo que bebo",
        "Vomitei a noite toda",
        "Não consigo manter nada no estômago",
        "ela vomitou mais de 5 vezes hoje",
    ],
    "diarreia_grave": [
        "diarreia 10 vezes ao dia",
        "diarréia intensa",
        "diareia forte",
        "evacuei 8 vezes hoje, tudo liquido",
        "caganeira sem parar",
        "fui ao banheiro 7 vezes com diarreia",
        "diarreia com sangue",
        "Diarreia líquida 12x/dia",
        "diarreia seis vezes desde a manhã",
    ],
    "dor_intensa": [
        "dor 8/10",
        "dor nota 10",
        "dor insuportável",
        "pior dor da minha vida",
        "dor 9 de 10",
        "dor de cabeça nota nove",
        "estou chorando de dor",
        "dor na barriga intensidade 9",
        "Dor abdominal 10/10",
        "dor muito forte, nota 8",
        "dor de cabeça muito forte, a pior da minha vida",
    ],
    "febre_sem_medicao": [
        "estou com febre",
        "acho que estou com febre",
        "febril",
        "to com febri",
        "meu filho está com febre",
        "corpo quente e calafrios",
        "estou ardendo em febre",
        "ela está com febre desde ontem",
    ],
}
SEVERITY = {
    "vomitos_persistentes": "HIGH",
    "diarreia_grave": "HIGH",
    "dor_intensa": "HIGH",
    "febre_sem_medicao": "HIGH",
}
CASES = [(code, text) for code, texts in POSITIVES.items() for text in texts]


@pytest.mark.parametrize(("code", "text"), CASES, ids=[f"{c}:{t}" for c, t in CASES])
def test_paraphrase_is_detected_with_its_code_and_severity(code: str, text: str) -> None:
    result = consulta(text)
    assert code in codes(result), (text, [f.model_dump() for f in result.achados])
    finding = next(f for f in result.achados if f.codigo == code)
    assert finding.severidade == SEVERITY.get(code, "CRITICAL")
    assert finding.origem == "regras"
    assert finding.trecho and finding.trecho.lower() in text.lower()


def test_every_family_has_at_least_eight_paraphrases() -> None:
    assert all(len(texts) >= 8 for texts in POSITIVES.values())


SILENT = [
    # ordinary requests and mild complaints
    "Gostaria de remarcar meu exame",
    "dor de cabeça leve",
    "cocei o braço e ficou vermelho",
    "Preciso de atestado",
    "Estou com dor de dente",
    "dor de garganta",
    "tosse seca há uma semana",
    "estou com dor nas costas moderada",
    "Tenho asma, mas hoje estou bem",
    "Bati o joelho e ficou roxo",
    "Estou com o nariz escorrendo",
    # false friends of the lexicon
    "falta de apetite",
    "o ar condicionado quebrou",
    "estou sem ar condicionado em casa",
    "comi peito de frango",
    "peito de frango grelhado no almoço",
    "dor no peito do pé",
    "fiz exame de sangue",
    "coleta de sangue amanhã",
    "doei sangue ontem",
    "resultado do exame de sangue saiu",
    "a pressão do sangue está boa",
    "Vou fazer exame de sangue em jejum",
    "Meu exame de fezes deu sangue oculto",
    "pesquisa de sangue oculto nas fezes",
    "apaguei a luz e fui dormir",
    "estou confuso sobre o horário da consulta",
    "fiquei confusa com a receita",
    "essa dor vai me matar",
    "tenho medo de morrer",
    "ele se matou de trabalhar",
    "garganta inflamada e dor ao engolir",
    "quero saber sobre a vacina de febre amarela",
    "tomei a vacina da febre amarela",
    "a pior fase da minha vida",
    # values below the thresholds
    "Tive febre de 38.4",
    "febre 38,5",
    "vomitei duas vezes",
    "diarreia 3 vezes hoje",
    "dor 5/10",
    "consulta dia 9/10",
    "pressão 12 por 8",
    "saturação 97%",
    "glicemia 110",
    # medication purpose, resolved HIGH complaints
    "Gostaria de saber se posso tomar dipirona para febre",
    "Qual remédio posso tomar pra febre?",
    "Tive febre semana passada mas já passou",
    "A febre baixou",
    "Tomei antitérmico e a febre passou",
    "Diarreia 3 vezes, já melhorou",
    "Tive diarreia intensa na semana passada, já sarou",
    "Dor de cabeça forte que passou com remédio",
    "Tive febre semana passada, agora estou bem",
]


@pytest.mark.parametrize("text", SILENT)
def test_everyday_text_and_false_friends_stay_silent(text: str) -> None:
    result = consulta(text)
    assert result.achados == [], [f.model_dump() for f in result.achados]
    assert result.severidade is None
    assert result.mensagem_alerta is None


@pytest.mark.parametrize(
    "text",
    [
        "Não sei o que fazer, estou com falta de ar",
        "Não aguento essa dor no peito",
        "o sangramento não para",
        "não para de sangrar",
        "sem melhora da falta de ar",
        "Não melhorou a falta de ar",
        "Não consigo dormir por causa da dor no peito",
        "Não tomei o remédio e estou com dor no peito",
        "Minha mãe não está bem, está com falta de ar",
        "Não sei se é normal ter falta de ar depois de subir escada",
        "nem consigo respirar direito",
        "falta de ar melhorou um pouco",
    ],
)
def test_a_no_that_does_not_negate_the_symptom_still_alerts(text: str) -> None:
    assert consulta(text).severidade == "CRITICAL"


def test_intensity_words_never_soften_a_critical_symptom() -> None:
    for text in ("falta de ar leve", "um pouco de dor no peito", "pequeno sangramento", "desmaiei rapidinho"):
        assert consulta(text).severidade == "CRITICAL", text


def test_several_symptoms_give_one_finding_each_and_the_highest_severity() -> None:
    result = consulta("Falta de ar, dor no peito e vomitando sem parar; falta de ar piorou")
    assert codes(result) == {"dispneia", "dor_toracica", "vomitos_persistentes"}
    assert result.severidade == "CRITICAL"
    assert [f.codigo for f in result.achados].count("dispneia") == 1


def test_high_alone_gives_high_and_critical_wins_when_mixed() -> None:
    assert consulta("dor 9/10 nas costas").severidade == "HIGH"
    assert consulta("dor 9/10 nas costas e desmaiei").severidade == "CRITICAL"


def test_the_excerpt_quotes_the_patient_with_accents_and_case() -> None:
    result = consulta("Hoje de manhã senti FALTA DE ÁR e um aperto no péito")
    trechos = {f.codigo: f.trecho for f in result.achados}
    assert trechos["dispneia"] == "FALTA DE ÁR"
    assert trechos["dor_toracica"] == "aperto no péito"


def test_stretched_letters_are_read_and_quoted_as_written() -> None:
    result = consulta("socorro, faaaaalta de aaar")
    assert codes(result) == {"dispneia"}
    assert result.achados[0].trecho == "faaaaalta de aaar"


def test_third_person_reports_from_family_count() -> None:
    for text in (
        "Meu pai desmaiou",
        "a minha filha teve uma convulsão",
        "meu marido está com dor no peito",
        "o vizinho disse que ela está sem ar",
    ):
        assert consulta(text).severidade == "CRITICAL", text


def test_remote_past_events_are_history_but_chronic_symptoms_are_not() -> None:
    assert consulta("Tive uma convulsão quando era criança").achados == []
    assert consulta("Meu pai teve infarto há 10 anos").achados == []
    assert consulta("histórico de AVC em 2015").achados == []
    assert codes(consulta("Tenho falta de ar há 2 anos e piorou")) == {"dispneia"}
    assert codes(consulta("tentei me matar ano passado e penso nisso de novo")) == {"ideacao_suicida"}


def test_suicide_figures_of_speech_do_not_alert_but_real_statements_do() -> None:
    assert consulta("essa tosse vai me matar de tanto incomodar").achados == []
    assert codes(consulta("às vezes penso em me matar")) == {"ideacao_suicida"}


def test_facial_swelling_is_anaphylaxis_only_next_to_a_trigger() -> None:
    assert consulta("acordei com o rosto inchado").achados == []
    assert codes(consulta("acordei com o rosto inchado depois do antibiótico")) == {"anafilaxia"}


def test_mental_status_orientado_is_not_an_advice_cue() -> None:
    assert codes(consulta("Paciente lúcido e orientado, refere dor torácica")) == {"dor_toracica"}
    assert consulta("Paciente lúcido e orientado, nega queixas").achados == []


def test_stroke_word_derrame_is_not_a_pleural_effusion() -> None:
    assert consulta("tenho derrame pleural em acompanhamento").achados == []
    assert codes(consulta("acho que minha mãe teve um derrame")) == {"sinais_avc"}


def test_cyanosis_in_lay_words_but_not_a_bruise() -> None:
    assert codes(consulta("o bebê está roxinho")) == {"cianose"}
    assert codes(consulta("meu pai engasgou e ficou roxo")) == {"cianose"}
    assert codes(consulta("os lábios estão azulados")) == {"cianose"}
    assert consulta("Bati o joelho e ficou roxo").achados == []
    assert consulta("o local da vacina ficou roxo").achados == []


def test_treatment_of_a_chronic_condition_is_not_an_event() -> None:
    assert consulta("Vim renovar a receita do remédio de convulsão").achados == []
    assert consulta("Meu pai faz acompanhamento do AVC").achados == []
    assert codes(consulta("Tomei dipirona pra dor no peito e não passou")) == {"dor_toracica"}


def test_unbearable_pain_in_lay_words_is_high() -> None:
    for text in (
        "Não aguento mais essa dor nas costas",
        "Dor na barriga muito forte, não aguento",
        "meu filho está gritando de dor",
    ):
        assert codes(consulta(text)) == {"dor_intensa"}, text
    assert consulta("Não aguento mais essa situação").achados == []


def test_doubt_and_superlatives_are_not_denials() -> None:
    assert codes(consulta("Não tenho certeza se desmaiei")) == {"sincope"}
    assert codes(consulta("Nunca senti uma dor no peito tão forte")) == {"dor_toracica"}
    assert consulta("Nunca tive dor no peito").achados == []
    assert codes(consulta("Não, estou com falta de ar")) == {"dispneia"}
    assert consulta("Não faço quimioterapia, febre de 38,3").achados == []
