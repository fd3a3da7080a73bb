"""Who a symptom mention is about: the experiencer slot of ConText (Harkema et al.), adapted to
WhatsApp messages. See docs/clinical-engine.md, "Assertion of every mention".

- A caregiver who introduces themself ("sou a mãe do Pedro", "aqui é a esposa do Antônio",
  "cuidadora da dona Ana", "escrevendo pela minha mãe") writes about the patient: third persons
  are the patient, and the writer's own complaints ("quem tá com febre sou eu") are someone else's.
- Otherwise the writer is the patient. A symptom whose nearest subject is a bystander (neighbour,
  "a moça do leito ao lado", a relative's relative, an animal) belongs to someone else; so does a
  close relative's when the writer talks about themself ("eu tô bem", "vim renovar a receita") or
  the relative's clause is a death or a history ("morreu de infarto"). Else the writer is a
  caregiver reporting the patient ("minha mãe apagou na cozinha") and it counts.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cached_property

from .antecedent import feminine as gender
from .antecedent import reporter
from .history import dated_ago
from .named_patient import another_relative, patient_words
from .own_risk import worried_for_self
from .people import ANIMALS, NAMES, scan_people
from .prefilter import WordStarts, may_match
from .roles import treated_at
from .subject import own_complaint_clause
from .text import words

_SENTENCE = re.compile(r"[;!?\n]|(?<!\d)\.|\.(?!\d)")

_ANIMALS_RE = "|".join(ANIMALS.split())

_RELATIVE = (
    r"mae|mamae|pai|papai|filh[oa]s?|filhinh[oa]|irma|irmao|irmaos|irmas|avo|avos|vovo|vo|tio|tia|tios|"
    r"prim[oa]s?|sobrinh[oa]s?|net[oa]s?|marido|espos[oa]|mulher|namorad[oa]|sogr[oa]|cunhad[oa]|genro|"
    r"nora|padrasto|madrasta|bebe|nene|crianca|menin[oa]|enteado|enteada"
)
_BYSTANDER = (
    r"vizinh[oa]s?|colegas?|amig[oa]s?|conhecid[oa]s?|chefe|patra[oa]|moca|moco|rapaz|senhora|senhor|"
    r"homem|pessoa|pessoas|alguem|cara|fulan[oa]|outr[oa]\s+paciente|companheir[oa]\s+de\s+quarto|"
    r"comadres?|compadres?|cumadi|cumpadi|c[ou]m(?:ad|pad)r?e|madrinha|padrinho|afilhad[oa]|vizim|vizin|vizinhu|visinh[oa]|"
    r"cuidador[a]?|" + _ANIMALS_RE
)
_BYSTANDER_RE = re.compile(r"^(?:" + _BYSTANDER + r"|outr[oa] paciente|companheir[oa] de quarto)$")
_CARRY_OVER_CHARS = 40
_OBJECT_OF = re.compile(r"\b(?:pro|pra|para|pros|pras|ao|aos|com|pelo|pela)\s+$")
# "quem caiu e ralou o joelho sangrando foi o filho da vizinha" ("a outra senhora", held-spec-who2): the
# "quem" clause may run long, but not through the writer ("quem me levou quando desmaiei foi meu marido").
_WHO_BEFORE = re.compile(
    r"\bquem\s+(?:(?!(?:me|eu|mim|comigo|to|tou|estou|tenho|sinto|mas|porem)\b|[a-z]+ei\b)[a-z]+,?\s+){0,8}$"
)
_IS_PERSON_AFTER = re.compile(
    r"[^.;!?\n]{0,40}?\b(?:e|eh|sao|foi)\s+(?:o|a|os|as|um|uma|meu|minha|nosso|nossa)\s+(?P<other>outr[oa]s?\s+)?(?P<noun>[a-z]+)"
    r"(?P<of>\s+(?:dele|dela|deles|delas)\b)?"
)
_EI_VERB = re.compile(r"[a-z]{2,}ei\b")  # "desmaiei": the mention itself says who
_SOU_EU_AFTER = re.compile(r"[^.;!?\n]{0,40}?\b(?:sou\s+eu|foi\s+(?:eu|comigo)|comigo)\b")

_CAREGIVER_INTRO = re.compile(
    # "sou a mãe do Pedro", "aqui é a Sandra, filha da dona Teresa", "sou vizinha da dona Lia"
    r"\b(?:(?:sou|aqui\s+e|quem\s+fala\s+e|falo\s+como|eu\s+sou|^eh?)\s+(?:(?:a|o)\s+)?(?:[a-z]+\s*,?\s+(?:a\s+|o\s+)?)?"
    r"(?:" + _RELATIVE + r"|cuidador[a]?|acompanhante|enfermeir[oa]|tecnic[oa]|vizinh[oa]|amig[oa])\s+d[oa]|"
    r"cuidador[a]?\s+d[oa]\s|acompanhante\s+d[oa]\s|"
    r"(?:escrevendo|falando|mandando\s+(?:msg|mensagem)|escrevo|falo)\s+(?:pel[oa]|por(?!\s+mim\b)|em\s+nome\s+d[oa])\s|"
    r"(?:o|a)\s+paciente\s+e\s+(?:meu|minha|o\s+meu|a\s+minha)\s)"
)
# The writer talks about their own state or care: a relative's symptom is not theirs to report.
_SELF_FOCUS = re.compile(
    r"\b(?:eu\s+(?:aqui\s+|mesm[oa]\s+|propri[oa]\s+)?(?:to|estou|tou|fico|sigo|vou)\s+(?:bem|otim[oa]|tranquil[oa]|normal|firme)|"
    # a greeting answered in the first person ("tô bem, minha filha"), never "tô bem ruim"
    r"^(?:(?:oi|ola|bom\s+dia|boa\s+tarde|boa\s+noite|olha)\W+)?(?:to|tou|estou|vou|vo)\s+(?:bem|otim[oa]|bao|boa)"
    r"(?=\s*[,.;!]|\s+(?:minha|meu|gracas|graca|sim|obrigad[oa]|dona|doutor[a]?|moca|querid[oa])\b|$)|"
    # "minha sogra que teve convulsão, eu não": the writer set apart from another's episode
    r"(?:eu|comigo)\s+nao(?=\s*(?:[,.;!]|$)|\s+gracas?\s+a\s+deus)|"
    # "minha irmã tá com febre e eu tô só com uma coriza": the writer's own lesser complaint, set apart
    r"eu\s+(?:to|estou|tou)\s+so\s+com\s+(?!(?:medo|raiva|pressa|saudade|preocupac)\w*)|"
    r"(?:mas|e)\s+eu\s+(?:to|estou|tou)\s+bem|quanto\s+a\s+mim\s+(?:\w+\s+)?(?:to|estou|tou)\s+bem|sou\s+eu\b|eu\s+so\s+(?:to|estou|tenho)|"
    # "eu que tô com febre", never "nem eu, que sou neta dela" (who the writer is to the patient)
    r"eu\s+que\s(?!(?:sou|so)\s+(?:(?:a|o|sua|seu)\s+)?(?:" + _RELATIVE + r")\b)|"
    r"eu\s+(?:nao|nunca)\s+(?:sinto|tenho|senti|tive)\s+nada|nao\s+sinto\s+nada|"
    r"(?:to|estou)\s+aqui\s+(?:pel[oa]|pra|para|por)|vim\s+(?:so|pra|para|fazer|pegar|renovar|buscar|marcar)|"
    r"(?:meu|minha|meus|minhas)\s+(?:proprio\s+|propria\s+)?(?:exames?|consultas?|check|retorno|receitas?|atestado|vacinas?)|"
    r"check-?\s?up|horario\s+de\s+visita|tenho\s+medo\s+de\s+(?:ter|ficar|acontecer)|queria\s+(?:fazer|marcar|renovar)|"
    # the relative is not (yet) a patient here: "como faço pra trazer ele" (never "levar ela pra casa")
    r"(?:trazer|levar)\s+(?:ele|ela)\s+(?:pra|para|a|ao|na|no)\b(?!\s+(?:casa|sitio|roca|fazenda)\b)|marcar\s+(?:uma\s+)?consulta\s+(?:pra|para)\s+(?:ele|ela)|"
    r"nao\s+e\s+paciente|nao\s+(?:fui|foi|era)\s+eu\b|"
    # a relative brought along to the writer's own appointment: "vou levar minha mãe junto", "posso
    # trazer meu pai comigo na consulta?"; never to an emergency ("levar minha mãe junto pra UPA")
    r"(?:levar|trazer|levo|trago)\s+(?:o\s+|a\s+)?(?:meu|minha)\s+[a-z]+\s+(?:junto|comigo|tambem|(?:na|pra|para\s+a)\s+"
    r"(?:minha\s+)?consulta)\b(?![^.;!?\n]{0,40}\b(?:pronto|ps|upa|hospital|emergencia|socorro|samu|agora)\b)|"
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
    r"que\s+nasceu)|no\s+fim\s+da\s+vida|historico|antecedente|ano\s+passado|anos\s+atras|ha\s+\d+\s+anos|"
    r"(?<!ta\s)(?<!esta\s)(?<!tamo\s)(?:em|de)\s+(?:19|20)\d\d)"  # never "acha que tá em 1980" (held-recall2)
)


# "Minha filha viu o primo ter uma convulsão": the one a third person saw is not the one who saw.
_WITNESSED = re.compile(r"\b(?:viu|viram|presenciou|presenciaram|assistiu|testemunhou)\s+(?:a\s+|ao\s+)?$")
_BARE_ARTICLE = re.compile(r"(?:o|a|os|as)\s")
_MY = ("minha ", "meu ", "minhas ", "meus ")
# An uncle, a cousin, a nephew whose crisis the writer is shaken by ("meu sobrinho tentou se matar,
# tô muito abalado", "grupo de apoio pra família"): the writer is the family, not the caregiver.
_EXTENDED = words(
    "tio tia tios tias primo prima primos primas sobrinho sobrinha sobrinhos sobrinhas cunhado cunhada"
)
_DISTRESS = re.compile(
    r"\b(?:(?:to|estou|tou|fiquei|ando|fico)\s+(?:muito\s+|tao\s+|meio\s+|bem\s+)?(?:abalad[oa]|arrasad[oa]|"
    r"chocad[oa]|devastad[oa]|sem\s+chao|mexid[oa])|apoio\s+(?:pra|para|a|à)\s+(?:a\s+)?familia|"
    r"grupo\s+de\s+apoio)\b"
)
# A relative clause right after a person: "que dorme com a", "que cuida da".
_RELATIVE_CLAUSE = re.compile(r"\s+que\s+(?:(?!(?:que|e|mas|disse|falou)\b)[a-z]+\s+){1,4}")
_TOLD_TO = re.compile(r"\b(?:pra|para|pro|ao|a|com)\s+(?:(?:o|a)\s+)?$")
# ... nor when the verb after it may take the patient as a dropped object ("encontrou desmaiada").
_SAYS = re.compile(
    r"\b(?:disse|falou|contou|avisou|explicou|informou|comentou|garantiu|acha|achou|encontrou|viu|pegou|levou|"
    r"socorreu|deixou)\b"
)
_OF_SOMEONE_ELSE = re.compile(r"\bque\s+(?:ja\s+)?$")
_TURN = re.compile(r"\b(?:mas|porem|so\s+que|hoje|hj|ontem|agora|de\s+repente|desde\s+ontem)\b")
# An aside that returns to the writer after a story about others (s3de-recall): "o moço da farmácia
# disse que é igual, ah e desde cedo o ar não tá dando", "outra coisa:", "aliás".
_TOPIC_SWITCH = re.compile(r"\bah+\s*,?\s+(?:e|sim|outra)\b|\boutra\s+coisa\b|\balias\b")

_WRITER_FINE = re.compile(
    r"\beu\s+(?:(?:ja|mesm[oa]|graca\s+a\s+deus|gracas\s+a\s+deus)\s+)?(?:to|estou|tou|sigo|fico|continuo)\s+"
    r"(?:bem|otim[oa]|tranquil[oa]|normal|bao|boa|firme)\b"
)
# A relative clause after the mention names who had it: "a dor no peito que minha vizinha sentiu",
# "o desmaio que o colega de serviço teve"; so does an owner right after it: "o AVC da minha avó",
# "a convulsão do meu irmão". A verb of the writer ("que eu senti") or of saying ("que minha mãe
# falou") is no such clause.
_DET = r"(?:o|a|os|as|meu|minha|meus|minhas|seu|sua|nosso|nossa|dona|o\s+meu|a\s+minha)"
_FELT_BY = re.compile(
    r"\s+(?:(?:que|q)\s+(?P<who>(?:" + _DET + r"\s+)?[a-z]+(?:\s+(?!(?:que|e|mas|eu)\b)[a-z]+){0,3}?)\s+"
    r"(?:(?:ja|tambem|la|ontem)\s+)?(?:sentiu|sente|sentia|teve|tem|tinha|tava\s+sentindo|estava\s+sentindo|passou|"
    r"apresentou|relatou|descreveu|sofreu)\b|"
    r"(?:d[oa]s?)\s+(?P<owner>(?:minha|meu|minhas|meus|sua|seu|nossa|nosso|dona)\s+[a-z]+|(?:vizinh|colega|amig)[a-z]*))"
)
# ... unless the writer has it too: "tô com a mesma falta de ar que minha vizinha teve".
_MINE_TOO = re.compile(
    r"\b(?:mesm[oa]|igual|parecid[oa]|(?:to|tou|estou|tenho|sinto|senti|tive|fiquei|me\s+deu)(?:\s+com)?"
    r"(?:\s+(?:uma?|a|o|essa|esse))?)\s+$"
)


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
        found = self.index.search(_SELF_FOCUS) if self.index else _SELF_FOCUS.search(self.text)
        return bool(found) or worried_for_self(self.text)

    @cached_property
    def patient(self) -> frozenset[str]:
        return patient_words(self.text)

    @cached_property
    def sentence_starts(self) -> list[int]:
        if self._sentences is not None:
            return self._sentences
        return [0] + [m.end() for m in _SENTENCE.finditer(self.text)]

    @cached_property
    def _people_scan(self) -> tuple[list[tuple[int, int, str, bool]], list[int], list[int]]:
        return scan_people(self.text)

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
        lo = max(0, start - 80)
        if "quem" not in self.text[lo:start] or not _WHO_BEFORE.search(self.text, lo, start):
            return None
        m = _IS_PERSON_AFTER.match(self.text, end)
        if m is None:
            return None
        if not self.caregiver:
            return True
        return bool(m.group("of") or m.group("other") or _BYSTANDER_RE.match(m.group("noun")))  # "a outra"

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
        switches = (
            [m.start() for m in _TOPIC_SWITCH.finditer(t, s0, start)]
            if may_match(_TOPIC_SWITCH, t[s0:start])
            else []
        )
        if switches:
            s0, carry = switches[-1], False  # the aside starts the mention's own story
        for lo in (s0, self._sentence_start(max(0, s0 - 2))) if carry else (s0,):
            first = self._last(self.firsts, lo, start)
            person = self._last(self.people_starts, lo, start)
            if person is not None and person < s0 and _OBJECT_OF.search(t, max(0, person - 6), person):
                person = None  # "pedir folga pro meu chefe. a pressão deu 19 por 11": no subject carried
            pronoun = self._last(self.pronouns, lo, start)
            best: tuple[int, str, str | None, bool] | None = None
            if first is not None:
                best = (first, "first", None, False)
            if person is not None and (best is None or person >= best[0]):
                k = self.people_starts.index(person)
                # The owner inside "a gata da minha filha" is not the subject: the outer noun is.
                while k and self.people[k - 1][0] < person < self.people[k - 1][1]:
                    k -= 1
                # A name in apposition ("a irmã da igreja, a Dalva, me contou") is the noun before it.
                # So is a noun with a bare article after a relative's relative: "a irmã dela, a tia Dalva,
                # teve um infarto" (never after a vocative: "oi vizinha, a mãe tá com febre").
                if (
                    k
                    and (
                        self.people[k][2] in NAMES
                        or self.people[k][2] == "dona"
                        or (self.people[k - 1][3] and _BARE_ARTICLE.match(t, self.people[k][0]))
                    )
                    and t[self.people[k - 1][1] : self.people[k][0]].strip() in (",", "")
                ):
                    k -= 1
                k = self._outside_relative_clause(k, lo, start)
                _p0, _p1, noun, of = self.people[k]
                best = (person, "third", noun, of)
            if pronoun is not None and (best is None or pronoun > best[0]):
                best = (pronoun, "third", self._antecedent(pronoun), False)
            if best is not None:
                return best[1], best[2], best[3], best[0]
            if lo == 0:
                break
        return "none", None, False, start

    def _outside_relative_clause(self, k: int, lo: int, start: int) -> int:
        """ "a cuidadora que dorme com a minha mãe teve falta de ar": a person named inside a relative
        clause of an earlier one is not the subject; the earlier one is (not after a verb of saying,
        "falei pra vizinha que minha mãe", nor when a report follows, "... falou que teve")."""
        t = self.text
        if not k or self.people[k - 1][0] < lo:
            return k
        p0, p0_end = self.people[k - 1][0], self.people[k - 1][1]
        if (
            _RELATIVE_CLAUSE.fullmatch(t, p0_end, self.people[k][0])
            and not _TOLD_TO.search(t, max(lo, p0 - 12), p0)
            and not _SAYS.search(t, self.people[k][1], start)
        ):
            return k - 1
        return k

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

    def _felt_by(self, start: int, end: int) -> tuple[str, bool, int] | None:
        """ "a dor no peito que minha vizinha sentiu": the person a relative clause right after the
        mention names as the one who had it (noun, a relative's relative, where they start)."""
        m = _FELT_BY.match(self.text, end)
        if m is None or _MINE_TOO.search(self.text, max(0, start - 40), start):
            return None
        k = bisect_left(self.people_starts, end)
        who_end = m.end("who") if m.group("who") else m.end("owner")
        if k < len(self.people) and self.people[k][0] < who_end:
            _p0, _p1, noun, of = self.people[k]
            return noun, of, self.people[k][0]
        return None

    def other_person(self, start: int, end: int) -> bool:
        named = self._named_after(start, end)
        if named is not None:
            return named
        felt = self._felt_by(start, end)
        who, noun, of, at = ("third", *felt) if felt else self._subject(start, end)
        if who == "first":
            return self.caregiver
        if (
            who == "third"
            and noun is not None
            and _BARE_ARTICLE.match(self.text, at)
            and _WITNESSED.search(self.text, max(0, at - 30), at)
        ):
            return True
        if who == "none" or (who == "third" and own_complaint_clause(self.text, at, start)):
            return False
        # "a vó, que é a paciente de vocês, tá ótima": "minha irmã teve sangramento" (the writer's own
        # relative named, never a pronoun's antecedent nor "a mãe", which a grandchild may say of the patient)
        if noun is not None and self.text.startswith(_MY, at) and another_relative(noun, self.patient):
            return True
        if self.caregiver:
            # The caregiver writes about the patient; only a bystander is someone else.
            return bool(noun and (of or _BYSTANDER_RE.match(noun)) and noun not in ("cuidador", "cuidadora"))
        if noun is None:  # "ele"/"ela" with no one named: a caregiver, unless the writer is the topic
            return self.self_focus
        if of or _BYSTANDER_RE.match(noun):
            return True
        if noun in _EXTENDED and _DISTRESS.search(self.text):
            return True
        # A named adult ("o Zé da venda") is someone else when the writer says right after it that
        # they are fine; the message's other words about the writer do not reach that far.
        named = noun in NAMES and bool(_WRITER_FINE.search(self.text, at, min(len(self.text), end + 160)))
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
        # "minha irmã teve um AVC mês passado", "faz cinco anos": when the relative is named in the
        # mention's own sentence (not a date of the writer's own complaint after a story about them).
        months = at >= self._sentence_start(start) and dated_ago(self.text, clause, start, end)
        return (
            (self.self_focus and noun not in NAMES)
            or named
            or months
            or any(
                # "chamando minha mãe que já faleceu": a death told of someone else named in the story
                not _OF_SOMEONE_ELSE.search(clause, 0, m.start())
                and not (m.group(0) == "no hospital" and treated_at(clause, m.start()))
                for m in _RELATIVE_PAST.finditer(clause)
            )
        )
