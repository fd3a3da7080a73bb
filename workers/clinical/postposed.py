"""What the writer says right after a mention that takes it back (docs/clinical-engine.md, "Fourth
session", "Opening sets' false alarms (branch clin4-spec)"), for `negation.suppression`:

- the complaint that did not come back: "a febre não voltou", "a febri num vortô mais", "a tontura
  não retornou mais desde sábado", also after a clause that dates it ("a ideia de me matar que eu
  tinha ano passado não voltou") (never "não voltou a baixar", "não voltou ao normal": what did not
  come back is the normal state);
- a denial put last: "pensar em me matar nunca", "febre eu ter nunca", "me matar nunca passou pela
  cabeça", "febre nenhuma tá comendo bem";
- the complaint named first and denied after it, up to a time since when ("dor no peito não tenho mais
  desde o cateterismo") or, in speech without commas, a word that closes the clause ("febre não teve
  não viu", "não teve não" closes itself); the complaint told back after it ("não tinha mais, mas hoje
  voltou") is no denial (`came_back`);
- a rebuke of faith, with nobody having it: "desmaio tá repreendido", "AVC tá amarrado em nome de
  Jesus". A claim before it ("tô pensando em me matar, tá repreendido") or one that it goes on after
  it ("eu repreendo mas volta") keeps the finding.
"""

from __future__ import annotations

import re

# "não voltou", "não voltou mais", "nunca mais voltou", "não retornou": closed by the clause's end,
# "e", "desde", "depois", "graças" (never by "a"/"ao": "não voltou a baixar", "não voltou ao normal").
_NOT_BACK = re.compile(
    # ... after the clause that dates it: "aquela ideia de me matar que eu tinha ano passado não voltou"
    r"(?:\s+que\s+(?:(?:eu|ele|ela|a\s+gente)\s+)?(?:tinha|sentia|tive|teve|senti|sentiu|tava|estava|vivia)\b"
    r"[^,.;!?\n]{0,40}?)?"
    r"\s*(?:(?:nao|num|nunca)\s+(?:mais\s+)?(?:voltou|volto|vorto|vortou|voltaram|retornou|retornaram|reapareceu|reapareceram|"
    r"repetiu|repetiram|(?:apareceu|veio|deu)\s+mais)|nunca\s+mais\s+(?:voltou|apareceu|veio|deu))"
    r"(?:\s+mais)?(?:\s+(?:nao|nada))?"
    r"(?=\s*(?:[.;,!)\n]|$)|\s+(?:e|nem|desde|depois|gracas|graca|gloria|tambem|mais)\b|"
    # spoken, run on into a new subject: "não voltou o remédio tá ajudando", "não voltou eu tô bem"
    r"\s+(?:(?:o|os)\s+[a-z]+|eu|ele|ela|hoje|agora|so|mas|porem)\s+(?:ta|to|tou|esta|estou|tao|sao|e|foi|"
    r"[a-z]{3,}(?:ou|ei|iu|ando|endo|indo))\b)"
)
# "me matar nunca", "febre eu ter nunca": the last word of the clause.
_NEVER_LAST = re.compile(
    r"\s*(?:(?:eu|ele|ela)\s+)?(?:(?:ter|sentir|fazer|tive|tenho|teve|senti|sinto)\s+)?nunca"
    # "desmaiei nunca na vida", "convulsão tive nunca na minha vida": the clause still ends after it
    r"(?:\s+(?:na|em)\s+(?:minha\s+|toda\s+a\s+|toda\s+minha\s+)?vida)?(?=\s*(?:[.;,!)\n]|$)|"
    # spoken, run on: "tirar minha vida nunca tá amarrado", "me matar nunca graças a Deus"
    r"\s+(?:(?:ta|esta|isso|e)\s+(?:repreendid|amarrad)|(?:so|mas|porem|gracas|graca|gloria|deus|quero|queria|preciso)\b))|"
    # "me matar nunca passou pela cabeça", "isso nem passa pela minha cabeça"
    r"\s*(?:isso\s+)?(?:nunca|nem|jamais)\s+(?:me\s+)?(?:passou|passa|passaria|passava)\s+pela\s+(?:minha\s+)?cabeca"
)
_REBUKE = re.compile(
    r"[\s,]*(?:(?:isso|isto|esse\s+\w+|essa\s+\w+)\s+)?(?:(?:ta|esta|fica|e)\s+(?:repreendid[oa]|amarrad[oa])|"
    r"(?:eu\s+)?(?:repreendo|amarro)\b|sai\s+pra\s+la|em\s+nome\s+de\s+jesus)"
)
# It goes on anyway: "eu repreendo mas volta", "tá amarrado mas não sai da cabeça".
_GOES_ON = re.compile(
    r"\b(?:mas|porem|so\s+que)\b[^.;!?\n]{0,40}?\b(?:volta|voltou|vem|continua|nao\s+sai|nao\s+passa|ainda|"
    r"insiste|persiste|todo\s+dia|toda\s+hora)\b"
)
# "nenhum(a)" put last, run on into the next clause as voice writes: "febre nenhuma tá comendo bem"
# (never "febre, nenhum remédio baixa", where "nenhum" opens the next noun).
_NONE_RUN_ON = re.compile(
    r"\s+(?:nenhum|nenhuma)\s+(?=(?:ta|to|tou|esta|estou|e|mas|so|porem|nem|tambem|ainda|graca|ele|ela|eu|agora|"
    r"hoje|ja|nao|comendo|brincando|dormindo|mamando)\b)"
)
# A claim of having it in the clause before the mention: "tô pensando em", "penso em", "tenho".
_CLAIM_BEFORE = re.compile(
    r"\b(?:to|tou|estou|ando|tenho|sinto|senti|tive|penso|pensei|pensando|vontade\s+de|quero|queria|"
    r"[a-z]{3,}(?:ei|ando|endo|indo))\b"
)


