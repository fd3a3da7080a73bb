"""When an episode happened and whether it is over: the time patterns `assertion.episode_over`,
`closure`, `sequela` and `superseded` read (docs/clinical-engine.md, "Assertion of every mention").

Kept apart from the rules that use them so each rule module stays small; every pattern here is
compiled once and searched through `SentenceFacts` where a sentence is read many times.
"""

from __future__ import annotations

import re

from .aside import BELIEVED_OVER, FULLY_OVER_NO_LONGER, NOTHING_SINCE, TREATMENT_OBJECT
from .lexicon import ACTIVITY_WORDS, AGAIN_OF_ACTIVITY

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
OVER = re.compile(
    rf"\b(?<!nao\s)(?<!nem\s)(?<!num\s)(?<!nunca\s){BELIEVED_OVER}"
    r"(?:ja\\s+)?(?:passou|(?<!que\s)(?<!me\s)passaram|sarou|sarei|curou|curei|curad[oa]|(?<!metro\s)(?<!relho\s)(?<!medio\s)(?<!ceita\s)sumiu|sumiram|resolveu|resolvid[oa]|cedeu|"
    r"melhorei|(?:me\s+)?recuperei|fiquei\s+(?:boa|bom|curad[oa])|(?:desde\s+entao|depois\s+disso|de\s+la\s+pra\s+ca)[\s,]+"
    + NOTHING_SINCE
    + r"|"
    r"normalizou|parou(?:\s+sozinh[oa])?|foi\s+embora|"
    + FULLY_OVER_NO_LONGER
    + r"|nao\s+(?:voltou|voltaram|tive|senti|teve)\s+mais|"
    # (an infinitive after it is a wish, no ending: "queria dormir e nunca mais acordar", s10g-064)
    r"nunca\s+mais(?!\s+[a-z]+(?:ar|er|ir)\b)|nao\s+(?:tenho|sinto|tem)\s+mais|"
    r"(?:hoje|agora|ja)\s+(?:\w+\s+)?(?:estou|to|tou|esta|ta|me\s+sinto)\s+(?:bem|otim[oa]|normal|curad[oa]|"
    r"bo[am]|boazinha|bonzinho|de\s+boa)(?!\s+(?:nao|n|mal|ruim|pior)\b)|"  # "tô bem não", "tô bem mal"
    r"hoje\s+em\s+dia\s+(?:nada|nao)|hoje\s+nada(?=\s*(?:[,.;!?]|$))|"
    # came down and did not come back (s10h-075): "a febre baixou ontem e não voltou"
    r"(?:baixou|abaixou|cedeu)\s+(?:\w+\s+){0,2}?e\s+(?:nao|num)\s+(?:voltou|subiu|voltou\s+a\s+subir)\b|(?:termin(?:ei|ou)|acab(?:ei|ou)(?!\s+(?:de|d)\s+(?!vez\b)[a-z]+(?:ar|er|ir|or|r)\b)|"
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
PAST_ANCHOR = re.compile(
    r"\b(?:anteontem|semana\s+(?:passada|retrasada)|(?:desde|n[oa]|d[aeo])\s+(?:a\s+|o\s+)?(?:"
    + WEEKDAY
    + r")(?:\s+passad[oa])?|semanas\s+atras|na\s+(?:juventude|mocidade|infancia|adolescencia)|"
    r"mes\s+passado|meses\s+atras|"
    r"(?:ano|inverno|verao|outono|carnaval|natal)\s+passado|anos\s+atras|"
    # a cycle of treatment before this one: "no ciclo passado", "na sessão anterior", "na primeira quimio"
    r"(?:ciclo|sessao|quimio|aplicacao|infusao|internacao)\s+(?:passad[oa]|anterior|retrasad[oa])|"
    r"n[oa]\s+primeir[oa]\s+(?:ciclo|sessao|quimio|aplicacao|infusao)|"
    r"(?:ha|faz)\s+(?:(?:uns|umas|alguns|algumas|varios|varias|mais\s+de)\s+)?(?:\d+\s+)?(?:dias|semanas|meses|anos)|"
    r"(?:ha|faz)\s+(?:muito\s+)?tempo|(?:na\s+)?consulta\s+passada|na\s+ultima\s+consulta|na\s+epoca|"
    r"naquela\s+epoca|aos\s+\d+\s+anos|antes\s+de\s+ontem|"
    # a bare weekday after a past errand: "fui no pronto-socorro sábado por uma falta de ar"
    r"(?:fui|foi|fomos|fiquei|ficou)\s+(?:[a-z-]+\s+){0,3}?(?:" + WEEKDAY + r")|"
    r"quando\s+(?:eu\s+|ele\s+|ela\s+)?tinha\s+(?:uns\s+|umas\s+)?(?:\d+|um)\s+an[ou]s?|"
    r"(?:ha|faz)\s+(?:uma|um|mais\s+de\s+uma?)\s+(?:semana|mes|ano)|"
    # "faz mais de 50 ano" (the plural dropped in speech), "2 anu" (a phonetic spelling)
    r"(?:ha|faz)\s+(?:(?:mais\s+de|uns|umas|quase|cerca\s+de)\s+)?\d+\s+(?:semanas?|mes|meses|an[ou]s?)|mes\s+retrasado|ano\s+retrasado|"
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
YESTERDAY_CLEAR = re.compile(
    r"\b(?:ontem|anteontem|" + WEEKDAY + r")\b(?=.*\b(?:nao\s+(?:voltou|voltaram|repetiu)\s+mais|"
    r"hoje\s+(?:\w+\s+)?(?:nao\s+(?:senti|tive|sinto|tenho)|sem\s+nada|"
    # "hoje acordei normal", "hoje amanheci bem disposta", "hoje levantei ótimo"
    r"(?:to|estou|tou|ta|esta|acordei|amanheci|levantei|acordou|amanheceu)\s+(?!nao\b)(?:\w+\s+)?"
    r"(?:bem|normal|otim[oa]|boa|bom|nov[oa]|novinh[oa]|tranquil[oa]|zerad[oa]|inteir[oa]|100|cem\s+por\s+cento|"
    r"suave|joia|firme|beleza)\b)))"
)
STILL_NOW = re.compile(
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
    r"firme|beleza|de\s+boa|sem\s+(?:febre|dor|nada|sintomas?|queixas?)\b|estavel|(?:muito|super)\s+bem|(?:ha|faz)\s+\d|"
    # ... nor an everyday activity: "hoje tô trabalhando e bem"
     + ACTIVITY_WORDS + r"))\b"
)


# "Now fine", said of today: closes a CRITICAL episode without a date, except a recent one
# ("agora há pouco") and the transient ones that still need care when over (angina, a TIA).
NOW_FINE = re.compile(
    r"\b(?:(?:hoje|agora|ja)\s+(?:\w+\s+)?(?:estou|to|tou|me\s+sinto|fiquei)\s+(?:bem|otim[oa]|normal|boa|bom)|"
    r"(?:ta|esta)\s+tudo\s+bem|(?:respiro|respirando)\s+(?:normal|bem|normalmente)|voltou\s+ao\s+normal|"
    r"nao\s+sinto\s+(?:mais\s+)?nada|"
    r"(?:hoje|agora)\s+(?:\w+\s+)?sem\s+(?:febre|nada)|"
    # The present told fine in other words (spec8): whoever says it ("tô", "ela tá", "estão"), and
    # whatever the word for well: "tá tudo limpo", "tudo tranquilo", "tá faceiro", "em casa tá
    # orientada", "tô ótima", "tô bem." (bare "bem" only where its clause ends: "tô bem ruim" is not),
    # "não saiu mais nada", "faz 20 anos que não tenho nada", "ficou normal", "voltou a cor normal".
    r"(?:ta|esta)\s+tudo\s+(?:limpo|tranquilo|normal|certo|ok|em\s+ordem)|"
    r"tudo\s+(?:tranquilo|normal|certo|limpo|em\s+ordem)(?=\s*(?:[,.;!?]|$))|"
    r"(?:to|tou|estou|ta|esta|estao|tao)\s+(?:(?:so|ja|bem|super|muito)\s+)?(?:otim[oa]s?|tranquil[oa]s?|orientad[oa]s?|"
    r"faceir[oa]s?|novinh[oa]s?|zerad[oa]s?|brincando|de\s+boa|bem(?=\s*(?:[,.;!?]|$|\s+(?:e|mas|gracas|obrigad[oa])\b)))|"
    r"nao\s+(?:tenho|tive|sinto|senti|saiu|teve|sentiu|apareceu|aconteceu)\s+(?:mais\s+)?nada|"
    r"(?:ficou|fiquei|ficaram)\s+normal|voltou\s+(?:a\s+)?cor\s+normal)\b"
)
RECENT = re.compile(r"\b(?:agora\s+(?:ha\s+|a\s+)?pouco|agorinha|faz\s+pouco|minutos?|min|acabou\s+de)\b")
# The complaint dated by "foi": "a diarreia forte foi no mês passado", "foi na semana retrasada".
# ... or by "foi" and the time itself: "a febre de 39 foi semana passada", "foi domingo".
WAS_AT = (
    r"foi\s+(?:so\s+|la\s+)?(?:n[oa]|ha|faz|em|durante|antes|"
    r"(?=(?:semana|mes|ano|anteontem|ontem|" + WEEKDAY + r")\b))"
)
WAS_THEN = re.compile(r"\b" + WAS_AT)
