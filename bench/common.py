"""Shared plumbing for the benchmarks: isolation (own VHOST_PREFIX, own SQLite file), child
processes that are always cleaned up, the Celery side venv, and RESULTS.md sections.

Benchmarks only print and record figures; nothing here asserts on timings.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / ".work"
RESULTS = BENCH / "RESULTS.md"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Celery lives in its own venv, never in the project's requirements.
CELERY_VENV = WORK / "celery-venv"
CELERY_PINS = ("celery==5.6.3", "kombu==5.6.2", "amqp==5.4.2")


def _configured(name: str, default: str | None = None) -> str | None:
    """A setting as the project reads it: the environment first, then `.env`."""
    if os.environ.get(name):
        return os.environ[name]
    with contextlib.suppress(OSError):
        for line in (ROOT / ".env").read_text().splitlines():
            key, sep, value = line.partition("=")
            if sep and key.strip() == name and value.strip():
                return value.strip().strip("'\"")
    return default


RABBITMQ_URL = _configured("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/") or ""
RABBITMQ_MANAGEMENT_URL = _configured("RABBITMQ_MANAGEMENT_URL")
BROKER_URL = RABBITMQ_URL.split(",")[0].strip()  # the node raw pika and Celery connect to


# --- isolation ---------------------------------------------------------------------------------


def new_prefix(tag: str) -> str:
    return f"bench{tag}{uuid.uuid4().hex[:6]}_"


def settings_for(prefix: str, db_path: Path, **extra: Any) -> Any:
    from shared.config import Settings

    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        rabbitmq_url=RABBITMQ_URL,
        rabbitmq_management_url=RABBITMQ_MANAGEMENT_URL,
        vhost_prefix=prefix,
        database_url=f"sqlite:///{db_path}",
        log_format="json",
        **extra,
    )


@contextlib.contextmanager
def provisioned(prefix: str, db_path: Path) -> Iterator[Any]:
    """Provision this benchmark's vhosts, yield its settings, delete the vhosts afterwards."""
    from shared import provision

    WORK.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{db_path}{suffix}").unlink()
    settings = settings_for(prefix, db_path)
    print(f"provisioning vhosts {prefix}* on {BROKER_URL.split('@')[-1]}", flush=True)
    provision.provision(settings)
    try:
        yield settings
    finally:
        try:
            provision.deprovision(settings)
            print(f"deleted vhosts {prefix}*", flush=True)
        except Exception as exc:  # clean-up must not hide the results
            print(f"warning: could not delete vhosts {prefix}*: {exc}", flush=True)


def vhost_amqp_url(vhost: str) -> str:
    from shared.config import vhost_url

    return vhost_url(BROKER_URL, vhost)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- child processes ---------------------------------------------------------------------------


class Procs:
    """Every process a benchmark starts, each in its own session; all stopped on exit."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(
        self, args: list[str], *, env: dict[str, str], log: Path, cwd: Path = ROOT
    ) -> subprocess.Popen[bytes]:
        log.parent.mkdir(parents=True, exist_ok=True)
        proc = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen[bytes], timeout: float = 45.0) -> int | None:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)  # its own session: only its children
                proc.wait(10)
        # Anything the process left behind in its session (e.g. a supervisor's children).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        return proc.returncode

    def stop_all(self) -> None:
        for proc in reversed(self.procs):
            self.stop(proc)

    def __enter__(self) -> Procs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_all()


def base_env(settings: Any, **extra: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "RABBITMQ_URL": settings.rabbitmq_url,
        "VHOST_PREFIX": settings.vhost_prefix,
        "DATABASE_URL": settings.database_url,
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        # Blank overrides whatever a developer's .env sets: no LLM, no alert backend.
        "OPENAI_API_KEY": "",
        "LLM_BASE_URL": "",
        "BACKEND_URL": "",
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.update(extra)
    return env


def api_env(settings: Any, port: int, api_key: str, tenant: str, **extra: str) -> dict[str, str]:
    """`python -m api` as the benches run it: one tenant's key, loopback, warnings only."""
    return base_env(
        settings,
        API_KEYS=f"{api_key}={tenant}",
        API_PORT=str(port),
        API_HOST="127.0.0.1",
        LOG_LEVEL="WARNING",
        **extra,
    )


