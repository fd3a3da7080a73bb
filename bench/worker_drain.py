#!/usr/bin/env python3
"""Benchmark: tasks/s draining 10,000 pre-published hemogramas through the rules engine with the
status persisted, on SQLite and on PostgreSQL, with one and with two worker processes on the same
vhost, beside Celery's threads worker draining 10,000 no-op tasks from a quorum queue on the same
broker in the same run; then a 300 ms handler (an LLM stand-in) at concurrency 16; peak RSS.

    .venv/bin/python bench/worker_drain.py           # the issue's parameters
    .venv/bin/python bench/worker_drain.py --quick   # smoke run (RESULTS.md untouched)

Targets (issues 9 and 19), with the settings a user gets (no --concurrency, no --prefetch): one
process >= 1.5 x Celery's rate in the same run on SQLite, >= 1.0 x on PostgreSQL; two processes on
one vhost >= 1.3 x one on PostgreSQL (faster than one on SQLite); the 300 ms handler at
concurrency 16 >= 42 tasks/s per process (0.8 x 16 / 0.3); peak RSS per vhost process <= 400 MB.
CPU is recorded per worker process and for the broker, so the figures can be read on a machine
where the broker has its own cores.

What runs (own VHOST_PREFIX, own SQLite files under bench/.work/, own PostgreSQL schemas):
  * pre-publish: for each task an Envelope like the API builds, a `queued` row through
    Store.create_task, and a confirmed publish through the API's Publisher (not timed as drain);
  * the real worker, `python -m workers --vhost fluxo_exames` with default settings (one or two
    supervisors started together; `--prefetch`/`--concurrency` only when given here), no extra
    handlers: the real hemograma handler and rules engine. Drain time runs from the moment every
    process logged `consuming` to the `updated_at` of the last task stored `completed`; tasks
    completed before that moment are left out of the rate. Peak RSS = VmHWM of the vhost child
    processes. Store round trips per task are counted inside the worker by bench/roundtrips.py
    (SQLAlchemy events);
  * the 300 ms run overrides clinico.consulta with bench/handlers.py (WORKER_EXTRA_HANDLERS);
  * Celery (bench/.work/celery-venv, pinned, not a project dependency): 10,000 no-op tasks sent
    with send_task to a quorum queue of the same broker, then `celery worker --pool threads
    --concurrency 8`; drain time runs from `worker_ready` (or the first task, if earlier) to the
    end of the 10,000th task, recorded in-process (a counter under a lock in the task body).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, roundtrips
from bench.common import WORK

TENANT = "bench_tenant"
TARGET_RATIO = {"sqlite": 1.5, "postgresql": 1.0}
TARGET_TWO_PROCESSES = {"sqlite": 1.0, "postgresql": 1.3}
TARGET_SLOW_RATE = 0.8 * 16 / 0.3  # 42.7 tasks/s
TARGET_RSS_MB = 400.0
CELERY_QUEUE = "celery_drain"


# --- pre-publishing ------------------------------------------------------------------------------


KINDS = {"hemograma": ("exames", "hemograma"), "consulta": ("clinico", "consulta")}


def prepublish(settings: Any, n: int, kind: str = "hemograma", concurrency: int = 64) -> dict[str, float]:
    """n tasks as the API makes them: Envelope, `queued` row, confirmed publish."""
    from api.publisher import Publisher
    from shared.catalog import PAYLOAD_MODELS
    from shared.logs import configure_logging
    from shared.messages import Envelope
    from shared.store import Store
    from tests.support.samples import ENDPOINTS

    configure_logging(settings.model_copy(update={"log_level": "WARNING", "log_format": "console"}), "bench")
    domain, task_type = KINDS[kind]
    [sample] = [e for e in ENDPOINTS if (e.domain, e.task_type) == (domain, task_type)][:1]
    model = PAYLOAD_MODELS[(domain, task_type)]
    data = model.model_validate(sample.payload()).model_dump(mode="json", exclude_none=True)

    async def go() -> float:
        store = Store(settings.database_url)
        publisher = Publisher(settings)
        await publisher.start()
        sem = asyncio.Semaphore(concurrency)

        async def one() -> None:
            async with sem:
                env = Envelope(domain=domain, task_type=task_type, tenant_id=TENANT, payload=data)
                # Store.create_task's async twin, as the API calls it: the `queued` row first.
                await store.acreate_task(
                    Store.new_task_row(
                        task_id=str(env.task_id),
                        tenant_id=TENANT,
                        domain=domain,
                        task_type=task_type,
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


def queue_count(settings: Any, queue: str, domain: str = "exames") -> int:
    import pika

    from shared import topology

    vhost = topology.vhost_for(domain, settings.vhost_prefix)
    conn = pika.BlockingConnection(pika.URLParameters(common.vhost_amqp_url(vhost)))
    try:
        return int(conn.channel().queue_declare(queue, passive=True).method.message_count)
    finally:
        conn.close()


def _engine(url: str) -> Any:
    from shared.store import make_engine

    return make_engine(url)


def status_counts(url: str) -> dict[str, int]:
    import sqlalchemy as sa

    engine = _engine(url)
    try:
        with engine.connect() as c:
            return {
                k: int(v) for k, v in c.execute(sa.text("SELECT status, count(*) FROM tasks GROUP BY status"))
            }
    finally:
        engine.dispose()


def ctx_switches(pid: int) -> int:
    """Context switches of every thread of a process so far (voluntary + involuntary)."""
    total = 0
    for status in Path(f"/proc/{pid}/task").glob("*/status"):
        try:
            for line in status.read_text().splitlines():
                if "ctxt_switches:" in line:
                    total += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue  # a thread that ended meanwhile
    return total


class Progress:
    """Polls the store for completed tasks with one pooled connection (SQLite or PostgreSQL)."""

    def __init__(self, url: str) -> None:
        self.engine = _engine(url)

    def completed(self) -> int:
        import sqlalchemy as sa

        with self.engine.connect() as c:
            return int(
                c.execute(sa.text("SELECT count(*) FROM tasks WHERE status = 'completed'")).scalar_one()
            )

    def last_completed_at(self) -> float:
        import sqlalchemy as sa

        with self.engine.connect() as c:
            value = c.execute(
                sa.text("SELECT max(updated_at) FROM tasks WHERE status = 'completed'")
            ).scalar_one()
        if isinstance(value, str):  # SQLite: SQLAlchemy stores UTC datetimes as naive ISO strings
            return common.iso_ts(value.replace(" ", "T") + ("" if "+" in value else "+00:00"))
        return float(value.timestamp() if value.tzinfo else value.replace(tzinfo=UTC).timestamp())

    def close(self) -> None:
        self.engine.dispose()


@contextlib.contextmanager
def pg_schema(base: str) -> Iterator[str]:
    """A fresh PostgreSQL schema for one run (like the tests' store_url fixture)."""
    import sqlalchemy as sa

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# --- our worker ----------------------------------------------------------------------------------


def drain_ours(
    procs: common.Procs,
    settings: Any,
    n: int,
    concurrency: int,
    sleep_s: float,
    label: str,
    timeout: float,
    *,
    kind: str = "hemograma",
    processes: int = 1,
    prefetch: int | None = None,
) -> dict[str, Any]:
    """`processes` worker processes on one vhost drain n pre-published tasks of `kind`
    (hemograma: the real rules engine; consulta: bench/handlers.py, optionally sleeping)."""
    domain, _ = KINDS[kind]
    vhost = {"exames": "fluxo_exames", "clinico": "fluxo_clinico"}[domain]
    pre = prepublish(settings, n, kind)
    depth = queue_count(settings, "eventos", domain)
    print(
        f"[{label}] pre-published {n} {kind} tasks ({pre['rate']:,.0f}/s: Envelope + Store.create_task + "
        f"confirmed publish); {depth} in `eventos`",
        flush=True,
    )
    trips_file = WORK / f"roundtrips-{label}"
    for old in WORK.glob(f"roundtrips-{label}.*"):
        old.unlink()
    extra = {
        "BENCH_HANDLER_SLEEP_S": str(sleep_s),
        "WORKER_EXTRA_HANDLERS": "bench.roundtrips" + (",bench.handlers" if kind == "consulta" else ""),
        "BENCH_ROUNDTRIPS_FILE": str(trips_file),
    }
    env = common.base_env(settings, **extra)
    args = [sys.executable, "-m", "workers", "--vhost", vhost]
    if concurrency:
        args += ["--concurrency", str(concurrency)]
    if prefetch:
        args += ["--prefetch", str(prefetch)]
    progress = Progress(settings.database_url)
    t_spawn = time.time()
    sups, children, logs = [], [], []
    for i in range(processes):  # all started at once: they load in parallel
        log = WORK / f"worker_drain-{label}-{i}.log"
        log.unlink(missing_ok=True)
        sups.append(procs.start(args, env=env, log=log))
        logs.append(log)
    for sup, log in zip(sups, logs, strict=True):
        started = common.wait_for(
            lambda log=log: common.json_events(log, "child_started"), 60, "the vhost child", proc=sup, log=log
        )
        common.wait_for(
            lambda log=log: common.json_events(log, "consuming"),
            60,
            "the worker consuming",
            proc=sup,
            log=log,
        )
        children.append(int(started[0]["pid"]))
    # Measured from the moment every process consumes: what the first did alone is left out.
    t_ready = time.time()
    done_before = progress.completed()
    trips0 = roundtrips.read_all(str(trips_file))
    meter = common.CpuMeter(
        {**{f"worker{i}": [c] for i, c in enumerate(children)}, "broker": common.pids_named("beam.smp")}
    )
    switches0 = sum(ctx_switches(c) for c in children)
    deadline = time.monotonic() + timeout
    done = 0
    while time.monotonic() < deadline:
        done = progress.completed()
        if done >= n:
            break
        for sup in sups:
            if sup.poll() is not None:
                raise RuntimeError(f"a worker supervisor exited ({sup.returncode}); see {WORK}")
        time.sleep(0.1)
    cpu = meter.stop()
    switches = sum(ctx_switches(c) for c in children) - switches0
    cpu["worker"] = sum(v for k, v in cpu.items() if k.startswith("worker"))
    rss = max(common.peak_rss_mb(c) or 0.0 for c in children)
    rss_sup = common.peak_rss_mb(sups[0].pid)
    for sup in sups:
        procs.stop(sup)
    trips = roundtrips.read_all(str(trips_file))
    if done < n:
        raise RuntimeError(f"[{label}] only {done}/{n} tasks completed within {timeout:g} s; see {WORK}")
    t_done = progress.last_completed_at()
    progress.close()
    counts = status_counts(settings.database_url)
    seconds = t_done - t_ready
    out = {
        "n": n,
        "measured": n - done_before,
        "switches_per_task": switches / max(1, n - done_before),
        "kind": kind,
        "processes": processes,
        "prefetch": prefetch,
        "database": settings.database_url.split(":", 1)[0],
        "concurrency": concurrency,
        "sleep_s": sleep_s,
        "seconds": seconds,
        # NaN when the first process drained everything before the second was consuming.
        "rate": (n - done_before) / seconds if n > done_before and seconds > 0 else float("nan"),
        "rate_from_spawn": n / (t_done - t_spawn),
        "startup_s": t_ready - t_spawn,
        "rss_mb": rss,
        "supervisor_rss_mb": rss_sup,
        "statuses": counts,
        "cpu": cpu,
        "prepublish": pre,
        "dlq": queue_count(settings, "eventos.dlq", domain),
        "left_in_queue": queue_count(settings, "eventos", domain),
    }
    out["cpu_ms_per_task"] = cpu["worker"] / 100 / out["rate"] * 1000 if out["rate"] > 0 else float("nan")
    # Start-up's statements (migrations) were written to the file within 0.5 s of `consuming`.
    measured = max(1, n - done_before)
    out["trips"] = t = {k: (trips.get(k, 0) - trips0.get(k, 0)) / measured for k in set(trips) | set(trips0)}
    out["round_trips_per_task"] = (
        roundtrips.round_trips(t) if out["database"].startswith("postgresql") else t.get("statements", 0)
    )
    per_proc = " + ".join(f"{cpu[f'worker{i}']:.0f}%" for i in range(processes))
    print(
        f"[{label}] drained {n} in {seconds:.2f} s = {out['rate']:,.1f} tasks/s (from process start "
        f"{out['rate_from_spawn']:,.1f}/s, start-up {out['startup_s']:.1f} s); peak RSS of a vhost process "
        f"{rss:.0f} MB; statuses {counts}; worker CPU {per_proc}, RabbitMQ {cpu['broker']:.0f}%, "
        f"other processes {cpu['others']:.0f}% (of one core); {out['cpu_ms_per_task']:.2f} ms worker CPU and "
        f"{out['switches_per_task']:.1f} context switches per task; per task "
        f"{t.get('statements', 0):.3f} statements, {t.get('transactions', 0):.3f} transactions, "
        f"{t.get('pings', 0):.3f} pings",
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
        f"{queue_count(settings, queue, 'clinico')} in `{queue}`",
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
        "left_in_queue": queue_count(settings, queue, "clinico"),
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
        "--concurrency",
        type=int,
        default=None,
        help="our rules threads (default: the worker's default); Celery runs WORKER_CONCURRENCY threads",
    )
    p.add_argument("--prefetch", type=int, default=None, help="our prefetch (default: the worker's default)")
    p.add_argument("--slow-tasks", type=int, default=1_000, help="tasks for the 300 ms run (default 1000)")
    p.add_argument("--slow-concurrency", type=int, default=16)
    p.add_argument("--slow-sleep", type=float, default=0.3)
    p.add_argument("--no-celery", action="store_true")
    p.add_argument(
        "--celery-prefetch-multipliers", default="16", help="Celery runs, one per worker_prefetch_multiplier"
    )
    p.add_argument("--no-slow", action="store_true", help="skip the 300 ms handler run")
    p.add_argument("--no-pg", action="store_true", help="skip the PostgreSQL runs")
    p.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    common.add_run_options(p)
    args = p.parse_args(argv)
    if args.quick:
        args.tasks, args.slow_tasks = 1_000, 160
    write = (not args.quick) if args.write is None else args.write
    WORK.mkdir(parents=True, exist_ok=True)
    prefix = common.new_prefix("drain")
    results: dict[str, Any] = {"ours": []}
    background = common.wait_quiet(args.wait_idle) if args.wait_idle > 0 else float("nan")
    timeout = max(120.0, args.tasks / 50)

    def sqlite_url(name: str) -> str:
        db = WORK / f"worker_drain-{name}.db"
        for suffix in ("", "-wal", "-shm", "-writelock"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{db}"

    with common.provisioned(prefix, WORK / "worker_drain.db") as settings, common.Procs() as procs:

        def ours(label: str, url: str, processes: int) -> None:
            run_settings = settings.model_copy(update={"database_url": url})
            results["ours"].append(
                drain_ours(
                    procs,
                    run_settings,
                    args.tasks,
                    args.concurrency,
                    0.0,
                    label,
                    timeout,
                    processes=processes,
                    prefetch=args.prefetch,
                )
            )

        ours("sqlite-1", sqlite_url("sqlite-1"), 1)
        ours("sqlite-2", sqlite_url("sqlite-2"), 2)
        if not args.no_pg:
            for n_proc in (1, 2):
                with pg_schema(args.pg_url) as url:
                    ours(f"postgresql-{n_proc}", url, n_proc)
        if not args.no_celery:
            celery_threads = args.concurrency or settings.worker_concurrency
            results["celery"] = [
                drain_celery(procs, settings, args.tasks, celery_threads, int(m), timeout)
                for m in args.celery_prefetch_multipliers.split(",")
                if m.strip()
            ]
        if not args.no_slow:
            slow_settings = settings.model_copy(update={"database_url": sqlite_url("slow")})
            results["slow"] = drain_ours(
                procs,
                slow_settings,
                args.slow_tasks,
                args.slow_concurrency,
                args.slow_sleep,
                "slow",
                timeout=max(120.0, 3 * args.slow_tasks * args.slow_sleep / args.slow_concurrency),
                kind="consulta",
            )

    report = render(args, results, prefix, background)
    print()
    print(report)
    if write:
        common.write_section("worker_drain", report)
    else:
        print("(RESULTS.md not updated: --quick or --no-write)")
    return 0


def _flags(args: argparse.Namespace) -> str:
    flags = f" --concurrency {args.concurrency}" if args.concurrency else ""
    return flags + (f" --prefetch {args.prefetch}" if args.prefetch else "")


def _trips(o: dict[str, Any]) -> str:
    if o["database"].startswith("postgresql"):
        return f"{o['round_trips_per_task']:.3f} (bench.roundtrips.round_trips)"
    return "none (in-process)"


def render(args: argparse.Namespace, r: dict[str, Any], prefix: str, background: float) -> str:
    runs: list[dict[str, Any]] = r["ours"]
    cels: list[dict[str, Any]] = r.get("celery", [])
    lines = [
        "## Worker drain (`bench/worker_drain.py`)",
        "",
        f"- date: {common.now_utc()}",
        f"- machine: {common.machine()} (the broker, the workers and the load share these cores)",
        f"- ours: `python -m workers --vhost fluxo_exames{_flags(args)}` (default settings unless flags "
        f"show), one or two such processes on one vhost, draining {args.tasks:,} pre-published "
        "`exames.hemograma` tasks through the real rules engine: per task the envelope and payload are "
        "validated, the rules run, `completed` + result stored (one store transaction per batch), then "
        "acked; "
        f"vhosts `{prefix}*`, LOG_FORMAT=json at INFO, no LLM, no alert backend",
        f"- Celery: worker `--pool threads --concurrency {cels[0]['concurrency'] if cels else 8}`, "
        "no-op task, quorum queue, "
        "`worker_detect_quorum_queues`, `acks_late`, one run per `worker_prefetch_multiplier`",
        "- drain time (ours): from the moment every worker process is consuming to the last `completed` "
        "row; tasks completed before that (one process starting earlier) are left out of the rate. "
        "Celery: from `worker_ready` to the end of its last task. CPU is % of one core over the drain",
        f"- versions: {common.versions('pika', 'SQLAlchemy', 'pydantic')}"
        + (f"; Celery/kombu {cels[0]['version']} (bench venv only)" if cels else ""),
        "",
        "| run | tasks/s | drain s | CPU per worker process | worker CPU per task "
        "| context switches per task | store statements / transactions per task | round trips per task "
        "| CPU RabbitMQ | other | peak RSS | statuses |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for o in runs:
        per_proc = " + ".join(f"{o['cpu'][f'worker{i}']:.0f}%" for i in range(o["processes"]))
        lines.append(
            f"| ours, {o['database']}, {o['processes']} process(es) | **{o['rate']:,.0f}** "
            f"| {o['seconds']:.2f} "
            f"| {per_proc} | {o['cpu_ms_per_task']:.2f} ms | {o['switches_per_task']:.1f} "
            f"| {o['trips'].get('statements', 0):.3f} / {o['trips'].get('transactions', 0):.3f} "
            f"| {_trips(o)} "
            f"| {o['cpu']['broker']:.0f}% | {o['cpu']['others']:.0f}% | {o['rss_mb']:.0f} MB "
            f"| {o['statuses']} |"
        )
    for c in cels:
        lines.append(
            f"| Celery threads, no-op, prefetch x{c['multiplier']} | **{c['rate']:,.0f}** "
            f"| {c['seconds']:.2f} "
            f"| {c['cpu']['worker']:.0f}% | {c['cpu']['worker'] / 100 / c['rate'] * 1000:.2f} ms | | | "
            f"| {c['cpu']['broker']:.0f}% | {c['cpu']['others']:.0f}% "
            f"| {c['rss_mb']:.0f} MB | queue left {c['left_in_queue']} |"
        )
    lines.append("")
    one = {o["database"]: o for o in runs if o["processes"] == 1}
    two = {o["database"]: o for o in runs if o["processes"] == 2}
    if cels:
        celery = max(cels, key=lambda c: c["rate"])
        for db, o in one.items():
            ratio = o["rate"] / celery["rate"]
            target = TARGET_RATIO.get(db, 1.0)
            lines.append(
                f"- {db}, one process vs Celery (x{celery['multiplier']}): **{ratio:.2f}x** "
                f"(target >= {target}x): **{common.verdict(ratio >= target)}**"
            )
    for db, o in two.items():
        if db in one:
            ratio = o["rate"] / one[db]["rate"]
            target = TARGET_TWO_PROCESSES.get(db, 1.0)
            lines.append(
                f"- {db}, two processes vs one: **{ratio:.2f}x** "
                f"({o['rate']:,.0f} vs {one[db]['rate']:,.0f}/s; target >= {target}x): "
                f"**{common.verdict(ratio >= target)}**"
            )
    if "slow" in r:
        slow = r["slow"]
        lines.append(
            f"- {args.slow_sleep * 1000:.0f} ms handler (LLM stand-in), "
            f"`--concurrency {args.slow_concurrency}`, {slow['n']:,} tasks: **{slow['rate']:.1f} tasks/s** "
            f"(ideal {args.slow_concurrency / args.slow_sleep:.1f};"
            f" target >= {TARGET_SLOW_RATE:.1f}): **{common.verdict(slow['rate'] >= TARGET_SLOW_RATE)}**"
        )
    peak = max([o["rss_mb"] or 0 for o in runs] + ([r["slow"]["rss_mb"] or 0] if "slow" in r else []))
    lines.append(
        f"- peak RSS per vhost process {peak:.0f} MB (target <= {TARGET_RSS_MB:.0f} MB): "
        f"**{common.verdict(peak <= TARGET_RSS_MB)}**"
    )
    if background == background and background > 30:
        lines.append(f"- note: other processes were using {background:.0f}% of one core when the run started")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
