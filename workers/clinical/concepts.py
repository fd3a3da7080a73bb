"""Findings described in lay words, without the medical term: each concept is a combination of
cues, not a list of sentences (docs/clinical-engine.md, "Concepts in lay words").

A witness rarely writes "convulsão": they write that the child shook, rolled his eyes and did not
answer. Each concept has groups of cues (shaking, stiffening, eyes, unresponsive, drooling, a lay
name such as "deu um ataque"); it is found when cues of at least two different groups sit close
together (`WINDOW` characters), or when a cue of a group strong enough on its own appears. The
mention spans the cues, and is asserted like any other (negated, hypothetical, someone else's,
an animal's, over).
"""

from __future__ import annotations

from .concept_base import WINDOW, Concept
from .concept_base import cue_pattern as _re
from .concepts_neuro import CONFUSION, STROKE
from .mention import Mention, Scanner

_NOT_FROM_COLD = r"(?!\s+(?:de\s+)?(?:frio|febre|medo|nervoso|raiva|ansiedade|emocao|fome))"

SEIZURE = Concept(
    "convulsao",
    "Convulsão (descrita em palavras leigas)",
    "CRITICAL",
    {
        "shaking": _re(
            r"\b(?:se\s+debat\w+|debat\w+|sacud\w+|se\s+bat(?:endo|ia)\s+(?:tod[oa]|os\s+bracos|as\s+pernas)|"
            # "fiquei me batendo no chão": the thrashing told by the one who had it
            r"(?:me|se)\s+bat(?:endo|ia|i|eu)\s+(?:tod[oa]\s+)?(?:no|pelo)\s+chao|"
            r"bat(?:endo|ia)\s+(?:tod[oa]|os\s+bracos|as\s+pernas)|"
            r"tremend[oa]\s+(?:tod[oa]|o\s+corpo)|trem(?:ia|eu|iam)\s+(?:tod[oa]|o\s+corpo)|"
            r"(?:bracos?|pernas?|maos?)\s+(?:\w+\s+)?(?:batendo|tremendo|sacudindo|pulando)|"
            r"tremedeira|tremend[oa]|se\s+tremendo|estrebuch\w*|chacoalh\w*|se\s+contorc\w*)\b"
            + _NOT_FROM_COLD
        ),
        "stiff": _re(
            r"\b(?:fic(?:ou|ei|a|aram)\s+(?:tod[oa]\s+)?(?:dur[oa]s?|rigid[oa]s?|travad[oa]s?|esticad[oa]s?)|"
            r"endureceu|enrijec\w*|corpo\s+(?:dur[oa]|rigido|travado|duro)|travou\s+(?:o\s+corpo|tod[oa]))\b"
        ),
        "eyes": _re(
            r"\b(?:olh(?:o|os|inho|inhos)\s+(?:\w+\s+)?(?:virad\w*|revirad\w*|vidrad\w*|pra\s+cima|parad[oa]s?|fix[oa]s?|"
            r"sub(?:iu|iram|indo)|vir(?:ou|aram|ando)|revir(?:ou|aram|ando))|"
            r"revir(?:ou|ando|ava|aram)\s+(?:os\s+)?olh\w*|olhando\s+(?:pro|para\s+o|pra\s+o)\s+nada|"
            r"olhar\s+(?:parado|fixo|perdido|vidrado)|olhando\s+(?:fixo|parad[oa]|vidrad[oa]))"
        ),
        "unresponsive": _re(
            r"\b(?:sem\s+responder|n(?:ao|um)\s+respond(?:ia|eu|e|iam|i)|n(?:ao|um)\s+reagia|desacordad[oa]|"
            r"nao\s+lembr(?:a|o|ava)\s+de\s+nada|nao\s+lembr\w+\s+(?:o\s+que|de\s+ter)|"
            r"chamava\s+e\s+nada|chama(?:va|mos)?\s+e\s+(?:ele|ela)\s+nao|n(?:ao|um)\s+(?:me\s+|nos\s+)?olhava)\b"
        ),
        # a floppy child or adult who stopped answering: "o bebê ficou molinho e com o olho parado"
        "floppy": _re(
            r"\b(?:fic(?:ou|a)\s+(?:tod[oa]\s+)?(?:molinh[oa]|mole)|tod[oa]\s+molinh[oa]|amolec(?:eu|ido|ida))\b"
        ),
        "mouth": _re(
            r"\b(?:bab(?:ando|ou|ava|ei)|espum(?:ando|ou|a|ei|ava)|mord(?:eu|i)\s+a\s+lingua|lingua\s+mordida|"
            r"fez\s+xixi\s+(?:na\s+roupa|nas\s+calcas)|urinou\s+na\s+roupa)\b"
        ),
        "name": _re(
            r"\b(?:deu|teve|tive|dando|deram|tendo|da|dar|tem)\s+(?:um\s+|uns\s+|outro\s+|uma\s+|outra\s+)?"
            r"(?:ataque|ataques|treco|piripaque|troco|crise|crises)\b(?!\s+(?:de\s+)?(?:riso|risos|tosse|panico|"
            r"ansiedade|asma|alergia|nervos\w*|raiva|choro|ciume|colica|enxaqueca|coracao|cardiac\w*|bronquite|"
            r"rinite|gastrite|gota|labirintite|sinusite|hipertensiva|de\s+pressao|renal|de\s+figado))"
        ),
    },
    weak=frozenset({"unresponsive"}),
)

