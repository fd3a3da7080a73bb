#!/usr/bin/env python3
"""Instructions the API process executes per accepted task, counted by callgrind: a figure that
other work on a shared box does not move (wall-clock CPU times there vary by +-30 % between runs).

    .venv/bin/python bench/api_instructions.py                  # 3,000 counted requests
    .venv/bin/python bench/api_instructions.py --requests 1000 --connections 64

What runs: `python -m api` as bench/api_publish.py starts it (same settings: SQLite store, metrics
on, tracing to a fake OTLP collector at the default 10 % sampling, LOG_LEVEL=WARNING), under
`valgrind --tool=callgrind --instr-atstart=no`; a warm-up of uncounted requests; then callgrind's
instrumentation is switched on (`callgrind_control -i on`) for exactly `--requests` POSTs of the
consulta sample from a small client process (keep-alive connections, each sending its next
request when the last one is answered, as wrk does), switched off, and the count is read from the
dump. Every thread of the API is counted (event loop, store writer, checkpoint, span exporter).

Under valgrind the process runs ~50x slower and its threads take turns, so group commits and
confirms per frame are not those of a real run: the figure compares code, not machines. Its noise
(run to run, same code) is about 1 %.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from bench.api_publish import API_KEY, TENANT, consulta_path, http, sample_body
from bench.common import WORK


async def _client(port: int, path: str, body: bytes, total: int, connections: int) -> dict[int, int]:
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {API_KEY}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    left = total
    statuses: dict[int, int] = {}

    async def one() -> None:
        nonlocal left
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while left > 0:
                left -= 1
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                code = int(head.split(b" ", 2)[1])
                match = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
                await reader.readexactly(int(match.group(1)) if match else 0)
                statuses[code] = statuses.get(code, 0) + 1
        finally:
            writer.close()

    await asyncio.gather(*(one() for _ in range(connections)))
    return statuses


def load(port: int, total: int, connections: int) -> dict[int, int]:
    body = json.dumps(sample_body(), ensure_ascii=False).encode()
    return asyncio.run(_client(port, consulta_path(), body, total, connections))


def control(pid: int, *args: str) -> str:
    out = subprocess.run(
        ["callgrind_control", *args, str(pid)], capture_output=True, text=True, timeout=300, check=True
    )
    return out.stdout


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--requests", type=int, default=3000, help="counted requests (default 3000)")
    p.add_argument("--warmup", type=int, default=500, help="uncounted requests first (default 500)")
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--tracing", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--out", default="/dev/null", help="callgrind's profile, for callgrind_annotate")
    args = p.parse_args(argv)
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed")

    WORK.mkdir(parents=True, exist_ok=True)
    db = WORK / "api_instructions.db"
    prefix = common.new_prefix("apicg")
    with common.provisioned(prefix, db) as settings, common.Procs() as procs:
        otel: dict[str, str] = {}
        collector = None
        if args.tracing:
            from tests.support.fake_otlp import FakeOtlpCollector

            collector = FakeOtlpCollector().start()
            otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": collector.url, "OTEL_SDK_DISABLED": "false"}
        port = common.free_port()
        env = common.api_env(
            settings,
            port,
            API_KEY,
            TENANT,
            **otel,
            API_WORKERS="1",
            PYTHONHASHSEED="0",
            # Under valgrind a confirm can take seconds; a 503 would end a request early.
            PUBLISH_TIMEOUT_S="60",
        )
        cmd = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={args.out}",
            sys.executable,
            "-m",
            "api",
        ]
        log = WORK / "api_instructions-api.log"
        proc = procs.start(cmd, env=env, log=log)
        base = f"http://127.0.0.1:{port}"
        common.wait_for(
            lambda: http("GET", base + "/health/ready", timeout=30)[0] == 200,
            600,
            "the API (under valgrind) to be ready",
            interval=1.0,
            proc=proc,
            log=log,
        )
        warm = load(port, args.warmup, args.connections)
        time.sleep(1.0)
        control(proc.pid, "-i", "on")
        started = time.monotonic()
        statuses = load(port, args.requests, args.connections)
        wall = time.monotonic() - started
        control(proc.pid, "-i", "off")
        procs.stop(proc, timeout=120)
        spans = len(collector.spans) if collector is not None else None
        if collector is not None:
            collector.stop()

    # Valgrind's own summary at exit: only the instrumented window was collected.
    found = re.findall(r"Collected : (\d+)", log.read_text(errors="replace"))
    totals = int(found[-1]) if found else 0
    accepted = statuses.get(202, 0)
    print(f"warm-up statuses {warm}; counted statuses {statuses}; {wall:.0f} s under valgrind; spans {spans}")
    per_task = totals / max(accepted, 1)
    print(f"instructions: {totals:,} for {accepted} accepted tasks = {per_task:,.0f} per task")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
