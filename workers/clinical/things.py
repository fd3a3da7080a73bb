"""A thing as the subject of a symptom verb: "o trator apagou no meio do talhão", "o caminhão tá
sangrando óleo pela junta", "a luz do bairro apagou", "o celular travou e apagou sozinho".

A verb that is a symptom in a person (apagar, sangrar, desmaiar, travar, tremer, queimar...) is a
machine stalling, a lamp going out or a plant oozing when its subject is one of the things below:
one word class, applied to every such verb (docs/clinical-engine.md, "s5-spec-who"). The subject is
the noun phrase right before the verb ("o motor da caminhonete tá sangrando") or, across "e" or a
comma, the one that opens the clause the verb is coordinated with ("o trator soltou uma fumaça
preta e apagou"), when no person, no first-person word and no crash comes between: "o carro bateu
e apagou", "o trator parou e eu apaguei", "o carro parou e meu pai apagou" keep the complaint.
Animals are people of their own (`people.ANIMALS`, someone else's).
"""

from __future__ import annotations

import re

from .people import NAMES, RELATIVE_WORDS
from .text import words

THINGS = words(
    # vehicles and their parts
    "carro carros moto motos motoca motinha caminhao caminhoes caminhonete camionete carreta trator tratores "
    "onibus van kombi fusca veiculo bicicleta bike barco lancha aviao colheitadeira plantadeira pulverizador "
    "motor motores bateria pneu pneus freio freios radiador cabecote embreagem cambio painel farol "
    "farois lanterna escapamento mangueira tanque "
    # machines, devices, lights, fire
    "maquina maquinas celular celulares telefone computador notebook pc tablet tv televisao tela radio "
    "aparelho "
    "monitor geladeira freezer fogao forno microondas chuveiro ventilador bomba gerador motosserra rocadeira "
    "betoneira impressora relogio app aplicativo sistema site internet wifi modem roteador "
    "lampada lampadas "
    "luz luzes energia vela velas fogo fogueira brasa lampiao poste torneira cano canos encanamento "
    "maquininha balanca termometro medidor "
    # furniture, whose parts take body words ("o braço do sofá", "o pé da mesa")
    "sofa poltrona cadeira mesa armario porta janela parede "
    # plants and crops
    "arvore arvores roseira bananeira mangueiral horta plantacao lavoura pe pes"
)
# "pé" is a plant only as "o pé de manga"; elsewhere it is a foot.
_PLANT_FOOT = words("pe pes")
# Body words: a phrase that names one is the body's ("o cano do braço", "a mangueira do dreno no peito").
_BODY = words(
    "pe pes mao maos dedo dedos joelho perna pernas braco bracos cabeca olho olhos boca nariz ouvido barriga "
    "peito costas pescoco gengiva dente dentes pele corpo marcapasso dreno sonda cateter curativo ferida "
    "corte"
)
_DETERMINERS = words(
    "o a os as um uma meu minha meus minhas seu sua seus suas nosso nossa esse essa esses essas aquele aquela"
)
_OF = words("de do da dos das")
_PREPOSITIONS = words("de do da dos das no na nos nas em pelo pela com sem")
# Between the subject and the verb: "o caminhão tá sangrando", "a luz já apagou", "o motor começou a
# tremer".
_AUX = words(
    "ta esta tava estava tao estao ficou fica ja comecou comecava a de novo do nada sozinho sozinha "
    "simplesmente tambem ai entao so"
)
# A person between the subject and the verb makes the verb theirs: "o carro parou e eu apaguei".
_PERSON = words("eu me mim comigo ele ela eles elas gente") | RELATIVE_WORDS | NAMES
# A crash hurts the people in it: "o caminhão capotou e tá sangrando muito" keeps the bleeding.
_CRASH = re.compile(
    r"(?:bateu|bateram|batendo|batida|capot\w*|tomb\w*|atropel\w*|explod\w*|caiu|cairam|virou|viraram|"
    r"acidente|colid\w*|derrap\w*|despenc\w*|incendi\w*|fogo)$"
)
_TOKEN = re.compile(r"[a-z]+|[,;]")
_FIRST_PERSON_VERB = re.compile(r"[a-z]{2,}ei$")
# The verbs a thing can do that are symptoms in a person; never a reading ("o termômetro deu 39").
_VERB_FORM = re.compile(
    r"(?:apag|desmai|dismai|desfalec|sangr|trem|trav|queim|convuls|engasg|sufoc|inch|vomit|ferv)[a-z]*"
    r"(?:ou|ava|avam|ando|endo|indo|eu|iu|ia|iam|a|am|e|em)$"
)
# A thing "had" the sign, never "deu" (a reading: "o termômetro deu febre").
_HAD = re.compile(r"\b(?:teve|tem|tinha|tendo|(?:ta|tava|esta|estava|ficou)\s+com)\s+(?:um\s+|uma\s+)?$")
_FIRST = words("to tou estou tive tenho sinto senti fiquei")
_FINITE = re.compile(r"[a-z]{3,}(?:ou|eu|iu|ei)$")
_CLAUSE_WORDS = words("mas porem que quando se porque pq pois so")
_WINDOW = 110


