"""Probes written after the v3 round, in styles of our own, before any rule was changed for them:
the first batch passed 24/26 agent conversations and 15/22 consulta messages on its first run, the
second 23/30 (docs/clinical-engine.md, "Figures"). Each miss became a general rule; the probes
stay here."""

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

CONVERSATIONS += [
    ([("agent", "A senhora está com dor no peito agora?")], "tô sim, e tá indo pro braço", False, "CRITICAL"),
    ([("agent", "Ele está respirando normal?")], "não, tá puxando o ar com força", False, "CRITICAL"),
    ([("agent", "Quanto deu a febre?")], "trinta e nove vírgula oito", False, "CRITICAL"),
    ([("agent", "E a dor, de 0 a 10?")], "dez, não aguento", False, "HIGH"),
    ([("agent", "Você está bem?")], "to sim obg", False, None),
    ([("agent", "Teve mais algum desmaio?")], "não, graças a Deus", False, None),
    ([("agent", "Está conseguindo se alimentar?")], "sim, normal", False, None),
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


MESSAGES += [
    (
        "Bom dia! Queria remarcar o retorno de terça pra quinta se possível. Ah, e desde ontem à noite "
        "meu pai tá com o lado direito do rosto caído e babando, a gente achou que era cansaço. Obrigada!",
        False,
        "CRITICAL",
    ),
    (
        "boa noite, sou cuidadora do seu Antônio, ele tá gelado, suando e não responde direito "
        "quando eu chamo",
        False,
        "CRITICAL",
    ),
    ("minha filha de 4 anos engoliu uns comprimidos da avó, não sei quantos", False, "CRITICAL"),
    (
        "depois que tomei a amoxicilina apareceram umas placas vermelhas e a língua tá inchando",
        False,
        "CRITICAL",
    ),
    ("to com um sangramento que não para desde o parto", False, "CRITICAL"),
    ("o xixi dele tá saindo com sangue", False, "CRITICAL"),
    ("tossi e saiu catarro com sangue", False, "CRITICAL"),
    ("minha glicose tá 520 e tô com muita sede", False, "CRITICAL"),
    ("a saturação dela tá 86 no oxímetro", False, "CRITICAL"),
    ("tô sentindo o coração disparado, contei 150 batimentos por minuto", False, "CRITICAL"),
    ("a dor de cabeça é a pior da minha vida, começou do nada", False, "HIGH"),
    ("já fiz 6 cocôs líquidos hoje", False, "HIGH"),
    ("não consigo parar de vomitar desde as 5 da manhã", False, "HIGH"),
    ("nunca tive convulsão, só quero saber se o remédio é seguro", False, None),
    ("minha sogra teve AVC mês passado e está internada, queria saber o horário de visita", False, None),
    ("Amanhã faço a endoscopia, posso tomar água antes? Não sinto nada, só rotina.", False, None),
    ("Tive febre de 38,5 na semana passada, já passou e hoje estou bem.", False, None),
    ("queria saber se a vacina da gripe dá febre", False, None),
    ("o médico disse que se eu sentir dor no peito é pra ir no PS", False, None),
    ("tô bem, sem dor, sem febre, sem falta de ar, só passando pra avisar", False, None),
    ("chorei tanto no filme que fiquei sem ar kkkk", False, None),
    ("meu coração quase parou quando vi a nota da prova", False, None),
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
