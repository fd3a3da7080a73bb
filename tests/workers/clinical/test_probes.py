"""Probes written after the v3 round, in styles of our own, before any rule was changed for them:
the agent conversation probes passed 24/26 and the consulta probes 15/22 on their first run
(docs/clinical-engine.md, "Figures"). Each miss became a general rule; the probes stay here."""

from __future__ import annotations

import uuid

import pytest

from shared.messages import AgentMessagePayload
from tests.workers.clinical.helpers import consulta
from workers.clinical import analyze

CONVERSATIONS = [
    ([("agent", "Qual a temperatura agora?")], "38.9", True, "CRITICAL"),
    ([("agent", "E a febre, quanto está?")], "tá em 39,6", False, "CRITICAL"),
    (
        [("patient", "meu filho tá ardendo em febre"), ("agent", "Mediu? Quanto deu?")],
        "40",
        False,
        "CRITICAL",
    ),
    ([("agent", "De 1 a 10, como está a dor?")], "10", False, "HIGH"),
    ([("agent", "Numa escala de zero a dez, quanto dói?")], "tá um 7", False, None),
    ([("agent", "Você consegue respirar normalmente?")], "não", False, "CRITICAL"),
    ([("agent", "Está conseguindo urinar?")], "não, desde ontem", False, None),
    ([("agent", "Ele consegue mexer o braço direito?")], "não consegue", False, "CRITICAL"),
    ([("agent", "O sangramento diminuiu?")], "não, continua muito", False, "CRITICAL"),
    ([("agent", "Parou de sangrar?")], "parou sim, graças a Deus", False, None),
    ([("agent", "Você já pensou em se matar?")], "sim", False, "CRITICAL"),
    ([("agent", "Você já pensou em se matar?")], "nunca", False, None),
    ([("agent", "Você tem vontade de morrer?")], "às vezes penso que seria melhor", False, "CRITICAL"),
    ([("agent", "Está com falta de ar agora?")], "um pouco, mas tô bem", False, "CRITICAL"),
    ([("agent", "Tem sentido dor no peito?")], "não", False, None),
    ([("agent", "Você teve convulsão?")], "tive sim, hoje cedo", False, "CRITICAL"),
    ([("agent", "Sua pressão, quanto deu?")], "21 por 13", False, "CRITICAL"),
    ([("agent", "Qual foi a glicemia?")], "HI", False, "CRITICAL"),
    ([("agent", "Quanto deu a saturação?")], "deu 85%", False, "CRITICAL"),
    ([("patient", "to com muita dor de cabeça"), ("agent", "Entendi.")], "8", False, "HIGH"),
    ([("agent", "Como o senhor está hoje?")], "to bem, obrigado", False, None),
    ([("agent", "Você está vomitando?")], "sim, tudo que como volta", False, "HIGH"),
    ([("agent", "Alguém da sua família tem diabetes?")], "minha mãe tem", False, None),
    ([("agent", "A senhora teve febre?")], "na verdade foi minha filha que teve", False, None),
    (
        [("patient", "desmaiei no banheiro"), ("agent", "Quando foi isso?")],
        "faz uns 10 minutos",
        False,
        "CRITICAL",
    ),
    (
        [("patient", "desmaiei no banheiro"), ("agent", "Quando foi isso?")],
        "foi em 2015, nunca mais",
        False,
        None,
    ),
]

MESSAGES = [
    ("minha mãe tá com a fala enrolada desde o almoço e o braço esquerdo não obedece", False, "CRITICAL"),
    ("meu pai caiu no quintal e não acorda, tá respirando estranho", False, "CRITICAL"),
    ("a bebê tá com os lábios roxinhos e gemendo pra respirar", False, "CRITICAL"),
    ("to cagando sangue vivo desde cedo", False, "CRITICAL"),
    ("vomitei sangue escuro agora pouco", False, "CRITICAL"),
    ("meu marido tá suando frio com uma dor que aperta o peito e sobe pro queixo", False, "CRITICAL"),
    ("ela ficou paradona, olhando fixo, babou e depois dormiu", False, "CRITICAL"),
    ("to pensando em tomar todos os meus remedios de uma vez", False, "CRITICAL"),
    ("não aguento mais essa vida, queria dormir e não acordar", False, "CRITICAL"),
    ("faço quimio, to com 38 e pouco e calafrio", True, "CRITICAL"),
    ("tô com uma caganeira braba, já fui 8 vezes hoje", False, "HIGH"),
    ("a dor na barriga tá insuportável", False, "HIGH"),
    ("tive falta de ar quando tive covid em 2020, hoje tô ótimo, quero a vacina", False, None),
    ("minha vizinha desmaiou no ônibus, fiquei assustada", False, None),
    ("esse calor de 40 graus tá me matando kkk", False, None),
    ("meu cachorro vomitou sangue, onde tem veterinário 24h?", False, None),
    ("o remédio pode causar falta de ar?", False, None),
    ("nega dor torácica, nega dispneia", False, None),
    ("to morrendo de rir com esse meme", False, None),
    ("se eu tiver febre de novo eu volto aí", False, None),
    ("meu avô morreu de AVC ano passado, queria fazer um check-up", False, None),
    ("paguei 39,90 na farmácia no remédio da febre do meu filho", False, None),
]


@pytest.mark.parametrize(("history", "message", "oncology", "severity"), CONVERSATIONS)
def test_an_agent_message_alerts_with_the_severity_its_conversation_gives_it(
    history: list[tuple[str, str]], message: str, oncology: bool, severity: str | None
) -> None:
    payload = AgentMessagePayload.model_validate(
        {
            "patientId": str(uuid.uuid4()),
            "message": message,
            "conversationHistory": [{"role": r, "content": c} for r, c in history],
            "patientContext": {"oncologyTreatment": oncology},
        }
    )
    analysis = analyze("clinico", "mensagem", payload)
    assert analysis.severidade == severity, analysis.detalhes.get("leitura_conversa")


@pytest.mark.parametrize(("text", "oncology", "severity"), MESSAGES)
def test_a_message_alerts_with_the_severity_its_words_give_it(
    text: str, oncology: bool, severity: str | None
) -> None:
    analysis = consulta(text, em_tratamento_oncologico=oncology)
    assert analysis.severidade == severity, [f.codigo for f in analysis.achados]
