"""Questions and conditions that span a whole sentence or message (docs/clinical-engine.md, "Session 3
false alarms (clin-spec)"): the mention's own clause (`negation`) cannot see them.

- A screening question someone asked, answered no: "o médico perguntou se eu penso em me matar e eu
  disse que não", "perguntaram se mainha já teve derrame, não teve não", "a doutora perguntou se eu
  tinha tido algum desmaio, desmaiar nunca desmaiei". Answered yes, or left unanswered, it counts.
- A question of the writer's own about a symptom they say they do not have: "será que é normal
  sentir falta de ar na gravidez? eu mesma não sinto não", "quanto de febre é perigoso? agora tô
  sem febre nenhuma". A question asked while having it ("tô com falta de ar, é normal?") counts.
- The "if" clause of a question: "se a bebê um dia tiver convulsão por causa de febre, o que eu
  faço?", "se eu comer camarão e a garganta começar a fechar, o que eu faço?". The clause reaches
  over "e <subject> <verb>" up to its comma; one that states something now ("se eu deitar fico sem
  ar") is no hypothesis.
"""

from __future__ import annotations

import re

from .episode_times import PAST_ANCHOR
from .indexed import search_in

# "o médico perguntou se ...", "a enfermeira quis saber se ...": the mention after "se", in the same
# sentence.
_REPORTED_QUESTION = re.compile(
    # ... or the writer asked it: "perguntei se ele já pensou em se matar e ele disse que não"
    r"\b(?:p(?:er|re|ri)gunt(?:ou|aram|ava|avam|ando|ei|amos)|quis\s+saber|quiseram\s+saber|"
    r"queria\s+saber|queriam\s+saber)\b[^.;!?\n]{0,60}?\bse\b[^.;!?\n]*$"
)
# The answer, told after it: "e eu disse que não", ", não teve não", "nunca desmaiei", "respondi que nunca".
_ANSWERED_NO = re.compile(
    r"[^.;!?\n]{0,60}?(?:"
    r"\b(?:disse|falei|falou|respondi|respondeu|neguei|negou|expliquei|explicou)\s+(?:(?:pra|para|a)\s+\w+\s+)?que\s+(?:nao|nunca)\b"
    r"(?!\s+(?:sei|lembro|sabia|tenho\s+certeza|lembrava))|"
    r"(?<![a-z])(?:nao|num|nunca|jamais)\s+(?:\w+\s+)?(?:teve|tive|tem|tenho|tinha|penso|pensei|pensou|pensa|sinto|"
    r"senti|sente|sentiu|desmai\w+|aconteceu|acontece)\b|"
    r"(?<![a-z])(?:nao|nunca)\s*(?:[,.;!]|$))"
)
_ANSWERED_YES = re.compile(
    r"[^.;!?\n]{0,60}?\b(?:que\s+sim|sim|(?:tive|tenho|penso|pensei|sinto|teve|tem)\s+sim)\b"
)


# ... or answered yes for a time long past and no for now, over the question's stop (s7-spec-when):
# "perguntou se eu já pensei em suicídio. Anos atrás, na separação, pensei sim. Hoje não, ..."
_THEN_YES_NOW_NO = re.compile(
    r"[^?!\n]{0,20}?[.?;]?\s*(?P<yes>[^?!\n]{0,80}?\b(?:sim|pensei|tive|teve|senti|sentiu|aconteceu)\b)"
    r"[^?!\n]{0,30}?[.,;]\s*(?:mas\s+)?(?:hoje|agora|atualmente)(?:\s+em\s+dia)?\s*,?\s+(?:nao|mais\s+nao|nunca\s+mais)"
    r"\s*(?:[,.;!]|$)"
)


