#!/usr/bin/env python3
"""Benchmark: accepted tasks/s over HTTP (64 concurrent clients) with p50/p99, beside raw pika
confirmed publishing and Celery's in-process `send_task` (confirms on, quorum queue), all to the
same broker in the same run.

    .venv/bin/python bench/api_publish.py            # the issue's parameters (64 clients, 15 s x 3 rounds)
    .venv/bin/python bench/api_publish.py --quick    # smoke run (a few seconds, RESULTS.md untouched)

Targets (issue): accepted tasks/s >= 1.2 x Celery's send_task rate in the same run; p99 <= 50 ms.

What runs:
  * the API as a real server process, the production entry point `python -m api` (uvicorn +
    uvloop + httptools, one process), on its own VHOST_PREFIX and its own SQLite file under
    bench/.work/;
  * `wrk` (Debian package) as the load generator with a Lua script: POST of the consulta sample
    body (tests/support/samples.py ENDPOINTS[0]) with a Bearer key, per-status counts, latency
    percentiles. Without wrk, bench/loadgen.py (aiohttp) is used and the report says so;
  * raw pika: BlockingConnection, confirm_delivery, persistent messages of the same size to the
    same vhost's `eventos` exchange/queue, one confirmed publish at a time;
  * Celery (bench/.work/celery-venv, pinned, not a project dependency): `app.send_task` with
    `confirm_publish`, into a quorum queue `celery_bench` of the same vhost.
The three phases run in 3 interleaved rounds (after one warm-up) and the report gives each round
and the medians, so a machine whose speed drifts affects all sides alike. Queues are purged between
phases so each phase starts from the same broker state.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from bench.common import ROOT, WORK

API_KEY = "bench-key"
TENANT = "bench_tenant"
TARGET_RATIO = 3.0
TARGET_P99_MS = 30.0


def sample_body() -> dict[str, Any]:
    from tests.support.samples import ENDPOINTS

    return ENDPOINTS[0].payload()


def consulta_path() -> str:
    from tests.support.samples import ENDPOINTS

    return ENDPOINTS[0].path


# --- the API server --------------------------------------------------------------------------


def http(method: str, url: str, body: bytes | None = None, timeout: float = 5.0) -> tuple[int, bytes]:
    req = urllib.request.Request(  # noqa: S310 (an http:// URL built here)
        url,
        data=body,
        method=method,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {API_KEY}"},
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (http:// built here)
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:
        return 0, b""


def start_api(procs: common.Procs, settings: Any, port: int, **extra: str) -> tuple[Any, Path]:
    log = WORK / "api_publish-api.log"
    env = common.api_env(
        settings,
        port,
        API_KEY,
        TENANT,
        **extra,
        API_WORKERS=os.environ.get("API_WORKERS", "1"),
    )
    proc = procs.start([sys.executable, "-m", "api"], env=env, log=log)
    base = f"http://127.0.0.1:{port}"
    common.wait_for(
        lambda: http("GET", base + "/health/ready")[0] == 200,
        30,
        "the API to be ready",
        interval=0.1,
        proc=proc,
        log=log,
    )
    return proc, log


# --- load generation -----------------------------------------------------------------------------

WRK_LUA = r"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %(key)s"
local f = assert(io.open("%(body_file)s", "rb"))
wrk.body = f:read("*a")
f:close()

local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end

function done(summary, latency, requests)
  local agg = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do agg[k] = (agg[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(agg) do table.insert(parts, string.format('"%%d": %%d', k, v)) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %%d, "duration_us": %%d, "statuses": {%%s}, ' ..
    '"errors": {"connect": %%d, "read": %%d, "write": %%d, "timeout": %%d, "status": %%d}, ' ..
    '"latency_us": {"p50": %%d, "p90": %%d, "p99": %%d, "p999": %%d, "max": %%d, "mean": %%f}}\n',
    summary.requests, summary.duration, table.concat(parts, ", "),
    e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean))
end
"""


