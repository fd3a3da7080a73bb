"""The rest of the ConText assertion of a mention: hypothetical questions and episodes that are
over (who the mention is about is `experiencer`; figurative use is `figurative`).
`negation.suppression` already handles the triggers that sit in the mention's own clause
(negation, "retornar se", "histórico de"); what is here needs the whole sentence or message.

Each rule returns the *reason* a mention does not count (`motivo`), and `ASSERTION` maps every
reason to one of the six assertions of docs/clinical-engine.md, so a result lists each discarded
mention as `negado`, `resolvido`, `hipotetico`, `outra_pessoa` or `figurado` (a counted one is
`presente`).
"""

from __future__ import annotations

import re

from .aside import BELIEVED_OVER, FULLY_OVER, FULLY_OVER_NO_LONGER, NOTHING_SINCE, TREATMENT_OBJECT, set_aside
from .hypotheses import asks, asks_about, told_because
from .lexicon import ACTIVITY_AGAIN, AGAIN_OF_ACTIVITY
from .prefilter import WordStarts, may_match
from .routine import masked
from .sentence_facts import SentenceFacts
from .subject import another_complaint, dated_other, foreign_subject
from .treated import treated

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

# --- hypothetical questions ----------------------------------------------------------------------

# Questions about what could happen; a question about what is happening ("é normal ter febre
# assim?", "será que estou tendo um AVC?") still counts.
_HYPO_QUESTION = re.compile(
    r"\b(?:(?:quais|qual)\s+(?:sao\s+|e\s+)?(?:os\s+|as\s+|o\s+)?(?:sinais|sintomas|riscos|cuidados|sinal)|"
    r"como\s+(?:eu\s+|a\s+gente\s+)?(?:reconhec\w*|sei|saber|identific\w*|perceb\w*|vou\s+saber|diferenci\w*|"
    r"evit\w*|previn\w*)|"
    r"o\s+que\s+(?:eu\s+|a\s+gente\s+)?(?:faco|fazer|(?:devo|posso|preciso)\s+fazer|fazemos|faz|faria)\s+(?:se|caso|quando|"
    r"em\s+caso|(?:pra|para)\s+(?:eu\s+)?(?:prevenir|previnir|evitar|nao\s+ter))|"
    r"(?:tem|existe|ha|corre|corro|correm)\s+(?:algum\s+)?(?:risco|perigo|chance)\s+de|"
    r"devo\s+me\s+preocupar\s+(?:se|caso|com\s+a\s+possibilidade)|"  # never "e se essa dor for infarto?"
    r"e\s+se\b(?!\s+(?:essa|esse|esta|este)\s+(?:\w+\s+){1,4}?(?:for|fosse|forem|seria)\b)|"
    r"quando\s+(?:eu\s+)?(?:devo|preciso)\s+(?:procurar|ir|voltar)|"
    r"(?:pode|podem|costuma|costumam)\s+(?:dar|causar|provocar|trazer|deixar(?!\s+(?:pr[oa]|para|comigo)\b))\b|"
    r"(?:pode|podem)\s+(?:ser\s+que\s+(?:eu\s+)?(?:tenha|tenho|sinta|fique|de|venha)|acontecer|ter)\b[^.?!\n]*"
    r"\b(?:amanha|semana\s+que\s+vem|depois\s+d|durante|viagem|aviao|voo|quando|futuro|cirurgia)|"
    # side effects asked about, package-insert warnings: "posso ter desmaio com a dose nova?",
    # "a bula fala em pensamentos suicidas como efeito colateral"
    r"posso\s+(?:ter|sentir|ficar\s+com|desenvolver)\b|"
    # what counts as the symptom, asked as a definition: "a partir de quanto é considerado febre?"
    r"a\s+partir\s+de\s+quant[oa]s?\b|(?:e|eh|sao|seria)\s+considerad[oa]s?\b|"
    # (never the indirect "não sei o que é que tá acontecendo", which reports what is going on)
    r"(?<!\bsei\s)(?<!\bsabe\s)o\s+que\s+(?:e|eh|significa|caracteriza)\b(?!\s+que\s+(?:ta|esta)\s+acontecendo)|"
    # a general knowledge question: "qual a diferença entre desmaio e convulsão?"
    r"(?:qual|quais)\s+(?:e\s+)?(?:a\s+|as\s+)?diferencas?\s+(?:entre|de|do|da)\b|"
    r"\b(?:bula|folheto|literatura)\b[^.;!?\n]{0,40}?\b(?:fala\w*|diz|dizia|menciona\w*|cita|avisa|informa|alerta|"
    r"consta|tem|traz)\b)"
)
# What a medicine may do: "a vacina dá febre?", "efeito colateral", "reação adversa". Hypothetical
# when asked, or told with nobody having it; "tomei o remédio da pressão e desmaiei" and "tive uma
# reação adversa, a boca inchou" are events.
_SIDE_EFFECT = re.compile(
    # any drug class, and a generic user: "o anticoagulante causa sangramento", "quem toma marevan sangra"
    r"(?:\b(?:vacina|remedio|medicamento|injecao|dose|antibiotico|comprimido|xarope|pomada|colirio|insulina|"
    r"quimio\w*|anti(?=coagul|agreg|inflam|depress|convuls|alerg|hist|psicot|hipertens|emet|arritm|diabet|fung|vira)\w*"
    r"|corticoide|aspirina|varfarina|marevan)s?\b)[^.?!\n]{0,30}?\b(?:"
    # "dá" the verb, never "da" before whose pills they are ("o comprimido de dormir da minha mãe")
    r"da(?!\s+(?:minha|meu|sua|seu|nossa|nosso|dona|mae|vo|avo|tia|irma|filha|vizinha|farmacia)\b)|dar|causa|causar|"
    r"provoca|provocar|pode|podem)\b|\bquem\s+(?:toma|usa)\b|efeitos?\s+colatera\w*|reac\w+\s+advers\w*"
)
_EXPERIENCED = re.compile(
    r"\b(?:tive|tivemos|teve|fiquei|ficou|tava|senti|sinto|sentiu|sente|me\s+deu|deu\s+n[ea]l[ea]|"
    # a state, never where the writer is or that they are fine: "tô aqui só pra renovar a receita", "tô bem"
    r"(?:to|tou|estou|esta|ta)(?!\s+(?:aqui|ai|la|bem|otim[oa]|normal|tranquil[oa]|so\s+pra|pra|para|precisando|"
    r"querendo|indo|vindo|em\s+casa)\b)|"
    r"apareceu|apareceram|comecei|comecou|tomei|tomou|"
    # any other finite past ("convulsionou", "desmaiei"), except what someone said or prescribed
    r"(?!(?:falou|avisou|explicou|informou|orientou|comentou|perguntou|mandou|passou|receitou|indicou|leu|"
    r"falei|perguntei|pesquisei|li)\b)[a-z]{3,}(?:ou|ei|iu))\b"
)


