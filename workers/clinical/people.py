"""The people a message names, in one pass over its words (`scan_people`): relatives, bystanders,
animals, the writer's own first-person words and third-person pronouns. `experiencer` decides from
them who each mention is about (docs/clinical-engine.md, "Assertion of every mention").
"""

from __future__ import annotations

import re
from itertools import compress, count, repeat

import numpy as np

from .text import words

# An animal is never the patient: "a gata aqui de casa teve um ataque".
ANIMALS = (
    "gato gata gatos gatas gatinho gatinha cachorro cachorra cachorros cachorrinho cachorrinha cao cadela "
    "cachorrao pet pets passarinho papagaio calopsita coelho coelha cavalo egua vaca hamster peixinho "
    "tartaruga periquito "
    # farm animals ("o boi tá sangrando na perna"); never "galo" (a bump), "porca" (a nut), "bode"
    "boi bois bezerro bezerra bezerros novilha garrote touro porco porcos leitao galinha galinhas pintinho "
    "cabrito ovelha ovelhas carneiro burro mula jumento jegue potro"
)

_DETERMINERS = words("meu minha meus minhas o a os as um uma nosso nossa seu sua teu tua teus tuas dona")
_RELATIVES = words(
    "mae mamae pai papai filho filha filhos filhas filhinho filhinha irma irmao irmaos irmas "
    "avo avos vovo vo "
    "tio tia tios primo prima primos primas sobrinho sobrinha sobrinhos sobrinhas neto neta netos netas "
    "marido esposo esposa mulher namorado namorada sogro sogra cunhado cunhada genro nora padrasto madrasta "
    "bebe nene crianca menino menina enteado enteada "
    # the south's words for a child or a lad ("o guri", "a guria", "o piá"), said of one's own or another's
    "guri guria guris gurias pia pias"
)


def _diminutives(nouns: frozenset[str]) -> dict[str, str]:
    """Each noun with its diminutives, as relatives are named in affection: "o netinho", "a vozinha",
    "a mãezinha", "o paizinho", "a tiazinha", "o irmãozinho" (a consonant ending takes -inho: "neto"
    → "netinho"; a vowel or nasal one -zinho: "vó" → "vozinha", "mãe" → "mãezinha")."""
    out = {noun: noun for noun in nouns}
    for noun in sorted(nouns):
        if noun.endswith("s") or noun.endswith(("inho", "inha")):
            continue
        for ending in ("o", "a"):
            out.setdefault(f"{noun}zinh{ending}", noun)
            if noun[-1] in "oa" and len(noun) > 3:
                dim = f"{noun[:-1]}inh{ending}"
                out[dim] = noun if noun[-1] == ending or dim not in out else out[dim]  # "netinho": "neto"
    return out


