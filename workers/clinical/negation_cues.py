"""The negation cues (`CUES`) and a per-text gate that tells, by one bisect, that a clause prefix holds
none of them, so `negation.suppression` skips scanning it.

Every alternative of `CUES` starts at a word boundary with one of the stems of `_STEM` (its first
word, or a part of it: "em caso de" holds "caso", "livre de" holds "livre"), and what a match of
the prefix `text[c:s]` reads lies inside that prefix (`finditer` on a slice: look-aheads see its
end). So a prefix with a match holds a stem at a word start: at `c` itself, or at a word start of
the text inside (c, s). `_STEM` finds those positions once per text (its look-aheads only
narrow and consume nothing, so no word start is hidden by a match before it); `_STEM_AT` tries
the prefix's first position, where a word starts in the slice even when it does not in the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from .prefilter import WordStarts

# "sem" is a negator except in fixed phrases where it intensifies ("vomitando sem parar",
# "sem melhora da falta de ar") or is itself the symptom ("fiquei sem ar").
_SEM_NOT_NEGATION = (
    r"(?!\s+(?:parar|para|melhora\w*|sucesso|conseguir|consegui\w*|poder|querer|saber|ajuda|alivio|passar|"
    r"controle|previsao|motivo|causa|razao|explicacao|resposta|dormir|comer|remedio|medicac\w*|"
    r"tratamento|acompanhamento|atendimento|forca|folego|sentido\w*|reacao)\b|\s+ar\b(?!\s+livre))"
)

CUES = re.compile(
    r"\b(?:"
    # Spanish "no" only before a verb of having or feeling ("no tengo fiebre"): in Portuguese
    # "no" is "in the".
    r"(?P<nao>nao|nunca|jamais|no(?=\s+(?:tengo|tenho|tuve|tive|tiene|tenia|tinha|siento|sinto|senti|hay|he\s+tenido)\b)|"
    # spoken "num"/"nun" before a verb ("num tive dor", "nun sinto"); elsewhere "num" is "em um"
    r"nu[mn](?=\s+(?:tive|tenho|teve|tem|tinha|tava|to|tou|ta|estou|esta|estava|sinto|senti|sente|sentiu|sentia|"
    r"fiquei|ficou|deu|da|houve|ha|[a-z]{2,}(?:ei|ou|iu)\b)|\s*$))"
    r"|(?P<neg>neg(?:a|o|ou|am|aram|ando|ava|ando-se)|(?<!jeito\s)(?<!lugar\s)(?<!momento\s)(?<!forma\s)(?<!maneira\s)(?<!modo\s)(?<!hora\s)nenhuma?|"
    # "nem" after a verb of letting intensifies, also with a spoken subject: "não deixa eu nem levantar"
    r"(?<!que\s)(?<!deixa\s)(?<!deixava\s)(?<!deixou\s)(?<!deixa eu\s)(?<!deixa ele\s)(?<!deixa ela\s)"
    r"(?<!deixava eu\s)(?<!deixou eu\s)nem|ni|ausencia|ausente|ausentes|"
    r"inexistencia|livre de|livres de|isento de|isenta de|nada de|"
    # Spanish "sin" as "sem" ("sin fiebre ni nada de ahogo"), but "sin aire" is the symptom
    r"sin(?!\s+(?:parar|aire)\b)|"
    r"sem" + _SEM_NOT_NEGATION + r")"
    r"|(?P<ruleout>descart\w*|afast(?:a|ado|ada|ados|adas|ou|ar|ando)|exclui(?:-se|do|da|dos|das|r)?|"
    r"negativ[oa]s? (?:para|de)|pesquisa negativa (?:para|de))"
    r"|(?P<cond>caso|em caso de|na presenca de|diante de|"
    # "se ele tiver", and a named subject: "se meu menino tiver febre", "se a vó sentir falta de ar"
    r"se (?:eu |ele |ela |voce |a gente |"
    r"(?:(?:o|a) )?(?:o|a|os|as|meu|minha|meus|minhas|seu|sua|nosso|nossa) [a-z]+ )?"
    r"(?:tiver|tiverem|houver|apresentar\w*|sentir\w*|"
    r"ocorrer\w*|surgir\w*|aparecer\w*|persistir\w*|piorar\w*|voltar\w*|notar|perceber|evoluir|iniciar|"
    r"comecar|estiver|estiverem|continuar|for|forem|vier|vierem|der|derem|ficar|ficarem)|"
    # spoken, with the final r dropped: "si ele tive febri", "se a minina senti farta de ar"
    r"s[ei] (?:ele|ela|voce|(?:o|a|meu|minha|seu|sua) [a-z]+) (?:tive|senti|fica|piora|vorta|volta)|"
    r"se acontecer de (?:eu |ele |ela |voce )?(?:sentir|ter|ficar)|"
    r"sinais (?:e sintomas )?de (?:alarme|alerta|gravidade|perigo)|sintomas de (?:alarme|alerta)|"
    r"orientad[oa]s?\s+(?:a|sobre|quanto|para|em\s+relacao|acerca)|orienta(?:cao|coes|do|da)\s+(?:sobre|de|quanto|para)|"
    r"orientacoes(?:\s+de\s+alta)?:|risco de|"
    # the feared event, also told as a cleft or of someone ("tenho medo é dela desmaiar", "receio de a
    # mãe desmaiar", "medo que ela convulsione", "medo do meu pai ter um infarto"): what is feared has
    # not happened ("medo da dor" may be of a pain felt now: a person and a verb of getting it, or no cue)
    r"(?:medo|receio|pavor|panico|terror)(?: e)? (?:de|del[ae]s?|que|"
    r"d[oa] (?:(?:meu|minha|seu|sua|nosso|nossa) )?[a-z]+ (?:ter|ficar|sentir|dar|pegar|sofrer|passar mal))|"
    r"profilaxia|prevencao|prevenir|"
    r"evitar|para investigar|investigar|investigacao de|pesquisar|rastrear|rastreio de|"
    # a test of whether it is there: "vou fazer o teste de esforço pra ver se tenho dor no peito"
    r"(?:(?<=pra\s)|(?<=para\s))ver\s+se\s+(?:eu\s+|ele\s+|ela\s+)?(?:tenho|tem|teria|tinha|to\s+com|tou\s+com|"
    r"estou\s+com|ta\s+com|esta\s+com)|"
    r"procurar (?:o |a )?(?:ps|pronto|upa|emergencia|atendimento|hospital)\w*|"
    # follow-up of a known finding ("controle de pneumotórax"): the current state is stated elsewhere
    r"(?:controle|seguimento|reavaliacao)\s+(?:radiologico\s+|evolutivo\s+|tomografico\s+)?(?:de|do|da))"
    r"|(?P<hist>historico(?: familiar| pessoal)? de|historia (?:previa|pregressa|familiar) de|"
    r"antecedentes?(?: pessoa(?:l|is)| familia(?:r|res))? de|hpp|passado de|"
    r"(?:status\s+)?pos[\s-]+(?:operatorio|drenagem|tratamento|cirurgico|op|procedimento)\s+(?:de|do|da))"
    r")\b"
)

_STEMS = (
    r"(?:nao|nunca|jamais|no(?=\s+[tsh])|nu[mn]|neg|nenhum|nem|ni|ausen|inexist|livre|isent|nada|sin|sem|"
    r"descart|afast|exclui|pesquisa|caso|presenca|diante|s[ei](?=\s)|sinais|sintomas|orienta|medo|receio|pavor|panico|terror|risco|"
    r"profilaxia|preven|evitar|investiga|rastre|procurar|controle|seguimento|reavaliacao|historic|historia|ver(?=\s+se\b)|"
    r"antecedente|hpp|passado|status|pos)"
)
_STEM = re.compile(r"\b" + _STEMS)
_STEM_AT = re.compile(_STEMS)


def stem_starts(text: str, words: WordStarts | None = None) -> list[int]:
    """The word starts of `text` where a cue may begin (sorted), through the text's word index when
    there is one (the same matches as a scan: `WordStarts.finditer`)."""
    found = _STEM.finditer(text) if words is None else words.finditer(_STEM)
    return [m.start() for m in found]


def may_hold_cue(text: str, starts: list[int], c: int, s: int) -> bool:
    """Whether `CUES.finditer(text[c:s])` may find a match (False: it finds none)."""
    i = bisect_left(starts, c)
    if i < len(starts) and starts[i] < s:
        return True
    return c < s and _STEM_AT.match(text, c, s) is not None
