#!/usr/bin/env python3
"""Benchmark: POST /api/v1/agent/message at 400 messages/s, open loop, on SQLite and PostgreSQL.

    .venv/bin/python bench/agent_message.py           # 10 s per store (RESULTS.md "agent_message")
    .venv/bin/python bench/agent_message.py --quick   # smoke run, RESULTS.md untouched

Targets (issue 19), per store: >= 99 % of the messages answered 200, p99 <= 100 ms, every alert
created exactly once at the backend; CPU per message of the API and of the worker reported.

What runs, per store (SQLite file under bench/.work/, or a fresh PostgreSQL schema): the API
(`python -m api`, one process), the fluxo_clinico worker (`python -m workers --vhost fluxo_clinico`,
default settings, no LLM) and a fake NestJS backend on loopback (tests/support/fake_nestjs.py, the
JWT/DTO-checking one the tests use) that receives the alerts. The load is open loop: message i is
sent at `start + i / rate` whatever happened to the ones before (a stall is not hidden by the
clients slowing down), latency is measured from that scheduled time, at most 512 connections
(bench/openloop.py: raw keep-alive connections on uvloop by default, `--client aiohttp` for the
client the bench used before; the client's own CPU per message is reported).
The mix repeats every 10 messages: 7 ordinary ("bom dia, estou bem hoje"), 2 answers to the agent's
question (with the question in `conversationHistory`), 1 critical ("falta de ar": rules, an alert
delivered to the backend, the reply over direct reply-to).

After the phase the script waits for every task to be `completed` and every alert settled, then
checks exactly once: each alert recorded in the store was created once at the backend (the
backend counts creations, a replayed Idempotency-Key does not count), none is missing, every
critical message has its alert.

Where the time goes, per store: the worker's batch sizes (its `tasks_completed` lines), its store
statements and commits per message (bench/roundtrips.py), the CPU of PostgreSQL's and RabbitMQ's
processes per message, and the time from the API's accept (`created_at`) to the worker's commit
(`updated_at`) beside the client's latency: what is not between those two is the API's or the
reply's.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, openloop, roundtrips
from bench.common import WORK

API_KEY = "bench-key"
TENANT = "bench_tenant"
SERVICE_TOKEN = "bench-service-token"
TARGET_RATE = 400.0
TARGET_P99_MS = 100.0
TARGET_OK = 0.99
PATH = "/api/v1/agent/message"
MAX_CONNECTIONS = 512

ORDINARY = "bom dia, estou bem hoje, obrigado"
ANSWER = "sim, tomei o remedio certinho de manha"
QUESTION = "Você tomou a medicação hoje?"
CRITICAL = "to com muita falta de ar desde cedo"
MIX = ["ordinary"] * 7 + ["answer"] * 2 + ["critical"]


def body(kind: str) -> bytes:
    text = {"ordinary": ORDINARY, "answer": ANSWER, "critical": CRITICAL}[kind]
    history = [{"role": "agent", "content": QUESTION if kind == "answer" else "Como você está hoje?"}]
    return json.dumps(
        {
            "patientId": str(uuid.uuid4()),
            "message": text,
            "conversationId": str(uuid.uuid4()),
            "patientContext": {"oncologyTreatment": True},
            "conversationHistory": history,
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


def open_loop(url: str, rate: float, seconds: float, client: str = "raw") -> dict[str, Any]:
    """Message i at start + i / rate, each its own request; latency from the scheduled time."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {API_KEY}"}
    n = int(rate * seconds)
    kinds = [MIX[i % len(MIX)] for i in range(n)]
    out = openloop.run(client, url, headers, [body(k) for k in kinds], rate, MAX_CONNECTIONS)
    # Read after the load phase, so the client's CPU figure is what sending and receiving cost.
    critical_tasks, alerted_replies = [], 0
    for index, data in out["replies"]:
        reply = json.loads(data)
        if kinds[index] == "critical":
            critical_tasks.append(reply["taskId"])
        if reply.get("alerts"):
            alerted_replies += 1
    latencies, statuses, duration = out["latencies"], out["statuses"], out["seconds"]
    ok = statuses.get(200, 0)
    return {
        "sent": n,
        "seconds": duration,
        "statuses": {str(k): v for k, v in statuses.items()},
        "ok_share": ok / n if n else 0.0,
        "ok_per_s": ok / duration,
        "p50_ms": pct(latencies, 50),
        "p90_ms": pct(latencies, 90),
        "p99_ms": pct(latencies, 99),
        "max_ms": max(latencies) * 1000 if latencies else float("nan"),
        "critical_tasks": critical_tasks,
        "alerted_replies": alerted_replies,
        "loadgen_cpu_s": out["cpu_s"],
        "connections": out["connections"],
    }


