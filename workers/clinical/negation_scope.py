"""How far a negator reaches: over a list of findings after "nega"/"sem", and over what follows
"não" and its verb (docs/clinical-engine.md, "Assertion of every mention", `negado`). Used by
`negation.suppression`, which decides which negator applies to a mention.
"""

from __future__ import annotations

import re

from .text import words
from .verb_scope import auxiliary_scope_closed

_NAO_CLITICS = frozenset({"se", "me", "te", "lhe", "nos", "mais", "mesmo", "nunca"})
_NAO_VERBS = words(
    "estou esta estava estive estamos estao to tou ta tava tenho tem tinha tive teve tiveram tivemos "
    "tenha sinto sente senti sentiu sentia sentimos apresenta apresentou apresentava apresento "
    "apresentam apresentaram refere referiu refiro relata relatou relato queixa queixou ha houve "
    "havia existe existem existia ocorreu ocorre ocorreram ve vejo vi vemos foi foram sao e era eram "
    "ficou fiquei fico fica voltou voltei volta deu da dava causou causa sofreu sofri sofre aparenta "
    "surgiu apareceu aparece consta constam registra registrou possui possuo "
    "pensei penso pensou pensa pensava tengo tiene tuve tenia siento"
)
_NAO_DOING_VERBS = words(
    "faco faz fiz fez fazia fazendo realizo realiza realizou realizei uso usa usou tomo toma tomei tomou"
)
NAO_VERB_STEMS = re.compile(
    r"(?:observ|identific|evidenci|visualiz|caracteriz|detect|demonstr|constat|verific|not|percebi|"
    r"percebe|mostr|revel|encontr|sugere|indic)\w*$"
)

_FELL = words("cai caiu caia caimos cairam")
_NOT_STOPPING = words("parando passando melhorando cedendo aliviando diminuindo parou passou melhorou cedeu")
_BEARING = words("aguentando aguento aguenta aguentei suportando suporto suporta conseguindo consigo")
_NO_WAY = words("jeito como condicao condicoes")
_UNCERTAIN = frozenset(
    {"certeza", "sei", "sabe", "sabemos", "lembro", "lembra", "ideia", "entendo", "duvida"}
)
# Spanish "y" and "ni" join a list as "e" and "nem" do ("sin fiebre ni tos", "sin fiebre y con dolor").
_CONNECTORS = frozenset({",", "/", ":", "ou", "e", "nem", "y", "ni"})
# Finite verbs and subjects that open a new, affirmative clause inside a list.
_STARTERS = words(
    "estou esta estava to tou ta tava tenho tem tinha tive teve sinto sente senti sentiu apresenta "
    "apresentou refere referiu relata relatou queixa queixou comecou comecei comeca iniciou evoluiu "
    "evolui evoluindo piorou piorei voltou voltei ficou fiquei continua continuo persiste mantem "
    "manteve surgiu apareceu notei percebi acordei acordou chegou cheguei fui foi tomei tomou eu ele "
    "ela eles elas voce paciente pcte pct meu minha meus minhas seu sua nosso nossa"
)
# Report phrasing that opens a new assertion: "ausência de trama vascular, compatível com pneumotórax".
_NEW_ASSERTION = words(
    "compativel compativeis sugestivo sugestiva sugestivos sugestivas consistente consistentes indicativo "
    "indicativa determinando caracterizando evidenciando sugerindo representando associado associada "
    "associados associadas notadamente configurando"
)
_AFTER_CONNECTOR_BREAKERS = words(
    "com con hoje agora ontem ainda atualmente tambem inclusive alem porem so tudo desde"
)
_MAX_ITEM_WORDS = 5
_MAX_SCOPE_TOKENS = 28


def list_scope_reaches(tokens: list[str], match_is_verb: bool = False, copula: bool = False) -> bool:
    """Whether a negator's list scope runs over `tokens` up to the match. After "não é X", a
    comma and a new "é" contrast instead of listing ("não é dor no peito, é falta de ar")."""
    words = 0
    after_connector = False
    last_connector = ""
    for i, tok in enumerate(tokens):
        if i >= _MAX_SCOPE_TOKENS:
            return False
        if copula and tok == "e" and last_connector == "," and words == 0:
            return False
        if copula and (tok == ":" or (i == 0 and tok == ",")):
            # "acho que não é: a dor tá em 8", "não é normal: ...": after a denied copula a colon, or
            # a pause with no complement, opens what is, not a list of what is not (high8)
            return False
        if tok in _CONNECTORS:
            words = 0
            after_connector = True
            last_connector = tok
            continue
        if tok in _STARTERS or tok in _NEW_ASSERTION:
            return False
        if after_connector and words == 0 and tok in _AFTER_CONNECTOR_BREAKERS:
            return False
        words += 1
        if words > _MAX_ITEM_WORDS:
            return False
    # "nega febre, desmaiou ontem": a finite verb after a list opens a new clause, except "nem".
    return not (match_is_verb and after_connector and last_connector != "nem")


def nao_reaches(tokens: list[str], match_is_verb: bool) -> bool:
    if any(tok.startswith(("descart", "afast", "exclu")) for tok in tokens):
        return False  # "não é possível descartar TEP" keeps the finding
    if any(tok in _UNCERTAIN for tok in tokens):
        return False  # "não tenho certeza se desmaiei", "não sei se é falta de ar": doubt is not denial
    i = 0
    while i < len(tokens) and tokens[i] in _NAO_CLITICS:
        i += 1
    if i == len(tokens):
        return True  # "não desmaiou", "nunca mais sangrou"
    if tokens[i] in _NAO_VERBS or NAO_VERB_STEMS.match(tokens[i]):
        if auxiliary_scope_closed(tokens[i + 1 :]):  # "não tá conhecendo nós, acha que tá no sítio"
            return False
        if i + 1 < len(tokens) and tokens[i + 1] in _NOT_STOPPING:
            return False  # "não tá parando de sangrar", "não está passando a dor": it goes on
        if i + 1 < len(tokens) and (
            tokens[i + 1] in _BEARING or (tokens[i] in ("tem", "ha") and tokens[i + 1] in _NO_WAY)
        ):
            return False  # "não tô aguentando essa dor", "não tem jeito, a falta de ar não passa"
        return list_scope_reaches(tokens[i + 1 :], match_is_verb, copula=tokens[i] in ("e", "eh"))
    if tokens[i] in _FELL and i == len(tokens) - 1:
        return True  # "nunca caí desmaiado": the fall is the faint; "não caiu a febre" keeps it
    if tokens[i] in _NAO_DOING_VERBS:
        # "não faço quimioterapia" negates its object, never a list after it ("não faço ideia, dor no peito").
        rest = tokens[i + 1 :]
        return len(rest) <= 2 and not any(t in _CONNECTORS for t in rest)
    return False
