"""Portuguese lexicon: what patients, families and clinicians write for each finding family.

All patterns run against the normalised text (see `text.normalise`): lowercase, no accents
("não" -> "nao", "ç" -> "c"), stretched letters collapsed, degree signs unified to "°".
Typos that keep coming back in real messages are spelled out in the alternatives
("dor no peto", "dispineia", "combulsão", "dismaiou", "diareia", "febri").

A `Family` is one clinical meaning. Its alternatives are OR-ed into one compiled regex, so a text
is scanned once per family. `not_before`/`not_after` veto a match from its immediate context
("peito *de frango*", "*exame de* sangue", "apaguei *a luz*"); `requires` asks for a word in the
same sentence (facial swelling is anaphylaxis only next to a trigger: medicine, food, sting).
`remote_past` families are events that a clear remote date turns into history ("tive uma
convulsão quando criança", "AVC em 2015"), where chronic symptoms ("falta de ar há 2 anos")
still count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workers.findings import Severity

from .text import NUMBER_WORDS_RE, words


@dataclass(frozen=True, slots=True)
class Family:
    codigo: str
    descricao: str
    severidade: Severity
    pattern: re.Pattern[str]
    not_before: re.Pattern[str] | None = None  # searched in the ~50 characters before the match
    not_after: re.Pattern[str] | None = None  # matched right after the match
    requires: re.Pattern[str] | None = None  # searched in the match's sentence
    remote_past: bool = False
    chronic_treatment: bool = False  # "remédio de convulsão", "receita do remédio do AVC" is a prescription
    blood_word: bool = False  # the "sangue" inside the match must not be "exame de sangue"
    not_sentence: re.Pattern[str] | None = None  # searched in the match's sentence: an explained cause


def _alt(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


GAP1 = r"(?:[a-z0-9]+\s+){0,1}?"
GAP2 = r"(?:[a-z0-9]+\s+){0,2}?"
GAP3 = r"(?:[a-z0-9]+\s+){0,3}?"
# A gap that stays in its clause: never across a clause word and a new subject ("meu coração saiu pela
# boca qnd ele caiu do sofá": the one who fell is not the mouth).
_IN_CLAUSE = (
    r"(?:(?!(?:quando|qnd|qdo|quano|que|q|e|mas|porque|pq|se|ai|dai|ele|ela|eles|elas|eu)\b)[a-z0-9]+\s+)"
)
CLAUSE_GAP2 = _IN_CLAUSE + r"{0,2}?"
CLAUSE_GAP3 = _IN_CLAUSE + r"{0,3}?"

BLOOD = r"(?:sangue|sange|sanque|sangui|sangre)\b"  # "sangre": border Spanish
# "sangue" that is not bleeding: blood tests, donation, transfusion, "pressão do sangue".
BLOOD_NOT_BLEEDING_BEFORE = _re(
    r"(?:exame|exames|coleta|colher|colheu|colhi|tirar|tirei|tirou|tiraram|doar|doacao|doei|doou|doador|"
    r"bolsa|bolsas|transfus\w*|hemograma|tipo|tipagem|pressao|glicose|acucar|teste|analise|resultado|"
    r"hemocultura|gasometria|pesquisa|laboratorio|lab)\s+(?:\w+\s+){0,2}$"
)
BLOOD_NOT_BLEEDING_AFTER = _re(r"\s*(?:oculto|frio|bom|doce|ruim\s+de\s+exame)\b")
BLOOD_WORD = _re(r"\b" + BLOOD)

PEITO = r"(?:pe(?:i)?t[ou]|pecho|torax)\b(?!\s+d[eo]\s+(?:pe|frango|peru|galinha|boi)\b)"
# "peito" as a word on its own, for the proximity patterns (never "peito de frango").
PEITO_WORD = r"\b(?:pe(?:i)?t[ou]|pecho|torax)\b(?!\s+d[eo]\s+(?:pe|frango|peru|galinha|boi)\b)"
VOMIT = r"v[ou]m[ie]t\w*"
# "melhor eu sumir daqui", "melhor se eu não estivesse na reunião": leaving a place, not the world.
_NOT_A_PLACE = (
    r"(?!\s+(?:daqui|dali|dai|da\s+frente|de\s+casa|do\s+trabalho|da\s+festa|na|no|nessa|nesse|em|com)\b)"
)
ALLERGEN_CONTEXT = _re(
    r"\b(?:remedio\w*|medicamento\w*|medicac\w*|comprimido\w*|injecao|injecoes|vacina\w*|antibiotic\w*|"
    r"dipirona|penicilina|benzetacil|amoxicilina|ibuprofeno|diclofenaco|anti-inflamatorio|contraste|"
    r"comi|comer|comida|alimento\w*|camarao|frutos\s+do\s+mar|peixe|amendoim|castanha\w*|leite|ovo|picada|"
    r"picou|abelha|vespa|marimbondo|formiga|alergi\w*|urticaria|placas|empol\w*|vergoe\w*|coceira|"
    r"reacao|reagiu|bula|comecei\s+(?:a\s+)?tomar|captopril|enalapril|lisinopril|ramipril|losartana|valsartana|"
    r"olmesartana|candesartana)\b"
)


# "direito" alone also means "properly" ("não consigo andar direito"), so a side needs a body part.
SIDED = (
    r"(?:\b(?:braco|bracos|perna|pernas|mao|maos|pe|lado|hemicorpo|rosto|face|membro|membros|olho|boca|"
    r"ombro|coxa)\s+(?:[a-z]+\s+)?(?:direit[oa]s?|esquerd[oa]s?)\b|\b(?:desse|deste|daquele|de\s+um|do\s+mesmo|"
    r"de\s+um\s+so|so\s+de\s+um|num|dum)\s+lado\b|\bmetade\s+do\s+(?:corpo|rosto)\b|\bhemicorpo\b|"
    r"\bum\s+lado\s+(?:do\s+corpo|so)\b)"
)
DEFICIT = (
    r"\b(?:fraquez\w*|fracos?|fracas?|bamb[oa]s?|enfraquec\w*|sem\s+forcas?|perd\w+\s+(?:a\s+|da\s+|toda\s+a\s+)?forcas?|"
    r"perda\s+de\s+forca|dormen\w*|adormec\w*|amortec\w*|formig\w*|paralis\w*|"
    r"n(?:ao|um)\s+(?:mexe|mexo|mexia|consigo\s+(?:mexer|levantar|segurar|mover|sentir)|consegue\s+(?:mexer|levantar|segurar|mover)|"
    r"(?:ta\s+|esta\s+|tava\s+)?conseguindo\s+(?:mexer|levantar|segurar|mover)|"
    # "num consegui segurá o copo": phonetic "consegue" and the infinitive's r dropped
    r"consegui\s+(?:mexer?|levantar?|segurar?|mover?)(?!\s+(?:o\s+|a\s+)?(?:choro|riso|risada|xixi|lagrimas?|vontade))|"
    r"obedece|sinto\s+(?:o|a|meu|minha)|(?:ta\s+|esta\s+|tava\s+)?(?:segurando|firmando|obedecendo)|segura|firma)|"
    # "a perna direita tá arrastando" (s3c-recall)
    r"arrast(?:ando|a|ava|ou)|caid[oa]|entort\w*|parou\s+de\s+(?:obedecer|mexer|funcionar|responder|"
    r"mover)|sem\s+movimento)\b"
)

# "tudo (o) que entra volta": nothing stays down.
_ALL_THAT_GOES_IN = (
    r"que\s+(?:entra|desce|engulo|engole)\b[^.;!?\n]{0,25}?\b(?:volta|sai|"
    + VOMIT
    + r"|bot\w+\s+(?:pra|para)\s+fora)"
)

SYMPTOM_FAMILIES: tuple[Family, ...] = (
    # Dyspnoea: patients rarely say "dispneia"; they run out of air, tire to breathe, suffocate.
    # Exertional dyspnoea counts (the dev set alerts on "falta de ar leve ao subir escada").
    Family(
        "dispneia",
        "Dispneia (falta de ar)",
        "CRITICAL",
        _alt(
            # "falta de ar" and its typos; never "falta de apetite" or "ar-condicionado".
            r"\b(?:falt[ao]?|faltou|faltava|faltando|fart[ao]|faut[ao]|fat[ao]|falata)(?:\s*(?:de|d|do|da|di)\s*'?\s*|\s+)"
            r"(?:ar|folego|oxigenio|respiracao)\b(?![\s-]+condicionado)",
            r"\bsem\s+(?:ar|folego)\b(?![\s-]+(?:condicionado|livre))",
            r"\b(?:nao|nem|mal|num)\s+"
            + GAP2
            + r"(?:consigo|consegue|conseguia|consegui|conseguiu|conseguindo|da|dava|deixa|deixava|deixou|"
            # "poder" as the body's ability (s7-recall-lay): "num tô podendo respirar", "não posso respirar"
            r"posso|pode|podia|podendo)"
            r"\s+(?:nem\s+)?(?:pra\s+|para\s+)?(?:eu\s+)?(?:respirar?|puxar?\s+(?:o\s+)?(?:ar|folego)|pegar\s+ar|tomar\s+ar|tomar\s+folego)",
            r"\bsem\s+conseguir\s+respirar",
            # Compositional (s3de-recall): a FAILURE cue, then an AIR verb and the air within the clause:
            # "não tô conseguindo encher o peito de ar", "sem conseguir puxar o ar direito" (never "tomar
            # um ar", which is going out for fresh air).
            r"\b(?:nao|num|nem|mal|sem)\s+(?:\w+\s+){0,2}?(?:consig\w*|conseg\w*|dou\s+conta\s+de)\s+(?:\w+\s+){0,2}?"
            r"(?:puxar|pegar|encher|recuperar|buscar)\s+(?:\w+\s+){0,3}?(?:ar|folego)\b(?![\s-]+condicionado)",
            # the AIR, then a FAILURE in the progressive: "o ar não tá dando", "o fôlego num tá vindo"
            r"\b(?:ar|folego)\s+(?:me\s+)?n(?:ao|um)\s+(?:ta|tava|esta|estava|quer|queria)\s+"
            r"(?:dando|vindo|entrando|chegando|entrar|vir|chegar)\b(?![\s-]+condicionado)",
            # breathing as through a straw: "respirando por um canudinho"
            r"\brespir\w*\s+(?:\w+\s+){0,2}?(?:por|num|com)\s+(?:um\s+)?canud\w*",
            # too breathless to finish a sentence, with the air or the tiredness in the clause:
            # "não consigo terminar uma frase sem parar pra pegar ar", "cansaço que num dou conta de
            # terminar a frase"
            # (s4-recall) FAILURE + SPEAKING a whole sentence, with the AIR cue after it or before it in
            # the sentence: "não dou conta de falar uma frase inteira sem parar pra puxar o ar",
            # "abrindo a boca pra pegar ar, não consigo nem terminar uma frase"
            r"\b(?:nao|num|nem|mal|sem)\s+(?:\w+\s+){0,5}?(?:termin\w*|acab\w*|complet\w*|falar|dizer|formar)\s+"
            r"(?:uma\s+|a\s+|minha\s+)?(?:frase|frases)\b"
            r"(?=[^.;!?\n]{0,60}?\b(?:ar|folego|respir\w*(?!\s+(?:normal|bem|tranquil\w*))|cansaco|canseira|chiando|chiado)\b)",
            # (the air first, never "cansaço" first: "tô num cansaço que num dou conta de terminar a frase"
            # is read from its failure, whose "num" is no denial of the tiredness)
            r"\b(?:ar|folego|respir\w*(?!\s+(?:normal|bem|tranquil\w*))|chiando|chiado)\b[^.;!?\n]{0,80}?\b(?:nao|num|nem|mal|sem)\s+"
            r"(?:\w+\s+){0,5}?(?:termin\w*|acab\w*|complet\w*|falar|dizer|formar)\s+(?:uma\s+|a\s+|minha\s+)?"
            r"(?:frase|frases)\b",
            # the chest that shut, an airway image: "parece que o peito fechou", "meu peito tá trancado"
            r"\b(?:o|meu|o\s+meu)\s+peito\s+(?:\w+\s+)?(?:fechou|fechando|fechad[oa]|trancou|trancad[oa]|trancando)\b",
            # "não tô conseguindo nem falar de tanta falta de ar": the cause, not a denial
            r"\b(?:nao|nem|mal|num)\s+"
            + GAP2
            + r"(?:consigo|consegue|conseguindo|conseguia|da)\s+(?:nem\s+)?(?:pra\s+)?falar\s+(?:de|com)\s+"
            r"(?:tanta\s+|tanto\s+|a\s+|essa\s+)?(?:falta\s+de\s+ar|cansaco|canseira|folego\s+curto)",
            # Inverted or regional word order: "ar falta muito", "o fôlego não vem", "o ar não entra".
            r"\b(?:ar|folego)\s+(?:me\s+)?(?:falta|faltando|faltou|falto|n(?:ao|um)\s+(?:vem|chega|entra|da))\b"
            r"(?![\s-]+condicionado)",
            # the breath that vanishes or will not come when drawn: "o fôlego some quando ando",
            # "puxo o ar e ele num vem", "sentei pra recuperar o ar" (docs/clinical-engine.md, clin-recall)
            r"\b(?:folego|respiracao)\s+(?:me\s+)?(?:some|sumiu|sumindo|acaba|acabou|acabando|vai\s+embora|foge|fugiu)\b|"
            r"\bo\s+ar\s+(?:me\s+)?(?:some|sumiu|sumindo|foge|fugiu)\b",
            # the breath drawn with effort (held-recall): "tendo que puxar o ar com força", "puxando o
            # fôlego com dificuldade" (never "puxei o ar fundo", an exercise)
            r"\bpux(?:ar|o|a|ava|ei|ou|ando)\s+(?:o\s+|um\s+)?(?:ar|folego)\s+(?:\w+\s+)?(?:com\s+(?:muita\s+|toda\s+)?"
            r"(?:forca|dificuldade|esforco|sacrificio)|a\s+(?:muito\s+)?custo|no\s+sacrificio)\b",
            r"\bpux(?:o|a|ava|ei|ou|ando)\s+(?:o\s+)?(?:ar|folego)\s+(?:e|mas)\s+(?:ele\s+|o\s+ar\s+|nada\s+)?"
            r"(?:n(?:ao|um)\s+(?:vem|veio|entra|entrou|chega|chegou|vai)|nada)\b",
            # (never "parei de fumar pra recuperar o fôlego")
            r"\b(?:sent(?:ei|ou|ar|o|a|ando)|par(?:ei|ou|ar|o|a|ando)(?!\s+de\b)|descans\w+)\s+(?:\w+\s+){0,6}?"
            r"(?:pra|para|p)\s+(?:recuperar|pegar|tomar)\s+(?:o\s+)?"
            r"(?:ar|folego)\b",
            r"\b(?:cansaco|canseira)\s+(?:\w+\s+){0,2}?no\s+peito\b",
            r"\b(?:folego|o\s+ar)\s+(?:\w+\s+)?(?:curt[oa]|curtinh[oa])\b",
            # Breathlessness that keeps the patient from lying down (orthopnoea in lay words).
            r"\b(?:cansaco|canseira|falta\s+de\s+ar|fadiga|aperto\s+no\s+peito)\b(?:\s+[a-z]+){0,6}?\s+"
            r"(?:nao|num)\s+(?:me\s+|o\s+|a\s+|lhe\s+)?deix\w+\s+(?:nem\s+)?(?:eu\s+)?deitar",
            # the FAILURE verb, then the AIR word: "me falta o ar quando deito", "falta-me o fôlego",
            # "tá me faltando a respiração" (never "falta o ar-condicionado"); "canso só de falar"
            r"\bfalt(?:a|ava|ando|ou)(?:[\s-]+me)?\s+(?:o\s+|a\s+|meu\s+|minha\s+)?(?:ar|folego|respiracao)\b"
            r"(?![\s-]+condicionado)|\bme\s+falta\s+(?:el\s+)?aire?\b",
            r"\b(?:canso|cansa|cansad[oa]|sem\s+folego)\s+(?:so\s+)?(?:de|ao|pra|para)\s+falar\b",
            r"\b(?:dificuldade|dificuldades|dificil|ruim|custoso|trabalhoso|esforco|desconforto|aperto)\s+"
            + GAP1
            + r"(?:de|para|pra|p|em|ao|pro)?\s*respirar",
            r"\b(?:dificuldade|desconforto|insuficiencia|esforco|sofrimento|desconforto)\s+respiratori[oa]",
            r"\brespira(?:cao|ndo|r|\s+)\s*"
            + GAP2
            + r"(?:curt[ao]|curtinh[ao]|ofegante|dificil|com\s+dificuldade|pesad[ao]|"
            r"acelerad[ao]|rapid[ao]|ligeir[ao]|depressa|rapidao|apressad[ao]|fraca|encurtad[ao]|superficial|cansad[ao]|mal|chiando\s+e\s+curt[ao])\b",
            r"\bofeg(?:ante|antes|ando|a|o)\b|\barfando\b|\barquej(?:ando|ante|a|o|ou|ava)\b|\bsufoc\w*|\basfixi\w*|\bme\s+afogando\b",
            # An asthma crisis in lay and regional words: "tô puxado", "chiando", the inhaler not working.
            r"\b(?:to|estou|tou|ta|esta|ficou|fiquei|anda|ando)\s+(?:\w+\s+)?puxad[oa]\b|\bpuxado\s+(?:do|no)\s+peito\b",
            # the Nordeste noun for the attack (s7-recall-lay): "tô com um puxado danado", "deu um puxado"
            # (never "um dia puxado", "um treino puxado": the adjective after its noun)
            r"\b(?:com|deu|dando|atacou|ataca|atacando|teve|tive)\s+(?:um|o|uma|esse|aquele)\s+puxado\b",
            r"\b(?:bombinha|aerolin\w*|salbutamol|inalador|nebuliza\w*)\b[^.?!\n]{0,25}?\bnao\s+(?:\w+\s+)?"
            # ("não resolveu nada": the "nada" is the failure's, in the match, never a denial after it)
            r"(?:fazendo|faz|fez|resolv\w*|adiant\w*|melhor\w*)(?:\s+(?:nada|efeito\s+nenhum))?",
            r"\b(?:cansaco|canseira|cansad[oa]|canso|cansa|cansando|cansei)\s+"
            + GAP1
            + r"(?:pra|para|p|ao|de|quando|so\s+de)\s+respirar",
            r"\b(?:dispneia|dispnea|dispineia|dispinea|dipneia|disneia|dipsneia|dispneica|dispneico|dispneicos|"
            r"dispneicas|taquidispneic[oa]s?|taquidispneia|ortopneia|platipneia|dpn)\b",
            r"\bpuxando\s+(?:o\s+)?ar\b|\bar\s+(?:nao|num)\s+(?:entra|vem|chega)\b|\bnao\s+entra\s+ar\b|"
            r"\bfome\s+de\s+ar\b|\bgemendo\s+(?:pra|para|ao)\s+respirar|\bnao\s+(?:enche|expande|infla)\s+(?:o\s+|os\s+|meu\s+)?pulm\w*|"
            r"\bpulm\w*\s+nao\s+(?:enche|expande|infla)",
            # a child's chest drawing in (retractions) in a parent's words
            r"\bafund\w*\s+(?:\w+\s+){0,2}?(?:embaixo|debaixo|abaixo|entre|no\s+meio)\s+d[aoe]s?\s+(?:costela|costelas|pescoco)\b|"
            r"\b(?:costela|costelas|costelinha|costelinhas|pescoco|pescocinho)\s+(?:\w+\s+)?"
            r"(?:afundando|afunda|afundava|puxando\s+(?:pra|para)\s+dentro)\b|\btiragem\b|"
            r"\b(?:barriga|barriguinha|peito)\s+(?:\w+\s+){0,2}?(?:afundando|afunda|afundava|puxando\s+(?:pra|para)\s+dentro)\b"
            r"(?=[^.;!?\n]{0,40}?\b(?:respir\w*|puxa\w*\s+(?:o\s+)?ar|gem\w*|ofeg\w*))|"
            r"\brespir\w*\s+(?:\w+\s+){0,5}?(?:barriga|barriguinha)\s+(?:\w+\s+)?afund\w*|"
            r"\b(?:narizinho|nariz|narinas?|asas?\s+do\s+nariz)\s+(?:\w+\s+)?abrindo\s+e\s+fechando\b",
        ),
    ),
    # Cyanosis is hypoxia seen from outside; families describe colour, not oxygen.
    Family(
        "cianose",
        "Cianose (lábios ou extremidades arroxeados)",
        "CRITICAL",
        _alt(
            r"\bcianos\w*|\bcianotic[oa]s?\b|\bcianotic\w*",
            r"\b(?:labios?|boca|dedos|pontas?\s+dos\s+dedos|unhas|lingua|rosto|face)\s+"
            + GAP2
            + r"(?:rox(?:o|a|os|as|inho|inha|inhos|inhas)|arroxead[oa]s?|azulad[oa]s?|azul|azuis|arroxeando|"
            r"azulando)\b",
            # "o bebê está roxinho", "engasgou e ficou roxo" (never a bruise: see not_before)
            r"\b(?:ficou|ficando|esta|ta|fica|estava)\s+(?:todo\s+|toda\s+|meio\s+)?(?:roxo|roxa|roxinho|roxinha|"
            r"azul|azulado|azulada|azuladinho|arroxeado|arroxeada)\b",
        ),
        # Bruises turn purple too: "bati o joelho e ficou roxo", "o local da vacina ficou roxo". A hand,
        # foot or finger alone is no bruise (extremities are where cyanosis shows: "a mãozinha ficou
        # roxinha"): the knock must be told, before ("bati a mão e ficou roxa") or right after (not_after).
        not_before=_re(
            r"(?:joelho|perna|braco|olho|unha|hematoma|mancha|lugar|local|pele|batida|pancada|"
            r"machucado|canela|coxa|bunda|nadega|seio|barriga|vacina|injecao|queda|tombo|bati|cai|cotovelo|ombro|"
            r"quadril|testa|ralou|ralei|ralado|ralada|arranhao|escorreguei|tropecei)\b"
            r"(?:\s+[a-z]+){0,4}\s*$|"
            # the knock told in the sentence just before: "bati o braço. tá roxo"
            r"\b(?:bati|bateu|batida|pancada)\s+(?:com\s+)?(?:o|a|no|na)\s+(?:joelho|perna|braco|mao|pe|dedo|canela|"
            r"coxa|ombro|quadril|cotovelo)(?:\s+[a-z]+){0,3}\s*[.,;]+\s*$"
        ),
        # "o dedo ficou roxo porque bateu na porta", "a mão ficou roxa depois que caiu"; the thing that
        # struck it may be named ("desde que a canoa bateu nele", "porque deixei cair a marreta em cima")
        not_after=_re(
            r"[\s,]*(?:(?:so\s+)?(?:porque|pq|que|de|da|do|depois\s+(?:que|da|do|de)|desde\s+que|quando|onde|no\s+lugar)\s+)"
            r"(?:(?:eu|ele|ela|a|o|uma|um)\s+(?:[a-z]{3,}\s+)?)?(?:bat|pancad|tomb|queda|caiu|cai\b|machuc|prend|prens|torc|"
            r"topad|tropec|escorreg|vacina|injec|deixei\s+cair|deixou\s+cair|pisou|pisei|esmag)"
        ),
    ),
    # Chest pain: any pain/pressure/weight in the chest, radiation to the left arm or jaw. "Peito" of
    # chicken or of the foot ("peito do pé") is excluded inside PEITO.
    Family(
        "dor_toracica",
        "Dor torácica",
        "CRITICAL",
        _alt(
            r"\bdor(?:es|zinha)?\s+" + GAP3 + r"(?:n[oa]|do|da|em|de|pelo|pela|no\s+meio\s+do|atras\s+do|"
            r"no\s+centro\s+do)\s+" + PEITO,
            r"\b(?:aperto|apertamento|pressao|peso|queimacao|ardencia|ardor|pontada|pontadas|fisgada|fisgadas|"
            # "gastura" (Goiás, Minas, NE): an ill, pressing discomfort (held-recall)
            # ... and "aperreio" (NE: an anguish, a squeeze: "um aperreio no peito", s11b-101)
            r"facada|opressao|desconforto|incomodo|dorzinha|negocio|troco|treco|gastura|aperreio|aflicao)\s+"
            + GAP3
            + r"(?:n[oa]|do|da|em|de|pelo)\s+"
            + PEITO,
            # the regional catch-all nouns: "um trem ruim aqui no peito" (Minas, Goiás), never "um trem bom"
            r"\b(?:trem|trosso|bagulho|trequinho)\s+(?!(?:bom|boa|gostos[oa]|bonit[oa]|lind[oa]|de\s+alegria)\b)"
            + GAP3
            + r"(?:n[oa]|do|da|em|de|pelo)\s+"
            + PEITO,
            r"\b(?:apert(?:ou|a|ando)|pes(?:ou|a|ando)|queim(?:ou|a|ando)|esprem(?:eu|e|endo)|esmag(?:ou|a|ando)|"
            r"duele|dolia)\s+"
            + GAP1
            + r"(?:o\s+|meu\s+|no\s+meio\s+do\s+|no\s+centro\s+do\s+|no\s+|el\s+)?"
            + PEITO,
            # "uma dô no meio do peito": the phonetic "dô" folds to "do", read as pain after an article
            r"(?<=\buma\s)do\s+" + GAP3 + r"(?:n[oa]|no\s+meio\s+do|no\s+centro\s+do)\s+" + PEITO,
            r"\b(?:dolor|presion)\s+" + GAP3 + r"(?:en\s+|no\s+|na\s+)?(?:el\s+)?" + PEITO,
            # "parece que sentaram em cima de mim", "um elefante no peito"
            r"\bsentaram\s+em\s+cima\s+de\s+mim|\belefante\s+(?:sentado\s+)?(?:em\s+cima|no\s+peito)",
            # a weight sitting on the chest: "um elefante sentado no meu peito", "uma pedra em cima do peito"
            # (any heavy beast or thing, held-recall2: "uma vaca em cima do meu peito", "um piano no peito")
            r"\b(?:elefante|alguem|peso|pedra|boi|vaca|cavalo|touro|hipopotamo|rinoceronte|piano|geladeira|caminhao|"
            r"tonelada|tijolo|saco\s+de\s+cimento)\s+(?:\w+\s+)?"
            r"(?:sentad[oa]|em\s+cima|pisando|apertando|esmagando)\s+(?:\w+\s+){0,2}?" + PEITO,
            # the heart as the chest: "meu coração tá doendo" (never "de saudade", "partido")
            r"\bcoracao\s+(?:\w+\s+)?(?:doendo|doi|doeu|apertado|apertando|pontada|fisgada)\b"
            r"(?!\s+(?:\w+\s+)?(?:de\s+)?(?:saudade|tristeza|dela|dele|por\s+(?:ela|ele|voce)))",
            r"\bpe(?:i)?t[ou]\s+" + GAP2 + r"(?:doendo|doi|doeu|doia|dolorido|apertado|apertando|pesado|"
            r"queimando|ardendo|pegando\s+fogo|em\s+brasa|espremido|esmagado|travado|trancado|"
            # a vice: "peito tá travado parece um torno apertando"
            r"(?:num|em\s+um|no)\s+torno)\b",
            r"\btorno\s+(?:\w+\s+)?(?:apertando|espremendo|esmagando)\b[^.;!?\n]{0,30}?"
            + PEITO_WORD
            + r"|"
            + PEITO_WORD
            + r"[^.;!?\n]{0,40}?\btorno\s+(?:\w+\s+)?(?:apertando|espremendo|esmagando)\b",
            r"\bdo(?:i|e|endo|eu|ia)\s+"
            + GAP2
            + r"(?:o|no|meu|o\s+meu|no\s+meio\s+do|no\s+centro\s+do)\s+"
            + PEITO,
            r"\bdor\s+"
            + GAP2
            + r"(?:toracica|toraxica|torasica|no\s+torax|precordial|retroesternal|anginosa|"
            r"coronariana|no\s+coracao|no\s+esterno|no\s+externo)\b",
            r"\b(?:precordialgia|toracalgia|angina|anginoso|angor)\b",
            # Radiation to the left arm or jaw is chest pain even when the chest is not named.
            # Body part and pain word near each other in either order, whatever the grammar between:
            # "EU PEITO DOR FORTE", "um aperto faz meia hora, no peito", "peito muito doendo".
            # The gap never crosses "mas": "nada disso de pressão, mas tô com dor no peito" starts at "dor".
            r"\b(?:dor|dores|doendo|aperto|apertando|pressao|queimacao|pontada|pontadas|agonia)\b"
            r"(?:(?!,?\s(?:mas|porem)\s)[^?\n]){0,40}?\b" + PEITO,
            PEITO_WORD
            + r"(?:\s+[a-z]+){0,2}?\s+(?:dor|dores|doer|doendo|aperto|apertar|apertando|queimando)\b",
            r"(?:\b(?:dor(?!\s+de\s+(?:dente|dentes|ouvido|garganta|cabeca)\b)|aperto|pressao|peso|dolor|presion)|"
            r"(?<=\buma\s)do(?!\s+(?:lado|outro|outra|mesmo|mesma|jeito|tipo)\b))\b"
            r"(?:\s+[a-z]+){0,6}?\s+(?:irradia\w*|vai|indo|corre|"
            r"correndo|desce|descendo|espalha\w*|passa|baja|sobe|subindo|subiu|subia)\s+"
            + GAP2
            + r"(?:braco\s+esquerdo|brazo\s+izquierdo|braco\s+izquierdo|mandibula|queixo|"
            # an arm with no side named, together with the jaw: "corre pro braço e pro queixo" (with the neck
            # it is as often the spine's)
            r"(?:braco|bracos|ombro)\s+(?:e|ate)\s+(?:pr[oa]\s+|para\s+[oa]\s+|[oa]\s+|n[oa]\s+)?(?:queixo|mandibula))",
        ),
    ),
    # The patient naming a heart attack is itself the alarm, unless it is a remote history.
    Family(
        "sindrome_coronariana",
        "Suspeita de infarto / síndrome coronariana",
        "CRITICAL",
        _alt(
            r"\b(?:infart\w*|enfart\w*|infrat\w*|ataque\s+cardiaco|ataque\s+do\s+coracao|iam\b|"
            r"sindrome\s+coronariana)"
        ),
        not_after=_re(r"\s+(?:intestinal|mesenteric\w*|renal|esplenic\w*|pulmonar)"),
        remote_past=True,
        chronic_treatment=True,
    ),
    # Bleeding families are split so the nurse reads where the blood comes from; "exame de sangue" is
    # vetoed through `blood_word`.
    Family(
        "hematemese",
        "Hematêmese (vômito com sangue)",
        "CRITICAL",
        _alt(
            r"\b" + VOMIT + r"\s+" + GAP3 + r"(?:com\s+|de\s+)?(?:" + BLOOD + r"|borra\s+de\s+cafe)",
            r"\b(?:golf\w*|gomit\w*|botando\s+pra\s+fora)\s+" + GAP1 + BLOOD,
            r"\b" + BLOOD + r"\s+" + GAP1 + r"(?:n[oa]s?|pel[oa])\s+" + VOMIT,
            r"\bhematemese\w*",
            r"\bborra\s+de\s+cafe\b",
        ),
        not_before=_re(r"(?:fezes|coco|evacua\w*)(?:\s+\w+){0,4}\s*$"),
        blood_word=True,
    ),
    # Blood vomited, told by its look: red like a fruit syrup, dark like coffee grounds ("vomitei uma
    # coisa vermelha, parece suco de groselha", "golfei uma borra escura que nem pó de café"). A colour
    # explained by what was eaten or drunk ("comi beterraba") is the food.
    Family(
        "hematemese",
        "Hematêmese (vômito com sangue)",
        "CRITICAL",
        _alt(
            r"\b(?:"
            + VOMIT
            # (the colour is not the stools': "vomitando e com as fezes pretas" is melena)
            + r"|golf\w*|gomit\w*)\b(?:(?!fezes|coco|evacu|caca|merda|urina|xixi)[^.;!?\n]){0,50}?\b"
            r"(?:vermelh\w*|avermelhad\w*|groselha|coagul\w*|"
            r"cor\s+de\s+(?:sangue|vinho|ferrugem|cafe)|borra\w*|po\s+de\s+cafe|cafe\s+(?:moido|coado)|"
            r"pret[oa]s?|pretinh[oa]|escur[oa]s?|marrom\s+escuro)\b",
            r"\b(?:bot(?:ei|ou|ando|ava|ar)|pus|pos|pois|por(?=\s+(?:pra|para)\s+fora))\s+(?:\w+\s+){0,3}?(?:pra|para)\s+fora\b"
            r"[^.;!?\n]{0,40}?\b(?:vermelh\w*|"
            r"groselha|cor\s+de\s+(?:sangue|vinho|cafe)|borra\w*|po\s+de\s+cafe|pret[oa]s?|escur[oa]s?)\b",
        ),
        not_sentence=_re(
            r"\b(?:comi|comeu|comer|comendo|comemos|tomei|tomou|tomar|tomando|bebi|bebeu|beber|bebendo|chupei|comido|"
            r"bebido|tomado|(?:" + VOMIT + r"|golf\w*)\s+(?:o|a|os|as)(?:\s+\w+)?)\b[^.;!?\n]{0,40}?\b(?:"
            r"beterraba|acai|vinho|uva|gelatina|morango|melancia|pitaya|corante|refrigerante|groselha|cafe|"
            r"chocolate|feijao|coca|jabuticaba|amora|suco|sopa|molho|ketchup|tomate|remedio|sulfato\s+ferroso)\b|"
            # the food named first: "foi o açaí que eu comi" (s3de-recall)
            r"\b(?:beterraba|acai|vinho|uva|gelatina|morango|melancia|pitaya|groselha|chocolate|feijao|jabuticaba|amora|"
            r"suco|ketchup|tomate|sulfato\s+ferroso)\s+(?:\w+\s+)?que\s+(?:eu\s+|ele\s+|ela\s+)?(?:comi|comeu|tomei|tomou|"
            r"bebi|bebeu|chupei)\b"
        ),
    ),
    Family(
        "hemoptise",
        "Hemoptise (tosse com sangue)",
        "CRITICAL",
        _alt(
            r"\bto(?:ss|c|s)\w*\s+" + GAP3 + r"(?:com\s+|de\s+)?" + BLOOD,
            r"\b(?:escarr\w*|catarr\w*|cusp\w*|secrec\w*|expector\w*|muco|gosma|saliva)\s+"
            + GAP3
            + r"(?:com\s+|de\s+)?(?:"
            + BLOOD
            + r"|sanguinolent\w*|raias\s+de\s+sangue|hemoptoic\w*)",
            r"\b" + BLOOD + r"\s+" + GAP1 + r"(?:n[oa]|pel[oa])\s+(?:catarro|escarro|tosse|cuspe|saliva)",
            r"\bhemopt\w*",
            r"\b" + BLOOD + r"\s+(?:ao|quando)\s+tossir",
        ),
        blood_word=True,
    ),
    # Blood coughed up, told by its colour (s6-recall): "tô cuspindo uma coisa vermelha quando tusso",
    # "o catarro sai vermelho", "tusso e sai um negócio vermelho". Never a red throat, eye or face
    # ("tosse, garganta vermelha"); a red explained by food or the teeth ("era do açaí", "escovando os
    # dentes") is that, unless denied ("não é do açaí não").
    Family(
        "hemoptise",
        "Hemoptise (tosse com sangue)",
        "CRITICAL",
        _alt(
            r"\b(?:cusp\w*|escarr\w*|catarr\w*|expector\w*|secrec\w*|gosma)\b"
            r"(?:(?!garganta|olho|nariz|pele|rosto|cara\b|labio|lingua)[^.;!?\n]){0,30}?"
            r"\b(?:vermelh\w*|avermelhad\w*|cor\s+de\s+sangue)\b",
            r"\bt[ou]ss\w*\b[^.;!?\n]{0,30}?\b(?:sai|saiu|saindo|sair|vem|veio|vindo|solt\w*)\b"
            r"(?:(?!garganta|olho|nariz|pele|rosto|cara\b|labio|lingua)[^.;!?\n]){0,30}?"
            r"\b(?:vermelh\w*|avermelhad\w*|cor\s+de\s+sangue)\b",
        ),
        not_sentence=_re(
            r"(?<!\bnao\se\sdo\s)(?<!\bnao\se\sda\s)(?<!\bnao\sera\sdo\s)(?<!\bnao\sera\sda\s)(?<!\bnao\sfoi\so\s)"
            r"\b(?:acai|beterraba|vinho|groselha|morango|melancia|pitaya|corante|suco|gelatina|jabuticaba|amora|"
            r"ketchup|tomate|molho|escov\w*|dentes?|gengiva\w*)\b"
        ),
    ),
    # Black stools are upper GI bleeding in lay words; iron tablets also darken stools, but recall wins.
    Family(
        "melena",
        "Melena (fezes pretas)",
        "CRITICAL",
        _alt(
            r"\b(?:fezes|fezis|coco|cocos|evacuac\w*|evacu\w*|merda|bosta|caca)\s+"
            + r"(?:d[oa]s?\s+(?:(?:meu|minha|seu|sua)\s+)?\w+\s+)?"
            + GAP3
            + r"(?:pretas?|pretos?|negras?|negros?|enegrecid\w*|escur[ao]s?|escurecid\w*|"
            r"cor\s+de\s+(?:piche|cafe|carvao)|como\s+(?:piche|borra\s+de\s+cafe)|em\s+borra\s+de\s+cafe|tipo\s+borra\s+de\s+cafe|alcatr\w*|"
            r"piche|asfalto|graxa|petroleo|oleo\s+queimado|borra\w*)\b",
            # the bowel as the subject of the stool (s5-recall): "o intestino soltou preto feito piche"
            r"\b(?:caguei|cagou|cagando|evacuei|evacuou|obrei|obrou|defequei|defecou|fiz\s+coco|fez\s+coco|"
            r"(?:intestino|barriga)\s+(?:\w+\s+)?(?:soltou|solta|soltando|funcionou|obrou|soltou\s+tudo))\s+"
            + GAP2
            + r"(?:pret[oa]s?|pretinh[oa]|tipo\s+piche|que\s+nem\s+piche|cor\s+de\s+piche|"
            r"(?:que\s+nem|feito|igual)\s+(?:piche|asfalto|carvao|graxa|borra))\b",
            r"\bmelena\w*",
        ),
    ),
    # Generic bleeding: the word itself, or blood leaving the body. "Sangue oculto" is a screening test.
    Family(
        "sangramento",
        "Sangramento ativo",
        "CRITICAL",
        _alt(
            r"\bsan?gra(?:m[ei]?n?t[oa]s?|meto|ndo|mos|r|ram|va|vam|nte|ia)\b|\bsan?gr(?:ou|ei|a|am)\b",
            r"\bhemorr?a[gj]i(?:a|as|co|ca|cos|cas)\b",
            r"\b(?:perd\w*|saindo|sai|saiu|sair|escorr\w*|jorr\w*|pingando|pingar|esguich\w*|vazando|vazar|"
            r"minando|minava|minou|brotando)\s+" + GAP2 + r"(?:muito\s+)?" + BLOOD,
            r"\b(?:muito|bastante|monte\s+de|poca\s+de|cheio\s+de|cheia\s+de|coagulos\s+de)\s+" + BLOOD,
            r"\b"
            + BLOOD
            + r"\s+"
            + GAP1
            + r"(?:n[oa]s?|pel[oa]s?)\s+(?:fezes|coco|urina|xixi|nariz|boca|ouvidos?|"
            r"vagina|anus|reto|ferida|corte|gengivas?|olhos?|evacuac\w*|cocos?|bumbum|fistula|curativo|dreno|pontos?)\b|\b"
            + BLOOD
            + r"\s+"
            + GAP1
            + r"por\s+(?:tras|baixo|atras)\b",
            r"\b(?:fezes|coco|urina|xixi|diarreia|diarreias|diareia|evacuac\w*|corrimento|secrec\w*|menstruacao)\s+"
            + GAP2
            + r"(?:com|de|cheia\s+de|cheio\s+de)\s+"
            + BLOOD,
            # Blood with an ongoing-state verb: it keeps coming ("o sangue não para", "não estanca",
            # "continua saindo", "tá jorrando"), or it soaks what holds it back ("ensopado de sangue").
            r"\b"
            + BLOOD
            + r"[^.?!\n]{0,60}?\b(?:nao\s+(?:\w+\s+)?(?:para|parou|estanca|estancou|coagula|seca|fecha)\b"
            r"(?!\s+de\s+(?!jeito|sair|escorrer|pingar|vir|descer|minar)[a-z]+(?:ar|er|ir)\b)|"
            r"jorr\w*|escorr\w*|encharc\w*|ensop\w*|esguich\w*|pingando|continua\s+(?:saindo|vindo|escorrendo|descendo))",
            # the other ways to say it will not stop, often after a list of what was tried (s4de-recall):
            # "já botei gelo, pano molhado na nuca e nada de estancar", "nunca para"; "estancar" is said
            # only of blood, so the window is wider
            r"\b"
            + BLOOD
            + r"[^.?!\n]{0,120}?\b(?:nada\s+de\s+(?:estancar|parar|secar|coagular)|sem\s+estancar|"
            r"n(?:ao|um)\s+(?:\w+\s+)?(?:estanca|estancou)|nunca\s+para)\b",
            # ... the blood unnamed after a cut or a nose: "cortei a mão, enrolei num pano e nada de estancar"
            r"\b(?:cortei|cortou|corte|cortad[oa]|ferida|ferimento|machuc\w+|nariz|venta|gengiva)\b[^.?!\n]{0,120}?"
            r"\b(?:nada\s+de\s+estancar|sem\s+estancar|n(?:ao|um)\s+(?:\w+\s+)?estanc(?:a|ou))\b",
            r"\b(?:encharc\w*|ensopad\w*|empapad\w*|molhad[oa]s?|cheio|cheia)\s+(?:\w+\s+)?de\s+" + BLOOD,
            r"\b(?:hematuria|enterorragia|hematoquezia|epistaxe|metrorragia|menorragia)\b",
            r"\b" + BLOOD + r"\s+vivo\b",
            # "a menstruação tá descendo muito", "trocando o absorvente de meia em meia hora"
            r"\b(?:menstruac\w*|regra|sangramento)\s+(?:\w+\s+){0,2}?(?:descendo|vindo|saindo|escorrendo)\s+"
            r"(?:muito|demais|aos\s+montes|sem\s+parar|em\s+bola|que\s+nem\s+torneira)\b",
            r"\b(?:troc\w+|encharc\w*|ensop\w*)\s+(?:\w+\s+){0,2}?(?:absorvente|fralda\s+geriatrica|toalha)\w*\s+"
            r"(?:\w+\s+)?(?:de\s+meia\s+em\s+meia\s+hora|de\s+hora\s+em\s+hora|a\s+cada\s+(?:meia\s+hora|hora|\d+\s+minutos)|"
            r"toda\s+hora|sem\s+parar)",
            r"\b(?:urina|xixi)\s+" + GAP2 + r"(?:vermelh[oa]|cor\s+de\s+sangue)",
            r"\b(?:evacu\w*|caguei|cagando|cagou|urin(?:ando|ei|ou|a)|fazendo\s+xixi|mijando|fiz\s+xixi)\s+"
            + GAP1
            + r"(?:com\s+)?"
            + BLOOD,
        ),
        not_after=BLOOD_NOT_BLEEDING_AFTER,
        blood_word=True,
    ),
    # Seizure as witnessed by family: shaking, eyes rolling, foaming. "Anticonvulsivante" never matches
    # (word boundary) and "remédio de convulsão" is a prescription (`chronic_treatment`).
    Family(
        "convulsao",
        "Convulsão",
        "CRITICAL",
        _alt(
            r"\bco[nm]?[vb]ul[sc]\w*",
            r"\b(?:ataque|ataques|crise|crises|episodio|episodios)\s+"
            + GAP1
            + r"(?:de\s+)?(?:epilep\w*|epiletic\w*|"
            r"tonico[\s-]*clonic\w*)",
            r"\b(?:se\s+debat|debat)(?:endo|eu|ia|ido|eram)\b",
            r"\brevir(?:ou|ando|ava|ar)\s+os\s+olhos|\bolhos?\s+revirad\w*",
            r"\bespum(?:ando|ou|a)\s+(?:pela\s+)?boca|\bbabando\s+e\s+treme\w*|\btreme\w*\s+(?:todo|toda|o\s+corpo\s+todo)"
            r"\s+e\s+baba\w*",
            r"\bestrebuch\w*|\bestado\s+de\s+mal\s+epileptico|\btonico[\s-]*clonic\w*",
        ),
        remote_past=True,
        chronic_treatment=True,
    ),
    # Syncope: "apagar" is also switching off a light or deleting a message, hence the vetoes.
    Family(
        "sincope",
        "Síncope (desmaio / perda de consciência)",
        "CRITICAL",
        _alt(
            r"\bd[ei]smai\w*|\bdesmaei\b|\bd[ei]samai\w*",  # "disamaio": a vowel spoken between s and m
            # fell and will not wake (s3de-recall): "caiu no banheiro e num acorda", "apagou e não responde"
            r"\b(?:caiu|desabou|tombou|apagou|desmoronou)\b[^.;!?\n]{0,40}?\b(?:e|i)\s+(?:n(?:ao|um)|nem)\s+(?:\w+\s+)?"
            r"(?:acorda|acordou|responde|respondeu|reage|reagiu)\b",
            r"\bapag(?:uei|ou|ava|ando|ado|ada)\b|\bapagao\b(?!\s+(?:na|da|de)\s+(?:prova|memoria|cabeca|luz|energia))",
            r"\bperd(?:i|eu|eram|endo|a|er|ia)\s+(?:os\s+|o\s+|a\s+)?(?:sentidos|consciencia|conciencia|consiencia)",
            r"\bperda\s+(?:de|da|dos)\s+(?:consciencia|conciencia|sentidos)",
            r"\bsincop\w*|\blipotimi\w*|\bdesfalec\w*|\bpiripaque\b",
            r"\bcaiu\s+" + GAP1 + r"desacordad[oa]|\bdesacordad[oa]s?\b|\bsem\s+sentidos\b",
            # Regional and clinical-shorthand words: "teve um passamento", "deu um vaguido", "caiu duro",
            # "ñ responsivo", "ficou estirado sem responder".
            r"\bpassamento\b|\bvaguido\b|\bcaiu\s+(?:dur[oa]|durinh[oa]|estirad[oa]|estatelad[oa]|dur[oa]\s+no\s+chao)\b",
            r"\bnao\s+(?:\w+\s+)?responsiv\w*|\birresponsiv\w*|\barresponsiv\w*",
            r"\b(?:ficou|ficava|fiquei|estava|tava|caid[oa]|estirad[oa]|deitad[oa])\s+(?:\w+\s+){0,4}?sem\s+"
            r"(?:responder|reagir|responder\s+a\s+nada)\b",
            # held-recall2: the world going dark and a fall, "o mundo apaga e eu vou pro chão", "a vista
            # escureceu e caí", "caí duas vezes sem ver nada" (never a light: "a luz apaga", nor dizziness)
            r"\b(?:o\s+mundo|tudo|a\s+vista|as\s+vistas)\s+(?:\w+\s+)?(?:apag\w*|escure\w*|ficou\s+(?:preto|escuro))\s+"
            r"(?:e\s+)?(?:eu\s+|ele\s+|ela\s+)?(?:vou|fui|foi|vai|cai|caio|caiu)\s+(?:pro|para\s+o|no|ao)\s+chao\b",
            r"\b(?:cai|caiu|caio)\s+(?:\w+\s+){0,3}?sem\s+(?:ver|sentir|perceber)\s+nada\b",
        ),
        not_before=_re(
            r"(?:luz|luzes|energia|tela|celular|fogo|vela|lampada|mensagem|mensagens|arquivo|foto|"
            r"fotos|video|historico|conversa|notebook|computador|pc|tv|televisao|maquina|carro|moto|internet|"
            # (never across a clause and a subject: "a luz apagou e eu apaguei", "desceu da moto e apagou")
            r"wifi|sistema|site|telefone|radio|aparelho|monitor|geladeira)\s+" + CLAUSE_GAP3 + r"$"
        ),
        not_after=_re(
            r"\s+(?:a|o|as|os|sem\s+querer\s+a|sem\s+querer\s+o)\s+(?:luz|luzes|mensage\w*|foto\w*|vela|fogo|"
            r"arquivo\w*|video\w*|conversa\w*|historico|tela|app|aplicativo)"
        ),
        remote_past=True,
    ),
    # Unresponsive or hard to wake: more serious than syncope, reported apart. "Não responde" only
    # with "a chamados/estímulos", since "o médico não responde" is common.
    Family(
        "rebaixamento_consciencia",
        "Rebaixamento do nível de consciência",
        "CRITICAL",
        _alt(
            r"\binconscient\w*",
            r"\bnao\s+(?:acorda|acordava|desperta|despertava|reage|reagia)\b",
            # with a modal or in the progressive (s5-recall): "a bebê não quer acordar", "não tá acordando",
            # never a late riser ("não quer acordar cedo / pra escola")
            r"\bnao\s+(?:quer|queria|consegue|conseguia|ta|esta|tava|estava)\s+(?:acordar|acordando|despertar|despertando)\b"
            r"(?!\s+(?:(?:tao|muito|mais|bem)\s+)?(?:cedo|pra|para|de\s+manha|(?:de|a|na|durante\s+a)\s+(?:noite|madrugada)|"
            r"na\s+hora|no\s+horario|a\s+tempo|as?\s+\d))",
            r"\bnao\s+responde\w*\s+(?:a|aos|ao)\s+(?:chamados?|estimulos?|comandos?|nada)",
            r"\bnao\s+respond\w+\s+(?:direito\s+)?(?:quando|se)\s+(?:eu\s+|a\s+gente\s+)?cham\w+",
            r"\brebaixamento\s+(?:do\s+)?(?:nivel\s+)?(?:de\s+)?consciencia|\btorporos[oa]|\bcomatos[oa]|"
            r"\bem\s+coma\b",
            r"\bsonolent[oa]\s+(?:demais|excessiv\w*|e\s+nao\s+acorda)|\bdificil\s+de\s+acordar",
            r"\bglasgow\s+(?:de\s+)?(?:[3-9]|1[0-2])\b",
        ),
    ),
    # Acute confusion. "Confuso" about a prescription or a schedule is not a mental state: vetoed by
    # what follows ("com", "sobre") or precedes ("instruções", "receita").
    Family(
        "confusao_mental",
        "Confusão mental / desorientação",
        "CRITICAL",
        _alt(
            r"\bconfus[oa]s?\b",
            r"\bconfusao\s+mental|\bestado\s+confusional|\bquadro\s+confusional|\bconfusional\b",
            r"\bdesorient\w*",
            r"\b(?:nao|num|nem)\s+(?:me\s+|nos\s+|te\s+)?(?:esta\s+|ta\s+|estava\s+|tava\s+)?(?:me\s+|nos\s+)?"
            r"reconhec(?:e|eu|ia|endo|em)\b",
            # spoken: "num tá sabendo quem eu sou" ("so": the final u dropped)
            r"\b(?:nao|num|nem)\s+(?:ta|esta|tava|estava)\s+sabendo\s+(?:mais\s+)?(?:quem\s+(?:eu\s+)?(?:e|eh|sou|so|somos)\b|"
            # ... nor the year, nor where she is (s11a-053): "não tá sabendo em que ano tá"
            r"em\s+que\s+(?:dia|ano|mes|cidade|lugar)\b|que\s+(?:dia|ano)\s+(?:e|eh|ta|esta)\s+hoje\b|onde\s+(?:esta|ta|mora)\b)",
            r"\bfal(?:ando|a|ou|ava)\s+"
            + GAP2
            + r"(?:coisas?|besteiras?|frases?|palavras?)\s+"
            + GAP1
            + r"(?:sem\s+sentido|sem\s+nexo|desconex\w*|estranh\w*)",
            r"\bnao\s+(?:esta\s+|ta\s+|estava\s+)?(?:fala|diz|falando|dizendo|falava|dizia)\s+(?:mais\s+)?"
            r"coisa\s+com\s+coisa",
            r"\bfora\s+de\s+si\b|\bdelir(?:ando|ou|io|ium|ante)\b|\balucin\w*|\bvendo\s+coisas\b",
            r"\b(?:nao|nem|num)\s+sab(?:e|ia)\s+(?:mais\s+)?(?:dizer\s+|falar\s+|responder\s+)?(?:onde\s+(?:esta|ta|mora|estamos)\b|"
            r"quem\s+(?:eu\s+)?(?:e|sou|so|somos)\b|que\s+(?:dia|ano|mes)(?!\s+(?:e|vai\s+ser|sera|foi|tem|marc\w*)\s+(?:a|o)\s)|"
            r"em\s+que\s+(?:dia|ano|mes|cidade|lugar)|o\s+proprio\s+nome|onde\s+mora)",
            r"\bach(?:a|ando|ava)\s+que\s+(?:ainda\s+)?(?:ta|esta|estamos|tamo|mora|morava|vive|vivia)\s+(?:n[oa]\s+(?:sitio|fazenda|roca|interior|escola|"
            r"trabalho|casa\s+d[aoe]\s+\w+)|em\s+(?:19|20)\d\d)\b",
            r"\bsem\s+nexo\b|\bdesconex[oa]s?\b|\bfalas?\s+desconex\w*",
            # Lost where one lives (s3de-recall): "me perdi dentro da minha própria casa", "se perdeu no
            # próprio quarto", "não achei o banheiro da minha casa" (never lost in a city, a mall, a street).
            r"\b(?:me|se)\s+perd(?:i|eu|endo|eu-se|ia)\s+(?:dentro\s+)?(?:d[aeo]\s+|n[oa]\s+|em\s+)?(?:minha|sua|propria|meu|seu)\s+"
            r"(?:propri[oa]\s+)?(?:casa|quarto|apartamento|apto|cozinha|sala)\b",
            # Memory and orientation lost in lay words: repeating the same question, not knowing the
            # day or how one got somewhere, calling a relative by another's name.
            r"\b(?:pergunt|repet)\w*\s+(?:\w+\s+)?a\s+mesma\s+(?:coisa|pergunta)\b",
            r"\bnao\s+(?:sei|sabe|sabia|lembr\w*|me\s+lembr\w*)\s+(?:\w+\s+)?(?:"
            r"(?:em\s+)?que\s+dia(?!\s+(?:e|vai\s+ser|sera|foi|tem|marc\w*)\s+(?:a|o)\s)|como\s+cheg\w+|"
            r"onde\s+(?:estou|esta|estava|to|ta)\b|(?:d?o\s+)?que\s+(?:eu\s+)?fiz|de\s+nada\s+(?:do|que)|"
            r"(?:d?o\s+)?que\s+aconteceu)",
            r"\bcham(?:ei|ou|a|ando)\s+(?:\w+\s+){0,2}?pelo\s+nome\s+d[oa]s?\s+(?:minha|meu|sua|seu)\s+",
            # held-recall2: not knowing one's own family, "não me conhece mais", "não me conhece, me chama de
            # dona", "não conhece a própria filha" (never "o médico não me conhece ainda")
            r"\b(?:nao|num|nem)\s+(?:me|nos)\s+conhec(?:e|eu|ia)\b(?:\s+mais\b|(?=\s*,?\s*(?:(?:fica|ta|tava)\s+)?"
            r"(?:me|nos)\s+(?:cham\w*|confund\w*|trat\w*)\b|\s*,?\s*(?:acha|pensa|jura|diz)\s+que\s+(?:eu\s+)?(?:sou|so|e)\b))|"
            r"\b(?:nao|num|nem)\s+conhec(?:e|eu|ia)\s+(?:mais\s+)?(?:a\s+|o\s+)?(?:propri[oa]|propri[oa]s)\s+",
        ),
        # "fiquei confuso com a receita" is about instructions, not the patient's mind.
        not_before=_re(
            r"(?:informac\w*|instruc\w*|receita|orientac\w*|explicac\w*|letra|horario|site|sistema|"
            r"aplicativo|app|agenda|marcacao|mensagem|texto|bula|resultado|laudo|exame|conta|boleto|"
            r"plano|regras?|situacao|historia)\s+" + GAP3 + r"$"
        ),
        not_after=_re(
            r"\s+(?:com|sobre|quanto|em\s+relacao|a\s+respeito|se\b|porque|por\s+que|pq|de\s+qual|qual|"
            r"quando|onde|pois|para\s+entender|nas?\s+(?:informac|orientac|instruc|receita|hora)|no\s+horario|"
            r"sobre|entre)"
        ),
    ),
    # Stroke signs (the SAMU/FAST questions): face, speech, one-sided weakness; or the word AVC/
    # derrame. "Derrame pleural/articular" is an effusion, not a stroke.
    Family(
        "sinais_avc",
        "Sinais de AVC (déficit neurológico focal)",
        "CRITICAL",
        _alt(
            r"\b(?:boca|rosto|cara|face|labio|labios|sorriso)\s+(?:d[oa]s?\s+(?:(?:meu|minha|seu|sua|nosso|nossa)\s+)?\w+\s+)?"
            + CLAUSE_GAP2
            + r"(?:tort[oa]s?|caid[oa]s?|caiu|entort\w*|tronch\w*|tronx\w*|"
            r"repuxad[oa]|desviad[oa]|paralisad[oa]|caindo|pendid[oa]|pend(?:endo|enu|eno|eu))\b",
            r"\b(?:entort\w*|caiu)\s+(?:a\s+|o\s+)?(?:boca|rosto|lado\s+do\s+rosto)",
            r"\bdesvio\s+(?:de|da)\s+(?:rima|comissura)|\bparalisia\s+facial|\bassimetria\s+facial|\bparesia\s+facial",
            r"\bfala\w*\s+"
            + GAP1
            + r"(?:enrolad[oa]|enrolando|arrastad[oa]|embolad[oa]|pastos[oa]|embaralhad[oa]|"
            r"travad[oa]|atrapalhad[oa]|esquisit[oa]|estranh[oa]|mole)\b",
            r"\benrol(?:ando|ou|a)\s+(?:a\s+)?(?:lingua|fala)|\blingua\s+enrolad[oa]",
            r"\bfala\s+d(?:ele|ela|[oa]\s+\w+|[oa]\s+(?:meu|minha)\s+\w+)\s+(?:(?:ta|esta|ficou|tava|estava)\s+)?"
            r"(?:tod[oa]\s+|meio\s+|muito\s+|bem\s+)?(?:enrolad[oa]|arrastad[oa]|embolad[oa]|pastos[oa]|embaralhad[oa]|"
            r"travad[oa]|atrapalhad[oa]|mole|lent[oa])\b",
            # "falá" for "falar": the infinitive's r is dropped in speech, "num" for "não"
            r"\bn(?:ao|um)\s+(?:ta\s+|esta\s+|tava\s+)?consegu\w+\s+(?:falar?|articular?)\s+(?:nada\s+)?direito\b(?!\s+com\b)",
            # (never "ainda não consegue falar", a toddler)
            r"\b(?<!ainda\s)(?:nao\s+consegue|nao\s+consigo|nao\s+conseguia|nao\s+conseguiu|sem\s+conseguir|"
            r"dificuldade\s+(?:para|pra|de|em))\s+(?:falar|articular)(?!\s+(?:com|no|por|ao|pelo|nada|ingles)\b)|\bperd(?:eu|i)\s+a\s+fala|\bafasi\w*|\bdisartri\w*",
            r"\bhemipar\w*|\bhemipleg\w*|\bdeficit\s+(?:motor|neurologico|focal)|\bparesia\b|\bplegia\b",
            # sudden loss of sight and words coming out wrong are on the SAMU stroke list too
            # held-recall2: one eye gone dark, "fiquei sem enxergar do olho direito", "parou de enxergar de
            # um olho"
            r"\b(?:fiquei|ficou|fica|to|ta|estou|esta)\s+sem\s+(?:enxergar|ver|vista)\s+(?:nada\s+)?"
            r"(?:d[eo]|com\s+[ou])\s+(?:um\s+|o\s+)?olho\b|"
            r"\bpar(?:ei|ou)\s+de\s+enxergar\s+(?:nada\s+)?(?:d[eo]|com\s+[ou])\s+(?:um\s+|o\s+)?olho\b",
            r"\bperd\w+\s+(?:a\s+|toda\s+a\s+)?(?:visao|vista)\b|\b(?:fiquei|ficou|fica)\s+(?:cego|cega)\b|"
            r"\bvisao\s+dupla\s+(?:de\s+repente|do\s+nada)|\btroc(?:ando|ou|a)\s+(?:as\s+|a\s+)?palavras?\b",
            # "a fala enrolou do nada", "enrolou a língua"
            r"\b(?:fala|lingua)\s+(?:\w+\s+)?(?:enrol|embol|embaralh)(?:ou|ando)\b|\b(?:enrol|embol)ou\s+(?:a\s+|toda\s+a\s+)?(?:fala|lingua)\b",
            # a limb that does not obey, even with no side named: "o braço num obedece mais"
            r"\b(?:braco|perna|mao)\s+(?:\w+\s+)?n(?:ao|um)\s+(?:ta\s+|esta\s+|quer\s+)?obedec\w*",
            # a limb that drops limp with no side named: "o braço caiu mole", "a mão amoleceu"
            r"\b(?:braco|perna|mao)\s+(?:\w+\s+)?(?:caiu\s+mole|amoleceu|despencou|ficou\s+mort[oa])\b",
            r"\b(?:braco|perna|mao|lado|membro|membros)\s+(?:direit[oa]|esquerd[oa])\s+"
            + GAP2
            + r"(?:fraco|fraca|fracos|sem\s+forca|paralisad[oa]|parad[oa]|mole|pesad[oa]|nao\s+mexe|"
            r"n(?:ao|um)\s+(?:ta\s+|esta\s+|quer\s+)?obedec\w*|morto|morta|caid[oa])\b",
            r"\b(?:fraqueza|formigamento|dormencia|dormente|adormecimento|perda\s+d[ea]\s+forca|paralisia|"
            r"sem\s+forcas?|perd(?:i|eu|endo)\s+(?:a\s+)?forca)\s+"
            + GAP3
            + r"(?:de|em|num|no|do|da|na)\s+(?:um\s+|so\s+um\s+)?(?:lado|metade|hemicorpo|dimidio)\b",
            r"\b(?:fraqueza|perda\s+d[ea]\s+forca|paralisia|sem\s+forcas?|perd(?:i|eu|endo)\s+(?:a\s+)?forca)\s+"
            + GAP2
            + r"(?:n[oa]|do|da|em)\s+"
            r"(?:braco|perna|mao|membro)\s+(?:direit[oa]|esquerd[oa])",
            r"\b(?:metade|lado)\s+do\s+(?:corpo|rosto)\s+" + GAP1 + r"(?:dormente|paralisad\w*|fraca|fraco|"
            r"formigando|caid\w*|adormecid\w*|sem\s+forca)",
            # One-sided weakness or numbness in everyday words: a deficit word and a side in one clause
            # ("perdi a força do braço e da perna esquerda", "o lado direito do corpo todo adormecido").
            DEFICIT + r"[^.;!?\n]{0,60}?" + SIDED,
            SIDED + r"[^.;!?\n]{0,50}?" + DEFICIT,
            # the face pulled or gone still on one side (s4de-recall): "a boca puxou pro lado", "metade
            # da cara tá parada", "não consigo sorrir de um lado"
            r"\b(?:boca|rosto|cara|face|labio)\s+(?:\w+\s+)?(?:puxou|repuxou|virou|foi|entortou|puxando|repuxando)\s+"
            r"(?:todo\s+|toda\s+)?(?:pro|pra|para\s+o|pra\s+um|pro\s+um)\s+(?:lado|canto)\b",
            r"\bmetade\s+d[oa]\s+(?:cara|rosto|face|boca)\s+"
            + GAP2
            + r"(?:parad[oa]|mort[oa]|dormente|caid[oa]|"
            r"tort[oa]|paralisad[oa]|sem\s+mexer|nao\s+mexe)\b",
            r"\bn(?:ao|um)\s+(?:\w+\s+)?consig\w*\s+(?:sorrir|rir|assobiar|fechar\s+o\s+olho)\s+(?:de|do|num|dum)\s+"
            r"(?:um\s+|so\s+um\s+)?lado\b",
            r"\b(?:avc|a\.v\.c|acidente\s+vascular(?:\s+cerebral|\s+encefalico)?|ait|ataque\s+isquemico|"
            r"isquemia\s+cerebral|trombose\s+cerebral)\b",
            r"\bderrame\b(?!\s+(?:pleural|pericardic\w*|articular|de\s+liquido|no\s+joelho|sinovial|no\s+olho|"
            r"ocular|nos\s+olhos|de\s+pleura))",
        ),
        remote_past=True,
        chronic_treatment=True,
        # Numbness after a local anaesthetic is expected, not a stroke.
        not_sentence=_re(
            r"\b(?:anestesi\w*|dentista|bloqueio|raqui\w*|peridural|chupeta|ortodont\w*|de\s+tanto\s+chupar)\b"
        ),
    ),
    # Stroke signs in everyday words (s3c-recall): the words that will not come out ("a palavra não
    # saía direito", "sai tudo embolado"), a limb gone "bobo", double vision that began at a time
    # ("desde hoje cedo tô enxergando tudo dobrado"). Nerves, drink or shyness explain them.
    Family(
        "sinais_avc",
        "Sinais de AVC (déficit neurológico focal)",
        "CRITICAL",
        _alt(
            r"\b(?:palavras?|fala)\s+(?:\w+\s+)?n(?:ao|um)\s+(?:sai|saia|saem|saiam|saiu|sairam|vem|vinha|vinham)\s+"
            r"(?:\w+\s+)?direito\b",
            r"\bsai(?:a|u|ndo|am|em)?\s+(?:tud[oa]\s+|as\s+palavras\s+|a\s+palavra\s+|a\s+fala\s+)"
            r"(?:embolad[oa]s?|enrolad[oa]s?|embaralhad[oa]s?|atrapalhad[oa]s?|trocad[oa]s?)\b",
            r"\b(?:braco|perna|mao|pe|lado|rosto)\s+(?:\w+\s+)?(?:ficou|fic(?:a|ando)|ta|esta|tava)\s+(?:tod[oa]\s+|meio\s+)?"
            r"bob[oa]\b",
            # the hand of one side lets things fall: "a mão direita deixa cair tudo" (never "deixou cair
            # o celular do lado esquerdo", a place)
            r"\b(?:mao|braco)\s+(?:direit[oa]|esquerd[oa])\s+[^.;!?\n]{0,30}?\bdeix(?:o|a|ando|ei|ou|ava)\s+cair\b",
        ),
        remote_past=True,
        not_sentence=_re(
            r"\b(?:nervos\w*|vergonha|timid\w*|public[oa]|entrevista|apresentacao|prova|gaguej\w*|gagueira|"
            r"bebad[oa]|bebi|cachaca|cerveja|pinga|chorando|emocionad[oa]|anestesi\w*|dentista|rouc[oa]|rouquidao|"
            r"dentadura|protese|aparelho)\b"
        ),
    ),
    Family(
        "sinais_avc",
        "Sinais de AVC (déficit neurológico focal)",
        "CRITICAL",
        _alt(
            r"\b(?:enxerg\w*|vendo|vejo|via|vi|visao|vista)\s+(?:tudo\s+|as\s+coisas\s+|duas\s+vezes\s+)?"
            r"(?:dobrad[oa]s?|duplicad[oa]s?|dupla|duplo|em\s+dobro)\b"
        ),
        remote_past=True,
        # the double vision began at a time: "desde hoje cedo", "de repente", "acordei"
        requires=_re(
            r"\b(?:desde\s+(?:hoje|ontem|cedo|de\s+manha|que\s+acordei|a\s+hora|as\s+\d+)|hoje\s+cedo|de\s+repente|"
            r"do\s+nada|acordei|acordou|comecou|ha\s+(?:\d+|uma|meia)\s+hora)"
        ),
        not_sentence=_re(r"\b(?:bebad[oa]|bebi|cachaca|cerveja|pinga|oculos|grau|lente|cansad[oa]|sono)\b"),
    ),
    # Anaphylaxis: airway closing is enough on its own.
    Family(
        "anafilaxia",
        "Anafilaxia / reação alérgica grave",
        "CRITICAL",
        _alt(
            r"\b(?:garganta|glote|goela)\s+(?:parece\s+que\s+|sinto\s+que\s+|como\s+se\s+)?"
            + GAP2
            + r"(?:fechando|fechou|fechar|fecha|fechad[oa]|trancando|trancad[oa]|trancou|tranca|"
            r"travando|travou|se\s+fechando|se\s+fechou|apertando|fechadinha)",
            r"\bfech(?:ando|ou)\s+(?:a\s+)?(?:garganta|glote)",
            r"\bedema\s+de\s+glote|\bangioedema|\bedema\s+de\s+quincke|\banafila\w*|\bchoque\s+alergico",
            r"\breac(?:ao|oes)\s+alergica\w*\s+(?:grave|graves|severa|severas|forte|fortes|intensa|seria)",
        ),
    ),
    # Facial/lip/tongue swelling is anaphylaxis only next to a trigger (medicine, food, sting); alone it
    # is more often a toothache or a bad night.
    Family(
        "anafilaxia",
        "Anafilaxia / reação alérgica grave",
        "CRITICAL",
        _alt(
            r"\b(?:inchac\w*|inchad[oa]s?|inchou|inchando|incha|edema|edemaciad\w*)\s+"
            + GAP2
            + r"(?:(?:n[oa]s?|d[oa]s?|em)\s+)?"
            r"(?:rosto|labios?|lingua|boca|face|olhos?|palpebras?|garganta|cara)\b",
            r"\b(?:rosto|labios?|lingua|boca|face|olhos?|palpebras?|garganta|cara)\s+"
            + GAP2
            + r"(?:inchad[oa]s?|inchou|incharam|inchando|incha|inchac\w*|edemaciad\w*)",
            r"\bdificuldade\s+(?:de|para|pra|em)\s+engolir|\bdificil\s+(?:de\s+|pra\s+|para\s+)?engolir",
        ),
        requires=ALLERGEN_CONTEXT,
    ),
    # Suicidal ideation is never softened by negation of the wish ("não quero me matar, mas...") other
    # than explicit denial ("nega ideação suicida"); figures of speech about pain are vetoed.
    Family(
        "ideacao_suicida",
        "Ideação suicida",
        "CRITICAL",
        _alt(
            r"\b(?:acabar|terminar|dar\s+fim|por\s+fim|colocar\s+fim|dar\s+um\s+fim)\s+(?:com\s+|a\s+|na\s+)?(?:a\s+)?"
            r"(?:minha\s+|propria\s+|sua\s+|propria\s+)?(?:propria\s+)?vida\b",
            r"\b(?:me|se|te)\s+matar\b(?!\s+de\s+(?:rir|trabalhar|estudar|tanto|vergonha))|\bmatar-(?:me|se)\b|"
            r"\bme\s+mato\b|\bse\s+mata\b|\bmatar\s+a\s+mim\s+mesm[oa]|"
            r"\b(?:pens\w*\s+em|vontade\s+de|quero|queria|vou)\s+me\s+mata\b",  # "matá": the r dropped
            r"\btirar\s+(?:a\s+)?(?:minha|propria|sua)\s+(?:propria\s+)?vida",
            r"\bnao\s+(?:quero|aguento|vejo\s+sentido\s+em|tenho\s+(?:mais\s+)?(?:vontade|motivo)s?\s+(?:de|para|pra))\s+"
            r"(?:mais\s+)?viver",
            r"\bnao\s+vale\s+(?:mais\s+)?a\s+pena\s+(?:viver|continuar\s+vivendo)",
            r"\b(?:quero|queria|vontade\s+de|pens\w*\s+em|ideia\s+de|ideias\s+de|desejo\s+de)\s+"
            + GAP1
            + r"morrer\b(?!\s+de\s+(?:rir|vergonha))",
            r"\bsuicid\w*|\bautoextermin\w*|\bautoles\w*|\bautomutil\w*|\bauto-?agress\w*",
            r"\bmelhor\s+(?:se\s+eu\s+)?(?:estivesse|estar|fosse|ficar)\s+mort[oa]|"
            r"\bseria\s+melhor\s+(?:eu\s+morrer|morrer|eu\s+sumir)",
            r"\bsumir\s+(?:d[oe]sse\s+mundo|deste\s+mundo|do\s+mundo|para\s+sempre|de\s+vez|"
            r"e\s+nunca\s+mais\s+(?:voltar|aparecer))|\bdesistir\s+(?:de\s+)?(?:viver|da\s+vida)",
            # "o melhor era eu sumir", "melhor eu desaparecer" (never "melhor eu sumir daqui")
            r"\bmelhor\s+(?:(?:era|seria|e)\s+(?:eu\s+)?|eu\s+)(?:sumir|morrer|desaparecer|nao\s+existir|"
            r"nao\s+estar\s+(?:mais\s+)?aqui)\b" + _NOT_A_PLACE,
            # "todo mundo ficaria melhor se eu não estivesse aqui"
            r"\bmelhor\s+(?:\w+\s+){0,2}?se\s+eu\s+(?:nao\s+(?:estivesse\s+(?:mais\s+)?(?:aqui|viv[oa]|no\s+mundo)|"
            r"estivesse(?=\s*(?:[,.;!?\n]|$))|existisse|tivesse\s+nascido)|morresse|sumisse|desaparecesse)\b"
            + _NOT_A_PLACE,
            r"\b(?:cansei|cansad[oa]|desisti)\s+(?:de\s+)?(?:viver|da\s+vida)\b",
            # Compositional (s3de-recall): "era melhor morrer", "seria melhor eu sumir" (the word order
            # after the copula); a WISH cue + the JUMP at a HEIGHT in the same sentence: "tô no alto da
            # passarela pensando em pular", "vontade de pular da janela" (never "pular a janela pra
            # entrar", "pular carnaval").
            r"\b(?:era|seria|e)\s+melhor\s+(?:eu\s+)?(?:morrer|sumir|desaparecer|nao\s+existir|nao\s+ter\s+nascido)\b"
            r"(?!\s+de\s+(?:rir|vergonha|tedio))" + _NOT_A_PLACE,
            r"\b(?:passarela|ponte|predio|viaduto|janela|laje|sacada|varanda|terraco|penhasco|precipicio|"
            r"(?:\d+|decimo|ultimo)\s*o?\s+andar)\b[^.;!?\n]{0,60}?\b(?:pens\w*\s+em|vontade\s+de|quero|queria|vou)\s+"
            r"pular\b(?!\s+(?:carnaval|corda|cerca|muro|amarelinha|fogueira|ondas?|festa|de\s+alegria)\b)"
            r"(?!\s+(?:\w+\s+){0,3}?(?:pra|para)\s+(?:entrar|sair|fugir|pegar))",
            r"\b(?:pens\w*\s+em|vontade\s+de|quero|queria|vou)\s+pular\s+(?:\w+\s+){0,3}?(?:passarela|ponte|predio|"
            r"viaduto|janela|laje|sacada|varanda|terraco|penhasco|precipicio|andar)\b"
            r"(?![^.;!?\n]{0,30}?\b(?:pra|para)\s+(?:entrar|sair|fugir|pegar))",
            r"\bpensamentos?\s+(?:de|sobre|em)\s+(?:morte|morrer|suicid\w*|me\s+matar)",
            # held-recall2: "tenho pensado em acabar com tudo", "vou acabar com tudo hoje": a wish to end
            # "tudo" said bare, never "tudo isso/aquilo/que/do..." (a chore, a diet, a debt)
            r"\b(?:pens\w*\s+em|vontade\s+de|quero|queria|vou|ideia\s+de)\s+(?:\w+\s+)?(?:acabar|dar\s+(?:um\s+)?fim|"
            r"por\s+(?:um\s+)?fim)\s+(?:com|em|a|n)\s*tudo\b(?!\s+(?:isso|isto|aquilo|o\s|a\s|os\s|as\s|de\s+(?!vez|uma)\w|"
            r"que\s|d[oa]s?\s|n[oa]s?\s|(?:no|na|em)\s))",
            r"\bnao\s+vejo\s+(?:mais\s+)?sentido\s+(?:na|em|de)\s+(?:vida|viver|continuar)",
            r"\bme\s+(?:cortar|cortando|machucar|ferir)\b(?!\s+(?:sem\s+querer|com\s+a\s+faca\s+sem))",
            r"\bme\s+(?:jogar|jogo|atirar|atiro|lancar)\s+"
            + GAP3
            + r"(?:ponte|predio|janela|carro|trem|frente|passarela|viaduto|laje|sacada|varanda|terraco|"
            r"alto|cima|penhasco|rio|mar|represa|linha\s+do\s+trem|trilhos?|onibus|caminhao|metro|pedreira|barranco)",
            r"\bme\s+(?:enforcar|enforco|envenenar|envenenando|afogar|esfaquear|dar\s+um\s+tiro)\b|"
            r"\bcortar\s+(?:os\s+|meus\s+)?pulsos\b",
            r"\bmedo\s+de\s+(?:mim\s+mesm[oa](?=\s*(?:[,.;!?]|$|e\b|mas\b|porque\b|pq\b))|fazer\s+(?:uma\s+|alguma\s+)?(?:besteira|bobagem|loucura)\s+comigo)\b|"
            r"\bfazer\s+(?:uma\s+|alguma\s+)?(?:besteira|bobagem|loucura)\s+comigo\b",
            r"\btomar\s+todos\s+os\s+(?:meus\s+)?(?:remedios|comprimidos)|\btomar\s+(?:a\s+)?(?:cartela|caixa)\s+(?:inteira|toda)",
            r"\bnao\s+aguento\s+mais\s+(?:essa|esta|a|minha)\s+vida\b",
            r"\b(?:dormir|deitar|apagar)\s+e\s+(?:nao|nunca\s+mais)\s+(?:acordar|levantar)(?:\s+mais|\s+nunca)?\b|\bnao\s+(?:quero\s+)?acordar\s+nunca\s+mais",
            # "seria mais fácil se eu não acordasse mais"
            r"\bs[ei]\s+(?:eu\s+)?(?:nao|n|num)\s+acordasse\b|\b(?:melhor|facil)\s+(?:\w+\s+)?(?:nao|n|num)\s+acordar\s+mais\b",
            # ... and without the "mais" (held-recall): "seria melhor eu não acordar", "era mais fácil se eu
            # não existisse" (never "melhor não acordar cedo / tarde / antes das oito")
            r"\b(?:seria|era|ia\s+ser|fosse)\s+(?:bem\s+|muito\s+)?(?:melhor|mais\s+facil)\s+(?:se\s+)?(?:eu\s+)?"
            r"(?:nao|n|num)\s+(?:acordar|acordasse|existir|existisse|ter\s+nascido|tivesse\s+nascido|estar\s+aqui|"
            r"estivesse\s+aqui)\b(?!\s+(?:tao\s+|muito\s+|mais\s+)?(?:cedo|tarde|antes|depois|de\s+madrugada|a\s+noite))",
            # the means named next to ending it: "vontade de pegar a corda e acabar com tudo", "as cartelas
            # separadas... hoje vou acabar com isso de vez" (a prescribed medicine ending an illness is
            # not it)
            r"\b(?:corda|veneno|chumbinho|gilete|lamina|revolver|arma)\b[^.?!\n]{0,60}?\bacabar\s+com\s+"
            r"(?:tudo|isso|a\s+vida|minha\s+vida)\b",
            r"\b(?:cartelas?|comprimidos|remedios|pilulas|caixas)\s+(?:\w+\s+){0,5}?(?:separad\w*|juntad\w*|guardad\w*|"
            r"escondid\w*)[^.?!\n]{0,80}?\bacab(?:ar|o|aria)\s+com\s+(?:tudo|isso)\b",
            # A passive wish to die ("peço pra Deus me levar", "não quero mais acordar") and the Libras
            # order with the verb last ("morrer querer", "vida cansar").
            r"\b(?:deus|senhor|jesus|ele)\s+(?:\w+\s+)?me\s+(?:lev(?:ar|e|asse|a)|buscar|busque|recolher)\b",
            r"\bnao\s+(?:quero|queria)\s+(?:mais\s+)?(?:acordar|amanhecer|estar\s+aqui|existir)\b",
            r"\bmorrer\s+(?:eu\s+)?(?:quer(?:er|o)|vontade)\b|\bvida\s+(?:eu\s+)?cans(?:ar|ei|ada|ado)\b",
            # Preparation: pills set aside to take at once, farewell letters, things given away.
            r"\b(?:tomar|engolir)\s+(?:\w+\s+)?(?:tud[oa]s?|todos|todas)\s+(?:de\s+uma\s+vez|duma\s+vez|junt[oa]s?|"
            r"ao\s+mesmo\s+tempo)",
            r"\b(?:separei|guardei|juntei|escondi|separando|guardando|juntando|escondendo|estocando)\s+(?:\w+\s+){0,3}?"
            # (the plural's s dropped as spoken: "guardando os remedio numa caixinha pra tomar", s11a-063)
            r"(?:comprimidos?|remedios?|pilulas?|cartelas?|caixas\s+de\s+remedio)\b[^.?!\n]{0,40}?\b(?:tomar|engolir|"
            r"acabar\s+com\s+(?:tudo|isso|a\s+vida|minha\s+vida)|hoje|noite|de\s+uma\s+vez)",
            # ... the means set aside, waiting to be alone, then despair: "separei os comprimidos e tô
            # esperando todo mundo dormir. não aguento mais" (a pillbox and a series to watch is no despair)
            r"\b(?:separei|guardei|juntei|escondi|deixei|peguei)\s+(?:\w+\s+){0,3}?(?:comprimidos|remedios|pilulas|"
            r"cartelas|corda|veneno|chumbinho|gilete|lamina)\b[^\n]{0,80}?\b(?:esperando|esperar|espero)\s+"
            r"(?:\w+\s+){0,3}?(?:dormir|dormirem|sair|sairem|vazia|sozinh[oa])\b(?=[^\n]{0,80}?\b(?:nao\s+aguento\s+mais|"
            r"cansei\s+de\s+tudo|nao\s+da\s+mais|nao\s+quero\s+mais|chega\s+de\s+tudo|ninguem\s+vai\s+sentir))",
            # a rope rigged to a tree or beam, timed for when no one is home (s4de-recall): "vou amarrar a
            # corda no galho quando todo mundo sair" (a swing for the grandchildren names no lonely hour)
            r"(?:\b(?:amarr\w+|pendur\w+|prend\w+|passar|passei)\s+(?:a\s+|uma\s+|essa\s+)?corda\b|"
            r"\bcorda\b[^.?!\n]{0,60}?\b(?:amarr|pendur|prend)\w*)[^.?!\n]{0,50}?"
            r"\b(?:quando|assim\s+que|depois\s+que|na\s+hora\s+que|enquanto)\s+(?:\w+\s+){0,3}?(?:sair|sairem|"
            r"dormir|dormirem|for\s+embora|forem\s+embora|ficar\s+sozinh[oa]|estiver\s+sozinh[oa]|viajar|viajarem)\b"
            # ... never with a purpose for an animal or a thing: "pra o gado não fugir", "pro varal"
            r"(?![^.?!\n]{0,40}?\b(?:pra|para|pro|pros|pras)\s+(?:(?:o|a|os|as)\s+)?(?:gado|bois?|vacas?|bezerr\w+|cavalos?|"
            r"eguas?|cachorr\w+|galinh\w+|porcos?|cabras?|ovelhas?|bichos?|criacao|animal|animais|porteira|cerca|portao|"
            r"lona|carga|roupas?|varal|rede|balanco|cortina|toldo|barraca)\b)",
            # every pill of the house gathered and hidden, with a note left (held-recall): "juntou todas as
            # cartelas de remédio da casa e escondeu ... deixou uma carta" (a carer hiding a confused
            # parent's medicines leaves no letter)
            r"\b(?:junt|separ|guard|acumul|estoc)\w*\s+(?:\w+\s+){0,2}?(?:tod[oa]s|tudo)\s+(?:[oa]s\s+)?(?:cartelas|"
            r"comprimidos|remedios|pilulas|caixas)\b[^.?!\n]{0,80}?\bescond\w*[^\n]{0,120}?\b(?:cartas?|bilhetes?)\b",
            r"\b(?:escrevi|escrevendo|deixei|deixando|escrever)\s+(?:\w+\s+){0,2}?cartas?\s+(?:de\s+despedida|"
            r"(?:pr[oa]s?|para\s+(?:os|as|o|a|meus|minhas))\s+)|\bcartas?\s+de\s+despedida",
            r"\bme\s+desped(?:i|indo|ir)\s+de\s+(?:todo|todos|todas|tudo|cada|meus|minhas|voces)\b",
            r"\b(?:dei|doei|dando|doando|distribui|distribuindo)\s+(?:\w+\s+){0,2}?(?:minhas|meus)\s+coisas\b",
            r"\bninguem\s+(?:ia|vai|iria)\s+(?:sentir|notar)\s+(?:a\s+)?minha\s+falta\b",
        ),
        # "essa dor vai me matar" is a figure of speech about pain.
        not_before=_re(
            r"(?:dor|isso|essa|esse|calor|saudade|fome|sede|ansiedade|preocupacao|trabalho|filh\w+|"
            r"marido|esposa|chefe|susto|coceira|cansaco|tosse)\s+"
            + GAP2
            + r"(?:vai|vao|quer|ia|querem|esta\s+querendo)\s*$"
        ),
    ),
    # "Ficariam melhor sem mim": a passive wish, unless what is better is a job, a team, a party.
    Family(
        "ideacao_suicida",
        "Ideação suicida",
        "CRITICAL",
        _alt(r"\bmelhor\s+sem\s+mim\b(?![^.;!?\n]{0,30}?\b(?:kkk\w*|demissao|pedir\s+as\s+contas))"),
        not_before=_re(
            r"\b(?:trabalho|time|festa|empresa|equipe|projeto|grupo|reuniao|servico|firma|escola|turma|banda|jogo|"
            r"viagem|churrasco|setor|loja|casamento)\s+(?:\w+\s+){0,3}$"
        ),
    ),
    # A caregiver reporting the patient's own stated intent (s3c-recall): "meu filho disse que vai se
    # matar", "falou que vai se jogar da passarela". Only the reflexive "se" with a lethal means or
    # place; "se matar de trabalhar", "se jogar na piscina/no carnaval" are not it. The first family's
    # veto of "filho ... vai" (a son who "vai me matar" of worry) does not apply to "se".
    Family(
        "ideacao_suicida",
        "Ideação suicida",
        "CRITICAL",
        _alt(
            r"\bse\s+mat(?:ar|a)\b(?!\s+(?:de\s+(?:rir|trabalhar|estudar|tanto|vergonha|correr)|no\s+(?:trabalho|transito)|"
            r"na\s+(?:estrada|academia)|de\s+(?:moto|carro)))",
            r"\bse\s+(?:jogar|joga|atirar|atira|lancar)\s+"
            + GAP2
            + r"(?:d[oa]|de\s+cima\s+d[oa]|na\s+frente\s+d[oa]|n[oa]s?)\s+(?:\w+\s+)?"
            r"(?:ponte|predio|passarela|viaduto|janela|laje|sacada|varanda|terraco|penhasco|precipicio|linha\s+do\s+trem|trilhos?|carro|onibus|caminhao|trem|metro)\b",
            r"\bse\s+(?:enforcar|enforca|envenenar|envenena)\b",
        ),
    ),
    # A lethal means bought or kept aside, with no pest to kill: "comprei chumbinho e deixei guardado".
    Family(
        "ideacao_suicida",
        "Ideação suicida",
        "CRITICAL",
        _alt(
            r"\b(?:veneno|chumbinho|raticida|corda)\b[^.;!?\n]{0,40}?\b(?:guardad[oa]|escondid[oa]|separad[oa]|"
            r"guardei|escondi|separei)\b",
            r"\b(?:guardei|escondi|separei)\s+(?:\w+\s+){0,2}?(?:veneno|chumbinho|raticida|corda)\b",
        ),
        not_sentence=_re(
            r"\b(?:ratos?|ratazana|camundongos?|baratas?|formigas?|cupim|pragas?|bichos?|lesmas?|pombos?|varal|"
            r"rede|pular|crianca\w*|alcance|cachorro|gato|pet|pulga\w*|carrapat\w*|mato|horta|plantas?)\b"
        ),
    ),
    # Poisoning/overdose: a frequent way suicidal intent or child accidents are reported.
    Family(
        "intoxicacao",
        "Intoxicação / ingestão tóxica",
        "CRITICAL",
        _alt(
            r"\boverdose\b",
            r"\bintoxica\w*(?!\s+(?:alimentar|por\s+alimento))",
            r"\b(?:ingeriu|ingeri|tomou|tomei|bebeu|bebi)\s+"
            + GAP2
            + r"(?:veneno|chumbinho|agua\s+sanitaria|soda\s+"
            r"caustica|raticida|querosene|gasolina|cartela|caixa\s+inteira|todos\s+os\s+(?:remedios|comprimidos)|"
            r"muitos\s+comprimidos|varios\s+comprimidos|um\s+monte\s+de\s+(?:remedio|comprimido)\w*)",
            # "tomou uma caixa de remédio de pressão inteira"
            r"\b(?:ingeriu|ingeri|tomou|tomei|bebeu|bebi|engoliu|engoli)\s+(?:\w+\s+){0,2}?(?:cartela|caixa|vidro|frasco)\s+"
            r"(?:\w+\s+){0,4}?(?:inteir[oa]|tod[oa])\b",
            # a child's accidental ingestion: "engoliu uns comprimidos da avó", "comeu uma pilha"
            r"\b(?:engoliu|engoli|comeu)\s+(?:\w+\s+){0,2}?(?:(?:uns|umas|alguns|algumas|varios|varias|muitos|muitas|"
            r"\d+)\s+(?:comprimidos|remedios|pilulas|capsulas)|pilhas?|baterias?|moedas?|veneno|chumbinho|raticida|"
            r"agua\s+sanitaria|produto\s+de\s+limpeza|soda)\b",
        ),
        # a pack taken as prescribed is no overdose: "tomei a cartela inteira do anticoncepcional certinho"
        not_after=_re(
            r"[^.;!?\n]{0,40}?\b(?:anticoncepcional|pilula|certinh\w*|direitinh\w*|como\s+(?:\w+\s+){0,2}mandou|"
            r"como\s+(?:\w+\s+){0,2}passou|conforme\s+(?:a\s+)?receita)"
        ),
    ),
    # HIGH: persistence or not keeping fluids is what matters, not one episode (counts are in
    # COUNT: five or more a day).
    Family(
        "vomitos_persistentes",
        "Vômitos persistentes / não tolera líquidos",
        "HIGH",
        _alt(
            r"\bv[ou]mitando\s+(?:muito|demais|bastante|direto)\b",
            # "tá vomitando tudo", "ela vomita tudo": what goes in comes out (never "vomitei tudo que comi")
            r"\bv[ou]mit(?:ando|a|o)\s+tudo\b(?!\s+(?:o\s+)?que\s+(?:comi|comeu|jantou|jantei|almocei|almocou))",
            # the same in lay words, "tô botando tudo pra fora", never unburdening to someone
            r"\b(?:botando|jogando|pondo|colocando)\s+tudo\s+(?:pra|para)\s+fora\b(?![^.;!?\n]{0,40}?\b(?:terapeut\w*|"
            r"psicolog\w*|desabaf\w*|chor\w*|convers\w*|falando|sentimento\w*|amig[oa]s?)\b)",
            r"\b(?:nao|nem)\s+"
            + GAP1
            + r"(?:consigo|consegue|conseguia|para|paro|parou|parava|consegui|param)\s+"
            r"(?:de\s+)?(?:parar\s+de\s+)?" + VOMIT,
            r"\b"
            + VOMIT
            + r"\s+"
            + GAP2
            + r"(?:sem\s+parar|o\s+dia\s+(?:todo|inteiro)|a\s+noite\s+(?:toda|inteira)|"
            r"toda\s+hora|o\s+tempo\s+todo|direto|sem\s+para|tudo\s+(?:o\s+)?que|varias\s+vezes|muitas\s+vezes|"
            r"a\s+cada|de\s+hora\s+em\s+hora)",
            # "não paro nada no estômago": the first person of the same verb (s8b-005)
            r"\bn(?:ao|um)\s+(?:para|parou|fica|ficou|segura|segurou|permanece|se\s+mantem|param|ficam|parava|paro|"
            r"seguro|consigo\s+segurar)\s+(?:nem\s+)?"
            r"(?:nada|agua|liquido\w*|comida|alimento\w*|soro)\s+"
            + GAP1
            + r"(?:no\s+estomago|na\s+barriga|no\s+bucho)",
            r"\bn(?:ao|um)\s+(?:para|parou|fica|ficou|segura|param|parava)\s+nem\s+(?:o\s+|a\s+)?(?:agua|liquido\w*|soro|cha|"
            r"comida|remedio)",
            # "nem o soro caseiro fica no estômago", "nem um gole de água pra dentro": even fluids fail
            r"\bnem\s+(?:o\s+|a\s+|um\s+|uma\s+)?(?:(?:gole|golinho|gota|gotinha|copo|pouco|colher\w*)\s+(?:de\s+)?)?"
            r"(?:agua|soro|cha|liquido\w*|leite|suco|agua\s+de\s+coco)\b[^.;!?\n]{0,40}?\b(?:fica|ficou|ficava|segura|"
            r"segurou|desce|desceu|parou|parava|permanece|para\s+(?:no|na|dentro)|para(?=\s*[,.;!?]|\s*$)|"
            r"(?:vai\s+|entra\s+)?(?:pra|para)\s+dentro)\b",
            # drinking and it coming straight back: "bebo e em cinco minutos tá voltando", "volta na hora"
            r"\b(?:bebo|bebe|bebi|bebeu|engulo|engole|engoli|tomo|toma|tomei|tomou|dou|dei)\s+"
            r"(?:(?:um\s+|uns\s+)?(?:gole|golinho|goles|golinhos|pouco|pouquinho|copo|gotinha)\s+(?:de\s+)?)?"
            r"(?:(?:a|o|de)\s+)?(?:(?:agua|soro(?:\s+caseiro)?|cha|liquido\w*|suco|leite)\s+)?(?:e|,|que)\s+(?:\w+\s+){0,4}?"
            r"(?:volt(?:a|ando|ou)|" + VOMIT + r"|devolv\w*|bot\w+\s+(?:tudo\s+)?(?:pra|para)\s+fora|"
            r"p(?:o|on)\w*\s+(?:tudo\s+)?(?:pra|para)\s+fora)\b(?!\s+(?:a|ao|pra|para|pro)\b)(?!\s+n[oa]\s+(?!hora|mesm))"
            r"(?!\s+(?:um\s+)?(?:pouquinho|pouco|golfad\w*|um\s+tiquinho))",
            # Not able to drink is not keeping fluids: "não consigo beber nada", "no consigo tomar ni agua".
            r"\b(?:nao|no|num)\s+(?:\w+\s+)?(?:consigo|consegue|conseguindo|conseguia|consegui|conseguimos)\s+(?:beber?|"
            r"tomar?|engolir?|manter|segurar?)\s+(?:nem\s+|ni\s+)?(?:o\s+|a\s+|um\s+)?(?:gole\s+de\s+)?(?:agua|liquido\w*|soro|cha|"
            r"nada)\b",
            r"\bate\s+(?:a\s+)?agua\s+(?:que\s+(?:eu\s+|ele\s+|ela\s+)?(?:bebo|tomo|bebe|toma)\s+)?(?:volta|sai|vomit\w*)",
            # ... told as putting it out (s10h-048): "até água eu boto pra fora", "até o soro ela põe"
            r"\bate\s+(?:a\s+|o\s+)?(?:agua|soro|cha|liquido\w*)\s+(?:eu\s+|ele\s+|ela\s+)?(?:bot\w+|p(?:o|on)\w*|jog\w+)\s+"
            r"(?:tudo\s+)?(?:pra|para)\s+fora\b",
            # one vomit after another, and not a sip kept (s10i-005): "é vômito atrás de vômito", "não
            # segura nem um gole"
            r"\bv[ou]mito\s+atras\s+de\s+v[ou]mito\b|\bn(?:ao|um)\s+(?:para|fica|segura|parou|ficou)\s+nem\s+(?:um\s+)?"
            r"(?:gole|golinho)\b",
            r"\bnao\s+(?:consigo|consegue|conseguia|conseguimos)\s+(?:manter|reter|segurar|deixar|tomar|beber)\s+nem\s+"
            r"(?:o\s+|a\s+|um\s+)?(?:gole\s+de\s+)?(?:agua|liquido\w*|soro|soro\s+caseiro|cha|nada)\b",
            # ... also told as a while without it: "três dias sem conseguir segurar nada no estômago"
            r"\b(?:nao\s+(?:consigo|consegue|conseguia|conseguimos)|sem\s+conseguir)\s+(?:manter|reter|segurar|deixar)\s+(?:nem\s+)?"
            r"(?:nada|agua|liquido\w*|comida|alimento\w*|soro)\s+"
            + GAP1
            + r"(?:no\s+estomago|na\s+barriga|no\s+bucho|"
            r"dentro)",
            r"\bnao\s+(?:consigo|consegue)\s+(?:nem\s+)?(?:beber|tomar|engolir|ingerir)\s+(?:nem\s+)?(?:agua|liquido\w*|nada)\s+"
            + GAP3
            + r"(?:"
            + VOMIT
            + r"|volta|devolv\w*)",
            r"\btudo\s+(?:o\s+)?(?:que|quanto)\s+(?:eu\s+|ele\s+|ela\s+|a\s+gente\s+)?(?:como|bebo|tomo|ingiro|come|"
            r"bebe|toma|ingere|comer|beber|comemos|coloco|coloca|ponho|poe|boto|bota|engulo|engole|da|dou|damos|dava)\b"
            r"[^.;!?\n]{0,40}?\b(?:" + VOMIT + r"|volta|sai|devolv\w*|bot\w+\s+(?:pra|para)\s+fora|"
            r"p(?:o|on)\w*\s+(?:pra|para)\s+fora)",
            r"\bv[ou]mitos?\s+(?:incoerciveis|persistentes|de\s+repeticao|repetidos|repetitivos|incontrolaveis|"
            r"intrataveis|frequentes|continuos|incessantes)|\bhiperemese\w*",
            r"\bintolerancia\s+(?:a\s+)?(?:via\s+oral|vo|dieta|alimentacao|oral|liquidos)",
            r"\bnao\s+(?:aceita|aceitou|tolera|tolerou|retem|reteve|segura)\s+(?:\w+\s+){0,2}?(?:agua|liquido\w*|dieta|nada|soro)\b",
            # "tudo que entra volta", "qualquer golinho de água eu boto pra fora": nothing stays down
            # (the match starts after "tudo": "como vou beber se tudo que entra volta?" states a fact)
            # (two look-behinds, not an optional "o": a literal start keeps the family's prefilter)
            # what goes in told as "o que" + a verb of putting in + "pra dentro", coming back (high8): "o que
            # eu ponho pra dentro vorta tudo" (never "volta a doer", "volta pro prato")
            r"\bo\s+que\s+(?:\w+\s+){0,2}?(?:como|bebo|tomo|coloco|coloca|ponho|poe|boto|bota|engulo|engole|dou|da)\s+"
            r"(?:\w+\s+)?(?:pra|para)\s+dentro\s+(?:\w+\s+)?(?:volta|devolv\w*|" + VOMIT + r")\b"
            r"(?!\s+(?:a|ao|pra|para|pro)\b)",
            r"(?<=tudo\s)" + _ALL_THAT_GOES_IN,
            r"(?<=tudo\so\s)" + _ALL_THAT_GOES_IN,
            r"\bqualquer\s+coisa\s+que\s+(?:\w+\s+){0,2}?(?:como|bebo|tomo|engulo|coloco|ponho|come|bebe|toma|engole|"
            r"coloca|poe|dou|da)\b[^.;!?\n]{0,30}?\b(?:volta|sai|devolv\w*|"
            + VOMIT
            + r"|bot\w+\s+(?:pra|para)\s+fora)",
            r"\b(?:qualquer|cada|um|uma)\s+(?:gol(?:e|es|inho|inhos)|gotinha|gota|colher\w*|copinho|bocado)\s+(?:de\s+)?"
            r"(?:agua|soro|liquido\w*|cha|leite)\b[^.;!?\n]{0,25}?\b(?:volta|sai|devolv\w*|"
            + VOMIT
            + r"|bot\w+\s+(?:pra|para)\s+fora|p(?:o|on)\w*\s+(?:pra|para)\s+fora)",
            r"\b(?:agua|soro|liquido\w*|cha|leite)\b[^.?!\n]{0,25}?\b(?:volta|voltar|voltando|voltou|devolve|devolvendo)"
            r"(?:\s+tudo)?\b(?!\s+(?:a|ao|pra|para|pro)\b)(?!\s+n[oa]\s+(?!hora|mesm))(?!\s+(?:um\s+)?(?:pouquinho|pouco|golfad\w*|um\s+tiquinho))",
        ),
    ),
    # "Não para nada", "nada fica no estômago": nothing stays down, when the sentence (or the one before)
    # talks of vomiting ("tô vomitando desde ontem, num para nada").
    Family(
        "vomitos_persistentes",
        "Vômitos persistentes / não tolera líquidos",
        "HIGH",
        _alt(
            r"\bn(?:ao|um|em)\s+(?:para|parou|fica|ficou|segura|parava|ficava)\s+nada\b",
            r"\bnada\s+(?:para|fica|parou|ficou|segura|parava|ficava)\s+(?:no\s+estomago|na\s+barriga|dentro|no\s+bucho)",
            # not drinking at all while vomiting: "ele não bebe nada faz um dia, só vomita"
            r"\bn(?:ao|um)\s+(?:consegue\s+|consigo\s+)?(?:bebe|bebo|beber|aceita|aceito)\s+nada\b"
            r"(?!\s+(?:de\s+)?(?:alcool|bebida|cerveja|refrigerante|cafe|gelad\w*))",
            # "vomito até a água", "vomita até o soro"
            r"\b"
            + VOMIT
            + r"\s+(?:\w+\s+)?(?:ate|inclusive|mesmo)\s+(?:a\s+|o\s+)?(?:agua|soro|cha|liquido\w*|remedio)\b",
        ),
        requires=_re(
            r"\b(?:" + VOMIT + r"|golf\w*|gomit\w*|bot\w+\s+(?:tudo\s+)?(?:pra|para)\s+fora|"
            r"p(?:o|on)\w*\s+(?:tudo\s+)?(?:pra|para)\s+fora)"
        ),
    ),
    # Running to the toilet all day, when the stools are told as loose ("vou ao banheiro toda hora"
    # alone may be the bladder).
    Family(
        "diarreia_grave",
        "Diarreia grave",
        "HIGH",
        _alt(
            r"\b(?:toda\s+hora|o\s+tempo\s+todo|o\s+dia\s+(?:todo|inteiro)|sem\s+parar|de\s+hora\s+em\s+hora|"
            r"a\s+cada\s+(?:meia\s+hora|\d+\s+minutos))\s+(?:correndo|indo|vou|vai|ia|corro|corre)\s+(?:\w+\s+)?"
            r"(?:pro|no|ao|pra|para\s+o)\s+banheiro",
            r"\b(?:correndo|indo|vou|vai|fui|ir|corro|corre)\s+(?:\w+\s+)?(?:pro|no|ao|pra|para\s+o)\s+banheiro\s+"
            r"(?:toda\s+hora|o\s+tempo\s+todo|o\s+dia\s+(?:todo|inteiro)|sem\s+parar|de\s+hora\s+em\s+hora|direto|"
            r"de\s+(?:\d+|meia)\s+em\s+(?:\d+|meia)\s+(?:minutos|hora)|a\s+cada\s+(?:meia\s+hora|\d+\s+minutos))",
            # the toilet left unnamed (s3de-recall): "tô indo de hora em hora desde ontem e só sai água"
            # (never the bladder: "indo de hora em hora fazer xixi")
            r"\b(?:to|estou|tou|ta|esta|fico|fiquei)\s+(?:indo|correndo)\s+(?:toda\s+hora|de\s+hora\s+em\s+hora|"
            r"o\s+tempo\s+todo|sem\s+parar|o\s+dia\s+(?:todo|inteiro)|de\s+(?:\d+|meia)\s+em\s+(?:\d+|meia)\s+(?:minutos|hora))\b"
            r"(?![^\n]{0,120}?\b(?:xixi|urin\w*|mij\w*)\b)",
        ),
        requires=_re(
            r"\b(?:diarr\w*|diare\w*|caganeira|soltura|desarranjo|piriri|disenteri\w*|intestino\s+solto|"
            r"(?:coco|fezes)\s+(?:\w+\s+)?(?:mole|moles|liquid\w*|aguad\w*)|so\s+agua|que\s+nem\s+agua|"
            r"feito\s+agua|agua\s+pura|aguad\w*|liquid\w*|sai\s+(?:so\s+)?agua)"
        ),
    ),
    # HIGH: intensity words or blood; episode counts (six or more a day) are handled with COUNT.
    Family(
        "diarreia_grave",
        "Diarreia grave",
        "HIGH",
        _alt(
            r"\b(?:diarr\w*|diare\w*|caganeira|disenteri\w*|soltura|desarranjo|piriri|intestino\s+solto)\s+"
            + GAP2
            + r"(?:intens[ao]|fort(?:e|issima)|grave|"
            r"severa|profusa|incontrolavel|sem\s+parar|o\s+dia\s+(?:todo|inteiro)|toda\s+hora|o\s+tempo\s+todo|"
            r"de\s+hora\s+em\s+hora|com\s+sangue|sanguinolenta|com\s+desidratacao)\b",
            r"\b(?:muita|forte|intensa|grave)\s+(?:diarr\w*|diare\w*)",
            # the lay image of a profuse diarrhoea: "parece torneira aberta"
            r"\b(?:coco|fezes|evacu\w*|cag\w*|banheiro|intestino|diarr\w*|diare\w*|caganeira|barriga|privada|vaso)\b"
            r"[^.;!?\n]{0,60}?\b(?:torneira|mangueira|cachoeira|(?:virou|vira|feito|que\s+nem)\s+(?:um\s+)?rio)\b",
        ),
    ),
)

# --- fever, temperature, pain, counts ------------------------------------------------------------

FEVER_MENTION = _alt(
    r"\bfe[bv]+re?s?\b|\bfebri[sl]?\b|\bfebricula\b|\bfebr\b|\bhipertermi\w*|\bfebr(?:ao|aozinho|inha|ezinha)\b",
    r"\b(?:corpo|testa|cabeca|pele)\s+" + GAP2 + r"(?:muito\s+)?(?:quente|pelando|fervendo)\b",
    r"\b(?:estou|to|tou|fiquei|ficou|sinto-me|me\s+sinto)\s+(?:muito\s+)?(?:quente|pelando|fervendo)\b",
    r"\b(?:ardendo|queimando|pelando|fervendo)\s+(?:em|de)\s+(?:febre|quentura)",
    # heat felt as fire (s11a-055): "o corpo todo pegando fogo", "quentura no corpo"; never the head
    # ("a cabeça pegando fogo" is worry) nor the weather ("que quentura hoje")
    r"\b(?:corpo|testa|pele)\s+" + GAP2 + r"(?:pegando|em)\s+fogo\b",
    r"\bquentura\s+(?:no|pelo|em\s+todo\s+o)\s+corpo\b",
    # a fever felt by hand (high8): "pus a mão na testa dele e tá pelando", "encostei a mão, tava quente
    # demais" (a hand on a person: never "pus a mão na panela")
    r"\b(?:pus|pos|coloquei|botei|passei|encostei|ponho|boto|coloco)\s+a\s+mao\s+"
    r"(?!(?:\w+\s+){0,2}?(?:panela|agua|forno|chapa|fogao|ferro|caneca|xicara|leite|mamadeira|banho)\b)"
    r"(?:[a-z]+[\s,]+){1,7}?(?:ta|esta|tava|estava)\s+(?:muito\s+|bem\s+)?"
    r"(?:quente|quentinh[oa]|pelando|fervendo|queimando|em\s+brasa)\b",
)
FEVER_NOT_AFTER = _re(r"\s+(?:amarela|reumatica|do\s+feno)")

# "39,5", "39 e meio", and "39 e 5" as it is said aloud
_TEMP_NUM = (
    r"(?P<int>3[4-9]|4[0-4])"
    r"(?:\s*[.,](?P<dec>\d{1,2})|\s+e\s+(?P<meio>meio)|\s+e\s+(?P<dec2>\d)(?!\d|[,.]\d))?"
)
_NOT_UNITS = (
    r"anos|ano|dias|dia|horas|hora|h\b|min|kg|semanas|semana|mes|meses|vezes|x\b|%|mm|ml|mg|bpm|irpm|cm|"
    r"vomitos|comprimidos|gotas|remedios|pessoas|filhos|episodios|evacuac\w*|idas"
)
# A whole word: "10 mesmo", "9 minha nossa" are no months or minutes (s6-recall).
_NOT_TEMP_UNIT = r"(?!\s*(?:%|(?:" + _NOT_UNITS + r")\b))"
TEMPERATURE = (
    # "39°C", "39 ºC", "38.5 graus", "38,2 c"
    _re(
        r"\b"
        + _TEMP_NUM
        + r"\s*(?:°\s*c?|graus?(?:\s+(?:c|celsius|centigrados))?(?P<meio2>\s+e\s+meio)?|gr\b|c\b)"
    ),
    # "febre de 39", "temperatura 38,2", "termômetro marcou 38,7", "Tax: 38,4"
    _re(
        r"\b(?:febre|febri|febrao|febrinha|febril|temperatura|temp|tax|t\.ax|tax\.|termometro|axilar|tc)\b\s*"
        + GAP3
        + r"(?:de\s+|:\s*|=\s*|em\s+|a\s+|ate\s+|para\s+|acima\s+de\s+)?"
        + _TEMP_NUM
        # a decimal is a reading whatever follows ("febre de 38,5 semana passada"); a whole number
        # before a unit is a duration or a count ("febre há 38 dias" is no reading)
        + r"\b(?![.,]\d)(?(dec)|"
        + _NOT_TEMP_UNIT
        + r")"
    ),
    # "39 de febre", "38,5 de temperatura"
    _re(r"\b" + _TEMP_NUM + r"\s+(?:\w+\s+){0,1}?de\s+(?:febre|temperatura)"),
    # "agora ele tá com 39 e meio": a temperature as it is said aloud, that someone "is with"
    _re(
        r"\b(?:to|tou|estou|ta|esta|tava|estava|ficou|fiquei|acordou|acordei|amanheceu|amanheci)\s+com\s+"
        r"(?:uns\s+|quase\s+)?(?P<int>3[7-9]|4[0-2])\s+e\s+(?P<meio>meio)\b"
    ),
)
# A bare "38,6" counts only inside a clause that talks about fever or measuring it.
BARE_TEMPERATURE = _re(r"(?<![\d.,/])\b(?P<int>3[7-9]|4[0-3])[.,](?P<dec>\d)\b(?![.,/]?\d)" + _NOT_TEMP_UNIT)
TEMPERATURE_CONTEXT = _re(
    r"\b(?:febre|febril|temperatura|termometro|medi|medimos|mediu|mediram|medindo|aferi\w*|calafrio\w*|"
    r"quente|tax|axilar|deu|marcou|marcando|tremendo|tremedeira|arrepio\w*|quimio\w*|radioterapi\w*|"
    r"neutropeni\w*|oncolog\w*)\b|"
    # "tá com 39,3", "amanheceu com 38,8": a decimal reading someone "is with" is a temperature
    r"\b(?:to|tou|estou|ta|esta|tava|estava|ficou|fiquei|acordou|acordei|amanheceu|amanheci|continua|segue)\s+com\s+"
    r"(?:uns\s+|quase\s+)?(?:3[7-9]|4[0-3])[.,]\d\b"
)
# "39 e meio marcou o termômetro": the number before the reading verb (free word order).
BARE_TEMPERATURE_BEFORE_VERB = _re(
    r"(?<![\d.,/])\b(?P<int>3[89]|4[0-2])(?:[.,](?P<dec>\d)|\s+e\s+(?P<meio>meio))?\s+"
    # "38 cravado no termômetro", "39 certinho que deu": the number rounded off, then the device
    r"(?:(?:cravad[oa]|certinho|redondo|exat[oa]|certo|e\s+pouco|e\s+pouquinho)\s+)?(?:que\s+)?(?:o\s+|no\s+)?"
    r"(?:deu|marcou|marcava|mostrou|bateu|termometro)\b"
)
# "deu 39", "marcou 38": a whole number after a reading verb, in the same kind of sentence; the
# decimal may be said aloud ("deu 38 e 6"), and waking up with it is a reading too ("hoje amanheceu
# 38 e 6"), as is "tá 38 e 6" (the spoken decimal says it is no price or count).
BARE_TEMPERATURE_WHOLE = _re(
    r"\b(?:deu|marcou|marcando|mostrou|mediu|bateu|amanheceu|amanheci|acordou|acordei|"
    r"(?:to|tou|estou|ta|esta|tava|estava|amanheceu|amanheci|acordou|acordei|ficou|fiquei)\s+com|"
    r"(?:to|tou|estou|ta|esta|tava|estava)(?=\s+(?:3[89]|4[0-2])\s+e\s+\d(?!\d|[,.]\d)))\s+"
    r"(?:uns\s+|quase\s+)?(?P<int>3[89]|4[0-2])(?:\s+e\s+(?P<dec2>\d)(?!\d|[,.]\d)"
    + _NOT_TEMP_UNIT
    + r")?\b(?![.,]?\d)"
    + _NOT_TEMP_UNIT
    + r"(?!\s*(?:reais|real|pila|conto|mil|pontos?|kg|quilos?|minutos?))"
    # the reading's own name after it says what was measured: "deu 42 a glicose", "marcou 40 de saturação"
    r"(?!\s+(?:(?:a|o|de|da|do|na|no)\s+)?(?:glicose|glicemia|acucar|hgt|dextro|diabete\w*|pressao|saturacao|"
    r"oxigenio|batimentos?))"
)

# The next reading of a series, told as a bare number after a word of time or change (high8): "37,9
# há uma hora, agora 38", "tava 38 de manhã, subiu pra 39", "38,2 e depois 39". Read only within
# SERIES_REACH characters after a reading already found (measures.scan_temperatures).
TEMPERATURE_SERIES_NEXT = _re(
    r"\b(?:agora|depois|hoje|ja|subiu|passou|foi|chegou|aumentou|baixou|caiu|voltou|desceu|abaixou)\s+"
    r"(?:(?:ta|esta|tá|deu|marcou|marca|mede|(?:pra|para|a|em|com|uns|quase|no|de\s+novo|de\s+novo\s+pra)\b)\s*){0,2}"
    + _TEMP_NUM
    + r"\b(?![.,]?\d)"
    + _NOT_TEMP_UNIT
    + r"(?!\s*(?:reais|real|mil|pontos?|kg|quilos?|minutos?|segundos?|metros?|"
    r"de\s+(?:pressao|saturacao|glicose|dor)))"
)
SERIES_REACH = 80

ONCOLOGY = _alt(
    r"\bquimio\w*|\bradioterapi\w*|\bimunoterapi\w*|\bneutropeni\w*|\btransplante\s+de\s+medula",
    # a chemotherapy regimen or drug named instead of the word (held-recall): "4º ciclo de FOLFOX",
    # "tô na carboplatina", "fiz o R-CHOP"
    r"\b(?:folfox|folfiri|folfirinox|xelox|capox|r-?chop|abvd|mfolfox\w*|\w+platina|\w+taxel|\w+rubicina|"
    r"\w+fosfamida|fluorouracil\w*|5-?fu|capecitabina|gencitabina|irinotecano|etoposideo|vincristina)\b",
    r"\b(?:faco|faz|fazendo|fiz|fez|sessao\s+de|sessoes\s+de)\s+(?:a\s+)?radio\b",
    r"\btratamento\s+(?:oncologico|de\s+cancer|contra\s+o\s+cancer|do\s+cancer|para\s+(?:o\s+)?cancer|"
    r"de\s+(?:leucemia|linfoma|tumor|neoplasia)|para\s+(?:leucemia|linfoma|tumor|neoplasia))",
)

_PAIN_N = r"(?P<n>10|[0-9]|" + NUMBER_WORDS_RE + r"|zero)"
PAIN_CONTEXT = _re(
    r"\b(?:dor|dores|doi|doem|doendo|doeu|doer|dolorid\w*|dorzinha|cefaleia|colica\w*|enxaqueca|latej\w*|pontada\w*|"
    r"fisgada\w*)\b"
)
PAIN_SCORE: tuple[re.Pattern[str], ...] = (
    # "8/10", "9 de 10", "dez de dez"
    _re(r"(?<![\d/])\b" + _PAIN_N + r"\s*(?:/|de|em|numa\s+escala\s+de|sobre)\s*(?:10|dez)\b(?!\s*(?:/|\d))"),
    # "nota 9", "escala de dor 8", "intensidade: 10", "EVA 9"
    _re(
        r"\b(?:nota|grau|intensidade|escala|nivel|eva|escore)\b\s*"
        + GAP3
        + r"(?:de\s+|:\s*|=\s*)?"
        + _PAIN_N
        + r"\b"
        + _NOT_TEMP_UNIT
        + r"(?![.,]\d)"
    ),
    # "dor 9"
    _re(r"\bdor(?:es)?\s+" + _PAIN_N + r"\b" + _NOT_TEMP_UNIT + r"(?![.,]\d)"),
    # "a dor é 8", "a dor nas costas tá 10"
    _re(
        r"\bdor(?:es)?\s+(?:[a-z]+\s+){0,3}?(?:e|eh|esta|ta|fica|ficou|chega\s+a|chegou\s+a)\s+(?:um\s+|uns\s+|nota\s+)?"
        + _PAIN_N
        + r"\b"
        + _NOT_TEMP_UNIT
        + r"(?![.,/]?\d)(?!\s*(?:a|ate|e)\s+(?:10|dez)\b)"
    ),
    # "dói demais, uns 9", "8 de dor"
    _re(r"\b(?:uns|umas|tipo|quase)\s+" + _PAIN_N + r"(?=\s*(?:[.,;!?\n]|$))"),
    _re(r"\b" + _PAIN_N + r"\s+de\s+dor\b"),
    # "de 0 a 10 eu dou 9", "daria um 8", "a dor tá 10", "chegou a 9" (the sentence must be about pain)
    _re(
        r"\b(?:(?:dou|daria|dava|seria|diria|coloco|colocaria|poria|ponho|ta|esta|tava|estava|fica|ficou|chegou\s+a|"
        # "tá no 9" is "tá num 9" (numbers.py reads that "num" as "no")
        r"chega\s+a|bateu|beira|marca|vai\s+a|passa\s+de|"
        # a later reading of the same scale: "ontem tava uns 4, hoje pulou pra 9" (s9i-045)
        r"(?:subiu|pulou|aumentou|piorou|foi|passou|baixou|diminuiu|caiu|voltou)\s+(?:pra|para|pro|a))"
        r"\s+(?:um\s+|uns\s+|nota\s+|o\s+|a\s+|no\s+(?:nivel\s+)?|em\s+)?|"
        r"e\s+(?:um|uns|nota)\s+)"
        + _PAIN_N
        + r"\b"
        + _NOT_TEMP_UNIT
        + r"(?![.,/]?\d)(?!\s*(?:a|ate|e)\s+(?:10|dez)\b)"
    ),
)
# (s4c-recall) the score a few words after the scale or the score word that frames it: "se for botar
# de zero a dez, é dez", "se quiser um número, é 10", "de 0 a 10, hoje, nove" (never "um"/"uma",
# the article of "é um oito"; never a count: "nota 10 dias")
PAIN_SCORE = (
    *PAIN_SCORE,
    _re(
        r"\b(?:(?:de|entre)\s+(?:0|zero|1|um)\s+(?:a|ate)\s+(?:10|dez)|nota|numero)\b\s*,?\s*"
        r"(?:(?!(?:de|entre|a|ate|nao|nem)\b)[a-z]+\s*,?\s+){0,3}?(?:(?:um|uns|nota|em|no)\s+)?"
        r"(?!(?:um|uma)\b)"
        + _PAIN_N
        + r"\b"
        + _NOT_TEMP_UNIT
        + r"(?![.,/]?\d)(?!\s*(?:a|ate|e)\s+(?:10|dez)\b)"
        r"(?!\s+(?:vezes|dias|horas|minutos|anos|meses|semanas|kg|quilos|reais)\b)"
    ),
)
# "de 0 a 10", "numa escala de zero a dez": the scale itself, never a score
PAIN_SCALE = _re(r"\b(?:de|entre|escala\s+de)\s+(?:0|zero|1|um)\s+(?:a|ate|e)\s+(?:10|dez)\b")
PAIN_SCORE_NOT_BEFORE = _re(r"(?:desde|dia|data|em|ate|no\s+dia|de)\s*$")
SEVERE_PAIN_WORDS = _alt(
    r"\bdor(?:es)?\s+(?:[a-z]+\s+){0,4}?(?:insuportave\w*|excruciante\w*|lancinante\w*|fortissima\w*|absurda\w*|"
    r"infernal|infernais|terrive\w*|horrive\w*\s+demais)\b",
    r"\bpior\s+dor\s+(?:[a-z]+\s+){0,4}?[dn]a\s+(?:minha\s+|sua\s+)?vida",
    r"\bnunca\s+senti\s+(?:uma\s+)?dor\s+(?:tao\s+forte|assim|igual|dessas)",
    r"\b(?:chorando|gritando|urrando|berrando|morrendo|rolando|se\s+contorcendo|me\s+contorcendo)\s+de\s+dor",
    r"\bnao\s+aguent\w+\s+(?:mais\s+)?de\s+dor",
    r"\bnao\s+(?:aguento|suporto|estou\s+aguentando|to\s+aguentando)\s+(?:mais\s+)?"
    r"(?:essa\s+|esta\s+|tanta\s+|a\s+|de\s+)?dor",
    r"\bdor(?:es)?\b(?:\s+[a-z]+){0,6}?[\s,]+(?:que\s+)?(?:eu\s+)?(?:nao|ja\s+nao)\s+(?:aguento|suporto|"
    r"estou\s+aguentando|to\s+aguentando|consigo\s+aguentar|da\s+pra\s+aguentar)\b",
    # "uma dor que não tem quem aguente", "dor de não ter quem aguente"
    r"\bdor(?:es)?\b(?:\s+[a-z]+){0,4}?\s+(?:que\s+)?nao\s+(?:tem|ha|tinha)\s+(?:quem|cristao\s+que)\s+aguent\w*",
)
# "está insuportável" is severe pain only when the sentence is about pain.
SEVERE_PAIN_BARE = _re(
    r"\b(?:insuportave\w*|excruciante\w*|lancinante\w*)\b|"
    # (never a worst time or thing: "a pior semana da minha vida, mas a dor é leve")
    r"\bpior\s+(?!(?:semana|dia|ano|mes|fase|epoca|noite|momento|viagem|festa|coisa|experiencia|decisao)\b)"
    r"(?:[a-z]+\s+){0,3}?[dn]a\s+(?:minha\s+|sua\s+)?vida|"
    # never felt the like, in a sentence about pain: "tá muito forte, nunca senti igual", "num nível que
    # eu nunca senti"; climbing the walls; so strong that one cries or screams
    r"\bnunca\s+(?:tinha\s+)?(?:senti|sentiu|sentido|tive|teve)\s+(?:nada\s+|coisa\s+)?(?:igual|parecido|assim|"
    r"tao\s+forte)\b|\bque\s+(?:eu\s+|ele\s+|ela\s+)?(?:nunca|jamais)\s+(?:tinha\s+)?(?:senti|sentiu|sentido)\b|"
    r"\bsub(?:indo|ir|o|i)\s+(?:n?[ao]s\s+|pel[ao]s\s+)?parede|"
    r"\b(?:tao|muito)\s+forte\s+que\s+(?:\w+\s+){0,4}?(?:chor\w+|grit\w+|berr\w+|urr\w+|se\s+contorc\w+)|"
    # the worst ever felt, with or without "na vida" (high8): "é a pior que eu já senti"
    r"\b(?:a|uma)\s+pior\s+que\s+(?:eu\s+|ele\s+|ela\s+)?(?:ja\s+)?(?:senti|sentiu|tive|teve)\b"
)

COUNT = _re(
    r"\b(?P<n>\d{1,2}|"
    + NUMBER_WORDS_RE
    + r")\s*(?:x\b|vezes|vez\b|vei\b|veis\b|veiz\b|vezis\b|episodios|evacuac\w*|idas?\s+ao\s+banheiro|"
    r"cocos\b|fraldas?\s+(?:so\s+)?(?:de\s+)?(?:agua|aguad\w*|liquid\w*|de\s+coco|com\s+coco|sujas?\s+de\s+coco)|"
    # nappies changed, counted only against a diarrhoea told in the sentence (scan_counts): "o cocô tá
    # que nem água, já troquei umas 10 fraldas" (never the wet ones: "6 fraldas de xixi")
    r"fraldas?\b(?!\s+(?:\w+\s+)?(?:de\s+)?(?:xixi|urina|mijo)))"
)
COUNT_MORE_THAN = _re(r"\b(?:mais\s+de|acima\s+de|pelo\s+menos)\s+$")
VOMIT_MENTION = _re(
    # "botei pra fora umas doze vezes": vomiting told as putting out, counted like the word (never
    # "pus", which is also the pus of a wound)
    r"\b" + VOMIT + r"|\bgolf(?:ando|ei|ou)\b|\bemese\b|"
    r"\b(?:bot(?:ei|ou|ando|a|o)|pos|pondo|poe|ponho)\s+(?:tudo\s+)?(?:pra|para)\s+fora\b|"
    r"\bdevolv(?:e|endo|eu|ia|o)\s+tudo\b"
)
DIARRHOEA_MENTION = _re(
    r"\b(?:diarr\w*|diare\w*|caganeira|disenteri\w*|soltura|intestino\s+(?:\w+\s+){0,2}?solto|"
    # the bowel become water (s4de-recall): "o intestino virou água", "a barriga tá só água"
    r"(?:intestino|barriga)\s+(?:(?:ta|esta|ficou|virou|vira|so)\s+){1,2}(?:agua|aguad\w*|liquid\w*)\b|"
    r"fraldas?\s+(?:so\s+)?(?:de\s+)?agua|so\s+sai\s+agua|"
    # stools told as water without a word for them (high8): "tá saindo só água por baixo", "o cocô tá
    # que nem água de arroz" (never a waters' breaking: a count or "toda hora" is still needed to alert)
    r"(?:saindo|sai|saiu|descendo|desce)\s+(?:\w+\s+){0,2}?agua\s+(?:\w+\s+)?por\s+baixo|"
    r"(?:coco|fezes|caca|evacuac\w*)\b[^.;!?\n]{0,25}?\b(?:que\s+nem|feito|igual|parece|parecendo|como)\s+"
    r"(?:(?:uma|um|so)\s+)?agua\b|"
    r"fezes\s+(?:liquidas|aquosas|moles)|cocos?\s+(?:moles?|liquidos?|aguad\w*|agua)|evacu\w*\s+(?:liquid\w*|"
    r"aquos\w*)|evacua\w*|evacuei)|\btudo\s+(?:aguad\w*|liquid\w*)\b|\b(?:fezes|coco)[\s,]+(?:\w+[\s,]+){0,3}?(?:aguad\w*|liquid\w*)|"
    # the body draining away through the bowel: "tô me esvaindo pelas fezes", "esvaindo por baixo"
    r"\besvai\w*\s+(?:em\s+|pelas?\s+|pelo\s+|por\s+)(?:fezes|baixo|diarr\w*|agua|intestino)\b|"
    # going to the toilet counts as diarrhoea when watery stools or cramps are told nearby
    # ("vô nu banheru": the spoken "vou" is "vô") ... or to the bush or the outhouse (riverside and rural
    # homes, s6-recall: "tô indo no mato toda hora, é uma aguaceira"), only with stools told as water:
    # going to the bush is also for firewood. One alternative, so each verb is read once.
    r"\b(?:vou|vo|fui|indo|ido|ir|vai|foi|correndo|corri)\s+(?:\w+\s+){0,3}?(?:ao|no|pro|para\s+o|pra|na|pra\s+a)\s+"
    r"(?:banheiro"
    r"(?=[^\n]{0,120}?\b(?:agua|aguad\w*|aguaceir\w*|liquid\w*|moles?|colica\w*|solt[oa]|diarr\w*|torneira)\b)"
    r"(?![^\n]{0,120}?\b(?:xixi|urin\w*|mij\w*)\b)|"  # the bladder: "fui 8 vezes, de tanto beber água, xixi"
    r"(?:mato|moita|privada|casinha|patente|fossa|sanitario)\b"
    r"(?=[^\n]{0,120}?\b(?:so\s+(?:sai\s+)?agua|agua\s+pura|aguaceir\w*|aguad\w*|liquid\w*|moles?|solt[oa]|diarr\w*|"
    r"torneira)\b))|"
    # "obrar" is the regional (NE) word for passing stools: "tô obrando água desde ontem"
    r"\b(?:cag(?:ando|uei|ou|ava)|obr(?:ando|ei|ou|ava|o))\s+(?:\w+\s+)?(?:agua|liquido|mole)\b"
)

# --- vital signs written in the text ---------------------------------------------------------------

TEXT_VITALS = {
    "spo2_pct": _re(
        r"\b(?:sat|satur\w*|spo2|sp\s*o2|sato2|oximetria|oximetro|oxigenacao)\b[^\d\n;.!?]{0,40}?(?P<v>\d{2,3}(?:[.,]\d)?)\s*%?"
    ),
    # The pulse oximeter named by the finger it clips on (s3de-recall): "o aparelhinho de dedo marcou 86",
    # "o medidor que põe no dedo deu 88" (never the pulse it also shows: "marcou 110 de batimento").
    "spo2_dedo": _re(
        r"\b(?:aparelh\w*|medidor\w*|maquininha|negocinho|treco|trem)\s+(?:\w+\s+){0,2}?(?:de|do|no|pro|que\s+\w+\s+n[oa])\s+"
        r"dedo\w*\b[^\d\n;.!?]{0,40}?(?P<v>\d{2,3})\b(?![.,]?\d)"
        r"(?!\s*(?:x|/|por|bpm|batim\w*|batidas|de\s+(?:batim\w*|pulso|coracao|frequencia)|anos|reais|graus))"
    ),
    # The oxygen measured, then what it gave (s7-recall-context): "a moça mediu o oxigênio no dedo, deu 86";
    # "oxigênio" alone may be the cylinder's flow ("o oxigênio tá em 2 litros"), so only after a verb of
    # measuring or on the finger, and only a reading said with a reading verb.
    "spo2_medido": _re(
        r"\b(?:(?:med(?:i|iu|imos|iram|ir|indo)|afer(?:i|iu|ir|imos|iram)|verifi(?:quei|cou|car)|olh(?:ou|ei|aram|ar)|"
        r"tir(?:ou|ei|aram|ar)|che(?:quei|cou|car))\s+(?:\w+\s+){0,2}?oxigenio|oxigenio\s+(?:no|do|pelo|na\s+ponta\s+do)\s+dedo)"
        r"\b[^\d\n;.!?]{0,40}?\b(?:deu|marcou|marcando|mostrou|mostrando|ta|tava|esta|estava|bateu)\s+(?:em\s+|uns\s+|so\s+)?"
        r"(?P<v>\d{2,3})\b(?![.,]?\d)(?!\s*(?:litros?|l\b|x\b|/|por|bpm|batim\w*|batidas|de\s+(?:batim\w*|pulso)|anos|reais|graus))"
    ),
    "pressao": _re(
        # "medi a pressão agora há pouco no aparelho da farmácia e deu 18x11": the reading may come late
        r"\b(?:pa|p\.a\.?|pressao(?:\s+arterial)?)\b[^\d\n;!?]{0,60}?(?P<s>\d{1,3})\s*(?:x|/|por|\\)\s*"
        r"(?P<d>\d{1,3})\b"
    ),
    # A pair read off a machine without the word: "medi no aparelho e deu 19/11" (plausibility in measures)
    "pressao_par": _re(
        r"\b(?:deu|marcou|marcando|mediu|medi|aferi|aferiu)\s+(?:em\s+|a\s+)?(?P<s>\d{1,3})\s*(?:x|/|por)\s*"
        r"(?P<d>\d{1,3})\b(?![/.,]\d)(?!\s*(?:reais|de\s+\d|vezes|parcelas|anos|dias|meses))"
    ),
    # "tá com 18 de pressão": the number before the word
    "pressao_sistolica_antes": _re(r"(?<![\d.,/])(?P<s>\d{2,3})\s+de\s+pressao\b"),
    # One number said for the systolic: "a pressão tá 19", "pressão subiu pra 20", "caiu pra 8"
    "pressao_sistolica": _re(
        r"\bpressao\s+(?:(?:dela|dele|minha|arterial|alta|baixa|aqui|hoje|agora|de\s+novo)\s+){0,2}"
        r"(?:(?:ta|tava|esta|estava|deu|marcou|marcando|bateu|subiu\s+(?:pra|para|a)|foi\s+(?:pra|para|a)|"
        r"chegou\s+(?:a|em|no)|caiu\s+(?:pra|para)|desceu\s+(?:pra|para))\s+)?(?:em\s+|a\s+|no\s+)?"
        r"(?P<s>\d{1,3})\b(?![.,]?\d)(?!\s*(?:x|/|por|\\)\s*\d)"
        r"(?!\s*(?:anos|dias|%|reais|mg|comprimidos?|horas|h\b|semanas|meses|vezes|x\b))"
    ),
    "frequencia_cardiaca_bpm": _alt(
        r"\b(?:fc|frequencia\s+cardiaca|pulso|batimentos?)\b[^\d\n;]{0,20}?(?P<v>\d{2,3})\b(?!\s*(?:anos|dias|%))",
        r"\b(?P<v2>\d{2,3})\s*(?:bpm|batimentos|batidas|bat/min)\b",
        # a watch or the heart itself read aloud: "o coração disparou e o relógio tá marcando 148"
        r"\b(?:coracao|relogio|smartwatch|smartband|pulseira)\b[^\d\n;.!?]{0,40}?\b(?:marcando|marcou|marca|deu|"
        r"mostrando|mostrou|batendo|bateu|bate|a)\s+(?:a\s+|em\s+|uns\s+)?(?P<v3>\d{2,3})\b(?![:,.]?\d)"
        r"(?!\s*(?:anos|dias|%|horas|h\b|mil|passos|km|reais|kg|minutos|min\b|graus))",
    ),
    "frequencia_respiratoria_irpm": _alt(
        r"\b(?:fr|frequencia\s+respiratoria)\b[^\d\n;]{0,20}?(?P<v>\d{1,3})\b(?!\s*(?:anos|dias|%))",
        r"\b(?P<v2>\d{1,3})\s*(?:irpm|ipm|rpm|mrm|respiracoes\s+por\s+minuto)\b",
    ),
    # "a diabete dele tá 500": the disease named for the reading, after a reading verb
    "glicemia_leiga": _re(
        r"\bdiabete\w*\s+(?:\w+\s+){0,2}?(?:ta|tava|esta|estava|deu|marcou|marcando|subiu\s+(?:pra|para)|"
        r"bateu|caiu\s+(?:pra|para)|baixou\s+(?:pra|para))\s+(?:em\s+|a\s+|no\s+)?(?P<v>\d{2,4})\b(?![.,]?\d)"
        r"(?!\s*(?:anos|dias|%|mg(?!\s*/)|reais|comprimidos?|unidades|ui\b))"
    ),
    # A reading off the glucose strip or the finger prick, the meter not named (s3de-recall): "tô sem
    # tira pro aparelho, usei agora e deu 480", "furei o dedo e marcou 52". The mention is the reading
    # (group r), so "sem tira" (out of strips) does not deny it.
    "glicemia_tira": _re(
        r"\b(?:(?:tiras?|fitinhas?|fitas?)\s+(?:pro|pra|do|da|de|para\s+o)\s+(?:aparelh\w*|glicosimetro|glicose|glicemia|"
        r"diabete\w*|dedo|medir)|glicosimetro|fur(?:ei|o|ou|ar|amos|aram)\s+(?:o\s+)?(?:meu\s+|seu\s+|teu\s+)?dedo|"
        # (s6-recall) "furou meu dedo", "fiz a fita agora e deu 520"
        r"(?:fiz|fez|fizemos|fizeram)\s+a\s+(?:fita|fitinha)|ponta\s+de\s+dedo|furad\w+\s+no\s+dedo|picad\w+\s+no\s+dedo)"
        r"\b[^\n.;!?]{0,60}?\b(?P<r>(?:deu|marcou|marcando|mostrou|mostrando|bateu)\s+(?:em\s+|uns\s+|a\s+)?(?P<v>\d{2,3}))\b"
        r"(?![.,]?\d)(?!\s*(?:x|/|por|anos|dias|%|reais|mg(?!\s*/)|comprimidos?|unidades|ui\b|bpm|vezes|graus|metros|cm\b))"
    ),
    # The analyte named after the reading (s4de-recall): "deu 42 a glicose", "marcou 380 de açúcar";
    # read before the number, "deu 42" alone would be a fever.
    "glicemia_depois": _re(
        r"\b(?:deu|marcou|marcando|mostrou|bateu|ta|tava|esta|estava)\s+(?:em\s+|uns\s+|so\s+)?(?P<v>\d{2,3})\s+"
        r"(?:(?:a|o|de|da|do|na|no)\s+)?(?:glicose|glicemia|acucar|hgt|dextro|diabete\w*)\b"
    ),
    # The meter unnamed, the glucose named earlier in the text (held-recall): "ontem a glicose tava 250
    # ... agora o aparelho deu 487" (measures reads it only where the text names the glucose and the
    # sentence names no other reading)
    "glicemia_aparelho": _re(
        r"\b(?P<r>(?:aparelh\w*|medidor\w*|maquininha)\s+(?:\w+\s+){0,2}?(?:deu|marcou|marcando|mostrou|bateu)\s+"
        r"(?:em\s+|uns\s+|so\s+)?(?P<v>\d{2,3}))\b(?![.,]?\d)(?!\s*(?:x|/|por|anos|dias|%|reais|bpm|batim\w*|graus|"
        r"de\s+(?:pressao|batim\w*|saturacao|oxigenio|febre|pulso)))"
    ),
    "glicemia_mg_dl": _re(
        r"\b(?:glicemia|glicose|hgt|dextro|glicemia\s+capilar|glicosimetro|glico|acucar)\b"
        r"[^\d\n;]{0,25}?(?P<v>\d{2,4}(?:[.,]\d)?)\b(?!\s*(?:anos|dias|%|mmol|mg(?!\s*/)|g\b|gramas|kg|colher\w*|"
        r"minutos|min\b|horas|h\b|reais|ui\b|unidades|semanas))"
    ),
}
# A fast heart during exercise is the exercise, unless it stays up at rest ("na corrida marcou 165").
EXERCISE = _re(
    r"\b(?:corrida|correndo|corri|treino|treinando|academia|bike|bicicleta|pedal\w*|esteira|caminhada|exercicio\w*|"
    r"futebol|musculacao|crossfit|natacao|spinning|maratona)\b"
)
AT_REST = _re(
    r"\b(?:repouso|parad[oa]|deitad[oa]|sentad[oa]|nao\s+(?:baixa|baixou|desce|desceu|para|passa))\b"
)
# Where an unnamed meter's reading is the glucose (TEXT_VITALS "glicemia_aparelho", held-recall).
# The glucose is also named by what only it needs (s6-recall): the insulin, the meter's strips, the
# finger prick ("tô tomando a insulina ... o aparelho marcou 486").
GLUCOSE_NAMED = _re(
    r"\b(?:glicose|glicemia|acucar|diabete\w*|hgt|dextro|glicosimetro|insulin\w*|(?:fitas?|fitinhas?|tiras?)\s+"
    r"(?:do|pro|pra|para\s+o)\s+aparelh\w*|fur(?:ei|ou|ar|amos|aram|a|o)\s+(?:o\s+)?(?:meu\s+|seu\s+|teu\s+)?dedo)\b"
)
OTHER_READING = _re(
    r"\b(?:pressao|satur\w*|oximetro|termometro|febre|temperatura|batimentos?|pulso|balanca|peso)\b"
)
# Glucose meters print HI/LO outside their range.
GLUCOSE_METER_HI = _re(r"\b(?:glicosimetro|dextro|hgt|glicemia|glicose)\b[^\n.;\d]{0,25}?\b(?:hi|high)\b")
GLUCOSE_METER_LO = _re(r"\b(?:glicosimetro|dextro|hgt|glicemia|glicose)\b[^\n.;\d]{0,25}?\b(?:lo|low)\b")

# "remédio de/para convulsão", "medicação do AVC": the condition is being treated, not happening now.
CHRONIC_TREATMENT = _re(
    r"\b(?:remedio|remedios|medicamento|medicamentos|medicacao|medicacoes|receita|tratamento|comprimido|"
    r"comprimidos|anticoagulante|consulta|acompanhamento|controle|prevencao)\s+(?:[a-z]+\s+){0,2}?"
    r"(?:de|da|do|para|pra|contra|pro|pela|pelo)(?:\s+a|\s+o)?\s*$"
)
REMOTE_PAST = _re(
    r"\b(?:ha\s+(?:(?:mais\s+de|uns|umas|quase|cerca\s+de)\s+)?(?:\d+|"
    + NUMBER_WORDS_RE
    + r"|alguns|muitos|varios)\s+an[ou]s?|anos\s+atras|ano\s+passado|"
    r"(?:em|de)\s+(?:19|20)\d\d|quando\s+(?:eu\s+|ele\s+|ela\s+)?(?:era\s+)?(?:crianca|pequen[oa]|jovem|bebe|nenem|"
    r"menin[oa]|adolescente|moc[oa]|mocinh[oa]|rapaz|rapazinho|novinh[oa]|solteir[oa])|"
    r"na\s+(?:infancia|adolescencia|juventude|mocidade)|ha\s+muito\s+tempo|faz\s+(?:(?:mais\s+de|uns|umas|quase|cerca\s+de)\s+)?(?:(?:\d+|muitos|varios)\s+)?an[ou]s?|"
    r"aos\s+\d+\s+anos|quando\s+(?:eu\s+|ele\s+|ela\s+)?tinha\s+(?:uns\s+|umas\s+)?(?:\d+|um)\s+an[ou]s?|ficou\s+no\s+passado|"
    # the age at the event, told after it: "teve convulsão febril com 1 ano" (not "meu filho com 2 anos teve")
    r"(?:tive|teve|fiz|fez)\s+(?:[a-z]+\s+){0,6}?com\s+(?:\d+|um|uma)\s+an[ou]s?(?:\s+de\s+idade)?)\b"
)

# "De novo" after a pregnancy or an everyday activity says that repeats, not the complaint: "hoje tô
# grávida de novo", "já tô correndo de novo" (fixed-width look-behinds, one per word).
_ACTIVITIES = words(
    "gravida gestante correndo pedalando treinando trabalhando jogando nadando malhando caminhando "
    "andando dirigindo estudando dancando viajando namorando casada casado"
)
AGAIN_OF_ACTIVITY = "".join(rf"(?<!{w}\s)" for w in sorted(_ACTIVITIES))
# The activities themselves, told of today: "hoje tô trabalhando e bem" is no present complaint.
ACTIVITY_WORDS = "|".join(sorted(_ACTIVITIES))
# ... also a few words on: "já tô correndo no parque de novo" (`assertion`, the next sentence's closure).
ACTIVITY_AGAIN = _re(r"\b(?:" + "|".join(sorted(_ACTIVITIES)) + r")\b[^,.;!?\n]{0,40}?\bde\s+novo\b")
# A remote date with a present-tense state ("tenho falta de ar há 2 anos e piorou") is not history.
STILL_NOW = _re(
    r"\b(?:(?<!nao\s)(?<!nunca\s)(?:tenho|sinto)|to|tou|estou|ainda|continua|continuo|persiste|piorou|piorando|(?<!nao\s)(?<!mais\s)volt(?:ou|ando)|"
    r"(?:\b" + AGAIN_OF_ACTIVITY + r")de\s+novo|novamente|"
    r"desde(?!\s+(?:entao|aquela\s+epoca|aquele\s+tempo|aquele\s+dia|(?:19|20)\d\d))|agora|"
    # another episode: "... foi há 8 anos, mas essa noite tive outra"
    r"(?:tive|teve|deu|senti|sentiu)\s+(?:outra|outro|mais\s+uma?))\b"
    # a stable baseline ("continua igual", "do mesmo jeito") is no current episode
    # ... nor is the age now ("agora tá com 6 anos")
    r"(?!\s+(?:bem|otim|normal|curad|ao\s+normal|so\s+faco|"
    + ACTIVITY_WORDS
    + r"|quero|queria|usando|tomando|fazendo|igual|do\s+mesmo\s+jeito|"
    r"a\s+mesma|o\s+mesmo|(?:ta|esta)\s+com\s+\d{1,2}\s+(?:anos|meses)\b|"
    # ... nor a freedom ("tô sem crise desde então"; never "tô sem conseguir respirar")
    r"sem\s+(?:crises?|nada|febre|dor|sintomas?|queixas?|problemas?)\b|"
    # ... nor years free of it ("agora faz 20 anos que não tenho nada")
    r"(?:faz|ha)\s+(?:mais\s+de\s+|uns\s+|quase\s+)?\w+\s+(?:an[ou]s?|mes|meses)\s+que\s+(?:nao|nunca)\b|"
    # ... nor the visit's errand ("tô aqui só pra renovar a receita")
    r"(?:aqui\s+)?(?:(?:so|somente|apenas)\s+)?(?:pra|para)\s))"
)
# A past event in the clause: with a remote date, any symptom is history ("tive dor no peito há 2
# anos", "a dor no peito foi em 2019"); a present one ("tenho falta de ar há 2 anos") is chronic.
PAST_EVENT = _re(
    r"\b(?:tive|teve|tivemos|tinha|senti|sentiu|foi|fiquei|ficou|peguei|pegou|fiz|fez|tentei|tentou|sofri|"
    r"sofreu|apresentei|apresentou|"
    # what used to happen, in the imperfect: "quando eu era criança ficava sem ar" (s9a-045, s9g-045)
    r"ficava|ficavam|vivia|viviam|sentia|sofria|passava|andava|costumava)\b"
)
# Oncology treatment that ended: "terminei a radioterapia em 2021", "fiz quimio há 3 anos, curada".
TREATMENT_OVER = _re(
    r"\b(?:terminei|terminou|acabei|acabou|finalizei|finalizou|conclui|concluiu|curad[oa]|em\s+remissao|"
    r"alta\s+da\s+oncologia|(?:fiz|fez|fazia|tive|teve)\b[^.;!?\n]{0,40}?\b(?:ano\s+passado|anos\s+atras|"
    r"meses\s+atras|ha\s+\d+\s+(?:anos|meses)|em\s+(?:19|20)\d\d))\b"
)

# --- critical findings in imaging / exam reports (ACR-style "critical results") ---------------------

IMAGING_FAMILIES: tuple[Family, ...] = (
    Family(
        "pneumotorax", "Pneumotórax", "CRITICAL", _alt(r"\b(?:hidro|hemo)?pneumo-?torax\w*|\bpneumotorace\b")
    ),
    Family("pneumomediastino", "Pneumomediastino", "CRITICAL", _alt(r"\bpneumomediastino\b")),
    Family(
        "hemorragia_intracraniana",
        "Hemorragia intracraniana",
        "CRITICAL",
        _alt(
            r"\b(?:hemorragia|sangramento|hematoma|colecao\s+hematica|hemorragico)\s+"
            + GAP2
            + r"(?:intracranian\w*|intraparenquimatos\w*|subaracnoide\w*|cerebral|cerebelar|intraventricular|"
            r"subdural|extradural|epidural|intracerebral|meninge\w*|intra-?axial|extra-?axial|"
            r"nos\s+ventriculos|no\s+tronco)",
            r"\bhsa\b|\bavc\s+hemorragico|\bavch\b|\bhemoventricul\w*|\bhematoma\s+(?:sub|extra|epi)dural",
            r"\bacidente\s+vascular\s+(?:cerebral|encefalico)\s+hemorragico",
            # the location first: "imagem hiperdensa intraparenquimatosa ..., compatível com hematoma agudo"
            r"\b(?:intraparenquimatos\w*|intracranian\w*|subaracnoide\w*|intraventricular\w*|intracerebral\w*|"
            r"subdura(?:l|is)|extradura(?:l|is))\b[^.;\n]{0,80}?\b(?:hematoma|hemorragia|sangramento|colecao\s+hematica)\b"
            r"(?!\s+(?:[a-z]+\s+){0,2}?cronic)",
        ),
        # A chronic subdural collection is not a critical result unless it bled again.
        not_after=_re(
            r"\s+(?:[a-z-]+\s+){0,2}?cronic[oa]s?\b(?![,\s]+(?:agudizad|com\s+componente\s+agudo|com\s+"
            r"(?:sangramento|ressangramento|hemorragia)\s+agud))"
        ),
    ),
    Family(
        "sangramento_ativo",
        "Sangramento ativo / hemorragia em cavidade",
        "CRITICAL",
        _alt(
            r"\bsangramento\s+ativo|\bextravasamento\s+(?:ativo\s+)?(?:de\s+)?(?:meio\s+de\s+)?contraste",
            r"\bblush\s+(?:arterial|ativo)|\bhemoperitoneo\w*|\bhemoperitonio\w*|\bhemotorax\w*|"
            r"\bhemopericardio\w*|\bhematoma\s+retroperitoneal",
            r"\bruptura\s+(?:do\s+|de\s+|da\s+)?(?:baco|figado|esplenica|hepatica|aneurisma|renal)|"
            r"\blaceracao\s+(?:esplenica|hepatica|renal|do\s+baco|do\s+figado)|\baneurisma\s+"
            + GAP3
            + r"(?:rot[oa]|em\s+rotura|fissurad\w*)",
        ),
    ),
    Family(
        "tep",
        "Tromboembolismo pulmonar (TEP)",
        "CRITICAL",
        _alt(
            r"\btep\b|\btromboembolismo\s+pulmonar|\btromboembolia\s+pulmonar|\bembolia\s+pulmonar",
            r"\bembolo\w*\s+" + GAP2 + r"pulmonar\w*",
            r"\b(?:falhas?|defeitos?)\s+de\s+(?:enchimento|opacificacao)\s+(?:[a-z]+\s+){0,5}?(?:arteria\w*|ramos?|tronco)\s+"
            r"(?:[a-z]+\s+){0,3}?(?:pulmonar\w*|lobar\w*|segmentar\w*|subsegmentar\w*|interlobar\w*)",
            r"\b(?:tromb\w*|embol\w*)\s+(?:[a-z]+\s+){0,5}?(?:arteria\w*|ramos?|tronco)\s+(?:[a-z]+\s+){0,3}?"
            r"(?:pulmonar\w*|lobar\w*|segmentar\w*|subsegmentar\w*)",
        ),
    ),
    Family(
        "disseccao_aorta",
        "Dissecção de aorta",
        "CRITICAL",
        _alt(
            r"\bdisse(?:c)?cao\s+" + GAP2 + r"(?:d[ae]\s+)?aort\w*|\baorta\s+dissecad\w*|\bflap\s+intimal|"
            r"\bhematoma\s+intramural|\bruptura\s+(?:de\s+|da\s+)?aort\w*|\bulcera\s+aterosclerotica\s+penetrante",
            r"\baneurisma\s+" + GAP3 + r"aort\w*\s+" + GAP2 + r"(?:rot[oa]|em\s+rotura|fissurad\w*)",
        ),
    ),
    Family(
        "pneumoperitonio",
        "Pneumoperitônio / ar livre na cavidade",
        "CRITICAL",
        _alt(
            r"\bpneumoperitone?\w*|\bpneumorr?etroperitone?\w*",
            r"\b(?:ar|gas)\s+livre\b",
            r"\b(?:ar|gas)\s+(?:intraperitone\w*|subdiafragmatic\w*|extraluminal)",
            r"\bperfurac\w+\s+" + GAP2 + r"viscera\s+oca|\bviscera\s+oca\s+perfurad\w*|"
            r"\bperfurac\w+\s+(?:intestinal|gastrica|duodenal|de\s+alca|colonica|do\s+colon|esofagica)",
        ),
    ),
    Family(
        "compressao_medular",
        "Compressão medular",
        "CRITICAL",
        _alt(
            r"\bcompress\w+\s+" + GAP2 + r"(?:medular|medula|cordao\s+medular|cone\s+medular|cauda\s+equina)",
            r"\bmielopatia\s+compressiva|\bsindrome\s+da\s+cauda\s+equina",
            r"\bcomprim\w*\s+"
            + GAP2
            + r"(?:a\s+|o\s+)?(?:medula|cordao\s+medular|cone\s+medular|cauda\s+equina)",
            r"\b(?:medula|cordao\s+medular|cone\s+medular)\s+" + GAP2 + r"comprimid\w*",
        ),
    ),
    Family(
        "avc_isquemico_agudo",
        "AVC isquêmico agudo",
        "CRITICAL",
        _alt(
            r"\bisquemi\w*\s+" + GAP2 + r"(?:aguda|recente|hiperaguda|subaguda)",
            r"\binfarto\s+(?:cerebral|isquemic\w*|lacunar|cerebelar|territorial)\s+"
            + GAP1
            + r"(?:agudo|recente|hiperagudo|subagudo)",
            r"\b(?:avc|acidente\s+vascular\s+(?:cerebral|encefalico))\s+isquemic\w*\s+(?:agudo|recente|hiperagudo)",
            r"\brestricao\s+(?:a\s+)?(?:difusao|a\s+difusao)|\bsinal\s+da\s+(?:arteria\s+)?cerebral\s+media\s+"
            r"hiperdensa|\boclusao\s+"
            + GAP2
            + r"(?:arteria\s+)?(?:cerebral|basilar|carotida\s+interna|m1|acm|aci)\b",
        ),
    ),
    Family(
        "avc_isquemico_agudo",
        "AVC isquêmico (sem menção de cronicidade)",
        "CRITICAL",
        _alt(
            r"\b(?:avc|acidente\s+vascular\s+(?:cerebral|encefalico))\s+isquemic\w*",
            r"\binfarto\s+(?:cerebral|isquemico\s+cerebral)",
        ),
        # An old infarct ("AVC isquêmico antigo", "sequela de AVC") is not a critical result.
        not_before=_re(r"(?:sequela\w*|antig[oa]s?|previ[oa]s?)\s+(?:de\s+|do\s+|por\s+)?$"),
        not_after=_re(r"\s+" + GAP2 + r"(?:antig|sequela|cronic|previ|remot|ja\s+conhecid)"),
    ),
    Family(
        "apendicite",
        "Apendicite aguda",
        "CRITICAL",
        _alt(
            r"\bapendicite\w*",
            r"\bapendice\s+" + GAP2 + r"(?:perfurado|inflamado|roto|espessado\s+e\s+"
            r"distendido)",
        ),
    ),
    Family(
        "obstrucao_intestinal",
        "Obstrução intestinal",
        "CRITICAL",
        _alt(
            r"\bobstruc\w+\s+intestinal|\bsemi-?oclus\w+|\bsub-?oclus\w+\s+intestinal|\boclusao\s+intestinal",
            r"\bvolvo\b|\bvolvulo\w*|\babdome\s+agudo\s+obstrutivo|\bileo\s+(?:biliar|obstrutivo)",
            r"\bhernia\s+"
            + GAP2
            + r"(?:encarcerad\w*|estrangulad\w*)|\bintussuscepc\w*|\binvaginacao\s+intestinal",
        ),
    ),
    Family(
        "torcao_gonadal",
        "Torção testicular/ovariana",
        "CRITICAL",
        _alt(
            r"\btorcao\s+" + GAP1 + r"(?:testicular|de\s+testiculo|do\s+testiculo|ovariana|de\s+ovario|"
            r"do\s+ovario|anexial|do\s+cordao\s+espermatico|do\s+funiculo)"
        ),
    ),
    Family(
        "gravidez_ectopica",
        "Gravidez ectópica",
        "CRITICAL",
        _alt(r"\b(?:gravidez|gestacao|prenhez)\s+ectopica|\bectopica\s+rota|\bgestacao\s+tubaria"),
    ),
    Family(
        "fratura_instavel",
        "Fratura instável de coluna",
        "CRITICAL",
        _alt(
            r"\bfratura\w*\s+(?:[a-z0-9]+\s+){0,4}?instave\w*|\bfratura-?luxacao|\bfratura\s+e\s+luxacao",
            r"\bluxacao\s+(?:atlanto\w*|c1|c2)|\bfratura\s+" + GAP2 + r"(?:odontoide|do\s+dente\s+do\s+axis|"
            r"de\s+hangman|de\s+jefferson|em\s+explosao|tipo\s+burst|burst)",
        ),
    ),
    Family(
        "tamponamento_cardiaco",
        "Derrame pericárdico com tamponamento",
        "CRITICAL",
        _alt(
            r"\btamponamento\w*",
            r"\bderrame\s+pericardic\w*\s+(?:[a-z]+\s+){0,3}?(?:volumoso|importante|acentuado|grande|"
            r"com\s+(?:sinais\s+de\s+)?(?:tamponamento|restricao|colapso|repercussao))",
            r"\bcolapso\s+(?:diastolico\s+)?(?:do\s+|de\s+)?(?:atrio|ventriculo)\s+direito",
        ),
    ),
    Family(
        "herniacao_cerebral",
        "Herniação cerebral / hipertensão intracraniana",
        "CRITICAL",
        _alt(
            r"\bherniac\w+\s+" + GAP1 + r"(?:cerebral|uncal|subfalcina|transtentorial|tonsilar|amigdalian\w*|"
            r"transforaminal)",
            r"\bdesvio\s+"
            + GAP2
            + r"(?:da\s+)?linha\s+media|\bhidrocefalia\s+(?:aguda|obstrutiva|hipertensiva)",
            r"\bedema\s+cerebral\s+(?:difuso|importante|acentuado|maligno)",
        ),
    ),
    Family(
        "trombose_venosa_profunda",
        "Trombose venosa profunda",
        "CRITICAL",
        _alt(
            r"\btrombose\s+venosa\s+profunda|\btvp\b",
            r"\btromb\w*\s+"
            + GAP2
            + r"(?:da\s+|na\s+)?veias?\s+(?:femora\w*|poplitea\w*|ilia\w*|subclavia\w*|"
            r"cava|jugular\w*|axilar\w*|tibia\w*)",
        ),
    ),
    Family(
        "isquemia_mesenterica",
        "Isquemia mesentérica",
        "CRITICAL",
        _alt(
            r"\bisquemia\s+(?:mesenteric\w*|intestinal)|\bpneumatose\s+intestinal|\bgas\s+(?:no\s+sistema\s+)?"
            r"porta(?:l)?\b"
        ),
    ),
    Family(
        "edema_pulmonar_agudo",
        "Edema agudo de pulmão",
        "CRITICAL",
        _alt(r"\bedema\s+agudo\s+(?:de|do)\s+pulmao|\bedema\s+pulmonar\s+agudo"),
    ),
    Family(
        "obstetrico_critico",
        "Achado obstétrico crítico",
        "CRITICAL",
        _alt(
            r"\bdescolamento\s+(?:prematuro\s+)?(?:de|da)\s+placenta",
            r"\bobito\s+fetal|\bausencia\s+de\s+batimentos\s+cardiacos\s+fetais|\bbcf\s+ausentes?|"
            r"\bsem\s+batimentos\s+cardiacos\s+fetais",
        ),
    ),
)
