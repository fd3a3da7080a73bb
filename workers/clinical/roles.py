"""Someone named near a mention who is not its experiencer: the helper who took the reading, and the
programme the writer (or the patient) was watching when it began.

"a vizinha mediu no aparelhinho e deu 42 a glicose": the neighbour held the meter; the reading is the
writer's unless it is said to be hers ("mediu a dela"). "Ele tava vendo o jornal e de repente a boca
puxou": the news is what he was doing, not a story told from it ("vi no jornal que ...").
"""

from __future__ import annotations

import re

# Codes of readings taken with a device, where a person named before is often only the operator.
READINGS = frozenset(
    {"temperatura", "glicemia_mg_dl", "spo2_pct", "pressao_sistolica", "pressao", "frequencia_cardiaca_bpm"}
)
_MEASURED = re.compile(
    r"\b(?:mediu|mediram|medindo|aferiu|aferiram|checou|verificou|testou|furou|furaram|"
    r"botou\s+o\s+(?:aparelh\w*|termometro|oximetro))\b"
)
# ... unless the reading is said to be the helper's own: "mediu a dela", "a glicose dele deu 300"
_THEIRS = re.compile(r"\b(?:dela|dele|delas|deles|nela|nele|nelas|neles|propri[oa])\b")


def measured_by_helper(text: str, sentence_start: int, start: int, end: int) -> bool:
    """A measuring verb stands between the sentence's start and the reading, with no "dela"/"dele"."""
    if not _MEASURED.search(text, sentence_start, start):
        return False
    return not _THEIRS.search(text, sentence_start, end)


# "tava vendo a novela", "assistindo o jornal": a progressive verb and the programme as its object is
# the scene, never the source of the story ("vi no jornal", "passou na novela").
_WATCHING = re.compile(
    r"\b(?:vendo|assistindo|assistia|olhando|ouvindo|escutando)\s+(?:(?:o|a|os|as|um|uma|aquel[ea])\s+)?$"
)


def watching_scene(text: str, media_start: int) -> bool:
    """The media word at media_start is the object of an ongoing "watching" verb."""
    return bool(_WATCHING.search(text, max(0, media_start - 30), media_start))
