"""A complaint that already went away, and a medicine's purpose ("remédio para febre").

In a complaint, a HIGH symptom that already went away ("tive febre ontem, mas já passou") is not
reported as current. CRITICAL symptoms are not dropped here on purpose: whether a critical
episode is over is `assertion.episode_over`'s stricter call (docs/clinical-engine.md).
"""

from __future__ import annotations

import re

from .negation import clause_start
from .routine import masked
from .subject import another_complaint, foreign_subject

_RESOLVED_QUEIXA = re.compile(
    r"\b(?<!nao\s)(?<!nem\s)(?<!num\s)(?<!nunca\s)(?:ja\\s+)?(?:passou|(?<!que\s)(?<!me\s)passaram|melhorou|melhoraram|sarou|curou|(?<!metro\s)(?<!relho\s)(?<!medio\s)(?<!ceita\s)sumiu|sumiram|resolveu|cedeu|baixou|"
    r"abaixou|normalizou|foi\s+embora|nao\s+(?:tenho|tive|teve|tem|sinto|senti)\s+mais|"
    r"(?:agora|ja|hoje)\s+(?:estou|to|tou|esta|ta|me\s+sinto)\s+bem|"
    r"(?:hoje|agora)\s+(?:\w+\s+)?(?:acordou|acordei|amanheceu|amanheci|esta|ta|to|estou)\s+sem\s+(?:nada|febre)|"
    # spoken past tense: "já passo", "já baxo", "já miorô"
    r"ja\s+(?:passo|baxo|baixo|paro|melhoro|mioro|miorou))\b"
)
_STILL = re.compile(
    r"\b(?:"
    # not fine, or only partly better: "hoje não tô bem", "não tô respirando bem", "passou um pouco"
    r"(?:nao|nem)\s+(?:\w+\s+)?(?:to|estou|tou|ta|esta|fiquei|me\s+sinto|sinto|acordei|respiro|respirando)\s+"
    r"(?:\w+\s+)?(?:bem|normal|otim\w*|direito|melhor)|"
    r"(?:passou|melhorou|aliviou|diminuiu|cedeu|baixou)\s+(?:so\s+)?(?:um\s+)?(?:pouco|pouquinho|tiquinho)|"
    # the remedy that did not work: "nem o paracetamol resolveu", "nem com dipirona passou"
    r"nem\s+(?:o|a|os|as|com|tomando)\s+(?:\w+\s+){0,2}?(?:resolveu|resolve|adiantou|adianta|aliviou|alivia|"
    r"funcionou|passou|melhorou|cortou)"
    r")\b|"
    r"\b(?:voltou|voltaram|de\s+novo|novamente|persiste|mas\s+volta|"
    # "continua tomando o antibiótico" is the treatment; "ontem ainda tinha febre" is the past
    r"continu[ao](?!\s+(?:tomando|usando|fazendo|com\s+o\s+(?:remedio|antibiotico)))|ainda(?!\s+(?:tinha|tava|estava|sentia)))\b"
)
# A turn to the present between an ending told first and the complaint after it: "a dor no peito
# passou depois do remédio, agora é só a diarreia" ends the pain, not the diarrhoea told after "agora".
_TURN_TO_NOW = re.compile(r"\b(?:agora|mas|so\s+que|porem|atualmente|o\s+que\s+(?:tem|ficou|sobrou)\s+e)\b")
# "remédio para febre", "dipirona pra dor": the purpose of a medicine, not a complaint.
_MEDICATION_PURPOSE = re.compile(
    r"\b(?:remedio|remedios|medicamento|medicacao|antitermico|dipirona|paracetamol|novalgina|tylenol|"
    r"ibuprofeno|xarope|comprimido|gotas)\s+(?:[a-z]+\s+){0,2}?(?:para|pra|contra|de|da|do)(?:\s+a|\s+o)?\s*$"
)


def resolved_complaint(text: str, start: int, end: int, codigo: str = "") -> bool:
    s_start = clause_start(text, start, sentence=True)
    # Resolution may sit after "mas" ("tive febre, mas já passou"), so read to the end of the sentence.
    m = re.compile(r"[;!?\n]|(?<!\d)\.|\.(?!\d)").search(text, end)
    sentence = masked(text[s_start : m.start() if m else len(text)])
    # "a falta de ar passou, mas tô com febre": the verb ends another named complaint (held-spec)
    at = start - s_start
    own = (
        m
        for m in _RESOLVED_QUEIXA.finditer(sentence)
        if not foreign_subject(sentence, m.start())
        and not another_complaint(sentence, m.start(), codigo)
        and not (m.end() <= at and _TURN_TO_NOW.search(sentence, m.end(), at))
    )
    return next(own, None) is not None and not _STILL.search(sentence)


def medication_purpose(text: str, start: int) -> bool:
    return bool(_MEDICATION_PURPOSE.search(text, max(0, start - 60), start))
