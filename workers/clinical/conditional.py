"""The bare "if" right before a symptom, for `negation.suppression` (docs/clinical-engine.md,
"Assertion of every mention"; the subject form: "Closing set s3c false alarms (branch s3c-spec)").

- "retornar se febre", "se sangrar de novo": "se" right before the symptom.
- "vortá si tivé febri", "procurar a UPA se der falta de ar": a return instruction, then "se" and
  its verb right before the symptom.
- "se a falta de ar voltar": "se" and a determiner right before it.
- "voltar se o corte sangrar", "se ele desmaiar o que eu faço": "se", a subject, and the symptom
  verb in the future subjunctive (for these verbs, the infinitive's form).

Never after a verb of knowing: "não sei se a falta de ar é da ansiedade" is doubt, and doubt counts.
"""

from __future__ import annotations

import re

_SE_DETERMINER = re.compile(r"(?<!-)\bse\s+(?:o|a|os|as|essa|esse|minha|meu|a\s+minha|o\s+meu)\s*$")
# The last word of each `_SE_DETERMINER` match, as `str.rsplit` gives it (white space as `\s` reads it).
_DETERMINER_LAST = frozenset(("o", "a", "os", "as", "essa", "esse", "minha", "meu"))
_KNOWING_BEFORE_SE = re.compile(
    r"\b(?:sei|sabe|sabemos|saber|certeza|duvida|pergunto|perguntar|ver|entender|entendo|descobrir|lembro)\s+se\b"
)
_BARE_SE = re.compile(r"(?<!-)\bse\s*$")  # "observa-se X" is a passive, not "if"
# "se o corte", "se minha mãe", "se a filha da vizinha", "se ele": the subject of the "if" clause.
_SE_SUBJECT = re.compile(
    r"(?<!-)\b(?:se|caso)\s+(?:eu|ele|ela|eles|elas|voce|a\s+gente|"
    r"(?:(?:o|a|os|as)\s+)?(?:o|a|os|as|meu|minha|meus|minhas|seu|sua|nosso|nossa|esse|essa|este|esta)\s+[a-z]+"
    r"(?:\s+d[oa]\s+[a-z]+|\s+del[ea])?)\s+$"
)
# The symptom said by its verb in the future subjunctive: "sangrar", "desmaiar", "convulsionar";
# never a mention that states what happens then ("se eu tossir sai sangue" tells a symptom).
_SUBJUNCTIVE_VERB = re.compile(
    r"[a-z]{3,}(?:ar|er|ir)(?:em)?\b(?![^,.;!?\n]*\b(?:sai|saiu|fico|fica|da|vem|desce|escorre|doi|me|tenho|sinto)\b)"
)


# A list of nouns after a bare "se": "retornar imediatamente se dor torácica, dispneia ou
# sangramento" (a discharge instruction). No item may hold a subject or a verb: "se eu tossir, dor
# no peito" is no list of this kind. Each word is read one way only (an atomic group: both
# alternatives end where the word does) and the white space around a separator once, so a clause that
# is no such list fails in linear time, not by trying every split of its short words (a 2,000-character
# message took 200 ms here; `bench/clinical_rules.py`).
_SE_LIST = re.compile(
    r"(?<!-)\bse\s+(?!e\b)(?:(?!(?:eu|ele|ela|voce|nao|to|tou|estou|tenho|sinto|fico|ta|tava)\b)"
    # a value is an item's word too: "retornar se febre acima de 38,5 ou falta de ar"
    r"(?>[a-z]{1,3}\b|[a-z]+(?<![a-z]{2}[aei]r)\b|\d+(?:\.\d+)?\b)\s*(?:(?:,|\bou\b|\be\b)\s*)?){1,12}$"
)
_LIST_END = re.compile(r"(?:,|\bou\b|\be\b)\s*$")
# A return instruction in speech, the final r dropped: "vortá si tivé febri", "voltar no posto se
# sentir dor no peito", "procurar a UPA se der falta de ar". The return verb makes "se tive" the
# future subjunctive ("tivé"), not the past.
_IF_VERB = (
    r"(?:tive|tiver|tiverem|senti|sentir|fica|ficar|aparece|aparecer|der|da|vier|vie|comeca|comecar|"
    # the instruction reported, in the past subjunctive: "falou pra voltar se tivesse sangramento"
    r"tivesse|sentisse|ficasse|aparecesse|desse|viesse|comecasse)"
)
_RETURN_IF = re.compile(
    # ... or to warn the team: "pediu pra eu avisar se tivesse dor no peito", "ligar se tiver falta de ar"
    r"\b(?:v[oa][lr]t(?:ar|a|e)|retorn(?:ar|a|e)|procur(?:ar|a|e)|corr(?:er|e|a)|avis(?:ar|a|e)|lig(?:ar|a|ue))\s+"
    r"(?:[a-z]+\s+){0,3}?s[ei]\s+(?:eu\s+|ele\s+|ela\s+|voce\s+)?" + _IF_VERB + r"\s+"
    # the instruction's list goes on past an "ou": "se tivesse febre de novo ou ficasse com falta de
    # ar" (never across a turn to what is so: "..., mas agora tô com falta de ar")
    r"(?:(?:(?!(?:mas|porem|agora|hoje|so|to|tou|estou|tenho|sinto)\b)(?:[a-z]+|\d+)[\s,]+){0,6}?ou\s+"
    r"(?:" + _IF_VERB + r"\s+)?)?"
    r"(?:(?:com|um|uma|de)\s+)?$"
)

