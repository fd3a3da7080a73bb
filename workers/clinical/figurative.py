"""Figurative use of a symptom word, and temperatures of the weather (docs/clinical-engine.md,
"Assertion of every mention"): "morrendo de rir", "quase tive um infarto quando vi a conta", "um
derrame no bolso", "sem fôlego de tanta coisa pra resolver", "tá 39 graus na sombra". Each is
`figurado`; said in earnest ("de verdade") a word stays present.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .figure_cause import figure_by_cause, public_thermometer
from .jest import craze_fever, idle_cause, retracted
from .prefilter import may_match

# --- figurative use ------------------------------------------------------------------------------

_FIG_AFTER = re.compile(
    r"^\s*(?:[a-z]+\s+){0,3}?de\s+(?:tant[oa]\s+)?(?:rir|riso|risada|gargalhar|vergonha|raiva|odio|emocao|alegria|"
    r"felicidade|saudade|sono|tedio|preguica|ciume|inveja|nervoso)\b"
)
_FIG_NEAR_MISS_BEFORE = re.compile(r"\bquase\s+(?:[a-z]+\s+){0,3}$")
_FIG_NEAR_MISS_REASON = re.compile(
    r"^\s*(?:[a-z]+\s+){0,3}?(?:de\s+(?:susto|raiva|nervoso|emocao|medo|vergonha|rir|tanto|calor)|"
    r"quando\s+(?:vi|soube|li|recebi|olhei|chegou|abri|ouvi)|ao\s+(?:ver|saber|ler|receber|abrir)|"
    r"com\s+(?:o|a|esse|essa|aquele|aquela)\s+(?:preco|conta|valor|boleto|noticia|fatura|susto|barulho|"
    r"resultado|jogo|gol|penalti|final|placar|time|novela|capitulo|episodio))"
)
_FIG_IDIOM_BEFORE = re.compile(
    r"(?:\b(?:vai|vao|ia|iam|quer|querem|vou|vamos|acaba|acabam|acabou)\s+(?:me\s+|te\s+|nos\s+)?$|"
    r"\bvou\s+(?:ter|dar)\s+um\s+$|\b(?:ataque|crise)\s+de\s+$|\ba\s+$(?=sangue\s+frio))"
)
_FIG_IDIOM_AFTER = re.compile(
    r"^\s*(?:(?:me\s+)?(?:subiu|sobe|subindo|ferve|ferveu|fervendo|quente)\b|frio\b|nos\s+olhos\b|"
    r"de\s+(?:frio|vergonha|raiva|fome|ciume|tanto|rir|trabalhar|estudar)\b)"
)


_MONEY_BEFORE = re.compile(
    r"\b(?:conta|contas|bolso|carteira|salario|preco|precos|boleto|fatura|cartao|orcamento|aluguel|mercado|"
    r"farmacia|gasolina)\b[^.;!?\n]{0,40}$"
)
_JOKE_AFTER = re.compile(
    r"^[^.;!?\n]{0,20}?(?:\bk+\b|rs(?:rs)+|ha(?:ha)+|brinks|zoeira|brincadeira|to\s+brincando)"
)
# The symptom word put in the wallet: "um derrame no bolso", "infarto na carteira", "AVC financeiro".
_MONEY_AFTER = re.compile(
    r"^\s*(?:(?:no|na|do|da)\s+(?:meu\s+|minha\s+)?(?:bolso|carteira|orcamento|conta\s+bancaria|salario|cartao)|"
    r"financeir[oa]|no\s+banco|"
    # (s5-recall) "tô num sufoco com as contas": the bills as the cause are never a breathing one
    r"(?:com|de|por\s+causa\s+d)[aeo]?s?\s+(?:as\s+|os\s+|minhas\s+|meus\s+|tant[oa]s\s+)?(?:contas|dividas|boletos))\b"
)
# A money or sport cause before the word, with a laugh: "o boleto me deu um infarto kkkk",
# "o Corinthians ainda vai me dar um AVC 😂". Said in earnest ("de verdade") it stays present.
_MONEY_OR_SPORT_BEFORE = re.compile(
    r"\b(?:conta|contas|boleto|boletos|fatura|cartao|preco|precos|aluguel|salario|imposto|ipva|iptu|juros|"
    r"jogo|gol|penalti|time|flamengo|corinthians|palmeiras|vasco|gremio|santos|cruzeiro|atletico|"
    r"fluminense|botafogo|campeonato)\b[^.;!?\n]{0,50}?"
    # ... as the cause: a laugh after "desmaiei no jogo" does not make the fainting a joke
    r"\b(?:(?:me|nos|te)\s+(?:deu|da|dar|dando|causou|causa|deixou|deixa)|vai\s+me\s+dar|quase\s+(?:me\s+deu|tive))"
    r"\s+(?:um\s+|uma\s+)?$"
)
_LAUGH = re.compile(
    r"(?:\bk{2,}\b|\bk\b|\brs(?:rs)*\b|\b(?:ha){2,}\b|\bhuahua\w*|[\U0001F602\U0001F923\U0001F605\U0001F606\U0001F601])"
)
_EARNEST = re.compile(
    r"\b(?:de\s+verdade|serio|serio\s+mesmo|nao\s+(?:e|to)\s+brincando|sem\s+brincadeira|"
    # ... or still going on: "kkk e até agora não passou"
    r"ate\s+agora|nao\s+(?:passa|passou|melhora|melhorou)|ainda|continu\w+|piorou|piorando)\b"
)
# Busy, not breathless: "sem fôlego de tanta coisa pra resolver", "sem ar com tanto trabalho".
_BUSY_AFTER = re.compile(
    r"^\s*(?:[a-z]+\s+){0,2}?(?:de|com|pra|para)\s+(?:tant[oa]s?|ess[ae]s?|muit[oa]s?|toda\s+essa|tod[oa]s?\s+ess[ae]s?)\s+"
    r"(?:[a-z]+\s+)?(?:coisas?|trabalhos?|servicos?|tarefas?|compromissos?|problemas?|correria|reunio\w*|reuniao|"
    r"contas?|boletos?|mudanca|burocracia|papelada|agenda|afazeres|obra|preocupac\w*|provas?|demanda\w*|"
    r"pepinos?|entregas?|clientes?|pedidos?)\b"
)
# Someone or something "is giving me a stroke": the catastrophe as a complaint about a person.
_GIVING_ME = re.compile(
    r"\b(?:ta|esta|vai|vao|ainda\s+vai|acaba|acabam)\s+(?:me|nos)\s+(?:dando|dar|da)\s+(?:um|uma)\s+$"
)
# A thing of daily life "gives me even" the symptom: "a fila do SUS me dá até dor no peito", "a
# fatura me deu até convulsão". "Até" marks the hyperbole; a body cause ("correr me dá até dor no
# peito") is no thing of this list, and "tá doendo agora" keeps it present.
_EVEN_GIVES_ME = re.compile(
    r"\b(?:fila|filas|espera|demora|burocracia|conta|contas|boleto|boletos|fatura|cartao|preco|precos|aluguel|"
    r"salario|imposto|juros|inss|sus|chefe|transito|noticia|politica|sogra|reuniao|prova|jogo|time)\b"
    r"[^.;!?\n]{0,50}?\b(?:me|nos|te)\s+(?:da|deu|dava|dao|deram|faz|fez|causa|causou)\s+ate\s+(?:um\s+|uma\s+)?$"
)
_STILL_NOW = re.compile(
    r"\b(?:de\s+verdade|doendo\s+agora|ta\s+doendo|agora\s+(?:ta|to|esta|estou)|nao\s+passa)\b"
)
# "de" + an infinitive after a thing: "tá de infartar", "é de matar", "um calor de desmaiar".
_OUTRAGEOUS = re.compile(
    r"\b(?:ta|tava|esta|estava|e|eh|foi|era|fica|ficou|coisa|calor|preco|dor\s+de\s+cabeca\s+)\s+de\s+$"
)
_CATASTROPHE = re.compile(r"(?:avc|derrame|infart)")
# Out of breath from a climb or a dance, told laughing: "sem ar de tanto subir ladeira kkk".
_EXERTION_AFTER = re.compile(
    r"^\s*(?:[a-z]+\s+){0,2}?de\s+tanto\s+(?:subir|correr|andar|dancar|pedalar|nadar|malhar|treinar|pular|brincar|"
    r"cantar|gritar)\b"
)
_CRIED_OR_LAUGHED = re.compile(r"\b(?:chorei|chorou|chorando|ri|rindo|rimos|gargalh\w*)\b")
_CRAZE = re.compile(
    r"\b(?:entrar\s+na\s+onda|virou\s+(?:moda|febre)|na\s+moda|modinha|(?:e|eh)\s+(?:a\s+|uma\s+)?febre\s+"
    r"(?:entre|no|na|do|da|aqui))\b"
)


# "Cheguei do jogo e apaguei no sofá kkk dormi 12h": "apagar" is falling asleep when the words
# around it talk of sleep or tiredness and of nothing a faint shows (the floor, no response, a fall).
_SLEEP_AROUND = re.compile(
    r"\b(?:dormi|dormiu|dormimos|dormindo|dormir|sono|soninho|cochil\w*|cansaco|cansad[oa]|exaust[oa]|"
    r"ronc\w*|\d+\s*h\s+(?:seguidas|direto)|\d+\s+horas\s+(?:seguidas|direto)|a\s+noite\s+(?:toda|inteira)|"
    r"so\s+acordei|acordei\s+so)\b"
)
_FAINT_AROUND = re.compile(
    r"\b(?:chao|cai|caiu|caida|caido|desmai\w*|desacordad\w*|nao\s+(?:acordava|acordou|respondia|reagia|"
    r"lembro)|sem\s+(?:responder|reagir|sentido|consciencia)|de\s+repente|do\s+nada|bati|bateu|babando|"
    r"tremend\w*|convuls\w*|roxo|roxa|palid\w*|suando\s+frio|escureceu|tontur\w*|tonto|tonta)\b"
)


def fell_asleep(text: str, start: int, end: int) -> bool:
    """ "apaguei no sofá ... dormi 12h": sleep, not a faint."""
    if not text.startswith("apag", start):
        return False
    lo, hi = max(0, start - 100), min(len(text), end + 100)
    return bool(_SLEEP_AROUND.search(text, lo, hi)) and not _FAINT_AROUND.search(text, lo, hi)


# A thing that cannot take the breath or the heart: a bill, a price, news, a surprise, a boss, a
# game. "essa conta de luz me deixou sem ar", "o jogo quase me deu um infarto, mas tô bem". A body
# cause ("a escada me deixou sem ar", "a gripe") is no thing of this list (docs/clinical-engine.md,
# "Sets s3d/s3e false alarms").
_NONBODY_CAUSE = (
    r"\b(?:conta|contas|boleto|boletos|fatura|cartao|preco|precos|aluguel|salario|imposto|juros|noticia|"
    r"noticias|novidade|surpresa|proposta|promocao|presente|beleza|chefe|patrao|resultado\s+da\s+loteria|"
    r"jogo|gol|penalti|time|final|placar|novela|flamengo|corinthians|palmeiras|vasco|gremio|santos|"
    r"cruzeiro|atletico|fluminense|botafogo|campeonato)\b"
)
_NONBODY_TOOK_MY_BREATH = re.compile(
    _NONBODY_CAUSE + r"[^.;!?\n]{0,50}?\b(?:me|nos)\s+(?:deixou|deixa|deixando|deixaram)\s+$"
)
_NONBODY_ALMOST_GAVE = re.compile(
    _NONBODY_CAUSE
    + r"[^.;!?\n]{0,50}?\bquase\s+(?:me|nos)\s+(?:deu|da|dava|causou|matou)\s+(?:um\s+|uma\s+)?$"
)
_LEFT_ME = re.compile(r"\b(?:me|nos)\s+(?:deixou|deixa|deixando|deixaram)\s+$")
_WITH_NEWS_AFTER = re.compile(
    r"\s*com\s+(?:a|o|aquela|aquele|essa|esse|esta|este|tanta|tamanha)\s+(?:[a-z]+\s+)?"
    r"(?:noticia|novidade|surpresa|proposta|promocao|conta|preco|beleza|presente)\b"
)


# (held-spec-what2) The idiom told with its thing: "quase tive um infarto quando o Palmeiras tomou o gol",
# "quase tive um ataque cardíaco com a fatura": a near catastrophe at a game, a bill, news.
_NEAR_MISS_THING = re.compile(
    r"^\s*(?:[a-z]+\s+){0,3}?(?:quando|com|no|na|vendo|assistindo|depois\s+d[aeo])\b[^.;!?\n]{0,40}?"
    + _NONBODY_CAUSE
)
# Sunk in work: "tô me afogando em trabalho", "sufocada de tanta tarefa", "afogado nas dívidas". A
# choking verb whose medium is a load of things (never "me afogando no catarro", "sufocando com a fumaça").
_SUNK_IN = re.compile(
    r"\s*(?:em|no|na|nos|nas|de|com)\s+(?:(?:tant[oa]s?|muit[oa]s?|ess[ae]s?|meus?|minhas?|[oa]s?|tanta\s+coisa\s+d[aeo]s?)\s+)?"
    r"(?:trabalhos?|servicos?|tarefas?|compromissos?|problemas?|reunio\w*|contas?|boletos?|dividas?|burocracia|"
    r"papelada|afazeres|provas?|demandas?|pepinos?|entregas?|clientes?|pedidos?|emails?|prazos?|planilhas?|"
    r"relatorios?|estudos?|coisas?|preocupac\w*|responsabilidades?)\b"
)
# The heart tight or broken with longing, a farewell, a parting (s6d): an emotion, unless a sign of the
# body goes with it ("coração apertado e doendo, suando frio").
_LONGING = re.compile(
    r"\b(?:saudades?|tristeza|separacao|despedida|luto|magoa|desilusao|decepcao|partiu|foi\s+embora|"
    r"(?:se\s+)?mudou|viajou|emocionad[oa]|emocao|chorei|chorando)\b"
)
_BODY_SIGN = re.compile(
    r"\b(?<!saudade\s)(?<!saudades\s)(?:doendo|doi|dor|suor|suando|suad[oa]|braco|queixo|falta\s+de\s+ar|sem\s+ar|desmai\w*|tont\w*)\b"
)


def heart_longing(text: str, start: int, end: int) -> bool:
    """ "meu coração ficou apertado quando meu filho mudou pro Japão": the heart of a feeling."""
    if not text.startswith("coracao", start):
        return False
    cut = re.search(r"[.!?\n]", text[end : end + 100])
    window = text[end : end + (cut.start() if cut else 100)]
    return bool(_LONGING.search(window)) and not _BODY_SIGN.search(window)


def sunk_in(text: str, start: int, end: int) -> bool:
    """ "tô me afogando em trabalho": choking on a load of things is being busy."""
    mention = text[start:end]
    return ("afog" in mention or "sufoc" in mention or "asfix" in mention) and bool(_SUNK_IN.match(text, end))


def nonbody_cause(text: str, start: int, end: int) -> bool:
    """ "a conta me deixou sem ar", "me deixou sem ar com aquela notícia", "o jogo quase me deu um
    infarto": a breath or a heart taken by a thing, unless it goes on ("até agora", "ainda")."""
    mention = text[start:end]
    if not (mention.startswith("sem") or _CATASTROPHE.match(mention)):
        return False  # the common case, without a regex over the text
    before = text[max(0, start - 80) : start]
    if _EARNEST.search(text, max(0, start - 60), end + 80) or _STILL_NOW.search(text, end, end + 60):
        return False
    if mention.startswith("sem") and _LEFT_ME.search(before):
        return bool(_NONBODY_TOOK_MY_BREATH.search(before) or _WITH_NEWS_AFTER.match(text, end))
    return bool(_CATASTROPHE.match(mention) and _NONBODY_ALMOST_GAVE.search(before))


