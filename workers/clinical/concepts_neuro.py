"""Confusion and stroke told in lay words, as combinations of cues (docs/clinical-engine.md,
"Concepts in lay words"): split from `concepts` so that each module stays small."""

from __future__ import annotations

from .concept_base import Concept
from .concept_base import cue_pattern as _re

_KIN = (
    r"filh[oa]|irma|irmao|mae|pai|marido|esposa|mulher|net[oa]|sobrinh[oa]|genro|nora|tia|tio|avo|vo|"
    r"cunhad[oa]|prim[oa]|vizinh[oa]|cuidador[a]?|enfermeir[oa]"
)

CONFUSION = Concept(
    "confusao_mental",
    "Confusão mental / delirium (descrita em palavras leigas)",
    "CRITICAL",
    {
        "lost": _re(
            # someone else not recognising family, never "não reconheci o número"
            r"\b(?:sem\s+reconhecer\s+(?:a\s+gente|ninguem|ningue|os?\s+\w+|as?\s+\w+|nada)|"
            r"nao\s+(?:\w+\s+){0,2}(?:reconhec(?:e|eu|ia|endo|em|eram)\s+(?:mais\s+)?(?:ninguem|ningue)|"
            # "conhecer" as the lay "reconhecer" only in the progressive or with "mais" ("não tá conhecendo
            # nós", "não conhece mais a filha"), never a stranger ("o médico novo não conhece a gente")
            r"(?:reconhec(?:e|eu|ia|endo|em|eram)|(?:(?<=ta\s)|(?<=tava\s)|(?<=esta\s)|(?<=estava\s))conhecendo|"
            r"conhec(?:e|ia|em)(?=\s+mais))\s+(?:mais\s+)?(?:a\s+gente|nos|nois|"
            r"ningue|os\s+filhos|a\s+familia|a\s+propria|o\s+proprio|sua|seu|(?:a|o)\s+(?:mae|pai|filh[oa]|esposa|"
            r"marido|irma|irmao|neta|neto)))|perd(?:eu|endo|ia)\s+dentro\s+d[ae]\s+(?:propria\s+)?"
            r"casa|(?:perguntando|pergunta)\s+(?:que|qual|onde)\s+(?:casa|lugar|dia|ano|esta|e\s+(?:aqui|isso))|"
            r"nao\s+sab(?:e|ia)\s+(?:onde(?!\s+(?:fica|e\s+[oa]|tem|compr\w*|vend\w*|pega|marca\w*|pode|podia|da\s+pra|"
            # a practical doubt, an errand's where: "não sabe onde pode parar o carro", "onde deixar"
            r"vai|deve|consegue|[a-z]+(?:ar|er|ir)\b))|em\s+que|que\s+dia(?!\s+(?:e|vai\s+ser|sera|foi|tem|marc\w*)\s+(?:a|o)\s)|quem)|(?:esta|ta)\s+variando|comecou\s+a\s+variar|"
            r"(?:sem\s+saber|nao\s+sabe\s+mais)\s+(?:quem\s+e\s+quem|onde\s+(?:esta|ta)(?=\s*[,.;!?]|\s*$|\s+e\b)|"
            r"que\s+dia\s+e\s+hoje)|"
            r"desnortead[oa]|fora\s+do\s+juizo|perdeu\s+o\s+juizo|falando\s+(?:coisa\s+)?sem\s+sentido|"
            r"trocando\s+(?:as\s+)?bolas|coisa\s+com\s+coisa\s+nenhuma|"
            # "não fala coisa com coisa", and the North-East order "falando coisa com coisa não"
            r"n(?:ao|um)\s+(?:ta\s+|esta\s+|tava\s+)?(?:fal|diz)(?:a|ando|ia|ava)\s+coisa\s+com\s+coisa|"
            r"(?:fal|diz)(?:a|ando|ia|ava)\s+coisa\s+com\s+coisa\s+n(?:ao|um)\b|aluad[oa]|abilolad[oa]|"
            r"fal(?:ando|a|ou)\s+(?:\w+\s+){0,3}?sem\s+pe\s+nem\s+cabeca|"
            r"perd(?:eu|endo)\s+o\s+tino|sem\s+tino|"
            # asking to go home while at home
            r"(?:quer|querendo|queria|pede|pedindo)\s+(?:pra\s+)?(?:ir\s+)?(?:embora\s+)?(?:pra|para)\s+casa\s+"
            r"(?:sendo\s+que|mas|e)\s+(?:ja\s+)?(?:ta|esta)\s+em\s+casa)"
        ),
        # (s4-recall) not knowing the day, month or year, and mistaking one relative for another: either
        # pairs with the other, or with waking so ("acordei sem saber que dia é, confundi minha filha com
        # minha irmã"); one alone may be a busy week or a slip of the tongue
        "when": _re(
            r"\b(?:sem\s+saber|nao\s+(?:\w+\s+)?sab\w*|nao\s+(?:\w+\s+)?lembr\w*|esque(?:ceu|ci|cendo))\s+"
            r"(?:nem\s+)?(?:de\s+)?(?:que|qual|em\s+que)\s+(?:dia|ano|mes|lugar|cidade)\b(?!\s+(?:e|vai\s+ser|sera|foi|tem|"
            r"marc\w*|era)\s+(?:a|o|as|os|minha|meu|sua|seu)\s)|"
            r"\b(?:acha|achando|acho|jura|falou|disse|diz)\s+que\s+(?:ainda\s+)?(?:e|era|estamos(?:\s+em)?|(?:ta|esta|tava|estava)\s+em)\s+(?:19[0-9]{2}|"
            r"20[01][0-9])\b"
        ),
        "mistaking": _re(
            r"\b(?:confund\w+|trocou|troquei|troca|trocando)\s+(?:a\s+|o\s+)?(?:minha\s+|meu\s+|sua\s+|seu\s+)?(?:"
            + _KIN
            + r")\s+(?:com|pel[oa])\s+(?:a\s+|o\s+)?(?:minha\s+|meu\s+|sua\s+|seu\s+)?(?:"
            + _KIN
            + r")\b|"
            r"\b(?:chamou|chama|chamando|achou|acha|achando)\s+(?:que\s+)?(?:(?:a|o)\s+(?:minha\s+|meu\s+|sua\s+|"
            r"seu\s+)?[a-z]{3,}|(?:minha\s+|meu\s+|sua\s+|seu\s+)?(?:"
            + _KIN
            + r")|eu)\s+(?:de|era|e|fosse|sou)\s+(?:a\s+|o\s+)?(?:minha\s+|meu\s+|sua\s+|seu\s+)?"
            r"(?:mae|pai|irma|irmao|marido|esposa|tia|tio|avo|vo|falecid[oa])\b|"
            # "ficou me chamando de mãe" (a look-behind, so the cue keeps its literal prefilter)
            r"(?<=\bme\s)(?:chamou|chama|chamando)\s+(?:de|pelo\s+nome\s+d[ao])\s+(?:minha\s+|sua\s+)?(?:"
            + _KIN
            + r")\b"
        ),
        "waking": _re(
            r"\b(?:acordei|acordou|amanheci|amanheceu|levantei|levantou)\s+(?:\w+\s+){0,2}?(?:confus\w*|"
            r"perdid[oa]|desorientad[oa]|esquisit[oa]|estranh[oa])\b"
        ),
        "seeing": _re(
            r"\b(?:vendo\s+(?:bicho|bichos|gente|pessoas|vultos?|coisas|inseto\w*|cobra\w*)|"
            r"(?:falando|conversando|chamando|vendo)\s+"
            r"(?:com\s+|pel[oa]\s+)?(?:\w+\s+){0,3}?que\s+(?:ninguem\s+ve|nao\s+(?:esta|ta|existe)|(?:ja\s+)?(?:morreu|"
            r"faleceu|se\s+foi)))(?![^.;!?\n]{0,60}?\b(?:cemiterio|tumulo|saudade|lucid\w*|reza\w*|oracao|missa|foto\w*))"
        ),
        # (s7-recall-lay) the family become strangers: "não tá me conhecendo", "olha pra gente como se não
        # nos conhecesse", "não nos reconhece mais" (the progressive, "mais" or "como se": a change, never
        # "a moça do caixa não me reconheceu")
        "strangers": _re(
            r"\bn(?:ao|um)\s+(?:ta|esta|tava|estava)\s+(?:me|nos)\s+(?:re)?conhecendo\b|"
            r"\bn(?:ao|um)\s+(?:me|nos)\s+(?:re)?conhec(?:e|ia)\s+mais\b|"
            r"\bcomo\s+se\s+n(?:ao|um)\s+(?:(?:me|nos|a|o)\s+)?(?:re)?conhec(?:esse|essem)\b"
        ),
        # someone of the family asked who they are: "me perguntou quem eu era", "pergunta quem somos";
        # a stranger may ask that too (the doorman), so it pairs with another cue
        "who": _re(
            r"\b(?:pergunt(?:ou|a|ava|ando)|quer\s+saber)\s+(?:\w+\s+)?quem\s+(?:eu\s+(?:sou|era)|(?:nos\s+)?somos|"
            r"(?:nos\s+)?eramos|a\s+gente\s+(?:e|era)|sou\s+eu|era\s+eu|e\s+(?:voce|vc|a\s+senhora|o\s+senhor))\b"
        ),
        # asking for, calling, waiting for or looking for someone dead or something long gone, as if
        # there: "perguntou se mainha já chegou da feira e mainha morreu faz dez anos", "fala com o meu
        # pai, que faleceu, como se estivesse na sala", "saiu procurando o cavalo que vendeu faz trinta
        # anos" (never a photo, a grave, a dream, a memory or grief: those are about the dead, not to them)
        "sought": _re(
            r"\b(?:pergunt(?:ou|a|ava|ando)|cham(?:ou|a|ava|ando)|procur(?:ou|a|ava|ando)|esper(?:ou|a|ava|ando)|"
            r"convers(?:ou|a|ava|ando)|fal(?:ou|a|ava|ando)\s+com|cade|"
            # the infinitive after a verb of starting or keeping on: "começou a conversar com o meu pai"
            r"(?:comec(?:ou|a)|pass(?:ou|a)|deu|vive|fic(?:ou|a))\s+a\s+(?:convers|fal|cham|pergunt|procur|esper)ar)\b"
            r"(?![^.;!?\n]{0,90}?\b(?:foto\w*|retrato|tumulo|cemiterio|saudade|sonh\w*|lembr\w*|historia|missa|reza\w*|"
            r"oracao|velorio|enterro|luto)\b)"
            # the dead as the object ("que já morreu"), or gone long ago ("morreu faz dez anos", "vendeu em
            # 1990"); never a cause told ("meu pai morreu de câncer", "de que morreu")
            r"[^.;!?\n]{0,90}?\b(?:(?<!de\s)que\s+(?:ja\s+)?(?:morreu|faleceu|morreram|faleceram|se\s+foi)|"
            r"(?:(?:morr|falec)(?:eu|eram)|(?:vend|perd|demol)(?:eu|emos|eram|ido|ida))\s+(?:\w+\s+)?"
            r"(?:(?:faz|ha)\s+(?:\w+\s+)?(?:anos?|tempo)|em\s+(?:19|20)\d\d))\b"
        ),
        # talking to the absent as if there: "conversa com o vovô como se ele estivesse na cozinha"
        "as_if_there": _re(
            r"\b(?:fal(?:a|ou|ava|ando|ar)|convers(?:a|ou|ava|ando|ar))\s+com\b[^.;!?\n]{0,80}?\bcomo\s+se\s+(?:ele\s+|ela\s+)?"
            r"(?:estivesse|tivesse|fosse)\s+(?:ali|aqui|vivo|viva|presente|em\s+casa|n[ao]\s+\w+|do\s+lado)\b"
        ),
    },
    strong=frozenset({"lost", "seeing", "strangers", "sought", "as_if_there"}),
    weak=frozenset({"waking"}),
)

STROKE = Concept(
    "sinais_avc",
    "Sinais de AVC (descritos em palavras leigas)",
    "CRITICAL",
    {
        "face": _re(
            r"\b(?:boca|rosto|cara|labio|sorriso)\s+(?:\w+\s+){0,4}?(?:puxando|puxad[oa]|repuxando|virando|virad[oa])\s+"
            r"(?:pro|para\s+o|pra\s+um|para\s+um|de\s+um)\s+lado"
        ),
        # "ainda não fala direito" is a toddler; speech pairs with the face or a sudden onset.
        "speech": _re(
            r"\b(?<!ainda\s)nao\s+(?:esta\s+|ta\s+|tava\s+|estava\s+)?(?:fala|falando|falava|consegue\s+falar|"
            r"consigo\s+falar|conseguia\s+falar)\s+direito\b|\bfala\s+(?:toda\s+)?(?:embolada|enrolada|arrastada)"
        ),
        "sudden": _re(r"\b(?:de\s+repente|do\s+nada|subitamente|acordou\s+assim|caid[oa])\b"),
    },
    strong=frozenset({"face"}),
    weak=frozenset({"sudden"}),
)
