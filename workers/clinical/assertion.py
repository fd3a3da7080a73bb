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

from .aside import FULLY_OVER, NOTHING_SINCE, set_aside
from .episode_times import (
    NOW_FINE,
    OVER,
    PAST_ANCHOR,
    RECENT,
    STILL_NOW,
    WAS_THEN,
    YESTERDAY_CLEAR,
)
from .hypotheses import asks, asks_about, told_because
from .indexed import search_in
from .lexicon import ACTIVITY_AGAIN
from .overtaken import overtaken
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
    "estado_basal": "resolvido",
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
    r"a\s+partir\s+de\s+quant[oa]s?\b|"
    # what one may do after the event, asked in general: "quanto tempo depois do AVC a pessoa pode dirigir?"
    r"quanto\s+tempo\s+(?:depois|apos)\s+d[aeo]s?\b|(?:e|eh|sao|seria)\s+considerad[oa]s?\b|"
    # (never the indirect "não sei o que é que tá acontecendo", which reports what is going on)
    r"(?<!\bsei\s)(?<!\bsabe\s)o\s+que\s+(?:e|eh|significa|caracteriza|quer\s+dizer)\b(?!\s+que\s+(?:ta|esta)\s+acontecendo)|"
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

# ... and the same said right after the question, as its own sentence: "se uma pessoa tosse sangue,
# tem que ir pro hospital? Porque é isso que tá acontecendo comigo desde cedo" (the "isso" points back).
_HAPPENING_NEXT = re.compile(
    r"[\s?.!]*(?:(?:porque|pq|pois|e|mas|que|ai|entao)\s+)?(?:(?:bem|exatamente|justamente)\s+)?"
    r"(?:e|foi)\s+(?:exatamente\s+|bem\s+|justamente\s+)?isso\s+(?:que\s+)?(?:(?:ta|esta|tava|estava)\s+"
    r"(?:me\s+)?acontecendo|(?:me\s+)?aconteceu)\b"
)


def happening_next(text: str, sentence_end: int) -> str | None:
    """The sentence after a question says the asked-about thing is happening (`_HAPPENING_NEXT`):
    "comigo" when it says to whom (the "uma pessoa" of the question is then the writer), else "".
    None when it does not."""
    m = _HAPPENING_NEXT.match(text, sentence_end)
    if m is None:
        return None
    return "comigo" if _TO_ME.match(text, m.end()) else ""


_TO_ME = re.compile(r"\s+(?:aqui\s+)?comigo\b")


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
    if search_in(_HAPPENING_NOW, text, sentence_start, sentence_end):  # it opens with look-behinds
        return False
    # ... never one the writer overtook: "ia perguntar o que fazer caso sangrasse, mas já tá sangrando"
    asked_before = any(
        e <= start and not told_because(text, e, start) and not overtaken(text, e, start) for _s, e in spans
    )
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


_TRANSIENT_CRITICAL = frozenset({"dor_toracica", "sindrome_coronariana", "sinais_avc"})
# Bleeding that stopped is not active bleeding, whenever it was.
_BLEEDING = frozenset({"sangramento", "hematemese", "hemoptise"})


# "O nariz sangrou de manhã. Já parou faz tempo": the stop told at the start of the next sentence.
_STOPPED_NEXT = re.compile(
    r"[\s.?!;,]*(?:(?!(?:nao|nem|num|ainda)\b)\w+\s+)?(?:ja\s+|que\s+)?(?:parou|estancou|cabou|acabou)\b([^.?!;\n]*)"
)


def _stopped_next(text: str, sentence_end: int) -> bool:
    m = _STOPPED_NEXT.match(text, sentence_end)
    return m is not None and not STILL_NOW.search(m.group(1))


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
    return not STILL_NOW.search(rest)


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
    index, so `OVER` (four look-behinds at every character) is tried only where it can start.
    `facts`: the sentence's shared results (`sentence_facts`, read through `routine.masked`), so its
    mentions ask each question once."""
    if facts is None:
        facts = SentenceFacts(text, sentence_start, sentence_end, words, read=masked)
    search = facts.search
    if codigo in _BLEEDING and not search(STILL_NOW) and _stopped_next(text, sentence_end):
        return True
    if (
        sentence_end < len(text)
        and not search(STILL_NOW)
        and (anchor := search(PAST_ANCHOR)) is not None
        and not anchor.group(0).startswith("desde")  # "desde domingo" goes on until now
        and not search(RECENT)
        and _closed_next(text, sentence_end)
    ):
        return True
    if (
        not critical
        and (was := search(WAS_THEN)) is not None
        # "tô febril desde a tarde, a imuno foi semana passada": "foi" dates its own subject
        and not dated_other(was.string, was.start())
        and search(PAST_ANCHOR)
        and not STILL_NOW.search(text, sentence_start, sentence_end + 120)
    ):
        return True  # "a diarreia forte foi no mês passado. Agora o intestino tá normal"
    over = facts.search_slice(OVER)
    # "o dinheiro acabou" is not the bleeding's, "a dor passou" not the vomiting of blood's
    while over and (
        foreign_subject(over.string, over.start()) or another_complaint(over.string, over.start(), codigo)
    ):
        over = OVER.search(over.string, over.end())
    if not over or search(STILL_NOW) or set_aside(facts.sentence, over.start()):
        return False  # ("fora isso tô respirando bem" keeps what came before it)
    if not critical or codigo in _BLEEDING or search(PAST_ANCHOR):
        return True
    if codigo != "sinais_avc" and search(YESTERDAY_CLEAR):
        return True
    fine = bool(search(NOW_FINE)) and not search(RECENT)
    return codigo not in _TRANSIENT_CRITICAL and (fine or treated(search))