SYNCOPE = Concept(
    "sincope",
    "Síncope (perda de consciência descrita em palavras leigas)",
    "CRITICAL",
    {
        "missing_time": _re(
            r"\b(?:quando\s+(?:eu\s+)?(?:vi|dei\s+(?:por|conta\s+de)\s+mim|acordei|percebi|abri\s+os\s+olhos)\s+"
            r"(?:eu\s+)?(?:ja\s+)?(?:tava|estava|to|estou)\b|"
            r"volt(?:ei|ou)\s+a\s+(?:mim|si)|nem\s+(?:lembro|lembra)\s+de\s+ter\s+ca\w+|"
            r"nao\s+(?:lembro|lembra)\s+(?:de\s+)?(?:ter\s+)?ca(?:i|ido|ida)|fic(?:ou|o|ei)\s+sem\s+(?:fala|falar|responder|sentido)\b)"
        ),
        "floor": _re(
            # "caiu a energia / a chuva" is not a body falling
            r"\b(?:(?:no|ao|pro)\s+chao|caid[oa]|ca(?:i|iu)\b(?!\s+(?:a|o|um|uma)\s+(?:energia|luz|chuva|temporal|"
            r"toro|internet|sinal|ligacao|sistema|rede)\b)|tombo|despenc\w*|desab\w*|arri(?:ou|ad[oa])\b)"
        ),
        "fading": _re(
            r"\b(?:(?:vista|visao|tudo)\s+(?:\w+\s+)?(?:escureceu|escurecendo|ficou\s+pret[oa]|rodou|girou|apagou)|"
            r"escureceu\s+(?:tudo|a\s+vista)|deu\s+(?:um|uma)\s+(?:branco|escurecida|apagada)\b)"
        ),
        # the sight going dark and then the fall, in the habitual present too: "a vista escurece e eu
        # caio no chão" (s3c-recall); "a vista escurece quando levanto" alone is no fall
        "went_down": _re(
            r"\b(?:ca(?:iu|i)\s+(?:dur[oa]|dur[oa]s)|fic(?:ou|ei)\s+desacordad[oa]|"
            r"(?:vista|visao|tudo)\s+(?:\w+\s+)?escurec(?:e|eu|ia)\s+e\s+(?:eu\s+|ele\s+|ela\s+)?(?:ja\s+)?"
            r"(?:caio|cai|caiu|caia|desabo|desaba|apago|apaga|apagou|vou\s+(?:pro|ao)\s+chao))\b"
            # "escureceu e caiu a energia": what falls is named after the verb
            r"(?!\s+(?:a|o|as|os|um|uma)\b)"
        ),
    },
    strong=frozenset({"went_down"}),
)