def json_events(log: Path, name: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    try:
        text = log.read_text(errors="replace")
    except FileNotFoundError:
        return out
    for line in text.splitlines():
        if not line.startswith("{"):
            continue
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if item.get("event") == name:
            out.append(item)
    return out


def wait_for(
    predicate: Callable[[], Any],
    timeout: float,
    what: str,
    interval: float = 0.05,
    proc: subprocess.Popen[bytes] | None = None,
    log: Path | None = None,
) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log else ""
            raise RuntimeError(f"process exited ({proc.returncode}) while waiting for {what}\n{tail}")
        time.sleep(interval)
    tail = log.read_text(errors="replace")[-3000:] if log else ""
    raise RuntimeError(f"timed out after {timeout}s waiting for {what}\n{tail}")


def proc_status(pid: int) -> dict[str, str]:
    out = {}
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            out[key] = value.strip()
    return out


def peak_rss_mb(pid: int) -> float | None:
    value = proc_status(pid).get("VmHWM")
    return int(value.split()[0]) / 1024 if value else None


def cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


def pids_named(comm: str) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() == comm:
                    out.append(int(entry.name))
    return out


class CpuMeter:
    """Machine-wide CPU use and that of named processes over a window, in % of one core.

    The benchmarks share 2 cores with whatever else runs on the machine; `others` (busy minus
    the processes we account for) shows how much of the machine was not ours during the window.
    """

    def __init__(self, pids: dict[str, list[int]]) -> None:
        self.pids = pids
        self.start()

    @staticmethod
    def _machine() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields[:8]), idle

    def _ours(self) -> dict[str, float]:
        return {name: sum(cpu_seconds(p) or 0.0 for p in pids) for name, pids in self.pids.items()}

    def start(self) -> None:
        self.t0 = time.monotonic()
        self.m0 = self._machine()
        self.o0 = self._ours()

    def stop(self) -> dict[str, float]:
        elapsed = time.monotonic() - self.t0
        total, idle = self._machine()
        ticks = os.sysconf("SC_CLK_TCK")
        busy = ((total - self.m0[0]) - (idle - self.m0[1])) / ticks
        ours = self._ours()
        out = {name: 100 * (ours[name] - self.o0[name]) / elapsed for name in ours}
        out["machine"] = 100 * busy / elapsed
        out["others"] = max(0.0, out["machine"] - sum(v for k, v in out.items() if k != "machine"))
        return out


def wait_quiet(max_wait: float, threshold_pct: float = 30.0) -> float:
    """Wait (up to max_wait s) until the machine is nearly idle; returns the last busy % seen."""
    deadline = time.monotonic() + max_wait
    warned = False
    while True:
        meter = CpuMeter({})
        time.sleep(2.0)
        busy = meter.stop()["machine"]
        if busy <= threshold_pct or time.monotonic() >= deadline:
            if busy > threshold_pct:
                print(
                    f"warning: the machine is busy with other work ({busy:.0f}% of one core) - "
                    "figures will be lower and noisier than on an idle machine",
                    flush=True,
                )
            return busy
        if not warned:
            print(
                f"waiting for the machine to quiet down (other processes use {busy:.0f}% of one core; "
                f"up to {max_wait:g} s, --wait-idle 0 to skip)",
                flush=True,
            )
            warned = True


def iso_ts(value: str) -> float:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


# --- the Celery side venv ----------------------------------------------------------------------


def celery_python() -> Path:
    """Python of bench/.work/celery-venv, created (and Celery installed, pinned) on first use."""
    py = CELERY_VENV / "bin" / "python"
    marker = CELERY_VENV / ".pins"
    wanted = "\n".join(CELERY_PINS)
    if py.exists() and marker.exists() and marker.read_text() == wanted:
        return py
    print(
        f"creating {CELERY_VENV.relative_to(ROOT)} with {' '.join(CELERY_PINS)} (benchmark only)", flush=True
    )
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(CELERY_VENV)], check=True)
    subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", *CELERY_PINS], check=True
    )
    marker.write_text(wanted)
    return py


def celery_env(**extra: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(BENCH / "celery_side"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.update(extra)
    return env


# --- reporting ---------------------------------------------------------------------------------


def machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    rabbit = rabbitmq_version()
    return (
        f"{os.cpu_count()} cores ({cpu or platform.machine()}){mem}; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; RabbitMQ {rabbit}"
    )


def rabbitmq_version() -> str:
    exe = shutil.which("rabbitmqctl") or "/usr/sbin/rabbitmqctl"
    try:
        out = subprocess.run([exe, "version"], capture_output=True, text=True, timeout=20).stdout.strip()
        return out or "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def versions(*dists: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for d in dists:
        with contextlib.suppress(PackageNotFoundError):
            parts.append(f"{d} {version(d)}")
    return ", ".join(parts)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def write_section(name: str, body: str) -> None:
    """Replace (or append) this script's section of bench/RESULTS.md."""
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    block = f"{begin}\n{body.rstrip()}\n{end}\n"
    if RESULTS.exists():
        text = RESULTS.read_text()
    else:
        text = (
            "# Benchmark results\n\nWritten by `make bench` (`bench/api_publish.py`, "
            "`bench/worker_drain.py`); "
            "each script replaces its own section. Figures are from one run on the machine named in the "
            "section; re-run to refresh them.\n\n"
        )
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.S)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block
    RESULTS.write_text(text)
    print(f"wrote section {name!r} of {RESULTS.relative_to(ROOT)}", flush=True)


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def add_run_options(p: argparse.ArgumentParser) -> None:
    """The options both benchmarks share."""
    p.add_argument(
        "--wait-idle",
        type=float,
        default=60.0,
        help="wait up to this many seconds for other processes to leave the CPU (default 60)",
    )
    p.add_argument(
        "--write",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="update bench/RESULTS.md (default: yes, except with --quick)",
    )


def run_celery_send(
    py: Path, n: int, warmup: int, args_file: Path, env: dict[str, str], timeout: float
) -> dict[str, Any]:
    """`celery_bench.py send` in the Celery venv: n send_task calls; returns its BENCH_JSON result."""
    out = subprocess.run(
        [
            str(py),
            str(ROOT / "bench" / "celery_side" / "celery_bench.py"),
            "send",
            str(n),
            str(warmup),
            str(args_file),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"celery send_task run failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}")
    return json.loads(line[len("BENCH_JSON ") :])  # type: ignore[no-any-return]
