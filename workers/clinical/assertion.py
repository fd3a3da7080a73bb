"""The rest of the ConText assertion of a mention: figurative use, hypothetical questions and
episodes that are over (who the mention is about is `experiencer`). `negation.suppression`
already handles the triggers that sit in the mention's own clause (negation, "retornar se",
"histórico de"); what is here needs the whole sentence or message.

Each rule returns the *reason* a mention does not count (`motivo`), and `ASSERTION` maps every
reason to one of the six assertions of docs/clinical-engine.md, so a result lists each discarded
mention as `negado`, `resolvido`, `hipotetico`, `outra_pessoa` or `figurado` (a counted one is
`presente`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# The assertion of docs/clinical-engine.md for each internal reason.
ASSERTION = {
    None: "presente",
    "negado": "negado",
    "condicional": "hipotetico",
    "hipotetico": "hipotetico",
    "indicacao": "hipotetico",
    "historico": "resolvido",
    "resolvido": "resolvido",
    "motivo_internacao": "resolvido",
    "tratamento_cronico": "resolvido",
    "valor_anterior": "resolvido",
    "outra_pessoa": "outra_pessoa",
    "figurado": "figurado",
}

# --- figurative use ------------------------------------------------------------------------------

_FIG_AFTER = re.compile(
    r"^\s*(?:[a-z]+\s+){0,3}?de\s+(?:tanto\s+)?(?:rir|riso|risada|gargalhar|vergonha|raiva|odio|emocao|alegria|"
    r"felicidade|saudade|sono|tedio|preguica|ciume|inveja|nervoso)\b"
)
_FIG_NEAR_MISS_BEFORE = re.compile(r"\bquase\s+(?:[a-z]+\s+){0,3}$")
_FIG_NEAR_MISS_REASON = re.compile(
    r"^\s*(?:[a-z]+\s+){0,3}?(?:de\s+(?:susto|raiva|nervoso|emocao|medo|vergonha|rir|tanto)|"
    r"quando\s+(?:vi|soube|li|recebi|olhei|chegou|abri|ouvi)|ao\s+(?:ver|saber|ler|receber|abrir)|"
    r"com\s+(?:o|a|esse|essa|aquele|aquela)\s+(?:preco|conta|valor|boleto|noticia|fatura|susto|barulho|"
    r"resultado))"
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
_CRIED_OR_LAUGHED = re.compile(r"\b(?:chorei|chorou|chorando|ri|rindo|rimos|gargalh\w*)\b")
_CRAZE = re.compile(
    r"\b(?:entrar\s+na\s+onda|virou\s+(?:moda|febre)|na\s+moda|modinha|(?:e|eh)\s+(?:a\s+|uma\s+)?febre\s+"
    r"(?:entre|no|na|do|da|aqui))\b"
)


# Tried on every mention, so compiled once.
_KILL = re.compile(r"\b(?:me|te|nos)\s+mat")
_COLOUR = re.compile(r"\b(?:roxo|roxa|roxos|roxas|azul|azuis)$")
_WILL_HAVE = re.compile(r"\bvou\s+(?:ter|dar)\s+um\s+$")


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
    if _JOKE_AFTER.match(after) and (
        re.search(r"\b(?:me|nos|te)\s+deix\w+\s+$", before) or _CRIED_OR_LAUGHED.search(before)
    ):
        return True  # "me deixou sem ar kkk", "chorei tanto no filme que fiquei sem ar kkkk"
    if mention.startswith("febr") and _CRAZE.search(text, max(0, start - 80), end + 80):
        return True
    if _FIG_AFTER.match(after):
        return True
    if _FIG_NEAR_MISS_BEFORE.search(before) and _FIG_NEAR_MISS_REASON.match(after):
        return True
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
    return bool(_WILL_HAVE.search(before))


# --- hypothetical questions ----------------------------------------------------------------------

# Questions about what could happen; a question about what is happening ("é normal ter febre
# assim?", "será que estou tendo um AVC?") still counts.
_HYPO_QUESTION = re.compile(
    r"\b(?:(?:quais|qual)\s+(?:sao\s+|e\s+)?(?:os\s+|as\s+|o\s+)?(?:sinais|sintomas|riscos|cuidados|sinal)|"
    r"como\s+(?:eu\s+|a\s+gente\s+)?(?:reconhec\w*|sei|saber|identific\w*|perceb\w*|vou\s+saber|diferenci\w*|"
    r"evit\w*|previn\w*)|"
    r"o\s+que\s+(?:eu\s+|a\s+gente\s+)?(?:faco|fazer|devo\s+fazer|fazemos|faz|faria)\s+(?:se|caso|quando|em\s+caso)|"
    r"(?:tem|existe|ha|corre|corro|correm)\s+(?:algum\s+)?(?:risco|perigo|chance)\s+de|"
    r"devo\s+me\s+preocupar\s+(?:se|caso|com\s+a\s+possibilidade)|e\s+se\b|"
    r"quando\s+(?:eu\s+)?(?:devo|preciso)\s+(?:procurar|ir|voltar)|"
    r"(?:pode|podem|costuma|costumam)\s+(?:dar|causar|provocar|trazer|deixar(?!\s+(?:pr[oa]|para|comigo)\b))\b|"
    r"(?:pode|podem)\s+(?:ser\s+que\s+(?:eu\s+)?(?:tenha|tenho|sinta|fique|de|venha)|acontecer|ter)\b[^.?!\n]*"
    r"\b(?:amanha|semana\s+que\s+vem|depois\s+d|durante|viagem|aviao|voo|quando|futuro|cirurgia)|"
    # side effects asked about, package-insert warnings: "posso ter desmaio com a dose nova?",
    # "a bula fala em pensamentos suicidas como efeito colateral"
    r"posso\s+(?:ter|sentir|ficar\s+com|desenvolver)\b|"
    # what counts as the symptom, asked as a definition: "a partir de quanto é considerado febre?"
    r"a\s+partir\s+de\s+quant[oa]s?\b|(?:e|eh|sao|seria)\s+considerad[oa]s?\b|"
    r"o\s+que\s+(?:e|eh|significa|caracteriza)\b|"
    # "dá" the verb, never "da" before whose pills they are ("o comprimido de dormir da minha mãe")
    r"\b(?:vacina|remedio|medicamento|injecao|dose|antibiotico|comprimido)\b[^.?!\n]{0,30}?\b(?:"
    r"da(?!\s+(?:minha|meu|sua|seu|nossa|nosso|dona|mae|vo|avo|tia|irma|filha|vizinha|farmacia)\b)|dar|causa|causar|"
    r"provoca|provocar)\b|"
    r"\b(?:bula|folheto|literatura)\b[^.;!?\n]{0,40}?\b(?:fala\w*|diz|dizia|menciona\w*|cita|avisa|informa|alerta|"
    r"consta|tem|traz)\b|efeitos?\s+colatera\w*|reac\w+\s+advers\w*)"
)


def hypothetical_spans(text: str, sentence_start: int, sentence_end: int) -> list[tuple[int, int]]:
    """Where the sentence asks about what could happen (computed once per sentence)."""
    return [m.span() for m in _HYPO_QUESTION.finditer(text, sentence_start, sentence_end)]


def hypothetical_question(
    text: str,
    sentence_start: int,
    start: int,
    sentence_end: int,
    spans: list[tuple[int, int]] | None = None,
) -> bool:
    if spans is None:
        spans = hypothetical_spans(text, sentence_start, sentence_end)
    if not spans:
        return False
    asked_before = any(e <= start for _s, e in spans)
    if not asked_before and "?" not in text[sentence_end : sentence_end + 1]:
        return False
    # "tô com falta de ar, o que eu faço?" asks about a symptom stated as present.
    return not re.search(r"\b(?:to|estou|tou|tenho|senti|sinto)\s+com\b", text[sentence_start:start])


# --- episodes that are over ----------------------------------------------------------------------

_OVER = re.compile(
    r"\b(?:ja\s+)?(?:passou|passaram|sarou|sarei|curou|curei|curad[oa]|sumiu|sumiram|resolveu|resolvid[oa]|cedeu|"
    r"melhorei|(?:me\s+)?recuperei|fiquei\s+(?:boa|bom|curad[oa])|desde\s+entao\s+(?:nada|nunca|nao)|"
    r"normalizou|parou(?:\s+sozinh[oa])?|foi\s+embora|nao\s+(?:voltou|voltaram|tive|senti|teve)\s+mais|"
    r"nunca\s+mais|nao\s+(?:tenho|sinto|tem)\s+mais|"
    r"(?:hoje|agora|ja)\s+(?:\w+\s+)?(?:estou|to|tou|esta|ta|me\s+sinto)\s+(?:bem|otim[oa]|normal|curad[oa])|"
    r"hoje\s+em\s+dia\s+(?:nada|nao)|terminei|terminou|acabei|acabou|finalizei|conclui|em\s+remissao|"
    r"alta\s+da\s+oncologia|ficou\s+no\s+passado|voltou\s+ao\s+normal|ja\s+paro|estancou|"
    r"(?:hoje|agora|ja)\s+(?:\w+\s+)?(?:sem\s+(?:febre|dor|nada)|respiro\s+(?:normal|bem))|"
    r"nao\s+passa\s+(?:mais\s+)?nada)\b"
)
# When the episode was: far enough back that "it passed" closes it. "Agora há pouco ... passou" is
# not: a chest pain that stopped five minutes ago is still an emergency.
_PAST_ANCHOR = re.compile(
    r"\b(?:anteontem|semana\s+passada|semanas\s+atras|mes\s+passado|meses\s+atras|ano\s+passado|anos\s+atras|"
    r"(?:ha|faz)\s+(?:(?:uns|umas|alguns|algumas|varios|varias|mais\s+de)\s+)?(?:\d+\s+)?(?:dias|semanas|meses|anos)|"
    r"(?:ha|faz)\s+(?:muito\s+)?tempo|(?:na\s+)?consulta\s+passada|na\s+ultima\s+consulta|na\s+epoca|"
    r"naquela\s+epoca|aos\s+\d+\s+anos|"
    r"(?:ha|faz)\s+(?:uma|um|mais\s+de\s+uma?)\s+(?:semana|mes|ano)|"
    r"(?:em|de)\s+(?:19|20)\d\d|quando\s+(?:eu\s+)?(?:era|crianca|pequen[oa]|jovem)|antigamente|"
    r"na\s+(?:ultima|outra)\s+internacao|no\s+passado|"
    # "a falta de ar que eu tinha antes da cirurgia sumiu": the complaint of an earlier time
    r"que\s+(?:eu\s+|ele\s+|ela\s+)?(?:tinha|sentia)|"
    r"antes\s+d[ao]s?\s+(?:cirurgia|operacao|tratamento|transplante|marcapasso|stent|cateterismo))\b"
)
# "Ontem", when today is told as free of it ("foi ontem à noite ... hoje não senti mais nada"). Not
# for stroke signs: a transient one (a TIA) still needs care the day after.
_YESTERDAY_CLEAR = re.compile(
    r"\bontem\b(?=.*\bhoje\s+(?:\w+\s+)?(?:nao\s+(?:senti|tive|sinto|tenho)|sem\s+nada|(?:to|estou)\s+bem))"
)
_STILL_NOW = re.compile(
    r"\b(?:(?<!nao\s)(?<!mais\s)voltou(?!\s+ao\s+normal)|(?<!nao\s)(?<!mais\s)voltaram|de\s+novo|novamente|"
    r"continu[ao](?!\s+(?:usando|tomando|fazendo|com\s+o))|persiste|ainda|piorou|piorando|"
    r"mas\s+volta|recomecou|outra\s+vez|hoje\s+(?!nao\s)(?!(?:\w+\s+)?(?:to|estou|tou|me\s+sinto)\s+(?:bem|otim|normal))"
    r"(?:\w+\s+)?(?:to|estou|tive|senti|teve)\s+(?!bem))\b"
)


# "Now fine", said of today: closes a CRITICAL episode without a date, except a recent one
# ("agora há pouco") and the transient ones that still need care when over (angina, a TIA).
_NOW_FINE = re.compile(
    r"\b(?:(?:hoje|agora|ja)\s+(?:\w+\s+)?(?:estou|to|tou|me\s+sinto|fiquei)\s+(?:bem|otim[oa]|normal|boa|bom)|"
    r"(?:ta|esta)\s+tudo\s+bem|respiro\s+(?:normal|bem)|voltou\s+ao\s+normal|nao\s+sinto\s+(?:mais\s+)?nada|"
    r"(?:hoje|agora)\s+(?:\w+\s+)?sem\s+(?:febre|nada))\b"
)
_RECENT = re.compile(r"\b(?:agora\s+(?:ha\s+)?pouco|agorinha|faz\s+pouco|minutos?|min|acabou\s+de)\b")
_TRANSIENT_CRITICAL = frozenset({"dor_toracica", "sindrome_coronariana", "sinais_avc"})
# Bleeding that stopped is not active bleeding, whenever it was.
_BLEEDING = frozenset({"sangramento", "hematemese", "hemoptise"})


# "O nariz sangrou de manhã. Já parou faz tempo": the stop told at the start of the next sentence.
_STOPPED_NEXT = re.compile(
    r"[\s.?!;,]*(?:(?!(?:nao|nem|num|ainda)\b)\w+\s+)?(?:ja\s+|que\s+)?(?:parou|estancou|cabou|acabou)\b([^.?!;\n]*)"
)


def _stopped_next(text: str, sentence_end: int) -> bool:
    m = _STOPPED_NEXT.match(text, sentence_end)
    return m is not None and not _STILL_NOW.search(m.group(1))


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
        _FEARED.search(text, max(sentence_start, start - 40), start)
        and _DENIED_EVENT.search(text, start, sentence_end)
    )


def episode_over(text: str, sentence_start: int, sentence_end: int, critical: bool, codigo: str = "") -> bool:
    """A complaint whose sentence says it is over. A CRITICAL one also needs a past date, or a
    "now fine" that is not recent (bleeding that stopped needs neither)."""
    sentence = text[sentence_start:sentence_end]
    if codigo in _BLEEDING and not _STILL_NOW.search(sentence) and _stopped_next(text, sentence_end):
        return True
    if not _OVER.search(sentence) or _STILL_NOW.search(sentence):
        return False
    if not critical or codigo in _BLEEDING or _PAST_ANCHOR.search(sentence):
        return True
    if codigo != "sinais_avc" and _YESTERDAY_CLEAR.search(sentence):
        return True
    return (
        codigo not in _TRANSIENT_CRITICAL
        and bool(_NOW_FINE.search(sentence))
        and not _RECENT.search(sentence)
    )


# The weather, an oven, a bath: "tá 39 graus na sombra", "aqui em Cuiabá faz 40 graus".
_WEATHER_AFTER = re.compile(r"^\s*(?:graus\s+)?(?:na\s+sombra|la\s+fora|de\s+calor|de\s+sensacao|no\s+sol)\b")
_WEATHER_BEFORE = re.compile(r"\b(?:calor|calorao|mormaco|sol|clima)\s+(?:de\s+)?$")
_WEATHER_SENTENCE = re.compile(
    r"\b(?:sensacao\s+termica|previsao\s+do\s+tempo|derretendo|calorao|(?:o\s+)?(?:dia|tempo|clima)\s+(?:ta|esta)|"
    r"(?:aqui|la)\s+(?:em|no|na)\s+\w+\s+(?:ta|esta|faz|fez|fazendo))\b"
)


def weather(text: str, start: int, end: int, sentence_start: int, sentence_end: int) -> bool:
    """A temperature of the weather, not of the body."""
    return bool(
        _WEATHER_AFTER.match(text, end)
        or _WEATHER_BEFORE.search(text, max(0, start - 20), start)
        or _WEATHER_SENTENCE.search(text, sentence_start, sentence_end)
    )


_PAIN_PAST = re.compile(r"\b(?:ontem|anteontem|antes|de\s+manha|semana\s+passada|tava|estava|era)\b")
_PAIN_NOW = re.compile(r"\b(?:hoje|hj|agora|atualmente|no\s+momento|depois\s+d[oa])\b")


def superseded_scores(
    text: str, spans: list[tuple[int, int]], sentence_start: Callable[[int], int]
) -> set[int]:
    """Indexes of pain scores replaced by a later one: "ontem tava 9/10, hoje tá 4"."""
    out: set[int] = set()
    for i, (s, e) in enumerate(spans[:-1]):
        comma = text.find(",", e, e + 20)
        around = text[max(sentence_start(s), s - 40) : comma if comma != -1 else e + 12]
        later = spans[i + 1 :]
        if _PAIN_PAST.search(around) and any(_PAIN_NOW.search(text[e:ls]) for ls, _le in later):
            out.add(i)
    return out


# --- stories from the media ------------------------------------------------------------------------

# A soap-opera character, a footballer on the news, a video: their symptoms are not the writer's.
_MEDIA = re.compile(
    r"\b(?:novela|novelas|jornal|telejornal|reportagem|noticia|noticias|filme|serie|seriado|documentario|"
    r"youtube|tiktok|instagram|podcast|personagem|ator|atriz|jogador|jogadora|cantor|cantora|famos[oa]|"
    r"apresentador\w*|influencer|blogueir[oa])\b"
)
_FIRST_PERSON_CLAIM = re.compile(
    r"\b(?:eu\s+(?:tive|tenho|to|estou|tou|senti|sinto|fiquei)|(?:to|estou|tou|fiquei)\s+com|me\s+deu|"
    r"tive|senti|sinto|tenho|desmaiei|apaguei|comigo|em\s+mim)\b"
)


def media_report(text: str, sentence_start: int, start: int, sentence_end: int) -> bool:
    """The sentence tells a story from the media before the mention, with no claim of the writer's own."""
    if not _MEDIA.search(text, sentence_start, start):
        return False
    return not _FIRST_PERSON_CLAIM.search(text, sentence_start, sentence_end)