ANAPHYLAXIS = Concept(
    "anafilaxia",
    "Anafilaxia (inchaço com via aérea comprometida)",
    "CRITICAL",
    {
        "swelling": _re(
            r"\b(?:(?:olhos|boca|labios?|lingua|rosto|cara|face|palpebras?)\s+(?:\w+\s+){0,3}?(?:inchar|inchou|inchad[oa]s?|"
            r"inchando|incharam)|(?:inchou|inchaco|inchando)\s+(?:\w+\s+){0,2}(?:olhos|boca|labios?|lingua|rosto|cara))"
        ),
        "airway": _re(
            r"\b(?:garganta\s+(?:\w+\s+){0,2}?(?:apertad[oa]|apertando|fechando|fechad[oa]|trancad[oa]|inchad[oa])|"
            r"falta\s+de\s+ar|sem\s+ar|nao\s+consigo\s+respirar|chiado|dificuldade\s+(?:de|para|pra)\s+(?:respirar|engolir))"
        ),
    },
)

SELF_HARM = Concept(
    "ideacao_suicida",
    "Ideação suicida (plano ou preparação descritos sem a palavra)",
    "CRITICAL",
    {
        "wish": _re(
            r"\b(?:ir\s+embora\s+junto\s+com\s+(?:ela|ele)|ir\s+(?:pra|para)\s+junto\s+d(?:ela|ele|e\s+deus)|"
            r"ninguem\s+(?:\w+\s+)?(?:ia|vai|iria|vai\s+nem)\s+sentir\s+(?:a\s+)?(?:minha\s+)?falta"
            r"(?!\s+d[oae]s?\s+(?!mim\b))|se\s+eu\s+(?:morresse|morrer|nao\s+acordar|"
            r"sumisse|sumir|desaparecesse|desaparecer)\b[^.;!?\n]{0,40}\b(?:alivio|melhor|ninguem|tanto\s+faz)|nao\s+quer(?:o|ia)?\s+mais\s+viver|"
            r"descansar\s+(?:pra|para)\s+sempre|dormir\s+(?:pra|para)\s+sempre)"
        ),
        "plan": _re(
            r"\b(?:ja\s+sei\s+(?:de\s+)?(?:qual|onde|como|o\s+dia|a\s+hora|quando)\s+(?:\w+\s+){0,3}?vou|"
            r"sei\s+(?:de\s+)?(?:qual|onde|como|o\s+dia|a\s+hora|quando)\s+(?:\w+\s+){0,3}?vou|"
            r"(?:vou|quero|queria|penso\s+em|pensei\s+em|pensava\s+em|pensando\s+em|vontade\s+de|ideia\s+de)\s+"
            r"(?:\w+\s+)?(?:pular\s+(?:d[aeo]s?|n[ao]s?|de\s+cima\s+d[aeo]s?)\s+(?:\w+\s+)?(?:ponte|predio|viaduto|passarela|"
            r"janela|laje|sacada|varanda|terraco|alto|penhasco|precipicio|andar|frente|linha|trilhos?|rio|mar|represa|"
            r"trem|metro|onibus|caminhao|carro)|(?:jogar|bater|enfiar)\s+o\s+carro|"
            r"(?:atravessar|entrar|me\s+jogar)\s+na\s+frente|tomar\s+(?:veneno|chumbinho|raticida|todos|tudo))|pensad[oa]\s+em\s+como\s+(?:fazer|vou)|"
            r"pensando\s+em\s+como\s+(?:fazer|vou)|escolhi\s+(?:o\s+dia|a\s+data|o\s+lugar|a\s+hora)|"
            # (s7-recall-context) a poison named, then the intent to swallow it at a chosen time: "comprei
            # veneno de rato e tô pensando em tomar hoje de noite quando todo mundo dormir" (spread in the
            # yard for the rats, or "vou tomar cuidado", it names no swallowing at an hour)
            r"(?:veneno|chumbinho|raticida|formicida|inseticida|soda\s+caustica|agua\s+sanitaria)\b[^.;!?\n]{0,60}?"
            r"\b(?:pens\w*\s+em|vou|quero|queria|vontade\s+de|ideia\s+de|decidi)\s+(?:tomar|beber|engolir)"
            r"(?:\s+(?:ele|ela|isso|tudo|o\s+vidro|a\s+caixa|o\s+pacote|tud[oa]))?\s+(?:hoje|amanha|de\s+noite|a\s+noite|"
            r"de\s+madrugada|quando|assim\s+que|antes\s+d[eo]|depois\s+que|enquanto|mais\s+tarde|agora)\b|"
            r"(?:vou|quero|queria|pens\w*\s+em|vontade\s+de|ideia\s+de|decidi)\s+(?:tomar|beber|engolir)\s+"
            r"(?:o|a|esse|essa|aquele|aquela|um|uma)\s+(?:\w+\s+)?(?:veneno|chumbinho|raticida|formicida))"
        ),
        "preparation": _re(
            r"\b(?:carta\s+(?:\w+\s+)?(?:se\s+)?despedi\w*|carta\s+de\s+despedida|me\s+despedi\w*\s+de|"
            r"despedindo\s+de\s+(?:todo\s+mundo|todos|tudo)|deixei\s+tudo\s+(?:organizado|arrumado|em\s+ordem)(?!\s+(?:pra|para|pro)\s+(?:a\s+|o\s+)?(?:viagem|viajar|mudanca|mudar|festa|"
            r"obra|reforma|casamento|aniversario|consulta|cirurgia|internacao|sair)\b)|"
            r"organizei\s+(?:minhas\s+coisas|os\s+documentos|tudo)|(?:doei|dei)\s+(?:todas\s+)?(?:as\s+)?minhas\s+coisas|"
            # lethal means acquired (s4-recall): counts only beside a wish or hopelessness
            # (s5-recall) any verb of getting, keeping, handling or staring at the means, in any person:
            # "ia pegar a espingarda", "passou a tarde olhando a caixa de veneno", "mexendo no revólver"
            r"(?:compr|consegu|arrum|peg|escond|guard|segur|mex|olh|separ|junt)\w*\s+(?:\w+\s+){0,3}?(?:veneno|chumbinho|"
            r"corda|raticida|formicida|arma|revolver|espingarda|garrucha|pistola)|tenho\s+aqui\s+(?:\w+\s+){0,2}?(?:veneno|arma)|"
            # pills bought beyond the need and put away: "comprei duas caixas a mais ... e guardei"
            r"(?:caixas?|cartelas?|vidros?)\s+a\s+mais\b|(?:remedio\w*|comprimido\w*)\s+(?:\w+\s+){0,4}?e\s+"
            r"(?:guardei|escondi|separei|guardou|escondeu|separou)\b|"
            r"(?:juntei|separei|guardei|escondi|guardando|juntando|separando|escondendo|estocando)\s+(?:os\s+|uns\s+|as\s+|"
            r"umas\s+|meus\s+|minhas\s+)?(?:remedio\w*|comprimido\w*|cartela\w*|pilula\w*|caixas?\s+de\s+remedio))"
        ),
        # a farewell, never enough alone (s11i-063): love sent through others, someone asked to look
        # after the writer's own, care the writer says they will no longer need; pairs with preparation
        "farewell": _re(
            r"\b(?:diga[mn]?\s+(?:pra|para|pro|a|ao)\s+(?:minha|meu|meus|minhas)\s+[a-z]+\s+que\s+(?:eu\s+)?(?:amo|amei|sempre\s+amei)|"
            r"cuid(?:em|e|a)\s+(?:bem\s+)?d[aoe]s?\s+(?:minha|meu|meus|minhas)\s+(?:filh|net|mae|pai|cachorr|gat)\w*\s+(?:pra|por)\s+mim|"
            r"nao\s+vou\s+(?:mais\s+)?precisar\s+(?:mais\s+)?d[aeo]s?\s+(?:\w+\s+)?(?:consulta|retorno|remedio|tratamento|"
            r"quimio|sessao|sessoes|acompanhamento)s?)\b"
        ),
        # hopelessness, never enough alone ("cansei de tudo" may be a bad week): pairs with preparation
        "hopeless": _re(
            r"\b(?:cansei\s+de\s+(?:tudo|viver|lutar|sofrer|tudo\s+e\s+de\s+todos)|"
            r"nao\s+aguento\s+mais\s+(?:viver|essa\s+vida|esta\s+vida)|nao\s+vejo\s+(?:mais\s+)?(?:saida|sentido|motivo)|"
            # (the verb as look-behinds: a pattern that starts at "e" is tried at every "e" of a text)
            r"(?:(?<=\bsou\s)|(?<=\be\s)|(?<=\bso\s)|(?<=virei\s)|(?<=virou\s)|(?<=sendo\s))um\s+(?:peso|estorvo)|(?:melhor|melhores)\s+sem\s+(?:mim|ele|ela)|"
            # (s5-recall) being gone as the better outcome, ending it, and a plan held back by an "if": "seria
            # melhor ele sumir", "acabar com isso de vez", "se essa dor não melhorar eu já sei o que fazer"
            r"melhor\s+(?:eu|ele|ela)\s+(?:sumir|morrer|desaparecer|nao\s+existir)|acabar\s+com\s+(?:isso|tudo)\s+de\s+vez|"
            r"acabar\s+com\s+tudo|(?:ja\s+|bem\s+)?sei\s+(?:bem\s+)?o\s+que\s+(?:eu\s+)?(?:vou\s+)?fazer|"
            # no one would miss the writer (never a cake: "ninguém vai sentir falta do bolo")
            r"ninguem\s+(?:vai\s+|ia\s+)?sent(?:e|ir|iria|ia)\s+(?:(?:a\s+)?minha\s+falta|falta\s+de\s+mim))\b"
        ),
    },
    strong=frozenset({"wish", "plan"}),
    weak=frozenset({"hopeless"}),
)