def reported_question_denied(text: str, sentence_start: int, start: int, end: int) -> bool:
    """The mention sits in a question someone asked, answered no right after it (or yes only for
    a time long past: `_THEN_YES_NOW_NO`)."""
    lo = max(sentence_start, start - 160)
    if text.find("gunt", lo, start) < 0 and text.find("saber", lo, start) < 0:
        return False  # the common case, without a regex
    if not _REPORTED_QUESTION.search(text, lo, start):
        return False
    if _ANSWERED_NO.match(text, end) and not _ANSWERED_YES.match(text, end):
        return True
    then = _THEN_YES_NOW_NO.match(text, end)
    return then is not None and bool(PAST_ANCHOR.search(then.group("yes")))


# The writer denies having it: "eu mesma não sinto não", "agora tô sem febre nenhuma", "não tenho nada disso".
_SELF_DENIAL = re.compile(
    r"\b(?:(?:eu\s+)?(?:mesm[oa]\s+)?(?:nao|nunca|num)\s+(?:sinto|tenho|tive|senti|to\s+com|estou\s+com)"
    r"(?:\s+(?:nao|nada|isso|nada\s+disso))?\s*(?=[,.;!?\n]|$|\s+(?:so|mas|porem|gracas|graca|gloria|e|foi|ai|entao)\b)|"
    r"(?:nao|nunca|num)\s+(?:sinto|tenho|tive|senti)\s+(?:nada\s+disso|isso|(?:[a-z]+\s+){1,3}?nenhum|(?:[a-z]+\s+){1,3}?nenhuma)\b|"
    r"(?:agora|hoje|eu|atualmente|graca\s+a\s+deus)\s+(?:\w+\s+)?(?:to|estou|tou|ta|esta)\s+sem\s+(?P<what>[a-z]+)|"
    # the procedure the question is about is still to come (s10i-057): "é normal sangrar depois da
    # extração? vou fazer semana que vem"
    r"(?:ainda\s+)?(?:vou|vo|vai|vamos)\s+(?:fazer|tirar|operar|extrair|arrancar)\b[^.;!?\n]{0,30}?\b(?:semana\s+que\s+vem|"
    r"mes\s+que\s+vem|amanha|(?:na|no|nessa|nesse)\s+(?:proxim[oa]|segunda|terca|quarta|quinta|sexta|sabado|domingo)|dia\s+\d+))"
)
_HAVING = re.compile(r"\b(?:to|estou|tou|ta|esta|tenho|sinto|senti|tive)\s+(?:com|uma?|muita)\b|\bcomigo\b")
# The question is asked around the mention ("será que é normal sentir falta de ar ...?", "quanto de
# febre é perigoso?", "desmaio na gravidez é perigoso?"): in a long unpunctuated message a "?" far
# away asks about something else.
_QUESTION_OPENER = re.compile(
    r"\b(?:sera\s+que|e\s+normal|e\s+perigoso|e\s+comum|e\s+grave|quanto|quantos|quantas|qual|quais|como|"
    r"por\s+que|pode|existe|tem\s+problema|a\s+partir\s+de)\b"
)
_NEAR = 60
# A dictated message has no "?" (nor any other sentence mark): its question is told by its words,
# "será que", "é verdade que", "capaz que", "pode acontecer de", "é normal" near its start, or "né",
# "procede", "é verdade" at its end.
# ... or what something "pode dar/causar" or "pode fazer <someone> ter/ficar" ("a glicose alta pode subir
# demais e dar convulsão", "o calor pode fazer a gente ficar sem ar"): a possibility, told or asked.
_DICTATED_ASK = re.compile(
    r"^\W*(?:\w+\W+){0,6}?(?:sera\s+que|sera\s+possivel|e\s+verdade\s+que|capaz\s+que|e\s+possivel\s+que|"
    r"pode\s+acontecer|pode\s+ser\s+que|e\s+normal|e\s+comum|e\s+perigoso|e\s+arriscado|"
    r"(?:pode|podem|poderia)\s+(?:\w+\s+){0,4}?(?:dar|causar|provocar)|"
    r"(?:pode|podem|poderia)\s+fazer\s+(?:\w+\s+){1,2}?(?:ter|ficar|sentir|desmaiar|sangrar|convulsionar))\b|"
    r"\b(?:ne|procede|e\s+verdade(?:\s+isso)?|e\s+normal)\W*$"
)
DICTATED_ASK = _DICTATED_ASK  # `voice.spoken_stops` ends such a sentence with "?"
# ... or before a closing clause ("... mais fácil né, obrigada", "né, queria saber do exame")
_ASK_THEN_CLOSE = re.compile(
    r"\b(?:ne|procede|e\s+verdade)\s*,\s*(?:(?:muito\s+)?obrigad[oa]|brigad[oa]|valeu|grat[oa]|to\s+aqui|tou\s+aqui|"
    r"estou\s+aqui|queria|gostaria|so\s+isso|era\s+so\s+isso|aguardo)\b"
)