# A face made, not a face fallen: "na foto a boca ficou torta porque eu tava rindo", "o rosto ficou
# torto de tanto sorrir". A droop that stays ("e não voltou", "até agora") or came "de repente"
# keeps the finding.
_FACE = re.compile(r"(?:boca|rosto|cara|face|sorriso|labio)")
_MADE_FACE_AFTER = re.compile(
    r"[^.;!?\n]{0,30}?\b(?:porque|pq|por\s+causa\s+que|de\s+tanto|quando|enquanto)\s+(?:eu\s+|ele\s+|ela\s+)?"
    r"(?:tava\s+|estava\s+|tava\s+\w+\s+|fiquei\s+)?(?:rindo|sorrindo|rir|sorrir|gargalh\w*|fazendo\s+careta|"
    r"careta|fazendo\s+bico|mastigando|bocejando|cantando|assobiando)\b"
)
_DROOP_STAYS = re.compile(r"\b(?:de\s+repente|do\s+nada|agora|hoje|nao\s+(?:voltou|volta|desentort\w*))\b")


# ... or told before it: "fiz careta pra foto e a boca foi pro lado", "tava rindo e o rosto ficou torto".
_MADE_FACE_BEFORE = re.compile(
    r"\b(?:(?:fiz|fez|fazendo|faz|fazer)\s+(?:uma\s+)?(?:careta|caretas|bico|cara\s+feia)|careta|caretas|"
    r"(?:tava|estava|tava\s+\w+|fiquei)\s+(?:rindo|sorrindo|gargalhando|mastigando|bocejando)|de\s+tanto\s+(?:rir|sorrir))"
    r"\b[^.;!?\n]{0,40}$"
)


