"""What is said as a joke, as a craze or as someone's lesson, not as a complaint (docs/clinical-engine.md,
"Sixth session", "s6-spec-what"):

- a sign caused by a thing that cannot cause it, told laughing or taken back: "essa planilha tá me
  dando falta de ar kkkk", "o Inter me deu um AVC hoje kkkk 3 a 0", "a conta de luz tá me
  sufocando" (a bill suffocates nobody, laugh or not);
- a sign taken back as a joke right after it: "... falta de ar kkkk brincadeira, tô bem", "...
  kkk mas falando sério, queria o resultado" ("falando sério" turns from the joke to the request);
- "febre de <craze>": "febre de Black Friday", "febre de compras", "febre da Copa";
- a sign named as a lesson's topic or in a rule for whoever has it: "no curso treinamos parada
  cardíaca, convulsão e desmaio", "treinamento sobre como agir em caso de desmaio", "o coach falou
  que quem sentir dor no peito tem que parar";
- a sign corrected in the next clause: "apaguei total kkk, mas não desmaiei não".

Said in earnest ("sério, não consigo subir a escada", "não é brincadeira", "até agora") a sign stays
present, and a sign told again after the turn ("kkk falando sério, tô sem ar") is a mention of its own.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .indexed import search_in
from .people import RELATIVE_WORDS
from .prefilter import may_match

# --- laughter, retraction, earnest ----------------------------------------------------------------

_LAUGH = (
    r"(?:\bk{2,}\b|\bk\b|\brs(?:rs)*\b|\b(?:ha){2,}\b|\bhuahua\w*|"
    r"[\U0001F602\U0001F923\U0001F605\U0001F606\U0001F601\U0001F61C\U0001F92A])"
)
_LAUGH_RE = re.compile(_LAUGH)
LAUGH_RE = _LAUGH_RE  # for `figure_cause`
# Taking it back: "brincadeira", "zoeira", "brinks", "tô brincando", "mentira", "falando sério" (a
# turn from the joke); never "sem brincadeira", "não é brincadeira", "brincadeira nenhuma/não".
_RETRACT = re.compile(
    r"(?<!\bsem\s)(?<!\bnao\se\s)(?<!\bnao\seh\s)(?<!\bfora\sde\s)(?<!\bnao\sfoi\s)(?<!\bnao\sto\s)"
    r"(?<!\bnao\sestou\s)(?<!\bnao\stou\s)"
    r"\b(?:brincadeira|zoeira|zueira|brinks|(?:to|tou|estou|so|ta)\s+(?:brincando|zoando|zuando)|e\s+piada|"
    r"falando\s+serio|"
    r"(?:brincadeiras?|zoeiras?|zueiras?)\s+a\s+parte)\b(?!\s+(?:nenhuma|nao|de\s+mau\s+gosto))"
)
_RETRACT_WORDS = ("brinc", "brinks", "zoe", "zue", "zoa", "zua", "piada", "falando", "mentira")
# "kkk mentira" after a laugh only ("mentira" alone may open an earnest correction).
_LAUGH_LIE = re.compile(_LAUGH + r"[\s,.!]*mentira\b")
# In earnest, or still going on (as `figurative._EARNEST`, but "falando sério" is the turn away).
_EARNEST = re.compile(
    r"\b(?:de\s+verdade|(?<!falando\s)serio|nao\s+(?:e|eh|to|tou|estou)\s+(?:brincadeira|brincando|zoeira|zoando)|"
    r"sem\s+brincadeira|brincadeira\s+(?:nenhuma|nao)|fora\s+de\s+brincadeira|ate\s+agora|"
    r"nao\s+(?:passa|passou|melhora|melhorou)|ainda|continu\w+|piorou|piorando|socorro)\b"
)

# --- things that cannot cause a sign ---------------------------------------------------------------

# Money, work and study, sport, daily nuisances: none of them is a body cause ("a escada", "o
# remédio", "o camarão" are, and are no word of this class).
_IDLE_CAUSE = (
    r"\b(?:conta|contas|boleto|boletos|fatura|faturas|cartao|preco|precos|aluguel|salario|imposto|impostos|"
    r"juros|divida|dividas|parcela|parcelas|financiamento|ipva|iptu|orcamento|"
    r"planilha|planilhas|relatorio|relatorios|reuniao|reunioes|chefe|chefia|patrao|prazo|prazos|tcc|prova|"
    r"provas|faculdade|fechamento|cliente|clientes|email|emails|excel|sistema|burocracia|"
    r"jogo|gol|penalti|time|final|placar|juiz|var|campeonato|selecao|inter|internacional|gremio|colorado|"
    r"coxa|coritiba|athletico|atletico|furacao|flamengo|corinthians|palmeiras|vasco|santos|cruzeiro|"
    r"fluminense|botafogo|bahia|sport|fortaleza|paysandu|remo|tricolor|"
    r"noticia|noticias|politica|eleicao|sogra|crush|ex|novela|serie|internet|wifi|transito)\b"
)
# "... me deu", "tá me dando", "vai me dar", "me deixou", "me causou", "tá me matando".
_CAUSES_ME = (
    r"\b(?:me|nos|te)\s+(?:deu|da|dar|dando|deixou|deixa|deixando|causou|causa|fez|faz|matando|mata)\s+"
    r"(?:um\s+|uma\s+|ate\s+)?"
)
_IDLE_GAVE = re.compile(_IDLE_CAUSE + r"[^.;!?\n]{0,50}?" + _CAUSES_ME + r"$")
# The sign is itself the verb of the thing: "a conta de luz tá me sufocando", "as dívidas me afogam".
_MONEY = (
    r"\b(?:conta|contas|boleto|boletos|fatura|faturas|aluguel|imposto|impostos|juros|divida|dividas|parcela|"
    r"parcelas|financiamento|ipva|iptu|cartao)\b"
)
_MONEY_CHOKES = re.compile(_MONEY + r"[^.;!?\n]{0,40}?\b(?:me|nos)\s+$")
_CHOKE_VERB = re.compile(r"(?:sufoc|afog|asfix)\w*")


def idle_cause(text: str, start: int, end: int) -> bool:
    """A thing that cannot cause the sign gives it, told laughing or taken back; or a bill chokes."""
    before = text[max(0, start - 80) : start]
    if "me " not in before and "nos " not in before and "te " not in before:
        return False  # the common case, without a regex
    if _CHOKE_VERB.match(text, start) and _MONEY_CHOKES.search(before):
        return not _EARNEST.search(text, end, end + 60)
    if not _IDLE_GAVE.search(before):
        return False
    return joked_after(text, end, laugh_enough=True)


def joked_after(text: str, end: int, laugh_enough: bool = False) -> bool:
    """What follows the sign takes it back: a retraction ("kkkk brincadeira", "zoeira", "kkk mas
    falando sério") or, when `laugh_enough`, a laugh alone; never when told in earnest."""
    window = text[end : end + 90]
    cut = re.search(r"[.!?\n]", window)
    first = window[: cut.end()] if cut else window  # a laugh belongs to the sentence of the sign
    laugh = _LAUGH_RE.search(first)
    retract = _RETRACT.search(window) or _LAUGH_LIE.search(window)
    if not (retract or (laugh_enough and laugh)):
        return False
    upto = retract.start() if retract else len(window)
    return not _EARNEST.search(window, 0, upto) and not _EARNEST.search(text, max(0, end - 60), end)


def retracted(text: str, start: int, end: int) -> bool:
    """ "tô com falta de ar kkkk brincadeira, tô bem": the sign itself taken back as a joke, right
    after it (a laugh, then the retraction, or the retraction alone as an interjection)."""
    window = text[end : end + 45]
    if not any(w in window for w in _RETRACT_WORDS):
        return False  # the common case, without a regex
    m = _RETRACT.search(window)
    if m is None:
        return bool(_LAUGH_LIE.search(window)) and joked_after(text, end)
    lead = window[: m.start()]
    if "falando" in m.group(0) and not _LAUGH_RE.search(lead):
        return False  # "falando sério" turns from a joke only after a laugh
    # Only a laugh, punctuation or "é/mas é/só" between the sign and the retraction: "durante a
    # brincadeira" names a game, not a joke.
    rest = _LAUGH_RE.sub(" ", lead)
    if re.search(r"[a-z]", re.sub(r"\b(?:e|eh|mas|so|foi|to|tava|ne|hoje|ai)\b", " ", rest)):
        return False
    return joked_after(text, end)


# --- "febre de Black Friday" ------------------------------------------------------------------------

_CRAZE_FEVER = re.compile(
    r"\s+d[eoa]s?\s+(?:black\s*friday|blackfriday|cyber\s+monday|compras?|consumo|consumismo|liquidac\w+|"
    r"promoc\w+|ofertas?|descontos?|shopping|copa|figurinhas?|album|apostas?|bets?|tigrinho|bitcoin|cripto\w*|"
    r"beach\s+tennis|pickleball|series?|maratona\w*|momento|vez|natal|fim\s+de\s+ano|viagens?|viajar|"
    r"comprar|gastar|consumir|sabado|sexta)\b"
)
# Any "febre de X" with spending told after it: "febre de tênis novo, comprei três".
_SPENT_AFTER = re.compile(
    r"^[^.;!?\n]{0,40}?\b(?:comprei|compramos|gastei|gastamos|torrei|comprando|gastando)\b"
)
_OF_SOMETHING = re.compile(r"\s+d[eoa]s?\s+[a-z]")


# "tá numa febre de boneca que não tem tamanho": in the grip of a craze for a thing (never a time,
# a value or a return: "numa febre de 39", "numa febre de noite", "numa febre de novo").
_IN_A_CRAZE = re.compile(r"\b(?:numa|na\s+maior|numa\s+baita)\s+$")
_CRAZE_THING = re.compile(
    r"\s+d[eoa]s?\s+(?!(?:novo|noite|madrugada|repente|manha|tarde|dia|hoje|ontem|quase|mais|uns|umas|\d))[a-z]"
)


def craze_fever(text: str, start: int, end: int) -> bool:
    """ "tô com febre de Black Friday": a craze, not a temperature."""
    if not text.startswith("febr", start):
        return False
    if _CRAZE_FEVER.match(text, end):
        return True
    if _IN_A_CRAZE.search(text, max(0, start - 16), start) and _CRAZE_THING.match(text, end):
        return True
    return bool(_OF_SOMETHING.match(text, end) and _SPENT_AFTER.match(text[end : end + 60]))


# --- a lesson's topic, a rule for whoever has it ----------------------------------------------------

# "quem sentir dor no peito tem que parar", "todo mundo que tiver febre": the future subjunctive of a
# rule for anyone (never "quem tá com febre sou eu", a cleft in the present).
_WHOEVER = re.compile(
    r"\b(?:quem|(?:todo\s+mundo|qualquer\s+(?:um|uma|pessoa|aluno|funcionario)|(?:a|o|os|as)\s+(?:pessoas?|alunos?|"
    r"alunas?|funcionarios?|trabalhadores?|atletas?))\s+que)\s+(?:nao\s+)?(?:sentir|sentirem|tiver|tiverem|estiver|"
    r"estiverem|ficar|ficarem|apresentar|apresentarem|passar|passarem|comecar|comecarem|for|forem)\b"
    r"[^.;!?\n]{0,60}$"
)
# A lesson and its list of topics: "no curso treinamos ...", "treinamento sobre como agir em caso de",
# "simulação de atendimento a trabalhador que ...", "a apostila fala de".
_TOPIC_HEAD = re.compile(
    r"\b(?:treinamos|treinar|ensinaram|ensinou|ensinando|ensina|aprendemos|primeiros\s+socorros|socorrista|"
    r"brigadistas?|simulac\w+|simulados?|apostila|"
    # a lesson with its topic marker: "palestra sobre", "curso de como", "aula sobre"
    r"(?:curso|cursos|treinamento|treinamentos|aula|aulas|palestra|palestras|capacitac\w+|oficina|workshop|"
    r"modulo|modulos)\s+(?:sobre|de\s+como|para\s+(?:agir|atender|socorrer))|"
    # a leaflet and its topic: "nada disso que apareceu no panfleto de AVC" (held-spec-who2)
    r"(?:panfletos?|folhetos?|cartaz|cartazes|cartilhas?|campanhas?|reportagens?|materias?)\s+(?:sobre|de|do|da)(?:\s+prevencao\s+d[eoa])?)\b"
)
# A person or a first-person word after the head makes it an event: "no treinamento eu desmaiei",
# "na aula tive uma convulsão", "no curso a minha colega desmaiou".
_TOLD_EVENT = re.compile(
    r"\b(?:eu|me|mim|comigo|ele|ela|eles|elas|meu|minha|to|tou|estou|tava|tive|tenho|sinto|senti|comecei|"
    r"fiquei|deu|veio|bateu|teve|ta|esta|ficou|[a-z]{3,}ei|[a-z]{3,}(?:ou|eu|iu))\b"
)
_PAST_VERB = re.compile(r"[a-z]{3,}(?:ou|eu|iu|ei)\b")


@lru_cache(maxsize=8)
def _in_text(text: str) -> tuple[bool, bool]:
    """Whether a rule for whoever and a lesson's head may occur in the text, once per text: every
    mention of a text without them skips both searches."""
    return "quem " in text or " que " in text, may_match(_TOPIC_HEAD, text)


def lesson_topic(text: str, sentence_start: int, start: int) -> bool:
    """The sign is a topic of a course, a training, a talk, or of a rule for whoever has it."""
    if _PAST_VERB.match(text, start):
        return False  # "desmaiou", "desmaiei": an event, whoever had it
    whoever, lesson = _in_text(text)
    if whoever and search_in(_WHOEVER, text, max(sentence_start, start - 80), start):  # its words' places
        return True
    if not lesson:
        return False
    lo = max(sentence_start, start - 200)
    heads = [m.end() for m in _TOPIC_HEAD.finditer(text, lo, start)]
    if not heads:
        return False
    between = text[heads[-1] : start]  # from the nearest head
    if _TOLD_EVENT.search(between) or any(w in RELATIVE_WORDS for w in re.findall(r"[a-z]+", between)):
        return False
    return not re.search(r"\b(?:mas|porem|so\s+que|depois|agora|hoje)\b", between)


# --- a sign corrected in the next clause ------------------------------------------------------------

# "apaguei total kkk, mas não desmaiei não", "fiquei tonto e apaguei, mas desmaiar não desmaiei":
# the plain word of the same sign, denied right after the ambiguous one, tells what it was not.
_CORRECTED = {
    "sincope": r"(?:desmai\w*|desfalec\w*|perd\w+\s+(?:os\s+)?sentidos|cai)",
    "convulsao": r"(?:convuls\w*|tive\s+(?:uma\s+)?convulsao)",
}


def corrected_after(text: str, codigo: str, end: int) -> bool:
    """The same sign, denied in the next clause: "apaguei ..., mas não desmaiei"."""
    plain = _CORRECTED.get(codigo)
    if plain is None:
        return False
    window = text[end : end + 90]
    m = re.match(
        r"[^.;!?\n]{0,60}?\b(?:mas|porem|so\s+que)\s+(?:eu\s+)?(?:(?:desmaiar|cair|convulsionar)\s+)?"
        r"(?:nao|num|nem)\s+(?:cheguei\s+a\s+|chegou\s+a\s+)?" + plain + r"\b",
        window,
    )
    if m is None:
        return False
    # "..., mas não desmaiei hoje": a denial of another time leaves the sign its own
    told = window[: m.end() + 25]
    return not re.search(r"\b(?:hoje|ontem|agora|depois|antes|semana|de\s+novo|dessa\s+vez)\b", told)
