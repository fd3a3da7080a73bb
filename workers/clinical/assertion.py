"""The rest of the ConText assertion of a mention: experiencer, figurative use, hypothetical
questions and episodes that are over. `negation.suppression` already handles the triggers that
sit in the mention's own clause (negation, "retornar se", "histórico de"); what is here needs
the whole message.

Each rule returns the *reason* a mention does not count (`motivo`), and `ASSERTION` maps every
reason to one of SPEC §7's six assertions, so a result lists each discarded mention as
`negado`, `resolvido`, `hipotetico`, `outra_pessoa` or `figurado` (a counted one is `presente`).

Experiencer (Harkema et al.'s "experiencer" slot, adapted to WhatsApp messages):
- A caregiver who introduces themself ("sou a mãe do Pedro", "aqui é a esposa do Antônio",
  "cuidadora da dona Ana", "escrevendo pela minha mãe") writes about the patient: third persons
  are the patient, and the writer's own complaints ("quem tá com febre sou eu") are someone else's.
- Otherwise the writer is the patient. A symptom whose nearest subject is a bystander (neighbour,
  colleague, "a moça do leito ao lado", a relative's relative) belongs to someone else. One whose
  subject is a close relative belongs to someone else when the message makes clear the writer is
  talking about themself ("eu tô bem", "quem tá com febre sou eu", "vim renovar a receita", "meu
  check-up") or the relative's clause is a death or a history ("morreu de infarto"); else the
  writer is a caregiver reporting the patient ("minha mãe apagou na cozinha") and it counts.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import cached_property

from .text import words

# SPEC §7's assertion for each internal reason.
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

_SENTENCE = re.compile(r"[;!?\n]|(?<!\d)\.|\.(?!\d)")

_RELATIVE = (
    r"mae|mamae|pai|papai|filh[oa]s?|filhinh[oa]|irma|irmao|irmaos|irmas|avo|avos|vovo|vo|tio|tia|tios|"
    r"prim[oa]s?|sobrinh[oa]s?|net[oa]s?|marido|espos[oa]|mulher|namorad[oa]|sogr[oa]|cunhad[oa]|genro|"
    r"nora|padrasto|madrasta|bebe|nene|crianca|menin[oa]|enteado|enteada"
)
_BYSTANDER = (
    r"vizinh[oa]s?|colegas?|amig[oa]s?|conhecid[oa]s?|chefe|patra[oa]|moca|moco|rapaz|senhora|senhor|"
    r"homem|pessoa|pessoas|alguem|cara|fulan[oa]|outr[oa]\s+paciente|companheir[oa]\s+de\s+quarto|"
    r"cuidador[a]?"
)
_BYSTANDER_RE = re.compile(r"^(?:" + _BYSTANDER + r"|outr[oa] paciente|companheir[oa] de quarto)$")
_SOU_EU_AFTER = re.compile(r"[^.;!?\n]{0,40}?\b(?:sou\s+eu|foi\s+(?:eu|comigo)|comigo)\b")

_CAREGIVER_INTRO = re.compile(
    r"\b(?:(?:sou|aqui\s+e|quem\s+fala\s+e|falo\s+como|eu\s+sou)\s+(?:a|o)\s+(?:" + _RELATIVE + r"|"
    r"cuidador[a]?|acompanhante|enfermeir[oa]|tecnic[oa])\s+d[oa]|"
    r"cuidador[a]?\s+d[oa]\s|acompanhante\s+d[oa]\s|"
    r"(?:escrevendo|falando|mandando\s+(?:msg|mensagem)|escrevo|falo)\s+(?:pel[oa]|por|em\s+nome\s+d[oa])\s|"
    r"(?:o|a)\s+paciente\s+e\s+(?:meu|minha|o\s+meu|a\s+minha)\s)"
)
# The writer talks about their own state or care: a relative's symptom is not theirs to report.
_SELF_FOCUS = re.compile(
    r"\b(?:eu\s+(?:to|estou|tou|fico|sigo)\s+(?:bem|otim[oa]|tranquil[oa]|normal)|"
    r"(?:mas|e)\s+eu\s+(?:to|estou|tou)\s+bem|sou\s+eu\b|eu\s+que\s|eu\s+so\s+(?:to|estou|tenho)|"
    r"eu\s+nao\s+(?:sinto|tenho|senti|tive)\s+nada|nao\s+sinto\s+nada|"
    r"(?:to|estou)\s+aqui\s+(?:pel[oa]|pra|para|por)|vim\s+(?:so|pra|para|fazer|pegar|renovar|buscar|marcar)|"
    r"(?:meu|minha)\s+(?:proprio\s+|propria\s+)?(?:exame|consulta|check|retorno|receita|atestado|vacina)|"
    r"check-?\s?up|horario\s+de\s+visita|tenho\s+medo\s+de\s+(?:ter|ficar|acontecer)|queria\s+(?:fazer|marcar|renovar)|"
    r"(?:fiquei|to|estou)\s+(?:assustad[oa]|preocupad[oa])\s*,?\s*(?:mas|e)\s+eu)"
)
# The writer's own fever or temperature: "minha mãe faz rádio e eu tô com febre de 38,3".
FIRST_PERSON_FEVER = re.compile(
    r"\b(?:eu\s+)?(?:to|estou|tou|tive|tenho|senti|sinto|medi)\b[^.;!?\n]{0,25}?\b(?:febre|febril|\d{2}[,.]\d|"
    r"\d{2}\s+graus)"
)
_RELATIVE_PAST = re.compile(
    r"\b(?:morreu|morreram|faleceu|faleceram|falecid[oa]|obito|enterr\w*|velorio|internad[oa]|hospitalizad[oa]|"
    r"na\s+uti|no\s+hospital|visita\w*|desde\s+(?:pequen|crianca|sempre|"
    r"que\s+nasceu)|no\s+fim\s+da\s+vida|historico|antecedente|(?:em|de)\s+(?:19|20)\d\d|ano\s+passado|"
    r"anos\s+atras|ha\s+\d+\s+anos)"
)


_DETERMINERS = words("meu minha meus minhas o a os as um uma nosso nossa seu sua dona")
_RELATIVES = words(
    "mae mamae pai papai filho filha filhos filhas filhinho filhinha irma irmao irmaos irmas "
    "avo avos vovo vo "
    "tio tia tios primo prima primos primas sobrinho sobrinha sobrinhos sobrinhas neto neta netos netas "
    "marido esposo esposa mulher namorado namorada sogro sogra cunhado cunhada genro nora padrasto madrasta "
    "bebe nene crianca menino menina enteado enteada"
)
_BYSTANDERS = words(
    "vizinho vizinha vizinhos vizinhas colega colegas amigo amiga amigos amigas conhecido conhecida "
    "conhecidos conhecidas chefe patrao patroa moca moco rapaz senhora senhor homem pessoa pessoas alguem "
    "cara fulano fulana cuidador cuidadora"
)
_OF_OWNERS = words(
    "meu minha sua seu nossa nosso leito quarto lado cama trabalho fila frente primo prima tia tio"
)
_FIRST_WORDS = words(
    "eu comigo sou to tou estou tenho tive sinto senti me meu minha fui fiz faco medi cai comi perdi dormi"
)
_PRONOUNS = words("ele ela eles elas dele dela deles delas")
_WORD_RE = re.compile(r"[a-z]+")


def _scan_people(text: str) -> tuple[list[tuple[int, int, str, bool]], list[int], list[int]]:
    """One pass over the words: people named (start, end, noun, is a relative's relative), the
    first-person words outside them ("meu" of "meu vizinho" is not the writer) and the
    third-person pronouns."""
    toks = [(m.start(), m.end(), m.group(0)) for m in _WORD_RE.finditer(text)]

    def joined(i: int, j: int) -> bool:  # only white space between word i and word j
        return text[toks[i][1] : toks[j][0]].isspace()

    people: list[tuple[int, int, str, bool]] = []
    covered: list[tuple[int, int]] = []
    n = len(toks)
    for i, (s0, _e0, w) in enumerate(toks):
        noun = None
        end_i = i
        if w in _RELATIVES or w in _BYSTANDERS:
            noun = w
        elif w in ("outro", "outra") and i + 1 < n and toks[i + 1][2] == "paciente" and joined(i, i + 1):
            noun, end_i = f"{w} paciente", i + 1
        elif (
            w in ("companheiro", "companheira")
            and i + 2 < n
            and toks[i + 1][2] == "de"
            and toks[i + 2][2] == "quarto"
            and joined(i, i + 1)
            and joined(i + 1, i + 2)
        ):
            noun, end_i = f"{w} de quarto", i + 2
        if noun is None:
            continue
        start = s0
        if i > 0 and toks[i - 1][2] in _DETERMINERS and joined(i - 1, i):
            start = toks[i - 1][0]
        end = toks[end_i][1]
        of = False
        k = end_i + 1
        if k + 1 < n and toks[k][2] in ("do", "da", "dos", "das") and joined(end_i, k) and joined(k, k + 1):
            owner = toks[k + 1][2]
            if owner in _OF_OWNERS or owner.startswith(("vizinh", "amig")):
                of = True
                end = toks[k + 1][1]
        people.append((start, end, noun, of))
        covered.append((start, end))
    firsts = [
        s0
        for s0, _e, w in toks
        if (w in _FIRST_WORDS or (len(w) >= 4 and w.endswith("ei")))
        and not any(a <= s0 < b for a, b in covered)
    ]
    pronouns = [s0 for s0, _e, w in toks if w in _PRONOUNS]
    return people, firsts, pronouns


_FEMININE = words("mae mamae mulher")
_EITHER = words("avo avos vovo vo colega colegas pessoa pessoas crianca bebe nene alguem cara chefe")


def _feminine(noun: str) -> bool | None:
    """True/False for the noun's gender, None when it can be either ("colega", "avó"/"avô" folded)."""
    if noun in _FEMININE:
        return True
    if noun in _EITHER or " " in noun:
        return None
    return noun.rstrip("s").endswith("a")


class Experiencer:
    """Who a mention is about, for one normalised message."""

    def __init__(self, text: str, sentence_starts: list[int] | None = None) -> None:
        self.text = text
        self._sentences = sentence_starts
        self._scanned: tuple[list[tuple[int, int, str, bool]], list[int], list[int]] | None = None

    # Computed on first use: most mentions are settled by their own clause before anyone asks.
    @cached_property
    def caregiver(self) -> bool:
        return bool(_CAREGIVER_INTRO.search(self.text))

    @cached_property
    def self_focus(self) -> bool:
        return bool(_SELF_FOCUS.search(self.text))

    @cached_property
    def sentence_starts(self) -> list[int]:
        if self._sentences is not None:
            return self._sentences
        return [0] + [m.end() for m in _SENTENCE.finditer(self.text)]

    @cached_property
    def _people_scan(self) -> tuple[list[tuple[int, int, str, bool]], list[int], list[int]]:
        return _scan_people(self.text)

    @property
    def people(self) -> list[tuple[int, int, str, bool]]:
        return self._people_scan[0]

    @property
    def firsts(self) -> list[int]:
        return self._people_scan[1]

    @property
    def pronouns(self) -> list[int]:
        return self._people_scan[2]

    @cached_property
    def people_starts(self) -> list[int]:
        return [p[0] for p in self.people]

    def _sentence_start(self, pos: int) -> int:
        i = bisect_right(self.sentence_starts, pos)
        return self.sentence_starts[i - 1] if i else 0

    @staticmethod
    def _last(positions: list[int], lo: int, hi: int) -> int | None:
        i = bisect_left(positions, hi)
        return positions[i - 1] if i and positions[i - 1] >= lo else None

    def _subject(self, start: int, end: int) -> tuple[str, str | None, bool, int]:
        """('first'|'third'|'none', noun, noun is a relative's relative, where the subject starts)."""
        t = self.text
        if re.search(r"[a-z]{2,}ei\b", t[start:end]) or _SOU_EU_AFTER.match(t, end):
            return "first", None, False, start
        s0 = self._sentence_start(start)
        # Carry the subject over one sentence ("Meu vizinho caiu. Desmaiou e bateu a cabeça").
        for lo in (s0, self._sentence_start(max(0, s0 - 2))):
            first = self._last(self.firsts, lo, start)
            person = self._last(self.people_starts, lo, start)
            pronoun = self._last(self.pronouns, lo, start)
            best: tuple[int, str, str | None, bool] | None = None
            if first is not None:
                best = (first, "first", None, False)
            if person is not None and (best is None or person >= best[0]):
                _p0, _p1, noun, of = self.people[self.people_starts.index(person)]
                best = (person, "third", noun, of)
            if pronoun is not None and (best is None or pronoun > best[0]):
                best = (pronoun, "third", self._antecedent(pronoun), False)
            if best is not None:
                return best[1], best[2], best[3], best[0]
            if lo == 0:
                break
        return "none", None, False, start

    def _antecedent(self, pos: int) -> str | None:
        """The last person named before a pronoun, if its gender agrees ("o vizinho disse que ela...":
        "ela" is not the neighbour, so it is the patient)."""
        pronoun = self.text[pos : pos + 5]
        feminine = pronoun.startswith(("ela", "dela"))
        for p_start, _e, noun, _of in reversed(self.people):
            if p_start < pos:
                return noun if _feminine(noun) in (feminine, None) else None
        return None

    def relative_subject(self, start: int, end: int) -> bool:
        """The writer (not a caregiver) names a relative as the subject: "minha mãe faz quimio"."""
        who, noun, _of, _at = self._subject(start, end)
        return not self.caregiver and who == "third" and noun is not None

    def other_person(self, start: int, end: int) -> bool:
        who, noun, of, at = self._subject(start, end)
        if who == "first":
            return self.caregiver
        if who == "none":
            return False
        if self.caregiver:
            # The caregiver writes about the patient; only a bystander is someone else.
            return bool(noun and (of or _BYSTANDER_RE.match(noun)) and noun not in ("cuidador", "cuidadora"))
        if noun is None:
            return (
                self.self_focus
            )  # "ele"/"ela" with no one named: a caregiver, unless the writer is the topic
        if of or _BYSTANDER_RE.match(noun):
            return True
        clause_end = _SENTENCE.search(self.text, end)
        clause = self.text[at : clause_end.start() if clause_end else len(self.text)]
        return self.self_focus or bool(_RELATIVE_PAST.search(clause))


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


def figurative(text: str, start: int, end: int) -> bool:
    """Idioms and near misses: "morrendo de rir", "quase tive um infarto quando vi a conta",
    "meu chefe vai me matar", "o sangue subiu", "sem ar de tanto rir", "roxo de vergonha"."""
    after = text[end : end + 60]
    before = text[max(0, start - 60) : start]
    if _FIG_AFTER.match(after):
        return True
    if _FIG_NEAR_MISS_BEFORE.search(before) and _FIG_NEAR_MISS_REASON.match(after):
        return True
    mention = text[start:end]
    if re.search(r"\b(?:me|te|nos)\s+mat", mention) and (
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
    if re.search(r"\b(?:roxo|roxa|roxos|roxas|azul|azuis)$", mention) and _FIG_IDIOM_AFTER.match(after):
        return True
    return bool(re.search(r"\bvou\s+(?:ter|dar)\s+um\s+$", before))


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
    r"(?:pode|podem|costuma|costumam)\s+(?:dar|causar|provocar|trazer|deixar)\b|"
    r"(?:pode|podem)\s+(?:ser\s+que\s+(?:eu\s+)?(?:tenha|tenho|sinta|fique|de|venha)|acontecer|ter)\b[^.?!\n]*"
    r"\b(?:amanha|semana\s+que\s+vem|depois\s+d|durante|viagem|aviao|voo|quando|futuro|cirurgia))"
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
    r"alta\s+da\s+oncologia)\b"
)
# When the episode was: far enough back that "it passed" closes it. "Agora há pouco ... passou" is
# not: a chest pain that stopped five minutes ago is still an emergency.
_PAST_ANCHOR = re.compile(
    r"\b(?:anteontem|semana\s+passada|semanas\s+atras|mes\s+passado|meses\s+atras|ano\s+passado|anos\s+atras|"
    r"(?:ha|faz)\s+(?:\d+|uns|umas|alguns|algumas|varios|varias)\s+(?:dias|semanas|meses|anos)|"
    r"(?:ha|faz)\s+(?:uma|um|mais\s+de\s+uma?)\s+(?:semana|mes|ano)|"
    r"(?:em|de)\s+(?:19|20)\d\d|quando\s+(?:eu\s+)?(?:era|crianca|pequen[oa]|jovem)|antigamente|"
    r"na\s+(?:ultima|outra)\s+internacao|no\s+passado)\b"
)
_STILL_NOW = re.compile(
    r"\b(?:(?<!nao\s)voltou|(?<!nao\s)voltaram|de\s+novo|novamente|continua|continuo|persiste|ainda|piorou|piorando|"
    r"mas\s+volta|recomecou|outra\s+vez|hoje\s+(?!(?:\w+\s+)?(?:to|estou|tou|me\s+sinto)\s+(?:bem|otim|normal))"
    r"(?:\w+\s+)?(?:to|estou|tive|senti|teve)\s+(?!bem))\b"
)


def episode_over(text: str, sentence_start: int, sentence_end: int, critical: bool) -> bool:
    """A complaint whose sentence says it is over; a CRITICAL one also needs a past date."""
    sentence = text[sentence_start:sentence_end]
    if not _OVER.search(sentence) or _STILL_NOW.search(sentence):
        return False
    return not critical or bool(_PAST_ANCHOR.search(sentence))


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