# Each relative's diminutive with the word it is said of ("vozinha" → "vo", never "voz"): `spelling`
# reads it so, before the sound key or the general diminutive makes another word of it.
RELATIVE_BASE = _diminutives(_RELATIVES)
_RELATIVES = frozenset(RELATIVE_BASE)
_BYSTANDERS = words(
    "vizinho vizinha vizinhos vizinhas colega colegas amigo amiga amigos amigas conhecido conhecida "
    "conhecidos conhecidas chefe patrao patroa moca moco rapaz senhora senhor homem pessoa pessoas alguem "
    "vizim vizin vizinhu visinho visinha cara fulano fulana cuidador cuidadora comadre compadre comadres "
    "compadres cumadi cumpadi comade compade cumade cumpade cumadre cumpadre madrinha padrinho afilhado "
    "afilhada " + ANIMALS
)
# Given names and their nicknames, a person only after a determiner ("o Zé da venda", "a Maria do
# bar", "seu Tonho"): a named adult is read like a relative (docs/clinical-engine.md, "Fourth
# session"). Names that are also common words ("rosa", "luz", "gloria", "socorro", "aparecida") are left out.
NAMES = words(
    "ze zezinho zeca jose joao joaozinho antonio toninho tonho francisco chico chiquinho carlos paulo "
    "pedro lucas luiz luis marcos gabriel rafael daniel marcelo bruno eduardo felipe raimundo rodrigo manoel "
    "manuel mateus andre fernando fabio leonardo gustavo guilherme leandro tiago thiago anderson ricardo "
    "marcio jorge "
    "sebastiao tiao alexandre roberto edson diego vitor sergio claudio cesar geraldo adriano julio renato "
    "severino benedito miguel arthur davi heitor joaquim quinzinho juca valdir wagner vagner nelson osvaldo "
    "mario sandro juninho maria mariazinha ana francisca chica antonia tonha adriana juliana marcia fernanda "
    "patricia aline sandra camila amanda bruna jessica leticia julia luciana vanessa mariana gabriela vera "
    "larissa claudia beatriz luana sonia renata eliane josefa zefa neide dalva lurdes lourdes cida tereza "
    "teresa raimunda sebastiana helena alice laura joana carla simone debora cristina silvia regina lucia "
    "fatima marlene celia denise edna elza irene ivone zilda"
)
_OF_OWNERS = words(
    "meu minha sua seu nossa nosso leito quarto lado cama trabalho fila frente primo prima tia tio"
    " igreja culto congregacao comunidade escola academia firma servico"
)
_NAME_BEFORE = words("o a seu sr sra tal do da")
_FIRST_WORDS = words(
    "eu comigo sou to tou estou tenho tive sinto senti me meu minha fui fiz faco medi cai comi perdi dormi"
)
_PRONOUNS = words("ele ela eles elas dele dela deles delas")
_PRONOUN_OWNERS = words("dele dela deles delas")
# never "e": "aqui é a prima dele" (é); "porque a irmã dela, a tia Dalva, teve um infarto" opens a clause
_CLAUSE_OPENERS = words("ai mas entao dai porque pq pois quando")
_ANIMAL_WORDS = words(ANIMALS)
_ADDRESS_BEFORE = words("sim nao s n ss obrigado obrigada brigado brigada ok isso pois bom boa")
# Nouns a writer calls the reader by: bare (no determiner) at the head of a sentence or after a
# greeting they are a vocative ("moço, a pressão pocou", "oi moça tô com dor"), never a third person.
_ADDRESS_NOUNS = words("moco moca senhor senhora rapaz")
_GREETINGS = words("oi ola ei alo bom boa dia tarde noite ai")
_AFTER_ADDRESS = words(
    "a o as os eu to tou estou tava tenho tive preciso queria minha meu me aqui hoje agora ontem"
)
_FIRST_PRONOUNS = words("eu comigo me meu minha sou")
_TOLD = words("contou disse falou confessou confidenciou desabafou contava dizia falava")
# Also interjections ("égua, mana, a Dalva caiu", "cara, tô mal"): a person only after a determiner;
# "piá" only after a masculine one ("a pia" is the sink).
_INTERJECTIONS = words("egua cara pia pias")
# Words that make "um boi" a comparison: "parece (que tem)", "como (se fosse)", "feito", "tipo".
_IMAGE_BEFORE = frozenset(("parece", "parecia", "como", "feito", "tipo", "igual"))
# A measuring device and its owner: "o termômetro da vizinha deu 38", "usei o da vizinha" (the
# reading is the patient's; held-recall2). "o"/"a" alone is "the one" of "o da vizinha".
_INSTRUMENTS = words(
    "o a termometro termometros aparelho aparelhinho oximetro medidor mercurio digital glicosimetro balanca"
)
# "ela tá outra pessoa", "virou outra pessoa": the patient changed
_BECAME = words("ta esta tava estava virou vira parece parecia ficou fica e era")
_MASCULINE_DETERMINERS = words("o os um uns esse esses aquele aqueles outro outros do dos no nos")
_WORD_RE = re.compile(r"[a-z]+")


# Every word `scan_people` stops at (besides verbs ending in -ei); the others are skipped.
_PERSON_WORDS = _RELATIVES | _BYSTANDERS | NAMES | words("outro outra companheiro companheira dona")
_NOTABLE = _PERSON_WORDS | _FIRST_WORDS | _PRONOUNS


