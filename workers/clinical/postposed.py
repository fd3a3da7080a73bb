"""What the writer says right after a mention that takes it back (docs/clinical-engine.md, "Fourth
session", "Opening sets' false alarms (branch clin4-spec)"), for `negation.suppression`:

- the complaint that did not come back: "a febre não voltou", "a febri num vortô mais", "a tontura
  não retornou mais desde
  sábado" (never "não voltou a baixar", "não voltou ao normal": what did not come back is
  the normal state);
- a denial put last: "pensar em me matar nunca", "febre eu ter nunca", "me matar nunca passou pela
  cabeça", "febre nenhuma tá comendo bem";
- a rebuke of faith, with nobody having it: "desmaio tá repreendido", "AVC tá amarrado em nome de
  Jesus". A claim before it ("tô pensando em me matar, tá repreendido") or one that it goes on after
  it ("eu repreendo mas volta") keeps the finding.
"""

from __future__ import annotations

import re

# "não voltou", "não voltou mais", "nunca mais voltou", "não retornou": closed by the clause's end,
# "e", "desde", "depois", "graças" (never by "a"/"ao": "não voltou a baixar", "não voltou ao normal").
_NOT_BACK = re.compile(
    r"\s*(?:(?:nao|num|nunca)\s+(?:mais\s+)?(?:voltou|vorto|vortou|voltaram|retornou|retornaram|reapareceu|reapareceram|"
    r"repetiu|repetiram|(?:apareceu|veio|deu)\s+mais)|nunca\s+mais\s+(?:voltou|apareceu|veio|deu))"
    r"(?:\s+mais)?(?:\s+(?:nao|nada))?"
    r"(?=\s*(?:[.;,!)\n]|$)|\s+(?:e|nem|desde|depois|gracas|graca|gloria|tambem|mais)\b)"
)
# "me matar nunca", "febre eu ter nunca": the last word of the clause.
_NEVER_LAST = re.compile(
    r"\s*(?:(?:eu|ele|ela)\s+)?(?:(?:ter|sentir|fazer)\s+)?nunca(?=\s*(?:[.;,!)\n]|$))|"
    # "me matar nunca passou pela cabeça", "isso nem passa pela minha cabeça"
    r"\s*(?:isso\s+)?(?:nunca|nem|jamais)\s+(?:me\s+)?(?:passou|passa|passaria|passava)\s+pela\s+(?:minha\s+)?cabeca"
)
_REBUKE = re.compile(
    r"[\s,]*(?:(?:isso|isto|esse\s+\w+|essa\s+\w+)\s+)?(?:(?:ta|esta|fica|e)\s+(?:repreendid[oa]|amarrad[oa])|"
    r"(?:eu\s+)?(?:repreendo|amarro)\b|sai\s+pra\s+la|em\s+nome\s+de\s+jesus)"
)
# It goes on anyway: "eu repreendo mas volta", "tá amarrado mas não sai da cabeça".
_GOES_ON = re.compile(
    r"\b(?:mas|porem|so\s+que)\b[^.;!?\n]{0,40}?\b(?:volta|voltou|vem|continua|nao\s+sai|nao\s+passa|ainda|"
    r"insiste|persiste|todo\s+dia|toda\s+hora)\b"
)
# "nenhum(a)" put last, run on into the next clause as voice writes: "febre nenhuma tá comendo bem"
# (never "febre, nenhum remédio baixa", where "nenhum" opens the next noun).
_NONE_RUN_ON = re.compile(
    r"\s+(?:nenhum|nenhuma)\s+(?=(?:ta|to|tou|esta|estou|e|mas|so|porem|nem|tambem|ainda|graca|ele|ela|eu|agora|"
    r"hoje|ja|nao|comendo|brincando|dormindo|mamando)\b)"
)
# A claim of having it in the clause before the mention: "tô pensando em", "penso em", "tenho".
_CLAIM_BEFORE = re.compile(
    r"\b(?:to|tou|estou|ando|tenho|sinto|senti|tive|penso|pensei|pensando|vontade\s+de|quero|queria|"
    r"[a-z]{3,}(?:ei|ando|endo|indo))\b"
)


def denied_after(text: str, clause_start: int, start: int, end: int) -> bool:
    """The words right after text[start:end] take the complaint back."""
    after = text[end : end + 80]
    if _NOT_BACK.match(after) or _NEVER_LAST.match(after) or _NONE_RUN_ON.match(after):
        return True
    if "repreend" not in after and "amarr" not in after and "jesus" not in after and "sai pra" not in after:
        return False  # the common case, without a regex
    return (
        bool(_REBUKE.match(after))
        and not _GOES_ON.search(after)
        and not _CLAIM_BEFORE.search(text, clause_start, start)
    )