# Breathlessness told by what the patient can no longer do: a wheezing chest, an everyday effort that
# tires ("canso só de ir até o banheiro", "num dou conta de subir dois degrau"), a halt on the way
# ("tive que sentar no meio do caminho"). Any two together are dyspnoea; one alone is not
# (docs/clinical-engine.md, clin-recall).
BREATHLESS = Concept(
    "dispneia",
    "Dispneia (descrita pelo esforço que não se consegue fazer)",
    "CRITICAL",
    {
        "wheeze": _re(
            r"\b(?:(?:peito|pulmao|respiracao)\s+(?:\w+\s+)?(?:chia|chiando|chiou|chiava|apitando|assobiando)|"
            r"chiad(?:o|eira)\s+(?:no|do)\s+peito|chiando\s+(?:no|do)\s+peito|(?:um|com|uma)\s+chiad(?:o|eira)|"
            r"(?:to|estou|tou|fico|ando)\s+(?:\w+\s+)?chiando)\b"
        ),
        "effort": _re(
            r"\b(?:cans(?:o|a|ei|ando|ad[oa])\s+(?:so\s+)?(?:de|ao|pra|quando|so\s+de)\s+(?:eu\s+)?(?:ir|vou|andar|ando|"
            r"caminhar|subir|subo|varrer|tomar\s+banho|me\s+vestir|levantar|atravessar|dar\s+(?:uns|dois|tres|um)\s+pass\w+)|"
            r"qualquer\s+(?:passinho|passo|esforco|coisinha)\s+(?:\w+\s+)?(?:canso|cansa|cansad[oa]|me\s+cansa)|"
            r"n(?:ao|um)\s+(?:\w+\s+)?(?:consigo|consegue|dou\s+conta|da\s+conta|dando\s+conta|aguento)\s+(?:nem\s+)?"
            r"(?:de\s+|pra\s+)?(?:subir|andar|varrer|caminhar|ir\s+(?:ate|no|na|ao|pro|pra)|tomar\s+banho|atravessar)|"
            r"bufando|ofego\s+(?:so\s+)?de)\b"
        ),
        "halt": _re(
            r"\b(?:(?:parar|sentar|descansar|encostar)\s+(?:\w+\s+)?no\s+meio\s+do\s+caminho|"
            r"(?:(?:tenho|tive|tendo|tem|tinha)\s+(?:que|de)|(?:preciso|precisei|precisando|precisa)(?:\s+(?:que|de))?)\s+(?:parar|sentar|"
            r"ficar\s+sentad[oa]|me\s+sentar|levantar|dormir\s+sentad[oa])\s+(?:pra\s+|para\s+|p\s+)?(?:(?:poder|conseguir)\s+)?"
            r"(?:respirar|descansar|no\s+meio|umas?\s+\w+\s+vez\w*)|"
            # orthopnoea in lay words: "só consigo respirar sentada", "durmo sentado pra respirar"
            r"so\s+(?:consigo|consegue|da\s+pra)\s+respirar\s+(?:\w+\s+)?sentad[oa]|"
            r"(?:durmo|dormindo|dormi)\s+sentad[oa]\s+(?:pra|para)\s+(?:conseguir\s+)?respirar)\b"
        ),
        # the air blocked on its way: "o ar não passa", "não passa ar nenhum" (alone it may be a stuffed nose)
        "airblock": _re(
            r"\b(?:(?:o\s+)?ar\s+(?:me\s+)?n(?:ao|um)\s+(?:ta\s+|tava\s+|quer\s+)?(?:passa|passava|passando|passar)|"
            r"n(?:ao|um)\s+(?:ta\s+)?passa(?:ndo)?\s+(?:nada\s+de\s+)?ar|(?:o\s+)?ar\s+(?:ta\s+|fica\s+)?(?:preso|trancado|travado|"
            r"entalado))\b(?![\s-]+condicionado)"
        ),
    },
)

