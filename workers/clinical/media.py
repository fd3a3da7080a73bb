"""Stories from the media: a soap-opera character's or a footballer's symptoms are not the writer's
(docs/clinical-engine.md, "Assertion of every mention", `outra_pessoa`)."""

from __future__ import annotations

import re

from .prefilter import may_match
from .roles import watching_scene

# A soap-opera character, a footballer on the news, a video: their symptoms are not the writer's.
_MEDIA = re.compile(
    r"\b(?:novela|novelas|jornal|telejornal|reportagem|noticia|noticias|filme|serie|seriado|documentario|"
    r"youtube|tiktok|instagram|podcast|personagem|ator|atriz|jogador|jogadora|cantor|cantora|famos[oa]|"
    r"apresentador\w*|influencer|blogueir[oa])\b"
)
# (never that the writer is fine: "o mocinho teve um infarto ... mas eu tô bem")
_FIRST_PERSON_CLAIM = re.compile(
    r"\b(?:eu\s+(?:tive|tenho|(?:to|estou|tou)(?!\s+(?:bem|otim[oa]|normal|tranquil[oa]|joia|de\s+boa)\b)|senti|sinto|fiquei)|(?:to|estou|tou|fiquei)\s+com|me\s+deu|"
    r"tive|senti|sinto|tenho|desmaiei|apaguei|comigo|em\s+mim)\b"
)


def media_report(text: str, sentence_start: int, start: int, sentence_end: int) -> bool:
    """The sentence tells a story from the media before the mention, with no claim of the writer's own."""
    if not may_match(_MEDIA, text[sentence_start:start]):
        return False  # its words first, by `str.__contains__`: every mention asks
    # "tava vendo o jornal e de repente ...": the programme watched is the scene, not the story
    if all(watching_scene(text, m.start()) for m in _MEDIA.finditer(text, sentence_start, start)):
        return False
    return not _FIRST_PERSON_CLAIM.search(text, sentence_start, sentence_end)
