"""The word tables `spelling` reads: the clinical vocabulary a typo is corrected towards, the WhatsApp
shorthand expanded before the rules read the text, and the real words a general lexicon lacks
(docs/clinical-engine.md, "Normalisation")."""

from __future__ import annotations

from .text import words

VOCABULARY = words(
    # dyspnoea
    "falta folego respirar respirando respiracao dispneia sufocado sufocada sufocando sufoco ofegante "
    "cansaco canseira cansado cansada chiado chiando "
    # chest
    "peito toracica toracico aperto apertando apertado pressao queimacao pontada "
    # bleeding
    "sangue sangrando sangramento sangrou sangrar sangrava hemorragia vomitando vomitei vomitou vomito "
    "vomitos vomitar tossindo tossi escarro catarro fezes pretas preto piche coagulos "
    # seizure, syncope, consciousness
    "convulsao convulsionou convulsionando convulsiva convulsivo convulsoes debatendo revirou "
    "desmaio desmaiei desmaiou desmaiar desmaiando desmaiada desmaiado desacordado desacordada "
    "inconsciente consciencia sentidos apaguei "
    # confusion, stroke
    "confuso confusa confusao desorientado desorientada delirando derrame dormente dormencia "
    "formigamento formigando fraqueza paralisado paralisada paralisia enrolada enrolado embolada "
    "embolado torta torto entortou caida caido metade esquerdo esquerda direito direita "
    # anaphylaxis
    "garganta fechando inchada inchado inchou inchaco alergia alergica alergico lingua "
    # suicide
    "suicidio suicida matar morrer viver "
    # fever, pain, gut
    "febre temperatura termometro calafrio calafrios graus insuportavel diarreia infarto dificuldade "
    # the gut in lay words (s6-recall: "disinteria", "caganera")
    "disenteria caganeira banheiro "
    "muita muito forte"
)
# WhatsApp shorthand, expanded before the rules read the text ("n consigo", "vomito tudo q tomo").
ABBREVIATIONS = {
    "q": "que",
    "pq": "porque",
    "pqe": "porque",
    "vc": "voce",
    "vcs": "voces",
    "tb": "tambem",
    "tbm": "tambem",
    "hj": "hoje",
    # time words spelt as spoken, too short for the sound key ("oji to otima"); "anu" is a bird only
    # in books ("dismaiei anu passadu")
    "oji": "hoje",
    "oje": "hoje",
    "anu": "ano",
    # "fas 20 anu" ("fãs" would be fans, not a word of a health message)
    "fas": "faz",
    "mt": "muito",
    "mto": "muito",
    "mta": "muita",
    "mtos": "muitos",
    "mtas": "muitas",
    "td": "tudo",
    "tds": "todos",
    "qd": "quando",
    "qdo": "quando",
    "qnd": "quando",
    "qndo": "quando",
    "n": "nao",
    "nn": "nao",
    "naum": "nao",
    "dps": "depois",
    "agr": "agora",
    "msm": "mesmo",
    "cmg": "comigo",
    "tô": "to",
    "s/": "sem",
    "c/": "com",
    "p/": "para",
    "d+": "demais",
    "d": "de",
    "oq": "o que",
    "kd": "cade",
    "ctg": "contigo",
    "blz": "beleza",
    "obg": "obrigado",
    "obgd": "obrigado",
    "vlw": "valeu",
    "pfv": "por favor",
    "pfvr": "por favor",
    "mds": "meu deus",
    "dnv": "de novo",
    "ngm": "ninguem",
    "nd": "nada",
    "vdd": "verdade",
    "qto": "quanto",
    "qta": "quanta",
    "tmb": "tambem",
    "hrs": "horas",
    "fds": "fim de semana",
    "eh": "e",
    "neh": "ne",
    # Phonetic spellings of function words ("to cum dor nu peitu", "febri di 39"): closed class,
    # too short for the sound key. "nu" and "si" are real words, but as rare as they are short.
    "cum": "com",
    "di": "de",
    "du": "do",
    "nu": "no",
    "qui": "que",
    "ki": "que",
    "ke": "que",
    "kem": "quem",
    "aki": "aqui",
    "u": "o",
    "i": "e",
    "pru": "pro",
    "mi": "me",
    # the neighbour in Northeastern speech ("u vizim tevi um derrami"), else read as "vezes"
    "vizim": "vizinho",
    "vizin": "vizinho",
    # Spoken forms the sound key sends to the wrong word ("muié" is not "molhe", "deis" is ten, not "dei")
    "muie": "mulher",
    "mulhe": "mulher",
    "deis": "dez",
    "im": "em",
    "deiz": "dez",
    # ... and "veiz", spelt out by the episode-count pattern, which reads "vez" too: "acabar com tudo de vez"
    "veiz": "vez",
    # "quando" with its d dropped after the n, as the gerunds ("vomitano"), spelt out by a rule's exclusions
    "quano": "quando",
    "quanu": "quando",
    # the chest with its t palatalised or dropped, as spoken in the Northeast ("dor nu pexo", "peitchu"):
    # the sound key reads x between vowels as z ("peço"); "ino" is "indo" with the d dropped
    "pexo": "peito",
    "pexu": "peito",
    "peitcho": "peito",
    "peitchu": "peito",
    "petcho": "peito",
    "petchu": "peito",
    "peto": "peito",
    "petu": "peito",
    "ino": "indo",
    "oio": "olho",
    "oios": "olhos",
    "zoio": "olhos",
    "zoios": "olhos",
    "caganera": "caganeira",
    "cagarera": "caganeira",
    "caganeria": "caganeira",
    # "lh"/"li" dropped in speech: "na famia" is "na família"
    "famia": "familia",
    "famiia": "familia",
    "diarreira": "diarreia",
    # "desinteria" is glued from "de" + a misread "sentiria" by the word splitter (s8b-124)
    "desinteria": "disenteria",
    "desenteria": "disenteria",
    "dizenteria": "disenteria",
    "dizinteria": "disenteria",
    "desinteira": "disenteria",
    # the stomach as spoken ("num paro nada no estamago")
    "estamago": "estomago",
    "estambago": "estomago",
    "estomo": "estomago",
    # "se embora" said as one word ("a febre já foi simbora", Nordeste): an ending like "foi embora"
    "simbora": "embora",
    "sinbora": "embora",
    "sembora": "embora",
    "imbora": "embora",
    # fever with its r moved and its final e said i (Nordeste: "da frevi dele", "frebi di 39"); the sound
    # key sends "frevi" to the dance, "frevo", and reaches no word from "frebi"
    "frevi": "febre",
    "frebi": "febre",
    "frebe": "febre",
    "frevinha": "febrinha",
    # "bom" in its Minas/Nordeste diminutive ("já tá bãozin brincando"), which no sound key reaches
    "baozin": "bonzinho",
    "baozim": "bonzinho",
    "baozinho": "bonzinho",
    "baozinha": "boazinha",
}


# Real words a general lexicon lacks: the health service's acronyms and regional interjections
# ("fui no SUS", "a UBS", "oxe, tô com febre"). A real word or an acronym is never rewritten.
KEEP = words(
    "sus ubs upa ama samu inss cns cpf uti cti ecg eeg sesai caps cras"
    " oxe oxi oxente vixe visse eita uai arre egua"
    # said, not spelt: a yes the lexicon lacks ("aham" is no "acham")
    " aham ahan uhum uhun"
)