def asks(text: str, sentence_start: int, sentence_end: int) -> bool:
    """The sentence is a question: it ends in "?", or the message is dictated without any sentence
    mark and its words ask."""
    if text[sentence_end : sentence_end + 1] == "?":
        return True
    if any(c in text for c in "?.!;\n"):
        return False
    said = text[sentence_start:sentence_end]
    if _DICTATED_ASK.search(said):
        return True
    return ("ne," in said or "ne ," in said or "de," in said) and _ASK_THEN_CLOSE.search(said) is not None


# A reason told after the question (s6-recall): "queria saber se esse remédio pode dar alergia, porque
# desde que tomei a língua inchou" asks about the drug and tells the swelling. A mention after the
# connector is no longer asked about when a verb of its clause tells something had or done; "porque vou
# começar amanhã" tells nothing, and a symptom named before the connector stays asked.
_BECAUSE = re.compile(r"\b(?:porque|pois|ja\s+que|visto\s+que|uma\s+vez\s+que)\b")
_TOLD_AFTER_BECAUSE = re.compile(
    r"\b(?:to|estou|tou|ta|esta|tava|estava|tenho|tive|teve|tem|sinto|sente|senti|comi|bebi|engoli|desde\s+que|"
    r"[a-z]{3,}(?:ei|ou|aram|eram|iram))\b"
)


def told_because(text: str, asked_end: int, start: int) -> bool:
    """Between a question that ends at `asked_end` and the mention at `start`, a "porque/pois"
    clause tells what the writer had or did."""
    because = None
    for because in _BECAUSE.finditer(text, asked_end, start):  # noqa: B007 - the last one opens the clause
        pass
    return because is not None and _TOLD_AFTER_BECAUSE.search(text, because.end(), start) is not None


def asks_about(text: str, sentence_start: int, start: int, sentence_end: int) -> bool:
    """The sentence asks (`asks`), and no "pois/porque" clause telling what the writer had or did
    stands between a dictated question ("queria saber se amendoim pode causar alergia") and the
    mention at `start`."""
    if not asks(text, sentence_start, sentence_end):
        return False
    asked = _DICTATED_ASK.search(text[sentence_start:start])  # its "^" holds at the sentence's start
    return asked is None or not told_because(text, sentence_start + asked.end(), start)


# Something heard or read about the symptom ("vi na TV que falta de ar pode ser coração fraco"),
# then denied by a pronoun that points back at it: "..., mas eu não tenho nada disso".
_HEARD_THAT = re.compile(
    r"\b(?:vi|li|ouvi|assisti|dizem|falam|disseram|falaram|diz|fala)\b[^.;!?\n]{0,40}?\bque\s"
)
_DENIED_BACK = re.compile(r"\b(?:nao|nunca|num)\s+(?:sinto|tenho|tive|senti)\s+nada\s+disso\b")


def _heard_then_denied(text: str, sentence_start: int, start: int, end: int) -> bool:
    if text.find("nada disso", end, end + 120) < 0:
        return False  # the common case, without a regex
    return bool(_HEARD_THAT.search(text, max(sentence_start, start - 60), start)) and bool(
        _DENIED_BACK.search(text, end, end + 120)
    )


