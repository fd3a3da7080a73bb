"""A statistical second reader behind the rules: a linear model over hashed character and word
n-grams, trained on the labelled sets (docs/clinical-engine.md, "Statistical backstop").

It changes a rules result in two ways only, each recorded in `detalhes.modelo_estatistico`:
- escalate: a text the rules left below CRITICAL that the model is confident is CRITICAL gets a
  CRITICAL finding (the missed alert is the costly error);
- set aside: symptom mentions the rules read as present, in a text the model finds very unlikely to
  call for any alert (a joke, a price, a question about someone else), are moved to
  `mencoes_desconsideradas` with `motivo="modelo_estatistico"`. Vital signs, measured temperatures,
  pain scores and every finding with a value are never set aside.
"""

from __future__ import annotations

from .model import Verdict, score, weights
from .review import review

__all__ = ["Verdict", "review", "score", "weights"]