def _thing_head(tokens: list[str]) -> bool:
    """The tokens open with a determiner and a thing: "o motor da caminhonete", "a luz"."""
    if len(tokens) < 2 or tokens[0] not in _DETERMINERS:
        return False
    noun = tokens[1]
    if noun not in _BODY and any(t in _BODY for t in tokens[2:]):
        return False  # "a bateria do marcapasso", "a borracha do dedo": the body's, not a thing's
    if noun in _PLANT_FOOT:
        return len(tokens) > 3 and tokens[2] == "de" and tokens[3] not in _DETERMINERS
    if noun in _BODY and len(tokens) > 3 and tokens[2] in _OF:
        # a thing's part named as a body's: "a boca do cano", "o braço do sofá", "a cabeça do prego"
        return tokens[3] in THINGS
    return noun in THINGS


def thing_subject(text: str, sentence_start: int, start: int) -> bool:
    """Whether the verb that opens the mention at `start` has a thing as its subject."""
    first = re.match(r"[a-z]+", text[start : start + 20])
    if first is None or _FIRST_PERSON_VERB.match(first.group(0)):
        return False
    if not _VERB_FORM.match(first.group(0)):
        # ... or a noun the thing "had": "o celular teve uma convulsão e desligou" (s6-spec-what)
        lo = max(sentence_start, start - 24)
        if "te" not in text[lo:start] and "com" not in text[lo:start]:
            return False  # the common case (a noun, nothing "had" it), without a regex
        had = _HAD.search(text, lo, start)
        if had is None:
            return False
        start = had.start()
    lo = max(sentence_start, start - _WINDOW)
    tokens = _TOKEN.findall(text[lo:start])
    if not tokens or not any(t in THINGS for t in tokens):
        return False  # the common case: no thing in reach
    k = len(tokens)
    while k and tokens[k - 1] in _AUX:
        k -= 1
    # The noun phrase right before the verb: a determiner not after a preposition, at most 5 words.
    for j in range(k - 1, max(-1, k - 6), -1):
        tok = tokens[j]
        if tok in (",", ";") or tok in _CLAUSE_WORDS or tok == "e":
            break
        if tok in _DETERMINERS and not (j and tokens[j - 1] in _PREPOSITIONS):
            # a noun phrase, not a clause: "o termômetro marcou tô sangrando" has a verb between
            phrase = tokens[j:k]
            if any(t in _FIRST or _FINITE.match(t) for t in phrase[2:]):
                return False
            return _thing_head(phrase)
    # Coordinated: the clauses before, back through "e" and commas, up to the one with a subject.
    between = tokens[:k]
    if not between or between[-1] not in ("e", ","):
        return False
    clause_end = len(between) - 1
    while clause_end > 0:
        j = clause_end - 1
        while j > 0 and between[j - 1] not in ("e", ",", ";") and between[j - 1] not in _CLAUSE_WORDS:
            j -= 1
        clause = between[j:clause_end]
        if any(t in _PERSON or _FIRST_PERSON_VERB.match(t) or _CRASH.match(t) for t in clause):
            return False
        if clause and clause[0] in _DETERMINERS:
            return _thing_head(clause)
        if j == 0 or between[j - 1] in _CLAUSE_WORDS or between[j - 1] == ";":
            # the sentence (or a clause word) opens with a subjectless clause: "depois parou e apagou"
            return bool(clause) and _thing_head(clause)
        clause_end = j - 1
    return False