# How long the denial has held, told after it: "não sinto faz tempo", "não tive há uns dez dias", "nenhuma
# essa semana", "não tenho mais faz meses" (the same time phrase as "desde ...").
_FOR_A_WHILE = (
    r"\s+(?:(?:ja\s+)?(?:faz|fazem|ha)\s+(?:(?:uns|umas|mais\s+de|quase|muito|bastante|um|uma|[a-z]+|\d+)\s+){0,2}"
    r"(?:tempo|tempao|dias?|semanas?|mes|meses|anos?)|(?:(?:n?essa|n?esta)\s+semana|n?esse\s+mes|n?este\s+mes|"
    r"n?esse\s+ano|ultimamente|(?:n?os|n?as|n?esses|n?essas|n?estes|n?estas)\s+ultim[oa]s\s+(?:\w+\s+)?"
    r"(?:dias|semanas|meses|anos)))"
)

# "falta de ar não tenho mais desde a cirurgia", "febre não teve não viu medi de noite": the denial put
# last, then a time since when, or (spoken, unpunctuated) a word that closes the clause.
_DENIED_SINCE = re.compile(
    r"\s*(?:(?:eu|ele|ela)\s+)?(?:nao|num)\s+(?:tive|tenho|teve|tem|tinha|senti|sinto|sente|sentiu|sentia|houve)"
    r"(?:\s+nao\b|(?:\s+mais)?(?:\s+(?:desde|depois\s+d[aeo]s?|apos)\b[^.;,!?\n]{0,40}?|"
    + _FOR_A_WHILE
    + r")?"
    r"(?=\s*(?:[.;,!)\n]|$)|\s+(?:viu|ne|sabe|entendeu|gracas|graca|mas|porem|so)\b))|"
    # "febre nenhuma tá comendo bem": "nenhuma" put last, then a new clause (never "nenhum remédio")
    r"\s*(?:nenhum|nenhuma)(?:\s+nao)?(?=" + _FOR_A_WHILE + r"(?:\s*[.;,!)\n]|$|\s+[a-z])|"
    r"\s+(?:viu|ne|sabe|entendeu|gracas|graca|mas|porem|so|e|nem|ta|to|tou|tava|"
    r"esta|estou|ele|ela|eu|hoje|agora|ja|desde|graca)\b)"
)
# The verb of having denied by a "nenhum(a)" put after it (s7-spec-when): "falta de ar num tô tendo
# nenhuma", "febre não tive nenhuma vez", "sangramento não tive nenhum depois da cirurgia", "falta de ar
# senti nenhuma". "Nenhuma vez" is a whole adverb, and a noun of trouble is denied with it ("nenhuma
# dificuldade"); a bare "nenhum(a)" must end its clause (a pause, a word that opens the next one, a
# time since when), never run into another noun it determines: "falta de ar não tive nenhuma melhora"
# tells the complaint goes on.
_NONE_AFTER_VERB = re.compile(
    r"\s*(?:(?:eu|ele|ela)\s+)?(?:(?:nao|num)\s+)?(?:(?:to|tou|estou|ta|esta|tava|estava)\s+(?:tendo|sentindo)|"
    r"tive|tenho|teve|tem|tinha|senti|sinto|sente|sentiu|sentia|apresentou|apresentei|houve)\s+(?:nenhum|nenhuma)"
    # ... or a noun of trouble, which the "nenhum" denies with it ("não tô tendo nenhuma dificuldade")
    r"(?:\s+(?:vez|vezinha|uma\s+vez|dificuldade|problema|sintoma|crise|episodio|sinal|queixa|incomodo)\b|"
    r"(?:\s+nao)?(?="
    + _FOR_A_WHILE
    + r"|\s*(?:[.;,!?)\n]|$)|\s+(?:viu|ne|sabe|entendeu|gracas|graca|mas|porem|so|e|nem|ta|to|tou|tava|esta|"
    r"estou|ele|ela|eu|hoje|agora|ja|desde|depois|apos|durante|nao|mesmo)\b))"
)
# The complaint told back right after its denial: "não tinha mais, mas hoje voltou forte", "não
# tinha, mas agora tenho" (a verb of having ends its clause: "febre não tive, mas hoje tive tosse" has
# an object of its own).
_CAME_BACK = re.compile(
    r"^[^.;!?\n]{0,60}?(?:[,.;]\s*|\s+(?:mas|porem|so\s+que|e|ai)\s+)(?:(?:mas|porem|so\s+que|e|ai)\s+)?"
    r"(?:(?:hoje|agora|ontem|de\s+novo|esta\s+semana|essa\s+semana)\s+)?(?:"
    r"(?:voltou|voltaram|recomecou|(?:veio|apareceu|deu)\s+(?:de\s+novo|outra\s+vez|novamente))\b|"
    r"(?:tenho|sinto|tive|senti|(?:to|tou|estou)\s+com|comecou|comecei|apareceu|veio)"
    r"(?=\s*(?:[.;,!?\n]|$)|\s+(?:forte|fortes|muito|muita|demais|bastante|sim|de\s+novo|outra\s+vez|agora|hoje)\b))"
)
_BACK_WORDS = ("volt", "recomec", "novo", "vez", "tenho", "sinto", "tive", "senti", "com", "comec", "aparec")