def made_a_face(text: str, start: int, end: int) -> bool:
    """A crooked mouth from laughing or a grimace, told as its cause right after or right before it."""
    return bool(
        _FACE.match(text, start)
        and (_MADE_FACE_AFTER.match(text, end) or _MADE_FACE_BEFORE.search(text, max(0, start - 70), start))
        and not _DROOP_STAYS.search(text, max(0, start - 60), end + 100)
        and not _EARNEST.search(text, max(0, start - 60), end + 100)
    )


# "Cabeça quente" of worry or anger, not of fever: "fiquei de cabeça quente esperando o resultado",
# "ando com a cabeça quente com as dívidas". A word of body heat near it ("febre", "38,5",
# "pelando", "o corpo quente") keeps the fever (docs/clinical-engine.md, "Fourth session").
_HOT_HEAD = re.compile(r"cabeca\b.*\bquente$")
_HOT_HEAD_OF = re.compile(r"\bd[ea]\s+$")
_WORRY = re.compile(
    r"\b(?:preocupa\w*|nervos\w*|estress\w*|ansios\w*|ansiedade|raiva|brav[oa]|irritad\w*|esperando|resultado|"
    r"briga\w*|discuss\w*|problemas?|dividas?|contas|boletos?|trabalho|servico|coracao\s+na\s+mao|aperrei\w*|"
    r"agonia\w*|angusti\w*|pensando|pensamento\w*|cabeca\s+cheia)\b"
)
_BODY_HEAT = re.compile(
    r"\b(?:febre\w*|febril|termometro|\d{2}[,.]\d|\d{2}\s+graus|pelando|fervendo|calafrio\w*|tremedeira|"
    r"corpo\s+(?:\w+\s+)?quente|testa|suando|moleza|mole)\b"
)