# The warning then said to be what is going on: "a bula diz que pode fechar a garganta, e é isso que
# tá acontecendo agora" (docs/clinical-engine.md, clin-recall). Never after a "não".
_HAPPENING_NOW = re.compile(
    r"(?<!\bnao\s)(?<!\bnum\s)\be\s+(?:exatamente\s+|bem\s+|justamente\s+)?(?:isso|o\s+que)\s+(?:que\s+)?"
    r"(?:ta|esta|tava|estava)\s+(?:me\s+)?acontecendo\b|"
    r"(?<!\bnao\s)\bfoi\s+(?:exatamente\s+|bem\s+)?(?:isso|o)\s+que\s+(?:me\s+)?aconteceu\b|"
    r"(?<!\bnao\s)(?<!\bnum\s)\b(?:to|estou|tou)\s+(?:sentindo|tendo)\s+(?:exatamente\s+)?(?:isso\s+|ela\s+|ele\s+)?"
    r"agora\b|(?<!\bnao\s)(?<!\bnum\s)(?<!\bsei\s)\b(?:ta|esta)\s+acontecendo\s+agora\b"
)


def hypothetical_spans(
    text: str, sentence_start: int, sentence_end: int, words: WordStarts | None = None
) -> list[tuple[int, int]]:
    """Where the sentence asks about what could happen (computed once per sentence; `words`: the
    text's word index, so the question is tried only where one can start)."""
    found = (
        words.finditer_in(_HYPO_QUESTION, sentence_start, sentence_end)
        if words is not None
        else _HYPO_QUESTION.finditer(text, sentence_start, sentence_end)
    )
    spans = [m.span() for m in found]
    side = None
    if may_match(_SIDE_EFFECT, text[sentence_start:sentence_end]):  # its words, by `str.__contains__`
        side = (
            words.search_in(_SIDE_EFFECT, sentence_start, sentence_end)
            if words is not None
            else _SIDE_EFFECT.search(text, sentence_start, sentence_end)
        )
    if side is not None and (
        asks(text, sentence_start, sentence_end)
        or not _EXPERIENCED.search(text, sentence_start, sentence_end)
    ):
        spans.extend(m.span() for m in _SIDE_EFFECT.finditer(text, sentence_start, sentence_end))
        spans.sort()
    return spans


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
    if _HAPPENING_NOW.search(text, sentence_start, sentence_end):
        return False
    asked_before = any(e <= start and not told_because(text, e, start) for _s, e in spans)
    if not asked_before and not asks_about(text, sentence_start, start, sentence_end):
        return False
    # "tô com falta de ar, o que eu faço?" asks about a symptom stated as present; so does a
    # question asked after the symptom was told ("ficou com febre de 39,5, e se tiver convulsão?").
    # ... and so is the mention that is itself the writer's told past ("ontem desmaiei, e se eu desmaiar?")
    told = _TOLD_BEFORE.search(text, sentence_start, start) or _TOLD_VERB.match(text, start)
    if not asked_before and told:
        return False
    return not re.search(r"\b(?:to|estou|tou|tenho|senti|sinto)\s+com\b", text[sentence_start:start])


