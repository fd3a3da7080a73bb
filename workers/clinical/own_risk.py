"""The writer worried for their own risk after a relative's episode (docs/clinical-engine.md, "### spec8"):
"meu cunhado teve um infarto ontem, tô preocupado, eu também tenho pressão", "se eu fosse desmaiar,
teria sinais antes? fico com medo porque minha prima desmaiou ontem", "minha tia teve AVC, será que eu
posso ter também?". The relative's episode is what frightens the writer, who is the patient: it belongs
to the relative (`experiencer.Experiencer.self_focus`).

Both halves are needed, in any order: a worry ("preocupado", "com medo", "assustada") and the writer's
own risk ("eu também tenho/fumo", "será que eu", "se eu fosse/tiver ...", "passa pro bebê", "posso ter
isso"). A worry alone is what a caregiver says of the patient ("tô preocupada, minha mãe desmaiou
agora"), and it keeps counting.
"""

from __future__ import annotations

import re

_WORRY = re.compile(
    r"\b(?:preocupad[oa]|com\s+medo|assustad[oa]|apreensiv[oa]|encucad[oa]|cabreir[oa]|receios[oa])\b"
)
_OWN_RISK = re.compile(
    r"\b(?:eu\s+(?:tb|tambem)\s+(?:tenho|fumo|sou|bebo|tive|posso|to|estou)|sera\s+que\s+eu|"
    r"se\s+eu\s+(?:\w+\s+)?(?:fosse|for|tiver|tivesse|ficar|ficasse)|"
    r"(?:posso|possa|poderia)\s+ter\s+(?:isso|o\s+mesmo|tambem)|(?:passa|pega)\s+pr[oa]\s+(?:mim|bebe|nenem)|"
    r"(?:meu|o\s+meu)\s+risco|(?:tenho|corro)\s+(?:mais\s+)?risco|hereditari[oa]|genetic[oa])\b"
)


def worried_for_self(text: str) -> bool:
    """The message holds both a worry and the writer's own risk."""
    return bool(_WORRY.search(text)) and bool(_OWN_RISK.search(text))
