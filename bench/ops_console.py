"""How fast the /ops console answers with a full task store (issue 22: <= 200 ms per page with
100,000 tasks).

    python bench/ops_console.py [--tasks 100000] [--requests 30] [--no-write]

For SQLite and PostgreSQL, a store filled with `--tasks` tasks (a week of traffic, the last hour
busy, 3 tenants, 4 domains, alerts on one task in ten, some parked or failed, 2 % dead-lettered)
and, as its peer from the same run, an empty store. `python -m api` serves each; every console
page is fetched `--requests` times one after another, as a global operator and as a tenant's
operator (HTTP Basic, the password check cached after the first request). The pages read
RabbitMQ too (consumers, depths, the head of eventos.dlq), over AMQP as in the default
configuration, so the figures include that. Writes the `ops_console` section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bcrypt
import httpx
import sqlalchemy as sa

from bench.common import (
    WORK,
    Procs,
    base_env,
    cpu_seconds,
    free_port,
    machine,
    new_prefix,
    now_utc,
    provisioned,
    verdict,
    versions,
    wait_for,
    write_section,
)
from bench.scale_out import pg_schema
from shared import topology
from shared.store import GEN, Store
from shared.store.schema import task_alerts, tasks

TARGET_MS = 200.0
PASSWORD = "bench-password"
TENANTS = (("hospital_a", 0.5), ("hospital_b", 0.3), ("hospital_c", 0.2))
STATUSES = (
    ("completed", 0.94),
    ("dead_lettered", 0.02),
    ("failed", 0.01),
    ("retrying", 0.01),
    ("processing", 0.01),
)


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def fill(url: str, n: int, seed: int = 22) -> str:
    """`n` tasks and their alerts; returns one dead-lettered task id of hospital_a (its page is
    measured too)."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    domains = [(d, t) for d, cfg in topology.DOMAINS.items() for t in cfg["task_types"]]
    store = Store(url)
    rows, alerts = [], []
    sample_dead = ""
    busy = min(3000, n // 10)  # the last hour: ~50 tasks a minute
    for i in range(n):
        created = now - (
            timedelta(seconds=rng.uniform(0, 3600))
            if i < busy
            else timedelta(seconds=rng.uniform(3600, 7 * 86400))
        )
        status = _pick(rng, STATUSES)
        tenant = _pick(rng, TENANTS)
        domain, task_type = rng.choice(domains)
        task_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if status == "dead_lettered" and tenant == "hospital_a" and not sample_dead:
            sample_dead = task_id
        updated = created + timedelta(milliseconds=rng.uniform(20, 900))
        rows.append(
            {
                **Store.new_task_row(
                    task_id=task_id,
                    tenant_id=tenant,
                    domain=domain,
                    task_type=task_type,
                    created_at=created,
                    correlation_id=uuid.uuid4().hex,
                    idempotency_key=None,
                    request_hash=None,
                    payload={"paciente_id": str(uuid.uuid4()), "queixa": "dor de cabeça leve desde ontem"},
                ),
                "status": status,
                "progress": GEN - 1 if status in ("completed", "failed", "dead_lettered") else 2,
                "attempts": 1,
                "updated_at": updated,
                "result": {"severidade": None, "alerta": False} if status == "completed" else None,
                "error": "handler_permanent_error: PermanentError: x" if status == "dead_lettered" else None,
            }
        )
        if i % 10 == 0:
            roll = rng.random()
            delivery, parked = (
                ("failed", False)
                if roll < 0.002
                else ("pending", True)
                if roll < 0.007
                else ("delivered", False)
            )
            body = {
                "patientId": str(uuid.uuid4()),
                "type": "CRITICAL_SYMPTOM",
                "severity": "CRITICAL",
                "message": "m",
            }
            alerts.append(
                {
                    "task_id": task_id,
                    "alert_key": "regras:abc",
                    "type": "CRITICAL_SYMPTOM",
                    "severity": "CRITICAL",
                    "message": "Dispneia",
                    "body": body,
                    "delivery": delivery,
                    "attempts": 1,
                    "backend_alert_id": None,
                    "last_error": "503" if delivery != "delivered" else None,
                    "parked": parked,
                    "created_at": updated,
                    "updated_at": updated + timedelta(milliseconds=rng.uniform(30, 2000)),
                }
            )
    with store.engine.begin() as conn:
        for start in range(0, len(rows), 5000):
            conn.execute(sa.insert(tasks), rows[start : start + 5000])
        for start in range(0, len(alerts), 5000):
            conn.execute(sa.insert(task_alerts), alerts[start : start + 5000])
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("ANALYZE tasks"))
            conn.execute(sa.text("ANALYZE task_alerts"))
    store.close()
    return sample_dead


def pages(dead_id: str) -> list[tuple[str, str, str]]:
    """(label, user, path)"""
    return [
        ("home, global operator", "operador", "/ops"),
        ("home, tenant operator", "ana", "/ops"),
        ("queues, global operator", "operador", "/ops/queues"),
        ("tasks (filtered: failed)", "ana", "/ops/tasks?status=failed"),
        ("tasks, global operator", "operador", "/ops/tasks"),
        ("dead letters, tenant operator", "ana", "/ops/dead-letters"),
        ("dead letters + raw DLQ peek, global", "operador", "/ops/dead-letters"),
        ("a task's page", "ana", f"/ops/tasks/{dead_id}" if dead_id else "/ops/tasks"),
    ]