def hot_head(text: str, start: int, end: int) -> bool:
    """ "De cabeça quente", or with a worry around it and no body heat: an idiom."""
    if not _HOT_HEAD.match(text, start, end):
        return False
    lo, hi = max(0, start - 80), min(len(text), end + 80)
    if _BODY_HEAT.search(text, lo, hi):
        return False
    return bool(_HOT_HEAD_OF.search(text, max(0, start - 4), start) or _WORRY.search(text, lo, hi))


# Tried on every mention, so compiled once.
_KILL = re.compile(r"\b(?:me|te|nos)\s+mat")
_COLOUR = re.compile(r"\b(?:roxo|roxa|roxos|roxas|azul|azuis)$")
_WILL_HAVE = re.compile(r"\bvou\s+(?:ter|dar)\s+um\s+$")


@lru_cache(maxsize=8)
def _in_text(text: str) -> tuple[bool, bool, bool, bool]:
    """Whether `_EVEN_GIVES_ME`, `_MONEY_OR_SPORT_BEFORE`, `_FIG_NEAR_MISS_BEFORE` and `_WILL_HAVE`
    may match anywhere in the text, once per text (their literal prefixes, `prefilter.may_match`):
    a window of a text that lacks them holds no match, so every mention skips those searches."""
    return (
        may_match(_EVEN_GIVES_ME, text),
        may_match(_MONEY_OR_SPORT_BEFORE, text),
        may_match(_FIG_NEAR_MISS_BEFORE, text),
        may_match(_WILL_HAVE, text),
    )


