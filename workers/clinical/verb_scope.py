"""Where a negated verb's scope ends: a comma closes it unless the list goes on with "nem"/"ou".

"nem varrer o terreiro, o fôlego some": the "nem" denies the sweeping, and the next clause has its
own subject and verb, so the breathlessness is asserted. A negator over nouns keeps its list ("sem
febre, nem tosse, nem falta de ar"), and so does a list of verbs ("não consigo nem andar, nem falar").
"""

from __future__ import annotations

import re

from .text import words

# An infinitive ("varrer", "andar", "subir", "pôr"), the verb a "nem"/"sem" most often denies.
_INFINITIVE = re.compile(r"[a-z]{2,}(?:ar|er|ir)|por")
# Nouns that end like an infinitive, and the symptom words among them ("nem falta de ar").
_NOT_VERBS = words(
    "ar mar bar par lugar mulher colher olhar jantar azar celular militar familiar particular prazer "
    "poder dever ser acucar altar lar calor suor"
)
# A few finite verbs of ability or permission: "nem consigo", "nem deixa".
_FINITE = words("consigo consegue conseguia consegui conseguiu deixa deixou deixava posso pode podia aguento")
# Clitics and the "de" of "nem de pendurar a roupa" stand between the negator and its verb.
_CLITICS = words("me se te lhe eu de pra para")
_LIST_GOES_ON = words("nem ni ou")


def verb_scope_closed(tokens: list[str]) -> bool:
    """Whether the negator before `tokens` denies a verb and a comma among them ends that denial."""
    i = 0
    while i < len(tokens) and tokens[i] in _CLITICS:
        i += 1
    if i == len(tokens):
        return False
    first = tokens[i]
    if not (first in _FINITE or (first not in _NOT_VERBS and _INFINITIVE.fullmatch(first))):
        return False
    return _comma_ends(tokens, i + 1)


def _comma_ends(tokens: list[str], i: int) -> bool:
    for j in range(i, len(tokens)):
        if tokens[j] == "," and (j + 1 == len(tokens) or tokens[j + 1] not in _LIST_GOES_ON):
            return True
    return False


# After "não" and a verb of being or having, the lexical verb whose object is the symptom: a comma
# after these keeps the list ("não tô sentindo dor, febre nem nada").
_HAVING = words(
    "sentir sentindo ter tendo apresentar apresentando notar notando perceber percebendo ver vendo "
    "acontecer acontecendo aparecer aparecendo passar passando parar parando sair saindo vir vindo"
)
_GERUND = re.compile(r"[a-z]{2,}(?:ando|endo|indo)")
_BETWEEN = words("nem pra para de a me se te lhe mais mesmo")


def auxiliary_scope_closed(tokens: list[str]) -> bool:
    """Whether "não" + a verb of being/having (the first of `tokens` follows it) denies a lexical
    verb ("não tá conhecendo nós", "não deu nem pra terminar o almoço") that a comma then ends,
    unless the list goes on with "nem"/"ou"."""
    i = 0
    while i < len(tokens) and tokens[i] in _BETWEEN:
        i += 1
    if i == len(tokens) or tokens[i] in _HAVING or tokens[i] in _NOT_VERBS:
        return False
    if not (_GERUND.fullmatch(tokens[i]) or _INFINITIVE.fullmatch(tokens[i])):
        return False
    return _comma_ends(tokens, i + 1)
