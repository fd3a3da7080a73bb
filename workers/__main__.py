"""`python -m workers`: supervisor with one consumer process per vhost (two when an LLM is
configured: the rules stage and the LLM stage, so CrewAI's threads never take the GIL from a
nurse's alert).

A child that dies is restarted with exponential backoff (reset once it has run for a minute).
SIGTERM/SIGINT are passed on to the children, which stop consuming, finish or requeue their
in-flight messages and exit; the supervisor then exits 0.
When TASK_RETENTION_DAYS is above 0 the supervisor also purges finished tasks older than that, at
start and then hourly (shared.retention).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import signal
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import Any

from shared.telemetry import quiet_third_party_telemetry

quiet_third_party_telemetry()  # before anything imports CrewAI or OpenTelemetry

from shared import topology
from shared.config import get_settings
from shared.logs import configure_logging, get_logger
from shared.retention import HourlyPurge
from workers import health

# The child's entry point must live in an importable module: spawn cannot find `__main__`'s.
from workers.worker import ProcessRole, child_main

log = get_logger("workers.supervisor")

RESTART_BACKOFF_MAX_S = 30.0
HEALTHY_AFTER_S = 60.0
STOP_TIMEOUT_S = 45.0


@dataclass
class Child:
    vhost: str
    metrics_port: int | None
    role: ProcessRole = "all"
    process: BaseProcess | None = None
    started_at: float = 0.0
    failures: int = 0
    restart_at: float = 0.0


def resolve_vhosts(names: list[str] | None, prefix: str) -> list[str]:
    """Accept `fluxo_clinico`, `<prefix>fluxo_clinico` or the domain name `clinico`."""
    if not names:
        return [topology.vhost_for(d, prefix) for d in topology.all_domains()]
    out = []
    for name in names:
        if name in topology.DOMAINS:
            out.append(topology.vhost_for(name, prefix))
            continue
        base = name[len(prefix) :] if prefix and name.startswith(prefix) else name
        if base not in topology.VHOST_TO_DOMAIN:
            known = ", ".join(topology.VHOST_TO_DOMAIN)
            raise SystemExit(f"error: unknown vhost {name!r} (known: {known})")
        out.append(prefix + base)
    return list(dict.fromkeys(out))


class Supervisor:
    def __init__(
        self,
        vhosts: list[str],
        concurrency: int | None,
        prefetch: int | None,
        metrics_port: int | None,
        split_llm_stage: bool = False,
    ) -> None:
        self.ctx = mp.get_context("spawn")
        self.concurrency = concurrency
        self.prefetch = prefetch
        roles: tuple[ProcessRole, ...] = ("rules", "llm") if split_llm_stage else ("all",)
        pairs = [(v, role) for v in vhosts for role in roles]
        self.children = [
            Child(v, metrics_port + i if metrics_port else None, role) for i, (v, role) in enumerate(pairs)
        ]
        self.stopping = False

    def start_child(self, child: Child) -> None:
        proc = self.ctx.Process(
            target=child_main,
            name=f"worker-{child.vhost}-{child.role}",
            args=(child.vhost, self.concurrency, self.prefetch, child.metrics_port, child.role),
        )
        proc.start()
        child.process, child.started_at = proc, time.monotonic()
        log.info("child_started", vhost=child.vhost, role=child.role, pid=proc.pid)

    def on_signal(self, signum: int, _frame: Any) -> None:
        if not self.stopping:
            log.info("supervisor_stopping", signal=signal.Signals(signum).name)
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self.on_signal)
        signal.signal(signal.SIGINT, self.on_signal)
        settings = get_settings()
        # Retention lives here, not in the vhost processes: one purge per supervisor per hour.
        purge = HourlyPurge(settings) if settings.task_retention_days > 0 else None
        if purge is not None:
            purge.start()
        health.expect(settings, [health.beat_name(c.vhost, c.role) for c in self.children])
        for child in self.children:
            self.start_child(child)
        while not self.stopping:
            now = time.monotonic()
            for child in self.children:
                proc = child.process
                if proc is not None and not proc.is_alive():
                    lived = now - child.started_at
                    child.failures = 1 if lived > HEALTHY_AFTER_S else child.failures + 1
                    delay = min(RESTART_BACKOFF_MAX_S, 2.0 ** (child.failures - 1))
                    log.error(
                        "child_died",
                        vhost=child.vhost,
                        role=child.role,
                        pid=proc.pid,
                        exitcode=proc.exitcode,
                        ran_s=round(lived, 1),
                        restart_in_s=delay,
                    )
                    child.process, child.restart_at = None, now + delay
                if child.process is None and now >= child.restart_at and not self.stopping:
                    self.start_child(child)
            time.sleep(0.2)
        if purge is not None:
            purge.stop()
        return self.shutdown()

    def shutdown(self) -> int:
        live = [c.process for c in self.children if c.process is not None and c.process.is_alive()]
        for proc in live:
            if proc.pid:
                os.kill(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for proc in live:
            proc.join(max(0.1, deadline - time.monotonic()))
        for proc in live:
            if proc.is_alive():
                log.error("child_kill_after_timeout", pid=proc.pid)
                proc.kill()
                proc.join(5)
        log.info("supervisor_stopped", children=[(p.pid, p.exitcode) for p in live])
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workers", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--vhost", action="append", metavar="NAME", help="run only this vhost (repeatable); default: all four"
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="handlers in flight per process (default WORKER_CONCURRENCY)",
    )
    parser.add_argument("--prefetch", type=int, default=None, help="default WORKER_PREFETCH")
    args = parser.parse_args(argv)
    if args.concurrency is not None and args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    settings = get_settings()
    configure_logging(settings, "worker-supervisor")
    vhosts = resolve_vhosts(args.vhost, settings.vhost_prefix)
    return Supervisor(
        vhosts,
        args.concurrency,
        args.prefetch,
        settings.worker_metrics_port,
        split_llm_stage=settings.llm_enabled,
    ).run()


if __name__ == "__main__":
    raise SystemExit(main())