CONCEPTS: tuple[Concept, ...] = (SEIZURE, SYNCOPE, CONFUSION, STROKE, ANAPHYLAXIS, SELF_HARM, BREATHLESS)


def _cues(sc: Scanner, concept: Concept) -> list[tuple[int, int, str]]:
    out = []
    for group, pattern in concept.cues.items():
        for m in sc.words.finditer(pattern):
            out.append((m.start(), m.end(), group))
    out.sort()
    return out


def scan_concepts(sc: Scanner) -> list[Mention]:
    """One mention per concept description found (the first that counts, else the first found)."""
    found: list[Mention] = []
    for concept in CONCEPTS:
        cues = _cues(sc, concept)
        best: Mention | None = None
        for i, (s, e, group) in enumerate(cues):
            groups = {group}
            end = e
            for s2, e2, g2 in cues[i + 1 :]:
                if s2 - s > WINDOW:
                    break
                if g2 not in groups:
                    groups.add(g2)
                    end = max(end, e2)
            enough = bool(groups & concept.strong) or (len(groups) >= 2 and not groups <= concept.weak)
            if not enough:
                continue
            # A strong cue alone spans itself; a combination spans its cues.
            span_end = e if group in concept.strong and len(groups) == 1 else end
            mention = sc.mention(concept.codigo, concept.descricao, concept.severidade, s, span_end)
            if not mention.counts:
                # Who and when are read at each cue: "encontrei uma carta dela se despedindo e ela
                # disse que não quer mais viver" is the writer's find but the daughter's wish.
                for s2, e2, _g in cues[i + 1 :]:
                    if s2 >= end:
                        break
                    again = sc.mention(concept.codigo, concept.descricao, concept.severidade, s2, e2)
                    if again.counts:
                        mention = again
                        break
            if mention.counts:
                best = mention
                break
            best = best or mention
        if best is not None:
            found.append(best)
    return found
