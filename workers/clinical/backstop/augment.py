"""Neutral asides added to training messages, so that the model learns they change nothing.

Real messages end in errands ("e a receita?", "quando sai o exame?") and open with greetings and
names. Trained on the sets alone, the model had learnt that an errand means "no alert": appending
one to a critical message pushed the alert head under its threshold (bench/clinical_metamorphic.py,
docs/clinical-engine.md "Statistical backstop"). Each training case gets one copy with an aside
chosen from these lists by a hash of its id, with the same label, so training stays deterministic.
The metamorphic bench's own clauses are deliberately not in the lists: it measures whether the
lesson generalises.
"""

from __future__ import annotations

import zlib
from typing import Any

ERRANDS = (
    "e queria ver a receita do remédio de pressão",
    "aproveitando, quando sai o resultado do sangue?",
    "ah e a consulta de terça tá confirmada?",
    "preciso remarcar o retorno tbm",
    "vcs conseguem mandar o pedido do exame por aqui?",
    "outra coisa, o atestado ficou pronto?",
    "e o laudo da ultrassom já chegou?",
    "queria saber o horário da fisioterapia",
    "tem como pegar a segunda via da receita",
    "ah, e a farmácia do posto tá sem o remédio",
    "quero agendar o preventivo também",
    "me passa o telefone da marcação por favor",
    "obrigado pela atenção de sempre, deus abençoe",
    "desculpa o horário viu",
    "pode responder quando der",
    "e a vacina da gripe já chegou aí?",
    "qual documento eu levo na consulta?",
    "o convênio pediu o relatório médico",
)
GREETINGS = (
    "bom dia, tudo bem?",
    "oi boa noite",
    "boa tarde enfermeira, aqui é a Sônia",
    "olá, sou eu de novo",
    "oi doutor, desculpa incomodar",
    "a paz, aqui é o filho da dona Lurdes",
)


def with_aside(case: dict[str, Any]) -> dict[str, Any] | None:
    """A copy of a consulta or agent-message case with an errand appended or a greeting prepended."""
    payload = dict(case["payload"])
    field = "queixa" if "queixa" in payload else "message" if "message" in payload else None
    if field is None or not isinstance(payload[field], str):
        return None
    pick = zlib.crc32(str(case.get("id", "")).encode())
    text = payload[field].rstrip()
    if pick % 3:
        errand = ERRANDS[pick % len(ERRANDS)]
        payload[field] = f"{text}{'' if text.endswith(('.', '?', '!')) else ','} {errand}"
    else:
        payload[field] = f"{GREETINGS[pick % len(GREETINGS)]} {text}"
    return {**case, "id": f"{case.get('id')}+aside", "payload": payload}
