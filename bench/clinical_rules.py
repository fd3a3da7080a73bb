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


def messages(n: int, size: int = 2000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    pool = texts()
    out = []
    for _ in range(n):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < size:
            parts.append(rng.choice(pool) if rng.random() < 0.5 else rng.choice(CHATTER))
        out.append(" ".join(parts)[:size])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    payloads = [ConsultaPayload(paciente_id=uuid.uuid4(), queixa=m) for m in messages(args.messages)]
    for p in payloads[:200]:  # warm-up: regex compilation, typo cache
        analyze("clinico", "consulta", p)
    times = []
    cpu = []
    alerts = 0
    for p in payloads:
        c0 = time.thread_time()
        t0 = time.perf_counter()
        result = analyze("clinico", "consulta", p)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
        alerts += bool(result.achados)
    times.sort()
    cpu.sort()
    p50 = statistics.median(times)
    p99 = times[int(len(times) * 0.99) - 1]
    cpu_p50 = statistics.median(cpu)
    cpu_p99 = cpu[int(len(cpu) * 0.99) - 1]
    load = Path("/proc/loadavg").read_text().split()[0]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        f"- date: {common.now_utc()}",
        f"- machine: {common.machine()}",
        f"- workload: {len(payloads):,} consulta messages of 2,000 characters built from the labelled "
        f"texts and chatter ({alerts:,} of them alert), analysed one at a time in one process",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| CPU time per message, p50 | {cpu_p50:.2f} ms | |",
        f"| CPU time per message, p99 | **{cpu_p99:.2f} ms** | "
        f"<= 5 ms: **{common.verdict(cpu_p99 <= 5.0)}** |",
        f"| wall time per message, p50 / p99 / max | {p50:.2f} / {p99:.2f} / {times[-1]:.2f} ms "
        f"(load average {load} on this machine during the run) | |",
        f"| peak RSS of the process (engine + pydantic + SQLAlchemy models) | **{rss:.0f} MB** | "
        f"<= 400 MB: **{common.verdict(rss <= 400)}** |",
    ]
    body = "## Clinical rules latency (`bench/clinical_rules.py`)\n\n" + "\n".join(lines) + "\n"
    print(body)
    common.write_section("clinical_rules", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