def asked_not_had(text: str, sentence_start: int, start: int, end: int, sentence_end: int) -> bool:
    """A question about the symptom (its sentence ends in "?", close after it, with a question
    opening close before it) from a writer who denies having it in the next 200 characters; or
    something heard about it, denied with "nada disso" right after."""
    if _heard_then_denied(text, sentence_start, start, end) and not _HAVING.search(
        text, sentence_start, start
    ):
        return True
    if (
        not asks(text, sentence_start, sentence_end)
        or sentence_end - end > _NEAR
        or any(c.isdigit() for c in text[start:end])  # a value told is a reading, not a question
        or _HAVING.search(text, sentence_start, start)
        or not _QUESTION_OPENER.search(text, max(sentence_start, start - _NEAR), sentence_end)
    ):
        return False
    word = text[start:end].split()[0][:4] if text[start:end].split() else ""
    for m in _SELF_DENIAL.finditer(text, sentence_start, sentence_end + 200):
        what = m.group("what")
        if what is None or what == "nada" or (word and what.startswith(word)):
            return True
    return False


# "se <subject> <adverb> <future subjunctive> ...": the "if" clause, up to its comma or question mark.
# The mechanism (spec8), not a wording: whoever the subject ("eu", "meu pai, que fuma,"), wherever the
# adverb ("se um dia eu", "se eu um dia"), whatever the subjunctive's spelling: future ("tiver",
# "sentir", "der" and its accented "dê"), past ("fosse", "tivesse"), or spoken with the final r
# dropped, which folds onto the past ("si eu sinti" -> "senti", "tivé" -> "tive": `_SPOKEN_PAST`).
# "imagina se" and "já pensou se" make any verb an imagined one ("imagina se eu desmaio lá").
_IF_ADVERB = (
    r"(?:(?:um|algum)\s+dia|por\s+acaso|de\s+repente|alguma\s+vez|de\s+novo|novamente|ainda|tambem|"
    r"(?:de|a|durante\s+a)\s+noite|de\s+madrugada|la|aqui|em\s+casa|sozinh[oa])\s+"
)
_IF_SUBJECT = (
    r"(?:eu|ele|ela|voce|a\s+gente|(?:(?:o|a)\s+)?(?:o|a|os|as|meu|minha|seu|sua|nosso|nossa)\s+[a-z]+"
    # a relative clause told about the subject: "se meu pai, que tem 60 e fuma, tiver ..."
    r"(?:\s*,\s*que\s+[^,.;!?\n]{1,50},)?)\s+"
)
_PROTASIS = re.compile(
    # spoken "si" for "se", only before a subject pronoun: "si eu tiver sangramento posso ir?"
    r"\b(?:(?P<imagined>(?:imagina|imagine|imaginar|ja\s+pensou|pensa)\s+se\s+)|"
    r"si\s+(?=(?:(?:um|algum)\s+dia\s+)?(?:eu|ele|ela|voce|a\s+gente)\s)|se\s+|caso\s+)"
    r"(?:" + _IF_ADVERB + r")?(?:" + _IF_SUBJECT + r")?(?:" + _IF_ADVERB + r")?(?:(?:me|lhe|te)\s+)?"
    r"(?:(?P<verb>tiver|tiverem|estiver|estiverem|for|forem|der|derem|de|vier|vierem|houver|fizer|puder|"
    r"[a-z]{2,}(?:ar|er|ir)(?:em)?|[a-z]{2,}ss(?:e|em))|(?P<spoken>senti|tive)|(?(imagined)(?P<any>[a-z]{3,})))\b"
    r"[^,.;!?\n]*"
)
# The dropped-r spelling reads as a past ("se eu senti dor no peito ontem, tenho que ir?" tells one):
# only a clause with no time of its own is a condition.
_SPOKEN_PAST_TOLD = re.compile(r"\b(?:ontem|anteontem|hoje|agora|ja|semana\s+passada|mes\s+passado|faz|ha)\b")
# A plan the clause leads to, asked or not: "... eu vô aí na hora", "tomo o isordil e espero?"
_PLAN = re.compile(
    r"\b(?:(?:eu\s+|a\s+gente\s+)?(?:vou|vo|corro|ligo|chamo|procuro|tomo|espero|levo|aviso|volto|venho|passo)|"
    r"e\s+pra|e\s+melhor|pode\s+deixar|tem\s+que|teria|pra\s+(?:qual|quem|onde))\b"
)
# Where an "if" clause may open: the sentence's start, a comma, or a connective ("e se", "mas se").
_OPENERS = frozenset(("e", "mas", "ou", "que", "entao", "tipo", "agora"))
# A statement of now inside the clause ("se eu deitar fico sem ar"): no hypothesis.
_STATED_NOW = re.compile(
    r"\b(?:to|tou|estou|ta|esta|tenho|tem|sinto|sente|fico|fica|doi|deu|tive|teve|senti|fiquei|ficou|piora|"
    r"aumenta|vem|volta|aparece|comeca|sobe|desce|dispara|acelera|aperta|incha|fecha|sai|saiu|vai|(?:me|lhe|te)\s+da|doi|doem|"
    r"escurece|roda|gira|treme|falta(?!\s+de\s+ar)|[a-z]{3,}(?:ei|ou|iu))\b"
)
# The mention is what a subjunctive of the clause governs: at most five words after the last one
# ("tiver convulsão por causa de febre", "e a garganta começar a fechar").
_SUBJUNCTIVE = re.compile(
    r"\b(?:tiver|tiverem|estiver|estiverem|for|forem|der|derem|vier|vierem|houver|fizer|puder|"
    r"[a-z]{2,}(?:ar|er|ir)(?:em)?|[a-z]{2,}ss(?:e|em)|senti|tive)\b"
)
_WORD = re.compile(r"[a-z0-9]+")
_TIME_ADVERB = re.compile(r"\b(?:de\s+novo|novamente|outra\s+vez|(?:um|algum)\s+dia|de\s+repente)\b")
# What the question asks after the clause: "o que eu faço?", "devo ir?", "levo no PS?".
_ADVICE_AFTER = re.compile(
    r"\s*,?\s*(?:o\s+que|que|como|devo|preciso|tenho\s+que|vou|levo|corro|chamo|ligo|posso|e\s+normal|"
    r"(?:eu\s+|a\s+gente\s+)?(?:faco|vou|levo|devo|corro|chamo|ligo|dou))\b"
)


