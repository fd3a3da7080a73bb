"""Findings described in lay words, as combinations of cues (workers/clinical/concepts.py), and
numbers read as vital signs without the word. Every sentence here is our own paraphrase, not a
dev-set case."""

from __future__ import annotations

import pytest

from tests.workers.clinical.helpers import codes, consulta


@pytest.mark.parametrize(
    ("text", "codigo"),
    [
        # seizure: shaking, stiffening, eyes, no response, drooling, "deu um ataque"
        ("meu sobrinho ficou todo duro e depois começou a sacudir os braços, não respondia", "convulsao"),
        ("deu um troço no meu pai, ficou com o olho virado e babando", "convulsao"),
        (
            "a menina tava vendo tv e de repente ficou com o olhar parado, sem responder, e se debateu",
            "convulsao",
        ),
        ("minha esposa mordeu a língua e ficou tremendo o corpo todo no chão", "convulsao"),
        # syncope: the lost time and the floor, or "caiu duro"
        ("levantei da cama, escureceu tudo e quando acordei tava caído no tapete", "sincope"),
        ("meu avô caiu duro no meio da missa", "sincope"),
        ("quando eu dei por mim já estava no chão do banheiro", "sincope"),
        # acute confusion or delirium
        ("desde ontem ela não reconhece mais a filha e pergunta que casa é essa", "confusao_mental"),
        ("meu pai tá variando, conversando com gente que ninguém vê", "confusao_mental"),
        ("a vó acordou desnorteada, vendo bicho no teto", "confusao_mental"),
        # stroke signs in lay words
        ("a boca do meu marido ficou repuxando pra um lado", "sinais_avc"),
        ("do nada ele não tá falando direito", "sinais_avc"),
        # anaphylaxis: swelling with the airway involved
        ("meus lábios estão inchando e a garganta tá fechando", "anafilaxia"),
        ("depois do camarão a cara inchou e tô com falta de ar", "anafilaxia"),
        # GI bleeding
        ("o cocô tá saindo preto que nem piche desde ontem", "melena"),
        ("vomitei uma coisa escura tipo borra de café", "hematemese"),
        # self-harm plan or preparation without the word
        ("já escolhi o dia, vou pular da ponte", "ideacao_suicida"),
        ("ninguém ia sentir minha falta, já até separei os comprimidos", "ideacao_suicida"),
        ("quero ir pra junto dele, não quero mais viver sem ele", "ideacao_suicida"),
    ],
)
def test_a_finding_described_in_lay_words_alerts(text: str, codigo: str) -> None:
    assert codigo in codes(consulta(text))


@pytest.mark.parametrize(
    "text",
    [
        "tô tremendo de frio debaixo do cobertor",  # shaking from cold alone
        "tive uma crise de ansiedade ontem, mas já estou bem",  # "crise" of something else
        "deu um ataque de tosse no meu filho à noite",
        "tropecei na calçada e caí, ralei o joelho",  # a fall alone is no syncope
        "quase caí pra trás quando vi o valor da consulta",
        "não reconheci o número que me ligou ontem",
        "meu filho de 2 anos ainda não fala direito, é normal?",
        "o olho ficou inchado de tanto chorar",
        "comprei veneno pros ratos do quintal",
    ],
)
def test_a_single_ambiguous_cue_does_not_alert(text: str) -> None:
    assert consulta(text).achados == []


@pytest.mark.parametrize(
    ("text", "oncology", "expected"),
    [
        ("medi agora e deu 38,4, tô com calafrio", True, "febre_oncologica"),
        ("o termômetro deu 39 e eu tô tremendo", False, "febre_alta"),
        ("tô todo dolorido, agora à noite deu 38,3", True, "febre_oncologica"),
        ("estou sem apetite, 38,2 agora de tarde", True, "febre_oncologica"),
    ],
)
def test_a_bare_number_is_a_temperature_when_the_context_says_so(
    text: str, oncology: bool, expected: str
) -> None:
    assert expected in codes(consulta(text, em_tratamento_oncologico=oncology))


@pytest.mark.parametrize(
    "text",
    [
        "a conta da farmácia deu 39 reais",
        "estou na sala 39, 2º andar, esperando",
        "aqui em Teresina fez 40 graus na sombra hoje",
    ],
)
def test_a_number_that_is_no_body_temperature_does_not_alert(text: str) -> None:
    assert consulta(text).achados == []


@pytest.mark.parametrize(
    "text",
    [
        "não consigo engolir nem o soro desde ontem",
        "tudo que ele toma de líquido, logo depois bota pra fora",
        "até a água que eu bebo volta",
        "meu pai não tá conseguindo beber nada",
    ],
)
def test_not_keeping_fluids_down_in_lay_words_is_high(text: str) -> None:
    assert "vomitos_persistentes" in codes(consulta(text))