# The instruction invoked right after it: "vc perguntou se eu ia avisar se tivesse dor no peito né?
# então, tá doendo agora" (held-spec-who2): a symptom going on now, in words of its own.
_INVOKED_NOW = re.compile(
    r"\b(?:(?:ta|esta|to|estou|tou)\s+(?:me\s+)?(?:doendo|sangrando|apertando|queimando)|"
    r"(?:to|estou|tou)\s+(?:sentindo|tendo)\s+(?:isso|ela|ele|agora))\b"
)

# ... and the other order, the "if" first: "si dé febri é pra vortá no hospital", "se tiver falta de
# ar, volta no posto", "caso sinta dor no peito tem que procurar a UPA", "se um dia eu sentir dor no
# peito eu vou direto pro pronto-socorro?", "se me der falta de ar de novo eu vou pra onde?" (a time
# adverb or a clitic "me" between the "if" and its verb; "vou" as well as "vai" going to a place).
# The return verb must follow in the same sentence; "se der febre eu tomo dipirona" is no
# instruction and stays with the rules above (a bare "se" still governs it).
_IF_VERB_BEFORE = re.compile(
    r"(?<!-)\b(?:s[ei]|caso)\s+(?:(?:um\s+dia|algum\s+dia|de\s+novo|por\s+acaso|de\s+repente)\s+)?"
    r"(?:eu\s+|ele\s+|ela\s+|voce\s+)?(?:me\s+|lhe\s+|te\s+)?(?:tive|tiver|tiverem|tem|senti|sente|sentir|sinta|fica|ficar|"
    r"fique|aparece|aparecer|apareca|der|de|vier|vie|comeca|comecar|comece|tivesse|sentisse|ficasse|aparecesse|"
    r"desse|viesse|comecasse)\s+(?:(?:com|um|uma|de)\s+)?$"
)
_IF_CUES = re.compile(r"\b(?:se|si|caso)\s")  # the gate: no "if", no look at what follows
_THEN_RETURN = re.compile(
    r"^[^.;!?\n]{0,50}?\b(?:v[oa][lr]t(?:ar|a|e)|retorn(?:ar|a|e)|procur(?:ar|a|e)|corr(?:er|e|a)|"
    r"(?:ir|vai|va|vou|corro|levo)\s+(?:direto\s+|logo\s+|correndo\s+)?(?:pr[oa]|para|ao|a|na|no)\s+(?:o\s+|a\s+)?"
    # ... or a choice of places: "eu vou pra Caxias ou pro posto?"
    r"(?:[a-z]+\s+ou\s+(?:pr[oa]|para|ao|a|na|no)\s+(?:o\s+|a\s+)?)?(?:hospital|upa|posto|pronto|emergencia|ps)|"
    r"lig(?:o|ar|a)\s+(?:antes\s+)?(?:pra|para)\s+(?:voces|a\s+clinica|o\s+samu|o\s+192))\b"
)


def bare_condition(prefix: str, mention: str, match_is_verb: bool, after: str = "") -> bool:
    """The clause before the mention (`prefix`) ends in an "if" that governs it (`after`: the text
    right after the mention, for the return instruction told after the "if")."""
    if match_is_verb:
        return False
    if _RETURN_IF.search(prefix[-80:]):
        return not _INVOKED_NOW.search(after)  # "... avisar se tivesse dor no peito né? então, tá doendo"
    tail = prefix[-40:]
    if after and _IF_CUES.search(tail) and _IF_VERB_BEFORE.search(tail) and _THEN_RETURN.match(after):
        return True
    # Both end-anchored patterns can only start on the last two letters before the trailing white
    # space: search from there (the same match; a scan from 0 tries every position of the clause).
    last = max(0, len(prefix.rstrip()) - 2)
    if _BARE_SE.search(prefix, last) and not _KNOWING_BEFORE_SE.search(prefix[-30:]):
        return True
    if _LIST_END.search(prefix, last) and (se_list := _SE_LIST.search(prefix[-120:])) is not None:
        tail = prefix[-120:]
        return not _KNOWING_BEFORE_SE.search(tail, max(0, se_list.start() - 20), se_list.start() + 3)
    for pattern in (_SE_DETERMINER, _SE_SUBJECT):
        if pattern is _SE_SUBJECT and not _SUBJUNCTIVE_VERB.match(mention):
            continue
        # `_SE_DETERMINER` ends in a determiner, then white space: the clause's last word is one. Its
        # search tries every position of the clause, on every mention (`bench/clinical_rules.py`).
        if pattern is _SE_DETERMINER and (prefix.rsplit(None, 1) or [""])[-1] not in _DETERMINER_LAST:
            continue
        se = pattern.search(prefix)
        if se is not None and not _KNOWING_BEFORE_SE.search(prefix, max(0, se.start() - 20), se.end()):
            return True
    return False