def protasis_spans(text: str, sentence_start: int, sentence_end: int) -> list[tuple[int, int]]:
    """The "if" clauses of a question or of a plan in the sentence that state nothing of now (once
    per sentence)."""
    if (
        text.find("se ", sentence_start, sentence_end) < 0
        and text.find("caso ", sentence_start, sentence_end) < 0
        and text.find("si ", sentence_start, sentence_end) < 0
    ):
        return []  # the common case, without a regex
    asked = asks(text, sentence_start, sentence_end)
    out = []
    for m in _PROTASIS.finditer(text, sentence_start, sentence_end):
        before = text[max(sentence_start, m.start() - 12) : m.start()].rstrip()
        opens = (
            m.group("imagined") is not None
            or not text[sentence_start : m.start()].strip()
            or before[-1:] in (",", ".", ";", "!", "?", "\n")
            or (bool(before) and before.rsplit(None, 1)[-1] in _OPENERS)
        )
        # What the clause says after its verb: a relative clause about the subject ("que tem 60")
        # states nothing of the condition, and the verb itself is the condition's.
        verb_end = max(m.end("verb"), m.end("spoken"), m.end("any"), m.start())
        if m.group("spoken") and _SPOKEN_PAST_TOLD.search(text, m.start(), m.end()):
            continue
        if (
            opens
            and not _STATED_NOW.search(text, verb_end, m.end())
            and (asked or _ADVICE_AFTER.match(text, m.end()) or _PLAN.search(text, verb_end, sentence_end))
        ):
            out.append((m.start(), m.end()))
    return out