_TOLD_VERB = re.compile(r"[a-z]{4,}(?:ei|ou)\b")
_TOLD_BEFORE = re.compile(
    r"\b(?:to|estou|tou|ta|esta|tava|estava|tenho|tem|tive|teve|senti|sinto|sente|sentiu|ficou|fiquei|deu|"
    r"apareceu|comecou|comecei|acordou|acordei|amanheceu|amanheci)\b"
)


# --- episodes that are over ----------------------------------------------------------------------

WEEKDAY = r"(?:segunda|terca|quarta|quinta|sexta)(?:-feira|\s+feira)?|sabado|domingo"
# Free of it for days, or since a later day: "tô sem febre faz 5 dias", "desde segunda tá sem febre"
# (`closure`, `sequela`: only after the mention, "tava sem febre desde segunda, hoje deu 39,5" alerts).
FREE_OF = r"sem\s+(?:sangue|sangramento|febre|dor|nada|falta\s+de\s+ar|sintomas?|crise)"
_DAYS = r"(?:faz|ha)\s+(?:uns\s+|umas\s+|mais\s+de\s+)?\d+\s+(?:dias|semanas|meses)"
_SINCE_DAY = r"desde\s+(?:(?:o|a)\s+)?(?:" + WEEKDAY + r")"
FREE_FOR_DAYS = (
    FREE_OF + r"(?:\s+nenhuma?)?\s+(?:" + _DAYS + "|" + _SINCE_DAY + r")\b|"
    r"(?:" + _DAYS + "|" + _SINCE_DAY + r")\b[^.;!?\n]{0,25}?\b" + FREE_OF
)
# A negated verb ("não passou", "nem sumiu") says the opposite: it goes on; so does BELIEVED_OVER.
_OVER = re.compile(
    rf"\b(?<!nao\s)(?<!nem\s)(?<!num\s)(?<!nunca\s){BELIEVED_OVER}"
    r"(?:ja\\s+)?(?:passou|(?<!que\s)(?<!me\s)passaram|sarou|sarei|curou|curei|curad[oa]|(?<!metro\s)(?<!relho\s)(?<!medio\s)(?<!ceita\s)sumiu|sumiram|resolveu|resolvid[oa]|cedeu|"
    r"melhorei|(?:me\s+)?recuperei|fiquei\s+(?:boa|bom|curad[oa])|(?:desde\s+entao|depois\s+disso|de\s+la\s+pra\s+ca)[\s,]+"
    + NOTHING_SINCE
    + r"|"
    r"normalizou|parou(?:\s+sozinh[oa])?|foi\s+embora|"
    + FULLY_OVER_NO_LONGER
    + r"|nao\s+(?:voltou|voltaram|tive|senti|teve)\s+mais|"
    r"nunca\s+mais|nao\s+(?:tenho|sinto|tem)\s+mais|"
    r"(?:hoje|agora|ja)\s+(?:\w+\s+)?(?:estou|to|tou|esta|ta|me\s+sinto)\s+(?:bem|otim[oa]|normal|curad[oa]|"
    r"bo[am]|boazinha|bonzinho|de\s+boa)(?!\s+(?:nao|n|mal|ruim|pior)\b)|"  # "tô bem não", "tô bem mal"
    r"hoje\s+em\s+dia\s+(?:nada|nao)|(?:termin(?:ei|ou)|acab(?:ei|ou)(?!\s+(?:de|d)\s+(?!vez\b)[a-z]+(?:ar|er|ir|or|r)\b)|"
    r"finalizei|conclui)" + TREATMENT_OBJECT + r"|em\s+remissao|"
    r"alta\s+da\s+oncologia|ficou\s+no\s+passado|voltou\s+ao\s+normal|ja\s+paro|estancou|"
    # spoken "passou" with the final u dropped, before a time word: "a febri passo onti"
    # ("passo ontem no posto" is a visit: the time word must close the clause)
    r"(?:ja\s+)?passo(?=\s+(?:ontem|onti|anteontem|de\s+manha|de\s+noite)\s*(?:[,.;!?]|$|e\s+(?:hoje|hj|agora)\b))|"
    r"ja\s+passo(?=\s*(?:[,.;!?]|$))|"
    r"(?:hoje|agora|ja)\s+(?:\w+\s+)?(?:sem\s+(?:febre|dor|nada)|respiro\s+(?:normal|bem))|"
    r"nao\s+passa\s+(?:mais\s+)?nada|"
    # one episode told as closed: "foi só aquela vez", "tô respirando normal" (s3de-recall)
    r"foi\s+so\s+(?:aquela|essa|esta|uma|daquela)\s+vez|(?<!nao\s)(?:to|estou|tou|ta|esta)\s+respirando\s+(?:normal|bem)|"
    # "não voltou a sangrar (mais)", "de lá pra cá nada", "voltou tudo ao normal", "hoje amanheci
    # zerada, sem dor nenhuma"
    r"nao\s+(?:voltou|voltei|tornou|tornei)\s+a\s+(?:sangrar|acontecer|desmaiar|apagar|sentir|ter|doer|vomitar|"
    r"aparecer|convulsionar|repetir|faltar)|"
    r"(?:de\s+la\s+(?:pra|para)\s+ca|desde\s+(?:aquele\s+dia|aquela\s+vez|ai))\s+(?:nada|nunca|nao)|"
    r"voltou\s+tudo\s+ao\s+normal|"
    r"(?:hoje|agora)\s+(?:[a-z]+\s*,?\s+){0,2}?sem\s+(?:febre|dor|nada)|"
    r"(?:acordei|amanheci|levantei|acordou|amanheceu)\s+(?:zerad[oa]|de\s+boa|novinh[oa]|nov[oa]|inteir[oa]|bem|otim[oa]|"
    r"normal)(?!\s+(?:mas|porem|so\s+que)\b)|"
    # "desde sábado não deu mais febre", "não apareceu mais": any verb of recurrence, never "não deu
    # mais pra baixar" (a fever that will not come down)
    r"nao\s+(?:deu|apareceu|repetiu|aconteceu|sentiu|tiveram)\s+mais(?!\s+(?:pra|para|jeito|conta|certo)\b)|"
    # "faz 30 anos que não tenho nada disso"
    r"nao\s+(?:tenho|tive|sinto|senti|tem|teve|acontece|aconteceu)\s+(?:mais\s+)?nada\s+(?:disso|parecido|assim|"
    r"igual|semelhante)|(?:hoje|agora|atualmente)\s+(?:\w+\s+)?nao\s+(?:tenho|sinto)\s+(?:mais\s+)?nada|"
    # spoken past tense: "já passo", "já baxo"
    r"ja\s+(?:passo|baxo|baixou|abaixou|melhoro|miorou|sumiu))\b"
)
# When the episode was: far enough back that "it passed" closes it. "Agora há pouco ... passou" is
# not: a chest pain that stopped five minutes ago is still an emergency.
_PAST_ANCHOR = re.compile(
    r"\b(?:anteontem|semana\s+(?:passada|retrasada)|(?:desde|n[oa]|d[aeo])\s+(?:a\s+|o\s+)?(?:"
    + WEEKDAY
    + r")(?:\s+passad[oa])?|semanas\s+atras|na\s+(?:juventude|mocidade|infancia)|mes\s+passado|meses\s+atras|"
    r"(?:ano|inverno|verao|outono|carnaval|natal)\s+passado|anos\s+atras|"
    # a cycle of treatment before this one: "no ciclo passado", "na sessão anterior", "na primeira quimio"
    r"(?:ciclo|sessao|quimio|aplicacao|infusao|internacao)\s+(?:passad[oa]|anterior|retrasad[oa])|"
    r"n[oa]\s+primeir[oa]\s+(?:ciclo|sessao|quimio|aplicacao|infusao)|"
    r"(?:ha|faz)\s+(?:(?:uns|umas|alguns|algumas|varios|varias|mais\s+de)\s+)?(?:\d+\s+)?(?:dias|semanas|meses|anos)|"
    r"(?:ha|faz)\s+(?:muito\s+)?tempo|(?:na\s+)?consulta\s+passada|na\s+ultima\s+consulta|na\s+epoca|"
    r"naquela\s+epoca|aos\s+\d+\s+anos|quando\s+(?:eu\s+|ele\s+|ela\s+)?tinha\s+(?:uns\s+|umas\s+)?(?:\d+|um)\s+an[ou]s?|"
    r"(?:ha|faz)\s+(?:uma|um|mais\s+de\s+uma?)\s+(?:semana|mes|ano)|"
    # "faz mais de 50 ano" (the plural dropped in speech), "2 anu" (a phonetic spelling)
    r"(?:ha|faz)\s+(?:mais\s+de\s+)?\d+\s+(?:semanas?|mes|meses|an[ou]s?)|mes\s+retrasado|ano\s+retrasado|"
    # "lá em março", "no começo de janeiro": a month named
    r"(?:la\s+)?(?:em|no\s+(?:mes|comeco|inicio|final|fim)\s+de)\s+(?:janeiro|fevereiro|marco|abril|maio|junho|"
    r"julho|agosto|setembro|outubro|novembro|dezembro)|"
    r"(?:em|de)\s+(?:19|20)\d\d|quando\s+(?:eu\s+)?(?:era|crianca|pequen[oa]|jovem)|antigamente|"
    r"na\s+(?:ultima|outra)\s+internacao|no\s+passado|"
    # "a falta de ar que eu tinha antes da cirurgia sumiu": the complaint of an earlier time
    r"que\s+(?:eu\s+|ele\s+|ela\s+)?(?:tinha|sentia)|"
    # ... or the one told before: "aquela falta de ar que eu te contei sumiu", "que te falei semana passada"
    r"que\s+(?:eu\s+)?(?:te\s+|lhe\s+|ti\s+|vos\s+)?(?:contei|falei|mencionei|comentei|disse|relatei|expliquei)|"
    r"antes\s+d[ao]s?\s+(?:cirurgia|operacao|tratamento|transplante|marcapasso|stent|cateterismo))\b"
)
# "Ontem", when today is told free of it ("foi ontem ... hoje não senti mais nada", "não voltou mais"). Not
# for stroke signs: a transient one (a TIA) still needs care the day after.
_YESTERDAY_CLEAR = re.compile(
    r"\b(?:ontem|anteontem|" + WEEKDAY + r")\b(?=.*\b(?:nao\s+(?:voltou|voltaram|repetiu)\s+mais|"
    r"hoje\s+(?:\w+\s+)?(?:nao\s+(?:senti|tive|sinto|tenho)|sem\s+nada|"
    # "hoje acordei normal", "hoje amanheci bem disposta", "hoje levantei ótimo"
    r"(?:to|estou|tou|ta|esta|acordei|amanheci|levantei|acordou|amanheceu)\s+(?!nao\b)(?:\w+\s+)?"
    r"(?:bem|normal|otim[oa]|boa|bom|nov[oa]|novinh[oa]|tranquil[oa]|zerad[oa]|inteir[oa]|100|cem\s+por\s+cento|"
    r"suave|joia|firme|beleza)\b)))"
)
_STILL_NOW = re.compile(
    r"\b(?:"
    # not fine, or only partly better: "hoje não tô bem", "não tô respirando bem", "passou um pouco"
    r"(?:nao|nem)\s+(?:\w+\s+)?(?:to|estou|tou|ta|esta|fiquei|me\s+sinto|sinto|acordei|respiro|respirando)\s+"
    r"(?:\w+\s+)?(?:bem|normal|otim\w*|direito|melhor)|"
    r"(?:passou|melhorou|aliviou|diminuiu|cedeu|baixou)\s+(?:so\s+)?(?:um\s+)?(?:pouco|pouquinho|tiquinho)"
    # the remedy that did not work: "nem o paracetamol resolveu", "nem com dipirona passou"
    r"|nem\s+(?:o|a|os|as|com|tomando)\s+(?:\w+\s+){0,2}?(?:resolveu|resolve|adiantou|adianta|aliviou|alivia|"
    r"funcionou|passou|melhorou|cortou)|nada\s+(?:resolve|adianta|alivia|passa|melhora)"
    r")\b|"
    r"\b(?:(?<!nao\s)(?<!mais\s)voltou(?!\s+(?:tudo\s+)?ao\s+normal|\s+(?:pra|para|a)\s+(?:a\s+|o\s+)?(?:escola|creche|trabalho|rotina|"
    r"aulas?|academia|vida\s+normal|brincar|comer)\b)|(?<!nao\s)(?<!mais\s)(?:voltaram|voltei\s+a)|"
    + AGAIN_OF_ACTIVITY
    + r"de\s+novo|novamente|"
    # "continua usando" is the medicine; "a consulta de quinta continua né?" the appointment
    # ... nor a medicine asked about ("quer saber se continua o xarope")
    r"(?<!\bse\s)continu[ao](?!\s+(?:usando|tomando|fazendo|com\s+o|marcad[oa]|agendad[oa]|confirmad[oa]|de\s+pe|"
    r"valendo|ne|(?:o|a|os|as|com\s+a)\s+(?:xarope|remedio|antibiotico|medicac\w*|tratamento|dose|comprimido|"
    r"pomada|bombinha|nebulizac\w*|inalac\w*))\b)"
    r"(?!\s*\?)|persiste|ainda|piorou|piorando|"
    r"mas\s+volta|recomecou|outra\s+vez|(?:agora|hoje)\s+(?!so\s)(?:\w+\s+)?(?:to|estou|tou|acordei|amanheci)\s+com|"
    r"hoje\s+(?!nao\s)(?!so\s)(?!(?:\w+\s+)?(?:to|estou|tou|me\s+sinto)\s+(?:bem|otim|bo[am]\b|boazinh|normal|tranquil|100\b|cem\s+por|"
    r"suave|joia|firme|beleza|de\s+boa))"
    r"(?:\w+\s+)?(?:to|estou|tive|senti|teve)\s+(?!bem|bo[am]\b|boazinh|tranquil|100\b|cem\s+por|respirando\s+(?:bem|normal)|suave|joia|"
    # "hoje tô sem febre" denies it
    r"firme|beleza|de\s+boa|sem\s+(?:febre|dor|nada|sintomas?|queixas?)\b|estavel|(?:muito|super)\s+bem|(?:ha|faz)\s+\d))\b"
)