def came_back(after: str) -> bool:
    """The text after a denied mention tells it back ("..., mas hoje voltou forte")."""
    if all(w not in after for w in _BACK_WORDS):
        return False  # the common case, without a regex
    return bool(_CAME_BACK.match(after))


_LISTED = (
    r"(?:dor|dores|febre|desmaio|desmaios|falta|tontura|tosse|sangue|sangramento|convulsao|vomito|enjoo|"
    r"diarreia|inchaco|cansaco|fraqueza|calafrio|manchas?)"
)
# Where a denial put after its complaint ends: a pause, or, dictated without one, the word that opens
# what is said next ("febre não tem só quero um chá", "desmaiou não graças a Deus", "dor no peito não
# costas sim"); never "é" or a verb, which the "não" governs ("falta de ar não tô aguentando").
# dictated lists of denials: "febre não falta de ar não desmaio também não" (the next complaint,
# itself denied and ended; never "a febre não baixa não", where the "não" governs a verb, nor "falta
# de ar também não consigo falar")
_NEXT_DENIED = (
    r"\s+(?:e\s+)?" + _LISTED + r"\b(?:\s+[a-z]+){0,3}?\s+(?:tambem\s+)?nao"
    r"(?=\s*(?:[.;,!)\n]|$)|\s+(?:so|mas|porem|apenas|somente|nem|e|tambem|" + _LISTED + r")\b)"
)
# ... or a bracket opened on the reading behind it: "febre não (36,8 no termômetro)" (held-spec-who2)
_ENDS_BEFORE_LIST = (
    r"(?=\s*(?:[.;,!()\n]|$)|\s+(?:so|mas|porem|apenas|somente|nem|ai|entao|gracas|graca|gloria|deus|tambem|"
    r"eu|ele|ela|e\s+so)\b|\s+[a-z]{3,}\s+sim\b|"
)
_DENIAL_ENDS = _ENDS_BEFORE_LIST + _NEXT_DENIED + r")"
# ... a bare "não" ended by a word of how the patient stayed ("desmaiou não lúcida conversando") or
# by "porque" ("febre não porque tomei dipirona"), never by "só" ("a falta de ar não só piora" is "not
# only") nor by a subject ("febre não ele tá ...": which clause the "não" closes is unsure); the list's
# own ends stay whole ("desmaio também não só uma tosse")
_BARE_DENIAL_ENDS = (
    _ENDS_BEFORE_LIST.replace(
        "so|mas|porem|apenas|somente|",
        "mas|porem|porque|por\\s+que|lucid[oa]|consciente|acordad[oa]|conversando|",
    ).replace("|eu|ele|ela", "")
    + _NEXT_DENIED
    + r")"
)
# "febre tive não tosse um pouco": a "não" after a verb of having closes its clause, whatever noun
# follows; before a verb it may govern ("dor no peito tenho não aguento mais" alerts).
_HAVE_NOT_ENDS = (
    r"(?!\s+(?:sei|sabe|consigo|consegue|aguento|aguenta|para|passa|passou|baixa|baixou|sai|saiu|melhora|"
    r"melhorou|deixa|tem|tenho|tive|teve|e|ta|to|tava|estou|esta|posso|pode|quero|vou)\b)"
)
# The denial right after the mention (`negation.suppression`): "febre não", "febre não tive", "nega".
POST_NEGATION = re.compile(
    r"^\s*(?:[?:=\-]\s*)?"
    # the "?" read aloud as "aí" or "e" ("dor no peito aí nenhuma", "febre e não"): before "nenhuma", a
    # "não" that ends the text, or after "aí" a "não" its clause ends ("dor peito aí não aí costas");
    # never before "nada" ("tá 9 de 10 e nada": nothing helps); and a list's "também não"
    r"(?:(?:ai|e)\s+(?=(?:nenhum|nenhuma)\b|nao\s*$)|ai\s+(?=nao\b)|tambem\s+(?=nao\b|(?:eu|ele|ela)\s+nao\b))?"
    r"(?:\(\s*-\s*\)|"
    # "desmaio também não só uma tosse": after "também" the "não" closes the list item, "só" included
    r"(?<=tambem\s)nao\b(?:\s+(?:tive|tenho|teve|tem|tinha|senti|sinto|sentiu))?(?:\s+e(?=\s+(?:so|apenas)\b))?"
    + _DENIAL_ENDS
    + r"|nao\b"
    + _BARE_DENIAL_ENDS
    + r"|(?:nenhum|nenhuma|nada|jamais)\b"
    + _DENIAL_ENDS
    + r"|"
    # spoken, run on into what happened instead: "desmaiei nada não só fiquei tonta", "sangrou nada mas"
    r"nada(?:\s+nao)?(?=\s*(?:[.;,!)\n]|$|(?:so|mas|porem|apenas|somente|foi\s+so)\b))|nao\s+(?=so\s+(?:fiquei|senti|tava|deu|bateu)\b)|"
    # "febre não tive", "falta de ar não tenho mais"
    r"(?:(?:eu|ele|ela)\s+)?nao\s+(?:tive|tenho|teve|tem|tinha|estou|esta|senti|sinto|sente|sentiu|houve|ha|apresentou|"
    r"apresenta)"
    r"(?:\s+mais|\s+nao)?" + _DENIAL_ENDS + r"|"
    # Libras word order puts the negation last, after an infinitive: "febre eu ter não", "dor sentir não"
    # and the North-East puts it after the finite verb: "febre tive não", "desmaio senti não"
    r"(?:(?:eu|ele|ela)\s+)?(?:ter|sentir|tenho|tive|teve|tem|tinha|sinto|senti|sente|sentiu)\s+nao\b"
    + _HAVE_NOT_ENDS
    + r"|(?:(?:eu|ele|ela)\s+)?(?:estar|to|tava|estou|esta)"
    r"\s+nao" + _DENIAL_ENDS + r"|neg\b|nega\b|negad[oa]s?\b|"
    r"ausentes?\b|descartad[oa]s?\b|afastad[oa]s?\b|excluid[oa]s?\b|inexistentes?\b|negativ[oa]s?\b)"
)


