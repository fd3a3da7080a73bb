"""Stories from the media: a soap-opera character's or a footballer's symptoms are not the writer's
(docs/clinical-engine.md, "Assertion of every mention", `outra_pessoa`)."""

from __future__ import annotations

import re

from .indexed import search_in
from .roles import watching_scene

# A soap-opera character, a footballer on the news, a video: their symptoms are not the writer's.
_MEDIA = re.compile(
    r"\b(?:novela|novelas|jornal|telejornal|reportagem|noticia|noticias|filme|serie|seriado|documentario|"
    r"youtube|tiktok|instagram|podcast|personagem|ator|atriz|jogador|jogadora|cantor|cantora|famos[oa]|"
    r"apresentador\w*|influencer|blogueir[oa]|globo\s+report\w*|fantastico|"
    # a programme on TV or the radio, never a programme of exercise ("programa de caminhada")
    r"programa\s+(?:de\s+(?:tv|televisao|radio|saude)|sobre|da\s+(?:globo|record|tv|band))|"
    # who tells the news (s7-spec-when): "o repórter falou que no calor tá dando muito infarto em idoso"
    # ("radio" only after an article: "radio e quimio" is radiotherapy)
    r"reporter|jornalista|locutor\w*|radialista|(?<=\bo\s)radio|(?<=\bno\s)radio|televisao|tv)\b"
)
# (never that the writer is fine: "o mocinho teve um infarto ... mas eu tô bem")
# (nor that the story moved the writer: "aí eu fiquei curiosa quanto tempo demora", "fiquei com medo")
_MOVED = (
    r"(?!\s+(?:curios[oa]|preocupad[oa]|assustad[oa]|impressionad[oa]|emocionad[oa]|chocad[oa]|intrigad[oa]|"
    r"encucad[oa]|pensando|triste|na\s+duvida|com\s+(?:medo|pena|do|duvida|receio|isso\s+na\s+cabeca))\b)"
)
_FIRST_PERSON_CLAIM = re.compile(
    r"\b(?:eu\s+(?:tive|tenho|(?:to|estou|tou)(?!\s+(?:bem|boa|bom|otim[oa]|normal|tranquil[oa]|joia|de\s+boa)\b)|senti|sinto|"
    r"fiquei" + _MOVED + r")|(?:to|estou|tou|fiquei)" + _MOVED + r"\s+com|me\s+deu|"
    r"tive|senti|sinto|tenho|desmaiei|apaguei|comigo|em\s+mim|"
    # a reading the writer took is the writer's, after any story: "a novela foi boa ... aí medi o açúcar
    # e deu 487" (s7-recall-context)
    r"medi|aferi|medimos|aferimos|"
    # the writer's own body told changing: "o repórter falou de AVC e minha boca ficou torta agora"
    r"(?:meu|minha|meus|minhas)\s+[a-z]+\s+(?:ficou|ficaram|ta|esta|tao|estao|comecou|[a-z]{3,}(?:ou|iu|eu)))\b"
)


def media_report(text: str, sentence_start: int, start: int, sentence_end: int) -> bool:
    """The sentence tells a story from the media before the mention, with no claim of the writer's own."""
    if search_in(_MEDIA, text, sentence_start, start) is None:
        return False  # no story before it (tried where the word index has its words): every mention asks
    # "tava vendo o jornal e de repente ...": the programme watched is the scene, not the story
    if all(watching_scene(text, m.start()) for m in _MEDIA.finditer(text, sentence_start, start)):
        return False
    return not _FIRST_PERSON_CLAIM.search(text, sentence_start, sentence_end)
