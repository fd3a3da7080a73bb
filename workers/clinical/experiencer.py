"""Who a symptom mention is about: the experiencer slot of ConText (Harkema et al.), adapted to
WhatsApp messages. See docs/clinical-engine.md, "Assertion of every mention".

- A caregiver who introduces themself ("sou a mãe do Pedro", "aqui é a esposa do Antônio",
  "cuidadora da dona Ana", "escrevendo pela minha mãe") writes about the patient: third persons
  are the patient, and the writer's own complaints ("quem tá com febre sou eu") are someone else's.
- Otherwise the writer is the patient. A symptom whose nearest subject is a bystander (neighbour,
  colleague, "a moça do leito ao lado", a relative's relative, an animal) belongs to someone else.
  One whose subject is a close relative belongs to someone else when the message makes clear the
  writer is talking about themself ("eu tô bem", "quem tá com febre sou eu", "vim renovar a
  receita", "meu check-up") or the relative's clause is a death or a history ("morreu de
  infarto"); else the writer is a caregiver reporting the patient ("minha mãe apagou na cozinha")
  and it counts.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cached_property

from .antecedent import feminine as gender
from .antecedent import reporter
from .prefilter import WordStarts
from .text import words

_SENTENCE = re.compile(r"[;!?\n]|(?<!\d)\.|\.(?!\d)")

# An animal is never the patient: "a gata aqui de casa teve um ataque".
_ANIMALS = (
    "gato gata gatos gatas gatinho gatinha cachorro cachorra cachorros cachorrinho cachorrinha cao cadela "
    "cachorrao pet pets passarinho papagaio calopsita coelho coelha cavalo egua vaca hamster peixinho "
    "tartaruga periquito"
)
_ANIMALS_RE = "|".join(_ANIMALS.split())

_RELATIVE = (
    r"mae|mamae|pai|papai|filh[oa]s?|filhinh[oa]|irma|irmao|irmaos|irmas|avo|avos|vovo|vo|tio|tia|tios|"
    r"prim[oa]s?|sobrinh[oa]s?|net[oa]s?|marido|espos[oa]|mulher|namorad[oa]|sogr[oa]|cunhad[oa]|genro|"
    r"nora|padrasto|madrasta|bebe|nene|crianca|menin[oa]|enteado|enteada"
)
_BYSTANDER = (
    r"vizinh[oa]s?|colegas?|amig[oa]s?|conhecid[oa]s?|chefe|patra[oa]|moca|moco|rapaz|senhora|senhor|"
    r"homem|pessoa|pessoas|alguem|cara|fulan[oa]|outr[oa]\s+paciente|companheir[oa]\s+de\s+quarto|"
    r"comadres?|compadres?|cumadi|cumpadi|madrinha|padrinho|afilhad[oa]|vizim|vizin|vizinhu|visinh[oa]|"
    r"cuidador[a]?|" + _ANIMALS_RE
)
_BYSTANDER_RE = re.compile(r"^(?:" + _BYSTANDER + r"|outr[oa] paciente|companheir[oa] de quarto)$")
_CARRY_OVER_CHARS = 40
_WHO_BEFORE = re.compile(r"\bquem\s+(?:[a-z]+\s+){0,3}$")
_IS_PERSON_AFTER = re.compile(
    r"[^.;!?\n]{0,40}?\b(?:e|eh|sao|foi)\s+(?:o|a|os|as|meu|minha|nosso|nossa)\s+(?P<noun>[a-z]+)"
    r"(?P<of>\s+(?:dele|dela|deles|delas)\b)?"
)
_EI_VERB = re.compile(r"[a-z]{2,}ei\b")  # "desmaiei": the mention itself says who
_SOU_EU_AFTER = re.compile(r"[^.;!?\n]{0,40}?\b(?:sou\s+eu|foi\s+(?:eu|comigo)|comigo)\b")

_CAREGIVER_INTRO = re.compile(
    # "sou a mãe do Pedro", "aqui é a Sandra, filha da dona Teresa", "sou vizinha da dona Lia"
    r"\b(?:(?:sou|aqui\s+e|quem\s+fala\s+e|falo\s+como|eu\s+sou)\s+(?:(?:a|o)\s+)?(?:[a-z]+\s*,?\s+(?:a\s+|o\s+)?)?"
    r"(?:" + _RELATIVE + r"|cuidador[a]?|acompanhante|enfermeir[oa]|tecnic[oa]|vizinh[oa]|amig[oa])\s+d[oa]|"
    r"cuidador[a]?\s+d[oa]\s|acompanhante\s+d[oa]\s|"
    r"(?:escrevendo|falando|mandando\s+(?:msg|mensagem)|escrevo|falo)\s+(?:pel[oa]|por|em\s+nome\s+d[oa])\s|"
    r"(?:o|a)\s+paciente\s+e\s+(?:meu|minha|o\s+meu|a\s+minha)\s)"
)
# The writer talks about their own state or care: a relative's symptom is not theirs to report.
_SELF_FOCUS = re.compile(
    r"\b(?:eu\s+(?:to|estou|tou|fico|sigo)\s+(?:bem|otim[oa]|tranquil[oa]|normal)|"
    r"(?:mas|e)\s+eu\s+(?:to|estou|tou)\s+bem|sou\s+eu\b|eu\s+so\s+(?:to|estou|tenho)|"
    # "eu que tô com febre", never "nem eu, que sou neta dela" (who the writer is to the patient)
    r"eu\s+que\s(?!(?:sou|so)\s+(?:(?:a|o|sua|seu)\s+)?(?:" + _RELATIVE + r")\b)|"
    r"eu\s+(?:nao|nunca)\s+(?:sinto|tenho|senti|tive)\s+nada|nao\s+sinto\s+nada|"
    r"(?:to|estou)\s+aqui\s+(?:pel[oa]|pra|para|por)|vim\s+(?:so|pra|para|fazer|pegar|renovar|buscar|marcar)|"
    r"(?:meu|minha)\s+(?:proprio\s+|propria\s+)?(?:exame|consulta|check|retorno|receita|atestado|vacina)|"
    r"check-?\s?up|horario\s+de\s+visita|tenho\s+medo\s+de\s+(?:ter|ficar|acontecer)|queria\s+(?:fazer|marcar|renovar)|"
    # the relative is not (yet) a patient here: "como faço pra trazer ele", "ela não é paciente de vcs"
    r"(?:trazer|levar)\s+(?:ele|ela)\s+(?:pra|para|a|ao|na|no)\b|marcar\s+(?:uma\s+)?consulta\s+(?:pra|para)\s+(?:ele|ela)|"
    r"nao\s+e\s+paciente|nao\s+(?:fui|foi|era)\s+eu\b|"
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


_OF_SOMEONE_ELSE = re.compile(r"\bque\s+(?:ja\s+)?$")
_TURN = re.compile(r"\b(?:mas|porem|so\s+que|hoje|hj|ontem|agora|de\s+repente|desde\s+ontem)\b")


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
    "vizim vizin vizinhu visinho visinha cara fulano fulana cuidador cuidadora comadre compadre comadres "
    "compadres cumadi cumpadi madrinha padrinho afilhado afilhada " + _ANIMALS
)
_OF_OWNERS = words(
    "meu minha sua seu nossa nosso leito quarto lado cama trabalho fila frente primo prima tia tio"
)
_FIRST_WORDS = words(
    "eu comigo sou to tou estou tenho tive sinto senti me meu minha fui fiz faco medi cai comi perdi dormi"
)
_PRONOUNS = words("ele ela eles elas dele dela deles delas")
_ANIMAL_WORDS = words(_ANIMALS)
_ADDRESS_BEFORE = words("sim nao s n ss obrigado obrigada brigado brigada ok isso pois bom boa")
_FIRST_PRONOUNS = words("eu comigo me meu minha sou")
# Also interjections ("égua, mana, a Dalva caiu", "cara, tô mal"): a person only after a determiner.
_INTERJECTIONS = words("egua cara")
_MASCULINE_DETERMINERS = words("o um esse aquele outro do no")
_WORD_RE = re.compile(r"[a-z]+")


# Every word `_scan_people` stops at (besides verbs ending in -ei); the others are skipped.
_PERSON_WORDS = _RELATIVES | _BYSTANDERS | words("outro outra companheiro companheira dona")
_NOTABLE = _PERSON_WORDS | _FIRST_WORDS | _PRONOUNS


class _Tokens:
    """The words of a text as `(start, end, word)` by index, built only for the indexes asked:
    the words come from one `findall`, the spans from match objects kept as they are."""

    __slots__ = ("matches", "words")

    def __init__(self, text: str) -> None:
        self.words: list[str] = _WORD_RE.findall(text)
        self.matches = list(_WORD_RE.finditer(text))

    def __getitem__(self, i: int) -> tuple[int, int, str]:
        m = self.matches[i]
        return m.start(), m.end(), self.words[i]


def _scan_people(text: str) -> tuple[list[tuple[int, int, str, bool]], list[int], list[int]]:
    """One pass over the words: people named (start, end, noun, is a relative's relative), the
    first-person words outside them ("meu" of "meu vizinho" is not the writer) and the
    third-person pronouns."""
    toks = _Tokens(text)
    ws = toks.words

    def joined(i: int, j: int) -> bool:  # only white space between word i and word j
        return text[toks[i][1] : toks[j][0]].isspace()

    people: list[tuple[int, int, str, bool]] = []
    first_words: list[int] = []  # token indexes, judged once every person is known
    pronouns: list[int] = []
    n = len(ws)
    # Only the few words that matter are visited (a C `findall` lists the words).
    for i in [i for i, w in enumerate(ws) if w in _NOTABLE or w.endswith("ei")]:
        s0, w = toks[i][0], ws[i]
        if w in _FIRST_WORDS or (len(w) >= 4 and w.endswith("ei")):
            first_words.append(i)
        if w in _PRONOUNS:
            pronouns.append(s0)
        if w not in _PERSON_WORDS:
            continue
        noun = None
        end_i = i
        if w in _RELATIVES or w in _BYSTANDERS:
            noun = w
        elif w == "dona" and i + 1 < n and joined(i, i + 1) and toks[i + 1][2] not in _PERSON_WORDS:
            noun, end_i = "dona", i + 1  # "dona Maria (do quarto ao lado)": a person named
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
        before = toks[i - 1][2] if i > 0 else ""
        needed = _MASCULINE_DETERMINERS if noun == "cara" else _DETERMINERS
        if noun in _INTERJECTIONS and before not in needed:
            continue  # "a cara tronxa" is a face, "o cara" a bystander
        if noun in _ANIMAL_WORDS and not (i > 0 and toks[i - 1][2] in _DETERMINERS):
            continue  # "égua, mana, ...": a bare animal word is an exclamation, never a subject
        if noun in ("senhor", "senhora") and (
            (i > 0 and toks[i - 1][2] in _ADDRESS_BEFORE) or text[toks[i][1] : toks[i][1] + 1] == ","
        ):
            continue  # "sim senhora", "não senhor, ...": the writer addresses the nurse
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
    # People's spans start in text order (they may nest: "a filha do vizinho", "vizinho"), and so
    # do the words, so one walk through the spans tells whether a word lies inside one.
    firsts: list[int] = []
    c = 0
    person_ends = {p[1] for p in people}
    for k in first_words:
        s0, w = toks[k][0], toks[k][2]
        while c < len(people) and people[c][1] <= s0:
            c += 1
        if c < len(people) and people[c][0] <= s0:
            continue
        # "ela me disse": after a third person, "me" is the object, not the subject.
        if w == "me" and k and (toks[k - 1][2] in _PRONOUNS or toks[k - 1][2] in _RELATIVES):
            continue
        # "meu vizinhu tevi infartu" read as "meu vizinho tive": a verb right after a person named
        # is that person's, whatever ending the spelling gave it.
        if w not in _FIRST_PRONOUNS and k and toks[k - 1][1] in person_ends and joined(k - 1, k):
            continue
        firsts.append(s0)
    return people, firsts, pronouns


class Experiencer:
    """Who a mention is about, for one normalised message."""

    def __init__(self, text: str, sentence_starts: list[int] | None = None) -> None:
        self.text = text
        self._sentences = sentence_starts
        self.index: WordStarts | None = None  # the word index (`prefilter`), set by `mention.Scanner`
        self._scanned: tuple[list[tuple[int, int, str, bool]], list[int], list[int]] | None = None

    # Computed on first use: most mentions are settled by their own clause before anyone asks.
    @cached_property
    def caregiver(self) -> bool:
        return self._intro[0] >= 0

    @cached_property
    def self_focus(self) -> bool:
        return bool(self.index.search(_SELF_FOCUS) if self.index else _SELF_FOCUS.search(self.text))

    @cached_property
    def sentence_starts(self) -> list[int]:
        if self._sentences is not None:
            return self._sentences
        return [0] + [m.end() for m in _SENTENCE.finditer(self.text)]

    @cached_property
    def _people_scan(self) -> tuple[list[tuple[int, int, str, bool]], list[int], list[int]]:
        return _scan_people(self.text)

    @cached_property
    def _intro(self) -> tuple[int, int]:
        m = self.index.search(_CAREGIVER_INTRO) if self.index else _CAREGIVER_INTRO.search(self.text)
        return m.span() if m else (-1, -1)

    @cached_property
    def people(self) -> list[tuple[int, int, str, bool]]:
        # The caregiver's own introduction ("sou vizinha da dona Lia") names the writer, not a subject.
        a, b = self._intro
        out: list[tuple[int, int, str, bool]] = []
        for p in self._people_scan[0]:
            if a <= p[0] < b:
                continue
            # "o marido da minha prima": the owner named inside is no subject of its own
            if out and out[-1][3] and out[-1][0] < p[0] < out[-1][1]:
                continue
            out.append(p)
        return out

    def _named_after(self, start: int, end: int) -> bool | None:
        """ "quem tá com febre aqui em casa é a irmã dele": the subject comes after the symptom."""
        if not _WHO_BEFORE.search(self.text, max(0, start - 40), start):
            return None
        m = _IS_PERSON_AFTER.match(self.text, end)
        if m is None:
            return None
        if not self.caregiver:
            return True
        return bool(m.group("of")) or bool(_BYSTANDER_RE.match(m.group("noun")))

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
        if _EI_VERB.search(t[start:end]) or _SOU_EU_AFTER.match(t, end):
            return "first", None, False, start
        s0 = self._sentence_start(start)
        # Carry the subject over one sentence ("Meu vizinho caiu. Desmaiou e bateu a cabeça"), when
        # the mention opens its own sentence; deep into a new sentence the story has moved on.
        carry = start - s0 <= _CARRY_OVER_CHARS
        for lo in (s0, self._sentence_start(max(0, s0 - 2))) if carry else (s0,):
            first = self._last(self.firsts, lo, start)
            person = self._last(self.people_starts, lo, start)
            pronoun = self._last(self.pronouns, lo, start)
            best: tuple[int, str, str | None, bool] | None = None
            if first is not None:
                best = (first, "first", None, False)
            if person is not None and (best is None or person >= best[0]):
                k = self.people_starts.index(person)
                # The owner inside "a gata da minha filha" is not the subject: the outer noun is.
                while k and self.people[k - 1][0] < person < self.people[k - 1][1]:
                    k -= 1
                _p0, _p1, noun, of = self.people[k]
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
        for p_start, p_end, noun, _of in reversed(self.people):
            if p_start < pos:
                if reporter(self.text, p_end, pos):  # "a moça disse que busca ela": not the moça
                    continue
                return noun if gender(noun) in (feminine, None) else None
        return None

    def relative_subject(self, start: int, end: int) -> bool:
        """The writer (not a caregiver) names a relative as the subject: "minha mãe faz quimio"."""
        who, noun, _of, _at = self._subject(start, end)
        return not self.caregiver and who == "third" and noun is not None

    def other_person(self, start: int, end: int) -> bool:
        named = self._named_after(start, end)
        if named is not None:
            return named
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
        stop = clause_end.start() if clause_end else len(self.text)
        # A death told of the next person named is theirs: "a vó tá chamando minha mãe que já faleceu".
        k = bisect_right(self.people_starts, at)
        if k < len(self.people_starts):
            stop = min(stop, self.people_starts[k])
        # "minha mãe teve AVC em 2020 ..., mas desde ontem a boca ficou torta": a turn to the present
        # between the relative's history and the mention starts the mention's own story.
        turns = list(_TURN.finditer(self.text, at, start))
        clause = self.text[turns[-1].start() if turns else at : stop]
        return self.self_focus or any(
            # "chamando minha mãe que já faleceu": a death told of someone else named in the story
            not _OF_SOMEONE_ELSE.search(clause, 0, m.start())
            for m in _RELATIVE_PAST.finditer(clause)
        )
