"""Worker liveness for container healthchecks, and a metrics port that never stops a worker.

Each vhost process refreshes a heartbeat file in WORKER_HEALTH_DIR while it is connected to
RabbitMQ and consuming; the supervisor writes the list of processes it runs there. The check,

    python -m workers.health         exit 0 when every process has a fresh heartbeat, else 1

is the worker service's healthcheck in docker-compose.yml (docs/docker.md). A cold start with
CrewAI takes several seconds, so "the container runs" is not "the worker consumes".

Several workers on one host (`docker compose up --scale worker=3` with host networking, or a
second supervisor) would all ask for the same WORKER_METRICS_PORT: the first gets it, the others
log a warning and run without their metrics endpoint instead of crash-looping.
"""

from __future__ import annotations

import errno
import os
import sys
import threading
import time
from pathlib import Path
from typing import Protocol

from shared.config import Settings, get_settings
from shared.logs import get_logger

log = get_logger("workers.health")

BEAT_INTERVAL_S = 5.0
# Three missed beats: a worker whose connection is gone or whose process hangs reports unhealthy.
STALE_AFTER_S = 3 * BEAT_INTERVAL_S
EXPECTED_FILE = "expected"


class Consuming(Protocol):
    @property
    def connected(self) -> threading.Event: ...

    @property
    def connection_open(self) -> bool: ...


def _dir(settings: Settings) -> Path | None:
    return Path(settings.worker_health_dir) if settings.worker_health_dir else None


def beat_name(vhost: str, role: str) -> str:
    return f"{vhost}.{role}"


def expect(settings: Settings, names: list[str]) -> None:
    """Called by the supervisor: the processes whose heartbeats the check requires."""
    directory = _dir(settings)
    if directory is None:
        return
    directory.mkdir(parents=True, exist_ok=True)
    expected = directory / EXPECTED_FILE
    # Heartbeats of a previous run (a restarted container keeps its file system) are not ours.
    old = expected.read_text().split() if expected.exists() else []
    for name in {*old, *names}:
        (directory / name).unlink(missing_ok=True)
    expected.write_text("\n".join(names) + "\n")


class Heartbeat:
    """Refreshes this process's heartbeat file while its consumer is connected and consuming."""

    def __init__(self, path: Path, consumer: Consuming, interval_s: float = BEAT_INTERVAL_S) -> None:
        self.path = path
        self.consumer = consumer
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="worker-heartbeat", daemon=True)

    @classmethod
    def start_for(cls, settings: Settings, consumer: Consuming, vhost: str, role: str) -> Heartbeat | None:
        directory = _dir(settings)
        if directory is None:
            return None
        directory.mkdir(parents=True, exist_ok=True)
        beat = cls(directory / beat_name(vhost, role), consumer)
        beat._thread.start()
        return beat

    def _run(self) -> None:
        while not self._stop.is_set():
            if self.consumer.connected.is_set() and self.consumer.connection_open:
                self.path.touch()
            else:
                self.path.unlink(missing_ok=True)
            self._stop.wait(self.interval_s)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval_s + 1)
        self.path.unlink(missing_ok=True)


def problems(directory: Path, now: float | None = None) -> list[str]:
    """Why the worker is not healthy; empty when every expected process consumes."""
    expected_file = directory / EXPECTED_FILE
    if not expected_file.exists():
        return [f"the supervisor has not started (no {expected_file})"]
    now = time.time() if now is None else now
    out = []
    for name in expected_file.read_text().split():
        beat = directory / name
        if not beat.exists():
            out.append(f"{name}: not consuming")
        elif now - beat.stat().st_mtime > STALE_AFTER_S:
            out.append(f"{name}: no heartbeat for {now - beat.stat().st_mtime:.0f} s")
    return out


def serve_metrics(port: int) -> bool:
    """Start the Prometheus endpoint on 127.0.0.1:port; False (with a warning) when it is taken."""
    from prometheus_client import start_http_server

    try:
        start_http_server(port, addr="127.0.0.1")
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        log.warning(
            "metrics_port_in_use",
            port=port,
            pid=os.getpid(),
            note="another worker on this host serves it; this process runs without a metrics endpoint",
        )
        return False
    return True


def main() -> int:
    directory = _dir(get_settings())
    if directory is None:
        print("WORKER_HEALTH_DIR is not set: the worker writes no heartbeats", file=sys.stderr)
        return 1
    found = problems(directory)
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
