"""Whether a change to the clinical engine keeps every result: the full analysis (findings,
severities, discarded mentions with their assertions, the text as read) of the working tree and
of a baseline revision, compared case by case.

    python bench/clinical_equivalence.py [--baseline main] [--messages 500]

Cases: every labelled file (`tests/workers/clinical/data/*.jsonl` and, when present, the shared
dev sets), each routed as `workers.clinical.evaluate` routes it, plus the messages
`bench/clinical_rules.py` generates (every row's mix). Each engine runs in a fresh process; the
script prints the number of results compared and every difference, and exits 1 when there is one.
A speed change must print zero differences.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path("/work/shared/data")


def case_files() -> list[Path]:
    files = sorted((ROOT / "tests" / "workers" / "clinical" / "data").glob("*.jsonl"))
    if SHARED_DATA.is_dir():
        files += sorted(SHARED_DATA.glob("clinical-dev-cases*.jsonl"))
    return files


def _label(path: Path) -> str:
    """The file's path in this repository, or its full path (the shared sets share names)."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def child(n: int) -> dict[str, Any]:
    """Every result of the engine importable from sys.path, keyed by case."""
    from bench.clinical_rules import MIXES, messages
    from shared.catalog import kind
    from workers.clinical import analyze
    from workers.clinical.evaluate import route

    out: dict[str, Any] = {}
    for path in case_files():
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if not line.strip():
                continue
            case = json.loads(line)
            key = f"{_label(path)}:{i}:{case.get('id', '?')}"
            try:
                domain, task_type, payload = route(case["endpoint"], case.get("payload") or {})
                model = kind(domain, task_type).payload_model.model_validate(payload)
                out[key] = analyze(domain, task_type, model).model_dump(mode="json")
            except Exception as exc:  # an error is a result to compare too
                out[key] = f"{type(exc).__name__}: {exc}"
    patient = uuid.UUID(int=1)
    for label, size, share, _target in MIXES:
        for i, text in enumerate(messages(n, size, 7, share)):
            payload = {"paciente_id": str(patient), "queixa": text}
            out[f"bench {label}:{i}"] = analyze("clinico", "consulta", payload).model_dump(mode="json")
    return out


def run_child(code_root: Path, n: int) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", str(code_root), "--messages", str(n)]
    proc = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="main", help="git revision compared with the working tree")
    parser.add_argument("--messages", type=int, default=500, help="generated messages per bench row")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        # The engine under test first, then this checkout for `bench` itself.
        sys.path[:0] = [args.child, str(ROOT)]
        print(json.dumps(child(args.messages), sort_keys=True))
        return 0

    sys.path.insert(0, str(ROOT))
    from bench.clinical_rules import export_baseline

    base_root, base_sha = export_baseline(args.baseline)
    before = run_child(base_root, args.messages)
    after = run_child(ROOT, args.messages)
    differ = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    for key in differ:
        print(f"DIFF {key}\n  before: {json.dumps(before.get(key))}\n  after:  {json.dumps(after.get(key))}")
    files = ", ".join(_label(p) for p in case_files())
    print(
        f"{len(after):,} results compared ({files}; {args.messages} generated messages per bench row), "
        f"baseline {args.baseline} ({base_sha}) vs working tree: {len(differ)} differences"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