def figurative(text: str, start: int, end: int) -> bool:
    """Idioms and near misses: "morrendo de rir", "quase tive um infarto quando vi a conta",
    "meu chefe vai me matar", "o sangue subiu", "sem ar de tanto rir", "roxo de vergonha", "a conta
    da farmácia tá me deixando sangrando", "minha crush me deixou sem ar kkk", "a febre agora é
    corrida de rua"."""
    after = text[end : end + 60]
    before = text[max(0, start - 60) : start]
    mention = text[start:end]
    if mention.startswith("sangr") and _MONEY_BEFORE.search(before):
        return True
    if fell_asleep(text, start, end) or hot_head(text, start, end):
        return True
    if idle_cause(text, start, end) or retracted(text, start, end) or craze_fever(text, start, end):
        return True  # "o Inter me deu um AVC kkkk", "falta de ar kkkk brincadeira", "febre de Black Friday"
    if nonbody_cause(text, start, end) or made_a_face(text, start, end) or figure_by_cause(text, start, end):
        return True  # ... "quase tive um infarto, mas foi só o susto", "a conta me deu um infarto"
    # `_OUTRAGEOUS` ends in white space, "de", white space: two string tests before its search.
    if (
        before[-1:].isspace()
        and before.rsplit(None, 1)[-1:] == ["de"]
        and _OUTRAGEOUS.search(before)
        and re.match(r"[a-z]+(?:ar|er|ir)$", mention)
    ):
        return True  # "o preço da gasolina tá de infartar", "um calor de desmaiar"
    if _CATASTROPHE.match(mention) and _GIVING_ME.search(before):
        return True  # "a sogra tá me dando um AVC"
    if (
        _EXERTION_AFTER.match(after)
        and _LAUGH.search(text, end, end + 80)
        and not _EARNEST.search(text, max(0, start - 60), end + 80)
    ):
        return True
    even_gives_me, money_or_sport, near_miss, will_have = _in_text(text)
    if even_gives_me and _EVEN_GIVES_ME.search(before) and not _STILL_NOW.search(text, end, end + 60):
        return True  # "a fila do SUS me dá até dor no peito"
    if _MONEY_AFTER.match(after) or _BUSY_AFTER.match(after):
        return True  # "um derrame no bolso", "sem fôlego de tanta coisa pra resolver"
    if (
        money_or_sport
        and _MONEY_OR_SPORT_BEFORE.search(before)
        and _LAUGH.search(text, end, end + 80)
        and not _EARNEST.search(text, max(0, start - 60), end + 60)
    ):
        return True  # "o boleto me deu um infarto kkkk"
    if _JOKE_AFTER.match(after) and (
        re.search(r"\b(?:me|nos|te)\s+deix\w+\s+$", before) or _CRIED_OR_LAUGHED.search(before)
    ):
        return True  # "me deixou sem ar kkk", "chorei tanto no filme que fiquei sem ar kkkk"
    if mention.startswith("febr") and _CRAZE.search(text, max(0, start - 80), end + 80):
        return True
    if _FIG_AFTER.match(after):
        return True
    if near_miss and _FIG_NEAR_MISS_BEFORE.search(before):
        if _FIG_NEAR_MISS_REASON.match(after):
            return True
        if (_CATASTROPHE.match(mention) or mention.startswith("ataque")) and _NEAR_MISS_THING.match(after):
            return True  # "quase tive um infarto quando o Palmeiras tomou o gol"
    if sunk_in(text, start, end) or heart_longing(text, start, end):
        return True  # "me afogando em trabalho", "coração apertado quando meu filho mudou"
    if _KILL.search(mention) and (
        re.search(r"\b(?:vai|vao|ia|iam|quer|querem|acaba|acabam)\s+$", before)
        or re.match(r"^\s*de\s+(?:raiva|rir|trabalhar|estudar|tanto|vergonha|susto)", after)
    ):
        return True  # someone else "vai me matar"; "me mata de raiva"
    if mention.startswith("sangue") or mention.endswith("sangue"):
        if re.search(r"\b(?:suando|suar|suei|suou)\s+$", before):
            return True  # "suando sangue" is working hard
        if re.match(r"\s*frio\b", after):
            return bool(re.search(r"\ba\s+$", before))  # "a sangue frio"
        if _FIG_IDIOM_AFTER.match(after):
            return True
    if _COLOUR.search(mention) and _FIG_IDIOM_AFTER.match(after):
        return True
    return will_have and bool(_WILL_HAVE.search(before))