# "Now fine", said of today: closes a CRITICAL episode without a date, except a recent one
# ("agora há pouco") and the transient ones that still need care when over (angina, a TIA).
_NOW_FINE = re.compile(
    r"\b(?:(?:hoje|agora|ja)\s+(?:\w+\s+)?(?:estou|to|tou|me\s+sinto|fiquei)\s+(?:bem|otim[oa]|normal|boa|bom)|"
    r"(?:ta|esta)\s+tudo\s+bem|(?:respiro|respirando)\s+(?:normal|bem|normalmente)|voltou\s+ao\s+normal|"
    r"nao\s+sinto\s+(?:mais\s+)?nada|"
    r"(?:hoje|agora)\s+(?:\w+\s+)?sem\s+(?:febre|nada))\b"
)
_RECENT = re.compile(r"\b(?:agora\s+(?:ha\s+|a\s+)?pouco|agorinha|faz\s+pouco|minutos?|min|acabou\s+de)\b")
# The complaint dated by "foi": "a diarreia forte foi no mês passado", "foi na semana retrasada".
# ... or by "foi" and the time itself: "a febre de 39 foi semana passada", "foi domingo".
WAS_AT = (
    r"foi\s+(?:so\s+|la\s+)?(?:n[oa]|ha|faz|em|durante|antes|"
    r"(?=(?:semana|mes|ano|anteontem|ontem|" + WEEKDAY + r")\b))"
)
_WAS_THEN = re.compile(r"\b" + WAS_AT)
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