@contextlib.contextmanager
def store_url(kind: str, pg_url: str) -> Iterator[str]:
    if kind == "sqlite":
        db = WORK / "agent_message.db"
        for suffix in ("", "-wal", "-shm", "-writelock"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        yield f"sqlite:///{db}"
        return
    from bench.worker_drain import pg_schema

    with pg_schema(pg_url) as url:
        yield url


def settle(url: str, timeout: float) -> dict[str, Any]:
    """Wait until no task is left unfinished and no alert pending; the store's counts."""
    import sqlalchemy as sa

    from shared.store import make_engine
    from shared.store.schema import aware, tasks

    engine = make_engine(url)
    deadline = time.monotonic() + timeout
    try:
        while True:
            with engine.connect() as c:
                statuses = dict(
                    c.execute(sa.text("SELECT status, count(*) FROM tasks GROUP BY status")).all()
                )
                alerts = dict(
                    c.execute(sa.text("SELECT delivery, count(*) FROM task_alerts GROUP BY delivery")).all()
                )
                keys = [
                    f"{r.task_id}:{r.alert_key}"
                    for r in c.execute(sa.text("SELECT task_id, alert_key FROM task_alerts"))
                ]
            unfinished = sum(v for k, v in statuses.items() if k != "completed")
            if (unfinished == 0 and not alerts.get("pending")) or time.monotonic() > deadline:
                with engine.connect() as c:
                    spans = [
                        (aware(r.updated_at) - aware(r.created_at)).total_seconds()
                        for r in c.execute(sa.select(tasks.c.created_at, tasks.c.updated_at))
                    ]
                return {"statuses": statuses, "alerts": alerts, "alert_keys": keys, "stored_after": spans}
            time.sleep(0.5)
    finally:
        engine.dispose()


def run_store(procs: common.Procs, settings: Any, kind: str, args: argparse.Namespace) -> dict[str, Any]:
    from bench.api_publish import http
    from tests.support.fake_nestjs import FakeNestJS

    nestjs = FakeNestJS(static_token=SERVICE_TOKEN).start()
    try:
        port = common.free_port()
        env = common.api_env(
            settings,
            port,
            API_KEY,
            TENANT,
            AGENT_REPLY_TIMEOUT_S="8",
            BACKEND_URL=nestjs.url,
            BACKEND_SERVICE_TOKEN=SERVICE_TOKEN,
        )
        api_log, worker_log = (
            WORK / f"agent_message-{kind}-api.log",
            WORK / f"agent_message-{kind}-worker.log",
        )
        trips_file = WORK / f"roundtrips-agent-{kind}"
        for old in WORK.glob(f"roundtrips-agent-{kind}.*"):
            old.unlink()
        worker = procs.start(
            [sys.executable, "-m", "workers", "--vhost", "fluxo_clinico", *args.worker_args.split()],
            # INFO: its "consuming" line says it is ready, its "tasks_completed" lines give the
            # batch sizes. bench.roundtrips counts the store's statements and commits.
            env={
                **env,
                "LOG_LEVEL": "INFO",
                "WORKER_EXTRA_HANDLERS": "bench.roundtrips",
                "BENCH_ROUNDTRIPS_FILE": str(trips_file),
            },
            log=worker_log,
        )
        common.wait_for(
            lambda: common.json_events(worker_log, "consuming"),
            90,
            "the worker consuming",
            proc=worker,
            log=worker_log,
        )
        api = procs.start([sys.executable, "-m", "api"], env=env, log=api_log)
        url = f"http://127.0.0.1:{port}{PATH}"
        common.wait_for(
            lambda: http("GET", f"http://127.0.0.1:{port}/health/ready")[0] == 200,
            60,
            "the API ready",
            proc=api,
            log=api_log,
        )
        warm = open_loop(url, args.rate / 4, 2.0, args.client)
        batches_before = len(common.json_events(worker_log, "tasks_completed"))
        trips0 = roundtrips.read_all(str(trips_file))
        meter = common.CpuMeter(
            {
                "api": [api.pid],
                "worker": [worker.pid, *children(worker.pid)],
                "postgres": common.pids_named("postgres"),
                "broker": common.pids_named("beam.smp"),
                "loadgen": [os.getpid()],
            }
        )
        res = open_loop(url, args.rate, args.duration, args.client)
        cpu = meter.stop()
        res["cpu_pct"] = {k: round(v) for k, v in cpu.items()}
        res["cpu_ms_per_message"] = {
            k: round(cpu[k] / 100 * res["seconds"] / max(1, res["sent"]) * 1000, 2)
            for k in ("api", "worker", "postgres", "broker")
        }
        res["cpu_ms_per_message"]["loadgen"] = round(res.pop("loadgen_cpu_s") / max(1, res["sent"]) * 1000, 2)
        stored = settle(settings.database_url, 60)
        time.sleep(1.0)  # bench.roundtrips writes its counts twice a second
        trips = roundtrips.read_all(str(trips_file))
        per_message = {
            k: (trips.get(k, 0) - trips0.get(k, 0)) / max(1, res["sent"]) for k in set(trips) | set(trips0)
        }
        res["store_per_message"] = {
            k: round(per_message.get(k, 0), 2) for k in ("statements", "transactions", "rollbacks", "pings")
        }
        res["store_per_message"]["round_trips"] = round(roundtrips.round_trips(per_message), 2)
        completed = common.json_events(worker_log, "tasks_completed")[batches_before:]
        sizes = [len(e["task_ids"]) for e in completed]
        res["batches"] = {
            "count": len(sizes),
            "mean": round(sum(sizes) / max(1, len(sizes)), 2),
            "share_alone": round(sum(1 for n in sizes if n == 1) / max(1, sum(sizes)), 3),
        }
        spans = stored.pop("stored_after")
        res["stored_after_ms"] = {f"p{q}": round(pct(spans, q), 1) for q in (50, 90, 99)}

        procs.stop(api)
        procs.stop(worker)
        backend = nestjs.alerts
        stored_keys = set(stored["alert_keys"])
        # The worker's Idempotency-Key is derived from task id and alert key (workers/alerts.py).
        from workers.alerts import AlertClient

        expected = {AlertClient.idempotency_key(*k.split(":", 1)) for k in stored_keys}
        critical_with_alert = {k.split(":", 1)[0] for k in stored_keys}
        res["store"] = {k: v for k, v in stored.items() if k != "alert_keys"}
        res["alerts_stored"] = len(stored_keys)
        res["alerts_created"] = nestjs.created_count
        res["alerts_missing"] = len(expected - set(backend))
        res["critical_without_alert"] = sum(1 for t in res["critical_tasks"] if t not in critical_with_alert)
        res["exactly_once"] = (
            res["alerts_missing"] == 0
            and nestjs.created_count == len(expected)
            and res["critical_without_alert"] == 0
            and warm["sent"] + res["sent"] >= stored["statuses"].get("completed", 0)
        )
        res["ok"] = res["ok_share"] >= TARGET_OK and res["p99_ms"] <= TARGET_P99_MS and res["exactly_once"]
        res["critical_tasks"] = len(res["critical_tasks"])
        print(f"[{kind}] {json.dumps(res)}", flush=True)
        return res
    finally:
        nestjs.stop()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="short smoke run; does not update RESULTS.md")
    p.add_argument("--duration", type=float, default=10.0, help="seconds of load per store (default 10)")
    p.add_argument("--rate", type=float, default=TARGET_RATE, help="messages/s (default 400)")
    p.add_argument("--worker-args", default="", help="extra arguments for python -m workers")
    p.add_argument(
        "--client",
        choices=("raw", "aiohttp"),
        default="raw",
        help="open-loop client: raw keep-alive connections on uvloop (default) or aiohttp "
        "(bench/openloop.py)",
    )
    p.add_argument("--stores", default="sqlite,postgresql", help="which stores (default both)")
    common.add_run_options(p)
    p.add_argument(
        "--pg-url", default="postgresql://postgres@127.0.0.1:5432/test", help="PostgreSQL (a schema per run)"
    )
    args = p.parse_args(argv)
    write = (not args.quick) if args.write is None else args.write
    args.duration = 3.0 if args.quick else args.duration
    background = common.wait_quiet(args.wait_idle) if args.wait_idle > 0 else float("nan")
    prefix = common.new_prefix("agent")
    results: dict[str, dict[str, Any]] = {}
    with common.provisioned(prefix, WORK / "agent_message.db") as settings, common.Procs() as procs:
        for kind in [s.strip() for s in args.stores.split(",") if s.strip()]:
            with store_url(kind, args.pg_url) as url:
                run_settings = settings.model_copy(update={"database_url": url})
                results[kind] = run_store(procs, run_settings, kind, args)
    report = render(args, results, background)
    print()
    print(report)
    if write:
        common.write_section("agent_message", report)
    return 0


