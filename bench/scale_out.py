#!/usr/bin/env python3
"""Benchmark: how the gateway scales out on PostgreSQL (docs/scale-out.md), in short runs.

    .venv/bin/python bench/scale_out.py           # writes the `scale_out` section of RESULTS.md
    .venv/bin/python bench/scale_out.py --quick   # smoke run (RESULTS.md untouched)

  * workers: tasks/s draining pre-published tasks from one vhost's `eventos` (fluxo_clinico) with
    1, 2 and 4 worker processes (one `python -m workers --vhost fluxo_clinico --concurrency 8` each,
    so one consuming process each), trivial handler (bench/handlers.py), statuses in PostgreSQL.
    The rate counts the tasks completed after the last process started consuming, up to the last
    task's `updated_at`, so staggered start-ups do not flatter or penalise a run;
  * API: accepted (202) task POSTs per second from `python -m api` with API_WORKERS=1 and 2
    (processes sharing the port through SO_REUSEPORT), task rows in PostgreSQL, load from wrk on the
    same machine.

Each run gets its own PostgreSQL schema (dropped afterwards) and the benchmark its own vhosts.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from bench.common import WORK

PG_URL = os.environ.get("BENCH_DATABASE_URL_PG", "postgresql://postgres@127.0.0.1:5432/test")


@contextlib.contextmanager
def pg_schema(tag: str) -> Iterator[str]:
    import sqlalchemy as sa

    from shared.store import make_engine

    schema = f"bench_{tag}_{uuid.uuid4().hex[:6]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    from shared.migrate import upgrade

    upgrade(url)
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


class ServiceCpu:
    """CPU of RabbitMQ and PostgreSQL over a window, in % of one core. Their processes come and go
    (PostgreSQL backends, other people's throwaway nodes), so each pid counts only for the time it
    was seen at both ends of the window."""

    NAMES: ClassVar[dict[str, str]] = {"rabbitmq": "beam.smp", "postgres": "postgres"}

    def __init__(self) -> None:
        self.t0 = time.monotonic()
        self.start = {name: self._sample(comm) for name, comm in self.NAMES.items()}

    @staticmethod
    def _sample(comm: str) -> dict[int, float]:
        return {pid: common.cpu_seconds(pid) or 0.0 for pid in common.pids_named(comm)}

    def stop(self) -> dict[str, float]:
        elapsed = time.monotonic() - self.t0
        out = {}
        for name, comm in self.NAMES.items():
            end = self._sample(comm)
            used = sum(max(0.0, end[pid] - t) for pid, t in self.start[name].items() if pid in end)
            out[name] = 100 * used / elapsed
        return out


def _pg(url: str, sql: str, **params: Any) -> Any:
    import sqlalchemy as sa

    from shared.store import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).one()
    finally:
        engine.dispose()


def purge_eventos(settings: Any) -> None:
    import pika

    from shared import topology

    for domain in topology.all_domains():
        vhost = topology.vhost_for(domain, settings.vhost_prefix)
        conn = pika.BlockingConnection(pika.URLParameters(common.vhost_amqp_url(vhost)))
        try:
            conn.channel().queue_purge(topology.EVENTS_QUEUE)
        finally:
            conn.close()


# --- workers ---------------------------------------------------------------------------------------


def drain(procs: common.Procs, settings: Any, n_procs: int, n_tasks: int, timeout: float) -> dict[str, Any]:
    from bench.worker_drain import prepublish

    with pg_schema(f"w{n_procs}") as url:
        run_settings = settings.model_copy(update={"database_url": url})
        purge_eventos(run_settings)
        pre = prepublish(run_settings, WORK / "unused.db", n_tasks)
        env = common.base_env(run_settings, WORKER_EXTRA_HANDLERS="bench.handlers", TASK_RETENTION_DAYS="0")
        args = [sys.executable, "-m", "workers", "--vhost", "fluxo_clinico", "--concurrency", "8"]
        logs = [WORK / f"scale_out-workers{n_procs}-{i}.log" for i in range(n_procs)]
        sups = [procs.start(args, env=env, log=log) for log in logs]
        consuming = [
            common.wait_for(
                lambda lg=log: common.json_events(lg, "consuming"), 90, "a worker consuming", log=log
            )
            for log in logs
        ]
        children = [int(common.json_events(log, "child_started")[0]["pid"]) for log in logs]
        t0 = max(common.iso_ts(c[0]["timestamp"]) for c in consuming)
        meter = common.CpuMeter({"workers": children})
        services = ServiceCpu()
        deadline = time.monotonic() + timeout
        done = 0
        while time.monotonic() < deadline:
            done = int(_pg(url, "SELECT count(*) FROM tasks WHERE status = 'completed'")[0])
            if done >= n_tasks:
                break
            time.sleep(0.2)
        cpu = {**meter.stop(), **services.stop()}
        for sup in sups:
            procs.stop(sup)
        if done < n_tasks:
            raise RuntimeError(f"only {done}/{n_tasks} completed with {n_procs} worker process(es)")
        before, last = _pg(
            url,
            "SELECT count(*) FILTER (WHERE updated_at <= to_timestamp(:t0)), max(updated_at) "
            "FROM tasks WHERE status = 'completed'",
            t0=t0,
        )
        seconds = last.timestamp() - t0
        measured = n_tasks - int(before)
        out = {
            "procs": n_procs,
            "tasks": n_tasks,
            "measured": measured,
            "seconds": seconds,
            "rate": measured / seconds,
            "cpu": cpu,
            "prepublish_rate": pre["rate"],
        }
        print(
            f"[workers x{n_procs}] {measured} tasks in {seconds:.2f} s = {out['rate']:,.0f} tasks/s "
            f"({int(before)} done before the last process consumed); CPU workers {cpu['workers']:.0f}%, "
            f"RabbitMQ {cpu['rabbitmq']:.0f}%, PostgreSQL {cpu['postgres']:.0f}%, whole machine "
            f"{cpu['machine']:.0f}% (of one core)",
            flush=True,
        )
        return out


# --- API -------------------------------------------------------------------------------------------


def api_rate(
    procs: common.Procs, settings: Any, n_workers: int, seconds: float, connections: int
) -> dict[str, Any]:
    from bench import api_publish

    with pg_schema(f"a{n_workers}") as url:
        run_settings = settings.model_copy(update={"database_url": url})
        purge_eventos(run_settings)
        port = common.free_port()
        log = WORK / f"scale_out-api{n_workers}.log"
        env = common.base_env(
            run_settings,
            API_KEYS=f"{api_publish.API_KEY}={api_publish.TENANT}",
            API_PORT=str(port),
            API_HOST="127.0.0.1",
            API_WORKERS=str(n_workers),
            LOG_LEVEL="WARNING",
        )
        proc = procs.start([sys.executable, "-m", "api"], env=env, log=log)
        base = f"http://127.0.0.1:{port}"
        common.wait_for(
            lambda: api_publish.http("GET", base + "/health/ready")[0] == 200,
            60,
            "the API ready",
            interval=0.2,
            proc=proc,
            log=log,
        )
        body = WORK / "scale_out-body.json"
        body.write_text(json.dumps(api_publish.sample_body()))
        url_post = base + api_publish.consulta_path()
        tool = "wrk" if shutil.which("wrk") else "loadgen"
        api_publish.run_load(tool, url_post, body, connections, 2, 1)  # warm-up
        meter = common.CpuMeter({"api": api_publish.api_pids(proc.pid)})
        services = ServiceCpu()
        result = api_publish.run_load(tool, url_post, body, connections, seconds, 1)
        cpu = {**meter.stop(), **services.stop()}
        procs.stop(proc)
        purge_eventos(run_settings)
        accepted = int(result["statuses"].get("202", 0))
        other = {k: v for k, v in result["statuses"].items() if k != "202"}
        duration = result["duration_us"] / 1e6
        out = {
            "workers": n_workers,
            "rate": accepted / duration,
            "p50_ms": result["latency_us"]["p50"] / 1000,
            "p99_ms": result["latency_us"]["p99"] / 1000,
            "other": other,
            "errors": {k: v for k, v in result["errors"].items() if v},
            "cpu": cpu,
            "tool": tool,
        }
        print(
            f"[api x{n_workers}] {out['rate']:,.0f} accepted/s, p50 {out['p50_ms']:.1f} ms, p99 "
            f"{out['p99_ms']:.1f} ms; other statuses {other or 'none'}; machine CPU {cpu['machine']:.0f}%",
            flush=True,
        )
        return out


def _others(cpu: dict[str, float], measured: str) -> str:
    ours = cpu[measured] + cpu["rabbitmq"] + cpu["postgres"]
    return f"{max(0.0, cpu['machine'] - ours):.0f}"


def _per_cpu_s(rate: float, cpu_pct: float) -> str:
    # On a contended machine the processes get what the scheduler leaves them; work per CPU-second
    # of their own shows whether adding processes costs efficiency, whatever their share was.
    return f"{rate / (cpu_pct / 100):,.0f}" if cpu_pct > 0 else "?"


def render(
    args: argparse.Namespace, workers: list[dict[str, Any]], apis: list[dict[str, Any]], busy: list[float]
) -> str:
    base_w = workers[0]["rate"]
    base_a = apis[0]["rate"]
    lines = [
        "## Scale-out on PostgreSQL (`bench/scale_out.py`)",
        "",
        f"- date: {common.now_utc()}",
        f"- machine: {common.machine()}; PostgreSQL on the same machine",
        f"- workers: {args.tasks:,} pre-published tasks per run on `fluxo_clinico` only; N processes "
        "`python -m workers --vhost fluxo_clinico --concurrency 8` (prefetch 16), trivial handler "
        "(`bench/handlers.py`); statuses in PostgreSQL (own schema per run); rate = tasks completed "
        "after the last process consumed / time to the last `updated_at`",
        f"- API: `python -m api` with API_WORKERS=N, task rows in PostgreSQL; {apis[0]['tool']} with "
        f"{args.connections} connections on the same 2 cores, {args.api_seconds:g} s after a 2 s warm-up",
        f"- other work on the machine just before the runs: {busy[0]:.0f}% (workers) and {busy[1]:.0f}% "
        "(API) of one core, out of 200%; the `other processes` columns show it during each run: anything "
        "far from 0 means the figures are a share of a contended machine, not its capacity",
        "",
        "| worker processes on one vhost | tasks/s | vs 1 process | CPU % workers / RabbitMQ / PostgreSQL "
        "/ other processes | tasks per worker CPU-second |",
        "|---|---|---|---|---|",
    ]
    for w in workers:
        c = w["cpu"]
        lines.append(
            f"| {w['procs']} | **{w['rate']:,.0f}** | {w['rate'] / base_w:.2f}x | "
            f"{c['workers']:.0f} / {c['rabbitmq']:.0f} / {c['postgres']:.0f} / {_others(c, 'workers')} | "
            f"{_per_cpu_s(w['rate'], c['workers'])} |"
        )
    lines += [
        "",
        "| API processes | accepted tasks/s (202) | vs 1 process | p50 / p99 (ms) | other statuses "
        "| CPU % API / RabbitMQ / PostgreSQL / other processes (wrk included) "
        "| accepted per API CPU-second |",
        "|---|---|---|---|---|---|---|",
    ]
    for a in apis:
        lines.append(
            f"| {a['workers']} | **{a['rate']:,.0f}** | {a['rate'] / base_a:.2f}x | "
            f"{a['p50_ms']:.1f} / {a['p99_ms']:.1f} | {a['other'] or 'none'} | "
            f"{a['cpu']['api']:.0f} / {a['cpu']['rabbitmq']:.0f} / {a['cpu']['postgres']:.0f} / "
            f"{_others(a['cpu'], 'api')} | {_per_cpu_s(a['rate'], a['cpu']['api'])} |"
        )
    lines += [
        "",
        "- run: `make bench-scale` (or `.venv/bin/python bench/scale_out.py`; `--quick` for a smoke run)",
        "- Reading: the 2 cores are shared by the processes measured, RabbitMQ, PostgreSQL, the load "
        "generator and, here, other people's work, so more processes than cores cannot add capacity; "
        "what more processes can do on a contended box is win a larger share of it. What the runs do "
        "show: several worker processes on one quorum queue and several API processes on one "
        "PostgreSQL store work together, every pre-published task completed once and every request "
        "was answered 202. How far replicas go on free cores is not something this machine can show.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tasks", type=int, default=6000, help="tasks per worker run")
    p.add_argument("--procs", default="1,2,4", help="worker process counts")
    p.add_argument("--api-workers", default="1,2", help="API process counts")
    p.add_argument("--api-seconds", type=float, default=10.0)
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--quick", action="store_true", help="small smoke run; RESULTS.md untouched")
    p.add_argument("--write", action="store_true", help="write RESULTS.md even with --quick")
    p.add_argument("--wait-idle", type=float, default=60.0)
    args = p.parse_args(argv)
    if args.quick:
        args.tasks, args.api_seconds = 800, 3.0
    WORK.mkdir(parents=True, exist_ok=True)
    prefix = common.new_prefix("scale")
    with common.provisioned(prefix, WORK / "scale_out.db") as settings, common.Procs() as procs:
        busy = [common.wait_quiet(args.wait_idle)]
        workers = [drain(procs, settings, int(n), args.tasks, timeout=300) for n in args.procs.split(",")]
        busy.append(common.wait_quiet(args.wait_idle))
        apis = [
            api_rate(procs, settings, int(n), args.api_seconds, args.connections)
            for n in args.api_workers.split(",")
        ]
    text = render(args, workers, apis, busy)
    print(text)
    if not args.quick or args.write:
        common.write_section("scale_out", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