def conditional_question(text: str, spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """The mention lies in the "if" clause of a question ("se ..., o que eu faço?"), governed by one
    of its subjunctives."""
    for s0, e0 in spans:
        if s0 <= start and end <= e0:
            if _SUBJUNCTIVE.fullmatch(text, start, end):
                return True  # the mention is the clause's own verb: "e sangrar muito", "se eu desmaio"
            verbs = [v.end() for v in _SUBJUNCTIVE.finditer(text, s0, start)]
            # an adverb of time is no word of the gap: "tiver convulsão de novo por causa de febre"
            if not verbs or len(_WORD.findall(_TIME_ADVERB.sub(" ", text[verbs[-1] : start]))) <= 5:
                return True
    return False


# "Achei que ia desmaiar, mas não cheguei a apagar": the feared event, denied in the same sentence.
_FEARED = re.compile(
    r"\b(?:achei|pensei|senti|parecia|jurava|jurei)\s+que\s+(?:eu\s+|ele\s+|ela\s+)?(?:ia|iria|fosse|ja\s+ia)\s+"
    r"(?:[a-z]+\s+)?$"
)
_DENIED_EVENT = re.compile(
    r"\b(?:nao|nem|num)\s+(?:cheguei|chegou|chegamos|chegaram)\s+a\b|"
    r"\bmas\s+(?:nao|num)\s+(?:desmaiei|desmaiou|apaguei|apagou|cai|caiu|aconteceu)\b"
)


def averted(text: str, start: int, sentence_start: int, sentence_end: int) -> bool:
    """A feared event the writer says did not happen."""
    return bool(
        search_in(_FEARED, text, max(sentence_start, start - 40), start)  # tried where its words start
        and _DENIED_EVENT.search(text, start, sentence_end)
    )


# A feared event warded off: "Deus me livre ter um derrame", "tomara que eu nunca tenha uma
# convulsão", "nem quero pensar em ter um AVC". Only before a verb of getting it: "Deus me livre,
# que dor no peito" and "tomara que não seja derrame" speak of what is happening.
_WARDED_OFF = re.compile(
    r"\b(?:deus\s+(?:me|nos|o|a|te)\s+(?:livre|defenda|guarde)|tomara\s+que\s+(?:eu\s+|ele\s+|ela\s+)?(?:nao|nunca)|"
    r"nem\s+(?:quero|gosto\s+de)\s+pensar\s+(?:em|n[oa]))(?:\s+(?:de|que))?\s+(?:eu\s+|ele\s+|ela\s+)?(?:um\s+dia\s+)?"
    r"(?:ter|tenha|tiver|ficar|fique|pegar|pegue|passar\s+por|sofrer|sofra|acontecer|aconteca)\b[^,.;!?\n]{0,40}$"
)


def warded_off(text: str, sentence_start: int, start: int) -> bool:
    """The mention is what a "Deus me livre" wards off, in the same clause."""
    lo = max(sentence_start, start - 80)
    if all(text.find(cue, lo, start) < 0 for cue in ("livre", "tomara", "pensar")):
        return False  # the common case, without a regex
    return bool(_WARDED_OFF.search(text, lo, start))


# A question about what may happen, not what is happening: "pode acontecer de dar convulsão com
# esse remédio?", "quem toma marevan pode sangrar mais fácil né?", "será que desmaio se eu ficar
# sem almoçar?". The mention is what "pode"/"será que" governs, right before it, and the sentence
# ends in "?". "Pode ser infarto?" asks about what is happening: "ser" is no verb of this list.
_MAY_HAPPEN = re.compile(
    r"\b(?:pode|podem|poderia|poderiam|costuma|costumam)\s+(?:(?:acontecer|ocorrer)\s+de\s+)?"
    # ... or what it may make someone do: "pode fazer eu desmaiar?", "pode me fazer passar mal e desmaiar?"
    r"(?:(?:me\s+|te\s+|o\s+|a\s+|nos\s+)?fazer\s+(?:(?:eu|ele|ela|a\s+gente|voce)\s+)?)?"
    # ... or a first verb before the one that governs it: "pode subir pra cabeça e dar um AVC?"
    r"(?:[a-z]+(?:ar|er|ir)\s+(?:[a-z]+\s+){0,3}?e\s+(?=(?:dar|causar|provocar|trazer|deixar)\s))?"
    # ... or what it may become: "o tremor pode virar convulsão um dia?", "pode evoluir pra um AVC?"
    r"(?:(?:dar|ter|causar|provocar|trazer|deixar|virar|ficar(?:\s+com)?|evoluir\s+(?:pr[oa]|para)|"
    r"se\s+(?:transformar\s+em|tornar)|"
    r"acabar\s+(?:em|virando|dando))\s+(?:um\s+|uma\s+|algum\s+|alguma\s+)?)?$|"
    # ... or what a thing causes, told in the present: "chá de arruda dá convulsão, é verdade?" (never
    # to the writer: "subir escada me dá falta de ar, é normal?" tells a symptom)
    r"(?<!\bme\s)(?<!\bte\s)(?<!\bnos\s)(?<!\bsempre\s)(?<!\bja\s)\b(?:da|causa|provoca)\s+(?:um\s+|uma\s+)?$"
)
_WONDER_IF = re.compile(r"\bsera\s+que\s+(?:eu\s+|ele\s+|ela\s+|a\s+gente\s+)?$")
# The southern "capaz que" and its kin, with the subjunctive: "capaz que eu tenha convulsão com esse
# remédio?", "é possível que ele fique sem ar na altitude?", "é arriscado de eu desmaiar?". "Capaz
# que eu tenha tido um AVC ontem?" asks about what happened: "tido" is no verb of this list.
_POSSIBLE = re.compile(
    r"\b(?:capaz|possivel|arriscado|perigoso)\s+(?:que|de)\s+(?:eu\s+|ele\s+|ela\s+|a\s+gente\s+|voce\s+)?"
    r"(?:(?:tenha|ter|de|der|dar|fique|ficar|sinta|sentir|venha|vir|apareca|aparecer)\s+"
    r"(?:com\s+)?(?:um\s+|uma\s+|algum\s+|alguma\s+)?)?$"
)
_POSSIBLE_CUES = ("capaz", "possivel", "arriscado", "perigoso")


# A question told without its "?": "minha mulher perguntou se o tremor pode virar convulsão", "quero saber
# se isso pode dar derrame".
_ASKED_IF = re.compile(
    r"\b(?:pergunt\w+|(?:quer|quis|queria|querem|queriam|quero|gostaria\s+de)\s+saber)\s+(?:\w+\s+){0,3}?se\b"
)


def may_happen_question(text: str, sentence_start: int, start: int, end: int, sentence_end: int) -> bool:
    """The mention is what a question of possibility asks about, from a writer who does not say
    they have it in that sentence ("tô com falta de ar, pode dar infarto?" counts)."""
    asked = asks(text, sentence_start, sentence_end) or (
        ("saber" in text[sentence_start:start] or "pergunt" in text[sentence_start:start])
        and bool(_ASKED_IF.search(text, max(sentence_start, start - 120), start))
    )
    if not asked or search_in(_HAVING, text, sentence_start, start):
        return False
    lo = max(sentence_start, start - 40)
    if search_in(_MAY_HAPPEN, text, lo, start) or (
        any(w in text[lo:start] for w in _POSSIBLE_CUES) and _POSSIBLE.search(text, lo, start)
    ):
        return True
    # "será que desmaio se ...": a condition after it makes it a wonder, not a report
    return bool(_WONDER_IF.search(text, lo, start) and re.match(r"\s+se\b", text[end : end + 4]))
