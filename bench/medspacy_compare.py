"""medspaCy's ConText with Portuguese rules against our own assertion layer, on the same cases.

    python -m venv /tmp/medvenv && /tmp/medvenv/bin/pip install medspacy==1.3.1
    /tmp/medvenv/bin/python bench/medspacy_compare.py

Not part of the product (medspaCy is not a dependency): it records why `workers/clinical` keeps
its own ConText-style rules. The pipeline is spaCy's blank `pt` tokenizer (no model download), a
TargetMatcher with the critical symptom phrases written the way patients write them, and
medspaCy's ConText with Portuguese triggers for each assertion of docs/clinical-analysis.md
(negation, historical,
hypothetical, family/other experiencer). A consulta alerts when a target survives ConText
(not negated, historical, hypothetical or family). Prints recall/specificity on the consulta cases
of the labelled files and the latency on 2,000-character messages.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import medspacy
import spacy
from medspacy.context import ConText, ConTextRule
from medspacy.target_matcher import TargetRule

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "workers" / "clinical" / "data"

TARGETS = [
    "falta de ar",
    "dispneia",
    "sem ar",
    "dificuldade para respirar",
    "não consigo respirar",
    "dor no peito",
    "aperto no peito",
    "dor torácica",
    "pressão no peito",
    "peso no peito",
    "sangramento",
    "sangrando",
    "vomitei sangue",
    "tossindo sangue",
    "fezes pretas",
    "convulsão",
    "convulsionou",
    "desmaiei",
    "desmaiou",
    "desmaio",
    "apaguei",
    "confuso",
    "confusa",
    "desorientado",
    "boca torta",
    "fala enrolada",
    "avc",
    "derrame",
    "garganta fechando",
    "me matar",
    "suicídio",
    "febre",
]
CONTEXT = [
    ("nega", "NEGATED_EXISTENCE", "FORWARD"),
    ("negou", "NEGATED_EXISTENCE", "FORWARD"),
    ("sem", "NEGATED_EXISTENCE", "FORWARD"),
    ("não", "NEGATED_EXISTENCE", "FORWARD"),
    ("nao", "NEGATED_EXISTENCE", "FORWARD"),
    ("nenhum", "NEGATED_EXISTENCE", "FORWARD"),
    ("nem", "NEGATED_EXISTENCE", "FORWARD"),
    ("ausência de", "NEGATED_EXISTENCE", "FORWARD"),
    ("afastado", "NEGATED_EXISTENCE", "BACKWARD"),
    ("descartado", "NEGATED_EXISTENCE", "BACKWARD"),
    ("histórico de", "HISTORICAL", "FORWARD"),
    ("em 2019", "HISTORICAL", "BIDIRECTIONAL"),
    ("ano passado", "HISTORICAL", "BIDIRECTIONAL"),
    ("semana passada", "HISTORICAL", "BIDIRECTIONAL"),
    ("já passou", "HISTORICAL", "BACKWARD"),
    ("passou", "HISTORICAL", "BACKWARD"),
    ("se", "HYPOTHETICAL", "FORWARD"),
    ("caso", "HYPOTHETICAL", "FORWARD"),
    ("retornar se", "HYPOTHETICAL", "FORWARD"),
    ("medo de", "HYPOTHETICAL", "FORWARD"),
    ("minha mãe", "FAMILY", "FORWARD"),
    ("meu pai", "FAMILY", "FORWARD"),
    ("vizinho", "FAMILY", "FORWARD"),
    ("vizinha", "FAMILY", "FORWARD"),
    ("minha irmã", "FAMILY", "FORWARD"),
    ("mas", "TERMINATE", "TERMINATE"),
    ("porém", "TERMINATE", "TERMINATE"),
]


def build() -> spacy.Language:
    try:  # PyRuSH logs every token at DEBUG through loguru, which would dominate the timing
        from loguru import logger

        logger.remove()
    except ImportError:
        pass
    nlp = medspacy.load(spacy.blank("pt"), medspacy_enable=["medspacy_pyrush", "medspacy_target_matcher"])
    matcher = nlp.get_pipe("medspacy_target_matcher")
    matcher.add([TargetRule(t, "SINTOMA") for t in TARGETS])
    context = nlp.add_pipe("medspacy_context", config={"rules": None})
    assert isinstance(context, ConText)
    context.add([ConTextRule(lit, cat, direction=d) for lit, cat, d in CONTEXT])
    return nlp


def alerts(nlp: spacy.Language, text: str) -> bool:
    doc = nlp(text)
    return any(
        not (e._.is_negated or e._.is_historical or e._.is_hypothetical or e._.is_family) for e in doc.ents
    )


def main() -> int:
    nlp = build()
    cases = []
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                c = json.loads(line)
                plain = not c["payload"].get("sinais_vitais")
                if c["endpoint"].startswith("/api/clinico/consulta") and plain:
                    cases.append(c)
    tp = fn = tn = fp = 0
    for c in cases:
        got = alerts(nlp, c["payload"]["queixa"])
        exp = c["expect"]["alert"]
        tp += got and exp
        fn += exp and not got
        tn += not exp and not got
        fp += got and not exp
    texts = [
        " ".join(c["payload"]["queixa"] for c in cases[i : i + 30])[:2000] for i in range(0, len(cases), 3)
    ]
    for t in texts[:20]:
        nlp(t)
    times = []
    for t in texts * 5:
        t0 = time.perf_counter()
        alerts(nlp, t)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(f"consulta cases without vital signs: {len(cases)}")
    print(f"medspaCy ConText: recall {tp / (tp + fn):.3f}, specificity {tn / (tn + fp):.3f}")
    print(
        f"latency per 2,000-character message: p50 {statistics.median(times):.2f} ms, "
        f"p99 {times[int(len(times) * 0.99) - 1]:.2f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