def run_load(
    tool: str, url: str, body_file: Path, connections: int, seconds: float, threads: int
) -> dict[str, Any]:
    """One load run; returns the parsed figures plus the generator's own CPU time."""
    if tool == "wrk":
        script = WORK / "api_publish.lua"
        script.write_text(WRK_LUA % {"key": API_KEY, "body_file": str(body_file)})
        args = [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            url,
        ]
    else:
        args = [
            sys.executable,
            str(ROOT / "bench" / "loadgen.py"),
            url,
            str(body_file),
            API_KEY,
            str(connections),
            f"{seconds:g}",
        ]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        out_b, _ = proc.communicate(timeout=seconds + 60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    out = out_b.decode(errors="replace")
    line = next((ln for ln in out.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"{tool} produced no result:\n{out[-3000:]}")
    result = json.loads(line[len("BENCH_JSON ") :])
    result["raw_output"] = out
    return result


def children_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


# --- raw pika --------------------------------------------------------------------------------------


def raw_pika(settings: Any, body: bytes, n: int, warmup: int) -> dict[str, float]:
    import pika

    from shared import topology

    vhost = topology.vhost_for("clinico", settings.vhost_prefix)
    conn = pika.BlockingConnection(pika.URLParameters(common.vhost_amqp_url(vhost)))
    try:
        ch = conn.channel()
        ch.confirm_delivery()
        props = pika.BasicProperties(
            content_type="application/json", delivery_mode=2, type="clinico.consulta", app_id="bench-raw-pika"
        )
        for _ in range(warmup):
            ch.basic_publish(
                topology.EVENTS_EXCHANGE, topology.EVENTS_ROUTING_KEY, body, props, mandatory=True
            )
        started = time.perf_counter()
        for _ in range(n):
            ch.basic_publish(
                topology.EVENTS_EXCHANGE, topology.EVENTS_ROUTING_KEY, body, props, mandatory=True
            )
        seconds = time.perf_counter() - started
    finally:
        conn.close()
    return {"n": n, "seconds": seconds, "rate": n / seconds}


def queue_depth(settings: Any, queue: str = "eventos") -> int:
    import pika

    from shared import topology

    vhost = topology.vhost_for("clinico", settings.vhost_prefix)
    conn = pika.BlockingConnection(pika.URLParameters(common.vhost_amqp_url(vhost)))
    try:
        return int(conn.channel().queue_declare(queue, passive=True).method.message_count)
    finally:
        conn.close()


def purge(settings: Any, queue: str = "eventos") -> None:
    import pika

    from shared import topology

    vhost = topology.vhost_for("clinico", settings.vhost_prefix)
    conn = pika.BlockingConnection(pika.URLParameters(common.vhost_amqp_url(vhost)))
    try:
        conn.channel().queue_purge(queue)
    finally:
        conn.close()


def envelope_bytes(body: dict[str, Any]) -> bytes:
    from shared.messages import ConsultaPayload, Envelope

    data = ConsultaPayload.model_validate(body).model_dump(mode="json", exclude_none=True)
    return Envelope(domain="clinico", task_type="consulta", tenant_id=TENANT, payload=data).to_json_bytes()


# --- Celery ------------------------------------------------------------------------------------------


def celery_send(settings: Any, body: dict[str, Any], n: int, warmup: int) -> dict[str, Any]:
    from shared import topology

    py = common.celery_python()
    args_file = WORK / "celery_args.json"
    args_file.write_text(json.dumps(body))
    vhost = topology.vhost_for("clinico", settings.vhost_prefix)
    env = common.celery_env(BENCH_BROKER_URL=common.vhost_amqp_url(vhost), BENCH_QUEUE="celery_bench")
    result = common.run_celery_send(py, n, warmup, args_file, env, timeout=600)
    result["celery"] = subprocess.run(
        [str(py), "-c", "import celery, kombu; print(celery.__version__, kombu.__version__)"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return result


# --- main ----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="short smoke run; does not update RESULTS.md")
    p.add_argument("--duration", type=float, default=15.0, help="measured seconds per round (default 15)")
    p.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds before measuring (default 3)")
    p.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds of API, raw pika and Celery phases, interleaved so that a drifting machine affects "
        "all sides alike; the report uses medians (default 3)",
    )
    p.add_argument("--connections", type=int, default=64, help="concurrent clients (default 64)")
    p.add_argument(
        "--wrk-threads", type=int, default=1, help="wrk threads (default 1: leaves CPU to the API)"
    )
    p.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    p.add_argument("--pika-n", type=int, default=5000, help="raw pika confirmed publishes per round")
    p.add_argument("--celery-n", type=int, default=5000, help="Celery send_task calls per round")
    p.add_argument("--no-celery", action="store_true", help="skip the Celery phase")
    p.add_argument("--no-pika", action="store_true", help="skip the raw pika phase")
    p.add_argument(
        "--tracing",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="export spans to a fake OTLP collector, default sampling (default: on)",
    )
    common.add_run_options(p)
    args = p.parse_args(argv)
    if args.quick:
        args.duration, args.warmup, args.pika_n, args.celery_n, args.rounds = 3.0, 1.0, 500, 500, 1
    write = (not args.quick) if args.write is None else args.write

    tool = args.loadgen
    if tool == "auto":
        tool = "wrk" if shutil.which("wrk") else "python"
    if tool == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: sudo apt-get install -y wrk (or --loadgen python)")

    WORK.mkdir(parents=True, exist_ok=True)
    body = sample_body()
    body_file = WORK / "consulta.json"
    body_file.write_bytes(json.dumps(body, ensure_ascii=False).encode())
    env_bytes = envelope_bytes(body)
    db = WORK / "api_publish.db"
    prefix = common.new_prefix("api")
    rounds: list[dict[str, Any]] = []
    print(
        f"load generator: {tool}; {args.connections} clients; warm-up {args.warmup:g} s; "
        f"{args.rounds} round(s) of {args.duration:g} s",
        flush=True,
    )

    background = common.wait_quiet(args.wait_idle) if args.wait_idle > 0 else float("nan")
    with contextlib.ExitStack() as stack:
        settings = stack.enter_context(common.provisioned(prefix, db))
        procs = stack.enter_context(common.Procs())
        otel: dict[str, str] = {}
        if args.tracing:
            from tests.support.fake_otlp import FakeOtlpCollector

            collector = FakeOtlpCollector().start()
            stack.callback(collector.stop)
            otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": collector.url, "OTEL_SDK_DISABLED": "false"}
        port = common.free_port()
        api, _api_log = start_api(procs, settings, port, **otel)
        url = f"http://127.0.0.1:{port}{consulta_path()}"
        status, answer = http("POST", url, json.dumps(body).encode())
        if status != 202:
            raise SystemExit(f"the API did not accept the sample request: {status} {answer[:500]!r}")
        run_load(tool, url, body_file, args.connections, args.warmup, args.wrk_threads)
        published = 0  # messages found in `eventos` after each API phase, before purging

        for i in range(args.rounds):
            r: dict[str, Any] = {}
            meter = common.CpuMeter({"api": api_pids(api.pid), "broker": common.pids_named("beam.smp")})
            gen_cpu0 = children_cpu()
            load = run_load(tool, url, body_file, args.connections, args.duration, args.wrk_threads)
            gen_pct = 100 * (children_cpu() - gen_cpu0) / (load["duration_us"] / 1e6)
            cpu = meter.stop()
            seconds = load["duration_us"] / 1e6
            statuses = {int(k): v for k, v in load["statuses"].items()}
            accepted = statuses.get(202, 0)
            time.sleep(1.0)  # requests still in flight when the load generator stopped finish now
            published += queue_depth(settings)
            purge(settings)
            r["api"] = a = {
                "seconds": seconds,
                "accepted": accepted,
                "rate": accepted / seconds,
                "statuses": statuses,
                "errors": load["errors"],
                "latency_ms": {k: v / 1000 for k, v in load["latency_us"].items()},
                "api_cpu_pct": cpu["api"],
                "gen_cpu_pct": gen_pct,
                "broker_cpu_pct": cpu["broker"],
                "others_cpu_pct": max(0.0, cpu["others"] - gen_pct),
                "cpu_ms_per_task": 10 * cpu["api"] / max(accepted / seconds, 1e-9),
            }
            lat = a["latency_ms"]
            print(
                f"[round {i + 1}] API: {accepted} accepted (202) in {seconds:.1f} s = "
                f"{a['rate']:,.0f} tasks/s; "
                f"p50 {lat['p50']:.1f} ms, p90 {lat['p90']:.1f} ms, p99 {lat['p99']:.1f} ms, "
                f"max {lat['max']:.0f} ms; statuses {statuses}; socket errors {load['errors']}",
                flush=True,
            )
            print(
                f"          CPU (% of one core): API {a['api_cpu_pct']:.0f}, load generator {gen_pct:.0f}, "
                f"RabbitMQ {a['broker_cpu_pct']:.0f}, other processes {a['others_cpu_pct']:.0f}; "
                f"API CPU per accepted task {a['cpu_ms_per_task']:.2f} ms",
                flush=True,
            )
            if not args.no_pika:
                r["pika"] = raw_pika(settings, env_bytes, args.pika_n, warmup=min(200, args.pika_n))
                purge(settings)
                print(
                    f"[round {i + 1}] raw pika confirmed publish: {r['pika']['rate']:,.0f} msgs/s "
                    f"({args.pika_n} x {len(env_bytes)} B, one at a time)",
                    flush=True,
                )
            if not args.no_celery:
                r["celery"] = celery_send(settings, body, args.celery_n, warmup=min(200, args.celery_n))
                print(
                    f"[round {i + 1}] Celery send_task (confirm_publish, quorum queue): "
                    f"{r['celery']['rate']:,.0f} tasks/s ({args.celery_n} tasks)",
                    flush=True,
                )
            rounds.append(r)

        api_rss = max((common.peak_rss_mb(pid) or 0 for pid in api_pids(api.pid)), default=0)
        procs.stop(api)
        spans = len(collector.spans) if args.tracing else None
        with sqlite3.connect(db) as c:
            rows = c.execute("SELECT count(*) FROM tasks").fetchone()[0]

    summary = {
        "rows": rows,
        "published": published,
        "api_rss_mb": api_rss,
        "background_pct": background,
        "spans": spans,
    }
    report = render(args, rounds, summary, tool, prefix)
    print()
    print(report)
    if write:
        common.write_section("api_publish", report)
    else:
        print("(RESULTS.md not updated: --quick or --no-write)")
    return 0


def api_pids(pid: int) -> list[int]:
    """The API process and any children it has."""
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for child in children:
        pids.extend(api_pids(int(child)))
    return pids


def _median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def render(
    args: argparse.Namespace, rounds: list[dict[str, Any]], summary: dict[str, Any], tool: str, prefix: str
) -> str:
    apis = [r["api"] for r in rounds]
    rate = _median([a["rate"] for a in apis])
    p50 = _median([a["latency_ms"]["p50"] for a in apis])
    p99 = _median([a["latency_ms"]["p99"] for a in apis])
    worst_p99 = max(a["latency_ms"]["p99"] for a in apis)
    pika = [r["pika"]["rate"] for r in rounds if "pika" in r]
    cel = [r["celery"]["rate"] for r in rounds if "celery" in r]
    ratios = [r["api"]["rate"] / r["celery"]["rate"] for r in rounds if "celery" in r]
    loadgen = (
        f"**wrk** ({args.wrk_threads} thread, Lua script)"
        if tool == "wrk"
        else "**bench/loadgen.py** (aiohttp)"
    )
    lines = [
        "## API publish (`bench/api_publish.py`)",
        "",
        f"- date: {common.now_utc()}",
        f"- machine: {common.machine()}",
        "- config: `python -m api` (uvicorn + uvloop + httptools, one process), SQLite store "
        f"`bench/.work/api_publish.db`, vhosts `{prefix}*`; load generator {loadgen} on the same 2 cores, "
        f"{args.connections} connections, POST `{consulta_path()}` (consulta sample body); warm-up "
        f"{args.warmup:g} s, then {len(rounds)} round(s) of: API {args.duration:g} s, raw pika "
        f"{args.pika_n} publishes, Celery {args.celery_n} send_task (medians below)",
        "- telemetry: request metrics on (always); "
        + (
            "tracing on: `OTEL_EXPORTER_OTLP_ENDPOINT` set to a fake OTLP collector in the bench process, "
            f"default sampling (10 % of new traces), {summary['spans']:,} spans received"
            if summary.get("spans") is not None
            else "tracing off (`--no-tracing`)"
        ),
        "- versions: "
        + common.versions("fastapi", "starlette", "uvicorn", "aio-pika", "pydantic", "SQLAlchemy", "pika")
        + (f"; Celery/kombu {rounds[0]['celery']['celery']} (bench venv only)" if cel else ""),
        "",
        "| round | accepted tasks/s (202) | p50 / p90 / p99 / max (ms) | other statuses, socket errors | "
        "CPU % API / wrk / RabbitMQ / others | API CPU ms per task | raw pika confirmed msgs/s | "
        "Celery send_task/s | API / Celery |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(rounds, 1):
        a = r["api"]
        lat = a["latency_ms"]
        others = {k: v for k, v in a["statuses"].items() if k != 202} or "none"
        errs = {k: v for k, v in a["errors"].items() if v} or "none"
        c = r.get("celery")
        lines.append(
            f"| {i} | {a['rate']:,.0f} | {lat['p50']:.1f} / {lat['p90']:.1f} / {lat['p99']:.1f} / "
            f"{lat['max']:.0f} | {others}, {errs} | {a['api_cpu_pct']:.0f} / {a['gen_cpu_pct']:.0f} / "
            f"{a['broker_cpu_pct']:.0f} / {a['others_cpu_pct']:.0f} | {a['cpu_ms_per_task']:.2f} | "
            + (f"{r['pika']['rate']:,.0f}" if "pika" in r else "-")
            + " | "
            + (f"{c['rate']:,.0f} | {a['rate'] / c['rate']:.2f}x" if c else "- | -")
            + " |"
        )
    lines += [
        "",
        f"- accepted tasks/s (median): **{rate:,.0f}**; latency p50 {p50:.1f} ms, p99 **{p99:.1f} ms** "
        f"(median of rounds; worst round {worst_p99:.1f} ms); API peak RSS {summary['api_rss_mb']:.0f} MB",
    ]
    if pika:
        lines.append(
            f"- raw pika confirmed publishing (BlockingConnection, one confirmed publish at a time, "
            f"{len(envelope_bytes(sample_body()))} B persistent, same vhost/exchange/queue): "
            f"**{_median(pika):,.0f} msgs/s** (median)"
        )
    if cel:
        ratio = _median(ratios)
        lines.append(
            "- Celery `send_task` in-process (confirm_publish, quorum queue `celery_bench` in the same "
            "vhost): "
            f"**{_median(cel):,.0f} tasks/s** (median)"
        )
        lines.append(
            f"- accepted tasks/s vs Celery send_task: **{ratio:.2f}x** (median of per-round ratios; "
            "target >= "
            f"{TARGET_RATIO}x): **{common.verdict(ratio >= TARGET_RATIO)}**"
        )
    lines.append(
        f"- p99 {p99:.1f} ms (median of rounds; target <= {TARGET_P99_MS:g} ms): "
        f"**{common.verdict(p99 <= TARGET_P99_MS)}**"
    )
    lines.append(
        f"- sanity: {summary['rows']:,} task rows in the store and {summary['published']:,} messages "
        "found in "
        "`eventos` after the API phases (warm-up and the first check request included): every 202 was stored "
        "and confirmed by the broker"
        + ("" if summary["rows"] == summary["published"] else " - MISMATCH, investigate")
    )
    bg = summary["background_pct"]
    if bg == bg and bg > 30:
        lines.append(f"- note: other processes were using {bg:.0f}% of one core when the run started")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up processes and vhosts
    raise SystemExit(main())