# An episode dated in the past, closed by the next sentence: "desmaiei em 1975; nunca mais", "teve um
# desmaio semana retrasada ... De lá pra cá nada, tá ótima", "hoje já subo a ladeira sem parar".
_CLOSED_NEXT = re.compile(
    r"[\s,]*(?:(?:e|mas|so|ai|entao|ja|que|gracas\s+a\s+deus|graca\s+a\s+deus)\s+)?(?:nunca\s+mais|"
    r"(?:desde\s+entao|depois\s+disso|de\s+la\s+(?:pra|para)\s+ca|desde\s+(?:aquele\s+dia|aquela\s+vez|ai))[\s,]+"
    + NOTHING_SINCE
    + r"|"
    r"nao\s+(?:voltou|voltei|tive|senti|teve|aconteceu|apareceu|repetiu)\s+mais|"
    r"(?:hoje|agora|ja)\s+(?:\w+\s+)?(?:estou|to|tou|me\s+sinto|fiquei|ta|esta)\s+(?:bem|otim[oa]|normal|boa|bom|"
    r"suave|joia|firme|beleza|"
    r"tranquil[oa]|de\s+boa)|(?:ta|esta)\s+tudo\s+(?:bem|certo|normal)|"
    # what the patient can do again today: "hoje já subo a ladeira sem parar", "agora já consigo correr"
    r"(?:hoje|agora)\s+(?:ja\s+)?(?:consigo|subo|ando|corro|caminho|trabalho|jogo|danco|respiro|durmo)\b|"
    # a full recovery told as news: "queria contar que melhorou totalmente"
    r"(?:(?:queria|quero|vim|venho)\s+(?:te\s+|lhes?\s+)?(?:contar|dizer|avisar|falar)\s+(?:que\s+)?)?(?:ja\s+)?"
    + FULLY_OVER
    + r")"
)
_SENTENCE_STOP = re.compile(r"[.;!?\n]")