# The weather, an oven, a bath: "tá 39 graus na sombra", "aqui em Cuiabá faz 40 graus".
_WEATHER_AFTER = re.compile(r"\s*(?:graus\s+)?(?:na\s+sombra|la\s+fora|de\s+calor|de\s+sensacao|no\s+sol)\b")
_WEATHER_BEFORE = re.compile(r"\b(?:calor|calorao|mormaco|sol|clima)\s+(?:de\s+)?$")
_WEATHER_SENTENCE = re.compile(
    r"\b(?:sensacao\s+termica|previsao\s+do\s+tempo|derretendo|calorao|(?:o\s+)?(?:dia|tempo|clima)\s+(?:ta|esta)|"
    r"(?:aqui|la)\s+(?:em|no|na)\s+\w+\s+(?:ta|esta|faz|fez|fazendo))\b"
)


# "o calor aqui tá 40 graus" (s6-spec-what): the heat as the subject of the sentence, with no word
# of a body's temperature in it ("39 graus de febre e esse calor tá piorando" is the child's).
_HOT_DAY = re.compile(
    r"\b(?:o|esse|este|que|um|nesse|neste)\s+calor\s+(?:\w+\s+)?(?:ta|esta|faz|fez|fazendo|de)\b"
)
_BODY_TEMPERATURE = re.compile(r"\b(?:febre\w*|febril|termometro|axila\w*|medi|medimos|mediu|testa|corpo)\b")


def weather(text: str, start: int, end: int, sentence_start: int, sentence_end: int) -> bool:
    """A temperature of the weather, not of the body."""
    return bool(
        _WEATHER_AFTER.match(text, end)
        or _WEATHER_BEFORE.search(text, max(0, start - 20), start)
        or _WEATHER_SENTENCE.search(text, sentence_start, sentence_end)
        or public_thermometer(text, sentence_start, sentence_end)
        or (
            _HOT_DAY.search(text, sentence_start, sentence_end)
            and not _BODY_TEMPERATURE.search(text, sentence_start, sentence_end)
        )
    )