class _Tokens:
    """The words of a text (the runs of `_WORD_RE`) with where each starts; `toks[i]` is word i as
    `(start, end, word)`."""

    __slots__ = ("starts", "words")

    def __init__(self, text: str) -> None:
        # The runs of a-z without a regex scan or match objects (half of `scan_people`'s cost): every
        # other character becomes a space, one per code point (`encode` with "replace" writes one "?"
        # for each character outside ASCII, so positions are kept); the words are its `split()`, and a
        # word starts where a letter follows a space or the text's start (numpy, no Python step).
        letters = text.encode("ascii", "replace").translate(_SEPARATORS)
        self.words: list[str] = letters.decode("ascii").split()
        is_letter = np.frombuffer(b" " + letters, dtype=np.uint8) != 32
        self.starts: list[int] = np.flatnonzero(is_letter[1:] > is_letter[:-1]).tolist()

    def __getitem__(self, i: int) -> tuple[int, int, str]:
        start, word = self.starts[i], self.words[i]
        return start, start + len(word), word


# Every byte but a-z becomes a space (the characters `_WORD_RE` does not take).
_SEPARATORS = bytes(b if 97 <= b <= 122 else 32 for b in range(256))


def _opens_sentence(text: str, pos: int, before: str) -> bool:
    """A sentence end (or the text's start) before `pos`, or in speech without stops a word that
    opens a clause ("aí", "mas") or ends a person's name ("... do seu Tonho a irmã dele teve")."""
    j = pos - 1
    while j >= 0 and text[j].isspace():
        j -= 1
    return j < 0 or text[j] in ".!?;:\n" or before in _CLAUSE_OPENERS or before in NAMES


def _word_before(toks: _Tokens, i: int) -> str:
    return toks.words[i - 1] if i > 0 else ""


def _companion_clause(toks: _Tokens, k: int, person_ends: set[int]) -> bool:
    """Word k lies in a relative clause ("que ...") opened right after a person named, within five words."""
    for j in range(k - 1, max(0, k - 6), -1):
        if toks.words[j] == "que":
            return toks[j - 1][1] in person_ends
        if toks.words[j] in _FIRST_WORDS:
            return False
    return False


