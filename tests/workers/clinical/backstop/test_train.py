"""Training is reproducible: the same labelled sets give the same weights, which load and score."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

from workers.clinical.backstop import model

REPO = Path(__file__).resolve().parents[4]
DATA = REPO / "tests" / "workers" / "clinical" / "data"


def train(data: Path, out: Path) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "workers.clinical.backstop.train", "--data", str(data), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return proc.stdout


def test_the_same_sets_train_the_same_weights_which_load_and_score(tmp_path: Path) -> None:
    data = tmp_path / "sets"
    data.mkdir()
    for name in ("clinical-dev-cases-v3.jsonl", "blind-s8a.jsonl", "blind-s8b.jsonl"):
        shutil.copy(DATA / name, data / name)
    report = train(data, tmp_path / "a.npz")
    train(data, tmp_path / "b.npz")
    assert "cases from 3 sets" in report
    assert "critical head at 0.80: out of fold" in report
    with np.load(tmp_path / "a.npz") as a, np.load(tmp_path / "b.npz") as b:
        assert set(a.files) == set(b.files)
        for name in a.files:
            assert np.array_equal(a[name], b[name]), name
    weights = model.weights.__wrapped__(tmp_path / "a.npz")
    urgent = model.score("tô com uma dor no peito que vai pro braço esquerdo e suando frio agora", weights)
    calm = model.score("queria remarcar a consulta de terça pra quinta se tiver vaga, obrigada", weights)
    assert urgent is not None and calm is not None
    assert urgent.critical > calm.critical