def render(args: Any, results: dict[str, dict[str, Any]], background: float) -> str:
    lines = [
        "## POST /api/v1/agent/message at 400 messages/s (`bench/agent_message.py`)",
        "",
        f"- date: {common.now_utc()}",
        f"- machine: {common.machine()}; background CPU before the run: {background:.0f} % of one core",
        "- what runs: `python -m api` (one process), `python -m workers --vhost fluxo_clinico` (default "
        "settings, no LLM), a fake NestJS backend receiving the alerts; open loop at "
        f"{args.rate:g} messages/s for {args.duration:g} s per store, each message its own request, latency "
        "from its scheduled time; mix per 10 messages: 7 ordinary, 2 answers to the agent's question, 1 "
        "critical (alert to the backend)",
        "",
        "| store | sent | answered 200 | p50 / p90 / p99 / max (ms) | statuses | CPU ms per message, API / "
        "worker / load generator | CPU % API / worker / others | alerts stored / created at the backend / "
        "missing | exactly once |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, r in results.items():
        cpu = r["cpu_pct"]
        lines.append(
            f"| {kind} | {r['sent']:,} | {100 * r['ok_share']:.2f} % | "
            f"{r['p50_ms']:.1f} / {r['p90_ms']:.1f} / "
            f"**{r['p99_ms']:.1f}** / {r['max_ms']:.0f} | {r['statuses']} | "
            f"{r['cpu_ms_per_message']['api']:.2f} / {r['cpu_ms_per_message']['worker']:.2f} / "
            f"{r['cpu_ms_per_message']['loadgen']:.2f} | "
            f"{cpu['api']} / {cpu['worker']} / {cpu['others']} | "
            f"{r['alerts_stored']} / {r['alerts_created']} / "
            f"{r['alerts_missing']} | {'yes' if r['exactly_once'] else 'NO'} |"
        )
    lines.append("")
    for kind, r in results.items():
        trips, batches, after = r["store_per_message"], r["batches"], r["stored_after_ms"]
        lines.append(
            f"- {kind}, where the time goes: worker batches of {batches['mean']:.2f} messages on average "
            f"({100 * batches['share_alone']:.0f} % of the messages alone in theirs); store statements / "
            f"commits per message {trips['statements']:.2f} / {trips['transactions']:.2f} (PostgreSQL round "
            f"trips {trips.get('round_trips', 0):.2f}); CPU ms per "
            f"message PostgreSQL {r['cpu_ms_per_message']['postgres']:.2f}, RabbitMQ "
            f"{r['cpu_ms_per_message']['broker']:.2f}; API accept to worker commit p50 / p90 / p99 "
            f"{after['p50']:.0f} / {after['p90']:.0f} / {after['p99']:.0f} ms"
        )
    for kind, r in results.items():
        lines.append(
            f"- {kind}: >= {100 * TARGET_OK:g} % answered 200, p99 <= {TARGET_P99_MS:g} ms, alerts exactly "
            f"once: **{common.verdict(r['ok'])}**"
        )
    lines.append(
        f"- the load generator ({args.client} client, bench/openloop.py; its CPU is its loop's thread over "
        "the load phase) and the fake backend run on the same 2 cores as the API, the worker, RabbitMQ, "
        "PostgreSQL and other sessions' work ('others')"
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