# The verb named, then denied in its own finite form: "desmaiar não desmaiei", "cair eu não caí".
_ECHO_DENIAL = re.compile(r"\s*(?:(?:eu|ele|ela)\s+)?(?:nao|num|nem)\s+([a-z]+)")


def echo_denied(infinitive: str, after: str) -> bool:
    """ "desmaiar não desmaiei": an infinitive denied by "não" + the same verb."""
    m = _ECHO_DENIAL.match(after)
    return bool(m and len(infinitive) > 4 and m.group(1).startswith(infinitive[:-2][:5]))


def denied_after(text: str, clause_start: int, start: int, end: int) -> bool:
    """The words right after text[start:end] take the complaint back."""
    after = text[end : end + 80]
    if text.endswith(("ar", "er", "ir"), start, end) and echo_denied(text[start:end], after):
        return True
    if _NOT_BACK.match(after) or _NEVER_LAST.match(after) or _NONE_RUN_ON.match(after):
        return True
    if _DENIED_SINCE.match(after) or _NONE_AFTER_VERB.match(after):
        return not came_back(text[end : end + 140])
    if "repreend" not in after and "amarr" not in after and "jesus" not in after and "sai pra" not in after:
        return False  # the common case, without a regex
    return (
        bool(_REBUKE.match(after))
        and not _GOES_ON.search(after)
        and not _CLAIM_BEFORE.search(text, clause_start, start)
    )