def _closed_next(text: str, sentence_end: int) -> bool:
    """The sentence after `sentence_end` closes the episode and says nothing goes on."""
    start = sentence_end + 1
    stop = _SENTENCE_STOP.search(text, start, start + 200)
    end = stop.start() if stop else min(len(text), start + 200)
    if not _CLOSED_NEXT.match(text, start, end):
        return False
    rest = ACTIVITY_AGAIN.sub(lambda m: " " * len(m.group(0)), text[start:end])  # not the complaint's
    return not _STILL_NOW.search(rest)


def episode_over(
    text: str,
    sentence_start: int,
    sentence_end: int,
    critical: bool,
    codigo: str = "",
    words: WordStarts | None = None,
    facts: SentenceFacts | None = None,
) -> bool:
    """A complaint whose sentence says it is over. A CRITICAL one also needs a past date, or a
    "now fine" that is not recent (bleeding that stopped needs neither). `words`: the text's word
    index, so `_OVER` (four look-behinds at every character) is tried only where it can start.
    `facts`: the sentence's shared results (`sentence_facts`, read through `routine.masked`), so its
    mentions ask each question once."""
    if facts is None:
        facts = SentenceFacts(text, sentence_start, sentence_end, words, read=masked)
    search = facts.search
    if codigo in _BLEEDING and not search(_STILL_NOW) and _stopped_next(text, sentence_end):
        return True
    if (
        sentence_end < len(text)
        and not search(_STILL_NOW)
        and (anchor := search(_PAST_ANCHOR)) is not None
        and not anchor.group(0).startswith("desde")  # "desde domingo" goes on until now
        and not search(_RECENT)
        and _closed_next(text, sentence_end)
    ):
        return True
    if (
        not critical
        and (was := search(_WAS_THEN)) is not None
        # "tô febril desde a tarde, a imuno foi semana passada": "foi" dates its own subject
        and not dated_other(was.string, was.start())
        and search(_PAST_ANCHOR)
        and not _STILL_NOW.search(text, sentence_start, sentence_end + 120)
    ):
        return True  # "a diarreia forte foi no mês passado. Agora o intestino tá normal"
    over = facts.search_slice(_OVER)
    # "o dinheiro acabou" is not the bleeding's, "a dor passou" not the vomiting of blood's
    while over and (
        foreign_subject(over.string, over.start()) or another_complaint(over.string, over.start(), codigo)
    ):
        over = _OVER.search(over.string, over.end())
    if not over or search(_STILL_NOW) or set_aside(facts.sentence, over.start()):
        return False  # ("fora isso tô respirando bem" keeps what came before it)
    if not critical or codigo in _BLEEDING or search(_PAST_ANCHOR):
        return True
    if codigo != "sinais_avc" and search(_YESTERDAY_CLEAR):
        return True
    fine = bool(search(_NOW_FINE)) and not search(_RECENT)
    return codigo not in _TRANSIENT_CRITICAL and (fine or treated(search))
