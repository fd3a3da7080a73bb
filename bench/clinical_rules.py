"""CPU time of the deterministic clinical rules per message, before and after a change, and the
memory a worker's engine (with its Portuguese lexicon) costs.

    python bench/clinical_rules.py [--messages 2000] [--rounds 2] [--baseline main]

Messages are built from the labelled texts (dev sets and paraphrases), joined with everyday
chatter until each has the row's length, so every rule (typos, phonetic spelling, numbers in
words, assertion of each mention, temperatures, pain, vitals) runs on realistic text. Each message
is analysed once through `workers.clinical.analyze` (the worker's own call) after a warm-up pass,
with the garbage collector set as a worker sets it (`shared.collector.quiet_collector`); the figures
are CPU time (`time.thread_time`), because the machine is shared and wall time
measures the neighbours. Targets (issue #16): p99 <= 5 ms for 2,000 characters and <= 2 ms for
300; the lexicon costs <= 150 MB RSS per worker process.

Each round measures the baseline (`--baseline`, a git revision exported with `git archive` into
`bench/.work/`) and the working tree, each in a fresh process, one after the other on the same
messages, so every figure sits beside its peer from the same minute.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "workers" / "clinical" / "data"
CHATTER = [
    "Bom dia, tudo bem? Queria confirmar o horário da consulta de quinta.",
    "Obrigada pelo atendimento de ontem, a enfermeira foi muito atenciosa.",
    "Preciso levar os exames antigos e a carteirinha do convênio?",
    "O estacionamento ainda está em reforma ou já dá para usar?",
    "Minha filha vai me levar, ela sai do trabalho às cinco.",
]
MIXES = (
    ("2,000 chars, typical: 1 sentence in 5 clinical", 2000, 0.2, 5.0),
    ("2,000 chars, dense: every other sentence clinical", 2000, 0.5, 5.0),
    ("300 chars, every other sentence clinical", 300, 0.5, 2.0),
)


def texts() -> list[str]:
    out = []
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            p = json.loads(line)["payload"]
            text = p.get("queixa") or p.get("motivo")
            if text:
                out.append(text)
    return out


def messages(n: int, size: int = 2000, seed: int = 7, clinical_share: float = 0.5) -> list[str]:
    """`n` texts of `size` characters; `clinical_share` of the sentences come from labelled cases."""
    rng = random.Random(seed)
    pool = texts()
    out = []
    for _ in range(n):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < size:
            parts.append(rng.choice(pool) if rng.random() < clinical_share else rng.choice(CHATTER))
        out.append(" ".join(parts)[:size])
    return out


def _rss_mb() -> tuple[float, float]:
    """(current, peak) resident set of this process, from /proc (the peak is this process's own)."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def _collect_as_the_worker_does() -> None:
    """The garbage collector as a worker process runs it: `workers.worker` warms the engine, then
    freezes what start-up built and collects young objects less often (`shared.collector`).
    Without it, a full collection walks the lexicon and the rules tables every few hundred
    messages (about 40 ms each), a cost no worker pays."""
    try:
        from shared.collector import quiet_collector
    except ImportError:  # a baseline from before the collector was tuned
        return
    quiet_collector()


def child(n: int) -> dict[str, object]:
    """Measure the engine importable from sys.path (the working tree or an exported baseline)."""
    from shared.messages import ConsultaPayload
    from workers.clinical import analyze

    rss_engine, _ = _rss_mb()
    c0 = time.process_time()
    lexicon_words = 0
    try:  # the lexicon is loaded on first use; load it here to see what it costs
        from workers.clinical import normalise

        lexicon_words = len(normalise.default().words)
    except ImportError:  # a baseline without the normaliser
        pass
    load_cpu = time.process_time() - c0
    rss_lexicon, _ = _rss_mb()
    rows = []
    for label, size, share, _target in MIXES:
        payloads = [ConsultaPayload(paciente_id=uuid.uuid4(), queixa=m) for m in messages(n, size, 7, share)]
        for p in payloads[:200]:  # warm-up: regex compilation, caches
            analyze("clinico", "consulta", p)
        _collect_as_the_worker_does()
        cpu = []
        alerts = 0
        for p in payloads:
            c = time.thread_time()
            result = analyze("clinico", "consulta", p)
            cpu.append((time.thread_time() - c) * 1000)
            alerts += bool(result.achados)
        cpu.sort()
        rows.append(
            {
                "label": label,
                "alerts": alerts,
                "n": len(payloads),
                "p50": statistics.median(cpu),
                "p99": cpu[int(len(cpu) * 0.99) - 1],
            }
        )
    return {
        "rows": rows,
        "rss_engine": rss_engine,
        "rss_lexicon": rss_lexicon - rss_engine,
        "rss_peak": _rss_mb()[1],
        "lexicon_words": lexicon_words,
        "lexicon_load_cpu_s": load_cpu,
    }


def export_baseline(ref: str) -> tuple[Path, str]:
    sha = subprocess.run(
        ["git", "rev-parse", "--short", ref], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    dest = ROOT / "bench" / ".work" / f"baseline-{sha}"
    if not (dest / "workers").exists():
        dest.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", sha, "workers", "shared"], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest, sha


def run_child(code_root: Path, n: int) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--child", str(code_root), "--messages", str(n)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000, help="messages per row")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--baseline", default="main", help="git revision measured beside the working tree")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, args.child)
        print(json.dumps(child(args.messages)))
        return 0

    sys.path.insert(0, str(ROOT))
    from bench import common

    base_root, base_sha = export_baseline(args.baseline)
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    load = Path("/proc/loadavg").read_text().split()[0]
    results: list[tuple[int, str, dict[str, object]]] = []
    for r in range(1, args.rounds + 1):
        label = base_sha if args.baseline.startswith(base_sha) else f"{args.baseline} {base_sha}"
        for name, code_root in ((f"before ({label})", base_root), ("after", ROOT)):
            got = run_child(code_root, args.messages)
            results.append((r, name, got))
            print(f"round {r} {name}: {json.dumps(got)}", flush=True)

    table = [
        "| round | engine | messages | alerting | CPU p50 (ms) | CPU p99 (ms) | target |",
        "|---|---|---|---|---|---|---|",
    ]
    verdicts = []
    for r, name, got in results:
        rows = got["rows"]
        assert isinstance(rows, list)
        for row, (_, _, _, target) in zip(rows, MIXES, strict=True):
            ok = row["p99"] <= target
            if name == "after":
                verdicts.append(ok)
            table.append(
                f"| {r} | {name} | {row['label']} | {row['alerts']:,} / {row['n']:,} | {row['p50']:.2f} | "
                f"**{row['p99']:.2f}** | <= {target:g} ms: {common.verdict(ok)} |"
            )
    mem = ["| round | engine | RSS after importing the engine | lexicon adds | peak RSS | lexicon words |"]
    mem.append("|---|---|---|---|---|---|")
    lexicon_ok = True
    for r, name, got in results:
        lexicon_mb = float(got["rss_lexicon"])  # type: ignore[arg-type]
        if name == "after":
            lexicon_ok = lexicon_ok and lexicon_mb <= 150
        mem.append(
            f"| {r} | {name} | {got['rss_engine']:.0f} MB | **{lexicon_mb:.0f} MB** | "
            f"{got['rss_peak']:.0f} MB | {got['lexicon_words']:,} |"
        )
    lines = [
        f"- date: {common.now_utc()}",
        f"- machine: {common.machine()}; load average {load} when the run started (shared with other "
        "developers: CPU time, not wall time)",
        f"- workload: {args.messages:,} consulta messages per row, sentences drawn from the labelled texts "
        "and everyday chatter, analysed one at a time through `workers.clinical.analyze`; each round runs "
        f"the baseline ({args.baseline}, {base_sha}) then the working tree ({head.stdout.strip()} + "
        "changes), each in a fresh process",
        "",
        *table,
        "",
        *mem,
        "",
        f"- rules p99 targets (after): **{common.verdict(all(verdicts))}**; lexicon <= 150 MB RSS: "
        f"**{common.verdict(lexicon_ok)}**",
    ]
    body = "## Clinical rules latency (`bench/clinical_rules.py`)\n\n" + "\n".join(lines) + "\n"
    print(body)
    common.write_section("clinical_rules", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
