#!/usr/bin/env python3
"""Benchmark: tasks/s draining 10,000 pre-published tasks through a trivial handler with status
persisted, beside Celery's threads worker draining 10,000 no-op tasks from a quorum queue on the
same broker in the same run; then a handler that waits 300 ms at concurrency 16; peak RSS.

    .venv/bin/python bench/worker_drain.py           # the issue's parameters
    .venv/bin/python bench/worker_drain.py --quick   # smoke run (RESULTS.md untouched)

Targets (issue): drain rate >= 1.0 x Celery's in the same run; with the 300 ms handler at
concurrency 16 >= 42 tasks/s per process (0.8 x 16 / 0.3); peak RSS per vhost process <= 400 MB.

What runs (own VHOST_PREFIX, own SQLite files under bench/.work/):
  * pre-publish: for each task an Envelope like the API builds, a `queued` row through
    Store.create_task, and a confirmed publish through the API's Publisher (not timed as drain);
  * the real worker, `python -m workers --vhost fluxo_clinico --concurrency 8`, with the trivial
    handler injected by WORKER_EXTRA_HANDLERS=bench.handlers. Drain time runs from the child's
    `consuming` log line to the `updated_at` of the last task stored `completed` (the store is
    polled with a COUNT until all are completed). Peak RSS = VmHWM of the vhost child process
    (pid from the supervisor's `child_started` line);
  * Celery (bench/.work/celery-venv, pinned, not a project dependency): 10,000 no-op tasks sent
    with send_task to a quorum queue of the same vhost, then `celery worker --pool threads
    --concurrency 8`; drain time runs from `worker_ready` (or the first task, if earlier) to the
    end of the 10,000th task, recorded in-process (a counter under a lock in the task body).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from bench.common import WORK

TENANT = "bench_tenant"
TARGET_RATIO = 1.0
TARGET_SLOW_RATE = 0.8 * 16 / 0.3  # 42.7 tasks/s
TARGET_RSS_MB = 400.0
CELERY_QUEUE = "celery_drain"


# --- pre-publishing ------------------------------------------------------------------------------


def prepublish(settings: Any, db: Path, n: int, concurrency: int = 64) -> dict[str, float]:
    """n tasks as the API makes them: Envelope, `queued` row, confirmed publish."""
    from api.publisher import Publisher
    from shared.logs import configure_logging
    from shared.messages import ConsultaPayload, Envelope
    from shared.store import Store
    from tests.support.samples import ENDPOINTS

    configure_logging(settings.model_copy(update={"log_level": "WARNING", "log_format": "console"}), "bench")
    data = ConsultaPayload.model_validate(ENDPOINTS[0].payload()).model_dump(mode="json", exclude_none=True)

    async def go() -> float:
        store = Store(settings.database_url)
        publisher = Publisher(settings)
        await publisher.start()
        sem = asyncio.Semaphore(concurrency)

        async def one() -> None:
            async with sem:
                env = Envelope(domain="clinico", task_type="consulta", tenant_id=TENANT, payload=data)
                # Store.create_task's async twin, as the API calls it: the `queued` row first.
                await store.acreate_task(
                    Store.new_task_row(
                        task_id=str(env.task_id),
                        tenant_id=TENANT,
                        domain="clinico",
                        task_type="consulta",
                        created_at=env.created_at,
                        correlation_id=env.correlation_id,
                        idempotency_key=None,
                        request_hash=None,
                    )
                )
                await publisher.publish(env)

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(n)))
        seconds = time.perf_counter() - started
        await publisher.close()
        store.close()
        return seconds

    seconds = asyncio.run(go())
    return {"n": n, "seconds": seconds, "rate": n / seconds}


def queue_count(settings: Any, queue: str) -> int:
    import pika

    from shared import topology

    vhost = topology.vhost_for("clinico", settings.vhost_prefix)
    conn = pika.BlockingConnection(pika.URLParameters(common.vhost_amqp_url(vhost)))
    try:
        return int(conn.channel().queue_declare(queue, passive=True).method.message_count)
    finally:
        conn.close()


def status_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db, timeout=30) as c:
        return dict(c.execute("SELECT status, count(*) FROM tasks GROUP BY status").fetchall())


def completed_count(db: Path) -> int:
    with sqlite3.connect(db, timeout=30) as c:
        return int(c.execute("SELECT count(*) FROM tasks WHERE status = 'completed'").fetchone()[0])


def last_completed_at(db: Path) -> float:
    with sqlite3.connect(db, timeout=30) as c:
        value = c.execute("SELECT max(updated_at) FROM tasks WHERE status = 'completed'").fetchone()[0]
    # SQLAlchemy stores UTC datetimes on SQLite as naive ISO strings.
    return common.iso_ts(str(value).replace(" ", "T") + ("" if "+" in str(value) else "+00:00"))


# --- our worker ----------------------------------------------------------------------------------


def drain_ours(
    procs: common.Procs,
    settings: Any,
    db: Path,
    n: int,
    concurrency: int,
    sleep_s: float,
    label: str,
    timeout: float,
) -> dict[str, Any]:
    pre = prepublish(settings, db, n)
    depth = queue_count(settings, "eventos")
    print(
        f"[{label}] pre-published {n} tasks ({pre['rate']:,.0f}/s: Envelope + Store.create_task + confirmed "
        f"publish); {depth} in `eventos`",
        flush=True,
    )
    log = WORK / f"worker_drain-{label}.log"
    env = common.base_env(
        settings, WORKER_EXTRA_HANDLERS="bench.handlers", BENCH_HANDLER_SLEEP_S=str(sleep_s)
    )
    args = [sys.executable, "-m", "workers", "--vhost", "fluxo_clinico", "--concurrency", str(concurrency)]
    if concurrency > 16:
        args += ["--prefetch", str(concurrency)]
    t_spawn = time.time()
    sup = procs.start(args, env=env, log=log)
    started = common.wait_for(
        lambda: common.json_events(log, "child_started"), 60, "the vhost child", proc=sup, log=log
    )
    child = int(started[0]["pid"])
    consuming = common.wait_for(
        lambda: common.json_events(log, "consuming"), 60, "the worker consuming", proc=sup, log=log
    )
    t_ready = common.iso_ts(consuming[0]["timestamp"])
    meter = common.CpuMeter({"worker": [child], "broker": common.pids_named("beam.smp")})
    deadline = time.monotonic() + timeout
    done = 0
    while time.monotonic() < deadline:
        done = completed_count(db)
        if done >= n:
            break
        if sup.poll() is not None:
            raise RuntimeError(f"the worker supervisor exited ({sup.returncode}); see {log}")
        time.sleep(0.1)
    cpu = meter.stop()
    rss = common.peak_rss_mb(child)
    rss_sup = common.peak_rss_mb(sup.pid)
    procs.stop(sup)
    if done < n:
        raise RuntimeError(f"[{label}] only {done}/{n} tasks completed within {timeout:g} s; see {log}")
    t_done = last_completed_at(db)
    counts = status_counts(db)
    seconds = t_done - t_ready
    out = {
        "n": n,
        "concurrency": concurrency,
        "sleep_s": sleep_s,
        "seconds": seconds,
        "rate": n / seconds,
        "rate_from_spawn": n / (t_done - t_spawn),
        "startup_s": t_ready - t_spawn,
        "rss_mb": rss,
        "supervisor_rss_mb": rss_sup,
        "statuses": counts,
        "cpu": cpu,
        "prepublish": pre,
        "dlq": queue_count(settings, "eventos.dlq"),
        "left_in_queue": queue_count(settings, "eventos"),
    }
    print(
        f"[{label}] drained {n} in {seconds:.2f} s = {out['rate']:,.1f} tasks/s (from process start "
        f"{out['rate_from_spawn']:,.1f}/s, start-up {out['startup_s']:.1f} s); peak RSS of the vhost process "
        f"{rss:.0f} MB; statuses {counts}; worker CPU {cpu['worker']:.0f}%, RabbitMQ {cpu['broker']:.0f}%, "
        f"other processes {cpu['others']:.0f}% (of one core)",
        flush=True,
    )
    return out


# --- Celery --------------------------------------------------------------------------------------


def drain_celery(
    procs: common.Procs, settings: Any, n: int, concurrency: int, multiplier: int, timeout: float
) -> dict[str, Any]:
    from shared import topology
    from tests.support.samples import ENDPOINTS

    py = common.celery_python()
    vhost = topology.vhost_for("clinico", settings.vhost_prefix)
    queue = f"{CELERY_QUEUE}_x{multiplier}"
    label = f"celery x{multiplier}"
    stats_file = WORK / "celery_drain_stats.json"
    stats_file.unlink(missing_ok=True)
    args_file = WORK / "celery_args.json"
    args_file.write_text(json.dumps(ENDPOINTS[0].payload()))
    env = common.celery_env(
        BENCH_BROKER_URL=common.vhost_amqp_url(vhost),
        BENCH_QUEUE=queue,
        BENCH_EXPECTED=str(n),
        BENCH_STATS_FILE=str(stats_file),
        BENCH_PREFETCH_MULTIPLIER=str(multiplier),
    )
    sent = common.run_celery_send(py, n, 0, args_file, env, timeout=900)
    print(
        f"[{label}] pre-published {n} tasks with send_task ({sent['rate']:,.0f}/s); "
        f"{queue_count(settings, queue)} in `{queue}`",
        flush=True,
    )
    log = WORK / f"worker_drain-celery-x{multiplier}.log"
    t_spawn = time.time()
    worker = procs.start(
        [
            str(py),
            "-m",
            "celery",
            "-A",
            "celery_bench",
            "worker",
            "--pool",
            "threads",
            # Default gossip/mingle/heartbeat: with --without-mingle --without-gossip and a
            # full queue this Celery stalls for seconds with its prefetch window unacked
            # (celery/celery#1847), which would flatter our side.
            "--concurrency",
            str(concurrency),
            "-Q",
            queue,
            "--loglevel",
            "WARNING",
            "--hostname",
            f"bench{multiplier}@{uuid.uuid4().hex[:6]}",
        ],
        env=env,
        log=log,
        cwd=WORK,
    )
    meter = common.CpuMeter({"worker": [worker.pid], "broker": common.pids_named("beam.smp")})
    common.wait_for(
        stats_file.exists, timeout, f"Celery to run {n} tasks", interval=0.1, proc=worker, log=log
    )
    cpu = meter.stop()
    rss = common.peak_rss_mb(worker.pid)
    procs.stop(worker)
    stats = json.loads(stats_file.read_text())
    t_start = min(x for x in (stats["ready"], stats["first"]) if x is not None)
    seconds = stats["last"] - t_start
    version = subprocess.run(
        [str(py), "-c", "import celery, kombu; print(celery.__version__, kombu.__version__)"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    res = {
        "n": n,
        "concurrency": concurrency,
        "multiplier": multiplier,
        "prefetch": multiplier * concurrency,
        "seconds": seconds,
        "rate": n / seconds,
        "rate_from_spawn": n / (stats["last"] - t_spawn),
        "startup_s": t_start - t_spawn,
        "rss_mb": rss,
        "cpu": cpu,
        "send_rate": sent["rate"],
        "version": version,
        "left_in_queue": queue_count(settings, queue),
    }
    print(
        f"[{label}] drained {n} in {seconds:.2f} s = {res['rate']:,.1f} tasks/s (prefetch {res['prefetch']}; "
        f"from process start {res['rate_from_spawn']:,.1f}/s, start-up {res['startup_s']:.1f} s); "
        f"RSS {rss:.0f} MB; "
        f"worker CPU {cpu['worker']:.0f}%, RabbitMQ {cpu['broker']:.0f}%, "
        f"other processes {cpu['others']:.0f}%",
        flush=True,
    )
    return res


# --- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="short smoke run; does not update RESULTS.md")
    p.add_argument("--tasks", type=int, default=10_000, help="tasks drained by each side (default 10000)")
    p.add_argument(
        "--concurrency", type=int, default=8, help="handler threads, ours and Celery's (default 8)"
    )
    p.add_argument(
        "--slow-tasks", type=int, default=1_000, help="tasks for the 300 ms handler run (default 1000)"
    )
    p.add_argument("--slow-concurrency", type=int, default=16)
    p.add_argument("--slow-sleep", type=float, default=0.3)
    p.add_argument("--no-celery", action="store_true")
    p.add_argument(
        "--celery-prefetch-multipliers",
        default="4,16,64",
        help="Celery runs, one per worker_prefetch_multiplier (default 4,16,64; 4 is Celery's default)",
    )
    p.add_argument("--no-slow", action="store_true", help="skip the 300 ms handler run")
    common.add_run_options(p)
    args = p.parse_args(argv)
    if args.quick:
        args.tasks, args.slow_tasks = 1_000, 160
    write = (not args.quick) if args.write is None else args.write
    WORK.mkdir(parents=True, exist_ok=True)
    prefix = common.new_prefix("drain")
    results: dict[str, Any] = {}
    background = common.wait_quiet(args.wait_idle) if args.wait_idle > 0 else float("nan")
    db_fast = WORK / "worker_drain.db"
    db_slow = WORK / "worker_drain-slow.db"

    with common.provisioned(prefix, db_fast) as settings, common.Procs() as procs:
        results["ours"] = drain_ours(
            procs,
            settings,
            db_fast,
            args.tasks,
            args.concurrency,
            0.0,
            "fast",
            timeout=max(120.0, args.tasks / 50),
        )
        if not args.no_celery:
            results["celery"] = [
                drain_celery(
                    procs, settings, args.tasks, args.concurrency, int(m), timeout=max(120.0, args.tasks / 50)
                )
                for m in args.celery_prefetch_multipliers.split(",")
                if m.strip()
            ]
        if not args.no_slow:
            for suffix in ("", "-wal", "-shm", "-writelock"):
                Path(f"{db_slow}{suffix}").unlink(missing_ok=True)
            slow_settings = settings.model_copy(update={"database_url": f"sqlite:///{db_slow}"})
            results["slow"] = drain_ours(
                procs,
                slow_settings,
                db_slow,
                args.slow_tasks,
                args.slow_concurrency,
                args.slow_sleep,
                "slow",
                timeout=max(120.0, 3 * args.slow_tasks * args.slow_sleep / args.slow_concurrency),
            )

    report = render(args, results, prefix, background)
    print()
    print(report)
    if write:
        common.write_section("worker_drain", report)
    else:
        print("(RESULTS.md not updated: --quick or --no-write)")
    return 0


def render(args: argparse.Namespace, r: dict[str, Any], prefix: str, background: float) -> str:
    ours = r["ours"]
    cels: list[dict[str, Any]] = r.get("celery", [])
    lines = [
        "## Worker drain (`bench/worker_drain.py`)",
        "",
        f"- date: {common.now_utc()}",
        f"- machine: {common.machine()}",
        f"- config (ours): `python -m workers --vhost fluxo_clinico --concurrency {args.concurrency}` "
        f"(prefetch {max(16, args.concurrency)}), trivial handler `bench/handlers.py` via "
        "WORKER_EXTRA_HANDLERS; per task the consumer validates envelope and payload, stores `processing`, "
        "runs the handler, stores `completed` + result, then acks; SQLite `bench/.work/worker_drain.db`, "
        f"vhosts `{prefix}*`, LOG_FORMAT=json at INFO; "
        "no LLM configured (CrewAI is not loaded, so RSS is the deterministic-engine figure)",
        f"- config (Celery): worker `--pool threads --concurrency {args.concurrency}`, no-op task, "
        "quorum queue, "
        "`worker_detect_quorum_queues` (per-consumer QoS), acks on receipt (Celery's default), one run per "
        "`worker_prefetch_multiplier` (4 is Celery's default)",
        "- drain time: from the worker consuming (our `consuming` log line; Celery's `worker_ready` or first "
        "task) to the last task done (our last `completed` row's `updated_at`; the end of Celery's last task "
        "body); process start-up is reported separately",
        f"- versions: {common.versions('pika', 'SQLAlchemy', 'pydantic')}"
        + (f"; Celery/kombu {cels[0]['version']} (bench venv only)" if cels else ""),
        "",
        "| measure | ours | "
        + " | ".join(f"Celery, prefetch multiplier {c['multiplier']}" for c in cels)
        + " |",
        "|---|---|" + "---|" * len(cels),
    ]

    def row(name: str, mine: str, theirs: list[str]) -> None:
        lines.append(f"| {name} | {mine} | " + " | ".join(theirs) + " |")

    row("tasks drained", f"{ours['n']:,}", [f"{c['n']:,}" for c in cels])
    row(
        "drain tasks/s (consuming → last done)",
        f"**{ours['rate']:,.0f}** ({ours['seconds']:.2f} s)",
        [f"**{c['rate']:,.0f}** ({c['seconds']:.2f} s)" for c in cels],
    )
    row(
        "tasks/s including process start-up",
        f"{ours['rate_from_spawn']:,.0f} (start-up {ours['startup_s']:.1f} s)",
        [f"{c['rate_from_spawn']:,.0f} (start-up {c['startup_s']:.1f} s)" for c in cels],
    )
    row("prefetch", str(max(16, args.concurrency)), [str(c["prefetch"]) for c in cels])
    row(
        "peak RSS of the consuming process",
        f"{ours['rss_mb']:.0f} MB",
        [f"{c['rss_mb']:.0f} MB" for c in cels],
    )
    row(
        "CPU while draining (% of one core): worker / RabbitMQ / other processes",
        f"{ours['cpu']['worker']:.0f} / {ours['cpu']['broker']:.0f} / {ours['cpu']['others']:.0f}",
        [f"{c['cpu']['worker']:.0f} / {c['cpu']['broker']:.0f} / {c['cpu']['others']:.0f}" for c in cels],
    )
    row(
        "pre-publish rate (not part of the drain)",
        f"{ours['prepublish']['rate']:,.0f}/s (Envelope + Store.create_task + confirmed publish)",
        [f"{c['send_rate']:,.0f}/s (send_task, confirm_publish)" for c in cels],
    )
    row(
        "left over",
        f"statuses {ours['statuses']}, DLQ {ours['dlq']}, queue {ours['left_in_queue']}",
        [f"queue {c['left_in_queue']}" for c in cels],
    )
    lines.append("")
    if cels:
        default = next((c for c in cels if c["multiplier"] == 4), cels[0])
        best = max(cels, key=lambda c: c["rate"])
        ratio = ours["rate"] / default["rate"]
        lines.append(
            f"- drain rate vs Celery with its default prefetch (x{default['multiplier']}): **{ratio:.2f}x** "
            f"(target >= {TARGET_RATIO}x): **{common.verdict(ratio >= TARGET_RATIO)}**"
        )
        if best is not default:
            ratio_best = ours["rate"] / best["rate"]
            lines.append(
                f"- drain rate vs Celery's best run here (prefetch multiplier {best['multiplier']}): "
                f"**{ratio_best:.2f}x**: **{common.verdict(ratio_best >= TARGET_RATIO)}**"
            )
    if "slow" in r:
        slow = r["slow"]
        lines.append(
            f"- {args.slow_sleep * 1000:.0f} ms handler, `--concurrency {args.slow_concurrency}`, "
            f"{slow['n']:,} tasks: "
            f"**{slow['rate']:.1f} tasks/s** (ideal {args.slow_concurrency / args.slow_sleep:.1f}; target >= "
            f"{TARGET_SLOW_RATE:.1f}): **{common.verdict(slow['rate'] >= TARGET_SLOW_RATE)}**; peak RSS "
            f"{slow['rss_mb']:.0f} MB; statuses {slow['statuses']}"
        )
    peak = max(x["rss_mb"] or 0 for k, x in r.items() if k in ("ours", "slow"))
    lines.append(
        f"- peak RSS per vhost process {peak:.0f} MB (target <= {TARGET_RSS_MB:.0f} MB): "
        f"**{common.verdict(peak <= TARGET_RSS_MB)}** (supervisor process {ours['supervisor_rss_mb']:.0f} MB)"
    )
    if background == background and background > 30:
        lines.append(f"- note: other processes were using {background:.0f}% of one core when the run started")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    raise SystemExit(main())
