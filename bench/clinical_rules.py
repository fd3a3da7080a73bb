"""Latency of the deterministic clinical rules on 2,000-character messages, and a worker's memory.

    python bench/clinical_rules.py [--messages 2000]

Messages are built from the labelled texts (dev sets and paraphrases), joined with everyday
chatter until each is 2,000 characters, so every rule (typos, numbers in words, assertion of each
mention, temperatures, pain, vitals) runs on realistic text. Each message is analysed once through
`workers.clinical.analyze` (the worker's own call), timed with perf_counter; the figures are the
p50/p99/max over all messages after a warm-up pass. Target (issue #8): p99 <= 5 ms, and the
process stays well under the 400 MB worker budget.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from shared.messages import ConsultaPayload  # noqa: E402
from workers.clinical import analyze  # noqa: E402

DATA = ROOT / "tests" / "workers" / "clinical" / "data"
CHATTER = [
    "Bom dia, tudo bem? Queria confirmar o horário da consulta de quinta.",
    "Obrigada pelo atendimento de ontem, a enfermeira foi muito atenciosa.",
    "Preciso levar os exames antigos e a carteirinha do convênio?",
    "O estacionamento ainda está em reforma ou já dá para usar?",
    "Minha filha vai me levar, ela sai do trabalho às cinco.",
]


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


def measure(payloads: list[ConsultaPayload]) -> dict[str, float]:
    for p in payloads[:200]:  # warm-up: regex compilation, typo cache
        analyze("clinico", "consulta", p)
    wall, cpu = [], []
    alerts = 0
    for p in payloads:
        c0 = time.thread_time()
        t0 = time.perf_counter()
        result = analyze("clinico", "consulta", p)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
        alerts += bool(result.achados)
    wall.sort()
    cpu.sort()
    k = int(len(cpu) * 0.99) - 1
    return {
        "alerts": alerts,
        "cpu_p50": statistics.median(cpu),
        "cpu_p99": cpu[k],
        "wall_p50": statistics.median(wall),
        "wall_p99": wall[k],
        "wall_max": wall[-1],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    load = Path("/proc/loadavg").read_text().split()[0]
    rows = []
    verdicts = []
    mixes = (("typical: 1 sentence in 5 clinical", 0.2), ("dense: every other sentence clinical", 0.5))
    for label, share in mixes:
        texts_ = messages(args.messages, clinical_share=share)
        payloads = [ConsultaPayload(paciente_id=uuid.uuid4(), queixa=m) for m in texts_]
        r = measure(payloads)
        verdicts.append(r["cpu_p99"] <= 5.0)
        rows.append(
            f"| {label} | {r['alerts']:,} / {len(payloads):,} | {r['cpu_p50']:.2f} | **{r['cpu_p99']:.2f}** "
            f"({common.verdict(r['cpu_p99'] <= 5.0)}) | {r['wall_p50']:.2f} / {r['wall_p99']:.2f} / "
            f"{r['wall_max']:.2f} |"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        f"- date: {common.now_utc()}",
        f"- machine: {common.machine()}; load average {load} when the run started",
        f"- workload: {args.messages:,} consulta messages of 2,000 characters per row, sentences drawn "
        "from the labelled texts and everyday chatter, analysed one at a time in one process through "
        "`workers.clinical.analyze`",
        "",
        "| messages | alerting | CPU p50 (ms) | CPU p99 (ms), target <= 5 | wall p50 / p99 / max (ms) |",
        "|---|---|---|---|---|",
        *rows,
        "",
        f"- peak RSS of the process (engine + pydantic models): **{rss:.0f} MB** (target <= 400 MB: "
        f"**{common.verdict(rss <= 400)}**)",
    ]
    body = "## Clinical rules latency (`bench/clinical_rules.py`)\n\n" + "\n".join(lines) + "\n"
    print(body)
    common.write_section("clinical_rules", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
