"""How a patient's answer reads, before knowing what it answers: yes, no or a hedge; whether it
says something goes on or stopped; and the numbers in it, as each kind of question would take
them (a temperature, a pain score, a glucose, a saturation, a blood pressure).

Numbers may be digits or words ("39 e meio", "trinta e oito vírgula quatro", "nove", "nueve");
a number that is a time ("às 9:15"), a dose ("2 comprimidos de 500") or a count of something
else is not taken for a reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from .answer_preamble import without_preamble
from .hedged_answers import FREQUENCY, after_reluctance
from .numbers import digits_for_words
from .spelling import fix_typos
from .spoken import spoken_no_text
from .text import normalise
from .voice import answer_clause_end

# Fillers a patient puts before the answer itself: "ah... às vezes", "infelizmente não".
_FILLER = re.compile(
    r"^(?:(?:ah+|ai+|ahn|hum+|bom\s+dia|boa\s+tarde|boa\s+noite|bom|olha|entao|infelizmente|felizmente|oi|ola|opa|eita|poxa|nossa|"
    r"doutora?|moca|enfermeira|minha\s+filha|meu\s+filho|minha\s+jovem|graca\s+a\s+deus|gracas\s+a\s+deus|"
    # a hesitation: "tipo... às vezes sim" (never "tipo 39", where it introduces the reading)
    r"tipo(?=\s*[,.…]))"
    r"\b[\s,.!;:…-]*)+"
)
# Said at the start, these are a yes that the thing goes on ("não para", "não passa").
_ONGOING_START = re.compile(
    r"^(?:nao|no|n|num|nun)\s+(?:para|parou|paro|passa|passou|passo|melhora|melhorou|melhoro|estanca|estancou|sara)\b|"
    # the North-East order, the verb before the "não": "passou não", "parou não"
    r"^(?:parou|passou|melhorou|estancou|sarou)\s+(?:nao|n|num)\b"
)
_NO = re.compile(
    # the verb said back with a "não" after it, as the North-East denies: "consigo não", "tenho não"
    r"^(?:(?:consigo|consegue|conseguiu|consegui|tenho|tem|tive|teve|sinto|sente|senti|to|ta|estou|esta|doi|doeu|"
    r"vi|fiz|fez|tomei|tomou|bebi|bebeu|vomitei|vomitou|penso|pensei|fico|ficou|segura|seguro|aguento|aguenta)"
    # (unpunctuated, as dictated, a new clause may follow: "consigo não volta tudo")
    r"\s+(?:nao|n|num)(?:\s+senhora?)?(?=\s*(?:[,.!;]|$)|\s+(?!(?:sei|lembro|sabe)\b)[a-z]))[\s,.!;:-]*|"
    r"^(?:nao|n|nunca|nada|nenhum|nenhuma|negativo|de\s+jeito\s+nenhum|jamais|no(?=\s*(?:[,.!;]|$))|"
    r"acho\s+(?:que|q)\s+(?:nao|n)|"
    # "nem um gole", "nem uma gota", "nem um pouquinho": none at all
    r"nem\s+(?:um|uma)\s+(?:gole|gota|pouco|pouquinho|bocado|colher\w*))\b[\s,.!;:-]*"
)
_HEDGE = re.compile(
    # "sei não" is the North-East "não sei", a doubt, never a denial
    r"\b(?:as\s+vezes|de\s+vez\s+em\s+quando|acho\s+(?:que|q)\s+sim|talvez|mais\s+ou\s+menos|sei\s+la|nao\s+sei|sei\s+nao|"
    r"ja\s+pensei|penso|pensei|tenho\s+pensado|passou\s+sim|um\s+pouco|meio\s+que|pode\s+ser|"
    + FREQUENCY
    + r")\b"
)
_YES = re.compile(
    r"^(?:sim|s|ss|si|yes|isso|aham|uhum|claro|com\s+certeza|certeza|exato|positivo|bastante|muito|muita|"
    r"demais|um\s+pouco)\b[\s,.!;:-]*"
    # "Já parou?" "já, tá sequinho": the adverb echoed on its own is a yes
    r"|^ja(?:\s+sim)?(?=\s*(?:[,.!]|$)|\s+(?:gracas|graca|gloria)\b|\s+(?:ta|esta)\s+(?:sequinh|sec[oa]|limp[oa]|"
    r"parad[oa]|bom|boa|melhor|otim[oa]|normal))[\s,.!]*"
    # "tô", "tenho", "tive" answer yes only on their own ("tô sim", "tenho, bastante", "tenho. quase
    # todo dia", "tenho tido" to "tem tido...?"): in "estou melhor" the verb starts a statement of its own.
    r"|^(?:estou|to|tou|tenho|tive|senti|sinto|ta|esta)(?:\s+(?:tido|sentido))?(?:\s+sim)?[\s,.!]*"
    r"(?=$|sim|bastante|muito|muita|um\s+pouco|mas\b|(?:" + FREQUENCY + r")\b)"
    # the verb said back with a "sim" after it, as the North-East confirms: "entortou sim", "caiu sim"
    # (never a verb of ending, "baixou sim" to "a febre baixou?", read as before)
    r"|^(?!(?:parou|passou|melhorou|sumiu|baixou|abaixou|acabou|estancou|secou|sarou|cedeu|diminuiu|aliviou|"
    r"normalizou|resolveu|cessou|desinchou|curou)\b)[a-z]{3,}\s+sim\b[\s,.!;:-]*"
)
_HEDGE_OVER_NO = frozenset(
    {
        "nao sei",
        "sei la",
        "as vezes",
        "as vez",
        "de vez em quando",
        "mais ou menos",
        "talvez",
        "acho que sim",
        "pode ser",
    }
)
_INTENSITY = frozenset({"bastante", "muito", "muita", "demais"})
_ONGOING = re.compile(
    r"\b(?:continua\w*|ainda|(?:nao|num|nun)\s+(?:para|parou|paro|passa|passou|passo|estanca|estancou|melhora|melhorou)|"
    r"no\s+para|"
    r"sem\s+parar|(?:ta|esta)\s+saindo|escorrendo|encharc\w*|empapad\w*|pingando|piorando|aumentando|"
    r"mesmo\s+apertando|sigue|"
    # "já parou, mas voltou agora": it came back
    r"(?<!nao\s)(?<!mais\s)voltou(?!\s+(?:tudo\s+)?ao\s+normal)|de\s+novo|recomecou|outra\s+vez)\b"
)
# Effort done without stopping to rest is breath regained, not a thing that does not stop: "subo a
# ladeira da padaria de boa sem parar" (held-spec-who2).
_EFFORT_NONSTOP = re.compile(
    r"\b(?:subo|subi|ando|andei|caminho|caminhei|corro|corri|nado|nadei|pedalo|pedalei|consigo|consegui)\b"
    r"[^.,;!?]{0,40}?\bsem\s+parar\b"
)
_STOPPED = re.compile(
    r"\b(?:parou|estancou|passou|sumiu|melhorou|acabou|secou|sequinh[oa]|ja\s+nao|nao\s+(?:tenho|tem|sinto|esta|ta)\s+mais|"
    r"ya\s+no)\b"
)
_SPANISH_NUMBERS = {
    "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5", "seis": "6", "siete": "7",
    "ocho": "8", "nueve": "9", "diez": "10",
}  # fmt: skip
_NUMBER = re.compile(r"(?<![\d:/,.])(\d{1,4})(?:\s*[.,]\s*(\d{1,2}))?(?![\d:])")
# "39 e meio", "39 e 2": how a temperature is said aloud.
_SAID_DECIMAL = re.compile(r"\b(3[4-9]|4[0-4])\s+e\s+(meio|meia|\d)\b")
# A number followed by a unit is a dose, a duration or a price, not a reading. Counts ("12 vezes",
# "3x") are left alone: they answer "quantas vezes?" (docs/clinical-engine.md, "Seventh session").
_UNIT_AFTER = re.compile(
    r"\s*(?:(?:comprimidos?|cps?|gotas|ml|mg|mcg|ui|u|hs?|horas?|min|minutos?|copos?|anos?|dias?|"
    r"semanas?|meses|kg|reais|litros?|da\s+manha|da\s+tarde|da\s+noite)\b|r\$|:\d)"
)
_TIME_BEFORE = re.compile(r"(?:\b(?:as|a|desde|ate|das|de|dia|n[oº°]|numero|sala)\s*|:)$")
_READING_BEFORE = re.compile(
    r"\b(?:deu|da|marcou|marca|mostrou|ta|esta|tava|estava|uns|umas|tipo|nota|e|foi|dou|daria|quase|"
    r"mais\s+ou\s+menos|medi|mediu|agora|"
    # a reading told as where it went: "agora baixou pra 37,2", "subiu pra 39"
    r"(?:baixou|subiu|caiu|foi|voltou|passou|desceu|aumentou|abaixou)\s+(?:pra|para|a))\s*$"
)


# The measure an answer names before a number: "a pressão deu 13 por 8 e a glicose 110" gives 13
# and 8 to the pressure and 110 to the glucose, whatever the question asked (docs/clinical-engine.md,
# "s5-spec-who"). A number with no such word is any measure's.
_LABELS = (
    ("pressao", r"pressao|pa"),
    ("glicemia", r"glicose|glicemia|glicosimetro|dextro|hgt|acucar|diabete"),
    ("temperatura", r"febre|temperatura|termometro"),
    ("saturacao", r"saturacao|saturando|sat|oxigenio|oximetro"),
    ("batimentos", r"batimentos?|bpm|pulso|frequencia"),
)
_LABEL = re.compile(r"\b(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _LABELS) + r")\b")
_PAIR_AFTER = re.compile(r"\s*(?:por|x|/)\s*\d")
_PAIR_BEFORE = re.compile(r"\d\s*(?:por|x|/)\s*$")


def _label(text: str, start: int, end: int, floor: int) -> str | None:
    """The measure a number at text[start:end] belongs to: a pair "13 por 8" is a pressure, else
    the last measure word close before the number, after `floor` (the previous number)."""
    if _PAIR_AFTER.match(text, end) or _PAIR_BEFORE.search(text, max(0, start - 8), start):
        return "pressao"
    last = None
    for m in _LABEL.finditer(text, max(floor, start - 30), start):
        last = m.lastgroup
    return last


@dataclass(frozen=True)
class Answer:
    polarity: str | None  # "sim", "nao", "talvez" (a hedge) or None
    rest: str  # what follows the yes/no word
    intensity: str | None = None  # "bastante", "muito" when the yes was one
    ongoing: bool | None = None  # says it goes on (True) or stopped (False)
    numbers: tuple[tuple[float, str, bool], ...] = ()  # (value, as written, looks like a reading)
    bare_number: bool = False  # the answer is little more than a number
    hedge: str | None = None  # the hedge of a "talvez": "as vezes", "nao sei", ...
    labels: tuple[str | None, ...] = ()  # per number, the measure the answer names for it (`_label`)

    def _mine(self, label: str) -> list[tuple[float, str, bool]]:
        """The numbers a measure may take: its own and the unnamed ones."""
        if not self.labels:
            return list(self.numbers)
        return [n for n, lab in zip(self.numbers, self.labels, strict=True) if lab in (None, label)]

    def _pick(
        self, lo: float, hi: float, integer: bool = False, label: str = "", latest: bool = False
    ) -> tuple[float, str] | None:
        candidates = [
            (v, s, r) for v, s, r in self._mine(label) if lo <= v <= hi and (not integer or v == int(v))
        ]
        if not candidates:
            return None
        if latest:  # the last one told, as a series is told in the order it was measured
            candidates.reverse()
        v, s, _ = next((c for c in candidates if c[2]), candidates[0])
        return v, s

    @property
    def temperature(self) -> str | None:
        # "38,3 há pouco, agora baixou pra 37,2": the latest reading of a series is the one that counts
        got = self._pick(34.0, 44.0, label="temperatura", latest=True)
        return got[1] if got else None

    @property
    def pain(self) -> str | None:
        got = self._pick(0, 10, integer=True)
        return str(int(got[0])) if got else None

    @property
    def glucose(self) -> str | None:
        got = self._pick(10, 2000, integer=True, label="glicemia")
        return str(int(got[0])) if got else None

    @property
    def saturation(self) -> str | None:
        got = self._pick(50, 100, integer=True, label="saturacao")
        return str(int(got[0])) if got else None

    @property
    def count(self) -> str | None:
        got = self._pick(1, 60, integer=True)
        return str(int(got[0])) if got else None

    @property
    def heart_rate(self) -> str | None:
        got = self._pick(20, 300, integer=True, label="batimentos")
        return str(int(got[0])) if got else None

    @property
    def pressure(self) -> tuple[int, int] | None:
        values = [int(v) for v, _s, _r in self._mine("pressao") if v == int(v)]
        for s, d in pairwise(values):
            if s < 30 and d < 20:  # lay "18 por 11" means 180/110 mmHg
                s, d = s * 10, d * 10
            if 40 <= s <= 300 and 20 <= d <= 200 and s > d:
                return s, d
        return None

    def describe(self) -> str | None:
        parts = []
        if self.polarity:
            parts.append(self.polarity)
        if self.ongoing is not None:
            parts.append("continua" if self.ongoing else "parou")
        if self.numbers:
            parts.append("numero " + " ".join(s for _v, s, _r in self.numbers[:3]))
        return ", ".join(parts) or None


def _decimal(said: str) -> str:
    return "5" if said.startswith("mei") else said


def _numbers(folded: str) -> tuple[tuple[tuple[float, str, bool], ...], str, tuple[str | None, ...]]:
    words = folded.split()
    if words and words[0].strip(",.!") in _SPANISH_NUMBERS:
        words[0] = _SPANISH_NUMBERS[words[0].strip(",.!")]
    # Spelt as spoken ("trinta i novi i meio") before the words become digits, as the rules read it
    text = digits_for_words(fix_typos(normalise(" ".join(words)))).text
    text = _SAID_DECIMAL.sub(
        lambda m: f"{m.group(1)},{'5' if m.group(2).startswith('mei') else m.group(2)}", text
    )
    out = []
    labels: list[str | None] = []
    floor = 0
    for m in _NUMBER.finditer(text):
        if _UNIT_AFTER.match(text, m.end()):
            continue
        before = _TIME_BEFORE.search(text, max(0, m.start() - 12), m.start())
        # "dia 118" on a blood pressure monitor is the diastolic, no day of the month
        if before and not (before.group(0).strip() == "dia" and int(m.group(1)) > 31):
            continue
        written = m.group(1) + (f",{m.group(2)}" if m.group(2) else "")
        value = float(written.replace(",", "."))
        reading = bool(_READING_BEFORE.search(text, max(0, m.start() - 20), m.start())) or m.start() == 0
        out.append((value, written, reading))
        labels.append(_label(text, m.start(), m.end(), floor))
        floor = m.end()
    return tuple(out), text, tuple(labels)


# A closing clause after the answer, the errand or the thanks ("às vezes sim, hoje de novo, tô aqui só pra
# renovar a receita", "..., queria saber do exame", "..., obrigada"): no part of how long the answer is.
_CLOSING = re.compile(
    r"[\s,]+(?:(?:to|tou|estou|vim)\s+(?:aqui\s+)?(?:so\s+)?(?:pra|para)\s+(?:renovar|pegar|marcar|remarcar|buscar|"
    r"saber|ver|mostrar)|(?:to|tou|estou)\s+aqui\s+so\b|(?:queria|gostaria\s+de|quero)\s+(?:tambem\s+)?(?:saber|marcar|"
    r"remarcar|pedir|renovar|ver)|(?:muito\s+)?obrigad[oa]|brigad[oa]|valeu|grat[oa])\b[^.!?;\n]*$"
)


def read_answer(folded: str) -> Answer:
    """Read an answer (folded text: lower case, no accents)."""
    body = spoken_no_text(without_preamble(_FILLER.sub("", folded).strip()))
    # "tenho vergonha... mas pensei sim": the answer follows the shame (`hedged_answers`)
    body = after_reluctance(body)
    first_clause = re.split(r"[.!?;\n]", body, maxsplit=1)[0]
    said_next = answer_clause_end(first_clause)  # dictated: "às vezes sim ontem fiquei …"
    if said_next is not None:
        first_clause = first_clause[:said_next]
    numbers, digits, labels = _numbers(body)
    bare = bool(numbers) and len(re.findall(r"[a-z]+", digits)) <= 4 and len(digits) <= 40
    no = _NO.match(body)
    # "tá não parou ontem": the "não" of the verb said back is the answer, no part of "não parou"
    told = first_clause[no.end() :] if no is not None and not body.startswith("nao") else first_clause
    ongoing: bool | None = True if _ONGOING.search(_EFFORT_NONSTOP.sub(" ", told)) else None
    if ongoing is None and _STOPPED.search(told):
        ongoing = False
    if _ONGOING_START.match(body):
        return Answer("sim", body, None, True, numbers, bare, labels=labels)
    hedge = _HEDGE.search(first_clause)
    # "não sei", "não, às vezes": a hedge right after the "não" is not a no.
    if no is not None and not (hedge and hedge.start() < 12 and hedge.group(0) in _HEDGE_OVER_NO):
        # "não, só tosse": the rest follows the no. "não tive febre", "nenhuma dor no peito", "nunca
        # desmaiei": the no-word opens the patient's own sentence and stays in it.
        standalone = no.end() >= len(body) or bool(re.search(r"[,.!;:-]", body[no.start() : no.end()]))
        rest = body[no.end() :] if standalone else body
        return Answer("nao", rest.strip(" ,.!;:-"), None, ongoing, numbers, bare, labels=labels)
    yes = _YES.match(body)
    if yes is not None:
        said = body[: yes.end()].strip(" ,.!;:-")
        intensity = said if said in _INTENSITY else None
        return Answer(
            "sim", body[yes.end() :].strip(" ,.!;:-"), intensity, ongoing, numbers, bare, labels=labels
        )
    # "às vez sim mais de noite quando fico sozinho", dictated: a hedge and its "sim" open the answer,
    # however long the clause runs on (s7-recall-context)
    if hedge is not None and (
        len(_CLOSING.sub("", first_clause).split()) <= 10
        or (hedge.start() == 0 and _SIM_NEXT.match(body, hedge.end()) is not None)
    ):
        return Answer("talvez", body, None, ongoing, numbers, bare, hedge.group(0), labels=labels)
    return Answer(None, body, None, ongoing, numbers, bare, labels=labels)


# The "sim" right after an opening hedge, or after the verb said back: "às vez sim", "as vez vem sim"
_SIM_NEXT = re.compile(r" (?:[a-z]{2,} )?sim\b")


# The answer to an orientation test that fails it: not knowing ("ela n sabe n", "errou o ano"), or a
# year long gone given as today's ("falou que é 1980", "acha que tá em 1995").
_DOES_NOT_KNOW = re.compile(
    r"\b(?:n|nao|num|nem)\s+(?:\w+\s+)?(?:sabe|soube|sabia|lembra|lembrou|reconhece|reconheceu|conseguiu|consegue|"
    r"acertou|acerta)\b|\b(?:errou|erra|errando|trocou|troca|trocando)\s+(?:\w+\s+)?(?:o\s+|a\s+)?"
    r"(?:ano|dia|data|mes|lugar|nome|nomes)\b|"
    r"\b(?:falou|fala|disse|diz|acha|achando|jura|respondeu)\s+(?:que\s+|q\s+)?(?:e|ta|esta|estamos|era)?\s*(?:em\s+)?"
    r"(?:19\d\d|200\d|201\d)\b"
)


def fails_orientation(folded: str, polarity: str | None) -> bool:
    """Whether an answer to "do they know the day and the place?" says they do not."""
    return polarity == "nao" or bool(_DOES_NOT_KNOW.search(folded))