def measure(
    base: str, pid: int, page_list: list[tuple[str, str, str]], requests: int
) -> dict[str, list[float]]:
    """{page: wall-clock ms of each request, then the API's CPU ms per request as the last item}."""
    out: dict[str, list[float]] = {}
    with httpx.Client(base_url=base, timeout=30) as client:
        for label, user, path in page_list:
            auth = (user, PASSWORD)
            for _ in range(3):  # warm-up: password check, connection pools, template compile
                assert client.get(path, auth=auth).status_code == 200, (label, path)
            times = []
            cpu0 = cpu_seconds(pid) or 0.0
            for _ in range(requests):
                t0 = time.perf_counter()
                resp = client.get(path, auth=auth)
                times.append((time.perf_counter() - t0) * 1000)
                assert resp.status_code == 200
            out[label] = [*times, ((cpu_seconds(pid) or 0.0) - cpu0) * 1000 / requests]
    return out


@contextlib.contextmanager
def served(settings: Any, db_url: str, tag: str) -> Iterator[tuple[str, int]]:
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    port = free_port()
    env = base_env(
        settings,
        DATABASE_URL=db_url,
        API_PORT=str(port),
        API_KEYS="bench-key=hospital_a",
        OPS_USERS=f"ana:{hashed}:hospital_a,operador:{hashed}",
        LOG_LEVEL="WARNING",
    )
    log = WORK / f"ops_console_api_{tag}.log"
    with Procs() as procs:
        proc = procs.start([sys.executable, "-m", "api"], env=env, log=log)
        base = f"http://127.0.0.1:{port}"

        def up() -> bool:
            try:
                return httpx.get(f"{base}/health/live", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(up, 60, "the API", proc=proc, log=log)
        yield base, proc.pid


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_db(settings: Any, kind: str, n: int, requests: int) -> dict[str, dict[str, list[float]]]:
    results: dict[str, dict[str, list[float]]] = {}
    for label, count in (("empty", 0), (f"{n:,} tasks", n)):
        if kind == "sqlite":
            path = WORK / f"ops_console_{count}.db"
            for suffix in ("", "-wal", "-shm", "-writelock"):
                with contextlib.suppress(FileNotFoundError):
                    Path(f"{path}{suffix}").unlink()
            ctx: Any = contextlib.nullcontext(f"sqlite:///{path}")
        else:
            ctx = pg_schema(f"ops{count}")
        with ctx as url:
            t0 = time.perf_counter()
            dead = fill(url, count) if count else ""
            print(f"{kind}: {label} filled in {time.perf_counter() - t0:.1f} s", flush=True)
            with served(settings, url, f"{kind}_{count}") as (base, pid):
                results[label] = measure(base, pid, pages(dead), requests)
        for page, values in results[label].items():
            times, cpu = values[:-1], values[-1]
            print(
                f"  {kind} {label:>14} {page:<38} p50 {_p(times, 0.5):6.1f} ms  p95 {_p(times, 0.95):6.1f} ms"
                f"  API CPU {cpu:5.1f} ms"
            )
    return results


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tasks", type=int, default=100_000)
    p.add_argument("--requests", type=int, default=30)
    p.add_argument("--no-write", action="store_true")
    args = p.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    prefix = new_prefix("ops")
    all_results: dict[str, dict[str, dict[str, list[float]]]] = {}
    with provisioned(prefix, WORK / "ops_console_unused.db") as settings:
        for kind in ("sqlite", "postgresql"):
            all_results[kind] = run_db(settings, kind, args.tasks, args.requests)
    full = f"{args.tasks:,} tasks"
    lines = [
        "## /ops console pages (`bench/ops_console.py`)",
        "",
        f"- date: {now_utc()}",
        f"- machine: {machine()} (shared with other developers' work while it ran)",
        f"- config: `python -m api` (one process), RABBITMQ_MANAGEMENT_URL unset (queue figures over AMQP), "
        f"vhosts `{prefix}*`; store of {full} over a week (3,000 in the last hour), 3 tenants, alerts on "
        f"1 task in 10; each page fetched {args.requests} times in a row after 3 warm-up requests; "
        "empty store as the peer",
        "- versions: "
        + versions("fastapi", "starlette", "uvicorn", "SQLAlchemy", "psycopg", "pika", "Jinja2"),
        "",
        "Each cell: p50 / p95 wall-clock ms / the API process's CPU ms per request (CPU time is what "
        "a busy shared machine distorts least).",
        "",
        f"| page | SQLite empty | SQLite {full} | PostgreSQL empty | PostgreSQL {full} |",
        "|---|---|---|---|---|",
    ]
    worst = worst_cpu = floor = 0.0
    for page in all_results["sqlite"]["empty"]:
        cells = []
        for kind in ("sqlite", "postgresql"):
            for label in ("empty", full):
                values = all_results[kind][label][page]
                t, cpu = values[:-1], values[-1]
                cells.append(f"{_p(t, 0.5):.0f} / {_p(t, 0.95):.0f} / {cpu:.0f}")
                if label == full:
                    worst, worst_cpu = max(worst, _p(t, 0.95)), max(worst_cpu, cpu)
                else:
                    floor = max(floor, _p(t, 0.95))
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"- slowest page p95 with {full}: **{worst:.0f} ms** (target <= {TARGET_MS:.0f} ms): "
        f"**{verdict(worst <= TARGET_MS)}**; most API CPU per request: {worst_cpu:.0f} ms",
        f"- the same pages on the empty store, same run: slowest p95 **{floor:.0f} ms** (this shared "
        "machine's noise: no data at all)",
        f"- load average when the run ended: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
    ]
    print("\n".join(lines))
    if not args.no_write:
        write_section("ops_console", "\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
