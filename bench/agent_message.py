#!/usr/bin/env python3
"""Benchmark: POST /api/v1/agent/message answered with 200 per second, 64 concurrent clients, rules only.

    .venv/bin/python bench/agent_message.py           # 2 x 10 s (RESULTS.md section "agent_message")
    .venv/bin/python bench/agent_message.py --quick   # smoke run, RESULTS.md untouched

Target (issue 10): p99 <= 100 ms at 200 messages/s on this machine.

What runs: the API (`python -m api`, one process) and the fluxo_clinico worker (`python -m workers
--vhost fluxo_clinico`, no LLM, no alert backend: alerts are recorded as pending) on their own
VHOST_PREFIX and SQLite file under bench/.work/. Every message is the critical "to com muita falta
de ar desde cedo" (rules, an alert record, the reply over direct reply-to). Two phases:

  * closed loop: 64 clients (aiohttp, one asyncio loop) each sending the next message as soon as the
    last one is answered: the most 200s per second the pair can give;
  * paced: 64 clients together sending 200 messages/s on a fixed schedule; latency is measured
    from each message's scheduled time, so a stall is not hidden by the clients slowing down.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from bench.common import WORK

API_KEY = "bench-key"
TENANT = "bench_tenant"
TARGET_RATE = 200.0
TARGET_P99_MS = 100.0
PATH = "/api/v1/agent/message"


MESSAGE = "to com muita falta de ar desde cedo"


def body(text: str = MESSAGE) -> bytes:
    return json.dumps(
        {
            "patientId": str(uuid.uuid4()),
            "message": text,
            "conversationId": str(uuid.uuid4()),
            "patientContext": {"oncologyTreatment": True},
            "conversationHistory": [{"role": "agent", "content": "Como você está se sentindo hoje?"}],
        }
    ).encode()


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == pid:
                out.append(int(entry.name))
    return out


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000


async def load(
    url: str, clients: int, seconds: float, rate: float | None, text: str = MESSAGE
) -> dict[str, Any]:
    """`rate` None: closed loop; else messages per second spread over the clients, open loop."""
    import aiohttp

    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {API_KEY}"}
    latencies: list[float] = []
    statuses: Counter[int | str] = Counter()
    payload = body(text)
    started = time.perf_counter()
    stop_at = started + seconds

    async def send(session: aiohttp.ClientSession, since: float) -> None:
        try:
            async with session.post(url, data=payload, headers=headers) as resp:
                await resp.read()
                statuses[resp.status] += 1
                if resp.status == 200:
                    latencies.append(time.perf_counter() - since)
        except Exception as exc:
            statuses[type(exc).__name__] += 1

    async def closed(session: aiohttp.ClientSession) -> None:
        while time.perf_counter() < stop_at:
            await send(session, time.perf_counter())

    async def paced(session: aiohttp.ClientSession, index: int) -> None:
        assert rate is not None
        interval = clients / rate
        due = started + index / rate
        while due < stop_at:
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await send(session, due)
            due += interval

    conn = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=conn, timeout=aiohttp.ClientTimeout(total=30)) as session:
        if rate is None:
            await asyncio.gather(*(closed(session) for _ in range(clients)))
        else:
            await asyncio.gather(*(paced(session, i) for i in range(clients)))
    duration = time.perf_counter() - started
    ok = statuses.get(200, 0)
    return {
        "seconds": duration,
        "statuses": {str(k): v for k, v in statuses.items()},
        "ok_per_s": ok / duration,
        "p50_ms": pct(latencies, 50),
        "p90_ms": pct(latencies, 90),
        "p99_ms": pct(latencies, 99),
        "max_ms": max(latencies) * 1000 if latencies else float("nan"),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="short smoke run; does not update RESULTS.md")
    p.add_argument("--duration", type=float, default=10.0, help="seconds per phase (default 10)")
    p.add_argument("--clients", type=int, default=64)
    p.add_argument("--rate", type=float, default=TARGET_RATE, help="messages/s of the paced phase")
    p.add_argument("--worker-args", default="", help="extra arguments for python -m workers")
    p.add_argument("--message", default=MESSAGE, help="the patient's message (default: a critical one)")
    common.add_run_options(p)
    args = p.parse_args(argv)
    if args.quick:
        args.duration = 3.0
    write = (not args.quick) if args.write is None else args.write
    background = common.wait_quiet(args.wait_idle) if args.wait_idle > 0 else float("nan")
    db = WORK / "agent_message.db"
    prefix = common.new_prefix("agent")
    with common.provisioned(prefix, db) as settings, common.Procs() as procs:
        port = common.free_port()
        env = common.base_env(
            settings,
            API_KEYS=f"{API_KEY}={TENANT}",
            API_PORT=str(port),
            API_HOST="127.0.0.1",
            LOG_LEVEL="WARNING",
            AGENT_REPLY_TIMEOUT_S="8",
        )
        api_log, worker_log = WORK / "agent_message-api.log", WORK / "agent_message-worker.log"
        worker = procs.start(
            [sys.executable, "-m", "workers", "--vhost", "fluxo_clinico", *args.worker_args.split()],
            env={**env, "LOG_LEVEL": "INFO"},  # its "consuming" line says it is ready
            log=worker_log,
        )
        common.wait_for(
            lambda: common.json_events(worker_log, "consuming"),
            60,
            "the worker consuming",
            proc=worker,
            log=worker_log,
        )
        api = procs.start([sys.executable, "-m", "api"], env=env, log=api_log)
        url = f"http://127.0.0.1:{port}{PATH}"
        from bench.api_publish import http

        common.wait_for(
            lambda: http("GET", f"http://127.0.0.1:{port}/health/ready")[0] == 200,
            30,
            "the API ready",
            proc=api,
            log=api_log,
        )
        asyncio.run(load(url, args.clients, 1.0, None))  # warm-up
        meter = common.CpuMeter({"api": [api.pid], "worker": [worker.pid, *children(worker.pid)]})
        closed = asyncio.run(load(url, args.clients, args.duration, None, args.message))
        cpu = meter.stop()
        closed["cpu_pct"] = {k: round(v) for k, v in cpu.items()}
        ok_n = closed["statuses"].get("200", 0) or 1
        closed["cpu_ms_per_200"] = {
            k: round(cpu[k] / 100 * closed["seconds"] / ok_n * 1000, 2) for k in ("api", "worker")
        }
        print(f"closed loop: {json.dumps(closed)}", flush=True)
        paced = asyncio.run(load(url, args.clients, args.duration, args.rate, args.message))
        print(f"paced {args.rate:g}/s: {json.dumps(paced)}", flush=True)

    ok = paced["p99_ms"] <= TARGET_P99_MS and paced["ok_per_s"] >= 0.97 * args.rate
    print(f"target p99 <= {TARGET_P99_MS:g} ms at {args.rate:g} msg/s: {common.verdict(ok)}", flush=True)
    if write:
        common.write_section("agent_message", render(args, closed, paced, ok, background))
    return 0


READING = """Reading (runs of 2 Dec 2026, with other sessions' test suites using about 2 of the 2
cores throughout): the pair answered 135-155 critical messages/s closed-loop (p50 about 400 ms:
64 requests queue behind the worker), so the paced 200/s phase is over capacity and its latency
is queueing. A message without findings ("estou bem hoje, obrigado", `--message`) went 255/s
closed-loop and held 200/s paced with p50 88 ms / p99 162 ms (3 s quick runs).
Where the time goes: a quick run measured 2.4 ms of API CPU and 4.8 ms of worker CPU per 200. A
cProfile of `TaskProcessor.process` in one process (SQLite, alert client disabled) gives the same
4.8 ms per critical message, of which the rules are 0.3 ms: most of it is three SQLite write
transactions through the store's writer thread (`processing`, the alert record, `completed`),
about 1 ms each on this machine; without findings it is 2.6 ms (two writes). Batches are about
one message at this load, so `start_many`/`complete_many` amortise nothing.
`--worker-args "--concurrency 2"` did about as well as 8 threads (142/s). The target is not met on
this shared machine. Not tried for lack of time: recording a task's alerts in the same
transaction as its `processing` or `completed` write, the fast lane for this route, PostgreSQL."""


def render(args: Any, closed: dict[str, Any], paced: dict[str, Any], ok: bool, background: float) -> str:
    def row(name: str, r: dict[str, Any]) -> str:
        return (
            f"| {name} | {r['ok_per_s']:.0f} | {r['p50_ms']:.1f} | {r['p90_ms']:.1f} | {r['p99_ms']:.1f} | "
            f"{r['max_ms']:.0f} | {r['statuses']} |"
        )

    return f"""## POST /api/v1/agent/message: 200s per second (bench/agent_message.py)

{common.now_utc()}; {common.machine()}; SQLite; rules only (no LLM,
no alert backend); one API process, one fluxo_clinico worker process; {args.clients} clients (aiohttp);
{args.duration:g} s per phase; background CPU before the run: {background:.0f} %.
Message: "{args.message}" (the default is critical: rules, an alert record, the reply over
direct reply-to).

| phase | 200s/s | p50 ms | p90 ms | p99 ms | max ms | statuses |
|---|---|---|---|---|---|---|
{row("closed loop (as fast as answered)", closed)}
{row(f"paced at {args.rate:g} msg/s (latency from the scheduled time)", paced)}

CPU during the closed loop, % of one core: {closed.get("cpu_pct")}; CPU per 200 answered, ms:
{closed.get("cpu_ms_per_200")}.

Target: p99 <= {TARGET_P99_MS:g} ms at {args.rate:g} messages/s: **{common.verdict(ok)}**.
The load generator runs on the same 2 cores as the API, the worker, RabbitMQ and other sessions' work.

{READING}
"""


if __name__ == "__main__":
    raise SystemExit(main())
