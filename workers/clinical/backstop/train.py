"""Train the statistical backstop on the labelled sets and write its weights (dev only: needs
scikit-learn from requirements.dev.txt).

    python -m workers.clinical.backstop.train [--exclude blind-s8g,blind-s8h]
        [--critical-threshold 0.8] [--alert-threshold 0.05] [--out workers/clinical/data/backstop.npz]
        [--data DIR] [--report-only]

Every consulta and agent-message case of tests/workers/clinical/data/*.jsonl is read as the worker
reads it (`clinico.backstop_reading`, `mensagem.backstop_reading`), once as written and once with a
neutral aside (`augment.py`). Two heads share the features: one
learns "expects CRITICAL", the other "expects any alert". Prints, out of fold by set (a set is never
split between training and scoring), what each head would do at several thresholds. Held-back sets
must be excluded here until they have been scored at first sight (docs/clinical-engine.md,
"Statistical backstop"). Deterministic: the same data gives the same weights.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from shared.catalog import kind
from shared.messages import AgentMessagePayload, ConsultaPayload

from .. import clinico, mensagem
from ..evaluate import load, route
from .augment import with_aside
from .features import CHAR_BITS, WORD_BITS, hashed

DATA = Path(__file__).resolve().parents[3] / "tests" / "workers" / "clinical" / "data"
OUT = Path(__file__).resolve().parent.parent / "data" / "backstop.npz"
MIN_DF = 2
C = 4.0


def text_of(case: dict[str, Any]) -> str | None:
    domain, task_type, payload = route(case["endpoint"], case["payload"])
    model = kind(domain, task_type).payload_model.model_validate(payload)
    if isinstance(model, AgentMessagePayload):
        return mensagem.backstop_reading(model).text()
    if isinstance(model, ConsultaPayload):
        return clinico.backstop_reading(model).text()
    return None


def cases(data: Path, exclude: set[str]) -> tuple[list[str], np.ndarray, np.ndarray, list[str], str]:
    texts, critical, alert, groups = [], [], [], []
    digest = hashlib.sha256()
    for path in sorted(data.glob("*.jsonl")):
        if path.stem in exclude:
            continue
        digest.update(path.read_bytes())
        for original in load(path):
            for case in (original, with_aside(original)):
                text = None if case is None else text_of(case)
                if case is None or text is None:
                    continue
                texts.append(text)
                critical.append(case["expect"].get("severity") == "CRITICAL")
                alert.append(bool(case["expect"].get("alert")))
                groups.append(path.stem)
    return texts, np.array(critical), np.array(alert), groups, digest.hexdigest()[:12]


def counts(texts: list[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    rows = [hashed(t) for t in texts]

    def block(ids: list[np.ndarray], values: list[np.ndarray], bits: int) -> sparse.csr_matrix:
        indptr = np.cumsum([0] + [len(i) for i in ids])
        return sparse.csr_matrix(
            (np.concatenate(values), np.concatenate(ids), indptr), shape=(len(ids), 1 << bits)
        )

    return (
        block([r.char_ids for r in rows], [r.char_counts for r in rows], CHAR_BITS),
        block([r.word_ids for r in rows], [r.word_counts for r in rows], WORD_BITS),
    )


def idf_of(m: sparse.csr_matrix) -> np.ndarray:
    df = np.bincount(m.indices, minlength=m.shape[1])
    idf = np.log((1.0 + m.shape[0]) / (1.0 + df)) + 1.0
    idf[df < MIN_DF] = 0.0
    return idf.astype(np.float32)


def tfidf(m: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    out = m.copy().astype(np.float64)
    out.data = 1.0 + np.log(out.data)
    out = out.multiply(idf.reshape(1, -1)).tocsr()
    norms = np.sqrt(np.asarray(out.multiply(out).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ out


def fit(
    char: sparse.csr_matrix, word: sparse.csr_matrix, y: np.ndarray, c: float
) -> tuple[Any, np.ndarray, np.ndarray]:
    char_idf, word_idf = idf_of(char), idf_of(word)
    x = sparse.hstack([tfidf(char, char_idf), tfidf(word, word_idf)]).tocsr()
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)
    return model, char_idf, word_idf


def predict(model: Any, char_idf: np.ndarray, word_idf: np.ndarray, char: Any, word: Any) -> np.ndarray:
    x = sparse.hstack([tfidf(char, char_idf), tfidf(word, word_idf)]).tocsr()
    return np.asarray(model.predict_proba(x)[:, 1])


def out_of_fold(char: Any, word: Any, y: np.ndarray, groups: list[str], c: float) -> np.ndarray:
    oof = np.zeros(len(y))
    for train, test in GroupKFold(min(5, len(set(groups)))).split(char, y, groups):
        model, char_idf, word_idf = fit(char[train], word[train], y[train], c)
        oof[test] = predict(model, char_idf, word_idf, char[test], word[test])
    return oof


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA, help="folder of labelled *.jsonl sets")
    ap.add_argument("--exclude", default="", help="comma-separated set names (file stems) to leave out")
    ap.add_argument("--critical-threshold", type=float, default=0.8)
    ap.add_argument("--alert-threshold", type=float, default=0.05)
    ap.add_argument("--c", type=float, default=C)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--report-only", action="store_true", help="print the out-of-fold tables, write nothing")
    args = ap.parse_args(argv)
    exclude = {s.strip() for s in args.exclude.split(",") if s.strip()}
    texts, critical, alert, groups, digest = cases(args.data, exclude)
    char, word = counts(texts)
    print(f"{len(texts)} cases from {len(set(groups))} sets, {int(critical.sum())} CRITICAL; data {digest}")
    oof = out_of_fold(char, word, critical, groups, args.c)
    for t in (0.6, 0.7, 0.75, 0.8, 0.85, 0.9):
        hit = oof >= t
        print(
            f"critical head at {t:.2f}: out of fold, CRITICAL caught {int((hit & critical).sum())}/"
            f"{int(critical.sum())}, others raised {int((hit & ~critical).sum())}/{int((~critical).sum())}"
        )
    oof = out_of_fold(char, word, alert, groups, args.c)
    for t in (0.02, 0.05, 0.1, 0.2):
        low = oof < t
        print(
            f"alert head under {t:.2f}: out of fold, silent cases found {int((low & ~alert).sum())}/"
            f"{int((~alert).sum())}, alerting cases under it {int((low & alert).sum())}/{int(alert.sum())}"
        )
    if args.report_only:
        return 0
    heads: dict[str, Any] = {}
    for name, y, threshold in (
        ("critical", critical, args.critical_threshold),
        ("alert", alert, args.alert_threshold),
    ):
        model, char_idf, word_idf = fit(char, word, y, args.c)
        coef = model.coef_.ravel().astype(np.float32)
        split = 1 << CHAR_BITS
        heads |= {
            f"{name}_char_coef": np.where(char_idf > 0, coef[:split], 0).astype(np.float16),
            f"{name}_word_coef": np.where(word_idf > 0, coef[split:], 0).astype(np.float16),
            f"{name}_intercept": np.float64(model.intercept_[0]),
            f"{name}_threshold": np.float64(threshold),
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out,
        char_idf=char_idf.astype(np.float16),
        word_idf=word_idf.astype(np.float16),
        version=np.str_(f"{digest}-C{args.c:g}"),
        **heads,
    )
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