def scan_people(text: str) -> tuple[list[tuple[int, int, str, bool]], list[int], list[int]]:
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
    owned: set[int] = set()
    n = len(ws)
    # Only the few words that matter are visited, picked out by C loops (`compress` over the set's
    # and `str.endswith`'s answers for every word) instead of a Python test per word.
    visit = set(compress(count(), map(_NOTABLE.__contains__, ws)))
    visit.update(compress(count(), map(str.endswith, ws, repeat("ei"))))
    for i in sorted(visit):
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
        elif w in NAMES and i > 0 and ws[i - 1] in _NAME_BEFORE and joined(i - 1, i):
            noun = w  # "o Zé da venda", "seu Tonho"
        elif (
            w == "dona"
            and i + 1 < n
            and joined(i, i + 1)
            and (ws[i + 1] not in _PERSON_WORDS or ws[i + 1] in NAMES)
        ):
            noun, end_i = "dona", i + 1  # "dona Maria (do quarto ao lado)": a person named
        elif w in ("outro", "outra") and i + 1 < n and ws[i + 1] == "paciente" and joined(i, i + 1):
            noun, end_i = f"{w} paciente", i + 1
        elif (
            w in ("companheiro", "companheira")
            and i + 2 < n
            and ws[i + 1] == "de"
            and ws[i + 2] == "quarto"
            and joined(i, i + 1)
            and joined(i + 1, i + 2)
        ):
            noun, end_i = f"{w} de quarto", i + 2
        if noun is None:
            continue
        before = ws[i - 1] if i > 0 else ""
        needed = _MASCULINE_DETERMINERS if noun in ("cara", "pia", "pias") else _DETERMINERS
        if noun in _INTERJECTIONS and before not in needed:
            continue  # "a cara tronxa" is a face, "o cara" a bystander
        if noun == "pessoa" and before == "outra" and i > 1 and ws[i - 2] in _BECAME:
            continue  # "hoje ela tá outra pessoa": changed, nobody else (s11b-002)
        if noun in _ANIMAL_WORDS and not (i > 0 and ws[i - 1] in _DETERMINERS):
            continue  # "égua, mana, ...": a bare animal word is an exclamation, never a subject
        j = i - 2 if before in ("do", "da") else i - 3
        if j >= 0 and ws[j + 1] in ("do", "da") and ws[j] in _INSTRUMENTS:
            continue  # "o de mercúrio da vizinha deu 38": she owns the thermometer, not the reading
        if (
            noun in _ANIMAL_WORDS
            and before in ("um", "uma")
            and not _IMAGE_BEFORE.isdisjoint(ws[max(0, i - 6) : i - 1])
        ):
            continue  # "parece que tem um boi sentado no meu peito": an image (held-recall2)
        if noun in ("senhor", "senhora") and (
            (i > 0 and ws[i - 1] in _ADDRESS_BEFORE)
            or before in ("nossa", "nosso")
            or text[toks[i][1] : toks[i][1] + 1] == ","
        ):  # ("uma dor que nossa senhora", "nosso senhor!": an exclamation, held-recall2)
            continue  # "sim senhora", "não senhor, ...": the writer addresses the nurse
        if (
            noun in _ADDRESS_NOUNS
            and (i == 0 or before in _GREETINGS or not text[toks[i - 1][1] : s0].isspace())
            and (text[toks[i][1] : toks[i][1] + 1] == "," or (i + 1 < n and ws[i + 1] in _AFTER_ADDRESS))
        ):
            continue  # "moço a pressão pocou", "oi moça, ...": a vocative opening the sentence
        start = s0
        if i > 0 and ws[i - 1] in _DETERMINERS and joined(i - 1, i):
            start = toks[i - 1][0]
        end = toks[end_i][1]
        of = False
        k = end_i + 1
        if k + 1 < n and ws[k] in ("do", "da", "dos", "das") and joined(end_i, k) and joined(k, k + 1):
            owner = ws[k + 1]
            if owner in _OF_OWNERS or owner.startswith(("vizinh", "amig")):
                of = True
                end = toks[k + 1][1]
        elif (
            k < n
            and ws[k] in _PRONOUN_OWNERS
            and joined(end_i, k)
            # an animal's owner is always that: "o Pipoca, o cachorro dela, que teve uma convulsão"
            and (
                noun in _ANIMAL_WORDS
                or _opens_sentence(text, start, _word_before(toks, i if start == s0 else i - 1))
            )
        ):
            # "A irmã dele, dona Lurdes, teve um desmaio": the relative of someone already named, as the
            # subject that opens a sentence (never an object: "acha que sou a irmã dela e fala ...")
            of, end = True, toks[k][1]
            owned.add(toks[k][0])  # ... and that "dele" is no subject of its own
        people.append((start, end, noun, of))
    # People's spans start in text order (they may nest: "a filha do vizinho", "vizinho"), and so
    # do the words, so one walk through the spans tells whether a word lies inside one.
    firsts: list[int] = []
    c = 0
    person_ends = {p[1] for p in people}
    for k in first_words:
        s0, w = toks[k][0], ws[k]
        while c < len(people) and people[c][1] <= s0:
            c += 1
        if c < len(people) and people[c][0] <= s0:
            continue
        # "ela me disse": after a third person, "me" is the object, not the subject; before a verb of
        # telling ("a Dalva me contou que"), the listener. ("O cachorro do vizinho me mordeu": "me" is
        # the patient, who bleeds.)
        if (
            w == "me"
            and k
            and (ws[k - 1] in _PRONOUNS or ws[k - 1] in _RELATIVES or (k + 1 < n and ws[k + 1] in _TOLD))
        ):
            continue
        # "a vizinha que faz quimio comigo tá internada com febre": the company in a relative clause of
        # someone named is not the subject (never "me": "a vizinha que me levou ao PS com dor no peito").
        if w == "comigo" and _companion_clause(toks, k, person_ends):
            continue
        # "meu vizinhu tevi infartu" read as "meu vizinho tive": a verb right after a person named
        # is that person's, whatever ending the spelling gave it.
        if w not in _FIRST_PRONOUNS and k and toks[k - 1][1] in person_ends and joined(k - 1, k):
            continue
        firsts.append(s0)
    return people, firsts, [p for p in pronouns if p not in owned] if owned else pronouns


# For the rules that read a person noun on their own (`cleft`).
RELATIVE_WORDS = _RELATIVES
BYSTANDER_WORDS = _BYSTANDERS
